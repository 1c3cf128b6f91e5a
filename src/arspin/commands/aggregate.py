"""`arspin aggregate PAPER`: result files -> the paper's tidy CSV tables (docs/figures.md).

    arspin aggregate twobo --runs R1.h5 ... [--exact E1.h5 ...] [--groundstates G1.h5 ...]
        [--instances I1.h5 ...] [--references R1.h5 ...] [--couplings C1.h5 ...] --out-dir results/twobo/quick/tables/fig2
        [--tables free_energy,energy_min] [--options '{"curve_betas": [0.5, 1.5, 3.0]}']

Runs carry their labels (attribute ``labels``); exact references and ground states are matched
to runs by their ``instance`` attribute, so the files may come in any order. Each paper's
tables and options: ``arspin aggregate PAPER --list``.
"""

from __future__ import annotations

import argparse
import logging
import time
from pathlib import Path

from arspin.errors import ArspinError
from arspin.papers import PAPERS

log = logging.getLogger("arspin")


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("aggregate", help="aggregate result files into a paper's tables",
                            description=__doc__.split("\n\n")[0])
    parser.add_argument("paper", choices=sorted(PAPERS), help="which paper's tables")
    parser.add_argument("--runs", nargs="*", type=Path, default=[], metavar="RUN.h5",
                        help="training results (kind run, with a labels attribute)")
    parser.add_argument("--exact", nargs="*", type=Path, default=[], metavar="EXACT.h5",
                        help="exact references (kind exact), matched by instance path")
    parser.add_argument("--groundstates", nargs="*", type=Path, default=[], metavar="GS.h5",
                        help="ground-state references (kind groundstate), matched by instance")
    parser.add_argument("--instances", nargs="*", type=Path, default=[], metavar="INST.h5",
                        help="instance files; every run's instance must be one of them")
    parser.add_argument("--references", nargs="*", type=Path, default=[], metavar="REF.h5",
                        help="independent free-energy references (kind reference, arspin "
                        "reference), matched by instance")
    parser.add_argument("--couplings", nargs="*", type=Path, default=[], metavar="FIT.h5",
                        help="first-layer fits (arspin learn-couplings)")
    parser.add_argument("--out-dir", type=Path, help="folder of the CSV tables")
    parser.add_argument("--tables", default=None,
                        help="comma-separated subset of the paper's tables (default all)")
    parser.add_argument("--options", default="{}", metavar="JSON",
                        help="the paper's aggregation options as a JSON object (see --list)")
    parser.add_argument("--list", action="store_true", help="list the tables and options")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from arspin.aggregate.runs import RunInputs
    from arspin.aggregate.table import write_table
    from arspin.io import refuse_overwriting_inputs
    from arspin.options import from_json
    from arspin.papers import wing

    schemas = wing(args.paper, "tables").SCHEMAS
    module = wing(args.paper, "aggregate")
    if args.list:
        print(f"tables: {', '.join(schemas)}")
        for key, (kind, default, help_) in module.OPTIONS.items():
            print(f"    {key} ({kind.__name__}): {help_} (default {default!r})")
        return 0
    if args.out_dir is None:
        raise ArspinError("aggregate: give --out-dir (or --list)")
    wanted = list(schemas) if args.tables is None else \
        [t.strip() for t in args.tables.split(",") if t.strip()]
    unknown = sorted(set(wanted) - set(schemas))
    if unknown:
        raise ArspinError(f"--tables: unknown {unknown}; {args.paper} has {', '.join(schemas)}")
    options = from_json(module.OPTIONS, args.options)
    refuse_overwriting_inputs([args.out_dir / f"{name}.csv" for name in wanted],
                              [*args.runs, *args.exact, *args.groundstates, *args.instances,
                               *args.references, *args.couplings])
    start = time.perf_counter()
    inputs = RunInputs(args.runs, args.exact, args.groundstates, args.instances,
                       args.references, args.couplings)
    tables = module.build(inputs, wanted, **options)
    for name in wanted:
        path = args.out_dir / f"{name}.csv"
        write_table(path, tables[name])
        log.info("wrote %s (%d rows)", path, len(tables[name]))
    log.info("aggregation took %.1f s", time.perf_counter() - start)
    return 0
