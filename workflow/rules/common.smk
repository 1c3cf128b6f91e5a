# Helpers shared by the rules: which files the configured scale asks for, and which package
# sources each stage depends on. No physics here; the `arspin` CLI does the work.

import json
import os
import re
import sys
from pathlib import Path

# Rules call `arspin`. The bin folder of the Python running Snakemake (the project's .venv) is
# appended to PATH so the venv's entry point is found without activating it; a conda env
# (--software-deployment-method conda) comes first on PATH and brings its own.
shell.prefix(f'export PATH="$PATH:{Path(sys.executable).parent}"; ')
SRC = Path(workflow.basedir) / "src" / "arspin"
ENV = "../../envs/arspin.yaml"  # relative to workflow/rules/

# Spins per size: lattices are L^d, every other family is N itself.
LATTICE_DIM = {"ea2d": 2, "ea3d": 3}


wildcard_constraints:
    set=r"[A-Za-z0-9][A-Za-z0-9.\-]*",
    size=r"\d+",
    index=r"\d+",


def scale_block():
    return config["scales"][config["scale"]]


def code(*parts):
    """Package sources a stage imports; listed as inputs so that code edits rerun its jobs."""
    files = []
    for part in ("__init__.py", "cli.py", "errors.py", "io") + parts:
        path = SRC / part
        files += sorted(str(p) for p in path.rglob("*.py")) if path.is_dir() else [str(path)]
    return files


def instance_spec(name):
    """The config slice of one instance set (family, seed rule, options)."""
    spec = config["instance_sets"].get(name)
    if spec is None:
        raise ValueError(f"config.yaml: instance set '{name}' is not defined in instance_sets")
    return spec


def option_flags(options):
    """Family options as sorted `-o KEY=VALUE` flags (sorted: stable params, no spurious reruns)."""
    return " ".join(f"-o {k}={str(v).lower() if isinstance(v, bool) else v}"
                    for k, v in sorted(options.items()))


def requested_instances(papers=("twobo", "h2arnn", "mpvan")):
    """(set, size, index) of every instance the configured scale uses, without duplicates."""
    seen = []
    for paper in papers:
        for name, request in scale_block().get(paper, {}).get("instances", {}).items():
            instance_spec(name)
            first = request.get("first_index", 0)
            for size in request["sizes"]:
                for index in range(first, first + request["count"]):
                    if (name, size, index) not in seen:
                        seen.append((name, size, index))
    return seen


def instance_indices(paper, name, size, count=None):
    """Indices of the requested instances of one set and size for a paper."""
    request = scale_block()[paper]["instances"].get(name)
    if request is None or int(size) not in request["sizes"]:
        raise ValueError(f"config.yaml: {paper} does not request instances {name} size {size}")
    first = request.get("first_index", 0)
    return list(range(first, first + min(request["count"], count or request["count"])))


def n_spins(name, size):
    return int(size) ** LATTICE_DIM.get(instance_spec(name)["family"], 1)


def instance_targets():
    return [f"results/instances/{s}/{n}/{i}.h5" for s, n, i in requested_instances()]


def exact_targets():
    return [
        f"results/exact/{s}/{n}/{i}.h5"
        for s, n, i in requested_instances()
        if n_spins(s, n) <= config["exact"]["max_n"]
    ]


def config_error_summary(exc):
    text = str(exc)
    problem = re.search(r"ValidationError: (.*)", text)
    where = re.search(r"On instance(\[.*?\])?:", text)
    key = ".".join(re.findall(r"\['([^']*)'\]", where.group(1) or "")) if where else ""
    return (f"config: {key or '(top level)'}: {problem.group(1) if problem else text.splitlines()[0]}"
            " (see docs/config.md)")


def json_arg(obj):
    """A JSON object as one shell word (canonical: sorted keys, so params stay stable)."""
    text = json.dumps(obj, sort_keys=True, separators=(",", ":"))
    if "'" in text:
        raise ValueError(f"config value contains a single quote: {text}")
    return f"'{text}'"
