"""`arspin reference`: an independent free-energy reference of an instance by parallel
tempering and thermodynamic integration (arspin.reference), for sizes enumeration cannot reach.

    arspin reference --instance results/instances/sk-h2arnn/20/1.h5 --betas 0.1:2.0:20 \\
        --ladder 0.05:2.0:40 --sweeps 4000 --chains 8 --record-every 20 --out ref.h5
"""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from arspin.betas import parse_betas

log = logging.getLogger("arspin")


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "reference",
        help="free energy by parallel tempering + thermodynamic integration (any N)",
        description="Independent free-energy reference: parallel tempering over a beta ladder, "
        "thermodynamic integration from ln Z(0) = N ln 2, error bar from independent chains; "
        "stores Boltzmann samples at the requested betas (docs/references.md).")
    parser.add_argument("--instance", required=True, type=Path, help="instance .h5")
    parser.add_argument("--betas", required=True,
                        help="where F is wanted: '0.5,1,2' or 'START:STOP:COUNT'; each on the "
                        "ladder")
    parser.add_argument("--ladder", required=True,
                        help="replica betas, increasing from > 0, 'START:STOP:COUNT' or a list")
    parser.add_argument("--sweeps", type=int, default=4000,
                        help="Metropolis sweeps per replica, a quarter of them burn-in "
                        "(default 4000)")
    parser.add_argument("--chains", type=int, default=8,
                        help="independent PT chains, >= 2 (default 8)")
    parser.add_argument("--record-every", type=int, default=0,
                        help="store each chain's configuration every this many measured sweeps "
                        "(default 0: no samples)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the PT random numbers")
    parser.add_argument("--out", required=True, type=Path, help="output reference .h5")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import numpy as np

    from arspin import io
    from arspin.errors import ArspinError
    from arspin.reference import METHOD, pt_reference

    betas = parse_betas(args.betas)
    ladder = parse_betas(args.ladder)
    if np.any(np.diff(ladder) <= 0):
        raise ArspinError(f"--ladder: betas must increase, got {args.ladder!r}")
    if args.sweeps < 10:
        raise ArspinError(f"--sweeps: need at least 10, got {args.sweeps}")
    if args.record_every < 0:
        raise ArspinError(f"--record-every: must be >= 0, got {args.record_every}")
    io.refuse_overwriting_inputs([args.out], [args.instance])
    model = io.read_instance(args.instance)
    ref = pt_reference(model, betas, ladder, sweeps=args.sweeps, chains=args.chains,
                       seed=args.seed, record_every=args.record_every)
    data = {"beta": ref.beta, "log_z": ref.log_z, "log_z_se": ref.log_z_se,
            "free_energy": ref.free_energy, "free_energy_se": ref.free_energy_se,
            "energy": ref.energy, "ladder": ref.ladder, "swap_rate": ref.swap_rate}
    if ref.samples is not None:
        data["samples"] = ref.samples
    parameters = {"betas": betas.tolist(), "ladder": ladder.tolist(), "sweeps": args.sweeps,
                  "chains": args.chains, "record_every": args.record_every}
    attrs = {"n": model.n, "instance": str(args.instance), "method": METHOD,
             "seconds": ref.seconds, "sweeps_done": ref.sweeps_done,
             **io.provenance("arspin reference", parameters, args.seed)}
    io.write(args.out, "reference", data, attrs)
    log.info("wrote %s: N=%d, %d betas, %d replicas x %d chains, %d sweeps in %.1f s; "
             "min swap rate %.2f", args.out, model.n, betas.size, ladder.size, args.chains,
             ref.sweeps_done, ref.seconds, float(np.nanmin(ref.swap_rate))
             if ref.swap_rate.size else float("nan"))
    return 0
