"""The Snakemake DAG: validation, lint, dry runs at every scale, and a tiny end-to-end run."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, run_cli, run_snakemake

from arspin.summary import VERDICTS, PaperOutputs, failure_hint, report_command, run_summary


def write_config(tmp_path: Path, patch: dict) -> Path:
    path = tmp_path / "override.yaml"
    path.write_text(yaml.safe_dump(patch))
    return path


def test_lint_is_clean(tmp_path):
    proc = run_snakemake(tmp_path, "--lint")
    assert proc.returncode == 0, proc.stderr
    assert "Congratulations, your workflow is in a good condition!" in proc.stdout + proc.stderr


@pytest.mark.parametrize("scale", ["tiny", "quick", "paper"])
def test_dry_run_every_scale(tmp_path, scale):
    # how fast it answers is measured in bench/workflow.py, not asserted here
    proc = run_snakemake(tmp_path, "-n", "--quiet", "rules", "--config", f"scale={scale}")
    assert proc.returncode == 0, proc.stderr
    assert "instance" in proc.stdout + proc.stderr


def test_quick_scale_trains_three_instances_per_job(tmp_path):
    """instances_per_job = 3 at quick scale: one process per (net, protocol, set, size)."""
    proc = run_snakemake(tmp_path, "-n", "-p", "--config", "scale=quick",
                         "--", "figures/figS2.pdf")
    assert proc.returncode == 0, proc.stderr
    text = proc.stdout + proc.stderr
    trio = " ".join(f"results/instances/ea2d-ref/8/{i}.h5" for i in range(3))
    assert f"arspin train --instance {trio} --net twobo" in text
    jobs = [j for j in planned_jobs(proc) if j.startswith("train ")]
    assert sorted(jobs) == ["train twobo on ea2d-ref size=8 index=0-2 (anneal, quick)",
                            "train twobo-frozen on ea2d-ref size=8 index=0-2 (anneal, quick)"]


@pytest.mark.parametrize(
    "patch, key",
    [
        ({"scal": "tiny"}, "scal"),                                   # typo in a key
        ({"exact": {"max_n": "many"}}, "max_n"),                      # wrong type
        ({"papers": {"twobo": {"scales": {"tiny": {"instances": {
            "ea2d": {"sizes": [-4], "count": 1}}}}}}}, "-4"),
        ({"papers": {"twobo": {"scales": {"tiny": {"fig33": {}}}}}}, "fig33"),  # typo, a wing key
        # found by arspin.configcheck at DAG-building time (the schema cannot see them)
        ({"papers": {"twobo": {"scales": {"tiny": {"protocols": {"anneal": {
            "betas": "-1:3:6"}}}}}}}, "protocols.anneal.betas"),
        ({"papers": {"twobo": {"scales": {"tiny": {"runs": {"fig4": {
            "protocols": ["K2", "K999"]}}}}}}}, "runs.fig4.protocols"),
        ({"instance_sets": {"bad": {"family": "nosuch"}}}, "nosuch"),
    ],
)
def test_bad_config_names_the_key(tmp_path, patch, key):
    proc = run_snakemake(tmp_path, "-n", "--configfile", str(write_config(tmp_path, patch)))
    assert proc.returncode != 0
    message = [line for line in (proc.stdout + proc.stderr).splitlines() if line.startswith("config:")]
    assert len(message) == 1 and key in message[0], proc.stdout + proc.stderr
    assert not (tmp_path / "results").exists()


def planned_jobs(proc) -> list[str]:
    """The `message:` lines of the jobs a dry run would execute ("train made on ...")."""
    return re.findall(r"^Job \d+: (.*)$", proc.stdout + proc.stderr, flags=re.MULTILINE)


@pytest.mark.slow
def test_tiny_dag_end_to_end(tiny_dag):
    # conftest.tiny_dag ran the default target in a copy of the workflow, so that a package
    # source can be edited below without touching the repo (and is restored at the end)
    root, tmp_path, run_output = tiny_dag
    tiny_config = str(root / "config/test/tiny.yaml")

    def snakemake(*args):
        return run_snakemake(tmp_path, *args, root=root)

    config = yaml.safe_load((ROOT / "config.yaml").read_text())
    tiny = {paper: block["scales"]["tiny"] for paper, block in config["papers"].items()}
    n_instances = len({(name, size, r.get("first_index", 0) + k)
                       for p in tiny.values() for name, r in p["instances"].items()
                       for size in r["sizes"] for k in range(r["count"])})
    assert len(list((tmp_path / "results/instances").rglob("*.h5"))) == n_instances
    exact = sorted((tmp_path / "results/exact").rglob("*.h5"))
    assert exact, "no exact reference was computed"
    for path in exact:
        shown = json.loads(run_cli("show", path, "--json", check=True).stdout)
        assert shown["kind"] == "exact"
        assert len(shown["free_energy"]) == len(shown["beta"]) == 60
    assert list((tmp_path / "logs").rglob("*.log")) and list((tmp_path / "benchmarks").rglob("*.tsv"))

    # every TwoBo figure, beside the default scale's (figures/tiny/, not figures/), and the
    # aggregated table behind Fig. 2 has one row per run and beta
    figures = tmp_path / "figures" / "tiny"
    for fig in ("fig1", "fig2", "fig3", "fig4", "figS1", "figS2", "figS3"):
        assert (figures / f"{fig}.pdf").stat().st_size > 1000
        assert (figures / f"{fig}.png").stat().st_size > 1000
        assert not (tmp_path / f"figures/{fig}.pdf").exists()
    # a figure's log says what the figure did, without fontTools' subsetting chatter
    for log in (tmp_path / "logs/figures").rglob("*.log"):
        text = log.read_text()
        assert "fontTools" not in text and len(text.splitlines()) < 10, (log, text)
    group = tiny["twobo"]["runs"]["fig2"]
    n_runs = sum(len(sizes) for sizes in group["instances"].values()) * len(group["nets"])
    n_betas = int(tiny["twobo"]["protocols"]["anneal"]["betas"].split(":")[2])
    with open(tmp_path / "results/twobo/tiny/tables/fig2/free_energy.csv") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == n_runs * n_betas
    assert {r["net"] for r in rows} == set(group["nets"])
    claims = json.loads((tmp_path / "results/claims/twobo.json").read_text())
    assert claims["claims"] and all("holds" in c for c in claims["claims"])

    # the run ends with what it was for: the figures, each claim's verdict, the report
    summary = run_output[run_output.index("arspin: finished (scale tiny)"):]
    assert all(f"figures/tiny/{fig}.pdf" in summary for fig in ("fig1", "figS3"))
    for c in claims["claims"]:
        assert re.search(rf"^ +{VERDICTS[c['holds']]} +{re.escape(c['id'])}\b", summary,
                         flags=re.MULTILINE), (c, summary)
    assert "--report report.html" in summary and "--configfile" in summary

    # the HTML report holds every figure with its caption (workflow/report/<fig>.rst)
    report = tmp_path / "report.html"
    proc = snakemake("--configfile", tiny_config, "--report", str(report))
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-3000:]
    html = report.read_text(errors="replace")
    assert "free energy and minimum energy on the three graph families" in html   # fig2.rst
    assert all(f"{fig}.pdf" in html for fig in ("fig1", "fig2", "figS3"))
    assert "twobo.html" in html and "does not hold" in html   # the claims table, its caption
    # the rule graph draws each rule once (arspin.summary.rulegraph_one_node_per_rule)
    nodes = json.loads(re.search(r'\{"name": "node-data", "values": (\[.*?\])\}', html).group(1))
    rules = [n["rule"] for n in nodes]
    assert "aggregate_twobo" in rules and len(rules) == len(set(rules)), rules

    # a second run has nothing to do
    again = snakemake("-n", "--configfile", tiny_config)
    assert again.returncode == 0
    assert "Nothing to be done" in again.stdout + again.stderr

    # changing MADE's learning rate reruns MADE's training and what depends on it, nothing else
    nets = config["papers"]["twobo"]["nets"]
    made = dict(nets["made"], lr=nets["made"]["lr"] * 2)
    override = tmp_path / "made_lr.yaml"
    override.write_text(yaml.safe_dump({"papers": {"twobo": {"nets": {"made": made}}}}))
    jobs = planned_jobs(snakemake("-n", "--configfile", tiny_config, str(override)))
    trained = {re.match(r"train (\S+) on", j).group(1) for j in jobs if j.startswith("train ")}
    assert trained == {"made"}
    assert all(j.split()[0] in ("train", "tables", "best", "figure", "claims", "report")
               for j in jobs), jobs

    # another paper's block, or this paper's baselines, leave the TwoBo runs alone
    for patch, allowed in [
        ({"papers": {"mpvan": {"scales": {"tiny": {"instances": {
            "skvar-d5": {"sizes": [8], "count": 1}}}}}}}, ("instance", "exact", "report")),
        ({"papers": {"twobo": {"baselines": {"heuristic": "sa", "sweeps": 999, "reads": 100}}}},
         ("baseline", "best", "tables", "figure", "claims", "report")),
    ]:
        override.write_text(yaml.safe_dump(patch))
        jobs = planned_jobs(snakemake("-n", "--configfile", tiny_config, str(override)))
        assert jobs and all(j.split()[0] in allowed for j in jobs), (patch, jobs)

    # editing a source below replans what depends on it; the edits are undone afterwards (the
    # other tests of the shared tiny DAG run after this one, and an mtime change alone
    # replans nothing: Snakemake compares checksums of small inputs whose mtime changed)
    edited = [root / "src/arspin/papers/twobo/figures/fig3.py", root / "src/arspin/nets/made.py"]
    originals = {path: path.read_bytes() for path in edited}
    try:
        # editing one figure's module reruns that figure alone (a bare touch does not: Snakemake
        # compares checksums of small inputs whose mtime changed)
        with open(root / "src/arspin/papers/twobo/figures/fig3.py", "a") as handle:
            handle.write("\n# an edit\n")
        jobs = planned_jobs(snakemake("-n", "--configfile", tiny_config))
        # (and the report that shows it: its generated LaTeX and, with TeX, the PDF)
        assert [j for j in jobs if not j.startswith("report ")] == ["figure fig3"], jobs
        assert {j for j in jobs if j.startswith("report ")} <= {
            "report LaTeX of twobo", "report paper/arspin.pdf (latexmk)"}, jobs

        # a comment in one net's module replans that net's training jobs only (and downstream)
        with open(root / "src/arspin/nets/made.py", "a") as handle:
            handle.write("\n# an edit\n")
        jobs = planned_jobs(snakemake("-n", "--configfile", tiny_config))
        trained = {re.match(r"train (\S+) on", j).group(1) for j in jobs if j.startswith("train ")}
        made_labels = {label for block in config["papers"].values()
                       for label, entry in block.get("nets", {}).items() if entry["net"] == "made"}
        assert "made" in trained and trained <= made_labels, (trained, made_labels)
    finally:
        for path, data in originals.items():
            path.write_bytes(data)
    again = snakemake("-n", "--configfile", tiny_config)
    assert "Nothing to be done" in again.stdout + again.stderr, "the edits were not undone"


def test_reference_files_are_imported_where_present(tmp_path):
    """instance_sets.<set>.reference_files: an existing file is imported (and labelled with
    the set's family); a missing one falls back to generation."""
    ref = tmp_path / "ref"
    ref.mkdir()
    donor = tmp_path / "donor.h5"
    run_cli("instance", "generate", "--family", "rrg", "--size", "8", "--index", "5",
            "-o", "degree=3", "--out", donor, check=True)
    run_cli("instance", "export", donor, "--out", ref / "N8_0.npz", check=True)
    patch = {"scale": "tiny", "instance_sets": {"rrg3": {
        "family": "rrg", "seed_rule": "default", "options": {"degree": 3},
        "reference_files": "ref/N{size}_{index}.npz"}}}
    override = str(write_config(tmp_path, patch))
    targets = ["results/instances/rrg3/8/0.h5", "results/instances/rrg3/8/1.h5"]
    proc = run_snakemake(tmp_path, "--cores", "1", "--configfile", override, "--", *targets)
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-3000:]
    imported, generated = (json.loads(run_cli("show", tmp_path / t, "--json", check=True).stdout)
                           for t in targets)
    original = json.loads(run_cli("show", donor, "--json", check=True).stdout)
    assert imported["generator"] == "arspin instance import" and imported["family"] == "rrg"
    assert imported["parameters"]["source"] == "ref/N8_0.npz"
    for key in ("i", "j", "J"):
        assert imported[key] == original[key]
    assert generated["generator"] == "arspin instance generate"
    assert generated["parameters"]["seed_rule"] == "default"


