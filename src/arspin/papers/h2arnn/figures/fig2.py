"""H2ARNN Fig. 2: the Curie-Weiss nets, (A) CW_N, exact at every N, and (B) CW_inf, its
N -> infinity limit (physics.md section 6b; figures.md).

A: the sum M = sum_{s<i} x_s of the sampled spins; a skip with shared weight 2 beta J / N and
   bias 2 beta h; 2(N - i + 1) linear units per conditional (1-based i) in two groups, weights
   w_k M and biases b_k^+- fixed by (beta, J, h); two log-sum-exp; their difference; sigmoid.
B: the skip a M plus c_i sgn(M) with a free weight c_i per conditional; sigmoid.

Footer: the numerical companions, computed now (arspin.papers.h2arnn.companions): KL(CW_N ||
P_B) by enumeration, the dynamic-program F_q of CW_N against the finite-N f_N, and the
parameter counts of the registered nets (cw_n trains none: its weights follow from beta).
"""

from __future__ import annotations

import textwrap

from matplotlib.figure import Figure

from arspin.aggregate.table import Table
from arspin.figures.diagram import arrow, box, canvas
from arspin.figures.style import FULL
from arspin.nets.h2arnn.cw import CWN, CWInf
from arspin.papers.h2arnn.companions import cw_n_exactness, parameter_counts

OPTIONS = {
    "check_size": (int, 10, "N of the enumeration check of CW_N (KL to P_B)"),
    "check_beta": (float, 1.2, "beta of the checks"),
    "dp_size": (int, 200, "N of the dynamic-program check of CW_N against f_N"),
    "count_size": (int, 200, "N of the parameter counts in the footer"),
}


def build(tables: dict[str, Table], *, check_size: int, check_beta: float, dp_size: int,
          count_size: int) -> Figure:
    """Draw Fig. 2 (reads no table)."""
    exact = cw_n_exactness(check_size, check_beta, dp_size)
    inf_count = parameter_counts(CWInf, (count_size,), family="cw")[count_size]
    n_count = parameter_counts(CWN, (count_size,), family="cw")[count_size]
    fig = Figure(figsize=(FULL, 3.6))
    ax_a = fig.add_axes((0.0, 0.44, 1.0, 0.56))
    ax_b = fig.add_axes((0.0, 0.12, 0.75, 0.27))
    _cw_n(ax_a)
    _cw_inf(ax_b)
    fig.text(0.005, 0.98, "(A) CW$_N$", fontweight="bold", va="top")
    fig.text(0.005, 0.405, r"(B) CW$_\infty$", fontweight="bold", va="top")
    footer = (f"Checks (computed now, beta = {check_beta:g}, J = 1, h = 0): KL(CW_N || P_B) = "
              f"{exact['kl']:.1e} by enumeration at N = {check_size}; |F_q - f_N| = "
              f"{exact['dp_gap']:.1e} per spin by a dynamic program over M at N = {dp_size}. "
              f"Parameters at N = {count_size}: CW_N {n_count} trained (its "
              f"{CWN.fixed_weight_count(count_size):,} stored weights, 2N^2 + 6N - 6, follow "
              f"from beta, J, h), CW_inf {inf_count} (N + 1).")
    fig.text(0.01, 0.01, textwrap.fill(footer, 130), fontsize=6.5, color="#444444")
    return fig


def _cw_n(ax) -> None:
    canvas(ax, (0.0, 1.62), (0.0, 1.0))
    x_in = box(ax, (0.07, 0.5), "input\n$x_{<i}$", 0.12, 0.16, look="plain")
    m = box(ax, (0.24, 0.5), r"$M = {\sum}_{s<i} x_s$", 0.15, 0.14, look="plain")
    skip = box(ax, (0.62, 0.86), r"skip: $\frac{2\beta J}{N} M + 2\beta h$", 0.34, 0.14,
               look="fixed")
    plus = box(ax, (0.62, 0.52), r"$N{-}i{+}1$ units: $b_k^+ + w_k M$", 0.34, 0.14,
               look="fixed")
    minus = box(ax, (0.62, 0.2), r"$N{-}i{+}1$ units: $b_k^- + w_k M$", 0.34, 0.14,
                look="fixed")
    lse_p = box(ax, (0.94, 0.52), r"log-sum-exp $\rho^+$", 0.2, 0.12, look="plain")
    lse_m = box(ax, (0.94, 0.2), r"log-sum-exp $\rho^-$", 0.2, 0.12, look="plain")
    add = box(ax, (1.2, 0.52), r"$\Sigma$", 0.07, 0.12, look="plain")
    out = box(ax, (1.44, 0.52), "sigmoid\n" r"$q(x_i{=}{+}1 \mid x_{<i})$", 0.26, 0.2,
              look="plain")
    arrow(ax, (x_in[1], 0.5), (m[0], 0.5))
    arrow(ax, (m[1], 0.54), (skip[0], 0.86))
    arrow(ax, (m[1], 0.5), (plus[0], 0.52))
    arrow(ax, (m[1], 0.46), (minus[0], 0.2))
    arrow(ax, (plus[1], 0.52), (lse_p[0], 0.52))
    arrow(ax, (minus[1], 0.2), (lse_m[0], 0.2))
    arrow(ax, (lse_p[1], 0.52), (add[0], 0.52))
    arrow(ax, (lse_m[1], 0.2), (add[0] + 0.02, add[2]), label=r"$-$")
    arrow(ax, (skip[1], 0.86), (add[0] + 0.02, add[3]))
    arrow(ax, (add[1], 0.52), (out[0], 0.52))
    ax.text(0.62, 0.02, r"$i$ 1-based; $k$ = number of down spins among the $n = N - i$ later ones:  "
            r"$w_k = \frac{\beta J}{N}(n - 2k)$,  $b_k^\pm = \ln\binom{n}{k} + "
            r"\frac{\beta J}{2N}(n-2k)^2 + (n-2k)(\beta h \pm \frac{\beta J}{N})$",
            ha="center", fontsize=6.5, color="#444444")


def _cw_inf(ax) -> None:
    canvas(ax, (0.0, 1.22), (0.0, 1.0))
    x_in = box(ax, (0.09, 0.5), "input\n$x_{<i}$", 0.16, 0.36, look="plain")
    m = box(ax, (0.31, 0.5), r"$M = {\sum}_{s<i} x_s$", 0.2, 0.28, look="plain")
    skip = box(ax, (0.62, 0.78), r"skip: $a\,M$ (shared $a$)", 0.28, 0.28)
    sign = box(ax, (0.62, 0.22), r"$c_i\, \mathrm{sgn}(M)$ (one $c_i$ per site)", 0.28, 0.28)
    add = box(ax, (0.84, 0.5), r"$\Sigma$", 0.06, 0.24, look="plain")
    out = box(ax, (1.06, 0.5), "sigmoid\n" r"$q(x_i{=}{+}1 \mid x_{<i})$", 0.28, 0.44,
              look="plain")
    arrow(ax, (x_in[1], 0.5), (m[0], 0.5))
    arrow(ax, (m[1], 0.6), (skip[0], 0.78))
    arrow(ax, (m[1], 0.4), (sign[0], 0.22))
    arrow(ax, (skip[1], 0.78), (add[0] + 0.02, add[3]))
    arrow(ax, (sign[1], 0.22), (add[0] + 0.02, add[2]))
    arrow(ax, (add[1], 0.5), (out[0], 0.5))
