# ruff: noqa: N999  (named after the paper's figure, like its output figures/figS*.pdf)
"""TwoBo Fig. S2: beta in the skip connection annealed (default) versus frozen at 1.

Instance mean (band: +-1 standard error, stats.Compared.se_total) of
(F_frozen - F_annealed)/|F_annealed| versus beta, F the mean of the last 20 steps of each beta
block, one line per size where both ran (net labels 'twobo-frozen' and 'twobo').
"""

from __future__ import annotations

from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from arspin.aggregate.table import Table
from arspin.figures import style
from arspin.papers.twobo import stats
from arspin.papers.twobo.figures import look

OPTIONS = {
    "family": (str, "ea2d", "instance family"),
    "frozen": (str, "twobo-frozen", "net label of the frozen-skip runs"),
}


def build(tables: dict[str, Table], *, family: str, frozen: str) -> Figure:
    """Draw Fig. S2 from the free_energy table (protocol 'anneal')."""
    fe = tables["free_energy"]
    fig = Figure(figsize=(style.COLUMN, 2.5))
    ax = fig.subplots()
    sizes = stats.sizes_with(fe, family=family, nets=[frozen, stats.REFERENCE_NET])
    plotted, handles = [], []
    for k, size in enumerate(sizes):
        p = stats.versus_beta(fe, family=family, size=size, net=frozen,
                              reference=stats.REFERENCE_NET)
        if not p:
            continue
        ls = style.SIZE_STYLES[k % len(style.SIZE_STYLES)]
        style.band(ax, p.x, p.mean, p.se_total, label=None, color=look.color(frozen),
                   linestyle=ls)
        plotted.append(p.mean)
        n = int(fe.where(family=family, size=size)["n"][0])
        handles.append(Line2D([], [], color=look.color(frozen), linestyle=ls, label=f"N = {n}"))
    if not plotted:
        style.empty(ax)
        return fig
    ax.axhline(0.0, color=look.COLORS["twobo"], linewidth=0.8)
    style.relative_scale(ax, plotted)
    ax.set_xlabel(r"inverse temperature $\beta$")
    ax.set_ylabel(r"$(F_{\beta_s = 1} - F_{\beta_s = \beta}) / |F_{\beta_s = \beta}|$")
    ax.set_title(f"{stats.FAMILY_TITLES.get(family, family)}: skip multiplier frozen at 1",
                 loc="left")
    ax.legend(handles=handles, loc="best")
    return fig
