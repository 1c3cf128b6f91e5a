# ruff: noqa: N999
"""MPVAN Fig. S4: does MPVAN's advantage depend on the spin order? (figures.md) The WPE
instances of Fig. S3 with the smallest and the largest MPVAN advantage in index order, each
re-run in random spin orders (instances relabelled, ``arspin instance generate --order``):
residual energy per site against the order number, per method.

Advantage of an instance [recon: the paper's "reduction vs the other methods"]: 1 - (MPVAN's
run-mean residual) / (the lowest run-mean residual of the other methods), in index order
(spin_order 0). Only instances that were also run in random orders are candidates.

Lines carry ``gid = "<net label>/<instance index>"`` for the tests.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from arspin.aggregate.table import Table
from arspin.figures import style
from arspin.papers.mpvan.figures.fig3 import pick_n
from arspin.papers.mpvan.figures.look import color, name

OPTIONS = {
    "instance_set": (str, "wpe-a0.25", "the instance set in index order (Fig. S3's)"),
    "n": (int, 0, "N drawn; 0 = the largest N run in random orders"),
    "nets": (str, "mpvan,van,gcon-van,vca", "method labels, the first is MPVAN"),
}


def advantages(base: Table, nets: list[str]) -> dict[int, float]:
    """{instance index: 1 - MPVAN's run-mean residual / the best other method's} for the
    instances where MPVAN and at least one other method ran (``nets[0]`` is MPVAN)."""
    out = {}
    for (index,), rows in base.groups("index"):
        means = {net: rows.where(net=net)["residual"].mean() for net in nets
                 if len(rows.where(net=net))}
        others = [v for k, v in means.items() if k != nets[0]]
        if nets[0] in means and others:
            best = min(others)
            out[int(index)] = 1.0 - means[nets[0]] / best if best > 0 else float("nan")
    return out


def pick_instances(adv: dict[int, float]) -> list[int]:
    """The indices of the smallest and the largest advantage (one if they coincide)."""
    finite = {k: v for k, v in adv.items() if np.isfinite(v)}
    if not finite:
        return []
    low, high = min(finite, key=finite.get), max(finite, key=finite.get)
    return [low] if low == high else [low, high]


def build(tables: dict[str, Table], *, instance_set: str, n: int, nets: str) -> Figure:
    """Draw Fig. S4 from the residual table."""
    res = tables["residual"]
    methods = [x for x in nets.split(",") if x]
    family = res.where(set=instance_set)["family"] if len(res) else []
    shuffled = (res.mask((res["spin_order"] > 0) & (res["family"] == family[0]))
                if len(family) else res.mask(np.zeros(len(res), bool)))
    size = pick_n(shuffled, n)
    fig = Figure(figsize=(style.FULL, 2.7))
    axes = fig.subplots(1, 2)
    fig.subplots_adjust(bottom=0.2, wspace=0.3, top=0.84)
    if not size:
        for ax in axes:
            style.empty(ax)
        return fig
    shuffled = shuffled.where(n=size)
    base = res.mask((res["set"] == instance_set) & (res["n"] == size) & (res["spin_order"] == 0))
    candidates = set(shuffled.unique("index"))
    adv = {k: v for k, v in advantages(base, methods).items() if k in candidates}
    chosen = pick_instances(adv)
    for ax, tag in zip(axes, ("smallest", "largest")):
        if not chosen:
            style.empty(ax)
            continue
        index = chosen.pop(0)
        rows = shuffled.where(index=index)
        for j, net in enumerate(methods):
            sub = rows.where(net=net)
            if not len(sub):
                continue
            orders = sorted(sub.unique("spin_order"))
            per = [sub.where(spin_order=k)["residual"] for k in orders]
            mean = np.array([p.mean() for p in per])
            err = np.array([[mean[i] - p.min(), p.max() - mean[i]] for i, p in enumerate(per)]).T
            ax.errorbar(np.array(orders) + 0.08 * (j - 1.5), mean, yerr=err, fmt="o-",
                        color=color(net, j), label=name(net), markersize=3, capsize=2,
                        linewidth=0.8, gid=f"{net}/{index}")
        orders = sorted(rows.unique("spin_order"))
        ax.set_xticks(orders)
        ax.set_xlim(min(orders) - 0.5, max(orders) + 0.5)
        ax.set_xlabel("random spin order")
        ax.set_ylabel(r"$\epsilon_{\mathrm{res}}$ (per site)")
        ax.set_ylim(bottom=0)
        ax.set_title(f"{tag} advantage: instance {index}, {adv[index]:+.0%} in index order",
                     fontsize=7)
        if not chosen:
            ax.legend(fontsize=6)
    fig.suptitle(f"{instance_set}, N = {size}: residual energy in random spin orders "
                 f"(run mean, min..max)", fontsize=7)
    return fig
