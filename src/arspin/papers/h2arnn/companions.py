"""Numerical companions of the H2ARNN architecture diagrams (Figs. 1-3, figures.md): each
diagram states, in its footer, a number computed now from the registered net it draws.

    conditional_error   Fig. 1: the exact H2ARNN conditional (net h2arnn_exact) against
                        P_B(x_i | x_<i) by enumeration, random dense J and h
    cw_n_exactness      Fig. 2: KL(cw_n || P_B) by enumeration and the dynamic-program F_q of
                        cw_n against the finite-N Curie-Weiss f_N
    parameter_counts    Figs. 2-3: trainable parameters of the drawn nets (closed forms)

Everything small: a few seconds on one core (2^N states, N <= 12).
"""

from __future__ import annotations

import numpy as np
from scipy.special import log_expit, logsumexp

from arspin.exact.curie_weiss import cw_free_energy_finite
from arspin.exact.enumeration import all_states, boltzmann_log_probs
from arspin.exact.magnetization_dp import free_energy_by_magnetization
from arspin.hamiltonian import IsingModel
from arspin.instances import generate

# the net classes themselves (not the registry's names): the workflow reruns a figure when the
# module of a net it draws changes, and it finds those modules by static imports
from arspin.nets.h2arnn.cw import CWN
from arspin.nets.h2arnn.exact import H2ARNNExact


def boltzmann_log_conditionals(model: IsingModel, beta: float) -> np.ndarray:
    """ln P_B(x_i | x_<i) for every state and site by enumeration, float64 (2^N, N); row k is
    the state ``all_states(N)[k]`` (spin 0 = least significant bit)."""
    n = model.n
    log_p = boltzmann_log_probs(model, beta)
    cond = np.empty((2 ** n, n))
    previous = np.zeros(2 ** n)                       # ln P_B(x_<0) = 0
    for i in range(n):
        # marginal of the low i+1 bits: sum over the high bits (rows of the reshape)
        upto = logsumexp(log_p.reshape(2 ** (n - 1 - i), 2 ** (i + 1)), axis=0)
        log_upto = upto[np.arange(2 ** n) % 2 ** (i + 1)]
        cond[:, i] = log_upto - previous
        previous = log_upto
    return cond


def conditional_error(n: int = 8, beta: float = 1.0, seed: int = 0) -> float:
    """max over states and sites of |ln q(x_i | x_<i) - ln P_B(x_i | x_<i)| for h2arnn_exact
    on a model with J_ij ~ N(0, 1) (i < j) and h_i ~ N(0, 0.7^2) drawn from ``seed``."""
    rng = np.random.default_rng(seed)
    model = IsingModel.from_matrix(np.triu(rng.normal(size=(n, n)), 1),
                                   h=rng.normal(scale=0.7, size=n))
    states = all_states(n).astype(np.float32)
    logits = np.asarray(H2ARNNExact(model).logits({}, states, beta), np.float64)
    ours = log_expit(states * logits)
    return float(np.max(np.abs(ours - boltzmann_log_conditionals(model, beta))))


def cw_n_exactness(n: int = 10, beta: float = 1.0, dp_n: int = 200) -> dict[str, float]:
    """cw_n on the Curie-Weiss model (J = 1, h = 0): {"kl": KL(q || P_B) at ``n`` spins by
    enumeration (q renormalised: float32 conditionals leave sum q off 1 by ~1e-7),
    "dp_gap": |F_q(DP over M) - f_N| per spin at ``dp_n`` spins}, both float64."""
    model = generate("cw", n, 0)
    net = CWN(model)
    log_q = np.asarray(net.log_prob({}, all_states(n).astype(np.float32), beta), np.float64)
    log_q -= logsumexp(log_q)
    kl = float(np.sum(np.exp(log_q) * (log_q - boltzmann_log_probs(model, beta))))
    big = CWN(generate("cw", dp_n, 0))
    table = np.asarray(big.logit_table({}, beta), np.float64)      # (N, 2N+1), column M + N
    f_q = free_energy_by_magnetization(lambda i, m: table[i, m.astype(int) + dp_n], dp_n, beta)
    return {"kl": kl, "dp_gap": abs(f_q - float(cw_free_energy_finite(dp_n, beta)))}


def parameter_counts(net: type, sizes: tuple[int, ...], family: str = "sk",
                     **hparams: object) -> dict[int, int]:
    """Trainable parameters of the net class ``net`` (its closed-form ``param_count``, the
    registry's) on a generated instance of ``family`` at each size."""
    return {n: int(net.param_count(generate(family, n, 0), **hparams)) for n in sizes}
