"""The software environments: the conda env file agrees with requirements.lock and holds no
path, the rules find `arspin` in a conda env, and the workflow is formatted (snakefmt)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml
from conftest import ROOT

from arspin.runenv import shell_prefix

BIN = Path(sys.executable).parent


def load_script():
    import importlib.util

    spec = importlib.util.spec_from_file_location("conda_env", ROOT / "scripts/conda_env.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_conda_env_pins_exactly_the_lock():
    """envs/arspin.yaml is what scripts/conda_env.py makes of requirements.lock (rerun it after
    changing the lock), so the env's hash changes with the lock."""
    script = load_script()
    lock = (ROOT / "requirements.lock").read_text()
    env = yaml.safe_load((ROOT / "envs/arspin.yaml").read_text())
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert pip == script.pins(lock)
    assert (ROOT / "envs/arspin.yaml").read_text() == script.render(lock), (
        "envs/arspin.yaml is out of date: run .venv/bin/python scripts/conda_env.py")
    # self-contained: Snakemake copies the file under .snakemake/conda/ before creating the env
    assert not [p for p in pip if p.startswith(("-", ".")) or "/" in p]


def test_conda_env_script_refuses_a_loose_pin():
    script = load_script()
    try:
        script.pins("numpy>=2\n")
    except SystemExit as exc:
        assert "not an exact pin" in str(exc)
    else:
        raise AssertionError("a loose pin was accepted")


def test_rules_run_the_source_tree_in_a_conda_env(tmp_path):
    """In a conda env (--software-deployment-method conda) the env has Python and the pinned
    dependencies but no `arspin` entry point: a rule's `arspin` is `python -m arspin` on the
    workflow's own src/. Simulated here: PATH holds `python` and system tools only, and the
    package is a copy of src/ that no installation points at."""
    src = tmp_path / "project/src"
    shutil.copytree(ROOT / "src/arspin", src / "arspin",
                    ignore=shutil.ignore_patterns("__pycache__"))
    env_bin = tmp_path / "env/bin"
    env_bin.mkdir(parents=True)
    (env_bin / "python").symlink_to(sys.executable)
    # the copy must win over the editable install of the checkout: ask where arspin came from
    script = (shell_prefix(str(src), str(BIN), conda=True)
              + "arspin --version && python -c 'import arspin; print(arspin.__file__)'")
    env = {"PATH": f"{env_bin}:/usr/bin:/bin", "HOME": str(tmp_path)}
    proc = subprocess.run(["bash", "-c", f"set -euo pipefail; {script}"], env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("arspin ")
    assert proc.stdout.splitlines()[-1] == str(src / "arspin/__init__.py")
    # without conda: the entry point of the Python that runs Snakemake (appended to PATH)
    proc = subprocess.run(["bash", "-c", shell_prefix(str(src), str(BIN), conda=False)
                           + "command -v arspin"], env=env, capture_output=True, text=True,
                          timeout=60, check=False)
    assert proc.stdout.strip() == str(BIN / "arspin"), proc.stderr


def test_workflow_is_snakefmt_clean():
    """`snakefmt --check` on the Snakefile and every .smk (pinned in requirements.lock;
    settings in pyproject.toml). Fix with: .venv/bin/snakefmt Snakefile workflow/"""
    snakefmt = BIN / "snakefmt"
    assert snakefmt.exists(), "snakefmt is not installed: bash scripts/setup.sh"
    proc = subprocess.run([str(snakefmt), "--check", "Snakefile", "workflow/"], cwd=ROOT,
                          capture_output=True, text=True, timeout=300, check=False,
                          env={**os.environ, "NO_COLOR": "1"})
    assert proc.returncode == 0, (
        f"{proc.stdout}{proc.stderr}\nformat with: .venv/bin/snakefmt Snakefile workflow/")
