# Helpers shared by the rules: which files the configured scale asks for, and which package
# sources each job runs. No physics here; the `arspin` CLI does the work.

import json
import os
import re
import shlex
import sys
from pathlib import Path

import yaml

from snakemake_interface_executor_plugins.settings import DeploymentMethod

# The workflow reads the papers' manifests and the import closure from its own source tree
# (standard library only), whichever Python runs Snakemake.
sys.path.insert(0, str(Path(workflow.basedir) / "src"))
from arspin.papers import PAPERS  # noqa: E402
from arspin.runenv import shell_prefix  # noqa: E402
from arspin.sources import closure  # noqa: E402
from arspin.summary import (  # noqa: E402
    PaperOutputs,
    failure_hint,
    rulegraph_one_node_per_rule,
    run_summary,
    write_claims_table,
)

# Rules call `arspin`: the entry point of the Python running Snakemake (the project's .venv,
# its bin folder appended to PATH), or, in the conda env of envs/arspin.yaml
# (--software-deployment-method conda), `python -m arspin` on this source tree (arspin.runenv).
USE_CONDA = DeploymentMethod.CONDA in workflow.deployment_settings.deployment_method
shell.prefix(
    shell_prefix(str(Path(workflow.basedir) / "src"), str(Path(sys.executable).parent), USE_CONDA)
)
ENV = os.path.join(workflow.basedir, "envs", "arspin.yaml")  # any .smk, any folder

# `snakemake --report` draws its rule graph with one node per rule (Snakemake 9 draws a rule once
# per depth of its jobs: arspin.summary.rulegraph_one_node_per_rule); tested in test_workflow.py
try:
    import snakemake.report.html_reporter as _html_reporter
except ImportError:  # another report layout: Snakemake's own graph (the report test says so)
    _html_reporter = None
if _html_reporter is not None and hasattr(_html_reporter, "rulegraph_spec"):
    _html_reporter.rulegraph_spec = rulegraph_one_node_per_rule

# Spins per size: lattices are L^d, every other family is N itself.
LATTICE_DIM = {"ea2d": 2, "ea3d": 3}


# Every wildcard reaches a `shell:` command unquoted (in {input}, {output}, {log}): each is
# restricted to characters a shell reads as plain text, as the schema restricts the config
# names they come from (set, net and protocol names), so a path never carries shell code.
wildcard_constraints:
    set=r"[A-Za-z0-9][A-Za-z0-9.\-]*",
    size=r"\d+",
    index=r"\d+",
    paper=r"[a-z][a-z0-9_]*",
    scale=r"tiny|quick|paper",
    net=r"[A-Za-z0-9][A-Za-z0-9.\-]*",
    protocol=r"[A-Za-z0-9][A-Za-z0-9.\-]*",


def code(*modules):
    """Package sources a job runs (the import closure of the CLI, its command and the modules
    the job selects by name), listed as inputs so that editing one reruns exactly its jobs."""
    flat = [m for item in modules for m in ([item] if isinstance(item, str) else item)]
    return list(closure("arspin.cli", *flat))


def paper_block(paper):
    block = config["papers"].get(paper)
    if block is None:
        raise ValueError(f"config.yaml: papers.{paper} is not defined")
    return block


def paper_scale(paper, scale=None):
    """papers.<paper>.scales.<scale> (default: the configured scale)."""
    return paper_block(paper)["scales"][scale or config["scale"]]


def built_papers():
    """Papers with a config block and a wing (its figures and claims are built)."""
    return [p for p in config["papers"] if p in PAPERS]


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
        return (
            f"import {shlex.quote(source)} --family {spec['family']}"
            f" --expect-n {n_spins(w.set, w.size)}"
        )
    order = f" --order {int(spec['order'])}" if spec.get("order") else ""
    return (
        f"generate --family {spec['family']} --size {w.size} --index {w.index}"
        f" --seed-rule {spec.get('seed_rule', 'default')} {option_flags(spec.get('options', {}))}"
        f"{order}"
    )


def option_flags(options):
    """Family options as sorted `-o KEY=VALUE` flags (sorted: stable params, no spurious reruns),
    each one shell word: a value never reaches the shell as code."""
    return " ".join(
        f"-o {shlex.quote(f'{k}={str(v).lower() if isinstance(v, bool) else v}')}"
        for k, v in sorted(options.items())
    )


def requested_instances():
    """(set, size, index) of every instance a paper uses at the configured scale, once each."""
    seen = []
    for paper in config["papers"]:
        for name, request in paper_scale(paper).get("instances", {}).items():
            instance_spec(name)
            first = request.get("first_index", 0)
            for size in request["sizes"]:
                for index in range(first, first + request["count"]):
                    if (name, size, index) not in seen:
                        seen.append((name, size, index))
    return seen


