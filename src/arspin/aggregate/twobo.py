"""TwoBo paper: training results + exact references + ground states -> tidy tables.

Inputs are validated arspin files (docs/data.md). A run is identified by its ``labels``
attribute (canonical JSON: set, family, size, n, index, net, protocol, seed), never by its path.
Exact references and ground states are matched to runs by their ``instance`` attribute (the
instance path as given on the command lines, compared after ``os.path.abspath``). Betas are
matched with an absolute tolerance of :data:`BETA_TOL`, never by float equality.

Tables (columns in :data:`arspin.aggregate.table.SCHEMAS`, units in docs/figures.md):
    free_energy  one row per (run, beta): the run's per-beta summary (last step of the block)
                 plus the exact F, E, S where an exact reference covers that beta.
    curves       one row per (run, beta in curve_betas, step in that block): F every step.
    energy_min   one row per run: best energy per spin and the ground-state reference.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from arspin import io
from arspin.aggregate.table import Table, new_table
from arspin.errors import ArspinError

log = logging.getLogger("arspin")

BETA_TOL = 1e-9
LABEL_INT = ("size", "n", "index", "seed")
LABEL_STR = ("set", "family", "net", "protocol")
DEFAULT_CURVE_BETAS = (0.5, 1.5, 3.0)


@dataclass(frozen=True)
class GroundRef:
    """Ground-state reference of one instance: TOTAL energy, how it was found, if proven."""

    energy: float
    method: str
    proven: bool


def instance_key(path: str | os.PathLike) -> str:
    """The form in which instance paths are compared: absolute and normalised, so that
    'results/i.h5', './results/i.h5' and '/home/me/results/i.h5' (run in /home/me) are one instance.
    Relative paths are taken from the current folder, as every pipeline job shares it."""
    return os.path.abspath(os.fspath(path))


def run_labels(rec: io.Record) -> dict:
    """The run's ``labels`` attribute as a dict with typed values; ArspinError if absent/bad."""
    raw = rec.attrs.get("labels")
    if raw is None:
        raise ArspinError(f"{rec.path}: field 'labels': missing attribute (the aggregation "
                          f"identifies runs by labels, not by path)")
    try:
        labels = json.loads(raw) if isinstance(raw, str) else dict(raw)
        out = {k: int(labels[k]) for k in LABEL_INT}
        out.update({k: str(labels[k]) for k in LABEL_STR})
    except (ValueError, TypeError, KeyError) as exc:
        raise ArspinError(f"{rec.path}: field 'labels': needs {', '.join(LABEL_STR + LABEL_INT)}"
                          f" ({type(exc).__name__}: {exc})") from None
    if out["n"] != rec.attrs["n"]:
        raise ArspinError(f"{rec.path}: field 'labels': n = {out['n']} but the run has "
                          f"n = {rec.attrs['n']}")
    return out


def match_betas(betas: np.ndarray, grid: np.ndarray, tol: float = BETA_TOL) -> np.ndarray:
    """Index into ``grid`` of each beta (|beta - grid[k]| <= tol), -1 where none; int64."""
    betas, grid = np.asarray(betas, np.float64), np.asarray(grid, np.float64)
    if grid.size == 0:
        return np.full(betas.shape, -1, dtype=np.int64)
    order = np.argsort(grid)
    sorted_grid = grid[order]
    pos = np.clip(np.searchsorted(sorted_grid, betas), 1, grid.size - 1) if grid.size > 1 \
        else np.zeros(betas.shape, dtype=np.int64)
    left = np.maximum(pos - 1, 0)
    nearer = np.where(np.abs(sorted_grid[left] - betas) <= np.abs(sorted_grid[pos] - betas),
                      left, pos)
    found = np.abs(sorted_grid[nearer] - betas) <= tol
    return np.where(found, order[nearer], -1).astype(np.int64)


def describe_variant(net_family: str, hyper: dict, n: int, n_params: int) -> str:
    """Short text naming the architecture variant that ran, e.g. 'rnn2d per-site elu d_h=3'.

    RNNs (physics.md 6c) are spelt out (cell sharing, activation, d_h; "auto" widths are
    recovered from the parameter count, which fixes d_h); other nets show their non-empty
    hyperparameters as given in the run, e.g. 'twobo {"use_beta_skip":false}'.
    """
    net = dict(hyper.get("net", {}))
    if net_family.startswith("rnn"):
        per_site = bool(net.get("per_site", True))
        act = net.get("activation") or ("elu" if per_site else "tanh")
        hidden = net.get("hidden", "auto")
        if not isinstance(hidden, int):
            hidden = _rnn_width(net_family, n, n_params, per_site)
        width = f"d_h={hidden}" if hidden else "d_h=?"
        return f"{net_family} {'per-site' if per_site else 'shared'} {act} {width}"
    return net_family + (" " + io.canonical_json(net) if net else "")


