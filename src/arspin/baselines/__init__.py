"""Ground-state baselines: exact (HiGHS max-cut ILP), simulated annealing, parallel tempering,
and the best-of combination. All energies are TOTAL energies H(x); see docs/groundstate.md.

    solve_ilp(model, time_limit=60, threads=1, initial=None, cycles=True) -> GroundState
    solve_sa(model, sweeps=1000, reads=100, seed=0, beta_range=None, time_limit=None)
    solve_pt(model, sweeps=10_000, replicas=32, chains=1, beta_min=0.1, beta_max=5, seed=0)
    run_tempering(model, betas, sweeps, chains=1, seed=0, burn_in=None) -> TemperingRun
    best_of(model, [(name, GroundState), ...]) -> GroundState
"""

from arspin.baselines.annealing import solve_sa
from arspin.baselines.best import (
    EnergyMismatch,
    GroundState,
    best_of,
    energy_tolerance,
    proves_optimal,
    verified_energy,
)
from arspin.baselines.maxcut_ilp import solve_ilp
from arspin.baselines.tempering import TemperingRun, geometric_ladder, run_tempering, solve_pt

__all__ = [
    "EnergyMismatch", "GroundState", "TemperingRun", "best_of", "energy_tolerance",
    "geometric_ladder", "proves_optimal", "run_tempering", "solve_ilp", "solve_pt", "solve_sa",
    "verified_energy",
]