def instance_indices(paper, scale, name, size, count=None):
    """Indices of the requested instances of one set and size for a paper at a scale."""
    request = paper_scale(paper, scale)["instances"].get(name)
    if request is None or int(size) not in request["sizes"]:
        raise ValueError(
            f"config.yaml: papers.{paper} does not request instances {name} "
            f"size {size} at scale {scale}"
        )
    first = request.get("first_index", 0)
    return list(range(first, first + min(request["count"], count or request["count"])))


def n_spins(name, size):
    return int(size) ** LATTICE_DIM.get(instance_spec(name)["family"], 1)


def instance_targets():
    return [f"results/instances/{s}/{n}/{i}.h5" for s, n, i in requested_instances()]


def exact_method(name, size):
    """How the exact reference of an instance set and size is computed, or None if it is not."""
    if instance_spec(name)["family"] == "cw":
        return "curie-weiss"  # the O(N) sum over magnetisations, any N
    if n_spins(name, size) <= config["exact"]["max_n"]:
        return "enumeration"
    if int(size) <= config["exact"]["tree_max_size"].get(instance_spec(name)["family"], 0):
        return "tree"
    return None


def exact_method_of(w):
    return exact_method(w.set, w.size)


def exact_targets():
    return [
        f"results/exact/{s}/{n}/{i}.h5" for s, n, i in requested_instances() if exact_method(s, n)
    ]


def check_config(cfg):
    """arspin.configcheck on the validated config: one line naming the key, no traceback."""
    from arspin.configcheck import check
    from arspin.errors import ArspinError

    try:
        check(cfg)
    except ArspinError as exc:
        raise WorkflowError(str(exc)) from None


def config_error_summary(exc):
    text = str(exc)
    problem = re.search(r"ValidationError: (.*)", text)
    where = re.search(r"On instance(\[.*?\])?:", text)
    key = ".".join(re.findall(r"\['([^']*)'\]", where.group(1) or "")) if where else ""
    return (
        f"config: {key or '(top level)'}: {problem.group(1) if problem else text.splitlines()[0]}"
        " (see docs/config.md)"
    )


def json_arg(obj):
    """A JSON object as one shell word (canonical: sorted keys, so params stay stable); any
    character of a config string, a quote or `;` included, reaches the CLI as data."""
    return shlex.quote(json.dumps(obj, sort_keys=True, separators=(",", ":")))


# ---- training runs of any paper (papers.<paper>.nets and .scales.<scale>.runs)


def net_entry(paper, label):
    entry = paper_block(paper).get("nets", {}).get(label)
    if entry is None:
        raise ValueError(f"config.yaml: net label '{label}' is not defined in papers.{paper}.nets")
    return entry


def net_family(paper, label, set_name):
    """The net family for an instance set: `net`, or `net_off_lattice` off the 2D lattice."""
    entry = net_entry(paper, label)
    if entry["net"] == "rnn2d" and instance_spec(set_name)["family"] != "ea2d":
        return entry.get("net_off_lattice", "rnn1d")
    return entry["net"]


def net_code(w):
    """A training job's sources: the CLI's train command and its own net's module."""
    from arspin.nets.registry import net_module

    return code("arspin.commands.train", net_module(net_family(w.paper, w.net, w.set)))


def protocol(w):
    return paper_scale(w.paper, w.scale)["protocols"][w.protocol]


def early_stop_flag(w):
    """`--early-stop JSON` for a protocol with the H2ARNN stopping rule, else nothing."""
    stop = protocol(w).get("early_stop")
    return f"--early-stop {json_arg(stop)}" if stop else ""


def training_papers():
    return [p for p in config["papers"] if paper_block(p).get("nets")]


def train_chunks(paper):
    """Index ranges trained together (papers.<paper>.scales.<scale>.instances_per_job
    consecutive indices), covering every instance the paper asks for at the configured scale."""
    block = paper_scale(paper)
    per_job = block.get("instances_per_job", 1)
    requests = block.get("instances", {}).values()
    end = max((r.get("first_index", 0) + r["count"] for r in requests), default=0)
    return [list(range(start, start + per_job)) for start in range(0, end, per_job)]


def train_resources(paper, n_runs):
    """Resources of a training job: papers.<paper>.scales.<scale>.train_resources (per run;
    runtime in minutes is multiplied by the runs of the job) over the defaults below."""
    per_run = {
        "mem_mb": 2000,
        "runtime": 60,
        "gpu": 0,
        **paper_scale(paper).get("train_resources", {}),
    }
    return {**per_run, "runtime": per_run["runtime"] * n_runs}