def _rnn_width(net_family: str, n: int, n_params: int, per_site: bool) -> int | None:
    """d_h from the count (N or 1) x (2 k^2 d^2 + 3 d + 2), k = 2 (rnn2d) or 1 (rnn1d)."""
    k = 2 if net_family == "rnn2d" else 1
    cells = n_params / (n if per_site else 1)
    a = 2 * k * k
    d = round((-3 + np.sqrt(9 - 4 * a * (2 - cells))) / (2 * a))
    return d if d >= 1 and a * d * d + 3 * d + 2 == cells else None


def _references(paths: Iterable[os.PathLike | str], kind: str) -> dict[str, list[io.Record]]:
    found: dict[str, list[io.Record]] = {}
    for path in paths:
        rec = io.read(path, kind)
        found.setdefault(instance_key(rec.attrs["instance"]), []).append(rec)
    return found


def ground_reference(gs: Sequence[io.Record], exact: io.Record | None) -> GroundRef | None:
    """Lowest ground-state energy among the files of one instance (proven if any proof)."""
    candidates = [GroundRef(float(r.data["energy"]), str(r.attrs["method"]),
                            bool(r.attrs["proven_optimal"])) for r in gs]
    if exact is not None and "ground_energy" in exact.data:
        candidates.append(GroundRef(float(exact.data["ground_energy"]),
                                    str(exact.attrs["method"]), True))
    if not candidates:
        return None
    best = min(c.energy for c in candidates)
    at_best = [c for c in candidates if c.energy <= best + BETA_TOL * (1 + abs(best))]
    proven = [c for c in at_best if c.proven]
    return proven[0] if proven else at_best[0]


def aggregate_twobo(runs: Sequence[os.PathLike | str], exact: Sequence[os.PathLike | str] = (),
                    groundstates: Sequence[os.PathLike | str] = (),
                    instances: Sequence[os.PathLike | str] = (),
                    curve_betas: Sequence[float] = DEFAULT_CURVE_BETAS,
                    curve_protocols: Sequence[str] | None = ("anneal",)) -> dict[str, Table]:
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
    Returns:
        {"free_energy": Table, "curves": Table, "energy_min": Table}, rows sorted by labels.
    """
    exact_refs = _references(exact, "exact")
    for key, recs in exact_refs.items():
        if len(recs) > 1:
            raise ArspinError(f"{recs[1].path}: field 'instance': a second exact reference for "
                              f"{key} (first: {recs[0].path})")
    gs_refs = _references(groundstates, "groundstate")
    known = {instance_key(p): io.read(p, "instance").attrs["n"] for p in instances}
    fe_rows, curve_rows, emin_rows, seen = [], [], [], {}
    for path in runs:
        rec = io.read(path, "run")
        labels = run_labels(rec)
        ident = tuple(labels[k] for k in ("set", "size", "index", "net", "protocol", "seed"))
        if ident in seen:
            raise ArspinError(f"{path}: field 'labels': same labels as {seen[ident]}")
        seen[ident] = path
        key = instance_key(rec.attrs["instance"])
        if known and key not in known:
            raise ArspinError(f"{path}: field 'instance': {key} is not among the instance files")
        if known and known[key] != rec.attrs["n"]:
            raise ArspinError(f"{path}: field 'n': {rec.attrs['n']}, but {key} has "
                              f"N = {known[key]}")
        ex = exact_refs.get(key, [None])[0]
        if ex is not None and ex.attrs["n"] != rec.attrs["n"]:
            raise ArspinError(f"{ex.path}: field 'n': {ex.attrs['n']} != run's {rec.attrs['n']}")
        fe_rows += _free_energy_rows(rec, labels, ex)
        if curve_protocols is None or labels["protocol"] in curve_protocols:
            curve_rows += _curve_rows(rec, labels, ex, curve_betas)
        emin_rows.append(_energy_min_row(rec, labels, ground_reference(gs_refs.get(key, []), ex)))
    order = ("set", "size", "index", "net", "protocol", "seed")
    fe_rows.sort(key=lambda r: tuple(r[k] for k in order) + (r["beta"],))
    curve_rows.sort(key=lambda r: tuple(r[k] for k in order) + (r["beta"], r["step"]))
    emin_rows.sort(key=lambda r: tuple(r[k] for k in order))
    log.info("aggregated %d runs: %d free-energy rows, %d curve rows", len(runs), len(fe_rows),
             len(curve_rows))
    return {"free_energy": new_table("free_energy", fe_rows),
            "curves": new_table("curves", curve_rows),
            "energy_min": new_table("energy_min", emin_rows)}


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
            "free_energy_last20": float(d["free_energy_last20"][b])
            if "free_energy_last20" in d else np.nan,
            **{f"{name}_exact": value for name, value in exact.items()},
            "exact_method": str(ex.attrs["method"]) if k >= 0 else "",  # type: ignore[union-attr]
        })
    return rows


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
