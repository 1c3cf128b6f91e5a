"""MPVAN Fig. 5: residual energy per site on the SK variants of a given degree (figures.md;
mpvan.md section 8.3) against that degree: per method, the instance mean of the run mean of
(E_min - E_g)/N at each degree, band = instance average of the run min and max. The x value is
the instances' measured mean degree 2E/N (it equals the configured degree for regular
deletion).

Lines carry ``gid = "<net label>"`` so that tests read the plotted data back.
"""

from __future__ import annotations

from matplotlib.figure import Figure

from arspin.aggregate.table import Table
from arspin.figures import style
from arspin.papers.mpvan.figures.look import draw_methods, method_curve

OPTIONS = {
    "family": (str, "sk_variant", "instance family of the sets drawn"),
    "nets": (str, "mpvan,van,gcon-van,sa,pt", "method labels, in legend order"),
}


def build(tables: dict[str, Table], *, family: str, nets: str) -> Figure:
    """Draw Fig. 5 from the residual table."""
    res = tables["residual"]
    rows = res.where(family=family) if len(res) else res
    fig = Figure(figsize=(style.COLUMN, 2.8))
    ax = fig.add_axes((0.19, 0.17, 0.77, 0.72))
    if not draw_methods(ax, rows, nets, lambda sub: method_curve(sub, by="mean_degree")):
        style.empty(ax)
        return fig
    sizes = sorted(int(n) for n in rows.unique("n"))
    ax.set_xlabel("degree")
    ax.set_ylabel(r"$\epsilon_{\mathrm{res}}$ (per site)")
    ax.set_ylim(bottom=0)
    ax.set_title(f"SK variants, N = {', '.join(map(str, sizes))}", fontsize=7)
    ax.legend(fontsize=6, ncols=2)
    return fig
