"""TwoBo Fig. 3: F during the optimisation steps of three beta blocks, one 2D EA size.

Per panel (one beta): the instance mean (band: +-1 standard error over instances) of
(F_net(step) - F_ref)/|F_ref| versus the step inside the block, for TwoBo, MADE and RNN.
F_ref is the exact F where every instance has one, else the lowest F reached by any net in
that block on that instance (then one curve touches 0 at its best step).
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from arspin.aggregate.table import Table
from arspin.figures import style
from arspin.papers.twobo import stats
from arspin.papers.twobo.figures import look

OPTIONS = {
    "family": (str, "ea2d", "instance family"),
    "size": (int, 0, "size L (or N); 0 = the largest size where every net has curves"),
    "betas": (tuple, (0.5, 1.5, 3.0), "the three betas (nearest grid values are used)"),
    "nets": (str, "twobo,made,rnn", "comma-separated net labels"),
}


def build(tables: dict[str, Table], *, family: str, size: int, betas: tuple,
          nets: str) -> Figure:
    """Draw Fig. 3 from the curves table (protocol 'anneal')."""
    curves = tables["curves"]
    labels = [n for n in nets.split(",") if n]
    if not size:
        sizes = stats.sizes_with(curves, family=family, nets=labels) or \
            stats.sizes_with(curves, family=family, nets=[stats.REFERENCE_NET])
        size = sizes[-1] if sizes else 0
    fig = Figure(figsize=(style.FULL, 2.4))
    axes = fig.subplots(1, len(betas), gridspec_kw={"wspace": 0.45})
    axes = np.atleast_1d(axes)
    sub = curves.where(family=family, size=size)
    n = sub["n"][0] if len(sub) else 0
    for ax, beta in zip(axes, betas):
        if not len(sub):
            style.empty(ax)
            continue
        b = stats.nearest_beta(sub, beta)
        rel, kind = stats.curves_at(curves, family=family, size=size, beta=b, nets=labels)
        if not rel:
            style.empty(ax)
            continue
        for j, net in enumerate(labels):
            if rel.get(net):
                p = rel[net]
                style.band(ax, p.x, p.mean, p.se, label=look.name(net),
                           color=look.color(net, j))
        style.relative_scale(ax, [p.mean for p in rel.values()])
        ax.set_title(rf"$\beta = {b:g}$", loc="left")
        ax.set_xlabel("optimisation step in the block")
        ref = r"F_{\mathrm{exact}}" if kind == stats.EXACT else r"F_{\mathrm{best}}"
        ax.set_ylabel(rf"$(F - {ref}) / |{ref}|$")
    if axes[0].get_legend_handles_labels()[0]:
        axes[0].legend(loc="best")
    name = stats.FAMILY_TITLES.get(family, family)
    fig.suptitle(f"{name}, N = {n}" if n else name, fontsize=8, y=1.02)
    return fig
