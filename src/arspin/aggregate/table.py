"""Tidy CSV tables: declared columns, typed reading, atomic and byte-stable writing.

The aggregated results of a paper are a few small tidy tables (one row per observation) that
every figure and claim reads. They are CSV (readable by anything, diff-able in review) with a
declared column list per table (a :data:`Schema`, declared by each paper's wing in
``arspin.papers.<paper>.tables``), so a reader gets typed numpy columns and a
table written by an older column list is refused with the file named.

Cell encoding: floats as Python ``repr`` (shortest text that reads back to the same float64,
so a write/read round trip is exact), NaN as an empty cell, booleans as ``true``/``false``.
No pandas: the tables are small and the needs (filter, group) fit in :class:`Table`.
"""

from __future__ import annotations

import csv
import io as _io
import math
import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from arspin.errors import ArspinError
from arspin.io import atomic_write

# A table's columns, in file order: (name, type) with type one of "str", "int", "float", "bool".
# Each paper declares its tables in its wing (arspin.papers.<paper>.tables.SCHEMAS).
Schema = tuple[tuple[str, str], ...]

# The labels every training run carries (attribute ``labels``, arspin.aggregate.runs), the
# first columns of every per-run table of every paper.
RUN_LABELS: Schema = (("set", "str"), ("family", "str"), ("size", "int"), ("n", "int"),
                      ("index", "int"), ("net", "str"), ("protocol", "str"), ("seed", "int"))

_DTYPES = {"str": str, "int": np.int64, "float": np.float64, "bool": bool}


@dataclass(frozen=True)
class Table:
    """A typed column store: ``columns[name]`` is a 1-d numpy array, all of equal length."""

    name: str
    columns: dict[str, np.ndarray]
    schema: Schema = ()

    def __len__(self) -> int:
        return len(next(iter(self.columns.values()))) if self.columns else 0

    def __getitem__(self, column: str) -> np.ndarray:
        try:
            return self.columns[column]
        except KeyError:
            raise ArspinError(f"table '{self.name}' has no column {column!r}") from None

    def mask(self, keep: np.ndarray) -> Table:
        """The rows where the boolean array ``keep`` is true."""
        return Table(self.name, {k: v[keep] for k, v in self.columns.items()}, self.schema)

    def where(self, **equal: object) -> Table:
        """Rows where every named column equals the value (a tuple/list value means 'any of')."""
        keep = np.ones(len(self), dtype=bool)
        for column, value in equal.items():
            col = self[column]
            if isinstance(value, tuple | list | set | frozenset):
                keep &= np.isin(col, list(value))
            else:
                keep &= col == value
        return self.mask(keep)

    def unique(self, column: str) -> list:
        """Sorted distinct values of a column, as Python scalars."""
        return [v.item() if isinstance(v, np.generic) else v for v in np.unique(self[column])]

    def groups(self, *columns: str) -> Iterator[tuple[tuple, Table]]:
        """(key, sub-table) for every distinct combination of the columns, in sorted key order."""
        if not len(self):
            return
        keys = list(zip(*(self[c].tolist() for c in columns)))
        for key in sorted(set(keys)):
            yield key, self.mask(np.array([k == key for k in keys]))


def new_table(name: str, rows: Sequence[dict], schema: Schema) -> Table:
    """Build table ``name`` with columns ``schema`` from row dicts holding exactly them."""
    columns = {}
    for column, kind in schema:
        values = [row[column] for row in rows]
        columns[column] = np.array(values, dtype=_DTYPES[kind]) if values else \
            np.array([], dtype=_DTYPES[kind])
    for row in rows[:1]:
        extra = set(row) - {c for c, _ in schema}
        if extra:
            raise ValueError(f"table '{name}': undeclared columns {sorted(extra)}")
    return Table(name, columns, schema)


def _cell(value: object, kind: str) -> str:
    if kind == "float":
        x = float(value)  # type: ignore[arg-type]
        return "" if math.isnan(x) else repr(x)
    if kind == "bool":
        return "true" if value else "false"
    if kind == "int":
        return str(int(value))  # type: ignore[call-overload]
    return str(value)


def write_table(path: str | os.PathLike, table: Table) -> None:
    """Write ``table`` as CSV atomically (header = declared columns, '\\n' line ends)."""
    schema = table.schema
    if not schema:
        raise ValueError(f"table '{table.name}' has no schema (build it with new_table)")
    buffer = _io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([c for c, _ in schema])
    cols = [(table[c], kind) for c, kind in schema]
    for r in range(len(table)):
        writer.writerow([_cell(col[r], kind) for col, kind in cols])
    with atomic_write(path) as tmp:
        Path(tmp).write_text(buffer.getvalue(), encoding="utf-8")


def _parse(path: os.PathLike | str, column: str, kind: str, cells: list[str]) -> np.ndarray:
    try:
        if kind == "float":
            return np.array([float(c) if c != "" else np.nan for c in cells], dtype=np.float64)
        if kind == "int":
            return np.array([int(c) for c in cells], dtype=np.int64)
        if kind == "bool":
            bad = [c for c in cells if c not in ("true", "false")]
            if bad:
                raise ValueError(f"expected true/false, got {bad[0]!r}")
            return np.array([c == "true" for c in cells], dtype=bool)
    except ValueError as exc:
        raise ArspinError(f"{path}: column '{column}': {exc}") from None
    return np.array(cells, dtype=str) if cells else np.array([], dtype=str)


def read_table(path: str | os.PathLike, schemas: Mapping[str, Schema],
               name: str | None = None) -> Table:
    """Read a CSV written by :func:`write_table`; ``name`` (default: the file stem) must be
    one of ``schemas`` (a paper's table declarations).

    Raises:
        ArspinError: missing file, or a header that is not the declared column list.
    """
    p = Path(path)
    name = name or p.stem
    if name not in schemas:
        raise ArspinError(f"{p}: unknown table '{name}'; known: {', '.join(schemas)}")
    if not p.is_file():
        raise ArspinError(f"{p}: no such table (run `arspin aggregate` first)")
    with open(p, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    schema = schemas[name]
    expected = [c for c, _ in schema]
    if not rows or rows[0] != expected:
        raise ArspinError(f"{p}: header {rows[0] if rows else []} is not the '{name}' columns "
                          f"{expected} (written by another arspin version?)")
    body = rows[1:]
    if any(len(r) != len(expected) for r in body):
        raise ArspinError(f"{p}: a row does not have {len(expected)} cells")
    columns = {c: _parse(p, c, kind, [r[k] for r in body])
               for k, (c, kind) in enumerate(schema)}
    return Table(name, columns, schema)


def read_tables(folder: str | os.PathLike, schemas: Mapping[str, Schema],
                names: Sequence[str] | None = None) -> dict[str, Table]:
    """The tables ``names`` (default: those of ``schemas`` present) read from ``folder``."""
    folder = Path(folder)
    if names is None:
        names = [n for n in schemas if (folder / f"{n}.csv").is_file()]
    return {n: read_table(folder / f"{n}.csv", schemas, n) for n in names}
