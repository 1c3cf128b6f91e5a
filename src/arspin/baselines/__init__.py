"""Ground-state baselines: exact (HiGHS max-cut ILP), simulated annealing, parallel tempering,
and the best-of combination. All energies are TOTAL energies H(x); see docs/groundstate.md.
Import-light on purpose (each job imports only its own solver; arspin.sources):

    maxcut_ilp.solve_ilp(model, time_limit=60, threads=1, initial=None, cycles=True)
    annealing.solve_sa(model, sweeps=1000, reads=100, seed=0, beta_range=None, time_limit=None)
    tempering.solve_pt(model, sweeps=10_000, replicas=32, chains=1, beta_min=0.1, beta_max=5)
    tempering.run_tempering(model, betas, sweeps, chains=1, seed=0, burn_in=None)
    best.best_of(model, [(name, GroundState), ...]) -> GroundState
    dispatch.solve(model, method, settings)   -> the solver a `groundstate` job runs
"""
