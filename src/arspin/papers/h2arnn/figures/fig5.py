"""H2ARNN Fig. 5 (SK results), in three rows (figures.md):

a-c    (F_net - F_2RSB) / |F_2RSB| vs beta at three sizes: the paper's view, relative to its
       own SK_2RSB net (so SK_2RSB is identically 0); mean over instances with a band (option
       ``band``: +- 1 SE, or the 95% t interval; the published band is seaborn's bootstrap CI).
a'-c'  the same nets relative to the independent reference (enumeration, else PT + TI): how far
       each net, SK_2RSB included, sits above the true F. Our addition (issue 12).
d      parameters vs N (grouped bars, log y) at the paper's sizes and the miniature ones.
e      P(q) at the P(q) runs' last beta, on q >= 0: option ``fold`` 'symmetric' = (P(q) +
       P(-q)) / 2 (correct) or 'paper' = the published pairing of bin q - 1 with bin q;
       mean over instances +- std; the exact P(q) of the same instances (Walsh-Hadamard
       transform of P_B) as a grey line where enumerable.

Every line carries ``gid = "<panel>|<net label>|<N>"`` (bars: "d|<net>|<N>") so that tests
read the plotted data back. The variants drawn are written in the footer.
"""

from __future__ import annotations

import textwrap

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from scipy import stats

from arspin.aggregate.table import Table
from arspin.figures import style

# Okabe-Ito in the paper's legend order (figures.md): 1L, SK_RS, SK_1RSB, SK_2RSB, MADE_23/32
COLORS = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00")
NAMES = {"1l": "1L", "sk-rs": "SK$_{RS}$", "sk-1rsb": "SK$_{1RSB}$", "sk-2rsb": "SK$_{2RSB}$",
         "made23": "MADE$_{23}$", "made32": "MADE$_{32}$"}

OPTIONS = {
    "nets": (str, "1l,sk-rs,sk-1rsb,sk-2rsb,made23,made32", "net labels, in legend order"),
    "sizes": (tuple, (), "N of the a-c panels; () = the three largest sizes that ran"),
    "protocol": (str, "sk", "protocol of the runs in panels a-c"),
    "fold": (str, "symmetric", ("e: 'symmetric' (P(q) + P(-q)) / 2 on q >= 0, or 'paper' the "
                                "published pairing of bin q - 1 with bin q")),
    "linthresh": (float, 1e-4, "a-c: linear range of the symlog y axis (paper 1e-4)"),
    "count": (str, "paper", ("d: 'paper' the reference code's stored parameters (MADE's masked "
                             "entries included, as published) or 'trainable'")),
    "band": (str, "se", ("a-c bands: 'se' +- one standard error over instances, or 'ci95' "
                         "the 95% CI (Student t; the paper: seaborn's bootstrap over 10 seeds, "
                         "too wide to read with the miniature's 3)")),
}


def _name(label: str) -> str:
    return NAMES.get(label, label)


def _color(label: str, j: int) -> str:
    order = list(NAMES)
    return COLORS[order.index(label) % len(COLORS)] if label in order else \
        style.EXTRA[j % len(style.EXTRA)]


def spread(values_by_instance: np.ndarray, band: str) -> tuple[np.ndarray, np.ndarray]:
    """(mean, half-width) over axis 0 (instances): one standard error ('se') or the 95%
    Student-t interval ('ci95'); half-width NaN for one instance."""
    v = np.asarray(values_by_instance, np.float64)
    m = v.shape[0]
    mean = v.mean(axis=0)
    if m < 2:
        return mean, np.full(mean.shape, np.nan)
    factor = stats.t.ppf(0.975, m - 1) if band == "ci95" else 1.0
    return mean, factor * v.std(axis=0, ddof=1) / np.sqrt(m)