def run_labels(indices):
    """--labels for the runs of one training job: a JSON list, one object per index."""

    def labels(w):
        return json_arg(
            [
                {
                    "paper": w.paper,
                    "scale": w.scale,
                    "set": w.set,
                    "family": instance_spec(w.set)["family"],
                    "size": int(w.size),
                    "n": n_spins(w.set, w.size),
                    "index": index,
                    "net": w.net,
                    "protocol": w.protocol,
                    "seed": protocol(w)["seed"],
                }
                for index in indices
            ]
        )

    return labels


def run_path(paper, scale, name, size, index, net, protocol_name):
    return f"results/{paper}/{scale}/runs/{name}/{size}/{index}/{net}/{protocol_name}.h5"


def runs_on(w):
    """Every configured run of a paper on one instance (all its groups and protocols)."""
    runs = []
    for group in paper_scale(w.paper, w.scale).get("runs", {}).values():
        if int(w.size) in group["instances"].get(w.set, []) and int(w.index) in instance_indices(
            w.paper, w.scale, w.set, w.size, group.get("count")
        ):
            runs += [
                run_path(w.paper, w.scale, w.set, w.size, w.index, net, p)
                for net in group["nets"]
                for p in group["protocols"]
            ]
    return sorted(set(runs))


# ---- ground states: the shared exact ILP and each paper's heuristic baseline


def gs_sources(w):
    """The paper's heuristic always (it can beat a time-limited ILP), the shared exact ILP
    where affordable."""
    heuristic = paper_block(w.paper)["baselines"]["heuristic"]
    sources = [f"results/{w.paper}/{w.scale}/baselines/{w.set}/{w.size}/{w.index}/{heuristic}.h5"]
    if n_spins(w.set, w.size) <= config["groundstate"]["exact_max_n"]:
        sources.append(f"results/groundstates/{w.set}/{w.size}/{w.index}/exact.h5")
    return sources


# ---- figures


def caption(paper, fig):
    """workflow/report/<paper>/<fig>.rst, where the paper has written one."""
    path = f"workflow/report/{paper}/{fig}.rst"
    return (
        f"../report/{paper}/{fig}.rst"
        if os.path.exists(os.path.join(workflow.basedir, path))
        else None
    )


# The default scale's figures are where each paper's manifest says (figures/fig2.pdf for TwoBo,
# figures/<paper>/ for the others); another scale's go beside them, in a folder named after the
# scale (figures/paper/fig2.pdf, figures/tiny/fig2.pdf), so that a paper-scale run never
# replaces the quick figures a user is looking at.
SCHEMA = Path(workflow.basedir) / "workflow" / "schemas" / "config.schema.yaml"
DEFAULT_SCALE = yaml.safe_load(SCHEMA.read_text())["properties"]["scale"]["default"]


def figure_dir(paper, scale=None):
    scale = scale or config["scale"]
    base = PAPERS[paper].figure_dir
    return base if scale == DEFAULT_SCALE else f"{base}/{scale}"


def figure_targets(paper):
    return [f"{figure_dir(paper)}/{fig}.pdf" for fig in PAPERS[paper].figures]


def paper_table_targets(paper):
    """The paper's own tables (CSV; the LaTeX is written beside) at the configured scale."""
    return [
        f"results/{paper}/{config['scale']}/paper_tables/{t}.csv"
        for t in PAPERS[paper].paper_tables
    ]


def paper_table_options(paper, table):
    """`-o KEY=VALUE` flags of one paper table from papers.<paper>.scales.<scale>.table_options
    (lists become comma lists), each one quoted shell word."""
    options = paper_scale(paper).get("table_options", {}).get(table, {})
    return " ".join(
        f"-o {shlex.quote(f'{k}={table_option_text(v)}')}" for k, v in sorted(options.items())
    )


def table_option_text(value):
    """A config value as option text: lists become comma lists."""
    return ",".join(map(str, value)) if isinstance(value, list) else str(value)


def claims_table(paper):
    """The claims of a paper at the configured scale as an HTML table (in the report)."""
    return f"results/claims/{paper}.html"


def paper_outputs():
    """Every built paper's figures and claims at the configured scale (for the summary)."""
    return [
        PaperOutputs(
            p,
            PAPERS[p].report_category or PAPERS[p].title,
            tuple(figure_targets(p)),
            f"results/claims/{p}.json",
        )
        for p in built_papers()
    ]


def table_flag(w, input):
    """`--tables DIR` for a figure that reads tables (DIR: the folder of its .done marker)."""
    return f"--tables {os.path.dirname(input.tables)}" if input.tables else ""


def solver_module(method):
    """The modules of a ground-state solver (exact, sa, pt), chosen by name at run time."""
    from arspin.baselines.dispatch import SOLVER_MODULES

    return SOLVER_MODULES[method]
