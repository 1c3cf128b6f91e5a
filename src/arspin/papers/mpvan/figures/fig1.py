"""MPVAN Fig. 1: histograms of the residual energy per site, (E - E_g)/N, of configurations
sampled from each trained net (its N_final fresh samples), pooled over the instances and runs
of one set at one N (figures.md): probability density per method, step lines.

Lines carry ``gid = "<net label>"``; their y data is the density the test recomputes.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from arspin.aggregate.table import Table
from arspin.figures import style
from arspin.papers.mpvan.figures.fig3 import pick_n
from arspin.papers.mpvan.figures.look import color, name

OPTIONS = {
    "instance_set": (str, "wpe-a0.25", "instance set"),
    "n": (int, 0, "N drawn; 0 = the largest N of the set"),
    "nets": (str, "van,vca,gcon-van,mpvan", "net labels, in legend order"),
}


def pooled_density(rows: Table) -> tuple[np.ndarray, np.ndarray]:
    """(bin edges, density) of the counts of ``rows`` (one method) summed over runs."""
    lows = np.array(sorted(rows.unique("bin_low")))
    counts = np.array([rows.where(bin_low=lo)["count"].sum() for lo in lows], np.float64)
    highs = np.array([rows.where(bin_low=lo)["bin_high"][0] for lo in lows])
    edges = np.append(lows, highs[-1])
    return edges, counts / max(counts.sum(), 1) / np.diff(edges)


def build(tables: dict[str, Table], *, instance_set: str, n: int, nets: str) -> Figure:
    """Draw Fig. 1 from the histogram table."""
    hist = tables["histogram"]
    rows = hist.where(set=instance_set) if len(hist) else hist
    size = pick_n(rows, n)
    fig = Figure(figsize=(style.COLUMN, 2.8))
    ax = fig.add_axes((0.17, 0.17, 0.79, 0.72))
    drawn = False
    top = 0.0
    for j, net in enumerate(x for x in nets.split(",") if x):
        sub = rows.where(n=size, net=net) if size else rows
        if not len(sub):
            continue
        edges, density = pooled_density(sub)
        ax.stairs(density, edges, color=color(net, j), label=name(net), gid=net,
                  linewidth=1.2)
        nonzero = np.flatnonzero(density)
        top = max(top, float(edges[nonzero[-1] + 1])) if nonzero.size else top
        drawn = True
    if not drawn:
        style.empty(ax)
        return fig
    ax.set_xlim(0, top or None)
    ax.set_xlabel(r"$(E - E_g)/N$")
    ax.set_ylabel("density")
    ax.set_title(f"{instance_set}, N = {size}: sampled residual energies", fontsize=7)
    ax.legend(fontsize=6)
    return fig
