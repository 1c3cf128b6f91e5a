"""H2ARNN Fig. 4 (Curie-Weiss results): 2 rows, panels a-c then d-e (figures.md).

a-c  F_net - f_N per spin vs beta at three sizes (option ``error``: ``absolute`` is what the
     published panels plot, ``relative`` is what their axis label and caption say), symlog y
     with linear range 1e-4, one line per net, shared y.
d    mean (solid) and max (dashed) over the grid of (F - f_N)/|f_N| vs N, log-log, 1P and CW_inf.
e    P(q) of fresh samples of each net after its last beta stage (the P(q) runs), not folded.

Every line carries ``gid = "<panel>|<net label>|<N>"`` so that tests read the plotted data back.
The variants drawn are written in the footer.
"""

from __future__ import annotations

import textwrap

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from arspin.aggregate.table import Table
from arspin.figures import style

# Okabe-Ito in the paper's legend order (figures.md): 1P, CW_inf, 1L, CW_N, MADE_21, MADE_22
COLORS = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00")
NAMES = {"1p": "1P", "cw-inf": r"CW$_\infty$", "1l": "1L", "cw-n": r"CW$_N$",
         "made21": "MADE$_{21}$", "made22": "MADE$_{22}$",
         "cw-inf-analytic": r"CW$_\infty$ (analytic)"}

OPTIONS = {
    "nets": (str, "1p,cw-inf,1l,cw-n,made21,made22", "net labels of panels a-c and e, in order"),
    "d_nets": (str, "1p,cw-inf", "net labels of panel d"),
    "sizes": (tuple, (), ("N of panels a-c; () = the three largest sizes where every net of "
                          "`nets` that ran at all ran")),
    "protocol": (str, "h2arnn", "protocol of the runs in panels a-d"),
    "error": (str, "absolute", ("a-c: 'absolute' F - f_N (the published data) or 'relative' "
                                "(F - f_N)/|f_N| (the published axis label and caption)")),
    "linthresh": (float, 1e-4, "a-c: linear range of the symlog y axis (paper 1e-4)"),
    "ymax": (float, 0.0, "a-c: upper y limit (paper 3e-3); 0 = from the data (at least 3e-3)"),
}


def _name(label: str) -> str:
    return NAMES.get(label, label)


def _color(label: str, j: int) -> str:
    order = list(NAMES)
    k = order.index(label) if label in order[:6] else j
    return COLORS[k % len(COLORS)]


def build(tables: dict[str, Table], *, nets: str, d_nets: str, sizes: tuple, protocol: str,
          error: str, linthresh: float, ymax: float) -> Figure:
    """Draw Fig. 4 from the cw_free_energy and cw_overlap tables."""
    if error not in ("absolute", "relative"):
        raise ValueError(f"option 'error': 'absolute' or 'relative', got {error!r}")
    fe = tables["cw_free_energy"].where(protocol=protocol)
    labels = [n for n in nets.split(",") if n]
    if not sizes:
        present = [net for net in labels if len(fe.where(net=net))]
        full = [n for n in sorted(fe.unique("n"))
                if present and all(len(fe.where(n=n, net=net)) for net in present)]
        sizes = tuple(full[-3:])
    fig = Figure(figsize=(6.4, 5.6))
    grid = fig.add_gridspec(2, 6, hspace=0.45, wspace=1.2)
    top = [fig.add_subplot(grid[0, 2 * k:2 * k + 2]) for k in range(3)]
    for k in (1, 2):
        top[k].sharey(top[0])
    column = "abs_error" if error == "absolute" else "rel_error"
    peak = 0.0
    for k, ax in enumerate(top):
        ax.set_xlim(0, 2)
        ax.set_xlabel(r"$\beta$")
        if k >= len(sizes):
            style.empty(ax)
            continue
        n = int(sizes[k])
        ax.text(0.04, 0.93, f"{'abc'[k]}  N={n}", transform=ax.transAxes, fontsize=8)
        for j, net in enumerate(labels):
            rows = fe.where(n=n, net=net)
            if not len(rows):
                continue
            order = np.argsort(rows["beta"])
            y = rows[column][order]
            peak = max(peak, float(np.nanmax(y)))
            ax.plot(rows["beta"][order], y, color=_color(net, j), label=_name(net),
                    gid=f"{'abc'[k]}|{net}|{n}")
        if k:
            ax.tick_params(labelleft=False)
    top[0].set_yscale("symlog", linthresh=linthresh)
    top[0].set_ylim(-1e-6, ymax if ymax > 0 else max(3e-3, 1.5 * peak))
    top[0].set_ylabel(r"$f_{\mathrm{net}} - f_N$" if error == "absolute"
                      else r"$(f_{\mathrm{net}} - f_N) / |f_N|$")
    handles = [Line2D([], [], color=_color(net, j), label=_name(net))
               for j, net in enumerate(labels)]
    fig.legend(handles=handles, loc="upper center", ncol=3, bbox_to_anchor=(0.5, 0.995),
               fontsize=7)
    ax_d = fig.add_subplot(grid[1, 0:3])
    ax_e = fig.add_subplot(grid[1, 3:6])
    _panel_d(ax_d, fe, [n for n in d_nets.split(",") if n])
    _panel_e(ax_e, tables["cw_overlap"], labels)
    pq = tables["cw_overlap"]
    pq_text = (f"P(q) at beta = {pq['beta'][0]:g}, {pq['samples'][0]} samples, bins "
               f"{pq['binning'][0]}" if len(pq) else "no P(q) runs")
    footer = (f"a-c: {error} error of the sampled F (protocol {protocol}) vs the finite-N sum "
              f"f_N; d: sampled F, mean and max over the grid; e: {pq_text}")
    # wrapped: one long line ran past the right edge of the page
    fig.text(0.01, 0.005, "\n".join(textwrap.wrap(footer, 120)), fontsize=6, color="#333333",
             va="bottom")
    return fig