def test_a_failed_run_says_what_to_do(tmp_path):
    """onerror: the failed job's log is shown, then how to go on (and how to clear a lock)."""
    (tmp_path / "ref").mkdir()
    (tmp_path / "ref/N8_0.npz").write_bytes(b"not an npz file")
    patch = {"scale": "tiny", "instance_sets": {"rrg3": {
        "family": "rrg", "seed_rule": "default", "options": {"degree": 3},
        "reference_files": "ref/N{size}_{index}.npz"}}}
    override = str(write_config(tmp_path, patch))
    proc = run_snakemake(tmp_path, "--cores", "1", "--configfile", override, "--",
                         "results/instances/rrg3/8/0.h5")
    text = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert "arspin: the run stopped at a failed job" in text
    assert re.search(r"snakemake .*--configfile \S+override.yaml --unlock", text), text[-2000:]


def test_run_summary_names_figures_claims_and_report(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "figures").mkdir()
    (tmp_path / "figures/fig1.pdf").write_bytes(b"%PDF")
    (tmp_path / "claims.json").write_text(json.dumps({"claims": [
        {"id": "a-claim", "holds": True}, {"id": "b", "holds": False},
        {"id": "c", "holds": None, "reason": "no sweep at this scale"}]}))
    paper = PaperOutputs("twobo", "TwoBo paper", ("figures/fig1.pdf", "figures/fig2.pdf"),
                         "claims.json")
    argv = ["/x/.venv/bin/snakemake", "--cores", "2", "--configfile", "c.yaml", "--", "fig1.pdf"]
    text = run_summary([paper], "quick", argv)
    assert "1 of 2 figures" in text and "figures/fig1.pdf" in text
    assert "not built yet: figures/fig2.pdf" in text
    assert "holds: 1, does not hold: 1, not evaluated: 1" in text
    assert re.search(r"^ +holds +a-claim$", text, flags=re.MULTILINE)
    assert re.search(r"^ +not evaluated +c +\(no sweep at this scale\)$", text, flags=re.MULTILINE)
    assert "/x/.venv/bin/snakemake --configfile c.yaml --report report.html" in text
    (tmp_path / "report.html").write_text("")   # a report newer than the figures: named as is
    assert "report: report.html" in run_summary([paper], "quick", argv)


