"""Simulated annealing with ``dwave-samplers`` (C++ Metropolis, ~40-70 M spin updates/s).

A heuristic: the energy it returns is an upper bound on the ground-state energy, never a proof
(bound = -inf, proven_optimal = False). Sign convention: dimod's spin models read
E(s) = sum_i a_i s_i + sum_{i<j} b_ij s_i s_j + c, so H of physics.md section 1 is a = -h,
b = -J, c = 0; every returned energy is re-verified with :meth:`IsingModel.energy`.

Why a library: the annealer is a tight C++ loop with a tuned default schedule (geometric in
beta from a start where the hottest spin flips with probability ~1/2 to an end where the
coldest one flips with probability ~1%); re-implementing it in Python would be ~100x slower.
"""

from __future__ import annotations

import logging
import time

import dimod
import numpy as np
from dwave.samplers import SimulatedAnnealingSampler

from arspin.baselines.best import GroundState, verified_energy
from arspin.hamiltonian import IsingModel

log = logging.getLogger("arspin")


def to_bqm(model: IsingModel) -> dimod.BinaryQuadraticModel:
    """The model as a dimod spin BQM with variables 0..N-1 and energy equal to H."""
    return dimod.BinaryQuadraticModel.from_numpy_vectors(
        -model.h, (model.i, model.j, -model.J), 0.0, dimod.SPIN)


def solve_sa(model: IsingModel, sweeps: int = 1000, reads: int = 100, seed: int = 0,
             beta_range: tuple[float, float] | None = None,
             time_limit: float | None = None, schedule: str = "geometric",
             sweeps_per_beta: int = 1) -> GroundState:
    """Best of ``reads`` independent annealing runs of ``sweeps`` Metropolis sweeps each.

    Args:
        model: the instance.
        sweeps: sweeps per read (one sweep = N single-spin Metropolis updates).
        reads: independent runs from uniformly random starts.
        seed: random seed, 0 <= seed < 2^32 (dwave-samplers' range).
        beta_range: (beta_hot, beta_cold) of the schedule; None = the library's default,
            derived from the couplings (recorded in info["beta_range"]).
        time_limit: seconds; reads not started by then are skipped (info["reads_done"]).
        schedule: "geometric" or "linear" in beta (the MPVAN paper's SA, mpvan.md section 7).
        sweeps_per_beta: sweeps at each temperature (sweeps / sweeps_per_beta temperatures).
    Returns:
        GroundState, method "sa", bound -inf; info: reads_done, sweeps, beta_range, schedule,
        sweeps_per_beta, seconds, spin_updates_per_second, proposals (single-spin Metropolis
        proposals made, reads_done x sweeps x N: the MPVAN paper's sample count), hits (reads
        that ended at the best energy). The energy is the lowest final state of the reads (the
        library returns each read's last state only).
    """
    if sweeps < 1 or reads < 1 or sweeps_per_beta < 1:
        raise ValueError(f"sweeps, reads and sweeps_per_beta must be >= 1, got {sweeps}, "
                         f"{reads}, {sweeps_per_beta}")
    if schedule not in ("geometric", "linear"):
        raise ValueError(f"schedule must be 'geometric' or 'linear', got {schedule!r}")
    if sweeps % sweeps_per_beta:
        raise ValueError(f"sweeps ({sweeps}) must be a multiple of sweeps_per_beta "
                         f"({sweeps_per_beta})")
    if not 0 <= seed < 2**32:
        raise ValueError(f"seed must be in [0, 2^32), got {seed}")
    bqm = to_bqm(model)
    t0 = time.perf_counter()
    deadline = None if time_limit is None else t0 + time_limit
    interrupt = None if deadline is None else (lambda: time.perf_counter() > deadline)
    result = SimulatedAnnealingSampler().sample(
        bqm, num_reads=reads, num_sweeps=sweeps, seed=seed, beta_range=beta_range,
        beta_schedule_type=schedule, num_sweeps_per_beta=sweeps_per_beta,
        interrupt_function=interrupt)
    seconds = time.perf_counter() - t0
    columns = np.argsort(np.fromiter(result.variables, dtype=np.int64, count=model.n))
    samples = result.record.sample[:, columns]
    energies = np.asarray(result.record.energy, dtype=np.float64)
    if samples.shape[0] == 0:
        raise RuntimeError(f"simulated annealing finished no read within {time_limit} s")
    # the library sums in double precision in a different order: allow rounding differences
    k = int(np.argmin(energies))
    energy, x = verified_energy(model, samples[k], energies[k], "simulated annealing", 1e3)
    n_reads = int(result.record.num_occurrences.sum())
    hits = int(result.record.num_occurrences[np.abs(energies - energies[k]) < 1e-9 *
                                             (1 + abs(energy))].sum())
    bh, bc = result.info.get("beta_range", (np.nan, np.nan))
    log.debug("SA: %d reads x %d sweeps in %.2f s, best %.6g (%d hits)", n_reads, sweeps,
              seconds, energy, hits)
    return GroundState(
        energy=energy, configuration=x, bound=-np.inf, proven_optimal=False, method="sa",
        info={"reads": int(reads), "reads_done": n_reads, "sweeps": int(sweeps),
              "beta_range": [float(bh), float(bc)], "schedule": schedule,
              "sweeps_per_beta": int(sweeps_per_beta), "seconds": seconds,
              "proposals": n_reads * int(sweeps) * model.n,
              "spin_updates_per_second": n_reads * sweeps * model.n / max(seconds, 1e-12),
              "hits": hits})
