"""Benchmark of the MPVAN paper's Table 3 (time per training step, figures.md): MPVAN
(mpvan, Hamiltonian message passing), VAN (mpvan without message passing, the paper's VAN) and
VCA (dilated_rnn) on SK at N = 30, 60, 90, batch 128, on the local device, printed beside the
paper's RTX 3090 seconds and with the VCA / MPVAN and VAN / MPVAN ratios of both.

One training step = arspin.train.make_step (ancestral sampling of the batch, exact energies,
REINFORCE gradient, one Adam update), jitted as in training; median of --reps steps after a
warm-up call. The persistent compilation cache is off (compile_s is a cold compile).

    .venv/bin/python bench/mpvan.py [--reps 20] [--batch 128] [--sizes 30,60,90]

Writes bench/results/mpvan.csv: method, N, batch, n_params, compile_s, ms_per_step,
paper_s_per_step.
"""

from __future__ import annotations

import argparse
import csv
import os
import time
from pathlib import Path

os.environ.setdefault("ARSPIN_JAX_CACHE", "0")

RESULTS = Path(__file__).resolve().parent / "results"
METHODS = {"MPVAN": ("mpvan", {"mechanism": "hamiltonian"}), "VAN": ("mpvan", {"mechanism": "none"}),
           "VCA": ("dilated_rnn", {})}
PAPER_S = {"MPVAN": {30: 0.042, 60: 0.068, 90: 0.093}, "VAN": {30: 0.052, 60: 0.087, 90: 0.132},
           "VCA": {30: 0.118, 60: 0.486, 90: 0.952}}   # RTX 3090, batch unknown (Sec. S-V)
FIELDS = ["method", "N", "batch", "n_params", "compile_s", "ms_per_step", "paper_s_per_step"]


def time_step(net_name: str, hparams: dict, n: int, batch: int, reps: int) -> dict:
    import jax
    import jax.numpy as jnp
    import numpy as np

    from arspin.instances.registry import generate
    from arspin.nets.registry import build_net
    from arspin.train import energy_fn, make_optimizer, make_step

    model = generate("sk", n, 0)
    net = build_net(net_name, model, hparams)
    params = jax.jit(net.init)(jax.random.key(0))
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
            "compile_s": round(compile_s, 2), "ms_per_step": round(float(np.median(times)) * 1e3, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=20)
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--sizes", default="30,60,90")
    args = parser.parse_args()
    import jax

    from arspin import jaxsetup

    jaxsetup.configure()
    device = jax.devices()[0]
    print(f"device: {device.platform} {device.device_kind}; load average at start "
          f"{os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    sizes = [int(s) for s in args.sizes.split(",")]
    rows = []
    print(f"{'method':>6} {'N':>4} {'params':>8} {'compile_s':>9} {'ms/step':>9} {'paper s':>8}")
    for method, (net, hparams) in METHODS.items():
        for n in sizes:
            row = {"method": method, **time_step(net, hparams, n, args.batch, args.reps),
                   "paper_s_per_step": PAPER_S[method].get(n, "")}
            rows.append(row)
            print(f"{method:>6} {n:>4} {row['n_params']:>8} {row['compile_s']:>9} "
                  f"{row['ms_per_step']:>9} {row['paper_s_per_step']!s:>8}", flush=True)
    ms = {(r["method"], r["N"]): r["ms_per_step"] for r in rows}
    for other in ("VAN", "VCA"):
        ours = ", ".join(f"{ms[other, n] / ms['MPVAN', n]:.1f}" for n in sizes)
        paper = ", ".join(f"{PAPER_S[other][n] / PAPER_S['MPVAN'][n]:.1f}" for n in sizes
                          if n in PAPER_S[other])
        print(f"{other} / MPVAN per step at N = {args.sizes}: here {ours}; paper {paper}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    with open(RESULTS / "mpvan.csv", "w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=FIELDS)
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {RESULTS / 'mpvan.csv'}")


if __name__ == "__main__":
    main()
