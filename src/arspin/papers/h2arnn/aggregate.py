"""H2ARNN paper: training results + instances -> tidy tables (Curie-Weiss part, Fig. 4).

Runs are identified by their ``labels`` (arspin.aggregate.runs); every run's instance must be
among ``--instances`` (checked: path, N, couplings digest).

Tables (columns in :data:`arspin.papers.h2arnn.tables.SCHEMAS`):
    cw_free_energy  one row per (Curie-Weiss run, beta): the run's per-beta F (with the
                    early_stop protocol: the mean over the collected batches), its standard
                    error, the exact F_q of the same steps by the DP over M (nets with a logit
                    table; empty otherwise), and the reference f_N.
    cw_overlap      one row per (run of ``pq_protocol``, overlap bin): P(q) of ``pq_samples``
                    fresh samples of the net as trained at the end of that run (its last beta).

Reference: the finite-N Curie-Weiss sum f_N(beta) (physics.md section 7) computed here from the
instance's own J and h, at any N. It is exact, so no exact file is needed; the workflow's exact
rule stops at enumeration sizes for Curie-Weiss instances today (docs/h2arnn.md).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence

import numpy as np

from arspin import io
from arspin.aggregate.final import sample_final_net
from arspin.aggregate.runs import (
    RunInputs,
    check_instance,
    describe_variant,
    instance_key,
    read_runs,
)
from arspin.aggregate.table import Table, new_table
from arspin.errors import ArspinError
from arspin.papers.h2arnn.tables import SCHEMAS

log = logging.getLogger("arspin")

BINNINGS = ("aligned", "paper50")
EXACT_METHOD = "curie-weiss (finite N)"

# `arspin aggregate h2arnn --options JSON` (the workflow writes them from the paper's config)
OPTIONS = {
    "pq_protocol": (str, "to1.3", ("protocol whose runs give Fig. 4e's P(q) (their grid ends "
                                   "at the P(q) beta: 'to1.3' = the caption's 1.3, 'to1.2' "
                                   "= the reference code's 1.2)")),
    "pq_samples": (int, 4000, "fresh samples per net for P(q) (paper 20,000)"),
    "pq_binning": (str, "aligned", ("'aligned': one bin of width 2/N per allowed q value "
                                    "(miniature); 'paper50': 50 bins on [-1, 1] as published "
                                    "(aliases at small N)")),
    "pq_seed": (int, 0, "PRNG seed of the P(q) samples"),
    # SK (Fig. 5)
    "sk_pq_protocol": (str, "sk-to1.5", ("protocol whose runs give Fig. 5e's P(q) (its grid "
                                         "ends at 1.5, the paper's P(q) beta)")),
    "sk_pq_samples": (int, 4000, "fresh samples per net and instance for Fig. 5e (paper 20,000)"),
    "sk_pq_binning": (str, "aligned", "as pq_binning, for Fig. 5e"),
    "bracket_protocol": (str, "sk", ("protocol of the runs whose final nets get the F bracket "
                                     "(importance sampling, Boltzmann-sample lower bound)")),
    "nis_samples": (int, 4000, ("samples per final net for importance sampling (and exact "
                                "Boltzmann draws for the lower bound where enumerable)")),
    "paper_reference_net": (str, "sk-2rsb", ("net label of the paper's reference (its SK_2RSB "
                                             "net): Fig. 5a-c as published plot F relative "
                                             "to it")),
    "param_nets": (dict, {}, ("Fig. 5d: net label -> {net, hparams} whose parameter counts are "
                              "tabulated (the workflow passes the paper's SK nets)")),
    "param_sizes": (tuple, (50.0, 100.0, 200.0), ("Fig. 5d: the N of the parameter counts "
                                                  "(with every N that ran)")),
}


def build(inputs: RunInputs, wanted: Sequence[str], *, pq_protocol: str, pq_samples: int,
          pq_binning: str, pq_seed: int, sk_pq_protocol: str, sk_pq_samples: int,
          sk_pq_binning: str, bracket_protocol: str, nis_samples: int,
          paper_reference_net: str, param_nets: dict, param_sizes: tuple) -> dict[str, Table]:
    """The tables ``wanted`` (names of SCHEMAS) from the result files (see OPTIONS): Curie-Weiss
    runs feed the cw_* tables, every other run (SK) the sk_* tables."""
    from arspin.papers.h2arnn import sk_aggregate as sk

    for key, value in (("pq_binning", pq_binning), ("sk_pq_binning", sk_pq_binning)):
        if value not in BINNINGS:
            raise ArspinError(f"option '{key}': expected one of {BINNINGS}, got {value!r}")
    models = {instance_key(p): io.read_instance(p) for p in inputs.instances}
    if inputs.runs and not models:
        raise ArspinError("--instances: the H2ARNN tables need the runs' instance files")
    exact, pt = sk.read_references(inputs.exact, inputs.references)
    rows: dict[str, list[dict]] = {name: [] for name in SCHEMAS}
    pq_instances: dict[str, tuple] = {}
    for rec, labels in read_runs(inputs.runs):
        model = check_instance(rec, models)
        couplings = model.curie_weiss()
        if couplings is not None:
            if "cw_free_energy" in wanted:
                rows["cw_free_energy"] += free_energy_rows(rec, labels, *couplings)
            if "cw_overlap" in wanted and labels["protocol"] == pq_protocol:
                rows["cw_overlap"] += overlap_rows(rec, labels, model, pq_samples, pq_binning,
                                                   pq_seed)
            continue
        key = instance_key(rec.attrs["instance"])
        if "sk_free_energy" in wanted:
            rows["sk_free_energy"] += sk.free_energy_rows(rec, labels, exact.get(key),
                                                          pt.get(key))
        if "sk_bracket" in wanted and labels["protocol"] == bracket_protocol:
            rows["sk_bracket"].append(sk.bracket_row(rec, labels, model, exact.get(key),
                                                     pt.get(key), nis_samples, pq_seed))
        if labels["protocol"] == sk_pq_protocol:
            if "sk_overlap" in wanted:
                rows["sk_overlap"] += overlap_rows(rec, labels, model, sk_pq_samples,
                                                   sk_pq_binning, pq_seed)
            pq_instances[key] = (model, labels, float(rec.data["beta"][-1]))
    if "sk_overlap_exact" in wanted:
        from arspin.limits import AUTO_ENUMERATION_MAX_N

        for model, labels, beta in pq_instances.values():
            if model.n <= AUTO_ENUMERATION_MAX_N:
                where = {k: labels[k] for k in ("set", "size", "n", "index")}
                rows["sk_overlap_exact"] += sk.exact_overlap_rows(model, where, beta,
                                                                  sk_pq_binning)
    for path in inputs.couplings:
        pairs, fit = sk.coupling_rows(path, models, exact)
        rows["sk_couplings"] += pairs
        rows["sk_couplings_fit"].append(fit)
    sk.add_paper_reference(rows["sk_free_energy"], paper_reference_net)
    if "sk_params" in wanted:
        sizes = set(param_sizes) | {r["n"] for r in rows["sk_free_energy"]}
        rows["sk_params"] = sk.param_rows(param_nets, sizes)
    order = ("set", "size", "index", "net", "protocol", "seed")
    for name, last in (("cw_free_energy", "beta"), ("cw_overlap", "q"),
                       ("sk_free_energy", "beta"), ("sk_overlap", "q"), ("sk_bracket", "beta")):
        rows[name].sort(key=lambda r: tuple(r[k] for k in order) + (r[last],))
    rows["sk_overlap_exact"].sort(key=lambda r: (r["set"], r["size"], r["index"], r["q"]))
    rows["sk_params"].sort(key=lambda r: (r["n"], r["net"]))
    rows["sk_couplings"].sort(key=lambda r: (r["set"], r["size"], r["index"], r["row"], r["col"]))
    rows["sk_couplings_fit"].sort(key=lambda r: (r["set"], r["size"], r["index"]))
    log.info("aggregated %d runs: %s", len(inputs.runs),
             ", ".join(f"{len(rows[t])} {t} rows" for t in wanted))
    return {name: new_table(name, rows[name], SCHEMAS[name]) for name in wanted}


def free_energy_rows(rec: io.Record, labels: dict, J: float, h: float) -> list[dict]:
    """One row per beta of a Curie-Weiss run (columns of SCHEMAS['cw_free_energy'])."""
    from arspin.exact.curie_weiss import cw_free_energy_finite

    d, n = rec.data, int(rec.attrs["n"])
    hyper = json.loads(rec.attrs["hyperparameters"])
    batch = int(hyper["train"]["batch"])
    beta = np.asarray(d["beta"], np.float64)
    exact = cw_free_energy_finite(n, beta, J, h)
    # with early_stop the per-beta values are means over `collected` batches, else one batch
    collected = np.asarray(d["collected"], np.int64) if "collected" in d \
        else np.ones(beta.size, np.int64)
    dp = np.asarray(d["free_energy_dp"], np.float64) if "free_energy_dp" in d \
        else np.full(beta.size, np.nan)
    variant = describe_variant(str(rec.attrs["net"]), hyper, n, int(rec.attrs["n_params"]))
    rows = []
    for b in range(beta.size):
        f, ref = float(d["free_energy"][b]), float(exact[b])
        rows.append({
            **labels, "net_family": str(rec.attrs["net"]), "variant": variant,
            "n_params": int(rec.attrs["n_params"]), "beta": float(beta[b]),
            "steps": int(d["steps"][b]), "collected": int(collected[b]),
            "free_energy": f, "free_energy_std": float(d["free_energy_std"][b]),
            "free_energy_se": float(d["free_energy_std"][b]) / np.sqrt(collected[b] * batch),
            "free_energy_dp": float(dp[b]), "free_energy_exact": ref,
            "exact_method": EXACT_METHOD, "abs_error": f - ref,
            "rel_error": (f - ref) / abs(ref), "dp_abs_error": float(dp[b]) - ref})
    return rows


def overlap_rows(rec: io.Record, labels: dict, model, samples: int, binning: str,
                 seed: int) -> list[dict]:
    """P(q) of ``samples`` fresh samples of the run's final net, at its last beta."""
    from arspin.observables import binned_overlaps, overlap_counts

    beta = float(rec.data["beta"][-1])
    x = sample_final_net(rec, model, samples, seed)
    counts = overlap_counts(x)                          # pairs a < b, Hamming distance d
    centres, density = binned_overlaps(counts, int(rec.attrs["n"]), binning)
    return [{**labels, "beta": beta, "binning": binning, "samples": samples, "q": float(c),
             "density": float(p)} for c, p in zip(centres, density)]
