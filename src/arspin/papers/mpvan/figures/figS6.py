# ruff: noqa: N999
"""MPVAN Fig. S6: run-to-run spread on one WPE instance (figures.md): the residual energy per
site of every independent run (one per protocol seed), per method, sorted; the annotation is
the paper's statistic, the worst run's residual relative to the best run's ("+169%" = worst is
2.69 times the best).

Points carry ``gid = "<net label>"`` for the tests.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from arspin.aggregate.table import Table
from arspin.figures import style
from arspin.papers.mpvan.figures.look import color, name

OPTIONS = {
    "instance_set": (str, "wpe-a0.25", "instance set"),
    "n": (int, 0, "N; 0 = the N with the most runs on one instance"),
    "index": (int, -1, "instance index; -1 = the instance with the most runs"),
    "nets": (str, "mpvan,van,gcon-van,vca", "method labels, in plot order"),
}


def spread(residuals: np.ndarray) -> float:
    """Worst run relative to the best run: max / min - 1 (inf if the best run found E_g)."""
    best = float(np.min(residuals))
    return float(np.max(residuals)) / best - 1.0 if best > 0 else float("inf")


def busiest(rows: Table, column: str) -> int | None:
    """The value of ``column`` with the most rows (ties: the smallest value)."""
    if not len(rows):
        return None
    values, counts = np.unique(rows[column], return_counts=True)
    return int(values[np.argmax(counts)])


def build(tables: dict[str, Table], *, instance_set: str, n: int, index: int,
          nets: str) -> Figure:
    """Draw Fig. S6 from the residual table."""
    res = tables["residual"]
    rows = res.mask((res["set"] == instance_set) & (res["spin_order"] == 0)) if len(res) else res
    size = n or busiest(rows, "n")
    rows = rows.where(n=size) if size else rows
    which = index if index >= 0 else busiest(rows, "index")
    rows = rows.where(index=which) if which is not None else rows
    fig = Figure(figsize=(style.COLUMN, 2.8))
    ax = fig.add_axes((0.17, 0.17, 0.79, 0.72))
    methods = [x for x in nets.split(",") if x and len(rows) and len(rows.where(net=x))]
    if not methods:
        style.empty(ax)
        return fig
    for j, net in enumerate(methods):
        values = np.sort(rows.where(net=net)["residual"])
        x = j + np.linspace(-0.3, 0.3, values.size) if values.size > 1 else np.array([j])
        ax.plot(x, values, "o", color=color(net, j), markersize=3, gid=net)
        ax.annotate(f"+{spread(values):.0%}", (j, values.max()), textcoords="offset points",
                    xytext=(0, 4), ha="center", fontsize=6)
    ax.set_xticks(range(len(methods)), [name(m) for m in methods])
    ax.set_xlim(-0.6, len(methods) - 0.4)
    ax.set_ylim(bottom=0)
    ax.set_ylabel(r"$\epsilon_{\mathrm{res}}$ (per site)")
    runs = len(rows.where(net=methods[0]))
    ax.set_title(f"{instance_set}, N = {size}, instance {which}: {runs} runs per method "
                 f"(label: worst / best - 1)", fontsize=7)
    return fig
