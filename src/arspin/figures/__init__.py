"""Drawing a paper's figures: each figure is a module of its paper's wing
(``arspin.papers.<paper>.figures.<name>``) that reads only aggregated tables.

    figure_module(paper, name)          -> the figure's module
    make_figure(paper, name, tables_dir, **options) -> matplotlib Figure
    save(fig, out_pdf, png=None)        -> byte-reproducible PDF + PNG (style.save)

A figure module defines ``OPTIONS`` (name -> (type, default, help)) and ``build(tables,
**options) -> Figure``; the tables it reads are declared once, in the paper's manifest
(``Paper.figures``). Nothing else is read: no result files, no instance files.
"""

from __future__ import annotations

import importlib
import os
from types import ModuleType

from matplotlib.figure import Figure

from arspin.errors import ArspinError
from arspin.figures.style import save

__all__ = ["build_from_tables", "figure_module", "make_figure", "save"]


def figure_module(paper: str, name: str) -> ModuleType:
    """The module that draws figure ``name`` of ``paper``; ArspinError if there is none."""
    from arspin.papers import PAPERS

    if name not in (PAPERS[paper].figures if paper in PAPERS else {}):
        known = ", ".join(f"{p} {n}" for p, entry in PAPERS.items() for n in entry.figures)
        raise ArspinError(f"unknown figure '{paper} {name}'; known: {known}")
    return importlib.import_module(PAPERS[paper].figure_module(name))


def make_figure(paper: str, name: str, tables_dir: str | os.PathLike | None,
                **options: object) -> Figure:
    """Read the tables figure ``name`` needs from ``tables_dir`` and draw it.

    Args:
        paper: a registered paper, e.g. "twobo".
        name: e.g. "fig2".
        tables_dir: folder of the aggregated CSV tables (unused by figures that read none).
        options: figure options (see the module's OPTIONS); defaults fill the rest.
    """
    import matplotlib

    from arspin.figures.style import RC
    from arspin.papers import PAPERS

    module = figure_module(paper, name)
    with matplotlib.rc_context(RC):
        return build_from_tables(module, f"figure '{paper} {name}'", paper,
                                 PAPERS[paper].figures[name], tables_dir, options)


def build_from_tables(module: ModuleType, what: str, paper: str, needs: tuple[str, ...],
                      tables_dir: str | os.PathLike | None, options: dict) -> object:
    """``module.build(tables, **options)`` with the aggregated tables ``needs`` of ``paper``
    read from ``tables_dir`` and the options checked against ``module.OPTIONS`` (figures and
    paper tables alike; ``what`` names the product in error messages)."""
    from arspin.aggregate.table import read_tables
    from arspin.options import resolve
    from arspin.papers import wing

    if needs and tables_dir is None:
        raise ArspinError(f"{what} needs --tables (reads "
                          f"{', '.join(t + '.csv' for t in needs)})")
    tables = read_tables(tables_dir, wing(paper, "tables").SCHEMAS, needs) if needs else {}
    return module.build(tables, **resolve(module.OPTIONS, options, f"{what}: option"))
