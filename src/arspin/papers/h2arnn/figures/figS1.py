# ruff: noqa: N999
"""H2ARNN Supplementary Fig. 1 (fit_rs): the replica-symmetric Gaussian convolution of a
log-sigmoid is itself close to a log-sigmoid, which is why SK_RS uses log-sigmoid units
(figures.md, SI Fig. 1).

Dots: f(x) = int_{-5}^{5} dz (2 pi q0)^(-1/2) exp(-z^2 / q0) logsigmoid(beta (JJ + beta z + x))
by the trapezoid rule on z = arange(-5, 5, dz), at x = arange(-3, 3, 0.3) (20 points), for q0
in {0.01, 0.1, 0.5, 0.99} and beta = 0.1, 1.5, 3 (one panel each), JJ = 0.1. The published
weight has z^2/q0, not z^2/(2 q0), so it is not normalised (it integrates to 1/sqrt(2)); the
option ``normalised`` uses the Gaussian exp(-z^2/(2 q0)). Dashed grey: the least-squares fit
(scipy curve_fit, start [0.1, q0, beta, JJ]) of a + b logsigmoid(c x + d) to f itself.

Artists carry gids "points|beta=B|q0=Q" and "fit|beta=B|q0=Q" (B, Q as in BETAS, Q0S) so that
tests read the plotted data back. The helpers here are shared with figS2.
"""

from __future__ import annotations

import textwrap
import warnings
from collections.abc import Callable

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from scipy.optimize import curve_fit
from scipy.special import log_expit

from arspin.aggregate.table import Table

OPTIONS = {
    "jj": (float, 0.1, "JJ, the coupling offset (paper 0.1)"),
    "dz": (float, 1e-3, "trapezoid step in z (paper 0.001)"),
    "normalised": (bool, False, ("weight exp(-z^2/(2 q0)) (normalised) instead of the "
                                 "published exp(-z^2/q0)")),
}

BETAS = (0.1, 1.5, 3.0)
Q0S = (0.01, 0.1, 0.5, 0.99)
COLORS = ("#E69F00", "#56B4E9", "#009E73", "#0072B2")   # Okabe-Ito, one per q0 (or q1 - q0)
# Generous: the six-parameter SI Fig. 2 fit (figS2, separable off) needs up to ~4e5 evaluations
# on a few published curves; the fits of this figure take at most a few thousand.
MAXFEV = 400_000


def z_grid(dz: float) -> np.ndarray:
    """The integration grid arange(-5, 5, dz), shape (ceil(10 / dz),): [-5, 5) as published
    (the last interval [5 - dz, 5] is left out, like the reference code)."""
    return np.arange(-5.0, 5.0, dz)


def rs_integral(x: np.ndarray, q0: float, beta: float, jj: float, dz: float = 1e-3,
                normalised: bool = False) -> np.ndarray:
    """f(x) of the module doc by the trapezoid rule on z_grid(dz).

    Args:
        x: any shape; the result has the same shape (float64).
        q0, beta, jj: the overlap, inverse temperature and coupling offset JJ.
        normalised: weight exp(-z^2/(2 q0)) instead of the published exp(-z^2/q0).
    """
    x = np.asarray(x, np.float64)
    z = z_grid(dz)
    weight = np.exp(-z * z / (2 * q0 if normalised else q0)) / np.sqrt(2 * np.pi * q0)
    values = log_expit(beta * (jj + beta * z[None, :] + x.reshape(-1, 1)))  # (x.size, z.size)
    return np.trapezoid(weight * values, z, axis=1).reshape(x.shape)


def rs_model(x: np.ndarray, a: float, b: float, c: float, d: float) -> np.ndarray:
    """a + b logsigmoid(c x + d), the form of SK_RS's units; same shape as x."""
    return a + b * log_expit(c * np.asarray(x, np.float64) + d)


