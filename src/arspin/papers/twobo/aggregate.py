"""TwoBo paper: training results + exact references + ground states -> tidy tables.

Inputs are validated arspin files (docs/data.md), matched as arspin.aggregate.runs describes.

Tables (columns in :data:`arspin.papers.twobo.tables.SCHEMAS`, units in docs/figures.md):
    free_energy  one row per (run, beta): the run's per-beta summary (last step of the block),
                 the mean of F, E, S over the last min(20, K) steps of the block with its
                 standard error (from the run's per-step curves), and the exact F, E, S where
                 an exact reference covers that beta.
    curves       one row per (run of curve_instances, beta in curve_betas, step in that
                 block): F every step.
    energy_min   one row per run: best energy per spin and the ground-state reference.
    parameters   per (family, size, net): trainable parameters without training (Fig. S1).
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Sequence

import numpy as np

from arspin import io
from arspin.aggregate.runs import (
    BETA_TOL,
    GroundRef,
    RunInputs,
    check_instance,
    describe_variant,
    ground_reference,
    instance_key,
    match_betas,
    read_runs,
    references,
)
from arspin.aggregate.table import Table, new_table
from arspin.errors import ArspinError
from arspin.papers.twobo.tables import SCHEMAS

log = logging.getLogger("arspin")

DEFAULT_CURVE_BETAS = (0.5, 1.5, 3.0)
RUN_TABLES = ("free_energy", "curves", "energy_min")
LAST = 20                      # steps at the end of a beta block averaged for *_last20
WINDOWED = ("free_energy", "energy", "entropy")

# `arspin aggregate twobo --options JSON` (the workflow writes them from the paper's config)
OPTIONS = {
    "curve_betas": (tuple, DEFAULT_CURVE_BETAS,
                    "betas whose per-step F goes into curves.csv (Fig. 3)"),
    "curve_protocols": (str, "anneal",
                        "protocols whose runs go into curves.csv, comma-separated, or 'all'"),
    "curve_instances": (dict, {}, ("curves.csv: instance set -> sizes whose runs go in "
                                   "(Fig. 3's set and size); {} = every run")),
    "param_sizes": (dict, {}, ("parameters.csv: family -> sizes (L, or N for rrg); "
                               "{} = the TwoBo reference ranges")),
    "param_instances": (dict, {"rrg": 10},
                        "parameters.csv: family -> instances averaged per size (others 1)"),
    "param_seed_rules": (dict, {"rrg": "twobo-reference"},
                         ("parameters.csv: family -> seed rule of the counted instances "
                          "(others 'default'); rrg 'twobo-reference' = the paper's graphs, "
                          "'default' = freshly generated ones")),
}


def build(inputs: RunInputs, wanted: Sequence[str], *, curve_betas: tuple[float, ...],
          curve_protocols: str, curve_instances: dict, param_sizes: dict, param_instances: dict,
          param_seed_rules: dict) -> dict[str, Table]:
    """The tables ``wanted`` (names of SCHEMAS) from the result files (see OPTIONS)."""
    from arspin.papers.twobo.parameters import (
        PARAMETER_INSTANCES,
        PARAMETER_SEED_RULES,
        PARAMETER_SIZES,
        parameter_table,
    )

    tables = {}
    if set(wanted) & set(RUN_TABLES):
        protocols = None if curve_protocols == "all" else tuple(curve_protocols.split(","))
        tables.update(run_tables(inputs.runs, inputs.exact, inputs.groundstates,
                                 inputs.instances, curve_betas=curve_betas,
                                 curve_protocols=protocols,
                                 curve_instances={k: tuple(int(x) for x in v)
                                                  for k, v in curve_instances.items()} or None))
    if "parameters" in wanted:
        sizes = {k: tuple(int(s) for s in v) for k, v in param_sizes.items()} or PARAMETER_SIZES
        counts = {**PARAMETER_INSTANCES, **{k: int(v) for k, v in param_instances.items()}}
        rules = {**PARAMETER_SEED_RULES, **{k: str(v) for k, v in param_seed_rules.items()}}
        tables["parameters"] = parameter_table(sizes, counts, rules)
    return {name: tables[name] for name in wanted}

def run_tables(runs: Sequence[os.PathLike | str], exact: Sequence[os.PathLike | str] = (),
                    groundstates: Sequence[os.PathLike | str] = (),
                    instances: Sequence[os.PathLike | str] = (),
                    curve_betas: Sequence[float] = DEFAULT_CURVE_BETAS,
                    curve_protocols: Sequence[str] | None = ("anneal",),
                    curve_instances: dict[str, Sequence[int]] | None = None
                    ) -> dict[str, Table]:
    """Build the free_energy, curves and energy_min tables from result files.

    Args:
        runs: ``run`` files, each with a ``labels`` attribute.
        exact: ``exact`` files (at most one per instance).
        groundstates: ``groundstate`` files (several per instance allowed: the lowest wins).
        instances: optional ``instance`` files; when given, every run's instance must be one
            of them with the same N (catches a run trained on a stale or foreign instance).
        curve_betas: betas whose per-step F goes into ``curves`` (skipped for runs without them).
        curve_protocols: protocols whose runs go into ``curves`` (None: all); the default keeps
            the steps-per-beta sweep (Fig. 4, up to 1024 steps per block) out of it.
        curve_instances: instance set -> sizes whose runs go into ``curves`` (None: all), so
            that Fig. 3 and its claim read the same set and size at every scale.
    Returns:
        {"free_energy": Table, "curves": Table, "energy_min": Table}, rows sorted by labels.
    """
    exact_refs = references(exact, "exact")
    for key, recs in exact_refs.items():
        if len(recs) > 1:
            raise ArspinError(f"{recs[1].path}: field 'instance': a second exact reference for "
                              f"{key} (first: {recs[0].path})")
    gs_refs = references(groundstates, "groundstate")
    models = {instance_key(p): io.read_instance(p) for p in instances}
    fe_rows, curve_rows, emin_rows = [], [], []
    for rec, labels in read_runs(runs):
        key = instance_key(rec.attrs["instance"])
        check_instance(rec, models)      # path, N and couplings digest, when instances given
        ex = exact_refs.get(key, [None])[0]
        if ex is not None and ex.attrs["n"] != rec.attrs["n"]:
            raise ArspinError(f"{ex.path}: field 'n': {ex.attrs['n']} != run's {rec.attrs['n']}")
        fe_rows += _free_energy_rows(rec, labels, ex)
        if (curve_protocols is None or labels["protocol"] in curve_protocols) and \
                (curve_instances is None
                 or labels["size"] in curve_instances.get(labels["set"], ())):
            curve_rows += _curve_rows(rec, labels, ex, curve_betas)
        emin_rows.append(_energy_min_row(rec, labels, ground_reference(gs_refs.get(key, []), ex)))
    order = ("set", "size", "index", "net", "protocol", "seed")
    fe_rows.sort(key=lambda r: tuple(r[k] for k in order) + (r["beta"],))
    curve_rows.sort(key=lambda r: tuple(r[k] for k in order) + (r["beta"], r["step"]))
    emin_rows.sort(key=lambda r: tuple(r[k] for k in order))
    log.info("aggregated %d runs: %d free-energy rows, %d curve rows", len(runs), len(fe_rows),
             len(curve_rows))
    return {"free_energy": new_table("free_energy", fe_rows, SCHEMAS["free_energy"]),
            "curves": new_table("curves", curve_rows, SCHEMAS["curves"]),
            "energy_min": new_table("energy_min", emin_rows, SCHEMAS["energy_min"])}


def _run_info(rec: io.Record) -> dict:
    hyper = json.loads(rec.attrs["hyperparameters"])
    train = hyper.get("train", {}) if isinstance(hyper, dict) else {}
    return {"net_family": str(rec.attrs["net"]),
            "variant": describe_variant(str(rec.attrs["net"]), hyper if isinstance(hyper, dict)
                                        else {}, rec.attrs["n"], int(rec.attrs["n_params"])),
            "n_params": int(rec.attrs["n_params"]),
            "steps_per_beta": int(train.get("steps_per_beta", -1)),
            "batch": int(train.get("batch", -1))}


def _free_energy_rows(rec: io.Record, labels: dict, ex: io.Record | None) -> list[dict]:
    d, info = rec.data, _run_info(rec)
    beta = d["beta"]
    window = last_window(d)
    idx = match_betas(beta, ex.data["beta"]) if ex is not None else np.full(beta.size, -1)
    rows = []
    for b in range(beta.size):
        k = idx[b]
        exact = {name: float(ex.data[name][k]) if k >= 0 else np.nan  # type: ignore[union-attr]
                 for name in ("free_energy", "energy", "entropy")}
        rows.append({
            **labels, **{c: info[c] for c in ("net_family", "variant", "steps_per_beta", "batch",
                                              "n_params")},
            "beta": float(beta[b]),
            **{c: float(d[c][b]) for c in ("free_energy", "free_energy_std", "energy",
                                           "energy_min", "entropy", "abs_magnetization")},
            **{f"{c}_last{LAST}{tail}": float(window[c][k_][b])
               for c in WINDOWED for k_, tail in ((0, ""), (1, "_se"))},
            **{f"{name}_exact": value for name, value in exact.items()},
            "exact_method": str(ex.attrs["method"]) if k >= 0 else "",  # type: ignore[union-attr]
        })
    return rows


def last_window(data: dict) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Per metric in WINDOWED: (mean, standard error) over the last min(20, K) steps of each
    beta block, arrays (n_beta,), from the per-step curves (``curves/<metric>``).

    A block is a contiguous stretch of ``curves/step_beta`` (the first holds the warm-up too);
    K is the smallest block length, as in arspin.train.summarize. SE = std (ddof 1) /
    sqrt(window), NaN for a window of one step. Steps within a block use independent sample
    batches, so the SE is that of the batch noise around the block's (slowly drifting) mean.
    """
    step_beta = np.asarray(data["curves/step_beta"], np.float64)
    ends = np.append(np.flatnonzero(np.abs(np.diff(step_beta)) > BETA_TOL), step_beta.size - 1) + 1
    if ends.size != np.asarray(data["beta"]).size:
        raise ArspinError(f"curves/step_beta: {ends.size} beta blocks, but {data['beta'].size} "
                          "betas")
    width = int(min(LAST, np.min(np.diff(ends, prepend=0))))
    out = {}
    for name in WINDOWED:
        curve = np.asarray(data[f"curves/{name}"], np.float64)
        blocks = np.stack([curve[e - width:e] for e in ends])
        se = blocks.std(axis=1, ddof=1) / np.sqrt(width) if width > 1 \
            else np.full(ends.size, np.nan)
        out[name] = (blocks.mean(axis=1), se)
    return out


