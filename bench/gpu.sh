#!/usr/bin/env bash
# The one prepared GPU check (a session lent a GPU runs it once; < 10 min on an H200):
#   1. the device JAX sees, by name;
#   2. the engine bench at paper sizes (bench/engine.py: ms per training step and per sampled
#      batch of TwoBo, MADE and the dense reference formulation, 2D L = 16..64, 3D L = 4..12,
#      RRG N = 256, 1024, batch 1024);
#   3. one short paper-scale training run per paper net family that exists (TwoBo on 2D L = 32,
#      MADE_23 on SK N = 200): 2 betas x 20 steps, batch 1024/2000, wall time per step.
# Usage: bash bench/gpu.sh [OUTDIR]   (default $OUT or bench/results/gpu); uses .venv when present,
# else the machine's python with the source tree on PYTHONPATH (the device has JAX, h5py,
# networkx, optax but not our venv).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-${OUT:-bench/results/gpu}}
mkdir -p "$out"
PY=.venv/bin/python
[ -x "$PY" ] || PY=python3
export PYTHONPATH="$PWD/src${PYTHONPATH:+:$PYTHONPATH}"
export XLA_PYTHON_CLIENT_PREALLOCATE=false

"$PY" -c 'import jax; d = jax.devices()[0]; print(f"device: {d.platform} {d.device_kind} (jax {jax.__version__})")' \
  | tee "$out/device.txt"

timeout 420 "$PY" bench/engine.py --batch 1024 --repeats 5 --out "$out/engine.csv" \
  | tee "$out/engine.txt"

run() {  # NET FAMILY SIZE HPARAMS BATCH
  local inst="$out/$2-$3.h5"
  "$PY" -m arspin instance generate --family "$2" --size "$3" --index 0 --out "$inst" 2>/dev/null
  local start end
  start=$(date +%s%N)
  timeout 120 "$PY" -m arspin train --instance "$inst" --net "$1" --hparams "$4" --lr 1e-3 \
    --betas 0.5:1.0:2 --warmup-steps 0 --steps-per-beta 20 --batch "$5" --seed 0 \
    --out "$out/run-$1-$2-$3.h5" > "$out/run-$1-$2-$3.log" 2>&1
  end=$(date +%s%N)
  printf '%-8s %-6s %5s batch %5s: %6d ms for 40 steps (compile included)\n' "$1" "$2" "$3" "$5" \
    $(( (end - start) / 1000000 )) | tee -a "$out/training.txt"
}
run twobo ea2d 32 '{}' 1024
run made sk 200 '{"depth": 2, "width": 3}' 2000
