"""`arspin show FILE.h5 [--json]`: attributes and small datasets of any arspin file."""

from __future__ import annotations

import argparse
import json
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("show", help="print an arspin HDF5 file (attributes, small datasets)")
    parser.add_argument("file", type=Path, help="any arspin .h5 file")
    parser.add_argument("--json", action="store_true", help="one JSON object on stdout")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from arspin import io

    content = io.show(args.file)
    if args.json:
        # flat: attributes and datasets side by side, e.g. obj["free_energy"], obj["n_params"]
        flat = {"file": str(args.file), **content.get("attrs", {}), **content.get("data", {})}
        flat["kind"] = content.get("kind")
        print(json.dumps(flat, default=str))
        return 0
    print(f"{args.file} ({content.get('kind')})")
    for key, value in content.get("attrs", {}).items():
        print(f"  @{key} = {value}")
    for key, value in content.get("data", {}).items():
        text = json.dumps(value, default=str)
        print(f"  {key} = {text if len(text) < 200 else text[:197] + '...'}")
    return 0
