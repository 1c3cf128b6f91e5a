"""`arspin aggregate twobo`: result files -> tidy CSV tables (docs/figures.md).

    arspin aggregate twobo --runs R1.h5 ... [--exact E1.h5 ...] [--groundstates G1.h5 ...]
        [--instances I1.h5 ...] --out-dir results/twobo/tables
        [--tables free_energy,curves,energy_min,parameters] [--curve-betas 0.5,1.5,3.0]
        [--curve-protocols anneal]
        [--param-sizes 'ea2d=2:64;ea3d=2:24;rrg=32,64,128,256,512,1024'] [--param-instances rrg=10]

Runs carry their labels (attribute ``labels``); exact references and ground states are matched
to runs by their ``instance`` attribute, so the files may come in any order.
"""

from __future__ import annotations

import argparse
import logging
import time
from pathlib import Path

from arspin.errors import ArspinError

log = logging.getLogger("arspin")

TABLE_NAMES = ("free_energy", "curves", "energy_min", "parameters")


def parse_sizes(text: str) -> dict[str, tuple[int, ...]]:
    """'ea2d=2:64;rrg=32,64' -> {'ea2d': (2, ..., 64), 'rrg': (32, 64)} (START:STOP inclusive)."""
    out = {}
    for part in filter(None, (p.strip() for p in text.split(";"))):
        family, sep, spec = part.partition("=")
        try:
            if not sep:
                raise ValueError
            if ":" in spec:
                start, stop = (int(v) for v in spec.split(":"))
                sizes = tuple(range(start, stop + 1))
            else:
                sizes = tuple(int(v) for v in spec.split(",") if v.strip())
        except ValueError:
            raise ArspinError(f"--param-sizes '{part}': expected FAMILY=START:STOP or "
                              f"FAMILY=A,B,C") from None
        if not sizes or min(sizes) < 1:
            raise ArspinError(f"--param-sizes '{part}': need sizes >= 1")
        out[family.strip()] = sizes
    return out


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("aggregate", help="aggregate result files into tidy CSV tables",
                            description=__doc__.split("\n\n")[0])
    parser.add_argument("paper", choices=["twobo"], help="which paper's tables")
    parser.add_argument("--runs", nargs="*", type=Path, default=[], metavar="RUN.h5",
                        help="training results (kind run, with a labels attribute)")
    parser.add_argument("--exact", nargs="*", type=Path, default=[], metavar="EXACT.h5",
                        help="exact references (kind exact), matched by instance path")
    parser.add_argument("--groundstates", nargs="*", type=Path, default=[], metavar="GS.h5",
                        help="ground-state references (kind groundstate), matched by instance")
    parser.add_argument("--instances", nargs="*", type=Path, default=[], metavar="INST.h5",
                        help="instance files; every run's instance must be one of them")
    parser.add_argument("--out-dir", required=True, type=Path, help="folder of the CSV tables")
    parser.add_argument("--tables", default=",".join(TABLE_NAMES),
                        help=f"comma-separated subset of {', '.join(TABLE_NAMES)} (default all)")
    parser.add_argument("--curve-betas", default="0.5,1.5,3.0",
                        help="betas whose per-step F goes into curves.csv (Fig. 3)")
    parser.add_argument("--curve-protocols", default="anneal",
                        help="protocols whose runs go into curves.csv, comma-separated, or "
                             "'all' (default anneal)")
    parser.add_argument("--param-sizes", default=None,
                        help="parameters.csv sizes, e.g. 'ea2d=2:64;ea3d=2:24;rrg=32,64' "
                             "(default: the TwoBo reference ranges)")
    parser.add_argument("--param-instances", default="rrg=10",
                        help="instances averaged per size, e.g. 'rrg=10' (default; others 1)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from arspin.aggregate import (
        PARAMETER_INSTANCES,
        PARAMETER_SIZES,
        aggregate_twobo,
        parameter_table,
        write_table,
    )

    wanted = [t.strip() for t in args.tables.split(",") if t.strip()]
    unknown = sorted(set(wanted) - set(TABLE_NAMES))
    if unknown:
        raise ArspinError(f"--tables: unknown {unknown}; choose from {', '.join(TABLE_NAMES)}")
    try:
        curve_betas = tuple(float(b) for b in args.curve_betas.split(",") if b.strip())
    except ValueError:
        raise ArspinError(f"--curve-betas '{args.curve_betas}': expected numbers") from None
    start = time.perf_counter()
    tables = {}
    if set(wanted) & {"free_energy", "curves", "energy_min"}:
        tables.update(aggregate_twobo(args.runs, args.exact, args.groundstates, args.instances,
                                      curve_betas=curve_betas,
                                      curve_protocols=None if args.curve_protocols == "all"
                                      else tuple(args.curve_protocols.split(","))))
    if "parameters" in wanted:
        sizes = parse_sizes(args.param_sizes) if args.param_sizes else PARAMETER_SIZES
        counts = {**PARAMETER_INSTANCES, **{k: v[0] for k, v in
                                            parse_sizes(args.param_instances).items()}}
        tables["parameters"] = parameter_table(sizes, counts)
    for name in wanted:
        path = args.out_dir / f"{name}.csv"
        write_table(path, tables[name])
        log.info("wrote %s (%d rows)", path, len(tables[name]))
    log.info("aggregation took %.1f s", time.perf_counter() - start)
    return 0
