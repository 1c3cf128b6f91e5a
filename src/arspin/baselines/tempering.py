"""Parallel tempering (replica exchange Monte Carlo), vectorised over replicas and chains.

R replicas per chain sit at a geometric ladder beta_0 < ... < beta_{R-1}; C independent chains
run side by side (C x R columns of one (N, C R) spin array). One sweep updates every spin once
with the Metropolis rule: the spins are split into colour classes of a proper graph colouring
(no bond inside a class), and all spins of a class are updated at once in every column,
which is exact because their conditional distributions are independent given the other
classes. After each sweep, neighbouring temperatures swap with probability
min(1, exp[(beta_k - beta_{k+1}) (E_k - E_{k+1})]), even pairs on even sweeps and odd pairs
on odd sweeps; swaps exchange temperature labels, not configurations.

Hand-written (numpy) because no maintained Python library offers a vectorised tempering
sampler for arbitrary sparse Ising models; correctness is tested against exact enumeration
(equilibrium energy at every beta) in tests/test_groundstate.py.

Energies are tracked incrementally in float64 (exact for integer couplings) and recomputed
exactly every ``_RESYNC`` sweeps and for the returned configuration.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

import networkx as nx
import numpy as np

from arspin.baselines.best import GroundState, verified_energy
from arspin.hamiltonian import IsingModel

log = logging.getLogger("arspin")

_RESYNC = 256  # sweeps between exact energy recomputations (bounds float drift for real J)


def geometric_ladder(beta_min: float, beta_max: float, replicas: int) -> np.ndarray:
    """float64 (replicas,) betas from beta_min to beta_max with a constant ratio."""
    if not 0 < beta_min <= beta_max or replicas < 1:
        raise ValueError(f"need 0 < beta_min <= beta_max and replicas >= 1, got "
                         f"{beta_min}, {beta_max}, {replicas}")
    if replicas == 1:
        return np.array([float(beta_max)])
    return np.geomspace(beta_min, beta_max, replicas)


def colour_classes(model: IsingModel) -> list[np.ndarray]:
    """Spins split into independent sets (int64 index arrays), few classes first.

    Bipartite graphs (even-L lattices) get their 2-colouring; otherwise networkx's greedy
    largest-first colouring (at most max degree + 1 classes).
    """
    graph = nx.Graph()
    graph.add_nodes_from(range(model.n))
    graph.add_edges_from(zip(model.i.tolist(), model.j.tolist()))
    if nx.is_bipartite(graph):
        colour = nx.bipartite.color(graph)
    else:
        colour = nx.greedy_color(graph, strategy="largest_first")
    labels = np.array([colour[v] for v in range(model.n)])
    return [np.flatnonzero(labels == c) for c in np.unique(labels)]


@dataclass(frozen=True)
class TemperingRun:
    """Outcome of :func:`run_tempering`.

    Attributes:
        betas: (R,) the ladder.
        mean_energy: (C, R) time average of H (total) per chain and beta over the measured sweeps.
        mean_energy_sq: (C, R) time average of H^2.
        swap_rate: (R-1,) accepted fraction of proposed swaps between beta_k and beta_{k+1}.
        best_energy: lowest H seen at the end of any sweep, any column.
        best_configuration: int8 (N,) the configuration with that energy.
        sweeps_done, measured: sweeps run in total, and after burn-in.
        seconds: wall time of the sweeps.
        samples: int8 (K, C, R, N) configurations stored every ``record_every`` sweeps after
            burn-in, per chain and beta (None when not asked for): Boltzmann samples for
            estimators that need configurations (e.g. a lower bound on F).
    """

    betas: np.ndarray
    mean_energy: np.ndarray
    mean_energy_sq: np.ndarray
    swap_rate: np.ndarray
    best_energy: float
    best_configuration: np.ndarray
    sweeps_done: int
    measured: int
    seconds: float
    samples: np.ndarray | None = None


def run_tempering(model: IsingModel, betas, sweeps: int, chains: int = 1, seed: int = 0,
                  burn_in: int | None = None, time_limit: float | None = None,
                  record_every: int = 0) -> TemperingRun:
    """Run C independent parallel-tempering chains over the ladder ``betas``.

    Args:
        model: the instance (sparse or dense, fields allowed).
        betas: (R,) increasing inverse temperatures.
        sweeps: Metropolis sweeps per replica (each followed by one round of swaps).
        chains: independent chains C (independent statistics for error bars).
        seed: seed of numpy's default_rng; random starts, Metropolis and swap draws use it.
        burn_in: sweeps discarded before measuring (default sweeps // 4).
        time_limit: seconds; stop early (sweeps_done < sweeps) when exceeded.
        record_every: store every chain's configuration at every beta each this many
            measured sweeps (0: none).
    Returns:
        :class:`TemperingRun`.
    """
    betas = np.asarray(betas, dtype=np.float64)
    if betas.ndim != 1 or np.any(np.diff(betas) <= 0) or np.any(betas <= 0):
        raise ValueError("betas must be a strictly increasing 1-d array of values > 0")
    if sweeps < 1 or chains < 1:
        raise ValueError(f"sweeps and chains must be >= 1, got {sweeps}, {chains}")
    burn_in = sweeps // 4 if burn_in is None else burn_in
    rng = np.random.default_rng(seed)
    n, r = model.n, betas.size
    m = chains * r
    mat = model.coupling_matrix
    classes = colour_classes(model)
    rows = [mat[c].toarray() if model.is_dense() else mat[c] for c in classes]
    fields = [model.h[c][:, None] for c in classes]

    x = rng.choice(np.array([-1.0, 1.0]), size=(n, m))       # spins, column = replica
    energy = model.energy(x.T)                                 # (M,)
    col_of = np.arange(m).reshape(chains, r)                   # column holding (chain, beta_k)
    beta_col = np.tile(betas, chains)                          # beta of each column
    best_e, best_x = np.inf, None
    sum_e, sum_e2 = np.zeros((chains, r)), np.zeros((chains, r))
    swaps_tried, swaps_done = np.zeros(max(r - 1, 0)), np.zeros(max(r - 1, 0))
    t0, done, measured = time.perf_counter(), 0, 0
    records = []
    deadline = None if time_limit is None else t0 + time_limit
    for sweep in range(sweeps):
        for c, jc, hc in zip(classes, rows, fields):
            xc = x[c]
            d_e = 2.0 * xc * (jc @ x + hc)                    # H change of flipping each spin
            flip = rng.random(d_e.shape) < np.exp(np.minimum(0.0, -beta_col * d_e))
            x[c] = np.where(flip, -xc, xc)
            energy += np.where(flip, d_e, 0.0).sum(0)
        done = sweep + 1
        if done % _RESYNC == 0:
            energy = model.energy(x.T)
        k = int(np.argmin(energy))
        if energy[k] < best_e:
            best_e, best_x = float(energy[k]), x[:, k].astype(np.int8)
        if r > 1:
            ks = np.arange(sweep % 2, r - 1, 2)
            p, q = col_of[:, ks], col_of[:, ks + 1]
            delta = (betas[ks] - betas[ks + 1]) * (energy[p] - energy[q])
            accept = rng.random(delta.shape) < np.exp(np.minimum(0.0, delta))
            col_of[:, ks], col_of[:, ks + 1] = np.where(accept, q, p), np.where(accept, p, q)
            beta_col[col_of] = betas
            swaps_tried[ks] += chains
            swaps_done[ks] += accept.sum(0)
        if sweep >= burn_in:
            e_kb = energy[col_of]
            sum_e += e_kb
            sum_e2 += e_kb ** 2
            measured += 1
            if record_every and measured % record_every == 0:
                records.append(x[:, col_of].transpose(1, 2, 0).astype(np.int8))
        if deadline is not None and time.perf_counter() > deadline:
            break
    seconds = time.perf_counter() - t0
    best_e, best_x = verified_energy(model, best_x, best_e, "parallel tempering", 1e3)
    norm = max(measured, 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = np.where(swaps_tried > 0, swaps_done / np.maximum(swaps_tried, 1), np.nan)
    return TemperingRun(
        betas=betas, mean_energy=sum_e / norm if measured else np.full((chains, r), np.nan),
        mean_energy_sq=sum_e2 / norm if measured else np.full((chains, r), np.nan),
        swap_rate=rate, best_energy=best_e, best_configuration=best_x, sweeps_done=done,
        measured=measured, seconds=seconds,
        samples=np.stack(records) if records else None)


def solve_pt(model: IsingModel, sweeps: int = 10_000, replicas: int = 32, chains: int = 1,
             beta_min: float = 0.1, beta_max: float = 5.0, seed: int = 0,
             time_limit: float | None = None) -> GroundState:
    """Lowest energy seen by parallel tempering: a heuristic upper bound (bound = -inf).

    Args:
        model: the instance.
        sweeps: sweeps per replica; replicas, beta_min, beta_max: the geometric ladder;
        chains: independent chains; seed: numpy seed; time_limit: seconds (stops early).
    Returns:
        GroundState, method "pt"; info records the ladder, sweeps done, swap rates, seconds.
    """
    betas = geometric_ladder(beta_min, beta_max, replicas)
    run = run_tempering(model, betas, sweeps, chains=chains, seed=seed, burn_in=sweeps,
                        time_limit=time_limit)
    updates = run.sweeps_done * betas.size * chains * model.n
    log.debug("PT: %d sweeps x %d replicas x %d chains in %.2f s, best %.6g", run.sweeps_done,
              betas.size, chains, run.seconds, run.best_energy)
    return GroundState(
        energy=run.best_energy, configuration=run.best_configuration, bound=-np.inf,
        proven_optimal=False, method="pt",
        info={"sweeps": int(sweeps), "sweeps_done": run.sweeps_done, "replicas": int(replicas),
              "chains": int(chains), "beta_min": float(beta_min), "beta_max": float(beta_max),
              "seconds": run.seconds,
              "min_swap_rate": float(np.nanmin(run.swap_rate)) if replicas > 1 else float("nan"),
              "spin_updates_per_second": updates / max(run.seconds, 1e-12),
              "proposals": int(updates)})
