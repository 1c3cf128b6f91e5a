"""MPVAN Fig. 3: negative entropy per spin, -S/N = mean ln q / N of the training batches,
against beta during annealing (figures.md; mpvan.md section 4): mode collapse shows as -S/N
rising to 0. One line per method: the mean over instances of the run mean, on one instance
set at one N; band = instance average of the run min and max.

Lines carry ``gid = "<net label>"`` so that tests read the plotted data back.
"""

from __future__ import annotations

from matplotlib.figure import Figure

from arspin.aggregate.table import Table
from arspin.figures import style
from arspin.papers.mpvan.figures.look import draw_methods, method_curve

OPTIONS = {
    "instance_set": (str, "wpe-a0.25", "instance set"),
    "n": (int, 0, "N drawn; 0 = the largest N of the set"),
    "nets": (str, "mpvan,van,gcon-van,vca", "net labels, in legend order"),
}


def pick_n(rows: Table, n: int) -> int | None:
    """``n`` if given, else the largest N in ``rows`` (None if there are no rows)."""
    if n:
        return n
    return int(max(rows.unique("n"))) if len(rows) else None


def build(tables: dict[str, Table], *, instance_set: str, n: int, nets: str) -> Figure:
    """Draw Fig. 3 from the annealing table."""
    rows = tables["annealing"].where(set=instance_set) if len(tables["annealing"]) else tables["annealing"]
    fig = Figure(figsize=(style.COLUMN, 2.8))
    ax = fig.add_axes((0.18, 0.17, 0.78, 0.72))
    size = pick_n(rows, n)
    rows = rows.where(n=size) if size else rows
    if not draw_methods(ax, rows, nets, lambda sub: method_curve(sub, "neg_entropy", by="beta"), marker="-"):
        style.empty(ax)
        return fig
    ax.set_xlabel(r"$\beta$")
    ax.set_ylabel(r"$-S/N$")
    ax.set_title(f"{instance_set}, N = {size}: negative entropy during annealing", fontsize=7)
    ax.legend(fontsize=6)
    return fig
