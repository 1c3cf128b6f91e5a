"""Single-spin Metropolis sampling of P_B(x) ~ exp(-beta H(x)), vectorised over chains.

One sweep visits the spins 0..N-1 in order; spin i of every chain is proposed flipped and
accepted with min(1, exp(-beta dE)), dE = 2 x_i (sum_j J_ij x_j + h_i), using local fields kept
up to date after each accepted flip (O(N) per flip, dense J: any instance, SK included). A
sequential scan leaves P_B invariant (each single-site update does), which the tests check by a
chi-square of the samples against enumeration. Chains start uniformly at random; ``burn_in``
sweeps are discarded; then every ``thin``-th sweep stores all chains.

The H2ARNN reference code's proposal flipped the same random set of spins in every chain at
once (a symmetric multi-spin move, valid but nearly always rejected at low temperature):
``proposal="reference"`` reproduces it for comparison only (figures.md, Fig. 6).

Hand-written (numpy): the tempering sampler (arspin.baselines.tempering) colours the graph,
which for a dense instance is one spin per class with a swap step in between; here a plain
chain with a reported autocorrelation time is wanted.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from arspin.hamiltonian import IsingModel

PROPOSALS = ("single", "reference")


@dataclass(frozen=True)
class MetropolisRun:
    """Outcome of :func:`metropolis`.

    Attributes:
        samples: int8 (S, N), S = stored sweeps x chains (sweep-major).
        energies: float64 (S,) total H of each sample.
        acceptance: accepted fraction of all proposals after burn-in.
        tau: integrated autocorrelation time of the energy, in stored sweeps (mean over
            chains; 1 = independent consecutive stored states), see :func:`autocorrelation_time`.
    """

    samples: np.ndarray
    energies: np.ndarray
    acceptance: float
    tau: float


def metropolis(model: IsingModel, beta: float, *, chains: int, samples_per_chain: int,
               burn_in: int, thin: int = 1, seed: int = 0,
               proposal: str = "single") -> MetropolisRun:
    """Sample ``chains`` x ``samples_per_chain`` configurations at inverse temperature ``beta``."""
    if proposal not in PROPOSALS:
        raise ValueError(f"proposal must be one of {PROPOSALS}, got {proposal!r}")
    if chains < 1 or samples_per_chain < 1 or burn_in < 0 or thin < 1:
        raise ValueError("need chains, samples_per_chain, thin >= 1 and burn_in >= 0")
    rng = np.random.default_rng(seed)
    n = model.n
    coupling = model.coupling_matrix.toarray()           # symmetric, zero diagonal
    h = np.asarray(model.h, dtype=np.float64)
    x = rng.choice(np.array([-1.0, 1.0]), size=(chains, n))
    fields = x @ coupling + h                             # (C, N) local fields
    stored, accepted, proposed = [], 0, 0
    for sweep in range(burn_in + samples_per_chain * thin):
        measuring = sweep >= burn_in
        if proposal == "single":
            for i in range(n):
                d_e = 2.0 * x[:, i] * fields[:, i]
                flip = rng.random(chains) < np.exp(-beta * np.maximum(d_e, 0.0))
                if flip.any():
                    x[flip, i] *= -1.0
                    fields[flip] += 2.0 * x[flip, i, None] * coupling[i]
                if measuring:
                    accepted += int(flip.sum())
                    proposed += chains
        else:
            for _ in range(n):
                cols = np.unique(rng.integers(0, n, size=chains))
                y = x.copy()
                y[:, cols] *= -1.0
                d_e = model.energy(y) - model.energy(x)
                flip = rng.random(chains) < np.exp(-beta * np.maximum(d_e, 0.0))
                x[flip] = y[flip]
                if measuring:
                    accepted += int(flip.sum())
                    proposed += chains
            fields = x @ coupling + h
        if measuring and (sweep - burn_in) % thin == thin - 1:
            stored.append(x.astype(np.int8))
    samples = np.stack(stored)                           # (S_chain, C, N)
    energies = model.energy(samples.reshape(-1, n))
    per_chain = energies.reshape(samples_per_chain, chains).T
    tau = float(np.mean([autocorrelation_time(e) for e in per_chain]))
    return MetropolisRun(samples.reshape(-1, n), energies, accepted / max(proposed, 1), tau)


def autocorrelation_time(series: np.ndarray, window_factor: float = 5.0) -> float:
    """Integrated autocorrelation time tau = 1 + 2 sum_t rho(t) of one series, with Sokal's
    automatic window (the smallest M with M >= window_factor * tau(M)); 1.0 for a constant
    or too-short series. Units: steps of the series."""
    y = np.asarray(series, dtype=np.float64) - np.mean(series)
    n = y.size
    if n < 4 or not np.any(y):
        return 1.0
    spectrum = np.fft.rfft(y, 2 * n)
    acf = np.fft.irfft(spectrum * np.conj(spectrum))[:n]
    rho = acf / acf[0]
    taus = 2.0 * np.cumsum(rho) - 1.0
    window = np.flatnonzero(np.arange(n) >= window_factor * taus)
    return float(max(taus[window[0]] if window.size else taus[-1], 1.0))
