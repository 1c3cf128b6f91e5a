"""`arspin table PAPER NAME`: one of a paper's own tables, as CSV and LaTeX.

    arspin table mpvan table1 --tables results/mpvan/quick/tables/table1
        --out results/mpvan/quick/paper_tables/table1.csv [-o KEY=VALUE ...]

Writes the CSV and a LaTeX ``table`` float beside it (table1.tex), both atomically.
``arspin table mpvan --list`` prints the tables with their options.
"""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from arspin.errors import ArspinError
from arspin.papers import PAPERS

log = logging.getLogger("arspin")


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("table", help="build one of a paper's tables (CSV + LaTeX)",
                            description=__doc__.split("\n\n")[0])
    parser.add_argument("paper", choices=sorted(PAPERS), help="which paper")
    parser.add_argument("name", nargs="?", help="table name, e.g. table1 (see --list)")
    parser.add_argument("--tables", type=Path, help="folder of the aggregated CSV tables")
    parser.add_argument("--out", type=Path, help="output .csv (the .tex is written beside it)")
    parser.add_argument("--option", "-o", action="append", default=[], metavar="KEY=VALUE",
                        help="table option, repeatable (see --list)")
    parser.add_argument("--list", action="store_true", help="list tables and their options")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from arspin import paper_tables
    from arspin.options import from_pairs

    if args.list:
        for name, reads in PAPERS[args.paper].paper_tables.items():
            module = paper_tables.paper_table_module(args.paper, name)
            print(f"{name}: reads {', '.join(f'{t}.csv' for t in reads) or 'no tables'}")
            for key, (_, default, help_) in module.OPTIONS.items():
                print(f"    -o {key}=...  {help_} (default {default!r})")
        return 0
    if not args.name or not args.out:
        raise ArspinError("table: give NAME and --out (or --list)")
    module = paper_tables.paper_table_module(args.paper, args.name)
    options = from_pairs(module.OPTIONS, args.option)
    table = paper_tables.make_paper_table(args.paper, args.name, args.tables, **options)
    tex = paper_tables.write(table, args.out, label=f"tab:{args.paper}-{args.name}")
    log.info("wrote %s and %s (%d rows)", args.out, tex, len(table.rows))
    return 0
