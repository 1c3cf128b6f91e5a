"""Curie-Weiss model H = -(J/N) sum_{i<j} x_i x_j - h sum_i x_i: exact finite N and N -> inf.

Finite N (physics.md §7): with k spins down, m_k = 1 - 2k/N and
    H = -N (J m_k^2 / 2 + h m_k) + J/2,
the constant J/2 removing the self-interaction that (sum x)^2 contains. So
    ln Z = ln sum_k C(N, k) exp[N beta (J m_k^2/2 + h m_k)] - beta J / 2,
a sum of N + 1 terms done as a log-sum-exp in float64 (exact for any N, no enumeration).

N -> inf: m solves m = tanh(beta (J m + h)) (the stable solution, i.e. the global minimum of
the mean-field free energy), f = -[s(m)/beta + J m^2/2 + h m] with s the binary entropy of
(1 + m)/2. At h = 0 and beta J > 1 the two solutions +-m are equivalent: +m is returned.
All quantities below are per spin; beta is an array of inverse temperatures > 0.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import brentq
from scipy.special import gammaln, logsumexp, xlogy


def _betas(beta) -> np.ndarray:
    b = np.asarray(beta, dtype=np.float64)
    if not np.all(np.isfinite(b)) or np.any(b <= 0):
        raise ValueError("beta must be finite and > 0")
    return b


def cw_thermodynamics_finite(n: int, beta, J: float = 1.0, h: float = 0.0) -> dict[str, np.ndarray]:
    """Exact finite-N Curie-Weiss thermodynamics by the k-sum.

    Args:
        n: number of spins N >= 1.  beta: inverse temperatures, any shape S.
        J: coupling (J_ij = J/N on every pair).  h: uniform field.
    Returns:
        float64 arrays of shape S with the keys of ``thermodynamics``: beta, log_z,
        free_energy, energy, entropy, abs_magnetization (all per spin except log_z).
    """
    if n < 1:
        raise ValueError(f"n must be >= 1, got {n}")
    b = _betas(beta)
    k = np.arange(n + 1)
    m = 1.0 - 2.0 * k / n
    log_binom = gammaln(n + 1) - gammaln(k + 1) - gammaln(n - k + 1)
    minus_e = J * m**2 / 2 + h * m                       # -H/N without the J/(2N) constant
    logw = log_binom + n * b[..., None] * minus_e         # shape S + (N + 1,)
    log_sum = logsumexp(logw, axis=-1)
    p = np.exp(logw - log_sum[..., None])
    log_z = log_sum - b * J / 2
    energy = -(p @ minus_e) + J / (2 * n)
    return {
        "beta": b, "log_z": log_z, "free_energy": -log_z / (n * b), "energy": energy,
        "entropy": log_z / n + b * energy, "abs_magnetization": p @ np.abs(m),
    }


def cw_free_energy_finite(n: int, beta, J: float = 1.0, h: float = 0.0) -> np.ndarray:
    """Free energy per spin -ln Z / (beta N) of the N-spin Curie-Weiss model, shape of beta."""
    return cw_thermodynamics_finite(n, beta, J, h)["free_energy"]


def _stable_m(beta: float, J: float, h: float) -> float:
    """Stable root of m = tanh(beta (J m + h)) (see module doc)."""
    if J <= 0:  # m - tanh(...) is increasing: one root, also the free-energy minimum
        if h == 0:
            return 0.0
        return brentq(lambda x: x - np.tanh(beta * (J * x + h)), -1.0, 1.0, xtol=1e-15)
    sign, ah = (1.0 if h >= 0 else -1.0), abs(h)

    def g(x: float) -> float:  # convex on [0, 1]; g(1) >= 0
        return x - np.tanh(beta * (J * x + ah))

    if ah > 0:
        lo = 0.0
    elif beta * J <= 1:
        return 0.0
    else:  # g(0) = 0 and g'(0) < 0: bracket from the minimum of g, where g < 0
        lo = np.arccosh(np.sqrt(beta * J)) / (beta * J)
    if g(1.0) <= 0:  # tanh rounded to 1 in float64
        return sign
    return sign * brentq(g, lo, 1.0, xtol=1e-15)


def cw_magnetization_infinite(beta, J: float = 1.0, h: float = 0.0) -> np.ndarray:
    """N -> inf magnetisation per spin m(beta) (stable solution; +m at h = 0), shape of beta."""
    b = _betas(beta)
    return np.vectorize(lambda x: _stable_m(float(x), J, h), otypes=[np.float64])(b)


def cw_thermodynamics_infinite(beta, J: float = 1.0, h: float = 0.0) -> dict[str, np.ndarray]:
    """N -> inf free energy, energy, entropy and |m| per spin (keys as the finite version)."""
    b = _betas(beta)
    m = cw_magnetization_infinite(b, J, h)
    up, down = (1 + m) / 2, (1 - m) / 2
    s = -xlogy(up, up) - xlogy(down, down)
    energy = -(J * m**2 / 2 + h * m)
    return {
        "beta": b, "free_energy": energy - s / b, "energy": energy, "entropy": s,
        "abs_magnetization": np.abs(m), "magnetization": m,
    }


def cw_free_energy_infinite(beta, J: float = 1.0, h: float = 0.0) -> np.ndarray:
    """N -> inf free energy per spin -[s(m)/beta + J m^2/2 + h m], shape of beta."""
    return cw_thermodynamics_infinite(beta, J, h)["free_energy"]
