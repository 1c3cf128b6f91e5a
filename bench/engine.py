"""Speed of the net engine: one training step and one sampled batch, TwoBo vs MADE vs dense TwoBo.

    .venv/bin/python bench/engine.py [--quick] [--batch 1024] [--repeats 5]

Systems: 2D EA L = 8, 16, 32, 64; 3D EA L = 4, 8, 12; RRG N = 256, 1024 (instance 0 of each
family, default seed rule). Nets: the sparse TwoBo and the single-layer MADE as the pipeline
builds them (nets.registry), and beside them the dense-masked TwoBo formulation of the
reference implementation (nets.dense_twobo, same parameters) wherever its cost stays below
--dense-max-macs per pass, so the sparse/dense ratio is measured in one run. The training step
is the pipeline's own (arspin.train.make_step: sample, exact energies, REINFORCE gradient,
Adam), jitted; times are medians over --repeats calls after a warm-up call (compile excluded).

Prints a table with, for TwoBo sampling, the multiply-add bound 2 B (sum_i |F_i + {i}| + |E|)
flops at --peak-gflops (the machine's measured peak) and the ratio to it; writes
bench/results/engine.csv (system, N, net, batch, ms_per_step, ms_per_sample_batch, n_params).
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import time
from pathlib import Path

from arspin import jaxsetup

jaxsetup.configure()

import jax
import jax.numpy as jnp

from arspin.instances import generate
from arspin.io import atomic_write
from arspin.nets.dense_twobo import DenseTwoBo
from arspin.nets.registry import build_net
from arspin.train import energy_fn, make_optimizer, make_step

FULL = [("ea2d", 8), ("ea2d", 16), ("ea2d", 32), ("ea2d", 64), ("ea3d", 4), ("ea3d", 8),
        ("ea3d", 12), ("rrg", 256), ("rrg", 1024)]
QUICK = [("ea2d", 8), ("ea2d", 32), ("ea3d", 4), ("rrg", 256)]
COLUMNS = ["system", "N", "net", "batch", "ms_per_step", "ms_per_sample_batch", "n_params"]


def median_ms(fn, *args, repeats: int) -> float:
    """Median wall time of fn(*args) in ms after one warm-up (compile) call."""
    jax.block_until_ready(fn(*args))
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        jax.block_until_ready(fn(*args))
        times.append(time.perf_counter() - start)
    return 1e3 * statistics.median(times)


def time_net(net, model, batch: int, repeats: int) -> tuple[float, float, int]:
    """(ms per training step, ms per sampled batch, trainable parameters)."""
    params = net.init(jax.random.key(0))
    optimizer = make_optimizer(1e-3)
    opt_state = optimizer.init(params)
    beta = jnp.float64(1.0)
    sample = jax.jit(lambda p, k, b: net.sample(p, k, batch, b))
    ms_sample = median_ms(sample, params, jax.random.key(1), jnp.float32(1.0), repeats=repeats)
    step = jax.jit(make_step(net, energy_fn(model), optimizer, batch))
    ms_step = median_ms(step, params, opt_state, jax.random.key(2), beta, repeats=repeats)
    return ms_step, ms_sample, int(net.n_params(params))


def twobo_bound_ms(model, batch: int, peak_gflops: float) -> float:
    """Multiply-add bound of one TwoBo sample batch: 2 B (sum_i |F_i + {i}| + |E|) flops."""
    work = int(model.frontier_sizes().sum()) + int(model.skip_mask().sum()) + model.n_edges
    return 2.0 * batch * work / (peak_gflops * 1e9) * 1e3


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="4 systems instead of 9")
    parser.add_argument("--systems", default="",
                        help="comma-separated subset, e.g. ea2d-32,rrg-256 (default: all)")
    parser.add_argument("--batch", type=int, default=1024)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--nets", default="twobo,made,twobo-dense")
    parser.add_argument("--dense-max-macs", type=float, default=1.2e11,
                        help="skip the dense TwoBo where B N^2 (1 + Fmax) exceeds this")
    parser.add_argument("--peak-gflops", type=float, default=200.0)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results" / "engine.csv")
    args = parser.parse_args(argv)
    nets = args.nets.split(",")
    rows = []
    print(f"{'system':>10} {'N':>5} {'net':>12} {'params':>9} {'ms/step':>9} {'ms/sample':>10}"
          f"  notes", flush=True)
    systems = QUICK if args.quick else FULL
    if args.systems:
        wanted = args.systems.split(",")
        systems = [(f, s) for f, s in FULL + QUICK if f"{f}-{s}" in wanted]
        systems = list(dict.fromkeys(systems))
    for family, size in systems:
        model = generate(family, size, 0)
        system = f"{family}-{size}"
        sparse = build_net("twobo", model, {})
        timings = {}
        for name in nets:
            if name == "twobo-dense":
                macs = args.batch * model.n ** 2 * (1 + sparse.fmax)
                if macs > args.dense_max_macs:
                    continue
                net = DenseTwoBo(model, sparse)
            else:
                net = sparse if name == "twobo" else build_net(name, model, {})
            ms_step, ms_sample, n_params = time_net(net, model, args.batch, args.repeats)
            timings[name] = (ms_step, ms_sample)
            note = ""
            if name == "twobo":
                bound = twobo_bound_ms(model, args.batch, args.peak_gflops)
                note = f"sampling bound {bound:.3f} ms, ratio {ms_sample / bound:.1f}"
            if name == "twobo-dense" and "twobo" in timings:
                note = (f"dense/sparse: step x{ms_step / timings['twobo'][0]:.0f}, "
                        f"sample x{ms_sample / timings['twobo'][1]:.0f}")
            print(f"{system:>10} {model.n:>5} {name:>12} {n_params:>9} {ms_step:>9.2f} "
                  f"{ms_sample:>10.2f}  {note}", flush=True)
            rows.append({"system": system, "N": model.n, "net": name, "batch": args.batch,
                         "ms_per_step": round(ms_step, 3),
                         "ms_per_sample_batch": round(ms_sample, 3), "n_params": n_params})
    with atomic_write(args.out) as tmp, open(tmp, "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
