"""The MPVAN figures' palette and legend names, keyed on the paper's config net labels."""

from __future__ import annotations

import numpy as np

from arspin.aggregate.table import Table
from arspin.figures import style

# Okabe-Ito, one per method; mechanism ablations (Table 2) take the remaining style.EXTRA ones
COLORS = {"mpvan": "#D55E00", "van": "#0072B2", "gcon-van": "#009E73", "vca": "#CC79A7",
          "sa": "#E69F00", "pt": "#56B4E9"}
NAMES = {"mpvan": "MPVAN", "van": "VAN", "gcon-van": "GCon-VAN", "vca": "VCA", "sa": "SA",
         "pt": "PT", "mp-weighted": "weighted MP", "mp-graph": "graph MP",
         "mp-spin-gcn": "spin GCon-VAN", "mp-graph-spin": "graph spin MP"}


def color(net: str, position: int = 0) -> str:
    """Colour of a method label; unknown labels cycle through style.EXTRA."""
    return COLORS.get(net, style.EXTRA[position % len(style.EXTRA)])


def name(net: str) -> str:
    return NAMES.get(net, net)


def draw_methods(ax, rows, nets: str, curve, gid: str = "{net}", marker: str = "-o") -> bool:
    """One line with a band per method of the comma list ``nets`` found in ``rows``:
    ``curve(sub) -> (x, mean, low, high)`` on the rows of that method; the line's gid is
    ``gid`` formatted with the method label. Returns whether anything was drawn."""
    drawn = False
    for j, net in enumerate(x for x in nets.split(",") if x):
        sub = rows.where(net=net) if len(rows) else rows
        if not len(sub):
            continue
        x, mean, low, high = curve(sub)
        ax.plot(x, mean, marker, color=color(net, j), label=name(net), gid=gid.format(net=net))
        ax.fill_between(x, low, high, color=color(net, j), alpha=0.18, linewidth=0)
        drawn = True
    return drawn


def method_curve(rows: Table, column: str = "residual", by: str = "n"
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(x, mean, band low, band high) for one method: per value x of ``by`` (N, beta, degree),
    the instance mean of the run mean of ``column``, and the instance means of the run min and
    max (the averaging of every MPVAN figure, mpvan.md section 4)."""
    sizes = sorted(rows.unique(by))
    mean, low, high = [], [], []
    for n in sizes:
        per = [sub[column] for _, sub in rows.where(**{by: n}).groups("set", "index")]
        mean.append(float(np.mean([p.mean() for p in per])))
        low.append(float(np.mean([p.min() for p in per])))
        high.append(float(np.mean([p.max() for p in per])))
    return np.array(sizes), np.array(mean), np.array(low), np.array(high)
