"""TwoBo Fig. 2: rows 2D EA / 3D EA / RRG, all from the same annealing runs.

Left: instance mean (band: +-1 standard error, the larger of the one over instances and the
within-run noise; stats.Compared) of (F_net - F_TwoBo)/|F_TwoBo| versus beta for MADE and RNN,
one line style per size; black: TwoBo against the exact F where an exact reference exists.
F at a beta is the mean of the last 20 steps of that beta block (free_energy_last20).
Right: (E_min,net - E_min,TwoBo)/|E_min,TwoBo| versus N (E_min = lowest energy sampled in the
whole run); grey: TwoBo against the ground-state reference, filled where every instance's
reference is proven optimal. A footer names the RNN variant (its width d_h) of each row and
the references.
"""

from __future__ import annotations

import textwrap

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from arspin.aggregate.table import Table
from arspin.figures import style
from arspin.papers.twobo import stats
from arspin.papers.twobo.figures import look

OPTIONS = {
    "nets": (str, "made,rnn", "comma-separated net labels compared with TwoBo"),
    "largest_only": (int, 0, "1 = left panels show only the largest size of each family"),
}


def build(tables: dict[str, Table], *, nets: str, largest_only: int) -> Figure:
    """Draw Fig. 2 from the free_energy and energy_min tables (protocol 'anneal')."""
    fe, em = tables["free_energy"], tables["energy_min"]
    others = [n for n in nets.split(",") if n]
    fig = Figure(figsize=(style.FULL, 7.2))
    axes = fig.subplots(3, 2, gridspec_kw={"hspace": 0.35, "wspace": 0.28})
    footer = []
    for row, family in enumerate(stats.FAMILIES):
        left, right = axes[row]
        sizes = stats.sizes_with(fe, family=family, nets=[stats.REFERENCE_NET])
        if largest_only and sizes:
            sizes = sizes[-1:]
        _left(left, fe, family, sizes, others)
        _right(right, em, family, others)
        title = stats.FAMILY_TITLES[family]
        n_of = dict(zip(fe.where(family=family)["size"].tolist(),
                        fe.where(family=family)["n"].tolist()))
        styles = ", ".join(f"{n_of[s]} {_STYLE_NAMES[k % 4]}" for k, s in enumerate(sizes))
        left.set_title(title, loc="left")
        if styles:
            left.set_title(f"N = {styles}", loc="right", fontsize=6.5)
        right.set_title(title, loc="left")
        footer.append(_footer(em, family, others))
    axes[-1][0].set_xlabel(r"inverse temperature $\beta$")
    axes[-1][1].set_xlabel("number of spins $N$")
    fig.legend(handles=_handles(others), loc="lower center", bbox_to_anchor=(0.5, 0.9),
               ncol=3)
    lines = [wrapped for f in footer if f
             for wrapped in textwrap.wrap(f, 140, subsequent_indent="    ")]
    fig.text(0.02, 0.035, "\n".join(lines), fontsize=6, va="top", color="#333333")
    return fig


_STYLE_NAMES = ("solid", "dashed", "dotted", "dash-dot")


def _handles(others: list[str]) -> list[Line2D]:
    """One legend for the whole figure: nets, the TwoBo line, exact and ground-state marks."""
    handles = [Line2D([], [], color=look.color(net, j), marker=style.SIZE_MARKERS[j % 4],
                      label=look.name(net)) for j, net in enumerate(others)]
    handles += [Line2D([], [], color=look.COLORS["twobo"], linewidth=0.8,
                       label="TwoBo (reference, 0)"),
                Line2D([], [], color=look.COLORS["exact"], label="TwoBo vs exact F"),
                Line2D([], [], color="#555555", marker="o", linestyle="",
                       label="TwoBo vs ground state (proven)"),
                Line2D([], [], color="#555555", marker="o", markerfacecolor="white",
                       linestyle="", label="TwoBo vs best known energy (not proven)")]
    return handles


