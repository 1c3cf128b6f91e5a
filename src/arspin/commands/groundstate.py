"""`arspin groundstate`: ground-state reference of one instance (see docs/groundstate.md).

    arspin groundstate --instance X.h5 --method exact|sa|pt|best --out G.h5
        [--time-limit S] [--threads T] [--sweeps K] [--reads R] [--seed S]
        [--replicas R --beta-min B --beta-max B]      (pt)
        [--schedule linear --sweeps-per-beta K --beta-min B --beta-max B]   (sa)
        [--warm-start sa|none] [--no-cycles]          (exact)
        [--runs RUN.h5 ...] [--sources G.h5 ...]      (best)
        [--labels JSON]                               (stored with the result)

Writes a `groundstate` file: energy (TOTAL H), configuration, bound (lower bound on H, -inf
for heuristics), proven_optimal, and the solver's details as attributes.
"""

from __future__ import annotations

import argparse
import json
import logging
import math
from pathlib import Path

import numpy as np

from arspin.baselines.dispatch import METHODS
from arspin.errors import ArspinError

log = logging.getLogger("arspin")



def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("groundstate", help="ground-state reference: exact (HiGHS), SA, PT or "
                       "the best of several sources")
    p.add_argument("--instance", required=True, type=Path, help="instance .h5")
    p.add_argument("--method", required=True, choices=METHODS,
                   help="exact: max-cut ILP in HiGHS (proves optimality when it finishes); "
                   "sa: simulated annealing (dwave-samplers); pt: parallel tempering; "
                   "best: lowest energy of --runs and --sources")
    p.add_argument("--out", required=True, type=Path, help="output groundstate .h5")
    p.add_argument("--time-limit", type=float, default=60.0, metavar="SECONDS",
                   help="wall-time limit of the solver (default 60)")
    p.add_argument("--threads", type=int, default=1, help="HiGHS threads (exact; default 1)")
    p.add_argument("--sweeps", type=int, default=None,
                   help="sweeps per read (sa, default 1000), per replica (pt, default 10000), "
                   "of the warm start (exact, default 200)")
    p.add_argument("--reads", type=int, default=None,
                   help="independent reads (sa, default 100), chains (pt, default 1), "
                   "warm-start reads (exact, default 10)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p.add_argument("--replicas", type=int, default=32, help="pt: replicas (default 32)")
    p.add_argument("--beta-min", type=float, default=None,
                   help="hottest beta (pt default 0.1; sa: give both or neither, default from "
                   "the couplings)")
    p.add_argument("--beta-max", type=float, default=None, help="coldest beta (pt default 5)")
    p.add_argument("--schedule", choices=("geometric", "linear"), default="geometric",
                   help="sa: beta schedule between --beta-min and --beta-max (default "
                   "geometric)")
    p.add_argument("--sweeps-per-beta", type=int, default=1,
                   help="sa: sweeps at each temperature; --sweeps must be a multiple "
                   "(default 1)")
    p.add_argument("--warm-start", choices=("sa", "none"), default="sa",
                   help="exact: start HiGHS from a short annealing run (default sa)")
    p.add_argument("--no-cycles", action="store_true",
                   help="exact: drop the cycle inequalities (plain formulation, for comparison)")
    p.add_argument("--labels", default=None, metavar="JSON",
                   help="labels stored with the result (a JSON object, e.g. set, size, index, "
                   "net, protocol, seed: how a paper's aggregation identifies a baseline run)")
    p.add_argument("--runs", type=Path, nargs="*", default=[], metavar="RUN.h5",
                   help="best: training results (their best_configuration)")
    p.add_argument("--sources", type=Path, nargs="*", default=[], metavar="G.h5",
                   help="best: other groundstate files")
    p.set_defaults(func=run)


def _check(args: argparse.Namespace) -> None:
    if args.time_limit <= 0 or not math.isfinite(args.time_limit):
        raise ArspinError(f"--time-limit: must be a positive number, got {args.time_limit}")
    for name in ("threads", "sweeps", "reads", "replicas", "sweeps_per_beta"):
        value = getattr(args, name)
        if value is not None and value < 1:
            raise ArspinError(f"--{name}: must be >= 1, got {value}")
    if not 0 <= args.seed < 2**32:
        raise ArspinError(f"--seed: must be in [0, 2^32), got {args.seed}")
    lo = 0.1 if args.beta_min is None else args.beta_min
    hi = 5.0 if args.beta_max is None else args.beta_max
    if args.method in ("pt", "sa") and not 0 < lo <= hi:
        raise ArspinError(f"--beta-min/--beta-max: need 0 < beta_min <= beta_max, got "
                          f"{args.beta_min}, {args.beta_max}")
    if args.method == "sa" and (args.beta_min is None) != (args.beta_max is None):
        raise ArspinError("--beta-min/--beta-max: sa needs both or neither")
    sweeps = args.sweeps or 1000
    if args.method == "sa" and sweeps % args.sweeps_per_beta:
        raise ArspinError(f"--sweeps: {sweeps} is not a multiple of --sweeps-per-beta "
                          f"{args.sweeps_per_beta}")
    if args.labels is not None:
        try:
            labels = json.loads(args.labels)
        except json.JSONDecodeError as exc:
            raise ArspinError(f"--labels: not JSON ({exc})") from None
        if not isinstance(labels, dict):
            raise ArspinError(f"--labels: must be a JSON object, got {args.labels!r}")
    if args.method == "best" and not (args.runs or args.sources):
        raise ArspinError("--method best: give at least one --runs or --sources file")
    if args.method != "best" and (args.runs or args.sources):
        raise ArspinError(f"--runs/--sources: only used with --method best, not {args.method}")


def write_groundstate(path: Path, model, result, instance: Path, attrs: dict) -> None:
    """Write a GroundState as a `groundstate` file; solver details become attributes."""
    from arspin import io
    from arspin.baselines.best import verified_energy

    energy, x = verified_energy(model, result.configuration, result.energy, result.method)
    data = {"energy": np.float64(energy), "configuration": x,
            "bound": np.float64(result.bound)}
    if result.sources:
        data["sources"] = np.array([name for name, _ in result.sources], dtype=str)
        data["source_energies"] = np.array([e for _, e in result.sources], dtype=np.float64)
    details = {k: (json.dumps(v) if isinstance(v, (list, dict)) else v)
               for k, v in result.info.items()}
    clash = set(details) & set(attrs)
    if clash:  # a solver detail must never overwrite a schema attribute
        raise ValueError(f"solver details collide with attributes {sorted(clash)}")
    io.write(path, "groundstate", data, {
        **details, **attrs, "n": model.n, "instance": str(instance),
        "proven_optimal": bool(result.proven_optimal)})


def run(args: argparse.Namespace) -> int:
    from arspin import io

    _check(args)
    io.refuse_overwriting_inputs([args.out], [args.instance, *args.runs, *args.sources])
    from arspin.baselines.dispatch import Settings, solve

    model = io.read_instance(args.instance)
    settings = Settings(time_limit=args.time_limit, threads=args.threads, sweeps=args.sweeps,
                        reads=args.reads, seed=args.seed, replicas=args.replicas,
                        beta_min=args.beta_min, beta_max=args.beta_max,
                        schedule=args.schedule, sweeps_per_beta=args.sweeps_per_beta,
                        warm_start=args.warm_start, cycles=not args.no_cycles,
                        runs=list(args.runs), sources=list(args.sources))
    result, params = solve(model, args.method, settings)
    label = result.method  # ilp | sa | pt | best-of
    seeded = args.method in ("sa", "pt") or (args.method == "exact" and args.warm_start == "sa")
    attrs = {"method": label, **io.provenance("arspin groundstate", {"method": args.method,
                                                                     **params},
                                              args.seed if seeded else None)}
    if args.labels is not None:
        attrs["labels"] = json.dumps(json.loads(args.labels), sort_keys=True)
    write_groundstate(args.out, model, result, args.instance, attrs)
    log.info("wrote %s: N=%d, %s energy %.10g (bound %.10g, proven optimal: %s)", args.out,
             model.n, label, result.energy, result.bound, result.proven_optimal)
    return 0
