"""A paper's own tables (e.g. MPVAN Tables 1-3) as CSV and as a LaTeX tabular.

A paper-table module (``arspin.papers.<paper>.paper_tables.<name>``) defines ``OPTIONS``
(name -> (type, default, help)) and ``build(tables, **options) -> PaperTable``; it reads only
the aggregated tables its paper's manifest lists (``Paper.paper_tables``), like a figure.

    make_paper_table(paper, name, tables_dir, **options) -> PaperTable
    write(table, out_csv)  -> out_csv and the .tex beside it, both atomically

The LaTeX file is a ``table`` float with a ``tabular`` and the caption; it uses no package
beyond LaTeX itself, so a report can ``\\input`` it as is.
"""

from __future__ import annotations

import csv
import importlib
import io as _io
import math
import os
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from arspin.errors import ArspinError
from arspin.io import atomic_write

_LATEX_SPECIAL = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#",
                  "_": r"\_", "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}",
                  "^": r"\textasciicircum{}"}


@dataclass(frozen=True)
class PaperTable:
    """A small table: a header, rows of cells (str, int, float or None = not measured),
    a caption, and how floats are printed in LaTeX (CSV keeps full precision)."""

    header: tuple[str, ...]
    rows: tuple[tuple, ...]
    caption: str
    float_format: str = "{:.4g}"

    def __post_init__(self) -> None:
        for row in self.rows:
            if len(row) != len(self.header):
                raise ValueError(f"row {row!r} has {len(row)} cells, header {len(self.header)}")


def latex_escape(text: str) -> str:
    """``text`` with LaTeX's special characters escaped (plain text, no math)."""
    return "".join(_LATEX_SPECIAL.get(c, c) for c in str(text))


def _cell_csv(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return repr(value) if isinstance(value, float) else str(value)


def _cell_tex(value: object, float_format: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "--"
    if isinstance(value, float):
        return float_format.format(value)
    return latex_escape(str(value))


def to_csv(table: PaperTable) -> str:
    """The table as CSV text (floats at full precision, empty cell = not measured)."""
    buf = _io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(table.header)
    writer.writerows([_cell_csv(v) for v in row] for row in table.rows)
    return buf.getvalue()


def to_latex(table: PaperTable, label: str = "") -> str:
    """The table as a LaTeX ``table`` float (first column left-aligned, the rest right)."""
    spec = "l" + "r" * (len(table.header) - 1)
    lines = [r"\begin{table}[htbp]", r"\centering", rf"\begin{{tabular}}{{{spec}}}",
             r"\hline", " & ".join(latex_escape(h) for h in table.header) + r" \\", r"\hline"]
    lines += [" & ".join(_cell_tex(v, table.float_format) for v in row) + r" \\"
              for row in table.rows]
    lines += [r"\hline", r"\end{tabular}", rf"\caption{{{latex_escape(table.caption)}}}"]
    if label:
        lines.append(rf"\label{{{label}}}")
    lines.append(r"\end{table}")
    return "\n".join(lines) + "\n"


def write(table: PaperTable, out_csv: str | os.PathLike, label: str = "") -> Path:
    """Write ``out_csv`` and the LaTeX beside it (same name, suffix .tex), each atomically.
    Returns the .tex path."""
    out_csv = Path(out_csv)
    if out_csv.suffix.lower() != ".csv":
        raise ArspinError(f"--out {out_csv}: a paper table is written as .csv (and .tex beside)")
    tex = out_csv.with_suffix(".tex")
    for path, text in ((out_csv, to_csv(table)), (tex, to_latex(table, label))):
        with atomic_write(path) as tmp:
            tmp.write_text(text)
    return tex


def paper_table_module(paper: str, name: str) -> ModuleType:
    """The module that builds table ``name`` of ``paper``; ArspinError if there is none."""
    from arspin.papers import PAPERS

    if name not in (PAPERS[paper].paper_tables if paper in PAPERS else {}):
        known = ", ".join(f"{p} {n}" for p, entry in PAPERS.items() for n in entry.paper_tables)
        raise ArspinError(f"unknown table '{paper} {name}'; known: {known or 'none'}")
    return importlib.import_module(PAPERS[paper].paper_table_module(name))


def make_paper_table(paper: str, name: str, tables_dir: str | os.PathLike | None,
                     **options: object) -> PaperTable:
    """Read the aggregated tables that table ``name`` needs from ``tables_dir`` and build it."""
    from arspin.figures import build_from_tables
    from arspin.papers import PAPERS

    return build_from_tables(paper_table_module(paper, name), f"table '{paper} {name}'", paper,
                             PAPERS[paper].paper_tables[name], tables_dir, options)
