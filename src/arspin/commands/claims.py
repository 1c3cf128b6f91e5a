"""`arspin claims PAPER`: evaluate a paper's claims on its aggregated tables.

    arspin claims twobo --tables results/twobo/quick/tables/all --out results/claims/twobo.json

Writes {paper, tables, summary, claims: [{id, claim, figure, numbers, holds, status, reason}]}
as JSON (sorted keys, atomically). Tables that were not produced leave their claims "not
evaluated"; a claim that does not hold is reported, and the command still succeeds.
"""

from __future__ import annotations

import argparse
import json
import logging
from pathlib import Path

from arspin.papers import PAPERS

log = logging.getLogger("arspin")


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("claims", help="evaluate a paper's claims on the aggregated tables",
                            description=__doc__.split("\n\n")[0])
    parser.add_argument("paper", choices=sorted(PAPERS), help="which paper")
    parser.add_argument("--tables", required=True, type=Path,
                        help="folder of the aggregated CSV tables")
    parser.add_argument("--out", required=True, type=Path, help="output JSON")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from arspin.aggregate.table import read_tables
    from arspin.claims import report
    from arspin.io import atomic_write, refuse_overwriting_inputs
    from arspin.papers import wing

    refuse_overwriting_inputs([args.out], sorted(args.tables.glob("*")))
    tables = read_tables(args.tables, wing(args.paper, "tables").SCHEMAS)
    claims = wing(args.paper, "claims").evaluate(tables)
    content = report(claims, args.paper, str(args.tables))
    with atomic_write(args.out) as tmp:
        tmp.write_text(json.dumps(content, indent=1, sort_keys=True, allow_nan=False) + "\n")
    for c in claims:
        status = "not evaluated" if c.holds is None else "holds" if c.holds else "DOES NOT HOLD"
        log.info("%-32s %s%s", c.id, status, f" ({c.reason})" if c.reason else "")
    log.info("wrote %s: %s", args.out, content["summary"])
    return 0
