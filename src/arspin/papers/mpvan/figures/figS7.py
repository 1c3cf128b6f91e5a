# ruff: noqa: N999
"""MPVAN Fig. S7: approximation ratio r = E_min / E_g (<= 1, 1 optimal; mpvan.md section 4,
[choice] of definition) against N, (a) WPE, (b) SK: the companion of Fig. 4, same averaging
(instance mean of the run mean; band = instance average of the run min and max).

Lines carry ``gid = "<panel>|<net label>"``.
"""

from __future__ import annotations

from matplotlib.figure import Figure

from arspin.aggregate.table import Table
from arspin.figures import style
from arspin.papers.mpvan.figures.fig4 import two_panels

OPTIONS = {
    "wpe_set": (str, "wpe-a0.25", "instance set of panel (a)"),
    "sk_set": (str, "sk", "instance set of panel (b)"),
    "nets": (str, "mpvan,van,gcon-van,vca,sa,pt", "method labels, in legend order"),
}


def build(tables: dict[str, Table], *, wpe_set: str, sk_set: str, nets: str) -> Figure:
    """Draw Fig. S7 from the residual table."""
    fig = Figure(figsize=(style.FULL, 2.8))
    fig.subplots_adjust(bottom=0.17, wspace=0.28)
    two_panels(fig, tables["residual"], wpe_set, sk_set, nets, "ratio", r"$E_{\min}/E_g$",
               bottom=None)
    return fig
