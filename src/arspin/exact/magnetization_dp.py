"""Exact variational free energy F_q of a net whose conditionals depend only on (i, M),
M = sum_{s<i} x_s (the Curie-Weiss nets CW_N, CW_inf and 1P; physics.md section 6b), on a
Curie-Weiss instance, by a dynamic program over M in O(N^2) instead of a sampled estimate.

With p_i(M) the probability that the first i spins sum to M and L_i(M) the expectation of
ln q(x_<i) restricted to those paths (so sum_M L_i(M) = E_q[ln q(x_<i)]):
    p_{i+1}(M +- 1) += p_i(M) q_+-(i, M)
    L_{i+1}(M +- 1) += q_+-(i, M) (L_i(M) + p_i(M) ln q_+-(i, M))
and F_q = (1 / (beta N)) sum_M [beta p_N(M) H(M) + L_N(M)], H(M) = -(J/N)(M^2 - N)/2 - h M.
Everything in float64.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from scipy.special import log_expit


def cw_energy(m_total: np.ndarray, n: int, J: float, h: float) -> np.ndarray:
    """H of a Curie-Weiss configuration with magnetisation sum M (total energy)."""
    m_total = np.asarray(m_total, np.float64)
    return -(J / n) * (m_total**2 - n) / 2 - h * m_total


def free_energy_by_magnetization(logit: Callable[[int, np.ndarray], np.ndarray], n: int,
                                 beta: float, J: float = 1.0, h: float = 0.0) -> float:
    """F_q per spin of the autoregressive q with q(x_i = +1 | x_<i) = sigmoid(logit(i, M)).

    Args:
        logit: (i, M float64 (i+1,) = -i, -i+2, ..., i) -> float64 (i+1,) logits of spin i.
        n: spins N; beta: inverse temperature; J, h: the Curie-Weiss couplings and field.
    """
    p = np.ones(1)                  # over M = -i, -i+2, ..., i (index k: M = 2k - i)
    ln_q = np.zeros(1)
    for i in range(n):
        m = 2.0 * np.arange(i + 1) - i
        z = np.asarray(logit(i, m), dtype=np.float64)
        log_up, log_down = log_expit(z), log_expit(-z)
        up, down = np.exp(log_up), np.exp(log_down)
        p_next, l_next = np.zeros(i + 2), np.zeros(i + 2)
        p_next[1:] += p * up                       # x_i = +1: M + 1 -> index k + 1
        p_next[:-1] += p * down
        l_next[1:] += up * (ln_q + p * log_up)
        l_next[:-1] += down * (ln_q + p * log_down)
        p, ln_q = p_next, l_next
    energy = cw_energy(2.0 * np.arange(n + 1) - n, n, J, h)
    return float((beta * p @ energy + ln_q.sum()) / (beta * n))