def fit_curve(model: Callable[..., np.ndarray], x: np.ndarray, y: np.ndarray,
              start: list[float], method: str = "lm") -> np.ndarray | None:
    """curve_fit's parameters of ``model`` through (x, y) from ``start`` (shape (len(start),)),
    or None where it does not converge within MAXFEV evaluations (or ends non-finite)."""
    try:
        with warnings.catch_warnings():
            # OptimizeWarning (no covariance: the fit is exact or degenerate) and overflow in
            # exp on the way are harmless: only the parameters are used.
            warnings.simplefilter("ignore")
            params, _ = curve_fit(model, x, y, p0=start, maxfev=MAXFEV, method=method)
    except RuntimeError:
        return None
    return params if np.all(np.isfinite(params)) else None


def fit_rs(x: np.ndarray, y: np.ndarray, q0: float, beta: float,
           jj: float) -> np.ndarray | None:
    """The published fit of rs_model to the points (x, y) (shapes (n,)): parameters (a, b, c,
    d), shape (4,), from the start [0.1, q0, beta, jj]; None if it does not converge."""
    return fit_curve(rs_model, x, y, [0.1, q0, beta, jj])


def points_and_fit(ax, x: np.ndarray, y: np.ndarray, color: str, tag: str,
                   model: Callable[..., np.ndarray], params: np.ndarray | None,
                   failed: list[str]) -> None:
    """The dots y(x) (gid "points|<tag>") and the dashed fit model(x, *params) ("fit|<tag>");
    a failed fit (params None) draws no line and is added to ``failed``."""
    ax.plot(x, y, "o", color=color, markersize=3.5, gid=f"points|{tag}")
    if params is None:
        failed.append(tag.replace("|", ", "))
        return
    ax.plot(x, model(x, *params), "--", color="grey", linewidth=1, gid=f"fit|{tag}")


def footer(fig: Figure, text: str, failed: list[str]) -> None:
    """One line at the bottom saying which variant the figure shows (and any missing fit; the
    first three are named, so that the text stays clear of the x labels)."""
    if failed:
        text += f"; no converged fit, so no line, for {len(failed)}: " + "; ".join(failed[:3])
        text += f" and {len(failed) - 3} more" if len(failed) > 3 else ""
    width = int(fig.get_figwidth() * 19)   # characters of 7-pt text per line, with a margin
    fig.text(0.01, 0.01, "\n".join(textwrap.wrap(text, width)), fontsize=7, color="#444444",
             va="bottom")


def legend(fig: Figure, labels: list[str]) -> None:
    """One legend above the panels (inside, it would cover points of some panel): a dot per
    colour of COLORS, then the dashed fit."""
    handles = [Line2D([], [], linestyle="", marker="o", markersize=3.5, color=color)
               for color in COLORS[:len(labels)]]
    handles.append(Line2D([], [], linestyle="--", color="grey", linewidth=1))
    fig.legend(handles, [*labels, "least-squares fit"], loc="upper center",
               ncol=len(handles), fontsize=8, frameon=False)


def build(tables: dict[str, Table], *, jj: float, dz: float, normalised: bool) -> Figure:
    """Draw SI Fig. 1 (reads no table): 1 x 3 panels, 10 x 3 in."""
    x = np.arange(-3.0, 3.0, 0.3)
    fig = Figure(figsize=(10.0, 3.0))
    axes = fig.subplots(1, 3)
    fig.subplots_adjust(left=0.06, right=0.99, top=0.8, bottom=0.2, wspace=0.25)
    failed = []
    for ax, beta in zip(axes, BETAS):
        for q0, color in zip(Q0S, COLORS):
            y = rs_integral(x, q0, beta, jj, dz, normalised)
            points_and_fit(ax, x, y, color, f"beta={beta}|q0={q0}", rs_model,
                           fit_rs(x, y, q0, beta, jj), failed)
        ax.set_title(f"beta={beta:g}", fontsize=9)
        ax.set_xlabel("x")
        ax.set_ylabel("f(x)")
    legend(fig, [f"q0={q0}" for q0 in Q0S])
    weight = ("exp(-z^2/(2 q0)), normalised" if normalised
              else "exp(-z^2/q0) as published (not normalised)")
    footer(fig, f"JJ = {jj:g}, trapezoid dz = {dz:g} on [-5, 5); weight {weight}; dashed: "
                "least-squares fit of a + b logsigmoid(c x + d) to the integral itself", failed)
    return fig
