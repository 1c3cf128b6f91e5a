#!/usr/bin/env python3
"""Write envs/arspin.yaml, the conda env of every rule, from requirements.lock.

    python scripts/conda_env.py           # rewrite envs/arspin.yaml
    python scripts/conda_env.py --check   # exit 1 if it differs from what the lock gives

The env file is self-contained: Snakemake copies it under .snakemake/conda/ before `conda env
create`, so a path in it (`-r ../requirements.lock`, `-e ..`) would resolve there, and the env's
hash (which decides when Snakemake rebuilds it) covers only this file's text. So every pin of
the lock is written into it; the package itself is not installed in the env: the rules run
`python -m arspin` on the workflow's source tree (src/arspin/runenv.py).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "requirements.lock"
ENV = ROOT / "envs" / "arspin.yaml"
PYTHON = "3.11"  # the version the lock was resolved with (scripts/setup.sh needs >= 3.11)
PIN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*(\[[A-Za-z0-9,._-]+\])?==[^\s;#]+$")


def pins(lock_text: str) -> list[str]:
    """The `name==version` lines of a lock file (comments and blank lines skipped)."""
    out = []
    for number, raw in enumerate(lock_text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if not PIN.match(line):
            raise SystemExit(f"{LOCK.name}:{number}: not an exact pin (name==version): {raw!r}")
        out.append(line)
    return out


def render(lock_text: str) -> str:
    lines = [
        "# GENERATED from requirements.lock by scripts/conda_env.py: do not edit by hand; after",
        "# changing the lock run `.venv/bin/python scripts/conda_env.py` (tests/test_env.py checks",
        "# that the two agree). One pinned environment for every rule",
        "# (--software-deployment-method conda); the rules run the package from the workflow's",
        "# source tree (src/arspin/runenv.py), so nothing here points at a path.",
        "name: arspin",
        "channels:",
        "  - conda-forge",
        "  - nodefaults",
        "dependencies:",
        f"  - python={PYTHON}",
        "  - pip",
        "  - pip:",
        *(f"      - {pin}" for pin in pins(lock_text)),
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="do not write; exit 1 if envs/arspin.yaml is out of date")
    args = parser.parse_args(argv)
    want = render(LOCK.read_text())
    if args.check:
        if ENV.read_text() != want:
            print(f"{ENV.relative_to(ROOT)} is out of date with {LOCK.name}: "
                  "run .venv/bin/python scripts/conda_env.py", file=sys.stderr)
            return 1
        return 0
    ENV.write_text(want)
    print(f"wrote {ENV.relative_to(ROOT)}: {len(pins(LOCK.read_text()))} pins")
    return 0


if __name__ == "__main__":
    sys.exit(main())
