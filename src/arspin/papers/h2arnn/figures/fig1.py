"""H2ARNN Fig. 1: the exact autoregressive conditional q(x_i = +1 | x_<i) of a pairwise
Boltzmann distribution as a two-layer net (physics.md section 4; figures.md).

First layer (orange: weights fixed by the Hamiltonian): the skip x_i^1 = 2 beta (h_i +
sum_{s<i} J_si x_s) and the fields x_il^1 = sum_{s<i} J_sl x_s of every later spin l > i.
Second layer: per branch (x_i = +1 or -1) one unit per configuration c of the N - i later
spins, bias b_c^+- and weights beta x_l^c; a log-sum-exp over them gives rho^+- (the log of
the partial partition functions); logit = x_i^1 + rho^+ - rho^-, then a sigmoid.

Footer: the numerical companion, computed now: the net h2arnn_exact (this formula) against
P_B(x_i | x_<i) by enumeration (arspin.papers.h2arnn.companions.conditional_error).
"""

from __future__ import annotations

import textwrap

from matplotlib.figure import Figure

from arspin.aggregate.table import Table
from arspin.figures.diagram import arrow, box, canvas
from arspin.figures.style import FULL
from arspin.papers.h2arnn.companions import conditional_error

OPTIONS = {
    "check_size": (int, 8, "N of the enumeration check in the footer (random J, h)"),
    "check_beta": (float, 1.0, "beta of the enumeration check"),
    "check_seed": (int, 0, "seed of the random J, h of the check"),
}


def build(tables: dict[str, Table], *, check_size: int, check_beta: float,
          check_seed: int) -> Figure:
    """Draw Fig. 1 (reads no table)."""
    error = conditional_error(check_size, check_beta, check_seed)
    fig = Figure(figsize=(FULL, 3.0))
    ax = fig.add_axes((0.0, 0.12, 1.0, 0.88))
    canvas(ax, (0.0, 1.62), (0.0, 1.06))
    x_in = box(ax, (0.07, 0.5), "input\n$x_{<i}$", 0.12, 0.18, look="plain")
    skip = box(ax, (0.36, 0.84), "skip\n"
               r"$x_i^1 = 2\beta\,(h_i + {\sum}_{s<i} J_{si} x_s)$", 0.4, 0.2, look="fixed")
    field = box(ax, (0.36, 0.4), "fields of the later spins\n"
                r"$x_{il}^1 = {\sum}_{s<i} J_{sl}\, x_s$,  $l > i$", 0.4, 0.22, look="fixed")
    plus = box(ax, (0.82, 0.56), r"branch $x_i = +1$: $2^{N-i}$ units ($i$ 1-based)" "\n"
               r"$b_c^+ + \beta {\sum}_{l>i} x_l^c\, x_{il}^1$", 0.4, 0.2, look="fixed")
    minus = box(ax, (0.82, 0.22), r"branch $x_i = -1$: $2^{N-i}$ units ($i$ 1-based)" "\n"
                r"$b_c^- + \beta {\sum}_{l>i} x_l^c\, x_{il}^1$", 0.4, 0.2, look="fixed")
    rho_p = box(ax, (1.13, 0.56), "log-sum-exp\n" r"$\rho^+$", 0.14, 0.16, look="plain")
    rho_m = box(ax, (1.13, 0.22), "log-sum-exp\n" r"$\rho^-$", 0.14, 0.16, look="plain")
    add = box(ax, (1.32, 0.56), r"$x_i^1 + \rho^+ - \rho^-$", 0.17, 0.12, look="plain")
    out = box(ax, (1.52, 0.56), "sigmoid\n" r"$q(x_i{=}{+}1 \mid x_{<i})$", 0.18, 0.2,
              look="plain")
    arrow(ax, (x_in[1], 0.56), (skip[0], 0.84))
    arrow(ax, (x_in[1], 0.46), (field[0], 0.4))
    arrow(ax, (field[1], 0.44), (plus[0], 0.56))
    arrow(ax, (field[1], 0.36), (minus[0], 0.22))
    arrow(ax, (plus[1], 0.56), (rho_p[0], 0.56))
    arrow(ax, (minus[1], 0.22), (rho_m[0], 0.22))
    arrow(ax, (rho_p[1], 0.56), (add[0], 0.56))
    arrow(ax, (rho_m[1], 0.22), (add[0] + 0.06, add[2]), label=r"$-\rho^-$")
    arrow(ax, (skip[1], 0.84), (add[0] + 0.08, add[3]))
    arrow(ax, (add[1], 0.56), (out[0], 0.56))
    ax.text(0.82, 0.05, r"$c$: a configuration of the later spins $x_{>i}$;  "
            r"$b_c^\pm = \beta \sum_{i<l<m} J_{lm} x_l^c x_m^c + \beta \sum_{l>i} "
            r"(h_l \pm J_{il})\, x_l^c$", ha="center", fontsize=6.5, color="#444444")
    ax.text(0.0, 1.05, "orange: weights fixed by the Hamiltonian (no training)",
            ha="left", va="top", fontsize=6.5, color="#D55E00")
    footer = (f"Check (computed now): this conditional (net h2arnn_exact) equals "
             f"P_B(x_i | x_<i) by enumeration: max |ln q - ln P_B| = {error:.1e} over all "
             f"{2 ** check_size} states and {check_size} sites (random J, h; N = {check_size}, "
             f"beta = {check_beta:g}, float32 logits).")
    fig.text(0.01, 0.01, textwrap.fill(footer, 130), fontsize=6.5, color="#444444")
    return fig
