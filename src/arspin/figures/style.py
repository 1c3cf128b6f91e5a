"""Shared look of every figure, and byte-reproducible saving.

One rcParams dict (:data:`RC`) is applied around building and saving each figure
(``matplotlib.rc_context``), so no figure depends on the user's matplotlibrc. Sizes are for a
two-column paper: :data:`FULL` wide figures (7 in), :data:`COLUMN` single-column ones
(3.4 in), 8-pt text.

Reproducible bytes: PDF metadata without CreationDate/ModDate and with a fixed Producer,
``svg.hashsalt`` fixed, fonts embedded as TrueType (Type 42, so text stays text), no random
ids. :func:`save` writes the PDF and a PNG beside it through ``arspin.io.atomic_write``.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from arspin.io import atomic_write

FULL, COLUMN = 7.0, 3.4  # inches
PNG_DPI = 150

RC: dict[str, object] = {
    "font.family": "DejaVu Sans",
    "font.size": 8,
    "axes.titlesize": 8,
    "axes.labelsize": 8,
    "legend.fontsize": 7,
    "xtick.labelsize": 7,
    "ytick.labelsize": 7,
    "axes.linewidth": 0.6,
    "lines.linewidth": 1.2,
    "lines.markersize": 3.5,
    "xtick.major.width": 0.6,
    "ytick.major.width": 0.6,
    "xtick.direction": "in",
    "ytick.direction": "in",
    "axes.grid": False,
    "legend.frameon": False,
    "legend.handlelength": 1.8,
    "savefig.bbox": "tight",
    "savefig.pad_inches": 0.03,
    "pdf.fonttype": 42,
    "ps.fonttype": 42,
    "svg.hashsalt": "arspin",
    "path.simplify": False,
    "figure.dpi": 100,
}

# Okabe-Ito colours (colour-blind safe) for labels a paper's palette does not name.
EXTRA = ("#E69F00", "#56B4E9", "#F0E442", "#000000", "#999999")
SIZE_STYLES = ("-", "--", ":", "-.")
SIZE_MARKERS = ("o", "s", "^", "D")


def band(ax: Axes, x: np.ndarray, mean: np.ndarray, se: np.ndarray, *, label: str | None,
         color: str, linestyle: str = "-", marker: str | None = None) -> None:
    """Line of the instance mean with a +-1 standard-error band (no band where SE is NaN)."""
    ax.plot(x, mean, linestyle=linestyle, color=color, label=label, marker=marker,
            markersize=2.5 if marker else None)
    se = np.where(np.isfinite(se), se, 0.0)
    if np.any(se > 0):
        ax.fill_between(x, mean - se, mean + se, color=color, alpha=0.2, linewidth=0)


def relative_scale(ax: Axes, values: Sequence[np.ndarray], axis: str = "y") -> None:
    """Log scale when every value is > 0, else symlog with the linear range set just below
    the smallest non-zero magnitude (so sign changes and exact zeros stay visible).

    The limits follow ``values`` (the plotted means) with a factor-2 margin, so an error band
    reaching zero or below on a log axis is clipped instead of stretching the axis."""
    flat = np.concatenate([np.ravel(v) for v in values]) if len(values) else np.array([])
    flat = flat[np.isfinite(flat)]
    setter = ax.set_yscale if axis == "y" else ax.set_xscale
    limits = ax.set_ylim if axis == "y" else ax.set_xlim
    if not flat.size:
        return
    if np.all(flat > 0):
        setter("log")
        limits(flat.min() / 2, flat.max() * 2)
        return
    nonzero = np.abs(flat[flat != 0])
    if not nonzero.size:
        return
    thresh = float(10.0 ** np.floor(np.log10(np.quantile(nonzero, 0.05))))
    setter("symlog", linthresh=thresh, linscale=0.5)
    low = -0.3 * thresh if flat.min() >= 0 else 2 * min(flat.min(), -thresh)
    high = 0.3 * thresh if flat.max() <= 0 else 2 * max(flat.max(), thresh)
    limits(low, high)


def save(fig: Figure, out: str | os.PathLike,
         png: str | os.PathLike | None | bool = None) -> Path | None:
    """Write ``fig`` as a byte-reproducible PDF at ``out`` and a PNG (dpi 150) beside it.

    Args:
        png: PNG path; None = ``out`` with suffix .png; False = no PNG.
    Returns:
        The PNG path, or None without PNG.
    """
    import matplotlib

    out = Path(out)
    with matplotlib.rc_context(RC):
        with atomic_write(out) as tmp:
            fig.savefig(tmp, format="pdf",
                        metadata={"CreationDate": None, "ModDate": None, "Producer": "arspin",
                                  "Creator": "arspin figure"})
        if png is False:
            return None
        png_path = Path(png) if png not in (None, True) else out.with_suffix(".png")
        with atomic_write(png_path) as tmp:
            fig.savefig(tmp, format="png", dpi=PNG_DPI, metadata={"Software": None})
    return png_path


def empty(ax: Axes, text: str = "no data at this scale") -> None:
    """Mark a panel whose data did not run (missing data is shown, never an error)."""
    ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes, color="#777777")
    ax.set_xticks([])
    ax.set_yticks([])


def size_ticks(ax: Axes, sizes: Sequence[float]) -> None:
    """Log x axis labelled at the sizes that ran, as plain integers (no 2 x 10^1)."""
    from matplotlib.ticker import FixedLocator, NullLocator

    ticks = sorted({float(s) for s in sizes})
    ax.set_xscale("log")
    ax.xaxis.set_major_locator(FixedLocator(ticks))
    ax.xaxis.set_minor_locator(NullLocator())
    ax.set_xticklabels([f"{t:g}" for t in ticks])
    if len(ticks) == 1:
        ax.set_xlim(ticks[0] / 1.5, ticks[0] * 1.5)
    else:
        ax.set_xlim(ticks[0] / 1.2, ticks[-1] * 1.2)
