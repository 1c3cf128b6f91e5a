"""The TwoBo paper's claims as tests on the aggregated tables (docs/figures.md, "Claims").

Conventions fixed before any result was looked at:
- Statistics are over instances (several seeds of one instance are averaged first); "net A is
  significantly below B" means the instance mean of the paired relative difference is below 0
  by more than 2 standard errors (with one instance the standard error is taken as 0).
- Claims about "large systems" use the largest size of each family at which the nets ran.
- Net comparisons per beta use the mean of the last 20 steps of each beta block and the
  larger of the standard error over instances and the within-run noise (stats.Compared); a
  claim that one net is "lower" or "above" needs the gap beyond 2 of those standard errors,
  so a tie never holds.
- Numerical claims (scaling exponents, ratios) hold within stated tolerances: exponent +-0.1,
  TwoBo/MADE parameter ratio on the paper's RRG instances 0.5 +-5 %, "about an order of
  magnitude" = a factor >= sqrt(10) (closer to 10 than to 1 on a log scale), "much smaller
  slope" = at most a quarter.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import numpy as np

from arspin.aggregate.table import Table
from arspin.claims import Claim, NotEvaluated
from arspin.papers.twobo import stats
from arspin.papers.twobo.parameters import scaling_exponent

OTHERS = ("made", "rnn")
EXPECTED_EXPONENT = {"ea2d": 1.5, "ea3d": 5 / 3, "rrg": 2.0}
EXPONENT_TOL, RATIO, RATIO_TOL, ORDER = 0.1, 0.5, 0.05, float(np.sqrt(10))
MAJORITY, FLAT_SLOPE = 0.5, 0.25   # "at most betas": > half; "much smaller slope": <= 1/4
RRG_RULE = "twobo-reference"       # the paper's RRG instances (parameters.csv seed_rule)


def _se0(p: stats.Paired) -> np.ndarray:
    return np.nan_to_num(p.se)


def _table(tables: dict[str, Table], name: str) -> Table:
    if name not in tables:
        raise NotEvaluated(f"table {name}.csv was not produced")
    return tables[name]


def _largest(table: Table, family: str, nets: tuple[str, ...]) -> tuple[int, list[str]]:
    """Largest size where TwoBo and at least one of ``nets`` ran, and which of them did."""
    for size in reversed(stats.sizes_with(table, family=family, nets=[stats.REFERENCE_NET])):
        present = [n for n in nets if len(table.where(family=family, size=size, net=n,
                                                      protocol=stats.MAIN_PROTOCOL))]
        if present:
            return size, present
    raise NotEvaluated(f"no {family} size with TwoBo and one of {', '.join(nets)}")


def lowest_free_energy(tables: dict[str, Table], family: str) -> Claim:
    fe = _table(tables, "free_energy")
    size, present = _largest(fe, family, OTHERS)
    numbers: dict = {"size": size, "n": int(fe.where(family=family, size=size)["n"][0])}
    holds = True
    for net in present:
        p = stats.versus_beta(fe, family=family, size=size, net=net, reference="twobo")
        if not p:
            continue
        se = p.se_total
        below, above = p.mean + 2 * se < 0, p.mean - 2 * se > 0
        late = p.x >= 1.0 - 1e-9
        every_late = bool(late.any() and above[late].all())
        fraction = float(above.mean())
        holds &= bool(not below.any() and (fraction > MAJORITY or every_late))
        numbers[net] = {"instances": len(p.instances), "betas": int(p.x.size),
                        "betas_significantly_below_twobo": p.x[below],
                        "fraction_of_betas_above_twobo_by_2se": fraction,
                        "above_by_2se_at_every_beta_ge_1": every_late,
                        "min_mean_rel_diff": float(np.min(p.mean)),
                        "beta_of_min": float(p.x[np.argmin(p.mean)]),
                        "median_mean_rel_diff": float(np.median(p.mean)),
                        "median_se": float(np.median(se))}
    if len(numbers) == 2:
        raise NotEvaluated(f"no {family} instance where TwoBo and another net share betas")
    return Claim("", "", "", numbers, bool(holds))


def minimum_energy(tables: dict[str, Table]) -> Claim:
    em = _table(tables, "energy_min")
    numbers, verdicts = {}, []
    for family in stats.FAMILIES:
        try:
            size, present = _largest(em, family, OTHERS)
        except NotEvaluated:
            continue
        n = int(em.where(family=family, size=size)["n"][0])
        entry = {"n": n}
        for net in present:
            p = stats.emin_versus_size(em, family=family, net=net)
            j = int(np.flatnonzero(p.x == n)[0])
            ok = bool(p.mean[j] + 2 * _se0(p)[j] >= 0)
            verdicts.append(ok)
            entry[net] = {"mean_rel_diff": float(p.mean[j]), "se": float(p.se[j]),
                          "instances_lower_than_twobo": int(np.sum(p.values[:, j] < 0)),
                          "instances": int(p.count[j])}
        numbers[family] = entry
    if not verdicts:
        raise NotEvaluated("no family with TwoBo and MADE/RNN minimum energies")
    return Claim("", "", "", numbers, all(verdicts))


def ground_states(tables: dict[str, Table]) -> Claim:
    em = _table(tables, "energy_min").where(net=stats.REFERENCE_NET, protocol=stats.MAIN_PROTOCOL)
    proven = em.mask(em["gs_proven"])
    if not len(proven):
        raise NotEvaluated("no instance with a proven ground state")
    numbers = {f"{f}/{n}": {"proven": len(g), "twobo_hits": int(g["hits_gs"].sum()),
                            "methods": g.unique("gs_method")}
               for (f, n), g in proven.groups("family", "n")}
    unproven = em.mask(~em["gs_proven"] & (em["gs_method"] != ""))
    numbers["unproven_references"] = len(unproven)
    numbers["twobo_at_or_below_unproven"] = int(unproven["hits_gs"].sum())
    return Claim("", "", "", numbers, bool(proven["hits_gs"].all()))


def starts_lower(tables: dict[str, Table]) -> Claim:
    """Fig. 3's instance set and size: the aggregation keeps only those in curves.csv
    (option curve_instances); a table with several falls back to the largest 2D size."""
    curves = _table(tables, "curves").where(protocol=stats.MAIN_PROTOCOL)
    shown = sorted({(str(a), int(b)) for a, b in zip(curves["set"], curves["size"])})
    if len(shown) == 1:
        name, size = shown[0]
        family = curves["family"][0]
        present = [n for n in OTHERS if len(curves.where(net=n))]
        if not present or not len(curves.where(net=stats.REFERENCE_NET)):
            raise NotEvaluated(f"no curves of TwoBo and {', '.join(OTHERS)} on {name}")
    else:
        family = "ea2d"
        size, present = _largest(curves, family, OTHERS)
        name = "/".join(sorted(curves.where(family=family, size=size).unique("set")))
    sub = curves.where(family=family, size=size, step=0)
    numbers: dict = {"set": name, "size": size, "betas": sub.unique("beta")}
    holds = True
    for beta in numbers["betas"]:
        at = sub.mask(np.abs(sub["beta"] - beta) <= 1e-9)
        ref = stats.seed_mean(at.where(net=stats.REFERENCE_NET), "free_energy", ("set", "index"))
        for net in present:
            mine = stats.seed_mean(at.where(net=net), "free_energy", ("set", "index"))
            common = sorted(set(mine) & set(ref))
            rel = stats.relative([mine[k] for k in common], [ref[k] for k in common])
            if not rel.size:
                continue
            holds &= bool(rel.mean() > 0)
            numbers[f"{net}@beta={beta:g}"] = {"mean_rel_diff_step0": float(rel.mean()),
                                               "instances": int(rel.size)}
    if len(numbers) == 3:
        raise NotEvaluated("no paired step-0 free energies")
    return Claim("", "", "", numbers, bool(holds))


def _sweep(tables: dict[str, Table], nets: tuple[str, ...]) -> tuple[dict, str, float, int]:
    fe = _table(tables, "free_energy").where(family="ea2d")
    fe = fe.mask(np.array([stats.is_sweep_protocol(p) for p in fe["protocol"]], dtype=bool))
    if not len(fe):
        raise NotEvaluated("no steps-per-beta sweep (protocols K<n>) ran")
    size = max(fe.unique("size"))
    beta = float(fe.where(size=size)["beta"].max())
    rel, kind = stats.sweep_at(fe, family="ea2d", size=size, beta=beta, nets=nets)
    missing = [n for n in nets if n not in rel or not rel[n]]
    if missing:
        raise NotEvaluated(f"no sweep runs for {', '.join(missing)}")
    return rel, kind, beta, size


def twobo_decreases(tables: dict[str, Table]) -> Claim:
    rel, kind, beta, size = _sweep(tables, ("twobo",))
    p = rel["twobo"]
    diffs = stats.Paired(p.x[:-1], p.instances, np.diff(p.values, axis=1))  # F(K_next) - F(K)
    rises = diffs.mean - 2 * _se0(diffs) > 0
    holds = not rises.any() and p.mean[-1] < p.mean[0]
    return Claim("", "", "", {"size": size, "beta": beta, "reference": kind, "K": p.x,
                              "mean_rel_F": p.mean, "significant_rises_after_K": p.x[:-1][rises]},
                 bool(holds))


def made_order_of_magnitude(tables: dict[str, Table]) -> Claim:
    rel, kind, beta, size = _sweep(tables, ("twobo", "made"))
    tw, md = rel["twobo"], rel["made"]
    ratios, censored = [], []
    for k, target in zip(tw.x[:-1], tw.mean[:-1]):
        reach = md.x[md.mean <= target]
        if reach.size:
            ratios.append(float(reach.min() / k))
            censored.append(False)
        else:                        # MADE never gets there: the ratio exceeds K_max / K
            ratios.append(float(md.x.max() / k))
            censored.append(True)
    if not ratios:
        raise NotEvaluated("the sweep has a single K")
    median = float(np.median(ratios))
    return Claim("", "", "", {"size": size, "beta": beta, "reference": kind, "twobo_K": tw.x[:-1],
                              "made_K_over_twobo_K": ratios, "censored_lower_bound": censored,
                              "median_ratio": median, "threshold": ORDER}, median >= ORDER)


def _change(p: stats.Paired, k_from: float, k_to: float) -> tuple[float, float]:
    """Instance mean and standard error (0 with one instance) of F(k_to) - F(k_from)."""
    d = p.values[:, p.x == k_to][:, 0] - p.values[:, p.x == k_from][:, 0]
    d = d[np.isfinite(d)]
    se = float(d.std(ddof=1) / np.sqrt(d.size)) if d.size > 1 else 0.0
    return float(d.mean()) if d.size else float("nan"), se


def _log_slope(p: stats.Paired, low: float) -> float:
    """Slope of the mean relative F against ln K over the K >= ``low``."""
    keep = p.x >= low
    return float(np.polyfit(np.log(p.x[keep]), p.mean[keep], 1)[0]) if keep.sum() > 1 \
        else float("nan")


def rnn_plateau(tables: dict[str, Table]) -> Claim:
    """A plateau, not just a gap: at the largest K the RNN is above TwoBo by 2 SE, and either
    its change between the two largest K is not significant while TwoBo's decrease is, or its
    slope in ln K over the larger half of the K range (in log K) is at most a quarter of
    TwoBo's."""
    rel, kind, beta, size = _sweep(tables, ("twobo", "rnn"))
    tw, rn = rel["twobo"], rel["rnn"]
    ks = sorted(set(tw.x.tolist()) & set(rn.x.tolist()))
    if len(ks) < 2:
        raise NotEvaluated("TwoBo and RNN share fewer than two K")
    k_prev, k = ks[-2], ks[-1]
    gap = stats.Paired(np.array([k]), tw.instances,
                       rn.values[:, rn.x == k] - tw.values[:, tw.x == k]) \
        if rn.instances == tw.instances else None
    gap_mean = float(rn.mean[rn.x == k][0] - tw.mean[tw.x == k][0])
    gap_se = float(_se0(gap)[0]) if gap is not None else 0.0
    d_tw, se_tw = _change(tw, k_prev, k)
    d_rn, se_rn = _change(rn, k_prev, k)
    low = float(np.sqrt(min(ks) * max(ks)))
    s_tw, s_rn = _log_slope(tw, low), _log_slope(rn, low)
    flat = abs(d_rn) <= 2 * se_rn and d_tw + 2 * se_tw < 0
    shallow = bool(np.isfinite(s_tw) and np.isfinite(s_rn)
                   and abs(s_rn) <= FLAT_SLOPE * abs(s_tw))
    above = gap_mean - 2 * gap_se > 0
    return Claim("", "", "", {
        "size": size, "beta": beta, "reference": kind, "K": [k_prev, k],
        "twobo_mean_rel_F": tw.mean, "rnn_mean_rel_F": rn.mean, "K_all": tw.x,
        "rnn_minus_twobo_at_K_max": gap_mean, "se": gap_se,
        "rnn_change_last_K": d_rn, "rnn_change_se": se_rn,
        "twobo_change_last_K": d_tw, "twobo_change_se": se_tw,
        "slope_fit_K_min": low, "rnn_slope_ln_K": s_rn, "twobo_slope_ln_K": s_tw,
        "rnn_flat_while_twobo_improves": bool(flat), "rnn_slope_at_most_quarter": shallow},
        bool(above and (flat or shallow)))


