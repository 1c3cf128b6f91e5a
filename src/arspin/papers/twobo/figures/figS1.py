# ruff: noqa: N999  (named after the paper's figure, like its output figures/figS*.pdf)
"""TwoBo Fig. S1: trainable parameters versus N (log-log), TwoBo and MADE, one panel per family.

Counts come from generated instances without training (parameters.csv; RRG: mean over
instances, by default the paper's own graphs, seed rule 'twobo-reference', named in the RRG
panel's title). Dotted guide lines N^{3/2}, N^{5/3}, N^2 (the expected TwoBo scaling per family)
are anchored at TwoBo's largest N; the legend gives the slope fitted over the larger half of
the sizes (in log N).
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import NullFormatter

from arspin.aggregate.table import Table
from arspin.figures import style
from arspin.papers.twobo import stats
from arspin.papers.twobo.figures import look
from arspin.papers.twobo.parameters import scaling_exponent

OPTIONS: dict = {}
GUIDES = {"ea2d": (1.5, r"N^{3/2}"), "ea3d": (5 / 3, r"N^{5/3}"), "rrg": (2.0, r"N^{2}")}


def fit_min_n(n: np.ndarray) -> float:
    """Lower end of the fit range: the geometric middle of the N range (larger half in log N)."""
    return float(np.sqrt(n.min() * n.max())) if n.size else 0.0


def build(tables: dict[str, Table]) -> Figure:
    """Draw Fig. S1 from the parameters table."""
    par = tables["parameters"]
    fig = Figure(figsize=(style.FULL, 2.4))
    axes = fig.subplots(1, 3, gridspec_kw={"wspace": 0.3})
    for ax, family in zip(axes, stats.FAMILIES):
        sub = par.where(family=family)
        if not len(sub):
            style.empty(ax)
            continue
        for j, net in enumerate(("twobo", "made")):
            rows = sub.where(net=net)
            order = np.argsort(rows["n"])
            n, count = rows["n"][order].astype(float), rows["n_params"][order]
            slope = scaling_exponent(n, count, fit_min_n(n))
            ax.plot(n, count, marker="o" if net == "twobo" else "s", markersize=2.5,
                    color=look.color(net), label=f"{look.name(net)} (slope {slope:.2f})")
        twobo = sub.where(net="twobo")
        last = int(np.argmax(twobo["n"]))
        n_max, c_max = float(twobo["n"][last]), float(twobo["n_params"][last])
        exponent, text = GUIDES[family]
        grid = np.geomspace(float(sub["n"].min()), n_max, 50)
        ax.plot(grid, c_max * (grid / n_max) ** exponent, linestyle=":", color="#555555",
                label=f"${text}$")
        ax.set_xscale("log")
        ax.set_yscale("log")
        for axis in (ax.xaxis, ax.yaxis):
            axis.set_minor_formatter(NullFormatter())
        ax.set_xlabel("number of spins $N$")
        ax.set_title(stats.FAMILY_TITLES[family], loc="left")
        if family == "rrg":
            rules = sub.unique("seed_rule")
            ax.set_title("paper's graphs" if rules == ["twobo-reference"]
                         else "freshly generated graphs", loc="right", fontsize=6)
        ax.legend(loc="upper left", fontsize=6)
    axes[0].set_ylabel("trainable parameters")
    return fig
