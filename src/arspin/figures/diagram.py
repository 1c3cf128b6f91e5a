"""Boxes and arrows for the architecture diagrams (TwoBo Fig. 1, H2ARNN Figs. 1-3).

Drawn with matplotlib patches in data coordinates of an axis without frame, so a diagram is
code like every other figure (no pptx, no graphviz binary). Two looks: a trainable block (blue)
and a block whose weights are fixed by the Hamiltonian (orange, the papers' colour for it).
"""

from __future__ import annotations

from matplotlib.axes import Axes
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

TRAINED_FACE, TRAINED_EDGE = "#E1EEF8", "#0072B2"
FIXED_FACE, FIXED_EDGE = "#FBE3D6", "#D55E00"
PLAIN_FACE, PLAIN_EDGE = "#F2F2F2", "#666666"

Box = tuple[float, float, float, float]  # (left, right, bottom, top)


def box(ax: Axes, xy: tuple[float, float], text: str, width: float, height: float, *,
        look: str = "trained", fontsize: float = 6.5) -> Box:
    """A rounded box centred at xy (data units) with centred text; look is 'trained',
    'fixed' (weights set by the Hamiltonian) or 'plain' (no weights). Returns its edges."""
    face, edge = {"trained": (TRAINED_FACE, TRAINED_EDGE), "fixed": (FIXED_FACE, FIXED_EDGE),
                  "plain": (PLAIN_FACE, PLAIN_EDGE)}[look]
    x, y = xy
    ax.add_patch(FancyBboxPatch((x - width / 2, y - height / 2), width, height,
                                boxstyle="round,pad=0.01", facecolor=face, edgecolor=edge,
                                linewidth=0.8))
    ax.text(x, y, text, ha="center", va="center", fontsize=fontsize, linespacing=1.5)
    return x - width / 2, x + width / 2, y - height / 2, y + height / 2


def arrow(ax: Axes, start: tuple[float, float], end: tuple[float, float], *,
          color: str = "#333333", label: str = "", fontsize: float = 6.0) -> None:
    """An arrow from start to end (data units), with an optional label at its middle."""
    ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=8,
                                 linewidth=0.8, color=color, shrinkA=1, shrinkB=1))
    if label:
        ax.text((start[0] + end[0]) / 2, (start[1] + end[1]) / 2, label, ha="center",
                va="bottom", fontsize=fontsize, color=color,
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5})


def canvas(ax: Axes, xlim: tuple[float, float], ylim: tuple[float, float]) -> None:
    """Fix the data window of a diagram axis and hide its frame."""
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_axis_off()
