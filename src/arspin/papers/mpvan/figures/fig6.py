"""MPVAN Fig. 6: accuracy of the learned distribution on a small WPE instance set, against
beta during annealing (figures.md; mpvan.md section 4): (a) KL(q || P_B) = beta N (F_q - F),
(b) the relative free-energy error (F_q - F)/|F|, with F exact by enumeration and F_q the mean
over the training batches at each beta. Mean over instances of the run mean; band = instance
average of the run min and max.

Lines carry ``gid = "<panel>|<net label>"`` (panel a or b) for the tests.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from arspin.aggregate.table import Table
from arspin.figures import style
from arspin.papers.mpvan.figures.look import draw_methods, method_curve

OPTIONS = {
    "instance_set": (str, "wpe-a0.25", "instance set"),
    "n": (int, 0, "N drawn; 0 = the smallest N with an exact F"),
    "nets": (str, "mpvan,van,gcon-van,vca", "net labels, in legend order"),
}


def build(tables: dict[str, Table], *, instance_set: str, n: int, nets: str) -> Figure:
    """Draw Fig. 6 from the annealing table."""
    rows = tables["annealing"]
    rows = rows.mask((rows["set"] == instance_set) & np.isfinite(rows["f_exact"])) if len(rows) else rows
    fig = Figure(figsize=(style.FULL, 2.7))
    axes = fig.subplots(1, 2)
    fig.subplots_adjust(bottom=0.24, wspace=0.3)
    size = n or (int(min(rows.unique("n"))) if len(rows) else None)
    for ax, tag, column, label in zip(axes, "ab", ("kl", "rel_error"),
                                      (r"KL$(q\,\|\,P_B)$", r"$(F_q - F)/|F|$")):
        sub = rows.where(n=size) if size else rows
        if not draw_methods(ax, sub, nets, lambda r, c=column: method_curve(r, c, by="beta"), gid=f"{tag}|{{net}}",
                            marker="-"):
            style.empty(ax)
            continue
        ax.set_yscale("log")
        ax.set_xlabel(r"$\beta$")
        ax.set_ylabel(label)
        ax.set_title(f"({tag}) {instance_set}, N = {size}", loc="left")
        ax.legend(fontsize=6)
    fig.text(0.01, 0.01, "F exact by enumeration; F_q = mean of the training batches at each "
             "beta (a sampled estimate: KL = beta N (F_q - F) holds for the exact F_q);\n"
             "band: instance average of the min and max over runs", fontsize=6,
             color="#444444")
    return fig
