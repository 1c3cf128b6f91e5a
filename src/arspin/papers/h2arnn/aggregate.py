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
}


def build(inputs: RunInputs, wanted: Sequence[str], *, pq_protocol: str, pq_samples: int,
          pq_binning: str, pq_seed: int) -> dict[str, Table]:
    """The tables ``wanted`` (names of SCHEMAS) from the result files (see OPTIONS)."""
    if pq_binning not in BINNINGS:
        raise ArspinError(f"option 'pq_binning': expected one of {BINNINGS}, got {pq_binning!r}")
    models = {instance_key(p): io.read_instance(p) for p in inputs.instances}
    if inputs.runs and not models:
        raise ArspinError("--instances: the H2ARNN tables need the runs' instance files")
    fe_rows, pq_rows = [], []
    for rec, labels in read_runs(inputs.runs):
        model = check_instance(rec, models)
        couplings = model.curie_weiss()
        if couplings is None:
            continue                                    # the SK runs are not tabulated yet
        if "cw_free_energy" in wanted:
            fe_rows += free_energy_rows(rec, labels, *couplings)
        if "cw_overlap" in wanted and labels["protocol"] == pq_protocol:
            pq_rows += overlap_rows(rec, labels, model, pq_samples, pq_binning, pq_seed)
    order = ("set", "size", "index", "net", "protocol", "seed")
    fe_rows.sort(key=lambda r: tuple(r[k] for k in order) + (r["beta"],))
    pq_rows.sort(key=lambda r: tuple(r[k] for k in order) + (r["q"],))
    log.info("aggregated %d runs: %d free-energy rows, %d overlap rows", len(inputs.runs),
             len(fe_rows), len(pq_rows))
    tables = {"cw_free_energy": new_table("cw_free_energy", fe_rows, SCHEMAS["cw_free_energy"]),
              "cw_overlap": new_table("cw_overlap", pq_rows, SCHEMAS["cw_overlap"])}
    return {name: tables[name] for name in wanted}


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
    from arspin.observables import overlap_counts, overlap_values

    n = int(rec.attrs["n"])
    beta = float(rec.data["beta"][-1])
    x = sample_final_net(rec, model, samples, seed)
    counts = overlap_counts(x).astype(np.float64)       # pairs a < b, Hamming distance d
    q = overlap_values(n)
    if binning == "aligned":                            # one bin of width 2/N per q value
        centres, density = q[::-1], (counts / counts.sum() / (2.0 / n))[::-1]
    else:                                               # np.histogram(bins=50, density=True)
        density, edges = np.histogram(q, bins=50, range=(-1.0, 1.0), weights=counts,
                                      density=True)
        centres = (edges[:-1] + edges[1:]) / 2
    return [{**labels, "beta": beta, "binning": binning, "samples": samples, "q": float(c),
             "density": float(p)} for c, p in zip(centres, density)]


def sample_final_net(rec: io.Record, model, samples: int, seed: int) -> np.ndarray:
    """int8 (samples, N): ancestral samples of the run's stored final parameters at its last
    beta (the net rebuilt from the run's family and hyperparameters)."""
    import jax

    from arspin import jaxsetup

    jaxsetup.configure()
    from arspin.checkpoint import restore_tree
    from arspin.nets.registry import build_net

    hyper = json.loads(rec.attrs["hyperparameters"])
    net = build_net(str(rec.attrs["net"]), model, hyper["net"])
    template = net.init(jax.random.key(0))             # structure, shapes and dtypes only
    params = restore_tree(rec.data, "checkpoint/params", json.loads(rec.attrs["params_paths"]),
                          template, str(rec.path))
    beta = np.float32(rec.data["beta"][-1])
    x, _ = jax.jit(net.sample, static_argnums=2)(params, jax.random.key(seed), samples, beta)
    return np.asarray(x, dtype=np.int8)

