# Helpers shared by the rules: which files the configured scale asks for, and which package
# sources each stage depends on. No physics here; the `arspin` CLI does the work.

import json
import os
import re
import shlex
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


def reference_file(w):
    """The user's file for this instance (instance_sets.<set>.reference_files), if it exists."""
    template = instance_spec(w.set).get("reference_files")
    if not template:
        return None
    path = template.format(size=w.size, index=w.index)
    return path if os.path.exists(path) else None


def instance_inputs(w):
    source = reference_file(w)
    return {"source": source} if source else {}


def instance_command(w):
    """`arspin instance` arguments: import the reference file if there is one, else generate."""
    spec = instance_spec(w.set)
    source = reference_file(w)
    if source:
        return (f"import {shlex.quote(source)} --family {spec['family']}"
                f" --expect-n {n_spins(w.set, w.size)}")
    return (f"generate --family {spec['family']} --size {w.size} --index {w.index}"
            f" --seed-rule {spec.get('seed_rule', 'default')} {option_flags(spec.get('options', {}))}")


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


def exact_method(name, size):
    """How the exact reference of an instance set and size is computed, or None if it is not."""
    if n_spins(name, size) <= config["exact"]["max_n"]:
        return "enumeration"
    if int(size) <= config["exact"]["tree_max_size"].get(instance_spec(name)["family"], 0):
        return "tree"
    return None


def exact_method_of(w):
    return exact_method(w.set, w.size)


def exact_targets():
    return [
        f"results/exact/{s}/{n}/{i}.h5"
        for s, n, i in requested_instances()
        if exact_method(s, n)
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


# ---- TwoBo paper: runs, ground states, tables, figures


def net_entry(label):
    entry = config["nets"].get(label)
    if entry is None:
        raise ValueError(f"config.yaml: net label '{label}' is not defined in nets")
    return entry


def net_family(label, set_name):
    """The net family for an instance set: `net`, or `net_off_lattice` off the 2D lattice."""
    entry = net_entry(label)
    if entry["net"] == "rnn2d" and instance_spec(set_name)["family"] != "ea2d":
        return entry.get("net_off_lattice", "rnn1d")
    return entry["net"]


def protocol(w):
    return config["scales"][w.scale]["twobo"]["protocols"][w.protocol]


def train_chunks():
    """Index ranges trained together (scales.<scale>.twobo.instances_per_job consecutive
    indices), covering every TwoBo instance the configured scale asks for."""
    twobo = scale_block()["twobo"]
    per_job = twobo.get("instances_per_job", 1)
    end = max(r.get("first_index", 0) + r["count"] for r in twobo["instances"].values())
    return [list(range(start, start + per_job)) for start in range(0, end, per_job)]


def train_resources(n_runs):
    """Resources of a training job: scales.<scale>.twobo.train_resources (per run; runtime in
    minutes is multiplied by the runs of the job) over the defaults below."""
    per_run = {"mem_mb": 2000, "runtime": 60, "gpu": 0,
               **scale_block()["twobo"].get("train_resources", {})}
    return {**per_run, "runtime": per_run["runtime"] * n_runs}


def run_labels(indices):
    """--labels for the runs of one training job: a JSON list, one object per index."""

    def labels(w):
        return json_arg([{
            "paper": "twobo", "scale": w.scale, "set": w.set,
            "family": instance_spec(w.set)["family"], "size": int(w.size),
            "n": n_spins(w.set, w.size), "index": index, "net": w.net,
            "protocol": w.protocol, "seed": protocol(w)["seed"],
        } for index in indices])

    return labels


def gs_solvers(w):
    """The heuristic always (it can beat a time-limited ILP), the exact ILP where affordable."""
    gs = config["groundstate"]
    methods = [gs["heuristic"]] + (["exact"] if n_spins(w.set, w.size) <= gs["exact_max_n"] else [])
    return [f"results/groundstates/{w.set}/{w.size}/{w.index}/{m}.h5" for m in methods]


def twobo_runs_on(w):
    """Every configured TwoBo run on one instance (all figures' groups and protocols)."""
    runs = []
    for group in config["scales"][w.scale]["twobo"]["runs"].values():
        if int(w.size) in group["instances"].get(w.set, []) and int(w.index) in instance_indices(
            "twobo", w.set, w.size, group.get("count")
        ):
            runs += [
                f"results/twobo/{w.scale}/runs/{w.set}/{w.size}/{w.index}/{net}/{p}.h5"
                for net in group["nets"]
                for p in group["protocols"]
            ]
    return sorted(set(runs))


TWOBO_TABLES = {
    "fig2": ["free_energy", "energy_min"],
    "fig3": ["curves"],
    "fig4": ["free_energy"],
    "figS1": ["parameters"],
    "figS2": ["free_energy"],
    "figS3": ["free_energy"],
    "all": ["free_energy", "curves", "energy_min", "parameters"],
}


def twobo_groups(scale, group):
    """Run groups feeding a table folder: fig3 draws on fig2's runs, `all` on every group."""
    runs = config["scales"][scale]["twobo"]["runs"]
    if group == "all":
        return list(runs.values())
    return [runs[{"fig3": "fig2"}.get(group, group)]] if group != "figS1" else []


def twobo_instances(scale, group):
    """(set, size, index) of the instances a table folder covers."""
    fig3 = config["scales"][scale]["twobo"]["fig3"]
    out = []
    for g in twobo_groups(scale, group):
        for name, sizes in g["instances"].items():
            for size in sizes:
                if group == "fig3" and (name, size) != (fig3["instance_set"], fig3["size"]):
                    continue
                out += [(name, size, i) for i in instance_indices("twobo", name, size, g.get("count"))]
    return sorted(set(out))


def twobo_table_inputs(w):
    runs, exact, best = [], [], []
    fig3 = config["scales"][w.scale]["twobo"]["fig3"]
    for g in twobo_groups(w.scale, w.group):
        for name, sizes in g["instances"].items():
            for size in sizes:
                if w.group == "fig3" and (name, size) != (fig3["instance_set"], fig3["size"]):
                    continue
                for i in instance_indices("twobo", name, size, g.get("count")):
                    runs += [
                        f"results/twobo/{w.scale}/runs/{name}/{size}/{i}/{net}/{p}.h5"
                        for net in g["nets"]
                        for p in g["protocols"]
                    ]
    for name, size, i in twobo_instances(w.scale, w.group):
        if exact_method(name, size):
            exact.append(f"results/exact/{name}/{size}/{i}.h5")
        if "energy_min" in TWOBO_TABLES[w.group]:
            best.append(f"results/twobo/{w.scale}/groundstates/{name}/{size}/{i}.h5")
    instances = [f"results/instances/{s}/{n}/{i}.h5" for s, n, i in twobo_instances(w.scale, w.group)]
    return {"runs": sorted(set(runs)), "exact": exact, "groundstates": best, "instances": instances}


def param_sizes(scale):
    sizes = config["scales"][scale]["twobo"]["figS1"]
    return "'" + ";".join(f"{fam}={','.join(map(str, s))}" for fam, s in sorted(sizes.items())) + "'"


def table_flag(w, input):
    """`--tables DIR` for a figure that reads tables (DIR: the folder of its .done marker)."""
    return f"--tables {os.path.dirname(input.tables)}" if input.tables else ""


TWOBO_FIGURES = ["fig1", "fig2", "fig3", "fig4", "figS1", "figS2", "figS3"]
