"""Shared test setup: CPU only, float64 enabled, strict numerics, small helpers.

Strictness: JAX's strict dtype promotion here (and in the CLI subprocesses, through the
environment), and every warning an error (pyproject.toml, [tool.pytest.ini_options]
filterwarnings, which lists the few third-party warnings that are ignored and why).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

import pytest

os.environ.setdefault("JAX_PLATFORMS", "cpu")
os.environ.setdefault("XLA_FLAGS", "--xla_force_host_platform_device_count=1")
# Strict dtype promotion: mixing float32 (nets) and float64 (energies, references) must be an
# explicit cast, never a silent promotion that changes a result's precision. Set through the
# environment as well, so that the CLI subprocesses of the tests (run_cli, the workflow) run
# strict too; JAX reads JAX_NUMPY_DTYPE_PROMOTION at import.
os.environ["JAX_NUMPY_DTYPE_PROMOTION"] = "strict"

import jax  # after the environment above, which JAX reads at import

from arspin import jaxsetup

jaxsetup.configure()
jax.config.update("jax_numpy_dtype_promotion", "strict")

ROOT = Path(__file__).resolve().parents[1]


def run_cli(*args: str, cwd: Path | None = None, check: bool = False) -> subprocess.CompletedProcess:
    """Run `python -m arspin ARGS` in a fresh process, as a user would."""
    proc = subprocess.run(
        [sys.executable, "-m", "arspin", *map(str, args)],
        cwd=cwd, capture_output=True, text=True, timeout=600, check=False,
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"arspin {' '.join(map(str, args))} failed:\n{proc.stderr}")
    return proc


def run_snakemake(workdir: Path, *args: str, timeout: int = 900,
                  root: Path = ROOT) -> subprocess.CompletedProcess:
    """Run the Snakefile under root (the project, or a copy of it) with results in workdir."""
    snakemake = shutil.which("snakemake", path=str(Path(sys.executable).parent)) or "snakemake"
    return subprocess.run(
        [snakemake, "-s", str(root / "Snakefile"), "--directory", str(workdir), *args],
        cwd=root, capture_output=True, text=True, timeout=timeout, check=False,
    )


def copy_workflow(dest: Path) -> Path:
    """A copy of the workflow and the package sources it lists as inputs (to edit them safely)."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy2(ROOT / "Snakefile", dest / "Snakefile")
    shutil.copy2(ROOT / "config.yaml", dest / "config.yaml")
    for folder in ("config", "workflow", "profiles", "envs", "src"):
        shutil.copytree(ROOT / folder, dest / folder,
                        ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    (dest / "paper").mkdir(exist_ok=True)   # the report's source (its outputs stay behind)
    shutil.copy2(ROOT / "paper/arspin.tex", dest / "paper/arspin.tex")
    return dest


@pytest.fixture
def cli():
    return run_cli


class TinyDag(NamedTuple):
    """The whole tiny DAG, built once per test session: `root` is a copy of the workflow (a
    test may edit a source there and must restore it), `work` the folder it ran in, `output`
    what Snakemake printed."""

    root: Path
    work: Path
    output: str


@pytest.fixture(scope="session")
def tiny_dag(tmp_path_factory) -> TinyDag:
    """Every figure, table, claims file and the report of the three papers at tiny scale (the
    default target under config/test/tiny.yaml), built once: every test that reads a tiny run
    shares it. Such tests run on one pytest-xdist worker, one after the other (the xdist_group
    added in pytest_collection_modifyitems), so the build happens once per session."""
    base = tmp_path_factory.mktemp("tiny_dag")
    root = copy_workflow(base / "project")
    work = base / "work"
    proc = run_snakemake(work, "--cores", "2", "--configfile",
                         str(root / "config/test/tiny.yaml"), root=root)
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output[-4000:]
    return TinyDag(root, work, output)


def pytest_collection_modifyitems(config, items):
    # with `-n 2 --dist loadgroup` (pyproject.toml) the tests of one group share a worker
    for item in items:
        if "tiny_dag" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.xdist_group("tiny_dag"))
