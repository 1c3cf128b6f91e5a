"""MPVAN Fig. 2: (a) the MPVAN stack (mpvan.md section 2): input s, then per layer a message
passing step (no parameters), a masked dense layer and a sigmoid, output s_hat; (b) four
mechanisms on a 4-node star graph (edges 1-4, 2-4, 3-4; the paper's graph is lost) with the
update of node 4, whose coefficients are computed now from the net's own kernels
(arspin.nets.mpvan.message_kernel) and couplings J_14, J_24, J_34 (option ``couplings``).

Node-4 texts carry ``gid = "update|<mechanism>"`` for the tests.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from arspin.aggregate.table import Table
from arspin.figures.diagram import arrow, box, canvas
from arspin.figures.style import FULL
from arspin.hamiltonian import IsingModel
from arspin.nets.mpvan import message_kernel

OPTIONS = {
    "couplings": (tuple, (0.5, -1.0, 2.0), "J_14, J_24, J_34 of the example graph"),
}

PANELS = (("none", "VAN (no message)"), ("gcn", "GCon-VAN"), ("graph", "graph MP"),
          ("hamiltonian", "Hamiltonian MP (MPVAN)"))
POSITIONS = np.array([[0.15, 0.8], [0.15, 0.45], [0.15, 0.1], [0.75, 0.45]])


def node4_update(mechanism: str, couplings: tuple) -> str:
    """h~_4 of ``mechanism`` on the star graph as mathtext, from message_kernel."""
    model = IsingModel.from_edges(4, np.array([0, 1, 2]), np.array([3, 3, 3]),
                                  np.asarray(couplings, np.float64))
    c, kernel = message_kernel(model, mechanism)
    feature = {"hamiltonian": r"s_{j}\hat h_{j}"}.get(mechanism, "h_{j}")
    terms = [(r"h_4" if c[3] == 1 else f"{c[3]:.3g}\\,h_4")]
    for j in range(3):
        k = kernel[3, j]
        if k:
            sign = "-" if k < 0 else "+"
            terms.append(f"{sign} {abs(k):.3g}\\," + feature.replace("{j}", str(j + 1)))
    return r"$\tilde h_4 = " + " ".join(terms) + "$"


def build(tables: dict[str, Table], *, couplings: tuple) -> Figure:
    """Draw Fig. 2 (reads no table)."""
    fig = Figure(figsize=(FULL, 3.6))
    ax = fig.add_axes((0.0, 0.0, 0.36, 1.0))
    _stack(ax)
    for k, (mechanism, title) in enumerate(PANELS):
        sub = fig.add_axes((0.38 + 0.31 * (k % 2), 0.52 - 0.47 * (k // 2), 0.3, 0.42))
        _graph(sub, mechanism, title, couplings)
    fig.text(0.005, 0.97, "(a)", fontweight="bold", va="top")
    fig.text(0.37, 0.97, "(b)", fontweight="bold", va="top")
    return fig


def _stack(ax) -> None:
    canvas(ax, (0.0, 1.0), (0.0, 1.0))
    y_in, y_out = 0.08, 0.92
    box(ax, (0.5, y_in), "input $s$ ($\\pm 1$)", 0.5, 0.08, look="plain")
    ys = (0.3, 0.5, 0.7)
    for y, label in zip(ys, ("layer 1 (mask $j<i$)", "layer 2 (mask $j\\leq i$)",
                             "layer 3 (mask $j\\leq i$)")):
        box(ax, (0.5, y), label + "\nmessage passing (fixed)\n"
            r"$\sigma(\tilde h\,(W\odot M)^T + b)$", 0.8, 0.15)
    box(ax, (0.5, y_out), r"output $\hat s_i = q(s_i{=}{+}1 \mid s_{<i})$", 0.8, 0.08,
        look="plain")
    for a, b in zip((y_in, *ys), (*ys, y_out)):
        arrow(ax, (0.5, a + (0.04 if a == y_in else 0.075)), (0.5, b - (0.04 if b == y_out
                                                                          else 0.075)))


def _graph(ax, mechanism: str, title: str, couplings: tuple) -> None:
    canvas(ax, (0.0, 1.0), (-0.25, 1.0))
    for j in range(3):   # messages flow from the earlier neighbours j < 4 to node 4
        (x0, y0), (x1, y1) = POSITIONS[j], POSITIONS[3]
        if mechanism == "none":
            ax.plot([x0, x1], [y0, y1], color="#BBBBBB", linewidth=1.0, zorder=1)
        else:
            ax.annotate("", (x1, y1), (x0, y0), zorder=1,
                        arrowprops={"arrowstyle": "-|>", "color": "#D55E00", "lw": 0.9,
                                    "shrinkA": 7, "shrinkB": 8})
    for k, (x, y) in enumerate(POSITIONS):
        ax.scatter([x], [y], s=160, color="#E1EEF8" if k < 3 else "#FBE3D6",
                   edgecolors="#333333", linewidths=0.6, zorder=2)
        ax.text(x, y, str(k + 1), ha="center", va="center", fontsize=7, zorder=3)
    ax.text(0.5, 0.98, title, ha="center", va="top", fontsize=7)
    ax.text(0.5, -0.18, node4_update(mechanism, couplings), ha="center", fontsize=6.5,
            gid=f"update|{mechanism}")
