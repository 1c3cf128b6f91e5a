"""TwoBo Fig. 1: (a) the conditional q(x_i | x_<i) as a block diagram; (b) the frontier F_i of
one site of a periodic L x L lattice, drawn from ``IsingModel.frontier()`` of a generated
instance (not by hand): sampled spins s < i, the site i, the spins of F_i (non-zero xi_il), and
the bonds (s, l), s < i <= l, that make those fields non-zero."""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from arspin.aggregate.table import Table
from arspin.errors import ArspinError
from arspin.figures.diagram import arrow, box, canvas
from arspin.figures.style import FULL
from arspin.papers.twobo.figures.look import COLORS

OPTIONS = {
    "size": (int, 6, "lattice side L of panel (b)"),
    "site": (int, -1, "site i of panel (b); -1 = row L//2, column L//2"),
    "index": (int, 0, "instance index of the generated ea2d lattice"),
}

_SAMPLED, _FRONTIER, _OTHER = "#BBBBBB", "#0072B2", "white"


def build(tables: dict[str, Table], *, size: int, site: int, index: int) -> Figure:
    """Draw Fig. 1 (no tables; panel (b) generates arspin.instances.generate('ea2d', L, i))."""
    from arspin.instances import generate

    model = generate("ea2d", size, index)
    i = site if site >= 0 else (size // 2) * size + size // 2
    if not 0 <= i < model.n:
        raise ArspinError(f"fig1: site {i} is not in 0..{model.n - 1}")
    fig = Figure(figsize=(FULL, 2.9))
    ax_a, ax_b = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.9, 1.0], "wspace": 0.02})
    _diagram(ax_a)
    _frontier(ax_b, model, size, i)
    fig.text(0.01, 0.97, "(a)", fontweight="bold", va="top")
    fig.text(0.63, 0.97, "(b)", fontweight="bold", va="top")
    return fig


def _diagram(ax: Axes) -> None:
    canvas(ax, (-0.03, 1.64), (0, 1))
    x_in = box(ax, (0.07, 0.5), "input\n$x_{<i}$", 0.13, 0.2)
    xi = box(ax, (0.39, 0.5), "fixed layer\n"
              r"$\xi_{il} = {\sum}_{s<i}\, J_{sl}\, x_s$" "\n" r"for $l = i$ and $l \in F_i$",
              0.42, 0.42, look="fixed")
    skip = box(ax, (0.87, 0.8), "skip connection\n" r"$w_i\, \beta\, (\xi_{ii} + h_i)$",
                0.38, 0.2)
    dense = box(ax, (0.87, 0.2), "dense layer\n" r"$b_i + {\sum}_{l \in F_i}\, w_{il}\, \xi_{il}$",
                 0.38, 0.24)
    add = box(ax, (1.15, 0.5), r"$\Sigma$", 0.08, 0.12)
    out = box(ax, (1.42, 0.5), "sigmoid\n" r"$q(x_i{=}{+}1 \mid x_{<i})$", 0.36, 0.22)
    arrow(ax, (x_in[1], 0.5), (xi[0], 0.5))
    arrow(ax, (xi[1], 0.6), (skip[0], 0.8))
    arrow(ax, (xi[1], 0.4), (dense[0], 0.2))
    arrow(ax, (skip[1], 0.8), (add[0] + 0.02, add[3]))
    arrow(ax, (dense[1], 0.2), (add[0] + 0.02, add[2]))
    arrow(ax, (add[1], 0.5), (out[0], 0.5))
    ax.text(0.39, xi[2] - 0.03, "weights = couplings $J$\n(no trainable parameters)",
            ha="center", va="top", fontsize=6.5, color=COLORS["twobo"])
    ax.text(0.87, skip[3] + 0.03, r"$w_i$ starts at 2, $\beta$ follows the annealing",
            ha="center", va="bottom", fontsize=6.5, color="#444444")
    ax.text(0.87, dense[2] - 0.03, "trainable, one per site (no sharing)", ha="center",
            va="top", fontsize=6.5, color="#444444")


def _frontier(ax: Axes, model, size: int, i: int) -> None:
    indptr, indices = model.frontier()
    front = set(indices[indptr[i]:indptr[i + 1]].tolist())
    row, col = np.divmod(np.arange(model.n), size)
    # lattice bonds: grey; bonds from a sampled spin to i or to F_i (they make xi_il != 0)
    for a, b in zip(model.i.tolist(), model.j.tolist()):
        s, l = (a, b) if a < b else (b, a)
        active = s < i <= l
        wrap = abs(row[a] - row[b]) > 1 or abs(col[a] - col[b]) > 1
        style = {"color": _FRONTIER if active else "#BBBBBB",
                 "linewidth": 1.2 if active else 0.7, "zorder": 1}
        if not wrap:
            ax.plot([col[a], col[b]], [-row[a], -row[b]], **style)
        else:  # periodic bond: a stub leaving each end towards the opposite border
            for u, v in ((a, b), (b, a)):
                dx = np.sign(col[v] - col[u]) * -0.55 if col[u] != col[v] else 0.0
                dy = np.sign(row[v] - row[u]) * 0.55 if row[u] != row[v] else 0.0
                ax.plot([col[u], col[u] + dx], [-row[u], -row[u] + dy], **style,
                        linestyle=(0, (1.5, 1)))
    sites = np.arange(model.n)
    in_front = np.isin(sites, sorted(front))
    faces = np.where(sites == i, COLORS["twobo"], np.where(sites < i, _SAMPLED, _OTHER))
    ax.scatter(col, -row, s=120, facecolors=faces.tolist(), zorder=2,
               edgecolors=np.where(in_front, _FRONTIER, "#666666").tolist(),
               linewidths=np.where(in_front, 1.8, 0.6))
    for k in sites.tolist():
        ax.text(col[k], -row[k], str(k), ha="center", va="center", fontsize=5.5, zorder=3,
                color="white" if k == i else "black")
    ax.set_aspect("equal")
    ax.set_xlim(-0.9, size - 0.1)
    ax.set_ylim(-size + 0.1, 0.9)
    ax.set_axis_off()
    handles = [Line2D([], [], marker="o", linestyle="", markersize=6, markerfacecolor=_SAMPLED,
                      markeredgecolor="#666666", label=r"sampled, $s < i$"),
               Line2D([], [], marker="o", linestyle="", markersize=6,
                      markerfacecolor=COLORS["twobo"], markeredgecolor="#666666",
                      label=f"site $i = {i}$"),
               Line2D([], [], marker="o", linestyle="", markersize=6, markerfacecolor="white",
                      markeredgecolor=_FRONTIER, markeredgewidth=1.8,
                      label=rf"frontier $F_i$ ($|F_i| = {len(front)}$)"),
               Line2D([], [], color=_FRONTIER, label=r"bond $s < i \leq l$")]
    ax.legend(handles=handles, loc="center left", bbox_to_anchor=(1.0, 0.5), fontsize=6.5,
              handletextpad=0.4)
    ax.text(-0.9, -size, f"{size} x {size} periodic ea2d lattice, row-major order;\n"
            f"dotted stubs: periodic bonds", fontsize=6.5, va="top", color="#444444")