def test_report_and_unlock_commands_repeat_the_run_options():
    argv = ["snakemake", "-s", "S", "--cores", "2", "--config", "scale=paper", "a=1",
            "--directory=/w", "-n", "figures/fig2.pdf"]
    assert report_command(argv) == ("snakemake -s S --config scale=paper a=1 --directory=/w "
                                    "--report report.html")
    assert "snakemake -s S --config scale=paper a=1 --directory=/w --unlock" in failure_hint(argv)


def test_report_front_page_quotes_every_path():
    """RST turns `results/twobo/*/runs` into italics: every path is a ``literal``."""
    from docutils.core import publish_parts

    source = (ROOT / "workflow/report/workflow.rst").read_text()
    prose = re.sub(r"``.*?``", "", source, flags=re.DOTALL)
    assert not re.findall(r"\S*[/<]\S*", prose.replace("->", "")), prose
    parts = publish_parts(source, writer="html",
                          settings_overrides={"report_level": 2, "halt_level": 2})
    assert parts["body"].count("<em>") == 1   # the paper's title, nothing else


@pytest.mark.parametrize("options", [{"degree": "3; touch PWNED; #"},
                                     {"degree; touch PWNED; #": 3}])
def test_config_values_never_run_as_shell_code(tmp_path, options):
    """Two layers keep a config value out of the shell: arspin.configcheck refuses a value its
    family does not accept before any job, and every option reaches `arspin instance` as one
    quoted word anyway (with the check disabled by hand, the unquoted flags ran `touch`); an
    option key that is not an identifier is refused by the schema."""
    patch = {"scale": "tiny", "instance_sets": {"rrg3": {"family": "rrg", "options": options}}}
    proc = run_snakemake(tmp_path, "--cores", "1", "--configfile",
                         str(write_config(tmp_path, patch)), "--", "results/instances/rrg3/8/0.h5")
    assert proc.returncode != 0
    assert not (tmp_path / "PWNED").exists() and not (ROOT / "PWNED").exists()
    assert not (tmp_path / "results/instances/rrg3/8/0.h5").exists()


def test_the_slurm_profile_parses_with_the_pinned_plugin(tmp_path):
    """As shipped, the Slurm profile used to fail argument parsing (`set-resources: {}`); the
    executor plugin is pinned in requirements.lock. A dry run needs no cluster."""
    proc = run_snakemake(tmp_path, "--profile", str(ROOT / "profiles/slurm"), "-n",
                         "--configfile", str(ROOT / "config/test/tiny.yaml"))
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-3000:]
    assert "train_twobo" in proc.stdout + proc.stderr
