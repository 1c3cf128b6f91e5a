"""Benchmark of the ground-state baselines on the reference sizes (a few minutes on 2 cores).

    .venv/bin/python bench/groundstate.py [--quick] [--time-limit 60]

For every instance: the exact ILP (HiGHS, cycle inequalities, time limit), simulated annealing
(1000 sweeps x 100 reads), parallel tempering (32 replicas, beta 0.1..5) and, for 2D L = 16
only, the ILP without cycle inequalities (to show why they are needed), and the best of
exact, SA and PT (its bound is the ILP's, so a heuristic can be certified by it). EA instances use the
TwoBo reference seed rule (index 0; 2D L = 8..32, 3D L = 4, 8), RRG the default rule. Prints a table and writes
bench/results/groundstate.csv. A heuristic below a proven optimum would be a bug: it is flagged.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path

from arspin.baselines.annealing import solve_sa
from arspin.baselines.best import best_of
from arspin.baselines.maxcut_ilp import solve_ilp
from arspin.baselines.tempering import solve_pt
from arspin.instances import generate
from arspin.instances.lattice import TWOBO_SIZES
from arspin.io import atomic_write

FULL = [("ea2d", 8), ("ea2d", 16), ("ea2d", 24), ("ea2d", 32), ("ea3d", 4), ("ea3d", 8),
        ("rrg", 64), ("rrg", 256), ("rrg", 512)]
QUICK = [("ea2d", 8), ("ea2d", 16), ("ea3d", 4), ("rrg", 64), ("rrg", 256)]
COLUMNS = ["instance", "N", "method", "seconds", "energy", "bound", "proven", "note"]


def instance(family: str, size: int):
    rule = "twobo-reference" if family in ("ea2d", "ea3d") and size in TWOBO_SIZES else "default"
    return generate(family, size, 0, seed_rule=rule)


def rows_for(family: str, size: int, time_limit: float) -> list[dict]:
    model = instance(family, size)
    name = f"{family}-{size}"
    out = []

    def add(method: str, result, seconds: float, note: str = "") -> None:
        out.append({"instance": name, "N": model.n, "method": method,
                    "seconds": round(seconds, 2), "energy": result.energy,
                    "bound": result.bound, "proven": result.proven_optimal, "note": note})

    t = time.perf_counter()
    exact = solve_ilp(model, time_limit=time_limit)
    add("exact", exact, time.perf_counter() - t,
        f"{exact.info['status']}; {exact.info['separated_rows']} separated rows; "
        f"{exact.info['nodes']} nodes")
    if (family, size) == ("ea2d", 16):
        t = time.perf_counter()
        plain = solve_ilp(model, time_limit=min(time_limit, 30.0), cycles=False)
        add("exact-no-cycles", plain, time.perf_counter() - t, plain.info["status"])
    t = time.perf_counter()
    sa = solve_sa(model, sweeps=1000, reads=100, seed=0)
    add("sa", sa, time.perf_counter() - t,
        f"{sa.info['hits']}/100 reads at best; "
        f"{sa.info['spin_updates_per_second'] / 1e6:.0f} M updates/s")
    t = time.perf_counter()
    pt = solve_pt(model, sweeps=2000, replicas=32, seed=0)
    add("pt", pt, time.perf_counter() - t,
        f"2000 sweeps; min swap rate {pt.info['min_swap_rate']:.2f}; "
        f"{pt.info['spin_updates_per_second'] / 1e6:.0f} M updates/s")
    best = best_of(model, [("exact", exact), ("sa", sa), ("pt", pt)])
    add("best", best, 0.0, f"winner {best.info['winner']}")
    if exact.proven_optimal:
        for row in out[1:]:
            if row["energy"] < exact.energy - 1e-9:
                row["note"] += " BUG: below the proven optimum"
            elif row["method"] in ("sa", "pt"):
                row["note"] += ("; optimum found" if row["energy"] == exact.energy
                                else f"; {row['energy'] - exact.energy:+g} above optimum")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes only (~10 s)")
    parser.add_argument("--time-limit", type=float, default=60.0, help="ILP limit (s)")
    parser.add_argument("--out", type=Path,
                        default=Path(__file__).resolve().parent / "results" / "groundstate.csv")
    args = parser.parse_args(argv)
    rows = []
    fmt = "{:<10} {:>5} {:<16} {:>8} {:>12} {:>12} {:>6}  {}"
    print(fmt.format(*COLUMNS), flush=True)
    for family, size in QUICK if args.quick else FULL:
        for row in rows_for(family, size, args.time_limit):
            rows.append(row)
            print(fmt.format(row["instance"], row["N"], row["method"], f"{row['seconds']:.2f}",
                             f"{row['energy']:.6g}", f"{row['bound']:.6g}", str(row["proven"]),
                             row["note"]), flush=True)
    with atomic_write(args.out) as tmp, open(tmp, "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
