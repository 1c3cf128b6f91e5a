"""MPVAN Table 1: mean and standard deviation of the residual energies E - E_g (total, not per
site: figures.md's reading of the paper's values) of every sampled configuration of the final
nets (the samples of Figs. 1, S1, S2), pooled over runs and instances, per method; the paper's
values beside (its N and alpha are [lost])."""

from __future__ import annotations

import numpy as np

from arspin.aggregate.table import Table
from arspin.paper_tables import PaperTable
from arspin.papers.mpvan.figures.look import name
from arspin.papers.mpvan.paper_tables.common import METHODS, OPTIONS, PAPER_TABLE1, rows_at

__all__ = ["OPTIONS", "build", "pooled"]


def pooled(means: np.ndarray, stds: np.ndarray) -> tuple[float, float]:
    """Mean and standard deviation of the union of equally sized samples, from each sample's
    mean and (population) standard deviation."""
    means, stds = np.asarray(means, float), np.asarray(stds, float)
    grand = float(means.mean())
    return grand, float(np.sqrt(max(np.mean(stds**2 + means**2) - grand**2, 0.0)))


def build(tables: dict[str, Table], *, instance_set: str, n: int) -> PaperTable:
    rows, size = rows_at(tables["residual"], instance_set, n)
    out = []
    for net in METHODS:
        sub = rows.where(net=net) if len(rows) else rows
        mean = std = None
        if len(sub):  # per site -> total: x N
            mean, std = pooled(sub["sampled_mean"] * sub["n"], sub["sampled_std"] * sub["n"])
        out.append((name(net), len(sub), mean, std, *PAPER_TABLE1[net]))
    return PaperTable(
        header=("method", "runs", "mean", "std", "paper mean", "paper std"),
        rows=tuple(out),
        caption=(f"MPVAN Table 1: mean and standard deviation of the residual energy E - E_g "
                 f"(total) of the final nets' samples, {instance_set}, N = {size}, pooled over "
                 f"runs and instances; -- = not run at this scale. Paper: N, alpha lost."))
