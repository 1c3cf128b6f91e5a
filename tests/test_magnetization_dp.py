"""The O(N^2) dynamic program for F_q of (i, M)-nets against enumeration and the finite-N
Curie-Weiss formula (with the exact CW_N conditional of physics.md section 6b)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.special import gammaln, log_expit, logsumexp

from arspin.exact import all_states, cw_free_energy_finite
from arspin.exact.magnetization_dp import cw_energy, free_energy_by_magnetization


def cw_n_logit(n: int, beta: float, J: float, h: float):
    """The exact CW_N conditional (physics.md 6b), written out independently of any net."""

    def logit(i: int, m: np.ndarray) -> np.ndarray:
        rest = n - 1 - i
        k = np.arange(rest + 1)
        s = rest - 2 * k
        log_binom = gammaln(rest + 1) - gammaln(k + 1) - gammaln(rest - k + 1)
        base = log_binom + beta * J / (2 * n) * s**2
        w = beta * J / n * s
        plus = logsumexp(base + s * (beta * h + beta * J / n) + w * m[:, None], axis=1)
        minus = logsumexp(base + s * (beta * h - beta * J / n) + w * m[:, None], axis=1)
        return 2 * beta * h + 2 * beta * J / n * m + plus - minus

    return logit


@pytest.mark.parametrize("n, beta, J, h", [(10, 0.7, 1.0, 0.0), (12, 1.6, 1.0, 0.3),
                                           (40, 1.2, -0.5, 0.1)])
def test_exact_conditional_gives_the_curie_weiss_free_energy(n, beta, J, h):
    f_q = free_energy_by_magnetization(cw_n_logit(n, beta, J, h), n, beta, J, h)
    assert f_q == pytest.approx(float(cw_free_energy_finite(n, beta, J, h)), abs=1e-10)


def test_dp_equals_enumeration_of_an_arbitrary_magnetization_net():
    n, beta, J, h = 9, 1.3, 1.0, 0.2
    rng = np.random.default_rng(0)
    c, a = rng.normal(size=n), rng.normal(size=n)

    def logit(i, m):
        return a[i] + c[i] * m + 0.1 * np.sign(m)

    x = all_states(n).astype(np.float64)
    m_before = np.concatenate([np.zeros((len(x), 1)), np.cumsum(x, axis=1)[:, :-1]], axis=1)
    z = np.stack([logit(i, m_before[:, i]) for i in range(n)], axis=1)
    log_q = np.sum(log_expit(np.where(x > 0, z, -z)), axis=1)
    q = np.exp(log_q)
    assert q.sum() == pytest.approx(1.0)
    energy = cw_energy(x.sum(axis=1), n, J, h)
    f_q = float(q @ (beta * energy + log_q) / (beta * n))
    assert free_energy_by_magnetization(logit, n, beta, J, h) == pytest.approx(f_q, abs=1e-12)
    assert f_q > float(cw_free_energy_finite(n, beta, J, h))     # the variational bound
