# ruff: noqa: N999  (named after the paper's figure, like its output figures/figS*.pdf)
"""TwoBo Fig. S3: TwoBo versus RNNs of several sizes: F, E and S (three panels) versus beta.

Each panel shows the instance mean (band: +-1 standard error, stats.Compared.se_total) of the
per-spin difference X_net - X_TwoBo (X: mean of the last 20 steps of each beta block) for every
RNN label (rnn, rnn-d2, ...; legend: parameter count),
and in black X_exact - X_TwoBo where an exact reference exists. Since F = E - S/beta, an RNN
whose F is high because its S is low (mode collapse) shows dS < 0 with dE <= 0.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from arspin.aggregate.table import Table
from arspin.figures import style
from arspin.papers.twobo import stats
from arspin.papers.twobo.figures import look

OPTIONS = {
    "family": (str, "ea2d", "instance family"),
    "size": (int, 0, "size; 0 = the size with the most RNN labels (ties: the largest)"),
}
QUANTITIES = (("free_energy", "F"), ("energy", "E"), ("entropy", "S"))


def build(tables: dict[str, Table], *, family: str, size: int) -> Figure:
    """Draw Fig. S3 from the free_energy table (protocol 'anneal')."""
    fe = tables["free_energy"]
    if not size:
        sizes = stats.sizes_with(fe, family=family, nets=[stats.REFERENCE_NET])
        ranked = sorted(sizes, key=lambda s: (len(stats.rnn_labels(fe, family, s)), s))
        size = ranked[-1] if ranked else 0
    labels = stats.rnn_labels(fe, family, size) if size else []
    fig = Figure(figsize=(style.FULL, 2.5))
    axes = fig.subplots(1, 3, gridspec_kw={"wspace": 0.5})
    for ax, (column, symbol) in zip(axes, QUANTITIES):
        plotted = []
        for j, net in enumerate(labels):
            p = stats.versus_beta(fe, family=family, size=size, net=net,
                                  reference=stats.REFERENCE_NET, value=column, absolute=True)
            if p:
                params = int(fe.where(family=family, size=size, net=net)["n_params"].max())
                shade = look.RNN_SHADES[round(j * (len(look.RNN_SHADES) - 1)
                                               / max(len(labels) - 1, 1))]
                style.band(ax, p.x, p.mean, p.se_total, color=shade,
                           label=f"{look.name(net)} ({params:,} params)")
                plotted.append(p.mean)
        ex = stats.versus_beta(fe, family=family, size=size, net=stats.REFERENCE_NET,
                               reference=stats.EXACT, value=column, absolute=True)
        if ex:
            style.band(ax, ex.x, -ex.mean, ex.se_total, color=look.COLORS["exact"],
                       linestyle="--",
                       label="exact")
            plotted.append(-ex.mean)
        if not plotted:
            style.empty(ax)
            continue
        ax.axhline(0.0, color=look.COLORS["twobo"], linewidth=0.8)
        style.relative_scale(ax, plotted)
        ax.set_xlabel(r"inverse temperature $\beta$")
        ax.set_ylabel(rf"${symbol} - {symbol}_{{\mathrm{{TwoBo}}}}$ (per spin)")
    twobo = fe.where(family=family, size=size, net=stats.REFERENCE_NET)
    if len(twobo):
        handles, names = axes[0].get_legend_handles_labels()
        zero = Line2D([], [], color=look.COLORS["twobo"], linewidth=0.8)
        fig.legend([zero, *handles], [f"TwoBo ({int(np.max(twobo['n_params'])):,} params)",
                                      *names],
                   loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=3)
        fig.suptitle(f"{stats.FAMILY_TITLES.get(family, family)}, N = {int(twobo['n'][0])}",
                     fontsize=8, y=1.02)
    return fig
