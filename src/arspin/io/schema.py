"""Declarative file schemas and the single validator shared by :func:`write` and :func:`read`.

A :class:`Schema` lists, for one kind of file, the attributes it must carry and the datasets
it must (or may) hold: dtype kind, shape written with symbols ("E", "N", "n_beta", ...),
which non-finite values are legitimate, and a value check. Symbols are bound by attributes
(``N`` = attr ``n``) or by the first dataset that uses them, so every other dataset is checked
for consistency. Cross-field checks (``0 <= i < j < n``, ``f = -ln Z/(beta N)``) run last.

Writers and readers go through the same :func:`validate`, so a file that ``write`` accepts
is a file that ``read`` accepts, and a bad array never reaches the disk.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from os import PathLike
from typing import Any

import numpy as np

from arspin import __version__
from arspin.errors import ArspinError

# dtype kind accepted on input -> numpy kind letters. Integers are accepted where floats are
# declared because the upcast is exact (|x| < 2^53 for every count or +-1 energy we store).
_ACCEPTED = {"int": "iu", "float": "iuf", "bool": "b", "str": "U"}
_NONFINITE = {"nan": np.isnan, "+inf": np.isposinf, "-inf": np.isneginf}


class ArspinFileError(ArspinError):
    """A file, or the data about to be written to it, breaks its schema.

    ``str(e) == f"{path}: field '{field}': {problem}"``; ``field`` is ``"(file)"`` when the file
    as a whole is unusable (missing, not HDF5, truncated).
    """

    def __init__(self, path: str | PathLike, field: str, problem: str) -> None:
        self.path, self.field, self.problem = str(path), field, problem
        super().__init__(f"{self.path}: field '{field}': {problem}")


@dataclass(frozen=True)
class Attr:
    """A required attribute.

    ``type``: int | float | str | bool | json (JSON text) | time (ISO-8601 text).
    ``check``: extra value rule on the value (a json attribute's decoded value), returns a
    problem text or None; checked on write and read like the type.
    """

    name: str
    type: str
    doc: str = ""
    check: Callable[[Any], str | None] | None = None


def json_object(value: Any) -> str | None:
    """Attr check: a JSON object (``[]`` or ``3`` where a mapping is read is refused)."""
    if not isinstance(value, dict):
        return f"expected a JSON object, got {type(value).__name__} {_short(value)}"
    return None


def _short(value: Any, limit: int = 60) -> str:
    text = json.dumps(value) if not isinstance(value, str) else repr(value)
    return text if len(text) <= limit else text[:limit] + "..."


@dataclass(frozen=True)
class Dataset:
    """A dataset ("/" in the name = inside a group).

    Attributes:
        kind: int | float | bool | str, checked on write and read.
        shape: one entry per axis, a symbol ("N", "E", ...) or a fixed length; () = scalar.
        dtype: numpy dtype the values are stored and returned as.
        required: a missing optional dataset is fine; a present one is validated.
        allow: non-finite values that are legitimate here, subset of {"nan", "+inf", "-inf"}.
        check: extra value rule, returns a problem text or None.
        unit, doc: for docs/data.md.
    """

    name: str
    kind: str
    shape: tuple[str | int, ...]
    dtype: str
    required: bool = True
    allow: frozenset[str] = frozenset()
    check: Callable[[np.ndarray], str | None] | None = None
    unit: str = ""
    doc: str = ""


CrossCheck = Callable[[dict, dict], "tuple[str, str] | None"]


@dataclass(frozen=True)
class Schema:
    """One kind of arspin file. ``version`` goes up whenever old readers would misread it."""

    kind: str
    version: int
    attrs: tuple[Attr, ...]
    datasets: tuple[Dataset, ...]
    dims: Mapping[str, str] = field(default_factory=dict)  # symbol -> int attr (e.g. N -> n)
    checks: tuple[CrossCheck, ...] = ()


PROVENANCE = (
    Attr("generator", "str", "command or function that made the file"),
    Attr("parameters", "json", "its parameters, canonical JSON (sorted keys)", json_object),
    Attr("seed", "int", "random seed, -1 if none was used"),
    Attr("arspin_version", "str", "package version that wrote the file"),
    Attr("created", "time", "UTC ISO-8601 time of writing (the only time stamp in the file)"),
)


def validate(path: str | PathLike, schema: Schema, attrs: dict, data: dict) -> None:
    """Raise :class:`ArspinFileError` on the first problem, else return None.

    Args:
        path: file named in the message.
        schema: the expected kind.
        attrs: decoded attributes (Python scalars, JSON kept as str).
        data: flattened "/"-keyed numpy arrays (extra keys are allowed and not checked).
    """

    def fail(name: str, problem: str) -> None:
        raise ArspinFileError(path, name, problem)

    _check_header(path, schema, attrs)
    for spec in (*PROVENANCE, *schema.attrs):
        if spec.name not in attrs:
            fail(spec.name, "missing attribute")
        problem = _attr_problem(spec.type, attrs[spec.name])
        if problem is None and spec.check is not None:
            value = attrs[spec.name]
            problem = spec.check(json.loads(value) if spec.type == "json" else value)
        if problem:
            fail(spec.name, problem)
    dims: dict[str, tuple[int, str]] = {}
    for symbol, attr in schema.dims.items():
        if attrs[attr] < 1:
            fail(attr, f"must be a positive integer, got {attrs[attr]}")
        dims[symbol] = (attrs[attr], f"attr '{attr}'")
    for spec in schema.datasets:
        if spec.name not in data:
            if spec.required:
                fail(spec.name, "missing dataset")
            continue
        problem = _dataset_problem(spec, np.asarray(data[spec.name]), dims)
        if problem:
            fail(spec.name, problem)
    for check in schema.checks:
        found = check(attrs, data)
        if found:
            fail(*found)


def _check_header(path: str | PathLike, schema: Schema, attrs: dict) -> None:
    if attrs.get("kind") != schema.kind:
        raise ArspinFileError(path, "kind",
                              f"expected '{schema.kind}', found {attrs.get('kind')!r}")
    version = attrs.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ArspinFileError(path, "schema_version", f"must be an integer >= 1, got {version!r}")
    if version > schema.version:
        raise ArspinFileError(
            path, "schema_version",
            f"file uses {schema.kind} schema version {version}, but arspin {__version__} reads "
            f"only up to version {schema.version}; upgrade arspin to read this file")


def _attr_problem(kind: str, value: object) -> str | None:
    ok = {
        "int": isinstance(value, int) and not isinstance(value, bool),
        "float": isinstance(value, (int, float)) and not isinstance(value, bool),
        "str": isinstance(value, str),
        "bool": isinstance(value, bool),
        "json": isinstance(value, str),
        "time": isinstance(value, str),
    }[kind]
    if not ok:
        return f"expected {kind}, got {type(value).__name__} {value!r}"
    if kind == "json":
        try:
            json.loads(value)
        except ValueError as exc:
            return f"not valid JSON ({exc})"
    if kind == "time":
        try:
            datetime.fromisoformat(value)
        except ValueError:
            return f"not an ISO-8601 time stamp: {value!r}"
    return None


def _dataset_problem(spec: Dataset, arr: np.ndarray,
                     dims: dict[str, tuple[int, str]]) -> str | None:
    if arr.dtype.kind not in _ACCEPTED[spec.kind]:
        return f"expected {spec.kind} values, got dtype {arr.dtype}"
    if arr.ndim != len(spec.shape):
        return f"expected {arr_rule(spec.shape)} ({len(spec.shape)}-d), got shape {arr.shape}"
    for axis, (symbol, size) in enumerate(zip(spec.shape, arr.shape)):
        if isinstance(symbol, int):
            if size != symbol:
                return f"expected shape {arr_rule(spec.shape)}, got {arr.shape}"
        elif symbol in dims and dims[symbol][0] != size:
            want, source = dims[symbol]
            return (f"shape {arr.shape} does not match {arr_rule(spec.shape)}: "
                    f"{symbol} = {want} from {source}")
        else:
            dims.setdefault(symbol, (size, f"dataset '{spec.name}'"))
    if arr.dtype.kind == "f":
        for name, test in _NONFINITE.items():
            bad = np.flatnonzero(test(arr))
            if bad.size and name not in spec.allow:
                return f"contains {name} ({bad.size} values, first at flat index {bad[0]})"
    return spec.check(arr) if spec.check else None


def arr_rule(shape: tuple[str | int, ...]) -> str:
    """The shape rule as text: () -> "scalar", ("E",) -> "(E,)"."""
    if not shape:
        return "scalar"
    return "(" + ", ".join(map(str, shape)) + (",)" if len(shape) == 1 else ")")


# ------------------------------------------------------------------ reusable value rules
def plus_minus_one(arr: np.ndarray) -> str | None:
    bad = np.flatnonzero((arr != 1) & (arr != -1))
    if bad.size:
        return f"spins must be +1 or -1, found {arr.flat[bad[0]]} at index {bad[0]}"
    return None


def non_negative(arr: np.ndarray) -> str | None:
    bad = np.flatnonzero(arr < 0)
    return f"must be >= 0, found {arr.flat[bad[0]]} at index {bad[0]}" if bad.size else None


def unit_interval(arr: np.ndarray) -> str | None:
    # per-spin |M| lies in [0, 1]; a total |M| (a forgotten /N) would exceed it
    bad = np.flatnonzero((arr < 0) | (arr > 1 + 1e-12))
    return (f"per-spin value must lie in [0, 1], found {arr.flat[bad[0]]} at index {bad[0]}"
            if bad.size else None)

