# ruff: noqa: N999
"""MPVAN Fig. S5: the number of layers (figures.md). (a) Which nodes reach node 10 through
message passing in 1, 2 and 3 layers on a 12-node example graph: a message only comes from an
earlier neighbour (the autoregressive mask), so after L layers node 10 has heard the nodes at
the end of decreasing paths of length <= L; nodes 11 and 12 never reach it. Computed from the
graph when drawn (:func:`reach`). (b) residual energy per site against the number of layers,
one line per N (the paper: minimal at 3 layers for every size).

Lines of (b) carry ``gid = "N=<n>"``; the nodes of (a) ``gid = "node<k>:hop<h>"`` (h = 0:
never reached) for the tests.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from arspin.aggregate.table import Table
from arspin.figures import style
from arspin.papers.mpvan.figures.look import method_curve

OPTIONS = {
    "instance_set": (str, "wpe-a0.25", "instance set"),
    "nets": (str, "mpvan-l1,mpvan-l2,mpvan,mpvan-l4,mpvan-l5",
             "MPVAN labels that differ only in their number of layers"),
}

#: the example graph of panel (a): nodes 1..12 (the paper's labels), edges chosen so that
#: node 10 is reached at hops 1, 2 and 3 and has later neighbours 11 and 12
EXAMPLE_EDGES = ((10, 7), (10, 9), (10, 11), (10, 12), (7, 4), (9, 5), (9, 8), (4, 2),
                 (5, 3), (8, 6), (2, 1), (11, 6), (12, 3), (6, 1))
TARGET = 10


def reach(graph: nx.Graph, target: int, layers: int) -> dict[int, int]:
    """{node: the first layer (1..layers) whose message carries its spin to ``target``}:
    node j reaches i in one layer iff j < i are neighbours; in l layers along a path of
    decreasing labels of length l."""
    hop = {}
    frontier = {target}
    for layer in range(1, layers + 1):
        frontier = {j for i in frontier for j in graph.neighbors(i) if j < i}
        for j in frontier:
            hop.setdefault(j, layer)
    return hop


def _schematic(ax, layers: int = 3) -> None:
    graph = nx.Graph(EXAMPLE_EDGES)
    hop = reach(graph, TARGET, layers)
    # rings around the target: the nodes of hop 1, 2, 3, then those never reached
    shells = [[TARGET]] + [sorted(j for j, h in hop.items() if h == k) for k in (1, 2, 3)]
    shells.append(sorted(set(graph.nodes) - set(hop) - {TARGET}))
    pos = nx.shell_layout(graph, [s for s in shells if s])
    shades = {1: "#D55E00", 2: "#E69F00", 3: "#F0E442", 0: "#DDDDDD"}
    for u, v in graph.edges:
        ax.plot(*zip(pos[u], pos[v]), color="#999999", linewidth=0.7, zorder=1)
    for node in sorted(graph.nodes):
        h = hop.get(node, 0)
        face = "#0072B2" if node == TARGET else shades[h]
        ax.scatter(*pos[node], s=150, color=face, edgecolor="black", linewidth=0.5, zorder=2,
                   gid=f"node{node}:hop{h}")
        ax.annotate(str(node), pos[node], ha="center", va="center", fontsize=6, zorder=3,
                    color="white" if node == TARGET else "black")
    for h in (1, 2, 3):
        ax.scatter([], [], s=40, color=shades[h], edgecolor="black", linewidth=0.5,
                   label=f"reaches {TARGET} at layer {h}")
    ax.scatter([], [], s=40, color=shades[0], edgecolor="black", linewidth=0.5,
               label="not within 3 layers")
    ax.legend(fontsize=5, loc="lower center", bbox_to_anchor=(0.5, -0.32), ncols=2,
              frameon=False)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(f"(a) message passing to node {TARGET}, {layers} layers", fontsize=7)


def build(tables: dict[str, Table], *, instance_set: str, nets: str) -> Figure:
    """Draw Fig. S5: the schematic and, from the residual table, eps_res against layers."""
    res = tables["residual"]
    labels = [x for x in nets.split(",") if x]
    rows = res.mask((res["set"] == instance_set) & np.isin(res["net"], labels)) if len(res) else res
    if len(rows):  # the runs every layer count shares: same seeds for every point
        common = set.intersection(*(set(rows.where(net=x).unique("protocol")) for x in labels
                                    if len(rows.where(net=x))))
        rows = rows.mask(np.isin(rows["protocol"], sorted(common)))
    fig = Figure(figsize=(style.FULL, 2.8))
    ax_a = fig.add_axes((0.02, 0.2, 0.36, 0.7))
    ax_b = fig.add_axes((0.5, 0.17, 0.46, 0.72))
    _schematic(ax_a)
    if not len(rows):
        style.empty(ax_b)
        return fig
    for k, n in enumerate(sorted(rows.unique("n"))):
        x, mean, low, high = method_curve(rows.where(n=n), by="layers")
        c = style.EXTRA[k % len(style.EXTRA)] if k else "#D55E00"
        ax_b.plot(x, mean, style.SIZE_STYLES[k % 4], marker=style.SIZE_MARKERS[k % 4],
                  color=c, label=f"N = {int(n)}", gid=f"N={int(n)}", markersize=3)
        ax_b.fill_between(x, low, high, color=c, alpha=0.15, linewidth=0)
    ax_b.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax_b.set_xlabel("layers L")
    ax_b.set_ylabel(r"$\epsilon_{\mathrm{res}}$ (per site)")
    ax_b.set_ylim(bottom=0)
    ax_b.set_title(f"(b) MPVAN on {instance_set}: instance mean of the run mean", fontsize=7)
    ax_b.legend(fontsize=6)
    return fig
