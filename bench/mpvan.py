"""Benchmark of the MPVAN paper's Table 3 (time per training step, figures.md): MPVAN
(mpvan, Hamiltonian message passing), VAN (mpvan without message passing, the paper's VAN) and
VCA (dilated_rnn) on SK at N = 30, 60, 90, batch 128, on the local device, printed beside the
paper's RTX 3090 seconds and with the VCA / MPVAN and VAN / MPVAN ratios of both.

One training step: arspin.papers.mpvan.timing (also Table 3 of the DAG, `arspin table mpvan
table3`); median of --reps steps after a warm-up call. The persistent compilation cache is off (compile_s is a cold compile).

    .venv/bin/python bench/mpvan.py [--reps 20] [--batch 128] [--sizes 30,60,90]

Writes bench/results/mpvan.csv: method, N, batch, n_params, compile_s, ms_per_step,
paper_s_per_step.
"""

from __future__ import annotations

import argparse
import csv
import os
from pathlib import Path

os.environ.setdefault("ARSPIN_JAX_CACHE", "0")

RESULTS = Path(__file__).resolve().parent / "results"
FIELDS = ["method", "N", "batch", "n_params", "compile_s", "ms_per_step", "paper_s_per_step"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=20)
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--sizes", default="30,60,90")
    args = parser.parse_args()
    from arspin import jaxsetup
    from arspin.papers.mpvan.timing import METHODS, PAPER_S, device_name, time_step

    jaxsetup.configure()
    print(f"device: {device_name()}; load average at start "
          f"{os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    sizes = [int(s) for s in args.sizes.split(",")]
    rows = []
    print(f"{'method':>6} {'N':>4} {'params':>8} {'compile_s':>9} {'ms/step':>9} {'paper s':>8}")
    for method in METHODS:
        for n in sizes:
            timed = time_step(method, n, args.batch, args.reps)
            timed = {**timed, "compile_s": round(timed["compile_s"], 2),
                     "ms_per_step": round(timed["ms_per_step"], 2)}
            row = {"method": method, **timed,
                   "paper_s_per_step": PAPER_S[method].get(n, "")}
            rows.append(row)
            print(f"{method:>6} {n:>4} {row['n_params']:>8} {row['compile_s']:>9} "
                  f"{row['ms_per_step']:>9} {row['paper_s_per_step']!s:>8}", flush=True)
    ms = {(r["method"], r["N"]): r["ms_per_step"] for r in rows}
    for other in ("VAN", "VCA"):
        ours = ", ".join(f"{ms[other, n] / ms['MPVAN', n]:.1f}" for n in sizes)
        paper = ", ".join(f"{PAPER_S[other][n] / PAPER_S['MPVAN'][n]:.1f}" for n in sizes
                          if n in PAPER_S[other])
        print(f"{other} / MPVAN per step at N = {args.sizes}: here {ours}; paper {paper}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    with open(RESULTS / "mpvan.csv", "w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=FIELDS)
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {RESULTS / 'mpvan.csv'}")


if __name__ == "__main__":
    main()
