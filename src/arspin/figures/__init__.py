"""The figures of the papers, one module per figure, each reading only aggregated tables.

    FIGURES["twobo"]                   -> names fig1, fig2, fig3, fig4, figS1, figS2, figS3
    make_figure(paper, name, tables_dir, **options) -> matplotlib Figure
    save(fig, out_pdf, png=None)       -> byte-reproducible PDF + PNG (style.save)

Every figure module defines ``TABLES`` (the table names it reads, for workflow inputs),
``OPTIONS`` (name -> (type, default, help)) and ``build(tables, **options) -> Figure``.
Nothing else is read: no result files, no instance files (Fig. 1 draws a generated lattice).
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path
from types import ModuleType

from matplotlib.figure import Figure

from arspin.errors import ArspinError
from arspin.figures.style import save

FIGURES: dict[str, tuple[str, ...]] = {
    "twobo": ("fig1", "fig2", "fig3", "fig4", "figS1", "figS2", "figS3"),
}

__all__ = ["FIGURES", "figure_module", "make_figure", "parse_options", "save"]


def figure_module(paper: str, name: str) -> ModuleType:
    """The module that draws figure ``name`` of ``paper``; ArspinError if there is none."""
    if name not in FIGURES.get(paper, ()):
        known = ", ".join(f"{p} {n}" for p, names in FIGURES.items() for n in names)
        raise ArspinError(f"unknown figure '{paper} {name}'; known: {known}")
    return importlib.import_module(f"arspin.figures.{name}")


def parse_options(module: ModuleType, pairs: list[str]) -> dict:
    """KEY=VALUE strings -> typed options of a figure (lists as comma-separated values)."""
    options = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or key not in module.OPTIONS:
            known = ", ".join(f"{k} ({h})" for k, (_, _, h) in module.OPTIONS.items()) or "none"
            raise ArspinError(f"--option '{pair}': expected KEY=VALUE with KEY one of: {known}")
        kind = module.OPTIONS[key][0]
        try:
            options[key] = (tuple(float(v) for v in value.split(",") if v.strip())
                            if kind is tuple else kind(value))
        except ValueError:
            raise ArspinError(f"--option '{pair}': not a valid {kind.__name__}") from None
    return options


def make_figure(paper: str, name: str, tables_dir: str | os.PathLike | None,
                **options: object) -> Figure:
    """Read the tables figure ``name`` needs from ``tables_dir`` and draw it.

    Args:
        paper: "twobo".
        name: e.g. "fig2".
        tables_dir: folder of the aggregated CSV tables (unused by figures with TABLES = ()).
        options: figure options (see the module's OPTIONS); defaults fill the rest.
    """
    import matplotlib

    from arspin.aggregate.table import read_table
    from arspin.figures.style import RC

    module = figure_module(paper, name)
    if module.TABLES and tables_dir is None:
        raise ArspinError(f"figure '{paper} {name}' needs --tables (reads "
                          f"{', '.join(t + '.csv' for t in module.TABLES)})")
    tables = {t: read_table(Path(tables_dir) / f"{t}.csv", t) for t in module.TABLES} \
        if module.TABLES else {}
    unknown = set(options) - set(module.OPTIONS)
    if unknown:
        raise ArspinError(f"figure '{paper} {name}': unknown options {sorted(unknown)}")
    merged = {k: default for k, (_, default, _) in module.OPTIONS.items()}
    merged.update(options)
    with matplotlib.rc_context(RC):
        return module.build(tables, **merged)
