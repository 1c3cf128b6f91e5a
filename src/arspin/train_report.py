"""What a finished (or checkpointed) run reports: per-step curves and the per-beta summary,
both pure functions of the metric history and the training settings (arspin.train).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from arspin.errors import ArspinError
from arspin.train_protocol import DP_METRIC, Schedule

if TYPE_CHECKING:
    from arspin.train import TrainConfig

#: per-step metrics, all per spin (physics.md section 3); wall_time in seconds since the start
METRICS = ("free_energy", "free_energy_std", "energy", "energy_min", "entropy",
           "abs_magnetization")
#: the mean over the last LAST_N steps of each beta block is stored beside the last step
LAST_N = 20


def curves(history: dict[str, np.ndarray], cfg: TrainConfig) -> dict[str, np.ndarray]:
    """Per-step curves (T,) for the result file: step_beta plus every metric and wall_time;
    with early_stop also ``collected`` (int8 0/1: the batch enters the per-beta means)."""
    _, block, collected = Schedule.replay(cfg, history["free_energy_std"])
    out = {"step_beta": np.asarray(cfg.betas, np.float64)[np.maximum(block, 0)]}
    if cfg.early_stop is not None:
        out["collected"] = collected.astype(np.int8)
    return {**out, **{k: np.asarray(v) for k, v in history.items()}}


def summarize(history: dict[str, np.ndarray], cfg: TrainConfig) -> dict[str, np.ndarray]:
    """Per-beta summary of a finished run, arrays (n_beta,).

    Fixed schedule: the value of a metric at beta_b is the one of the LAST step of block b
    (the parameters the annealing hands to the next beta). With early_stop: the mean over
    the block's collected batches (F_std: the root mean square; E_min: the minimum), and
    ``collected`` their number. ``<metric>_last20`` is the mean over the last min(20, K_b)
    steps of the block (less noisy, slightly biased by the drift within the block).
    ``steps`` is the number of optimisation steps spent at that beta (warm-up included for
    the first grid point); ``wall_time`` the cumulative seconds at the end of the block.
    """
    _, block, collected = Schedule.replay(cfg, history["free_energy_std"])
    n_beta = len(cfg.betas)
    counts = np.bincount(np.maximum(block, 0), minlength=n_beta)
    if len(block) and block.max() != n_beta - 1:
        raise ArspinError(f"summarize: the history covers {block.max() + 1} of {n_beta} betas")
    ends = np.cumsum(counts)
    last = ends - 1
    k_min = np.bincount(block[block >= 0], minlength=n_beta)
    out: dict[str, np.ndarray] = {"beta": np.asarray(cfg.betas, dtype=np.float64)}
    names = [name for name in (*METRICS, DP_METRIC) if name in history]
    for name in names:
        values = np.asarray(history[name], dtype=np.float64)
        if cfg.early_stop is None:
            out[name] = values[last]
        else:
            picks = [values[(block == b) & collected] for b in range(n_beta)]
            reduce = {"free_energy_std": lambda v: np.sqrt(np.mean(v**2)),
                      "energy_min": np.min}.get(name, np.mean)
            out[name] = np.array([reduce(v) for v in picks])
        if name in METRICS:
            out[f"{name}_last{LAST_N}"] = np.array(
                [values[s - min(LAST_N, k) + 1:s + 1].mean() for s, k in zip(last, k_min)])
    out["steps"] = counts.astype(np.int64)
    out["wall_time"] = np.asarray(history["wall_time"], dtype=np.float64)[last]
    if cfg.early_stop is not None:
        out["collected"] = np.bincount(block[collected], minlength=n_beta).astype(np.int64)
    return out
