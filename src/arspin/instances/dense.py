"""Fully connected models: Sherrington-Kirkpatrick (sk) and Curie-Weiss (cw).

sk: J_ij ~ Normal(0, 1/N) (standard deviation 1/sqrt(N)) for every pair i < j, h = 0; drawn
    from the instance's ``rng`` in one call, pairs in row-major upper-triangle order
    (``numpy.triu_indices(N, 1)``: (0,1), (0,2), ..., (1,2), ...).
cw: J_ij = J/N for every pair, h_i = h; no randomness (every index gives the same model).

Seed rule ``h2arnn-reference`` (sk): the H2ARNN paper's own instances, regenerated exactly:
numpy's legacy generator seeded with the instance seed s (the paper uses s = 1..10), then
J[i, j] = normal(0, 1/sqrt(N)) for i = 0..N-1, j < i in that order (check: s = 1, N = 100
gives J[1, 0] = 0.162435).
"""

from __future__ import annotations

import numpy as np

from arspin.errors import ArspinError
from arspin.hamiltonian import IsingModel


def _check_n(n: int) -> None:
    if n < 2:
        raise ArspinError(f"size: a fully connected model needs N >= 2 spins, got {n}")


def build_sk(n: int, rng: np.random.Generator) -> IsingModel:
    """SK instance with N = n spins, couplings of variance 1/N."""
    _check_n(n)
    i, j = np.triu_indices(n, 1)
    J = rng.normal(0.0, 1.0 / np.sqrt(n), size=i.size)
    return IsingModel.from_edges(n, i, j, J)


def build_cw(n: int, rng: np.random.Generator, J: float, h: float) -> IsingModel:
    """Curie-Weiss model: H = -(J/N) sum_{i<j} x_i x_j - h sum_i x_i. ``rng`` is unused."""
    del rng  # deterministic family; the argument keeps the builder signature uniform
    _check_n(n)
    i, j = np.triu_indices(n, 1)
    return IsingModel.from_edges(n, i, j, np.full(i.size, J / n), h=np.full(n, float(h)))


def build_sk_h2arnn_reference(n: int, seed: int) -> IsingModel:
    """The H2ARNN paper's SK instance of N = n spins and seed ``seed`` (see the module doc)."""
    _check_n(n)
    # RandomState: the paper's np.random.seed(s) stream; one vector draw equals the paper's
    # scalar draws in its loop order (row-major lower triangle)
    draws = np.random.RandomState(seed).normal(0.0, 1.0 / np.sqrt(n), size=n * (n - 1) // 2)
    rows, cols = np.tril_indices(n, -1)
    return IsingModel.from_edges(n, cols, rows, draws)