def _left(ax: Axes, fe: Table, family: str, sizes: list[int], others: list[str]) -> None:
    plotted = []
    for k, size in enumerate(sizes):
        ls = style.SIZE_STYLES[k % len(style.SIZE_STYLES)]
        for j, net in enumerate(others):
            p = stats.versus_beta(fe, family=family, size=size, net=net,
                                  reference=stats.REFERENCE_NET)
            if p:
                style.band(ax, p.x, p.mean, p.se_total, label=None, color=look.color(net, j),
                           linestyle=ls)
                plotted.append(p.mean)
        ex = stats.versus_beta(fe, family=family, size=size, net=stats.REFERENCE_NET,
                               reference=stats.EXACT)
        if ex:
            style.band(ax, ex.x, ex.mean, ex.se_total, label=None, color=look.COLORS["exact"],
                       linestyle=ls)
            plotted.append(ex.mean)
    if not plotted:
        style.empty(ax)
        return
    ax.axhline(0.0, color=look.COLORS["twobo"], linewidth=0.8)
    style.relative_scale(ax, plotted)
    ax.set_ylabel(r"$(F - F_{\mathrm{TwoBo}}) / |F_{\mathrm{TwoBo}}|$")


def _right(ax: Axes, em: Table, family: str, others: list[str]) -> None:
    plotted, sizes = [], set()
    for j, net in enumerate(others):
        p = stats.emin_versus_size(em, family=family, net=net)
        if p:
            ax.errorbar(p.x, p.mean, yerr=np.nan_to_num(p.se), color=look.color(net, j),
                        marker=style.SIZE_MARKERS[j % 4], capsize=2)
            plotted.append(p.mean)
            sizes.update(p.x.tolist())
    gs = stats.emin_versus_size(em, family=family, net=stats.REFERENCE_NET, reference="gs")
    if gs:
        sub = em.where(family=family, net=stats.REFERENCE_NET, protocol=stats.MAIN_PROTOCOL)
        proven = np.array([bool(np.all(sub.where(n=int(n))["gs_proven"])) for n in gs.x])
        for mask, face in ((proven, "#555555"), (~proven, "white")):
            if mask.any():
                ax.errorbar(gs.x[mask], gs.mean[mask], yerr=np.nan_to_num(gs.se[mask]),
                            color="#555555", marker="o", markerfacecolor=face, linestyle="",
                            capsize=2)
        plotted.append(gs.mean)
        sizes.update(gs.x.tolist())
    if not plotted:
        style.empty(ax)
        return
    ax.axhline(0.0, color=look.COLORS["twobo"], linewidth=0.8)
    style.size_ticks(ax, sorted(sizes))
    style.relative_scale(ax, plotted)
    ax.set_ylabel(r"$(E_{\min} - E_{\min,\mathrm{TwoBo}}) / |E_{\min,\mathrm{TwoBo}}|$")


def _footer(em: Table, family: str, others: list[str]) -> str:
    """'2D EA: RNN = rnn2d per-site elu d_h=2; ground states: N=16 enumeration 3/3 proven, ...'"""
    sub = em.where(family=family, protocol=stats.MAIN_PROTOCOL)
    if not len(sub):
        return ""
    parts = []
    for net in others:
        variants = sub.where(net=net).unique("variant")
        if variants and net.startswith("rnn"):
            parts.append(f"{look.name(net)} = {' / '.join(variants)}")
    refs = []
    for (n,), grp in sub.where(net=stats.REFERENCE_NET).groups("n"):
        have = grp.mask(grp["gs_method"] != "")
        if len(have):
            methods = "/".join(have.unique("gs_method"))
            refs.append(f"N={n}: {methods}, {int(have['gs_proven'].sum())}/{len(grp)} proven, "
                        f"TwoBo hits {int(have['hits_gs'].sum())}/{len(grp)}")
    if refs:
        parts.append("ground states: " + "; ".join(refs))
    return f"{stats.FAMILY_TITLES[family]}: " + ("; ".join(parts) if parts else "-")

