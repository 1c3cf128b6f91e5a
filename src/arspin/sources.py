"""Which package source files a job runs: the static import closure of a module.

The workflow lists these files as each job's inputs, so that editing a module reruns exactly
the jobs that import it (Snakemake does not see edits to imported code). The closure follows
every ``import arspin...`` / ``from arspin... import`` statement, also those inside functions
(lazy imports still run), plus the ``__init__`` of every package on the way. Imports by name
at run time (``importlib.import_module``: the CLI's commands, the net and solver registries,
the paper wings) are not followed, which is what keeps one net's edit away from another
net's jobs: the workflow adds the module that a job selects by name itself.
Standard library only (the Snakefile imports this while it parses).
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent  # the arspin package folder
PACKAGE = "arspin"


def module_file(module: str) -> Path:
    """The source file of a dotted arspin module (a package: its __init__.py)."""
    parts = module.split(".")
    if parts[0] != PACKAGE:
        raise ValueError(f"{module} is not an {PACKAGE} module")
    path = ROOT.joinpath(*parts[1:])
    if (path / "__init__.py").is_file():
        return path / "__init__.py"
    if path.with_suffix(".py").is_file():
        return path.with_suffix(".py")
    raise ValueError(f"no source file for module {module}")


def _exists(module: str) -> bool:
    try:
        module_file(module)
    except ValueError:
        return False
    return True


def _packages(module: str) -> list[str]:
    """arspin.a.b -> [arspin, arspin.a] (their __init__ runs on import)."""
    parts = module.split(".")
    return [".".join(parts[:k]) for k in range(1, len(parts))]


@cache
def _direct(module: str) -> frozenset[str]:
    """arspin modules imported anywhere in ``module``'s source."""
    path = module_file(module)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set(_packages(module))
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative import
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            # `from arspin.x import y` may import the submodule arspin.x.y
            names = [base] + [f"{base}.{a.name}" for a in node.names]
        else:
            continue
        for name in names:
            if name.split(".")[0] == PACKAGE and _exists(name):
                found.add(name)
                found.update(_packages(name))
    found.discard(module)
    return frozenset(found)


@cache
def closure(*modules: str) -> tuple[str, ...]:
    """Sorted source files (relative to the project root's src/) that ``modules`` import."""
    seen: set[str] = set()
    todo = list(modules)
    while todo:
        mod = todo.pop()
        if mod in seen:
            continue
        seen.add(mod)
        todo.extend(_direct(mod) - seen)
    return tuple(sorted(str(module_file(m)) for m in seen))
