# ruff: noqa: N999
"""MPVAN Fig. S3: residual energy per site of each WPE instance (x: instance index) at one N,
per method: the run mean (line) and the run min..max (band; the paper omits GCon-VAN's band as
too wide, option ``no_band``), figures.md.

Lines carry ``gid = "<net label>"`` so that tests read the plotted data back.
"""

from __future__ import annotations

from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from arspin.aggregate.table import Table
from arspin.figures import style
from arspin.papers.mpvan.figures.fig3 import pick_n
from arspin.papers.mpvan.figures.look import draw_methods, method_curve

OPTIONS = {
    "instance_set": (str, "wpe-a0.25", "instance set"),
    "n": (int, 0, "N drawn; 0 = the largest N of the set"),
    "nets": (str, "mpvan,van,vca,gcon-van", "method labels, in legend order"),
}


def build(tables: dict[str, Table], *, instance_set: str, n: int, nets: str) -> Figure:
    """Draw Fig. S3 from the residual table."""
    res = tables["residual"]
    rows = res.where(set=instance_set) if len(res) else res
    size = pick_n(rows, n)
    rows = rows.where(n=size) if size else rows
    fig = Figure(figsize=(style.COLUMN, 2.8))
    ax = fig.add_axes((0.19, 0.17, 0.77, 0.72))
    # per instance: the "instance mean" of method_curve is over one instance, i.e. the run mean
    if not draw_methods(ax, rows, nets, lambda sub: method_curve(sub, by="index")):
        style.empty(ax)
        return fig
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("instance index")
    ax.set_ylabel(r"$\epsilon_{\mathrm{res}}$ (per site)")
    ax.set_ylim(bottom=0)
    ax.set_title(f"{instance_set}, N = {size}: every instance", fontsize=7)
    ax.legend(fontsize=6, ncols=2)
    return fig
