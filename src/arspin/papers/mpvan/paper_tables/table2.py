"""MPVAN Table 2: the mechanism comparison on WPE: per method, the mean residual energy per
site eps_res = (E_min - E_g) / N (E_min: the lowest energy of a run's final samples) over
instances of the run mean, and its standard deviation over instances; the paper's values
beside."""

from __future__ import annotations

import numpy as np

from arspin.aggregate.table import Table
from arspin.paper_tables import PaperTable
from arspin.papers.mpvan.figures.look import name
from arspin.papers.mpvan.paper_tables.common import METHODS, OPTIONS, PAPER_TABLE2, rows_at

__all__ = ["OPTIONS", "build"]


def build(tables: dict[str, Table], *, instance_set: str, n: int) -> PaperTable:
    rows, size = rows_at(tables["residual"], instance_set, n)
    out = []
    for net in METHODS:
        sub = rows.where(net=net) if len(rows) else rows
        mean = std = None
        count = 0
        if len(sub):
            per = np.array([g["residual"].mean() for _, g in sub.groups("set", "index")])
            count = per.size
            mean, std = float(per.mean()), float(per.std(ddof=1)) if per.size > 1 else None
        out.append((name(net), count, mean, std, *PAPER_TABLE2[net]))
    return PaperTable(
        header=("method", "instances", "mean eps_res", "std over instances", "paper mean",
                "paper std"),
        rows=tuple(out),
        caption=(f"MPVAN Table 2: mean residual energy per site of each method, {instance_set}, "
                 f"N = {size} (instance mean of the run mean) and its standard deviation over "
                 f"instances; -- = not run at this scale. Paper: N, alpha lost."))
