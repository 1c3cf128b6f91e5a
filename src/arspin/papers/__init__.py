"""The papers the pipeline reproduces, one wing each (arspin/papers/<name>/).

    PAPERS              -> {name: Paper}, every wing found in this folder (import-light)
    paper(name)         -> Paper, or ArspinError naming the known papers
    wing(name, part)    -> the imported module arspin.papers.<name>.<part>

Adding a paper = a folder here whose ``__init__`` defines ``PAPER`` (arspin.papers.base),
a config block under ``papers:`` and one .smk with its aggregate rule (docs/workflow.md).
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

from arspin.errors import ArspinError
from arspin.papers.base import Paper

__all__ = ["PAPERS", "Paper", "paper", "wing"]


def _discover() -> dict[str, Paper]:
    found = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        if info.ispkg:
            found[info.name] = importlib.import_module(f"{__name__}.{info.name}").PAPER
    return found


PAPERS: dict[str, Paper] = _discover()


def paper(name: str) -> Paper:
    """The registered paper ``name``."""
    if name not in PAPERS:
        raise ArspinError(f"unknown paper '{name}'; known: {', '.join(PAPERS)}")
    return PAPERS[name]


def wing(name: str, part: str) -> ModuleType:
    """Import one module of a paper's wing, e.g. wing("twobo", "claims")."""
    return importlib.import_module(paper(name).module(part))
