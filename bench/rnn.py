"""Benchmark of the RNN baselines: milliseconds per training step and compile time.

One training step = arspin.train.make_step (ancestral sampling of the batch, exact energies,
REINFORCE gradient of the teacher-forced ln q, one Adam update), jitted as in training.
Rows (default):
  * rnn2d on 2D EA L = 8, 16 (N = 64, 256), batch 1024 (TwoBo reference), d_h = "auto"
    (parameter count closest to TwoBo's), per-site cells (default) and one shared cell;
  * dilated_rnn on SK N = 30, 60, 90 (the MPVAN paper's timing sizes), d_h = 20,
    ceil(log2 N) layers, batch 50 (VCA script) and 1024;
  * rnn1d (per-site, "auto") on 3D EA L = 4 (N = 64) and RRG N = 256, batch 1024.
The persistent compilation cache is off, so compile_s is a cold compile. Times are wall
clock on whatever the machine is doing; the load average at the start is printed.

    .venv/bin/python bench/rnn.py [--reps 10] [--quick]

Writes bench/results/rnn.csv: net, variant, family, N, batch, hidden, n_params,
twobo_params, compile_s, ms_per_step (median of --reps steps), ms_sample (median, sampling
alone).
"""

from __future__ import annotations

import argparse
import csv
import os
import time
from pathlib import Path

os.environ.setdefault("ARSPIN_JAX_CACHE", "0")

RESULTS = Path(__file__).resolve().parent / "results"
FIELDS = ["net", "variant", "family", "N", "batch", "hidden", "n_params", "twobo_params",
          "compile_s", "ms_per_step", "ms_sample"]


def configurations(quick: bool) -> list[tuple[str, dict, str, int, int]]:
    """(net name, hyperparameters, family, size, batch) of every row."""
    rows = []
    for L in (8,) if quick else (8, 16):
        rows += [("rnn2d", {}, "ea2d", L, 1024), ("rnn2d", {"per_site": False}, "ea2d", L, 1024)]
    for n in (30,) if quick else (30, 60, 90):
        rows += [("dilated_rnn", {}, "sk", n, 50), ("dilated_rnn", {}, "sk", n, 1024)]
    if not quick:
        rows += [("rnn1d", {}, "ea3d", 4, 1024), ("rnn1d", {}, "rrg", 256, 1024)]
    return rows


def median_ms(fn, reps: int) -> float:
    import jax
    import numpy as np

    times = []
    for r in range(reps):
        start = time.perf_counter()
        jax.block_until_ready(fn(r))
        times.append(time.perf_counter() - start)
    return float(np.median(times) * 1e3)


def run_one(name: str, hparams: dict, family: str, size: int, batch: int, reps: int) -> dict:
    import jax
    import jax.numpy as jnp

    from arspin.instances.registry import generate
    from arspin.nets.registry import build_net, param_count
    from arspin.train import energy_fn, make_optimizer, make_step

    model = generate(family, size, 0)
    net = build_net(name, model, hparams)    # checked like a config file's net section
    params = jax.jit(net.init)(jax.random.key(0))
    opt = make_optimizer(1e-3)
    state = opt.init(params)
    step = jax.jit(make_step(net, energy_fn(model), opt, batch))
    beta = jnp.float64(1.0)
    start = time.perf_counter()
    compiled = step.lower(params, state, jax.random.key(1), beta).compile()
    compile_s = time.perf_counter() - start
    carry = {"p": params, "s": state}

    def train_step(r):
        carry["p"], carry["s"], *_ = compiled(carry["p"], carry["s"], jax.random.key(r), beta)
        return carry["p"]

    train_step(-1)  # first call: allocation
    sample = jax.jit(lambda p, k: net.sample(p, k, batch, jnp.float32(1.0)))
    sample(params, jax.random.key(0))
    variant = ("per-site" if getattr(net, "per_site", True) else "shared") + f" {net.activation}"
    if name == "dilated_rnn":
        variant += f" layers={net.layers} missing={net.missing}"
    return {
        "net": name, "variant": variant, "family": family, "N": model.n, "batch": batch,
        "hidden": net.hidden, "n_params": net.n_params(params),
        "twobo_params": param_count("twobo", model) if model.n <= 4096 else "",
        "compile_s": round(compile_s, 2), "ms_per_step": round(median_ms(train_step, reps), 2),
        "ms_sample": round(median_ms(lambda r: sample(params, jax.random.key(r)), reps), 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=10)
    parser.add_argument("--quick", action="store_true", help="smallest size of each net only")
    args = parser.parse_args()
    from arspin import jaxsetup

    jaxsetup.configure()
    print(f"load average at start: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    print(" ".join(f"{f:>12}" for f in FIELDS[2:]), " net / variant")
    rows = []
    for config in configurations(args.quick):
        row = run_one(*config, reps=args.reps)
        rows.append(row)
        print(" ".join(f"{row[f]!s:>12}" for f in FIELDS[2:]), f" {row['net']} / {row['variant']}",
              flush=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    with open(RESULTS / "rnn.csv", "w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=FIELDS)
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {RESULTS / 'rnn.csv'}")


if __name__ == "__main__":
    main()
