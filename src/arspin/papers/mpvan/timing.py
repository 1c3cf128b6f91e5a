"""Time per training step of the MPVAN paper's nets (its Table 3): one step of
arspin.train.make_step (ancestral sampling of a batch, exact energies, REINFORCE gradient, one
Adam update), jitted as in training, on an SK instance, on the local device.

Used by Table 3 (``arspin table mpvan table3``) and by bench/mpvan.py.
"""

from __future__ import annotations

import time

#: Table 3's methods -> (registered net, hyperparameters): MPVAN, the paper's VAN (no message
#: passing) and VCA (the dilated RNN)
METHODS: dict[str, tuple[str, dict]] = {
    "MPVAN": ("mpvan", {"mechanism": "hamiltonian"}),
    "VAN": ("mpvan", {"mechanism": "none"}),
    "VCA": ("dilated_rnn", {}),
}
#: the paper's seconds per step on an RTX 3090 (Sec. S-V; batch size [lost])
PAPER_S: dict[str, dict[int, float]] = {
    "MPVAN": {30: 0.042, 60: 0.068, 90: 0.093},
    "VAN": {30: 0.052, 60: 0.087, 90: 0.132},
    "VCA": {30: 0.118, 60: 0.486, 90: 0.952},
}


def device_name() -> str:
    """The JAX device the steps run on, e.g. 'cpu cpu' or 'gpu NVIDIA H100 80GB HBM3'."""
    import jax

    device = jax.devices()[0]
    return f"{device.platform} {device.device_kind}"


def time_step(method: str, n: int, batch: int, reps: int, seed: int = 0) -> dict:
    """Median wall time of ``reps`` training steps of ``method`` at N = ``n``.

    Returns:
        {"N", "batch", "n_params", "compile_s" (seconds, cold compile of the step),
        "ms_per_step" (median over reps, after one untimed warm-up step)}.
    """
    import jax
    import jax.numpy as jnp
    import numpy as np

    from arspin import jaxsetup
    from arspin.instances.registry import generate
    from arspin.nets.registry import build_net
    from arspin.train import energy_fn, make_optimizer, make_step

    jaxsetup.configure()  # float64 energies, as in training
    net_name, hparams = METHODS[method]
    model = generate("sk", n, seed)
    net = build_net(net_name, model, hparams)
    params = jax.jit(net.init)(jax.random.key(seed))
    opt = make_optimizer(1e-3)
    state = opt.init(params)
    beta = jnp.float64(1.0)
    start = time.perf_counter()
    step = jax.jit(make_step(net, energy_fn(model), opt, batch)).lower(
        params, state, jax.random.key(1), beta).compile()
    compile_s = time.perf_counter() - start
    carry = [params, state]
    times = []
    for r in range(-1, reps):            # r = -1: warm-up (allocation), not timed
        t0 = time.perf_counter()
        carry[0], carry[1], *_ = step(carry[0], carry[1], jax.random.key(r + 2), beta)
        jax.block_until_ready(carry[0])
        if r >= 0:
            times.append(time.perf_counter() - t0)
    return {"N": n, "batch": batch, "n_params": net.n_params(params),
            "compile_s": compile_s, "ms_per_step": float(np.median(times)) * 1e3}
