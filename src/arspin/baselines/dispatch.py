"""Which solver a ground-state job runs, with which settings (`arspin groundstate --method`).

    solve(model, method, settings) -> (GroundState, parameters recorded in the result file)

The solvers are imported by name (:data:`SOLVER_MODULES`), so that a job's code inputs are its
own solver's modules and not every solver's (arspin.sources; the workflow's code lists). The
exact ILP is warm-started by a short annealing run, hence its two modules.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

from arspin.baselines.best import GroundState, best_of, energy_tolerance
from arspin.errors import ArspinError
from arspin.hamiltonian import IsingModel

_ILP, _SA, _PT = "arspin.baselines.maxcut_ilp", "arspin.baselines.annealing", \
    "arspin.baselines.tempering"
SOLVER_MODULES: dict[str, tuple[str, ...]] = {"exact": (_ILP, _SA), "sa": (_SA,), "pt": (_PT,),
                                              "best": ()}
METHODS = tuple(SOLVER_MODULES)
DEFAULT_SWEEPS = {"sa": 1000, "pt": 10_000, "exact": 200}   # exact: the SA warm start
DEFAULT_READS = {"sa": 100, "pt": 1, "exact": 10}


@dataclass(frozen=True)
class Settings:
    """A solver's settings (None: the method's default of DEFAULT_SWEEPS / DEFAULT_READS).

    time_limit is in seconds; sweeps and reads mean per-read sweeps and reads (sa), sweeps per
    replica and chains (pt), the warm start's sweeps and reads (exact)."""

    time_limit: float = 60.0
    threads: int = 1
    sweeps: int | None = None
    reads: int | None = None
    seed: int = 0
    replicas: int = 32
    beta_min: float | None = None     # None: pt 0.1, sa the library's range from the couplings
    beta_max: float | None = None     # None: pt 5.0
    schedule: str = "geometric"       # sa: geometric or linear in beta
    sweeps_per_beta: int = 1          # sa
    warm_start: str = "sa"
    cycles: bool = True
    runs: list[Path] = field(default_factory=list)
    sources: list[Path] = field(default_factory=list)


def _module(name: str) -> ModuleType:
    return importlib.import_module(name)


def solve(model: IsingModel, method: str, s: Settings) -> tuple[GroundState, dict[str, Any]]:
    """Run ``method`` (exact, sa, pt or best) on ``model``; returns (result, its parameters)."""
    if method not in SOLVER_MODULES:
        raise ArspinError(f"--method {method}: choose from {', '.join(METHODS)}")
    sweeps = s.sweeps or DEFAULT_SWEEPS.get(method)
    reads = s.reads or DEFAULT_READS.get(method)
    if method == "exact":
        params = {"time_limit": s.time_limit, "threads": s.threads, "cycles": s.cycles,
                  "warm_start": s.warm_start}
        start = None
        if s.warm_start == "sa":
            params.update(warm_start_sweeps=sweeps, warm_start_reads=reads)
            start = _module(_SA).solve_sa(model, sweeps=sweeps, reads=reads, seed=s.seed,
                                          time_limit=0.1 * s.time_limit).configuration
        return _module(_ILP).solve_ilp(model, time_limit=s.time_limit, threads=s.threads,
                                       initial=start, cycles=s.cycles), params
    if method == "sa":
        given = s.beta_min is not None and s.beta_max is not None
        beta_range = (s.beta_min, s.beta_max) if given else None
        params = {"sweeps": sweeps, "reads": reads, "time_limit": s.time_limit,
                  "schedule": s.schedule, "sweeps_per_beta": s.sweeps_per_beta}
        if given:
            params.update(beta_min=s.beta_min, beta_max=s.beta_max)
        return _module(_SA).solve_sa(model, sweeps=sweeps, reads=reads, seed=s.seed,
                                     time_limit=s.time_limit, beta_range=beta_range,
                                     schedule=s.schedule, sweeps_per_beta=s.sweeps_per_beta), params
    if method == "pt":
        beta_min = 0.1 if s.beta_min is None else s.beta_min
        beta_max = 5.0 if s.beta_max is None else s.beta_max
        params = {"sweeps": sweeps, "chains": reads, "replicas": s.replicas,
                  "beta_min": beta_min, "beta_max": beta_max, "time_limit": s.time_limit}
        return _module(_PT).solve_pt(model, sweeps=sweeps, replicas=s.replicas, chains=reads,
                                     beta_min=beta_min, beta_max=beta_max, seed=s.seed,
                                     time_limit=s.time_limit), params
    candidates = [_from_run(model, p) for p in s.runs]
    candidates += [_from_groundstate(model, p) for p in s.sources]
    return best_of(model, candidates), {"runs": [str(p) for p in s.runs],
                                        "sources": [str(p) for p in s.sources]}


def _checked_configuration(model: IsingModel, path: Path, kind: str, x_field: str,
                           e_field: str):
    """(record, configuration, energy) of a result file whose stored energy must be H(x)."""
    from arspin import io

    rec = io.read(path, kind)
    if rec.attrs["n"] != model.n:
        raise ArspinError(f"{path}: field 'n': {rec.attrs['n']} spins, the instance has "
                          f"{model.n}")
    x = rec.data[x_field]
    energy, claimed = float(model.energy(x)), float(rec.data[e_field])
    if abs(energy - claimed) > 1e3 * energy_tolerance(model):
        raise ArspinError(f"{path}: field '{e_field}': {claimed!r} is not the energy of "
                          f"{x_field} on this instance ({energy!r}); another instance?")
    return rec, x, energy


def _from_run(model: IsingModel, path: Path) -> tuple[str, GroundState]:
    """A training result as a candidate; its best_energy must be H(best_configuration)."""
    rec, x, energy = _checked_configuration(model, path, "run", "best_configuration",
                                            "best_energy")
    return f"run:{rec.attrs['net']}:{path}", GroundState(energy, x, -np.inf, False, "run")


def _from_groundstate(model: IsingModel, path: Path) -> tuple[str, GroundState]:
    rec, x, energy = _checked_configuration(model, path, "groundstate", "configuration",
                                            "energy")
    method = rec.attrs["method"]
    return f"{method}:{path}", GroundState(energy, x, float(rec.data["bound"]),
                                           bool(rec.attrs["proven_optimal"]), method)
