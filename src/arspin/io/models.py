"""Domain objects to and from files: Ising instances and exact references."""

from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING

import numpy as np

from arspin.io.hdf5 import Record, canonical_json, read, write
from arspin.io.schema import ArspinFileError

if TYPE_CHECKING:  # the hamiltonian pulls in scipy; `arspin show` should not pay for it
    from arspin.hamiltonian import IsingModel

# meta entries stored as datasets instead of inside the JSON `meta` attribute
_PLANTED = ("planted_state", "planted_energy")


def write_instance(path: str | os.PathLike, model: IsingModel, provenance: dict) -> None:
    """Write an instance file: bonds (i, j, J), fields h, and the model's meta.

    ``meta["planted_state"]`` (+-1, length N) and ``meta["planted_energy"]`` (total H) become
    datasets; the rest of meta is stored as canonical JSON in attribute ``meta`` and
    ``meta["family"]`` also as attribute ``family`` ("unknown" when absent).
    """
    meta = dict(model.meta)
    data = {"i": model.i, "j": model.j, "J": model.J, "h": model.h}
    for key in _PLANTED:
        if meta.get(key) is not None:
            data[key] = np.asarray(meta.pop(key))
        meta.pop(key, None)
    try:
        meta_json = canonical_json(meta)
    except (TypeError, ValueError) as exc:
        raise ArspinFileError(path, "meta", f"model meta is not JSON-able ({exc})") from None
    attrs = {**provenance, "n": model.n, "family": str(meta.get("family", "unknown")),
             "meta": meta_json}
    write(path, "instance", data, attrs)


def read_instance(path: str | os.PathLike) -> IsingModel:
    """Read and validate an instance file into an :class:`~arspin.hamiltonian.IsingModel`.

    ``meta`` is restored from the JSON attribute; a stored planted state comes back as
    ``meta["planted_state"]`` (list of +-1 ints) and ``meta["planted_energy"]`` (float).
    """
    from arspin.hamiltonian import IsingModel

    rec = read(path, "instance")
    meta = json.loads(rec.attrs["meta"])
    if not isinstance(meta, dict):
        raise ArspinFileError(path, "meta", "must be a JSON object")
    if "planted_state" in rec.data:
        meta["planted_state"] = rec.data["planted_state"].astype(int).tolist()
    if "planted_energy" in rec.data:
        meta["planted_energy"] = float(rec.data["planted_energy"])
    d = rec.data
    return IsingModel.from_edges(rec.attrs["n"], d["i"], d["j"], d["J"], d["h"], meta=meta)


def write_exact(path: str | os.PathLike, result: dict, attrs: dict) -> None:
    """Write an exact reference (per-beta thermodynamics, see docs/data.md).

    Args:
        result: beta, log_z, free_energy, energy, entropy, abs_magnetization (n_beta,), and
            optionally ground_energy, n_ground_states. A scalar ``n`` in result is moved to the
            attributes (it must agree with ``attrs["n"]`` if both are given).
        attrs: n, instance, method plus :func:`arspin.io.provenance`.
    """
    result, attrs = dict(result), dict(attrs)
    if "n" in result:
        n = int(np.asarray(result.pop("n")))
        if attrs.setdefault("n", n) != n:
            raise ArspinFileError(path, "n", f"result has n = {n}, attrs have {attrs['n']}")
    write(path, "exact", result, attrs)


def read_exact(path: str | os.PathLike) -> Record:
    """Read and validate an exact reference: arrays in ``.data``, n/instance/method in ``.attrs``.

    Shapes and units as in docs/data.md (per-beta quantities per spin, ``log_z`` total).
    """
    return read(path, "exact")