def _panel_d(ax, fe: Table, labels: list[str]) -> None:
    """Mean (solid) and max (dashed) over the grid of the relative error vs N (sampled F)."""
    drawn = False
    for j, net in enumerate(labels):
        rows = fe.where(net=net)
        if not len(rows):
            continue
        sizes = sorted(rows.unique("n"))
        mean = [float(np.mean(rows.where(n=n)["rel_error"])) for n in sizes]
        peak = [float(np.max(rows.where(n=n)["rel_error"])) for n in sizes]
        color = _color(net, j)
        ax.plot(sizes, mean, "-o", color=color, gid=f"d-mean|{net}|0")
        ax.plot(sizes, peak, "--o", color=color, gid=f"d-max|{net}|0")
        drawn = True
    if not drawn:
        style.empty(ax)
        return
    values = [line.get_ydata() for line in ax.get_lines()]
    if all(np.all(np.asarray(v) > 0) for v in values):
        ax.set_yscale("log")
    else:
        style.relative_scale(ax, values)
    ax.set_xscale("log")
    ax.set_xlabel("N")
    ax.set_ylabel(r"$(f_{\mathrm{net}} - f_N) / |f_N|$")
    ax.legend(handles=[Line2D([], [], color="k", ls="--", marker="o", label="max err"),
                       Line2D([], [], color="k", ls="-", marker="o", label="mean err")]
              + [Line2D([], [], color=_color(net, j), label=_name(net))
                 for j, net in enumerate(labels)], fontsize=6, loc="best")
    ax.text(0.04, 0.93, "d", transform=ax.transAxes, fontsize=8)


def _panel_e(ax, pq: Table, labels: list[str]) -> None:
    """P(q) per net at bin centres over [-1, 1] (not folded, as published)."""
    drawn = False
    for j, net in enumerate(labels):
        rows = pq.where(net=net)
        if not len(rows):
            continue
        order = np.argsort(rows["q"])
        ax.plot(rows["q"][order], rows["density"][order], color=_color(net, j),
                gid=f"e|{net}|{int(rows['n'][0])}")
        drawn = True
    if not drawn:
        style.empty(ax)
        return
    ax.set_xlim(-1, 1)
    ax.set_ylim(bottom=0)
    ax.set_xlabel("q")
    ax.set_ylabel("P(q)")
    ax.text(0.04, 0.93, f"e  N={int(pq['n'][0])}", transform=ax.transAxes, fontsize=8)
