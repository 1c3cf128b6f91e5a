"""Wishart planted ensemble (Hamze et al., PRE 101, 052102 (2020); mpvan.md section 8.1).

With planted state t = (1, ..., 1), M = max(1, floor(alpha N + 1/2)) and R (N, M) drawn i.i.d.
standard normal ("gauss") or +-1 ("pm1"):
    W  = sqrt(N/(N-1)) (I - t t^T/N) R          every column orthogonal to t: W^T t = 0
    J~ = -(1/N) W W^T,  J = J~ without its diagonal
    H(s) = -sum_{i<j} J_ij s_i s_j = |W^T s|^2 / (2N) + E_g,   E_g = -||W||_F^2 / (2N)
so H >= E_g with equality at s = +-t: the ground state and its energy are known by
construction (E[E_g] = -M/2). With gauge on, a random c in {+-1}^N maps J_ij -> c_i c_j J_ij
and the planted state becomes c. Sign convention: J_ij > 0 is ferromagnetic (chook's files
store w_ij = -J_ij; negate them on import).

Draw order from the instance's ``rng``: R (row-major, one call), then c (one call, only when
gauge is on), so gauge on/off share the same R.
"""

from __future__ import annotations

import math

import numpy as np

from arspin.errors import ArspinError
from arspin.hamiltonian import IsingModel


def n_columns(n: int, alpha: float) -> int:
    """M = max(1, round-half-up(alpha * N)): the number of columns of W."""
    return max(1, math.floor(alpha * n + 0.5))


def wishart_factor(n: int, m: int, rng: np.random.Generator, r_dist: str = "gauss") -> np.ndarray:
    """W = sqrt(N/(N-1)) P R, float64 (N, M), with P the projector orthogonal to (1, ..., 1)."""
    if r_dist == "gauss":
        r = rng.standard_normal((n, m))
    elif r_dist == "pm1":
        r = (rng.integers(0, 2, size=(n, m)) * 2 - 1).astype(np.float64)
    else:
        raise ArspinError(f"option 'r_dist': expected 'gauss' or 'pm1', got {r_dist!r}")
    # P R = R - t (t^T R)/N: subtract each column's mean.
    return np.sqrt(n / (n - 1)) * (r - r.mean(axis=0, keepdims=True))


def wishart_couplings(w: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Bonds (i, j, J_ij), i < j in row-major order, of J = offdiag(-(1/N) W W^T)."""
    n = w.shape[0]
    i, j = np.triu_indices(n, 1)
    full = -(w @ w.T) / n
    return i, j, full[i, j]


def planted_energy(w: np.ndarray) -> float:
    """E_g = -||W||_F^2 / (2N), float64: the energy of the planted state (gauge-invariant)."""
    return float(-np.sum(w * w) / (2 * w.shape[0]))


def build_wpe(n: int, rng: np.random.Generator, alpha: float, r_dist: str,
              gauge: bool) -> IsingModel:
    """WPE instance; meta holds planted_state (list of +-1), planted_energy, M, alpha_used."""
    if n < 2:
        raise ArspinError(f"size: the Wishart planted ensemble needs N >= 2, got {n}")
    if not alpha > 0:
        raise ArspinError(f"option 'alpha': must be > 0, got {alpha}")
    m = n_columns(n, alpha)
    w = wishart_factor(n, m, rng, r_dist)
    i, j, J = wishart_couplings(w)
    planted = rng.integers(0, 2, size=n) * 2 - 1 if gauge else np.ones(n, dtype=np.int64)
    J = J * planted[i] * planted[j]
    meta = {
        "planted_state": [int(s) for s in planted],
        "planted_energy": planted_energy(w),
        "M": m,
        "alpha_used": m / n,
    }
    return IsingModel.from_edges(n, i, j, J, meta=meta)
