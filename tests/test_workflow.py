"""The Snakemake DAG: validation, lint, dry runs at every scale, and a tiny end-to-end run."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, run_cli, run_snakemake


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
    start = time.perf_counter()
    proc = run_snakemake(tmp_path, "-n", "--quiet", "rules", "--config", f"scale={scale}")
    seconds = time.perf_counter() - start
    assert proc.returncode == 0, proc.stderr
    assert "instance" in proc.stdout + proc.stderr
    assert seconds < 20, f"dry run at {scale} scale took {seconds:.1f} s"


@pytest.mark.parametrize(
    "patch, key",
    [
        ({"scal": "tiny"}, "scal"),                                   # typo in a key
        ({"exact": {"max_n": "many"}}, "max_n"),                      # wrong type
        ({"scales": {"tiny": {"twobo": {"ea2d": {"sizes": [-4], "count": 1}}}}}, "-4"),
        ({"instance_sets": {"bad": {"family": "nosuch"}}}, "nosuch"),
    ],
)
def test_bad_config_names_the_key(tmp_path, patch, key):
    proc = run_snakemake(tmp_path, "-n", "--configfile", str(write_config(tmp_path, patch)))
    assert proc.returncode != 0
    message = [line for line in (proc.stdout + proc.stderr).splitlines() if line.startswith("config:")]
    assert len(message) == 1 and key in message[0], proc.stdout + proc.stderr
    assert not (tmp_path / "results").exists()


@pytest.mark.slow
def test_tiny_dag_end_to_end(tmp_path):
    proc = run_snakemake(tmp_path, "--cores", "2", "--configfile",
                         str(ROOT / "config/test/tiny.yaml"))
    assert proc.returncode == 0, proc.stderr[-4000:]
    tiny = yaml.safe_load((ROOT / "config.yaml").read_text())["scales"]["tiny"]
    n_instances = sum(r["count"] * len(r["sizes"]) for p in tiny.values() for r in p.values())
    instances = sorted((tmp_path / "results/instances").rglob("*.h5"))
    assert len(instances) == n_instances
    exact = sorted((tmp_path / "results/exact").rglob("*.h5"))
    assert exact, "no exact reference was computed"
    for path in exact:
        shown = json.loads(run_cli("show", path, "--json", check=True).stdout)
        assert shown["kind"] == "exact"
        assert len(shown["free_energy"]) == len(shown["beta"]) == 60
    assert list((tmp_path / "logs").rglob("*.log")) and list((tmp_path / "benchmarks").rglob("*.tsv"))
    # a second run has nothing to do
    again = run_snakemake(tmp_path, "-n", "--configfile", str(ROOT / "config/test/tiny.yaml"))
    assert again.returncode == 0
    assert "Nothing to be done" in again.stdout + again.stderr
