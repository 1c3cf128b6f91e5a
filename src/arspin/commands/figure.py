"""`arspin figure PAPER NAME`: draw one figure from the aggregated tables.

    arspin figure twobo fig2 --tables results/twobo/quick/tables/fig2 --out figures/fig2.pdf
        [--png figures/fig2.png] [-o KEY=VALUE ...]

Writes a byte-reproducible vector PDF and a PNG (dpi 150) beside it (or at --png), both
atomically. ``arspin figure twobo --list`` prints the figures with their options.
"""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from arspin.errors import ArspinError
from arspin.papers import PAPERS

log = logging.getLogger("arspin")


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("figure", help="draw a figure from the aggregated tables",
                            description=__doc__.split("\n\n")[0])
    parser.add_argument("paper", choices=sorted(PAPERS), help="which paper")
    parser.add_argument("name", nargs="?", help="figure name, e.g. fig2 (see --list)")
    parser.add_argument("--tables", type=Path, help="folder of the aggregated CSV tables")
    parser.add_argument("--out", type=Path, help="output PDF")
    parser.add_argument("--png", type=Path, help="output PNG (default: beside the PDF)")
    parser.add_argument("--option", "-o", action="append", default=[], metavar="KEY=VALUE",
                        help="figure option, repeatable (see --list)")
    parser.add_argument("--list", action="store_true", help="list figures and their options")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from arspin.figures import figure_module, make_figure, save
    from arspin.io import refuse_overwriting_inputs
    from arspin.options import from_pairs

    if args.list:
        for name, reads in PAPERS[args.paper].figures.items():
            module = figure_module(args.paper, name)
            print(f"{name}: reads {', '.join(f'{t}.csv' for t in reads) or 'no tables'}")
            for key, (_, default, help_) in module.OPTIONS.items():
                print(f"    -o {key}=...  {help_} (default {default!r})")
        return 0
    if not args.name or not args.out:
        raise ArspinError("figure: give NAME and --out (or --list)")
    if args.out.suffix.lower() != ".pdf":
        raise ArspinError(f"--out {args.out}: figures are written as PDF (suffix .pdf)")
    refuse_overwriting_inputs([args.out, args.png or args.out.with_suffix(".png")],
                              sorted(args.tables.glob("*")) if args.tables else [])
    module = figure_module(args.paper, args.name)
    options = from_pairs(module.OPTIONS, args.option)
    fig = make_figure(args.paper, args.name, args.tables, **options)
    png = save(fig, args.out, args.png)
    log.info("wrote %s and %s", args.out, png)
    return 0
