"""Benchmark of exact enumeration (arspin.exact.thermodynamics): time and peak memory vs N.

Model: SK, J_ij ~ Normal(0, 1/N) on all pairs, h = 0, seed 0 (dense: the worst case for the
coupling tables; the enumeration cost itself hardly depends on density). Betas: the TwoBo grid
linspace(0.05, 3.0, 60). Each size runs in a fresh subprocess, so its peak RSS (VmHWM, which
includes the ~50 MB of the Python/numpy/scipy imports) is its own; BLAS is pinned to one
thread so the numbers are per core and do not depend on what else runs on the machine.

    .venv/bin/python bench/enumeration.py [--sizes 20 24 28] [--betas 60]

Writes bench/results/enumeration.csv with columns N, seconds, peak_rss_mb, states_per_second
(2^N / seconds for the whole call, all betas included).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
THREAD_VARS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def child(n: int, n_betas: int) -> None:
    """Run one size and print a JSON line with the measurements."""
    import numpy as np

    from arspin.exact import thermodynamics
    from arspin.hamiltonian import IsingModel

    rng = np.random.default_rng(0)
    model = IsingModel.from_matrix(np.triu(rng.normal(size=(n, n)), 1) / np.sqrt(n))
    betas = np.linspace(0.05, 3.0, n_betas)
    start = time.perf_counter()
    out = thermodynamics(model, betas)
    seconds = time.perf_counter() - start
    status = Path("/proc/self/status").read_text()
    hwm_kb = int(next(line for line in status.splitlines() if line.startswith("VmHWM")).split()[1])
    print(json.dumps({
        "N": n, "seconds": seconds, "peak_rss_mb": hwm_kb / 1024, "states_per_second": 2**n / seconds,
        "ground_energy_per_spin": float(out["ground_energy"]) / n,
        "f_at_beta_max": float(out["free_energy"][-1]),
    }))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[20, 24, 28])
    parser.add_argument("--betas", type=int, default=60)
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        child(args.child, args.betas)
        return
    env = {**os.environ, **{v: "1" for v in THREAD_VARS}}
    rows = []
    print(f"SK, h = 0, {args.betas} betas in [0.05, 3.0], BLAS on one thread")
    print(f"{'N':>4} {'seconds':>9} {'peak_rss_mb':>12} {'states/s':>10} {'E_min/N':>10}")
    for n in args.sizes:
        proc = subprocess.run([sys.executable, __file__, "--child", str(n), "--betas", str(args.betas)],
                              env=env, capture_output=True, text=True, check=True)
        row = json.loads(proc.stdout.strip().splitlines()[-1])
        rows.append(row)
        print(f"{n:>4} {row['seconds']:>9.2f} {row['peak_rss_mb']:>12.1f} "
              f"{row['states_per_second']:>10.3g} {row['ground_energy_per_spin']:>10.5f}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    with open(RESULTS / "enumeration.csv", "w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=["N", "seconds", "peak_rss_mb", "states_per_second"],
                                extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {RESULTS / 'enumeration.csv'}")


if __name__ == "__main__":
    main()