def _curve_rows(rec: io.Record, labels: dict, ex: io.Record | None,
                curve_betas: Sequence[float]) -> list[dict]:
    step_beta, f = rec.data["curves/step_beta"], rec.data["curves/free_energy"]
    rows = []
    for b in curve_betas:
        where = np.flatnonzero(np.abs(step_beta - b) <= BETA_TOL)
        if where.size == 0:
            continue
        # the block is the last contiguous stretch at this beta (the grid visits it once)
        breaks = np.flatnonzero(np.diff(where) != 1)
        block = where[breaks[-1] + 1:] if breaks.size else where
        beta = float(step_beta[block[0]])
        k = match_betas(np.array([beta]), ex.data["beta"])[0] if ex is not None else -1
        f_exact = float(ex.data["free_energy"][k]) if k >= 0 else np.nan
        rows += [{**labels, "beta": beta, "step": s, "free_energy": float(f[t]),
                  "free_energy_exact": f_exact} for s, t in enumerate(block)]
    return rows


def _energy_min_row(rec: io.Record, labels: dict, ref: GroundRef | None) -> dict:
    n, best = rec.attrs["n"], float(rec.data["best_energy"])
    info = _run_info(rec)
    hit = ref is not None and best <= ref.energy + BETA_TOL * (1 + abs(ref.energy))
    return {**labels, "net_family": info["net_family"], "variant": info["variant"],
            "n_params": info["n_params"], "e_min": best / n,
            "e_gs": ref.energy / n if ref else np.nan, "gs_method": ref.method if ref else "",
            "gs_proven": bool(ref.proven) if ref else False, "hits_gs": bool(hit)}
