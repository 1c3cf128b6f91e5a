"""Overlap distributions P(q): from samples (bounded memory) and exactly, by enumeration.

The overlap of two configurations is q = x . y / N = 1 - 2 d(x, y) / N with d the Hamming
distance, so q takes the N + 1 values q_d, d = 0..N, and P(q) is a distribution over d.

Exactly: for independent x, y ~ P_B, P(d) = sum_{u : |u| = d} A(u) with the XOR
autocorrelation A(u) = sum_x P_B(x) P_B(x xor u) (states as bit strings). A is computed with a
fast Walsh-Hadamard transform, A = H (H P)^2 / 2^N (H the unnormalised transform, H^2 = 2^N),
in O(N 2^N) instead of the O(4^N) double sum. Hand-written: scipy's ``hadamard`` is the dense
2^N x 2^N matrix, and no maintained package offers the fast transform for numpy.
"""

from __future__ import annotations

import numpy as np


def fwht(values: np.ndarray) -> np.ndarray:
    """Unnormalised Walsh-Hadamard transform of a float64 vector of length 2^N (a copy)."""
    out = np.array(values, dtype=np.float64)
    size = out.size
    if size & (size - 1):
        raise ValueError(f"length must be a power of two, got {size}")
    h = 1
    while h < size:
        pairs = out.reshape(-1, 2, h)           # butterflies of span h, all at once
        a, b = pairs[:, 0, :].copy(), pairs[:, 1, :]
        pairs[:, 0, :] += b
        pairs[:, 1, :] = a - b
        h *= 2
    return out


def overlap_values(n: int) -> np.ndarray:
    """float64 (N+1,): q_d = 1 - 2 d / N for Hamming distance d = 0..N."""
    return 1.0 - 2.0 * np.arange(n + 1) / n


def exact_overlap_distribution(probs: np.ndarray, n: int) -> np.ndarray:
    """P(d) for two independent draws from ``probs`` (float64 (2^N,), any fixed bit order of
    the states, summing to 1): float64 (N+1,), index d = Hamming distance (q = q_d)."""
    probs = np.asarray(probs, dtype=np.float64)
    if probs.size != 1 << n:
        raise ValueError(f"need 2^{n} probabilities, got {probs.size}")
    spectrum = fwht(probs)
    autocorrelation = fwht(spectrum * spectrum) / probs.size
    weight = np.bitwise_count(np.arange(probs.size, dtype=np.uint64)).astype(np.int64)
    return np.bincount(weight, weights=autocorrelation, minlength=n + 1)


def overlap_counts(samples: np.ndarray, other: np.ndarray | None = None,
                   chunk: int = 1024) -> np.ndarray:
    """Histogram of Hamming distances over sample pairs: int64 (N+1,).

    Args:
        samples: +-1 (B, N), independent samples.
        other: +-1 (B', N): count every pair (a in samples, b in other); None: every pair
            a < b within ``samples`` (B (B - 1) / 2 pairs).
        chunk: rows per block; memory is O(chunk^2), whatever B (20,000 samples would need
            1.6 GB as one float32 overlap matrix).
    """
    x = np.asarray(samples, dtype=np.float32)
    y = x if other is None else np.asarray(other, dtype=np.float32)
    n = x.shape[1]
    counts = np.zeros(n + 1, dtype=np.int64)
    for a in range(0, len(x), chunk):
        start = a if other is None else 0
        for b in range(start, len(y), chunk):
            dots = np.rint(x[a:a + chunk] @ y[b:b + chunk].T).astype(np.int64)
            if other is None and a == b:     # the diagonal block: pairs a < b only
                dots = dots[np.triu_indices(len(dots), k=1)]
            counts += np.bincount(((n - dots) // 2).ravel(), minlength=n + 1)
    return counts


def binned_overlaps(weights: np.ndarray, n: int, binning: str) -> tuple[np.ndarray, np.ndarray]:
    """(q bin centres, increasing; density) from weights over Hamming distances d = 0..N
    (pair counts or probabilities).

    'aligned': one bin of width 2/N per allowed q value; 'paper50': numpy's histogram with 50
    bins on [-1, 1] and density=True, as the published panels (it aliases at small N).
    """
    w = np.asarray(weights, dtype=np.float64)
    q = overlap_values(n)
    if binning == "aligned":
        return q[::-1], (w / w.sum() / (2.0 / n))[::-1]
    if binning != "paper50":
        raise ValueError(f"binning must be 'aligned' or 'paper50', got {binning!r}")
    density, edges = np.histogram(q, bins=50, range=(-1.0, 1.0), weights=w, density=True)
    return (edges[:-1] + edges[1:]) / 2, density


def fold(distribution: np.ndarray) -> np.ndarray:
    """P(|q|) on q >= 0 from P(d) (N+1,): P(q) + P(-q), the q = 0 value once. Returns (n//2+1,)
    indexed from |q| = 1 (d = 0) down to the smallest |q|."""
    p = np.asarray(distribution, dtype=np.float64)
    n = p.size - 1
    half = n // 2 + 1
    out = p[:half] + p[::-1][:half]
    if n % 2 == 0:
        out[-1] = p[n // 2]                  # q = 0 is its own mirror image
    return out
