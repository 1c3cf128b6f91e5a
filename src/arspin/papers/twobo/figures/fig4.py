"""TwoBo Fig. 4: F versus the number of optimisation steps per beta K (log x), one 2D size.

Each K is a full annealing run (protocol K<steps>). Per panel (one beta, default the final
one and beta = 1): instance mean (error bars: +-1 standard error over instances) of
(F(K) - F_ref)/|F_ref|, with F_ref the exact F where every instance has one, else the lowest F
over all nets and K of that instance. F is the mean of the last min(20, K) steps of the block.
A footer names the RNN variant that ran (its width d_h).
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
    "size": (int, 0, "size L (or N); 0 = the largest size with a steps-per-beta sweep"),
    "betas": (tuple, (1.0, 0.0), "betas of the panels; 0 = the final (largest) beta"),
    "nets": (str, "twobo,made,rnn", "comma-separated net labels"),
}


def build(tables: dict[str, Table], *, family: str, size: int, betas: tuple,
          nets: str) -> Figure:
    """Draw Fig. 4 from the free_energy table (protocols K<n>)."""
    fe = tables["free_energy"]
    labels = [n for n in nets.split(",") if n]
    sweep = fe.where(family=family)
    sweep = sweep.mask(np.array([stats.is_sweep_protocol(p) for p in sweep["protocol"]],
                                dtype=bool))
    if not size and len(sweep):
        size = max(sweep.unique("size"))
    sweep = sweep.where(size=size)
    fig = Figure(figsize=(style.FULL * 0.75, 2.5))
    axes = np.atleast_1d(fig.subplots(1, len(betas), gridspec_kw={"wspace": 0.45}))
    for ax, beta in zip(axes, betas):
        if not len(sweep):
            style.empty(ax)
            continue
        b = stats.nearest_beta(sweep, beta if beta > 0 else float(sweep["beta"].max()))
        rel, kind = stats.sweep_at(fe, family=family, size=size, beta=b, nets=labels)
        for j, net in enumerate(labels):
            if rel.get(net):
                p = rel[net]
                ax.errorbar(p.x, p.mean, yerr=np.nan_to_num(p.se), color=look.color(net, j),
                            marker=style.SIZE_MARKERS[j % 4], capsize=2, label=look.name(net))
        if not rel:
            style.empty(ax)
            continue
        style.size_ticks(ax, sorted({x for p in rel.values() for x in p.x.tolist()}))
        style.relative_scale(ax, [p.mean for p in rel.values()])
        ax.set_xlabel(r"optimisation steps per $\beta$, $K$")
        ref = r"F_{\mathrm{exact}}" if kind == stats.EXACT else r"F_{\mathrm{best}}"
        ax.set_ylabel(rf"$(F - {ref}) / |{ref}|$")
        ax.set_title(rf"$\beta = {b:g}$", loc="left")
    if axes[0].get_legend_handles_labels()[0]:
        axes[0].legend(loc="best")
    n = sweep["n"][0] if len(sweep) else 0
    name = stats.FAMILY_TITLES.get(family, family)
    fig.suptitle(f"{name}, N = {n}" if n else name, fontsize=8, y=1.02)
    variants = [f"{look.name(net)} = {' / '.join(sweep.where(net=net).unique('variant'))}"
                for net in labels if net.startswith("rnn") and len(sweep.where(net=net))]
    if variants:
        fig.text(0.02, -0.04, "; ".join(variants), fontsize=6, va="top", color="#333333")
    return fig