def frozen_skip(tables: dict[str, Table]) -> Claim:
    fe = _table(tables, "free_energy")
    sizes = stats.sizes_with(fe, family="ea2d", nets=["twobo-frozen", stats.REFERENCE_NET])
    if not sizes:
        raise NotEvaluated("no runs with the skip beta frozen (net 'twobo-frozen')")
    p = stats.versus_beta(fe, family="ea2d", size=sizes[-1], net="twobo-frozen",
                          reference=stats.REFERENCE_NET)
    if not p:
        raise NotEvaluated("frozen-skip and annealed runs share no instance and beta")
    third = max(1, p.x.size // 3)
    low = np.nanmean(p.values[:, :third], axis=1)   # per instance
    high = np.nanmean(p.values[:, -third:], axis=1)
    se_low = low.std(ddof=1) / np.sqrt(low.size) if low.size > 1 else 0.0
    holds = low.mean() - 2 * se_low > 0 and low.mean() > high.mean()
    return Claim("", "", "", {"size": sizes[-1], "small_betas": p.x[:third],
                              "mean_rel_diff_small_beta": low.mean(), "se": se_low,
                              "mean_rel_diff_large_beta": high.mean(),
                              "per_beta": dict(zip(map(str, p.x), p.mean))}, bool(holds))


def parameter_scaling(tables: dict[str, Table], family: str) -> Claim:
    par = _table(tables, "parameters").where(family=family)
    if not len(par):
        raise NotEvaluated(f"no {family} parameter counts")
    tw, md = par.where(net="twobo"), par.where(net="made")
    n = tw["n"].astype(float)
    low = float(np.sqrt(n.min() * n.max()))           # the larger half of the range in log N
    slope = scaling_exponent(n, tw["n_params"], low)
    made_slope = scaling_exponent(md["n"].astype(float), md["n_params"], low)
    numbers = {"fit_n_range": [low, n.max()], "twobo_exponent": slope,
               "made_exponent": made_slope, "expected": EXPECTED_EXPONENT[family]}
    holds = abs(slope - EXPECTED_EXPONENT[family]) <= EXPONENT_TOL
    if family == "rrg":
        rules = par.unique("seed_rule")
        if rules != [RRG_RULE]:
            raise NotEvaluated(f"RRG counts come from seed rule {'/'.join(rules)}, not the "
                               f"paper's instances ({RRG_RULE})")
        big = int(np.argmax(n))
        ratio = float(tw["n_params"][big] / md.where(n=int(n[big]))["n_params"][0])
        numbers["twobo_over_made_at_largest_n"] = ratio
        holds &= abs(ratio - RATIO) <= RATIO_TOL * RATIO
    return Claim("", "", "", numbers, bool(holds))


def rnn_entropy(tables: dict[str, Table]) -> Claim:
    fe = _table(tables, "free_energy")
    sizes = [s for s in stats.sizes_with(fe, family="ea2d", nets=[stats.REFERENCE_NET])
             if stats.rnn_labels(fe, "ea2d", s)]
    if not sizes:
        raise NotEvaluated("no 2D EA size with TwoBo and RNN runs")
    size = max(sizes, key=lambda s: (len(stats.rnn_labels(fe, "ea2d", s)), s))
    numbers, holds = {"size": size}, True
    for net in stats.rnn_labels(fe, "ea2d", size):
        kw = {"family": "ea2d", "size": size, "net": net, "reference": stats.REFERENCE_NET}
        rel = stats.versus_beta(fe, **kw)
        d_f, d_s = (stats.versus_beta(fe, **kw, value=v, absolute=True)
                    for v in ("free_energy", "entropy"))
        if not rel:
            continue
        se = rel.se_total
        above = rel.mean - 2 * se > 0
        # entropy part of dF = dE - dS/beta, over the betas where the RNN is above
        share = (-d_s.mean / d_s.x)[above] / d_f.mean[above]
        median = float(np.median(share)) if above.any() else None
        ok = not (rel.mean + 2 * se < 0).any() and above.mean() > MAJORITY \
            and median is not None and median > 0.5
        holds &= bool(ok)
        numbers[net] = {"n_params": int(fe.where(net=net, size=size)["n_params"].max()),
                        "betas_F_above_twobo_by_2se": int(above.sum()),
                        "betas": int(rel.x.size), "median_entropy_share_of_dF": median}
    return Claim("", "", "", numbers, bool(holds))


_CLAIMS: list[tuple[str, str, str, Callable[[dict], Claim]]] = [
    *[(f"fig2-lowest-free-energy-{f}", "Fig. 2",
       (f"TwoBo has the lowest variational free energy of the nets at every beta on "
        f"{stats.FAMILY_TITLES[f]} (largest size, last-20-step means: no net significantly "
        f"below TwoBo at any beta, and every other net above it by 2 SE at most betas or at "
        f"every beta >= 1)"),
       partial(lowest_free_energy, family=f)) for f in stats.FAMILIES],
    ("fig2-minimum-energy", "Fig. 2",
     ("MADE and RNN find no lower energy than TwoBo on the largest systems (instance mean of "
      "the relative E_min difference not significantly < 0)"), minimum_energy),
    ("fig2-ground-states", "Fig. 2",
     ("TwoBo finds the ground state wherever it is proven optimal (paper: all 2D and the "
      "smaller 3D instances)"), ground_states),
    ("fig3-starts-lower", "Fig. 3",
     ("TwoBo starts each temperature step at a lower free energy than MADE and RNN "
      "(instance mean at step 0 of each shown block, Fig. 3's instance set and size)"),
     starts_lower),
    ("fig4-twobo-decreases", "Fig. 4",
     ("TwoBo's free energy decreases systematically with the steps per beta (no significant "
      "rise between successive K; last below first)"), twobo_decreases),
    ("fig4-made-order-of-magnitude", "Fig. 4",
     ("MADE (this claim is MADE's only; the RNN's is fig4-rnn-plateau) needs about an order "
      "of magnitude more steps per beta for the same free energy (median K_MADE/K_TwoBo >= "
      "sqrt(10))"), made_order_of_magnitude),
    ("fig4-rnn-plateau", "Fig. 4",
     ("The RNN plateaus at a free energy above TwoBo's: above it by 2 SE at the largest K, "
      "and its change between the two largest K not significant while TwoBo's decrease is, "
      "or its slope in ln K at most a quarter of TwoBo's"), rnn_plateau),
    ("figS2-frozen-skip", "Fig. S2",
     ("Freezing beta in the skip connection at 1 raises the free energy, especially at small "
      "beta (first third of the grid > 0 by 2 SE and above the last third)"), frozen_skip),
    *[(f"figS1-parameter-scaling-{f}", "Fig. S1",
       (f"TwoBo's parameter count on {stats.FAMILY_TITLES[f]} scales as "
        f"N^{EXPECTED_EXPONENT[f]:.3g} (+-{EXPONENT_TOL})"
        + (" like MADE, with half of MADE's parameters on the paper's instances (0.5 +-5 %)"
           if f == "rrg" else "")),
       partial(parameter_scaling, family=f)) for f in stats.FAMILIES],
    ("figS3-rnn-entropy", "Fig. S3",
     ("Every RNN size has a higher free energy than TwoBo (above it by 2 SE at a majority "
      "of betas, never significantly below), mainly because its entropy is lower (median "
      "entropy share of dF > 1/2 over those betas)"), rnn_entropy),
]


def evaluate(tables: dict[str, Table]) -> list[Claim]:
    """Every TwoBo claim on ``tables`` (free_energy, curves, energy_min, parameters)."""
    out = []
    for ident, figure, text, fn in _CLAIMS:
        try:
            result = fn(tables)
            result.id, result.figure, result.claim = ident, figure, text
        except NotEvaluated as why:
            result = Claim(ident, text, figure, holds=None, reason=str(why))
        out.append(result)
    return out
