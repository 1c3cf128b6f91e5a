"""The `arspin` CLI as a user meets it: help, the contract forms, and bad input."""

from __future__ import annotations

import itertools
import json

import h5py
import numpy as np
import pytest
from conftest import run_cli


def test_help_on_every_command():
    for args in (["--help"], ["instance", "--help"], ["instance", "generate", "--help"],
                 ["instance", "import", "--help"], ["instance", "export", "--help"],
                 ["exact", "--help"], ["show", "--help"]):
        proc = run_cli(*args)
        assert proc.returncode == 0, (args, proc.stderr)
        assert "usage:" in proc.stdout


def test_generate_exact_show_against_direct_enumeration(tmp_path):
    inst, ref = tmp_path / "i.h5", tmp_path / "e.h5"
    run_cli("instance", "generate", "--family", "ea2d", "--size", "3", "--index", "2",
            "--out", inst, check=True)
    run_cli("exact", "--instance", inst, "--betas", "0.5,1,2", "--out", ref, check=True)
    shown = json.loads(run_cli("show", ref, "--json", check=True).stdout)
    # independent reference: the couplings read straight from the file, a plain loop over states
    with h5py.File(inst) as f:
        i, j, J = f["i"][()], f["j"][()], f["J"][()]
    energies = np.array([-sum(Jk * x[a] * x[b] for a, b, Jk in zip(i, j, J))
                         for x in itertools.product([-1, 1], repeat=9)])
    for k, beta in enumerate([0.5, 1.0, 2.0]):
        log_z = np.log(np.sum(np.exp(-beta * energies)))
        assert shown["log_z"][k] == pytest.approx(log_z, rel=1e-12)
        assert shown["free_energy"][k] == pytest.approx(-log_z / (beta * 9), rel=1e-12)
    for key in ("beta", "free_energy", "energy", "entropy", "abs_magnetization", "log_z"):
        assert len(shown[key]) == 3


def test_exact_tree_method_agrees_with_enumeration_and_refuses_wide_instances(tmp_path):
    inst = tmp_path / "i.h5"
    run_cli("instance", "generate", "--family", "ea2d", "--size", "4", "--index", "1",
            "--out", inst, check=True)
    shown = {}
    for method in ("enumeration", "tree"):
        out = tmp_path / f"{method}.h5"
        run_cli("exact", "--instance", inst, "--betas", "0.3,1.7", "--method", method,
                "--samples", "50", "--out", out, check=True)
        shown[method] = json.loads(run_cli("show", out, "--json", check=True).stdout)
    assert shown["enumeration"]["method"] == "enumeration"
    assert shown["tree"]["method"].startswith("tree decomposition (width ")
    for key in ("log_z", "free_energy", "energy", "entropy"):
        np.testing.assert_allclose(shown["tree"][key], shown["enumeration"][key], rtol=1e-12)
    wide, out = tmp_path / "w.h5", tmp_path / "w_exact.h5"
    run_cli("instance", "generate", "--family", "ea2d", "--size", "16", "--index", "0",
            "--out", wide, check=True)
    proc = run_cli("exact", "--instance", wide, "--betas", "1", "--out", out)
    assert proc.returncode == 2 and "treewidth" in proc.stderr and str(wide) in proc.stderr
    assert "Traceback" not in proc.stderr and not out.exists()


def test_import_checks_the_size_and_records_the_family(tmp_path):
    donor, npz = tmp_path / "donor.h5", tmp_path / "ref.npz"
    run_cli("instance", "generate", "--family", "rrg", "--size", "8", "--index", "0",
            "--out", donor, check=True)
    run_cli("instance", "export", donor, "--out", npz, check=True)
    wrong = tmp_path / "wrong.h5"
    proc = run_cli("instance", "import", npz, "--family", "rrg", "--expect-n", "16",
                   "--out", wrong)
    assert proc.returncode == 2 and str(npz) in proc.stderr and "expected 16" in proc.stderr
    assert "Traceback" not in proc.stderr and not wrong.exists()
    right = tmp_path / "right.h5"
    run_cli("instance", "import", npz, "--family", "rrg", "--expect-n", "8", "--out", right,
            check=True)
    shown = json.loads(run_cli("show", right, "--json", check=True).stdout)
    assert shown["family"] == "rrg" and shown["n"] == 8


def test_unknown_family_is_one_clear_error(tmp_path):
    out = tmp_path / "x.h5"
    proc = run_cli("instance", "generate", "--family", "nosuch", "--size", "4", "--index", "0",
                   "--out", out)
    assert proc.returncode == 2
    assert "nosuch" in proc.stderr and "Traceback" not in proc.stderr
    assert not out.exists()


def _good_instance(tmp_path):
    path = tmp_path / "good.h5"
    run_cli("instance", "generate", "--family", "rrg", "--size", "8", "--index", "0",
            "--out", path, check=True)
    return path


@pytest.mark.parametrize("damage, field", [
    (lambda f: f["J"].__setitem__(0, np.nan), "J"),
    (lambda f: f.attrs.__setitem__("schema_version", 999), "schema_version"),
    (lambda f: f.__delitem__("h"), "h"),
])
def test_bad_instance_file_is_one_clear_error(tmp_path, damage, field):
    path = _good_instance(tmp_path)
    with h5py.File(path, "r+") as f:
        damage(f)
    out = tmp_path / "e.h5"
    proc = run_cli("exact", "--instance", path, "--betas", "1", "--out", out)
    assert proc.returncode == 2, proc.stderr
    line = proc.stderr.strip().splitlines()[-1]
    assert str(path) in line and field in line and "Traceback" not in proc.stderr
    assert not out.exists() and list(tmp_path.iterdir()) == [path]


def test_truncated_file_is_one_clear_error(tmp_path):
    path = _good_instance(tmp_path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    proc = run_cli("show", path, "--json")
    assert proc.returncode == 2 and str(path) in proc.stderr and "Traceback" not in proc.stderr
