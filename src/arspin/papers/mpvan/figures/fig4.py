"""MPVAN Fig. 4: residual energy per site versus N, (a) WPE, (b) SK (figures.md, mpvan.md
section 4): per method, the line is eps_res = ([<E_min>_runs]_instances - E_g) / N and the band
the instance average of the per-instance minimum and maximum over runs.

Lines carry ``gid = "<panel>|<net label>"`` so that tests read the plotted data back.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from arspin.aggregate.table import Table
from arspin.figures import style
from arspin.papers.mpvan.figures.look import draw_methods, method_curve

OPTIONS = {
    "wpe_set": (str, "wpe-a0.25", "instance set of panel (a)"),
    "sk_set": (str, "sk", "instance set of panel (b)"),
    "nets": (str, "mpvan,van,gcon-van,vca,sa,pt", "net labels (and sa, pt), in legend order"),
}


def two_panels(fig: Figure, res: Table, wpe_set: str, sk_set: str, nets: str, column: str,
               ylabel: str, bottom: float | None = 0.0) -> None:
    """(a) WPE and (b) SK: ``column`` against N per method (Fig. 4, Fig. S7)."""
    for ax, tag, set_name in zip(fig.subplots(1, 2), "ab", (wpe_set, sk_set)):
        rows = res.where(set=set_name) if len(res) else res
        if not draw_methods(ax, rows, nets, lambda sub: method_curve(sub, column),
                            gid=f"{tag}|{{net}}"):
            style.empty(ax)
            continue
        ax.set_xlabel("N")
        ax.set_ylabel(ylabel)
        ax.set_title(f"({tag}) {set_name}", loc="left")
        if bottom is not None:
            ax.set_ylim(bottom=bottom)
        ax.legend(fontsize=6, ncols=2)


def build(tables: dict[str, Table], *, wpe_set: str, sk_set: str, nets: str) -> Figure:
    """Draw Fig. 4 from the residual table."""
    res = tables["residual"]
    fig = Figure(figsize=(style.FULL, 3.1))
    fig.subplots_adjust(bottom=0.27, wspace=0.25)
    two_panels(fig, res, wpe_set, sk_set, nets, "residual", r"$\epsilon_{\mathrm{res}}$ (per site)")
    nets_only = res.mask(~np.isin(res["net"], ["sa", "pt"])) if len(res) else res
    if len(nets_only):
        keys = zip(nets_only["set"], nets_only["n"], nets_only["index"], nets_only["net"])
        runs = len(nets_only) // max(len(set(keys)), 1)
        fig.text(0.01, 0.01, f"Nets: E_min over {int(nets_only['samples'][0])} final samples "
                 f"per run. SA, PT: best energy visited, with at most the samples of one net run "
                 f"(training + final; one Metropolis proposal = one sample). ~{runs} runs per "
                 "instance and method; E_g planted (WPE) or by enumeration; band: instance "
                 "average of the min and max over runs.", fontsize=6, color="#333333",
                 wrap=True, va="bottom")
    return fig