def curve(rows: Table, column: str, band: str = "se"
          ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(betas, mean over instances, band half-width) of ``column`` for one net and N, over
    the betas every instance has."""
    per = {}
    for (index,), sub in rows.groups("index"):
        per[index] = dict(zip(np.round(sub["beta"], 9), sub[column]))
    common = sorted(set.intersection(*(set(d) for d in per.values())))
    values = np.array([[d[b] for b in common] for d in per.values()])
    mean, half = spread(values, band)
    return np.array(common), mean, half


def build(tables: dict[str, Table], *, nets: str, sizes: tuple, protocol: str, fold: str,
          linthresh: float, band: str, count: str) -> Figure:
    """Draw Fig. 5 from the sk_* tables."""
    if fold not in ("symmetric", "paper"):
        raise ValueError(f"option 'fold': 'symmetric' or 'paper', got {fold!r}")
    if band not in ("se", "ci95"):
        raise ValueError(f"option 'band': 'se' or 'ci95', got {band!r}")
    fe = tables["sk_free_energy"].where(protocol=protocol)
    labels = [n for n in nets.split(",") if n]
    if not sizes:
        sizes = tuple(sorted(fe.unique("n"))[-3:])
    fig = Figure(figsize=(7.5, 8.0))
    grid = fig.add_gridspec(3, 6, hspace=0.5, wspace=1.3, top=0.93, bottom=0.1)
    methods = sorted({m for m in fe["reference_method"] if m}) if len(fe) else []
    for row, (column, tag, ylabel) in enumerate((
            ("rel_paper_ref", "abc", r"$(f - f_{2RSB}) / |f_{2RSB}|$"),
            ("rel_ref", ("a'", "b'", "c'"), r"$(f - f_{\mathrm{ref}}) / |f_{\mathrm{ref}}|$"))):
        axes = [fig.add_subplot(grid[row, 2 * k:2 * k + 2]) for k in range(3)]
        for k in (1, 2):
            axes[k].sharey(axes[0])
        for k, ax in enumerate(axes):
            ax.set_xlim(0, 2)
            ax.set_xlabel(r"$\beta$")
            if k >= len(sizes):
                style.empty(ax)
                continue
            n = int(sizes[k])
            ax.text(0.04, 0.9, f"{tag[k]}  N={n}", transform=ax.transAxes, fontsize=8)
            for j, net in enumerate(labels):
                rows = fe.where(n=n, net=net)
                rows = rows.mask(np.isfinite(rows[column])) if len(rows) else rows
                if not len(rows):
                    continue
                beta, mean, half = curve(rows, column, band)
                ax.plot(beta, mean, color=_color(net, j), gid=f"{tag[k]}|{net}|{n}")
                if np.all(np.isfinite(half)):
                    ax.fill_between(beta, mean - half, mean + half, color=_color(net, j),
                                    alpha=0.2, linewidth=0)
            if k:
                ax.tick_params(labelleft=False)
        axes[0].set_yscale("symlog", linthresh=linthresh)
        axes[0].set_ylim(-linthresh, None)
        axes[0].set_ylabel(ylabel)
    handles = [Line2D([], [], color=_color(net, j), label=_name(net))
               for j, net in enumerate(labels)]
    fig.legend(handles=handles, loc="upper center", ncol=6, bbox_to_anchor=(0.5, 0.995),
               fontsize=7)
    ax_d = fig.add_subplot(grid[2, 0:3])
    ax_e = fig.add_subplot(grid[2, 3:6])
    _panel_d(ax_d, tables["sk_params"], labels,
             "n_params_paper" if count == "paper" else "n_params")
    pq_text = _panel_e(ax_e, tables["sk_overlap"], tables["sk_overlap_exact"], labels, fold)
    footer = (f"a-c: sampled F (protocol {protocol}) relative to the SK_2RSB net on the same "
              f"instance (the paper's reference); a'-c': relative to the independent reference "
              f"({', '.join(methods) or 'none'}); bands: "
              f"{'+- 1 SE' if band == 'se' else '95% CI (t)'} over instances. d: "
              f"parameters of the constructed nets, "
              f"{'as the paper counts them (stored; MADE with masked entries)' if count == 'paper' else 'trainable'}. "
              f"e: {pq_text}")
    fig.text(0.01, 0.005, "\n".join(textwrap.wrap(footer, 140)), fontsize=6, color="#333333",
             va="bottom")
    return fig


def _panel_d(ax, params: Table, labels: list[str], column: str) -> None:
    """Grouped bars: parameters (``column``) per net at each N, log y."""
    present = [net for net in labels if len(params.where(net=net))] if len(params) else []
    if not present:
        style.empty(ax)
        return
    sizes = sorted(params.unique("n"))
    width = 0.8 / len(present)
    for j, net in enumerate(present):
        rows = params.where(net=net)
        count = {int(n): int(c) for n, c in zip(rows["n"], rows[column])}
        for x, n in enumerate(sizes):
            if n in count:
                ax.bar(x + (j - (len(present) - 1) / 2) * width, count[n], width,
                       color=_color(net, labels.index(net)), gid=f"d|{net}|{n}")
    ax.set_xticks(range(len(sizes)), [str(n) for n in sizes])
    ax.set_yscale("log")
    ax.set_xlabel("N")
    ax.set_ylabel("parameters")
    ax.text(0.04, 0.9, "d", transform=ax.transAxes, fontsize=8)


def folded(q: np.ndarray, density: np.ndarray, fold: str) -> tuple[np.ndarray, np.ndarray]:
    """P(q) on q > 0 (and q = 0 when it is a bin centre) from a symmetric grid of centres.

    'symmetric': (P(q) + P(-q)) / 2 at each |q|; 'paper': the published pairing, the i-th
    negative centre (in increasing order) with the i-th positive one, i.e. P(q - 1) with P(q),
    halved the same way (figures.md, Fig. 5e).
    """
    order = np.argsort(q)
    q, p = q[order], density[order]
    neg, pos = p[q < -1e-12], p[q > 1e-12]
    zero = p[np.abs(q) <= 1e-12]
    if fold == "symmetric":
        y = (neg[::-1] + pos) / 2
    else:
        y = (neg + pos) / 2
    x = q[q > 1e-12]
    if zero.size:
        x, y = np.concatenate([[0.0], x]), np.concatenate([zero, y])
    return x, y


def _panel_e(ax, pq: Table, exact: Table, labels: list[str], fold: str) -> str:
    """Folded P(q): mean over instances +- std per net; the exact P(q) in grey."""
    if not len(pq):
        style.empty(ax)
        return "no P(q) runs"
    n = int(max(pq.unique("n")))
    drawn = False
    for j, net in enumerate(labels):
        rows = pq.where(net=net, n=n)
        if not len(rows):
            continue
        curves = []
        for _, sub in rows.groups("index"):
            x, y = folded(sub["q"], sub["density"], fold)
            curves.append(y)
        mean, spread = np.mean(curves, axis=0), np.std(curves, axis=0)
        ax.plot(x, mean, color=_color(net, j), gid=f"e|{net}|{n}")
        ax.fill_between(x, mean - spread, mean + spread, color=_color(net, j), alpha=0.15,
                        linewidth=0)
        drawn = True
    ex = exact.where(n=n) if len(exact) else exact
    if len(ex):
        curves = [folded(sub["q"], sub["density"], fold) for _, sub in ex.groups("index")]
        ax.plot(curves[0][0], np.mean([c[1] for c in curves], axis=0), color="#555555",
                ls="--", gid=f"e|exact|{n}")
    if not drawn:
        style.empty(ax)
    ax.set_xlim(0, 1)
    ax.set_ylim(bottom=0)
    ax.set_xlabel("q")
    ax.set_ylabel("P(q)")
    ax.text(0.04, 0.9, f"e  N={n}", transform=ax.transAxes, fontsize=8)
    rows = pq.where(n=n)
    return (f"P(q) at beta = {rows['beta'][0]:g}, {rows['samples'][0]} samples per net and "
            f"instance, {len(rows.unique('index'))} instances (mean +- std), bins "
            f"{rows['binning'][0]}, fold '{fold}'"
            + ("; dashed grey: exact P(q) by enumeration" if len(ex) else ""))
