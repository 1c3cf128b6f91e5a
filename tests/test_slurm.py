"""The tiny DAG through the Slurm profile on a real (single-node) Slurm cluster gives the same
tables and claims, byte for byte, as a local run. Not part of the default run (about 15 min,
mostly the plugin's status polling): start the cluster, then select it by its marker:

    bash scripts/slurm-local.sh start        # Debian's slurm-wlm + munge, one node
    .venv/bin/python -m pytest -m slurm tests/test_slurm.py
"""

from __future__ import annotations

import shutil
import subprocess

import pytest
from conftest import ROOT, run_snakemake

TINY = str(ROOT / "config/test/tiny.yaml")


@pytest.mark.slurm
def test_tiny_dag_through_the_slurm_profile_equals_a_local_run(tmp_path):
    if shutil.which("sbatch") is None or subprocess.run(
            ["sinfo", "-h"], capture_output=True, check=False).returncode != 0:
        pytest.fail("no Slurm cluster answers: run `bash scripts/slurm-local.sh start` first")
    cluster, local = tmp_path / "slurm", tmp_path / "local"
    proc = run_snakemake(cluster, "--profile", str(ROOT / "profiles/slurm"), "--configfile",
                         TINY, "--default-resources", "slurm_partition=debug", "mem_mb=1000",
                         "runtime=30", "--slurm-no-account", "--slurm-status-command", "squeue",
                         "--jobs", "4", "--latency-wait", "5", timeout=2400)
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-4000:]
    assert "submitted with SLURM jobid" in proc.stdout + proc.stderr
    proc = run_snakemake(local, "--cores", "2", "--configfile", TINY)
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-4000:]
    compared = sorted(p.relative_to(local) for p in (local / "results").rglob("*")
                      if (p.suffix == ".csv" and "tables" in p.parts)
                      or (p.suffix == ".json" and p.parent.name == "claims"))
    assert compared
    for path in compared:
        assert (cluster / path).read_bytes() == (local / path).read_bytes(), path
