"""Reading result files for aggregation, shared by every paper's wing.

A run is identified by its ``labels`` attribute (canonical JSON: set, family, size, n, index,
net, protocol, seed), never by its path. Exact references and ground states are matched to
runs by their ``instance`` attribute (the instance path as given on the command lines, compared
after ``os.path.abspath``). Betas are matched with an absolute tolerance of :data:`BETA_TOL`,
never by float equality.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from arspin import io
from arspin.aggregate.table import RUN_LABELS
from arspin.errors import ArspinError
from arspin.hamiltonian import IsingModel

BETA_TOL = 1e-9
# the label names and types, as the tables declare them (table.RUN_LABELS)
LABEL_INT = tuple(name for name, kind in RUN_LABELS if kind == "int")
LABEL_STR = tuple(name for name, kind in RUN_LABELS if kind == "str")


@dataclass(frozen=True)
class RunInputs:
    """The result files one aggregation reads (paths as given on the command line)."""

    runs: Sequence[os.PathLike | str] = ()
    exact: Sequence[os.PathLike | str] = ()
    groundstates: Sequence[os.PathLike | str] = ()
    instances: Sequence[os.PathLike | str] = ()
    references: Sequence[os.PathLike | str] = ()    # kind reference (arspin reference)
    couplings: Sequence[os.PathLike | str] = ()     # kind table (arspin learn-couplings)


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


def references(paths: Iterable[os.PathLike | str], kind: str) -> dict[str, list[io.Record]]:
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


def check_instance(rec: io.Record, instances: dict[str, IsingModel]) -> IsingModel | None:
    """The instance a run was trained on, checked: its path must be among ``instances``
    (instance_key -> model; an empty dict checks nothing) with the same N and the same
    couplings and fields (the run's ``instance_digest``), else ArspinError naming the run."""
    if not instances:
        return None
    key = instance_key(rec.attrs["instance"])
    model = instances.get(key)
    if model is None:
        raise ArspinError(f"{rec.path}: field 'instance': {key} is not among the instance files")
    if model.n != rec.attrs["n"]:
        raise ArspinError(f"{rec.path}: field 'n': {rec.attrs['n']}, but {key} has "
                          f"N = {model.n}")
    recorded = rec.attrs.get("instance_digest")
    if recorded is None:
        raise ArspinError(f"{rec.path}: field 'instance_digest': missing attribute (every "
                          f"`arspin train` result has it)")
    if recorded != model.digest:
        raise ArspinError(f"{rec.path}: field 'instance_digest': the run was trained on other "
                          f"couplings than {key} has now (instance regenerated? rerun it)")
    return model


def read_runs(paths: Iterable[os.PathLike | str]) -> Iterator[tuple[io.Record, dict]]:
    """(record, labels) of each run file; ArspinError when two runs carry the same labels
    (set, size, index, net, protocol, seed) - the aggregation would count one twice."""
    seen: dict[tuple, os.PathLike | str] = {}
    for path in paths:
        rec = io.read(path, "run")
        labels = run_labels(rec)
        ident = tuple(labels[k] for k in ("set", "size", "index", "net", "protocol", "seed"))
        if ident in seen:
            raise ArspinError(f"{path}: field 'labels': same labels as {seen[ident]}")
        seen[ident] = path
        yield rec, labels
