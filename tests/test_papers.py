"""The papers' registry and the workflow's code inputs: import-light manifests, code lists
that follow the imports, and a second paper added by its wing, config block and .smk only."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, copy_workflow, run_snakemake

from arspin.papers import PAPERS
from arspin.sources import closure

SRC = ROOT / "src" / "arspin"


def _rel(files):
    return {str(Path(f).relative_to(SRC)) for f in files}


def test_registry_is_import_light():
    """The Snakefile reads every manifest while it parses: no numpy, matplotlib or JAX."""
    code = ("import sys, arspin.papers, arspin.sources, arspin.nets.registry;"
            "heavy = [m for m in ('numpy', 'matplotlib', 'jax', 'h5py') if m in sys.modules];"
            "print(' '.join(sorted(arspin.papers.PAPERS)), heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    wings = sorted(p.parent.name for p in (SRC / "papers").glob("*/__init__.py"))
    assert out == f"{' '.join(wings)} []", out
    assert "twobo" in wings


def test_manifest_tables_are_declared():
    from arspin.papers import wing

    for name, paper in PAPERS.items():
        schemas = wing(name, "tables").SCHEMAS
        for group in paper.table_groups:
            assert set(paper.tables_of(group)) <= set(schemas), (name, group)


def test_code_inputs_follow_imports_and_stay_within_the_job():
    from arspin.baselines.dispatch import SOLVER_MODULES
    from arspin.nets.registry import NETS, net_module

    train = _rel(closure("arspin.cli", "arspin.commands.train"))
    assert {"train.py", "commands/train.py", "nets/registry.py"} <= train
    # the shared training code imports no specific net: each job adds its own net's module
    own = {name: str(Path(*net_module(name).split(".")[1:])) + ".py" for name in NETS}
    assert not set(own.values()) & train, set(own.values()) & train
    for name in NETS:
        job = _rel(closure("arspin.cli", "arspin.commands.train", net_module(name)))
        others = {f for n, f in own.items() if n != name and f not in
                  _rel(closure(net_module(name)))}
        assert own[name] in job and not job & others, (name, job & others)
    assert "nets/twobo.py" not in _rel(closure(net_module("made")))
    # ground states: the exact ILP never runs the exact-enumeration package; SA not the ILP
    exact_gs = _rel(closure("arspin.commands.groundstate", *SOLVER_MODULES["exact"]))
    assert "baselines/maxcut_ilp.py" in exact_gs
    assert not any(f.startswith("exact/") for f in exact_gs)
    sa = _rel(closure("arspin.commands.groundstate", *SOLVER_MODULES["sa"]))
    assert "baselines/maxcut_ilp.py" not in sa
    # a figure job: its own module, not its sibling figures
    fig2 = _rel(closure("arspin.commands.figure", PAPERS["twobo"].figure_module("fig2")))
    assert "papers/twobo/figures/fig2.py" in fig2 and "papers/twobo/figures/fig3.py" not in fig2


TOY_WING = {
    "__init__.py": '''
        """A toy paper: one table, one figure, one claim."""
        from arspin.papers.base import Paper

        PAPER = Paper(name="toy", title="Toy", figures={"fig1": ("sizes",)},
                      figure_dir="figures/toy", claim_tables=("sizes",))
        ''',
    "tables.py": '''
        SCHEMAS = {"sizes": (("set", "str"), ("index", "int"), ("n", "int"),
                             ("couplings", "int"))}
        ''',
    "aggregate.py": '''
        from arspin import io
        from arspin.aggregate.table import new_table
        from arspin.papers.toy.tables import SCHEMAS

        OPTIONS = {}


        def build(inputs, wanted):
            rows = []
            for path in inputs.instances:
                model = io.read_instance(path)
                rows.append({"set": str(path), "index": len(rows), "n": model.n,
                             "couplings": int(len(model.J))})
            return {"sizes": new_table("sizes", rows, SCHEMAS["sizes"])}
        ''',
    "claims.py": '''
        from arspin.claims import Claim


        def evaluate(tables):
            t = tables["sizes"]
            holds = bool((t["couplings"] >= t["n"] - 1).all())
            return [Claim("toy-connected", "every instance has >= N - 1 couplings", "Fig. 1",
                          {"rows": len(t)}, holds)]
        ''',
    "figures/__init__.py": "",
    "figures/fig1.py": '''
        from matplotlib.figure import Figure

        OPTIONS = {}


        def build(tables):
            fig = Figure(figsize=(3, 2))
            ax = fig.add_subplot()
            ax.plot(tables["sizes"]["n"], tables["sizes"]["couplings"], "o")
            return fig
        ''',
}

TOY_SMK = '''
rule aggregate_toy:
    input:
        instances=lambda w: [f"results/instances/rrg3/8/{i}.h5" for i in (0, 1)],
        code=code("arspin.commands.aggregate", PAPERS["toy"].module("aggregate")),
    output:
        "results/toy/{scale}/tables/{group}/.done",
    log:
        "logs/toy/{scale}/tables/{group}.log",
    shell:
        "arspin aggregate toy --instances {input.instances}"
        " --out-dir $(dirname {output}) > {log} 2>&1 && touch {output}"
'''


@pytest.mark.slow
def test_a_toy_paper_is_added_by_its_wing_config_block_and_smk(tmp_path):
    root = copy_workflow(tmp_path / "project")
    wing = root / "src/arspin/papers/toy"
    for name, text in TOY_WING.items():
        (wing / name).parent.mkdir(parents=True, exist_ok=True)
        (wing / name).write_text(textwrap.dedent(text))
    (root / "workflow/rules/papers/toy.smk").write_text(TOY_SMK)
    with open(root / "config.yaml", "a") as handle:   # the config block, and nothing else
        handle.write(textwrap.indent(yaml.safe_dump({"toy": {"scales": {
            "tiny": {"instances": {"rrg3": {"sizes": [8], "count": 2}}},
            "quick": {"instances": {}}, "paper": {"instances": {}}}}}), "  "))
    work = tmp_path / "work"
    env = {**os.environ, "PYTHONPATH": str(root / "src")}  # the jobs run the copy's package
    snakemake = [str(Path(sys.executable).parent / "snakemake"), "-s", str(root / "Snakefile"),
                 "--directory", str(work), "--cores", "2",
                 "--configfile", str(root / "config/test/tiny.yaml"), "--"]
    # the tiny scale's figures go beside the default scale's: figures/toy/tiny/ (README, Scales)
    proc = subprocess.run([*snakemake, "figures/toy/tiny/fig1.pdf", "results/claims/toy.json"],
                          cwd=root, env=env, capture_output=True, text=True, timeout=600,
                          check=False)
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-4000:]
    assert (work / "figures/toy/tiny/fig1.pdf").stat().st_size > 1000
    claims = json.loads((work / "results/claims/toy.json").read_text())
    assert [(c["id"], c["holds"]) for c in claims["claims"]] == [("toy-connected", True)]
    table = (work / "results/toy/tiny/tables/fig1/sizes.csv").read_text().splitlines()
    assert len(table) == 3 and table[0] == "set,index,n,couplings"
    # the toy paper is part of the default target too, and TwoBo's DAG is unchanged by it
    dry = subprocess.run([*snakemake[:-1], "-n"], cwd=root, env=env, capture_output=True, text=True,
                         check=False)
    assert dry.returncode == 0 and "train" in dry.stdout + dry.stderr


def test_dry_run_lists_the_figures_and_claims_of_every_wing(tmp_path):
    """Every paper with a wing and a config block gets its figure and claims jobs."""
    proc = run_snakemake(tmp_path, "-n", "--configfile", str(ROOT / "config/test/tiny.yaml"))
    assert proc.returncode == 0, proc.stderr
    jobs = re.findall(r"^Job \d+: (.*)$", proc.stdout + proc.stderr, flags=re.MULTILINE)
    for paper in PAPERS:
        figures = [j for j in jobs if j.startswith("figure ")]
        if paper == "twobo":      # the primary paper's figures are named without the paper
            assert "figure fig2" in figures
        else:
            assert f"figure {paper} fig4" in figures, (paper, figures)
        assert any(j.startswith("claims of " + paper) for j in jobs), (paper, jobs)