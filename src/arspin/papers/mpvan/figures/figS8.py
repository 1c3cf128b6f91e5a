# ruff: noqa: N999
"""MPVAN Fig. S8 (Sec. S-VI): negative entropy per spin -S/N during annealing at several
learning rates, MPVAN and VAN on one WPE instance (figures.md). The paper: MPVAN stays more
uniform (smaller -S/N) than VAN at every learning rate; for large rates -S/N dips during
training, the more so the larger the rate.

Lines carry ``gid = "<net label>/lr=<lr>"`` for the tests.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from arspin.aggregate.table import Table
from arspin.figures import style
from arspin.papers.mpvan.figures.look import name

OPTIONS = {
    "instance_set": (str, "wpe-a0.25", "instance set"),
    "nets": (str, "mpvan,van", "one panel per net label"),
}


def build(tables: dict[str, Table], *, instance_set: str, nets: str) -> Figure:
    """Draw Fig. S8 from the annealing table (one run per net and learning rate; with several
    runs, instances or N, their mean)."""
    rows = tables["annealing"]
    rows = rows.where(set=instance_set) if len(rows) else rows
    methods = [x for x in nets.split(",") if x]
    fig = Figure(figsize=(style.FULL, 2.6))
    axes = np.atleast_1d(fig.subplots(1, max(len(methods), 1), sharey=True))
    fig.subplots_adjust(bottom=0.2, wspace=0.08, top=0.86)
    rates = sorted(rows.unique("lr")) if len(rows) else []
    cmap = [style.EXTRA[0], "#D55E00", "#0072B2", "#009E73", "#CC79A7", "#000000"]
    for ax, net in zip(axes, methods):
        sub = rows.where(net=net) if len(rows) else rows
        if not len(sub):
            style.empty(ax)
            continue
        for k, lr in enumerate(rates):
            at = sub.where(lr=lr)
            if not len(at):
                continue
            betas = np.array(sorted(at.unique("beta")))
            mean = np.array([at.where(beta=b)["neg_entropy"].mean() for b in betas])
            ax.plot(betas, mean, "-", color=cmap[k % len(cmap)], label=f"lr = {lr:g}",
                    gid=f"{net}/lr={lr:g}")
        ax.set_title(name(net), fontsize=7)
        ax.set_xlabel(r"$\beta$")
    axes[0].set_ylabel(r"$-S/N$")
    axes[0].legend(fontsize=6)
    sizes = ", ".join(str(int(v)) for v in sorted(rows.unique("n"))) if len(rows) else "-"
    fig.suptitle(f"{instance_set}, N = {sizes}: negative entropy during annealing at several "
                 f"learning rates", fontsize=7)
    return fig
