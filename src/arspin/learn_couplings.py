"""Fig. 6 of the H2ARNN paper: does maximum likelihood on Boltzmann samples teach an SK_1RSB
net with a learnable first layer the couplings J of the Hamiltonian?

Samples of one SK instance at inverse temperature beta come from a correct single-spin
Metropolis sampler (arspin.sampling.metropolis; its acceptance and autocorrelation time are
recorded), from the reference code's multi-spin proposal (a documented variant only: at
beta = 2 it is a slow quench, figures.md), or as exact draws from the enumerated P_B (a clean
control, N <= 24). The net (sk_rsb, k = 1, learn_first_layer, first layer initialised
Normal with std 1/N as in the reference) is fitted by Adam on the negative mean log-likelihood,
each step on a fresh random half of the samples. beta enters only the net's skip (a_i, c_i
start at 2 beta0); the loss itself has no beta, as in the reference.

The result: the N(N-1)/2 pairs (l, s), s < l, with J_ls, the initial and the trained weight
F_ls; the figure plots |F| against |J| (signs are fixed only per row: flipping row l of F with
the downstream weights of that row leaves q unchanged).
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

import numpy as np

from arspin.errors import ArspinError
from arspin.hamiltonian import IsingModel

log = logging.getLogger("arspin")

SAMPLERS = ("metropolis", "reference", "exact")
NET = "sk_rsb"
HPARAMS = {"k": 1, "learn_first_layer": True, "first_layer_init": "normal"}


@dataclass(frozen=True)
class Samples:
    """Boltzmann samples of one instance: int8 (S, N), with how they were drawn."""

    x: np.ndarray
    sampler: str
    acceptance: float      # NaN for exact draws
    tau: float             # integrated autocorrelation time of H in stored states (1 = exact)


@dataclass(frozen=True)
class CouplingFit:
    """Outcome of :func:`fit_couplings`.

    Attributes:
        rows, cols: int64 (P,) the pairs (l, s), s < l, P = N(N-1)/2.
        coupling: float64 (P,) J_ls.
        weight_init, weight: float64 (P,) F_ls at initialisation and after training.
        nll: float64 (steps,) mean negative log-likelihood per spin of each step's half-batch.
        n_params: trainable parameters of the net.
        seconds: training wall time.
    """

    rows: np.ndarray
    cols: np.ndarray
    coupling: np.ndarray
    weight_init: np.ndarray
    weight: np.ndarray
    nll: np.ndarray
    n_params: int
    seconds: float


def draw_samples(model: IsingModel, beta: float, sampler: str, *, chains: int,
                 samples_per_chain: int, burn_in: int, thin: int, seed: int) -> Samples:
    """chains x samples_per_chain samples at ``beta`` with ``sampler`` (SAMPLERS)."""
    if sampler not in SAMPLERS:
        raise ArspinError(f"--sampler: one of {SAMPLERS}, got {sampler!r}")
    count = chains * samples_per_chain
    if sampler == "exact":
        from arspin.exact.enumeration import MAX_TABLE_N, boltzmann_log_probs, states_at

        if model.n > MAX_TABLE_N:
            raise ArspinError(f"--sampler exact: N = {model.n} is too large to enumerate "
                              f"(max {MAX_TABLE_N}); use metropolis")
        probs = np.exp(boltzmann_log_probs(model, beta))
        idx = np.random.default_rng(seed).choice(probs.size, size=count, p=probs / probs.sum())
        return Samples(states_at(idx, model.n), sampler, float("nan"), 1.0)
    from arspin.sampling.metropolis import metropolis

    run = metropolis(model, beta, chains=chains, samples_per_chain=samples_per_chain,
                     burn_in=burn_in, thin=thin, seed=seed,
                     proposal="single" if sampler == "metropolis" else "reference")
    return Samples(run.samples, sampler, run.acceptance, run.tau)


def fit_couplings(model: IsingModel, samples: np.ndarray, beta: float, *, steps: int,
                  lr: float, seed: int) -> CouplingFit:
    """Maximum-likelihood fit of SK_1RSB with a learnable first layer to ``samples`` (S, N)."""
    import jax
    import jax.numpy as jnp
    import optax

    from arspin import jaxsetup

    jaxsetup.configure()
    from arspin.nets.registry import build_net
    from arspin.train import make_optimizer

    if len(samples) < 2:
        raise ArspinError("need at least 2 samples for half-batches")
    net = build_net(NET, model, HPARAMS)
    k_init, k_steps = jax.random.split(jax.random.key(seed))
    params = net.init(k_init)
    first_init = np.asarray(params["F"], np.float64)
    optimizer = make_optimizer(lr)
    opt_state = optimizer.init(params)
    data = jnp.asarray(samples, jnp.float32)
    half = len(samples) // 2
    beta32 = jnp.float32(beta)

    @jax.jit
    def step(params, opt_state, key):
        pick = jax.random.permutation(key, data.shape[0])[:half]

        def loss(p):
            return -jnp.mean(net.log_prob(p, data[pick], beta32))

        value, grads = jax.value_and_grad(loss)(params)
        updates, opt_state = optimizer.update(grads, opt_state, params)
        return optax.apply_updates(params, updates), opt_state, value

    nll = np.empty(steps)
    start = time.perf_counter()
    for t, key in enumerate(jax.random.split(k_steps, steps)):
        params, opt_state, value = step(params, opt_state, key)
        nll[t] = float(value) / model.n
        if (t + 1) % max(steps // 10, 1) == 0:
            log.info("step %d/%d: NLL per spin %.5f", t + 1, steps, nll[t])
    seconds = time.perf_counter() - start
    rows, cols = np.tril_indices(model.n, k=-1)
    coupling = model.coupling_matrix.toarray()[rows, cols]
    trained = np.asarray(params["F"], np.float64)
    return CouplingFit(rows.astype(np.int64), cols.astype(np.int64), coupling,
                       first_init[rows, cols], trained[rows, cols], nll,
                       int(net.n_params(params)), seconds)
