"""MPVAN paper: its claims on the aggregated tables (issue 13 point 5), each a paired test over
instances (the mean over runs on one instance is one observation; the claim holds when the mean
paired difference exceeds SEPARATION of its standard errors, so a tie does not hold).

    fig4-mpvan-beats-<m>-<family>  at the largest N of the family that both ran, MPVAN's
                                   residual energy (E_min - E_g)/N is below method m's, for m in
                                   VAN (WPE, SK), VCA, SA and PT (WPE; PT on the minimum)
    fig5-gap-grows-with-degree     on the SK variants, VAN's residual minus MPVAN's is larger at
                                   the largest degree than at the smallest
    fig3-mpvan-collapses-later     the annealing beta at which -S/N first exceeds
                                   -COLLAPSE_ENTROPY (mode collapse) is later for MPVAN than
                                   for VAN (WPE, largest N; runs that never collapse count as
                                   collapsing after the last beta)
    fig6-mpvan-smaller-kl          KL(q || P_B) at the coldest beta is smaller for MPVAN than
                                   for VAN (WPE, the smallest N with an exact F)
    table2-hamiltonian-lowest      Hamiltonian MP (MPVAN) has the lowest residual energy of all
                                   message-passing mechanisms (WPE, the largest N where all ran):
                                   paired against each, the smallest z exceeds SEPARATION
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from arspin.aggregate.stats import diff, pair, seed_mean
from arspin.aggregate.table import Table
from arspin.claims import Claim, NotEvaluated

SEPARATION = 2.0
MECHANISMS = ("van", "gcon-van", "mp-weighted", "mp-graph", "mp-spin-gcn", "mp-graph-spin")
COLLAPSE_ENTROPY = 0.05   # nats per spin: below this entropy a net counts as collapsed


def evaluate(tables: dict[str, Table]) -> list[Claim]:
    res, ann = tables["residual"], tables["annealing"]
    checks: list[tuple[str, str, str, Callable[[], tuple[bool, dict]]]] = []
    for family, other in (("wpe", "van"), ("sk", "van"), ("wpe", "vca"), ("wpe", "sa"),
                          ("wpe", "pt")):
        checks.append((f"fig4-mpvan-beats-{other}-{family}",
                       (f"MPVAN reaches a lower residual energy than {other.upper()} "
                       f"({family.upper()}, largest N): paired difference > {SEPARATION} SE"),
                       "Fig. 4", lambda f=family, o=other: beats(res, f, "mpvan", o)))
    checks.append(("fig5-gap-grows-with-degree",
                   (f"VAN minus MPVAN residual energy is larger at the largest degree of the SK "
                   f"variants than at the smallest, by > {SEPARATION} SE"), "Fig. 5",
                   lambda: gap_grows(res, "mpvan", "van")))
    checks.append(("fig3-mpvan-collapses-later",
                   (f"MPVAN's entropy per spin falls below {COLLAPSE_ENTROPY} at a later beta than "
                   f"VAN's (WPE, largest N): paired difference > {SEPARATION} SE"), "Fig. 3",
                   lambda: collapses_later(ann, "mpvan", "van")))
    checks.append(("fig6-mpvan-smaller-kl",
                   (f"KL(q || P_B) at the coldest beta is smaller for MPVAN than for VAN (WPE, "
                   f"smallest N with exact F): paired difference > {SEPARATION} SE"), "Fig. 6",
                   lambda: smaller_kl(ann, "mpvan", "van")))
    checks.append(("table2-hamiltonian-lowest",
                   (f"Hamiltonian MP (MPVAN) has a lower residual energy than every other "
                    f"mechanism (WPE, largest N where all ran): each paired difference > "
                    f"{SEPARATION} SE"), "Table 2", lambda: lowest(res, "mpvan", MECHANISMS)))
    out = []
    for ident, claim, figure, check in checks:
        try:
            holds, numbers = check()
        except NotEvaluated as exc:
            out.append(Claim(ident, claim, figure, holds=None, reason=str(exc)))
            continue
        out.append(Claim(ident, claim, figure, numbers=numbers, holds=holds))
    return out


def paired(rows: Table, column: str, a: str, b: str) -> dict:
    """Mean over instances (set, index) of [run mean of ``column`` for b] - [for a], its
    standard error and z (arspin.aggregate.stats; rows of one N); NotEvaluated with fewer than
    2 shared instances."""
    keys = ("set", "index", "n")
    p = pair(seed_mean(rows.where(net=b), column, keys),
             seed_mean(rows.where(net=a), column, keys), diff)
    if p.values.shape[1] != 1:
        raise ValueError(f"paired: rows of one N expected, got N = {p.x.tolist()}")
    if p.count[0] < 2:
        raise NotEvaluated(f"{a} and {b} share fewer than 2 instances")
    mean, se = float(p.mean[0]), float(p.se[0])
    z = mean / se if se > 0 else (np.inf if mean > 0 else -np.inf)
    return {"instances": int(p.count[0]), "paired_difference": mean, "se": se, "z": z}


def beats(res: Table, family: str, a: str, b: str) -> tuple[bool, dict]:
    """Does method ``a`` have a lower residual than ``b`` at the largest shared N of
    ``family``?"""
    rows = res.where(family=family) if len(res) else res
    if not len(rows) or not len(rows.where(net=a)) or not len(rows.where(net=b)):
        raise NotEvaluated(f"no {a} or no {b} run on {family} at this scale")
    n = max(set(rows.where(net=a).unique("n")) & set(rows.where(net=b).unique("n")),
            default=None)
    if n is None:
        raise NotEvaluated(f"{a} and {b} share no N on {family}")
    stats = paired(rows.where(n=n), "residual", a, b)
    means = {net: float(rows.where(n=n, net=net)["residual"].mean()) for net in (a, b)}
    return bool(stats["z"] > SEPARATION), {"n": int(n), "mean_residual": means, **stats,
                                           "required": SEPARATION}


def gap_grows(res: Table, a: str, b: str) -> tuple[bool, dict]:
    """(b - a residual) at the largest mean degree minus at the smallest, over SK variants."""
    rows = res.where(family="sk_variant") if len(res) else res
    if not len(rows):
        raise NotEvaluated("no SK-variant runs at this scale")
    degree = {s: float(rows.where(set=s)["mean_degree"].mean()) for s in rows.unique("set")}
    low, high = min(degree, key=degree.get), max(degree, key=degree.get)
    if degree[low] == degree[high]:
        raise NotEvaluated("the SK variants that ran have one degree only")
    lo, hi = paired(rows.where(set=low), "residual", a, b), paired(rows.where(set=high),
                                                                   "residual", a, b)
    growth = hi["paired_difference"] - lo["paired_difference"]
    se = float(np.hypot(hi["se"], lo["se"]))
    z = growth / se if se > 0 else (np.inf if growth > 0 else -np.inf)
    return bool(z > SEPARATION), {"degrees": [degree[low], degree[high]],
                                  "gap": [lo["paired_difference"], hi["paired_difference"]],
                                  "growth": growth, "se": se, "z": z, "required": SEPARATION}


def collapse_beta(rows: Table) -> float:
    """First beta of one run's annealing at which -S/N > -COLLAPSE_ENTROPY (the last beta
    plus one step if never)."""
    order = np.argsort(rows["beta"])
    beta, neg_s = rows["beta"][order], rows["neg_entropy"][order]
    hit = np.flatnonzero(neg_s > -COLLAPSE_ENTROPY)
    if hit.size:
        return float(beta[hit[0]])
    return float(beta[-1] + (beta[-1] - beta[-2] if beta.size > 1 else 1.0))


def collapses_later(ann: Table, a: str, b: str) -> tuple[bool, dict]:
    rows = ann.where(family="wpe") if len(ann) else ann
    if not len(rows.where(net=a)) or not len(rows.where(net=b)):
        raise NotEvaluated(f"no {a} or no {b} annealing on WPE at this scale")
    n = max(set(rows.where(net=a).unique("n")) & set(rows.where(net=b).unique("n")))
    per_run = []
    for key, sub in rows.where(n=n).groups("set", "index", "net", "protocol"):
        per_run.append({"set": key[0], "index": key[1], "net": key[2], "n": n,
                        "collapse": collapse_beta(sub)})
    table = Table("collapse", {k: np.array([r[k] for r in per_run]) for k in per_run[0]}, ())
    stats = paired(table, "collapse", b, a)         # a later than b: a - b > 0
    means = {net: float(table.where(net=net)["collapse"].mean()) for net in (a, b)}
    return bool(stats["z"] > SEPARATION), {"n": int(n), "mean_collapse_beta": means, **stats,
                                           "entropy_threshold": COLLAPSE_ENTROPY,
                                           "required": SEPARATION}


def smaller_kl(ann: Table, a: str, b: str) -> tuple[bool, dict]:
    rows = ann.where(family="wpe") if len(ann) else ann
    rows = rows.mask(np.isfinite(rows["kl"])) if len(rows) else rows
    if not len(rows.where(net=a)) or not len(rows.where(net=b)):
        raise NotEvaluated(f"no exact F for {a} and {b} on WPE at this scale")
    n = min(set(rows.where(net=a).unique("n")) & set(rows.where(net=b).unique("n")))
    rows = rows.where(n=n)
    beta = float(max(rows.unique("beta")))
    stats = paired(rows.where(beta=beta), "kl", a, b)
    means = {net: float(rows.where(beta=beta, net=net)["kl"].mean()) for net in (a, b)}
    return bool(stats["z"] > SEPARATION), {"n": int(n), "beta": beta, "mean_kl": means,
                                           **stats, "required": SEPARATION}


def lowest(res: Table, a: str, others: tuple[str, ...]) -> tuple[bool, dict]:
    """Is ``a`` below every method of ``others`` that ran, at the largest WPE N where all did?"""
    rows = res.where(family="wpe") if len(res) else res
    ran = [b for b in others if len(rows) and len(rows.where(net=b))]
    if not len(rows) or not len(rows.where(net=a)) or len(ran) < 2:
        raise NotEvaluated(f"{a} and fewer than two other mechanisms ran on WPE at this scale")
    sizes = set(rows.where(net=a).unique("n"))
    for b in ran:
        sizes &= set(rows.where(net=b).unique("n"))
    if not sizes:
        raise NotEvaluated("the mechanisms share no WPE size")
    n = max(sizes)
    per = {b: paired(rows.where(n=n), "residual", a, b) for b in ran}
    means = {net: float(rows.where(n=n, net=net)["residual"].mean()) for net in (a, *ran)}
    weakest = min(per, key=lambda b: per[b]["z"])
    return bool(per[weakest]["z"] > SEPARATION), {
        "n": int(n), "mean_residual": means, "z": {b: p["z"] for b, p in per.items()},
        "closest": weakest, "required": SEPARATION}
