"""How fast the DAG answers: `snakemake -n` at every scale (jobs listed, seconds).

    .venv/bin/python bench/workflow.py
Prints a table and writes bench/results/workflow.csv (columns scale, jobs, seconds).
"""

from __future__ import annotations

import csv
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SNAKEMAKE = str(Path(sys.executable).parent / "snakemake")


def dry_run(scale: str) -> tuple[int, float]:
    with tempfile.TemporaryDirectory() as workdir:
        start = time.perf_counter()
        proc = subprocess.run([SNAKEMAKE, "-n", "--directory", workdir, "--config", f"scale={scale}"],
                              cwd=ROOT, capture_output=True, text=True, check=True)
        seconds = time.perf_counter() - start
    total = re.search(r"^total\s+(\d+)", proc.stdout + proc.stderr, flags=re.MULTILINE)
    return int(total.group(1)) if total else 0, seconds


def main() -> None:
    rows = [(scale, *dry_run(scale)) for scale in ("tiny", "quick", "paper")]
    print(f"{'scale':<8}{'jobs':>8}{'seconds':>10}")
    for scale, jobs, seconds in rows:
        print(f"{scale:<8}{jobs:>8}{seconds:>10.1f}")
    out = ROOT / "bench/results/workflow.csv"
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", newline="") as handle:
        csv.writer(handle).writerows([("scale", "jobs", "seconds"), *rows])


if __name__ == "__main__":
    main()
