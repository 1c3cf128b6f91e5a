"""`arspin show FILE.h5 [--json]`: attributes and small datasets of any arspin file.

The human form rounds floats to ``DIGITS`` significant digits (0.7999999999999999 -> 0.8) and
cuts long values; ``--json`` prints every value exactly as stored (floats round-trip).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

#: significant digits of a float in the human form (float64 holds ~16; --json keeps them all)
DIGITS = 8
#: longest value printed in the human form before it is cut with "..."
MAX_WIDTH = 200


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "show", help="print an arspin HDF5 file (attributes, small datasets)",
        description=f"Print an arspin HDF5 file: floats to {DIGITS} significant digits and long "
        f"values cut at {MAX_WIDTH} characters; --json prints every value exactly.")
    parser.add_argument("file", type=Path, help="any arspin .h5 file")
    parser.add_argument("--json", action="store_true",
                        help="one JSON object on stdout, every number exact")
    parser.set_defaults(func=run)


def rounded(value: Any, digits: int = DIGITS) -> Any:
    """``value`` with every float (also inside lists and dicts) rounded to ``digits``
    significant digits, for reading; ints, strings and non-finite markers are unchanged."""
    if isinstance(value, float):
        return float(f"{value:.{digits}g}")
    if isinstance(value, list):
        return [rounded(v, digits) for v in value]
    if isinstance(value, dict):
        return {k: rounded(v, digits) for k, v in value.items()}
    return value


def human(value: Any) -> str:
    """One value as printed by the human form: rounded, JSON for containers, cut if long."""
    value = rounded(value)
    text = value if isinstance(value, str) else json.dumps(value, default=str)
    return text if len(text) <= MAX_WIDTH else text[: MAX_WIDTH - 3] + "..."


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
        print(f"  @{key} = {human(value)}")
    for key, value in content.get("data", {}).items():
        print(f"  {key} = {human(value)}")
    return 0
