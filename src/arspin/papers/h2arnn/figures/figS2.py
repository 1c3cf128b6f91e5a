# ruff: noqa: N999
"""H2ARNN Supplementary Fig. 2 (fit_1rsb): the 1RSB Gaussian convolution is close to a
log-sigmoid of a log-sigmoid, which is why SK_1RSB chains two log-sigmoid units (figures.md,
SI Fig. 2).

Dots: g(x) = int_{-5}^{5} dz (2 pi q)^(-1/2) exp(-z^2/q + m beta^2 z
             - m logsigmoid(2 beta (JJ + beta z + x)))
by the trapezoid rule on z = arange(-5, 5, dz), at x = arange(-3, 3, 0.4) (15 points), for
q = q1 - q0 (called q0 in the reference code) in {0.01, 0.2, 0.5, 0.99}, rows m = 0.01, 0.2,
0.5, columns beta = 0.1, 1.5, 3, JJ = -0.1; the weight exp(-z^2/q) as published. As in the
reference code the integral itself is fitted (the SI formula writes its log), dashed grey, by
b0 + w0 logsigmoid(b1 + w1 logsigmoid(w2 x + b2)) from the start [0, 0, 1, m, 1, 1].

How the fit is found (option ``separable``): b0 and w0 enter linearly, so by default they are
solved exactly by linear least squares inside the residual (variable projection) and
curve_fit ('trf') moves only (b1, w1, w2, b2) from [1, m, 1, 1]. The least-squares problem is
the same; what changes is that every published curve converges, to within 0.1% of its range,
in about a second in all. With ``separable`` off, curve_fit (Levenberg-Marquardt, like the
reference code) moves all six parameters from [0, 0, 1, m, 1, 1]: it needs up to ~4e5
evaluations on some curves (~20 s in all) and ends on a poor local minimum (8% of the range)
for beta = 3, m = 0.5, q = 0.99.

Artists carry gids "points|beta=B|m=M|q=Q" and "fit|beta=B|m=M|q=Q" for the tests.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from scipy.special import log_expit

from arspin.aggregate.table import Table
from arspin.papers.h2arnn.figures.figS1 import (
    BETAS,
    COLORS,
    fit_curve,
    footer,
    legend,
    points_and_fit,
    z_grid,
)

OPTIONS = {
    "jj": (float, -0.1, "JJ, the coupling offset (paper -0.1)"),
    "dz": (float, 1e-3, "trapezoid step in z (paper 0.001)"),
    "separable": (bool, True, ("solve b0, w0 linearly inside the fit (variable projection); "
                               "off: curve_fit of all six parameters as the reference code")),
}

MS = (0.01, 0.2, 0.5)
QS = (0.01, 0.2, 0.5, 0.99)


def rsb_integral(x: np.ndarray, q: float, m: float, beta: float, jj: float,
                 dz: float = 1e-3) -> np.ndarray:
    """g(x) of the module doc by the trapezoid rule on z_grid(dz).

    Args:
        x: any shape; the result has the same shape (float64).
        q: q1 - q0; m: the Parisi block parameter; beta, jj: inverse temperature, JJ.
    """
    x = np.asarray(x, np.float64)
    z = z_grid(dz)[None, :]
    exponent = (-z * z / q + m * beta**2 * z
                - m * log_expit(2 * beta * (jj + beta * z + x.reshape(-1, 1))))
    values = np.exp(exponent) / np.sqrt(2 * np.pi * q)                  # (x.size, z.size)
    return np.trapezoid(values, z[0], axis=1).reshape(x.shape)


def rsb_model(x: np.ndarray, b0: float, w0: float, b1: float, w1: float, w2: float,
              b2: float) -> np.ndarray:
    """b0 + w0 logsigmoid(b1 + w1 logsigmoid(w2 x + b2)), two chained SK_1RSB units; same
    shape as x."""
    return b0 + w0 * log_expit(b1 + w1 * log_expit(w2 * np.asarray(x, np.float64) + b2))


def _linear(g: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """(b0, w0) minimising |b0 + w0 g - y|^2 for g, y of shape (n,) (w0 = 0 if g is flat)."""
    gc = g - g.mean()
    var = float(gc @ gc)
    w0 = float(gc @ (y - y.mean())) / var if var > 0 else 0.0
    return float(y.mean()) - w0 * float(g.mean()), w0


def fit_1rsb(x: np.ndarray, y: np.ndarray, m: float, separable: bool = True
             ) -> np.ndarray | None:
    """Least-squares parameters (b0, w0, b1, w1, w2, b2), shape (6,), of rsb_model through the
    points (x, y) (shapes (n,)), or None if the fit does not converge (see the module doc for
    the two ways, ``separable`` or all six parameters from [0, 0, 1, m, 1, 1])."""
    if not separable:
        return fit_curve(rsb_model, x, y, [0.0, 0.0, 1.0, m, 1.0, 1.0])

    def projected(x: np.ndarray, b1: float, w1: float, w2: float, b2: float) -> np.ndarray:
        g = log_expit(b1 + w1 * log_expit(w2 * x + b2))
        b0, w0 = _linear(g, y)
        return b0 + w0 * g

    # 'trf': on the projected problem Levenberg-Marquardt also converges but stops up to 10x
    # farther from the points on a few curves.
    inner = fit_curve(projected, x, y, [1.0, m, 1.0, 1.0], method="trf")
    if inner is None:
        return None
    b1, w1, w2, b2 = inner
    return np.array([*_linear(log_expit(b1 + w1 * log_expit(w2 * x + b2)), y), *inner])


def build(tables: dict[str, Table], *, jj: float, dz: float, separable: bool = True) -> Figure:
    """Draw SI Fig. 2 (reads no table): 3 x 3 panels, 12 x 8 in."""
    x = np.arange(-3.0, 3.0, 0.4)
    fig = Figure(figsize=(12.0, 8.0))
    axes = fig.subplots(3, 3)
    fig.subplots_adjust(left=0.06, right=0.99, top=0.91, bottom=0.09, hspace=0.42, wspace=0.22)
    failed = []
    for row, m in zip(axes, MS):
        for ax, beta in zip(row, BETAS):
            for q, color in zip(QS, COLORS):
                y = rsb_integral(x, q, m, beta, jj, dz)
                points_and_fit(ax, x, y, color, f"beta={beta}|m={m}|q={q}", rsb_model,
                               fit_1rsb(x, y, m, separable), failed)
            ax.set_title(f"beta={beta:g}, m={m:g}", fontsize=9)
            ax.set_xlabel("x")
            ax.set_ylabel("g(x)")
    legend(fig, [f"q1-q0={q}" for q in QS])
    how = ("b0, w0 solved linearly" if separable
           else "all six parameters from [0, 0, 1, m, 1, 1]")
    footer(fig, f"JJ = {jj:g}, trapezoid dz = {dz:g} on [-5, 5); weight exp(-z^2/q) as "
                "published; dashed: least-squares fit of b0 + w0 logsigmoid(b1 + w1 "
                f"logsigmoid(w2 x + b2)) to the integral itself (not its log), {how}", failed)
    return fig
