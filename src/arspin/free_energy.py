"""Free-energy estimators independent of any variational net's own bound (physics.md §7).

- Thermodynamic integration (TI) along a ladder 0 = beta_0 < beta_1 < ... :
  ln Z(beta) = N ln 2 - int_0^beta <H>_b db, anchored at ln Z(0) = N ln 2, <H>_0 = 0 and
  Var_0(H) = sum_ij J_ij^2 + sum_i h_i^2 (under the uniform distribution every x_i and x_i x_j
  has mean 0 and variance 1, and they are uncorrelated). Each interval uses the corrected
  trapezoid rule with the exact slope d<H>/dbeta = -Var(H) at both ends (cubic Hermite
  quadrature: exact for a cubic <H>(beta)), so a modest ladder suffices.
- Neural importance sampling (NIS) with samples x ~ q of a trained net:
  ln Z_hat = logmeanexp(-beta H(x) - ln q(x)), with its effective sample size; ln Z_hat is
  biased low (Jensen), so F_hat = -ln Z_hat / (beta N) errs high, toward the variational F_q.
- A lower bound from exact-ish Boltzmann samples (e.g. parallel tempering): for x ~ P_B,
  KL(P_B || q) >= 0 gives F >= E_P[H(x) + ln q(x) / beta] / N; with the variational
  F_q = E_q[H + ln q / beta] / N >= F this brackets F.

Energies are TOTAL H (not per spin); free energies are returned per spin.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import logsumexp

from arspin.hamiltonian import IsingModel


def integrate_energy(betas: np.ndarray, mean_energy: np.ndarray,
                     energy_variance: np.ndarray, model: IsingModel) -> np.ndarray:
    """ln Z at every beta of an increasing ladder from TI (float64 (R,)).

    Args:
        betas: (R,) increasing, betas[0] > 0 (the anchor beta = 0 is added here).
        mean_energy: (..., R) <H> at each beta (total energy); leading axes are independent
            estimates (e.g. chains), integrated separately.
        energy_variance: (..., R) Var(H) = <H^2> - <H>^2 at each beta.
        model: the instance (N and the beta = 0 variance).
    """
    betas = np.asarray(betas, dtype=np.float64)
    if betas.ndim != 1 or np.any(np.diff(betas) <= 0) or betas[0] <= 0:
        raise ValueError("betas must increase from a value > 0")
    e = np.asarray(mean_energy, dtype=np.float64)
    slope = -np.asarray(energy_variance, dtype=np.float64)
    lead = e.shape[:-1]
    b = np.concatenate([[0.0], betas])
    e = np.concatenate([np.zeros(lead + (1,)), e], axis=-1)
    var0 = float(np.sum(np.square(model.J)) + np.sum(np.square(model.h)))
    slope = np.concatenate([np.full(lead + (1,), -var0), slope], axis=-1)
    width = np.diff(b)
    pieces = width / 2 * (e[..., :-1] + e[..., 1:]) + width**2 / 12 * (slope[..., :-1]
                                                                     - slope[..., 1:])
    return model.n * np.log(2.0) - np.cumsum(pieces, axis=-1)


@dataclass(frozen=True)
class ImportanceEstimate:
    """ln Z from importance weights w = exp(-beta H - ln q), x ~ q.

    Attributes:
        log_z: ln Z_hat = logmeanexp(ln w).
        log_z_se: delta-method standard error of ln Z_hat (std of w / (sqrt(n) mean w)).
        ess: effective sample size (sum w)^2 / sum w^2, between 1 and n.
        free_energy: -ln Z_hat / (beta N), per spin.
    """

    log_z: float
    log_z_se: float
    ess: float
    free_energy: float


def importance_log_z(energies: np.ndarray, log_q: np.ndarray, beta: float,
                     n: int) -> ImportanceEstimate:
    """Neural importance sampling: samples x ~ q with their total H(x) and ln q(x)."""
    log_w = -beta * np.asarray(energies, np.float64) - np.asarray(log_q, np.float64)
    count = log_w.size
    log_z = float(logsumexp(log_w) - np.log(count))
    ess = float(np.exp(2 * logsumexp(log_w) - logsumexp(2 * log_w)))
    w = np.exp(log_w - log_w.max())
    se = float(np.std(w, ddof=1) / (np.sqrt(count) * np.mean(w))) if count > 1 else np.inf
    return ImportanceEstimate(log_z, se, ess, -log_z / (beta * n))


def boltzmann_lower_bound(energies: np.ndarray, log_q: np.ndarray, beta: float,
                          n: int) -> tuple[float, float]:
    """(F_lower, its standard error), per spin: mean of (H(x) + ln q(x) / beta) / N over
    samples x ~ P_B (independent samples; for correlated ones pass block means)."""
    values = (np.asarray(energies, np.float64) + np.asarray(log_q, np.float64) / beta) / n
    se = float(np.std(values, ddof=1) / np.sqrt(values.size)) if values.size > 1 else np.inf
    return float(np.mean(values)), se
