"""H2ARNN Fig. 3: the SK_RS / SK_kRSB net of one conditional (physics.md section 6b;
figures.md), drawn for the k of option ``k``.

The first layer is fixed to the couplings J (orange, shared by every conditional): it gives the
skip field u_i = sum_{s<i} J_is x_s and the fields v_il = sum_{s<i} J_ls x_s of the later spins
l > i. For every l and each branch (+, -), a chain of k + 1 log-sigmoid units with a scalar
weight and bias each; the chain ends are summed with weights W+-_il; with the skip a_i u_i + c_i
and a sigmoid this is q(x_i = +1 | x_<i).

Below: the trainable-parameter counts of the net sk_rsb (its closed-form param_count on
generated SK instances) beside (2k+3) N (N-1) + 2N, the count Fig. 5d plots (the caption's
2(k+1) N^2 is not the code's count; figures.md), for k = 0, 1, 2 and the sizes of option
``sizes``: the numerical companion of the diagram.
"""

from __future__ import annotations

from matplotlib.figure import Figure

from arspin.aggregate.table import Table
from arspin.figures.diagram import arrow, box, canvas
from arspin.figures.style import FULL
from arspin.nets.h2arnn.sk import SKRSB
from arspin.papers.h2arnn.companions import parameter_counts

OPTIONS = {
    "k": (int, 1, "RSB level drawn in the diagram (k + 1 log-sigmoid units per chain)"),
    "sizes": (tuple, (50, 100, 200), "N of the parameter-count table"),
}

_LEVEL = {0: "SK_RS", 1: "SK_1RSB", 2: "SK_2RSB"}


def closed_form(n: int, k: int) -> int:
    """(2k+3) N (N-1) + 2N: physics.md 6b's count of sk_rsb's trainable parameters."""
    return (2 * k + 3) * n * (n - 1) + 2 * n


def build(tables: dict[str, Table], *, k: int, sizes: tuple) -> Figure:
    """Draw Fig. 3 (reads no table; the counts come from the net registry)."""
    if k < 0:
        raise ValueError(f"option 'k': >= 0, got {k}")
    sizes = tuple(int(n) for n in sizes)
    fig = Figure(figsize=(FULL, 4.2))
    ax = fig.add_axes((0.0, 0.3, 1.0, 0.7))
    _diagram(ax, k)
    tab = fig.add_axes((0.56, 0.0, 0.42, 0.2))
    tab.set_axis_off()
    rows, cells = [], []
    for level in (0, 1, 2):
        counts = parameter_counts(SKRSB, sizes, k=level)
        rows.append(_LEVEL[level])
        cells.append([f"{counts[n]:,}" + ("" if counts[n] == closed_form(n, level) else " (!)")
                      for n in sizes])
    table = tab.table(cellText=cells, rowLabels=rows, colLabels=[f"N = {n}" for n in sizes],
                      loc="center", cellLoc="right")
    table.auto_set_font_size(False)
    table.set_fontsize(6.5)
    table.scale(1.0, 1.4)
    fig.text(0.44, 0.1, "trainable parameters of sk_rsb\n(param_count; each equals\n"
             "(2k+3) N (N-1) + 2N,\n(!) would mark a mismatch)", fontsize=6.5, ha="right",
             va="center")
    return fig


def _diagram(ax, k: int) -> None:
    canvas(ax, (0.0, 1.3), (0.0, 1.0))
    x_in = box(ax, (0.06, 0.5), "input\n$x_{<i}$", 0.1, 0.16, look="plain")
    first = box(ax, (0.26, 0.5), "first layer $J$\n(shared by all $i$)\n"
                r"$u_i = {\sum}_{s<i} J_{is} x_s$" "\n" r"$v_{il} = {\sum}_{s<i} J_{ls} x_s$",
                0.23, 0.4, look="fixed")
    skip = box(ax, (0.72, 0.9), r"skip: $a_i u_i + c_i$", 0.26, 0.1)
    last = f"r^{{\\pm}}_{{{k}}}"
    chain = (r"$r^\pm_0 = \log\sigma(b_0 + w_0 v_{il})$" "\n"
             + (r"$r^\pm_1 = \log\sigma(b_1 + w_1 r^\pm_0)$" "\n" if k >= 1 else "")
             + (r"$\vdots$" "\n" if k >= 3 else "")
             + (rf"${last} = \log\sigma(b_{k} + w_{k} r^\pm_{{{k - 1}}})$" if k >= 2 else ""))
    plus = box(ax, (0.62, 0.58), f"branch +, every $l > i$: {k + 1} units\n" + chain.strip(),
               0.36, 0.3)
    minus = box(ax, (0.62, 0.2), f"branch -, every $l > i$: {k + 1} units\n" + chain.strip(),
                0.36, 0.3)
    total = box(ax, (0.99, 0.4), "weighted sums\n"
                + rf"$\rho^\pm = \sum_{{l>i}} W^\pm_{{il}}\, r^\pm_{{{k}}}$", 0.2, 0.22)
    add = box(ax, (1.12, 0.72), r"$\Sigma$", 0.06, 0.1, look="plain")
    out = box(ax, (1.22, 0.5), "sigmoid\n" r"$q(x_i{=}{+}1\mid x_{<i})$", 0.15, 0.2,
              look="plain")
    arrow(ax, (x_in[1], 0.5), (first[0], 0.5))
    arrow(ax, (first[1], 0.66), (skip[0], 0.9), label="$u_i$")
    arrow(ax, (first[1], 0.55), (plus[0], 0.58), label="$v_{il}$")
    arrow(ax, (first[1], 0.4), (minus[0], 0.2), label="$v_{il}$")
    arrow(ax, (plus[1], 0.55), (total[0] + 0.03, total[3]))
    arrow(ax, (minus[1], 0.23), (total[0] + 0.03, total[2]))
    arrow(ax, (skip[1], 0.9), (add[0] + 0.02, add[3]))
    arrow(ax, (total[1] - 0.04, total[3]), (add[0], 0.7), label=r"$\rho^+ - \rho^-$")
    arrow(ax, (add[1] - 0.01, add[2]), (out[0] + 0.04, out[3]))
    ax.text(0.0, -0.08, f"drawn for k = {k} ({_LEVEL.get(k, f'SK_{k}RSB')}); k = 0 is SK_RS. "
            "Orange: weights fixed to J; blue: trained (scalar weight and bias per unit).",
            fontsize=6.5, color="#444444")
