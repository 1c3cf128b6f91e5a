"""The `arspin` CLI as a user meets it: help, the contract forms, and bad input."""

from __future__ import annotations

import itertools
import json
import re
import shlex
import subprocess
import sys

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


def test_help_texts_quote_the_limits_the_code_enforces():
    """`arspin --help`, `exact --help` and `train --help` agree with the code (arspin.limits)."""
    from arspin.exact import enumeration, tree_decomposition
    from arspin.limits import AUTO_ENUMERATION_MAX_N, ENUMERATION_MAX_N, TREE_MAX_WIDTH

    assert enumeration.MAX_THERMO_N == ENUMERATION_MAX_N
    assert tree_decomposition.MAX_WIDTH == TREE_MAX_WIDTH
    top = " ".join(run_cli("--help", check=True).stdout.split())
    exact = " ".join(run_cli("exact", "--help", check=True).stdout.split())
    assert f"enumeration (N <= {ENUMERATION_MAX_N})" in top
    assert f"treewidth <= {TREE_MAX_WIDTH}" in top
    assert f"enumeration up to N = {AUTO_ENUMERATION_MAX_N}" in exact
    assert f"enumeration: any N <= {ENUMERATION_MAX_N}" in exact
    numbers = {int(n) for text in (top, exact) for n in re.findall(r"N (?:<=|=) (\d+)", text)}
    assert numbers == {ENUMERATION_MAX_N, AUTO_ENUMERATION_MAX_N}
    train = " ".join(run_cli("train", "--help", check=True).stdout.split())
    assert "net on one instance" not in train and "one or several instances" in train
    assert "several instances" in " ".join(run_cli("--help", check=True).stdout.split())


def test_show_prints_rounded_numbers_and_json_exact_ones(tmp_path):
    inst, ref = tmp_path / "i.h5", tmp_path / "e.h5"
    run_cli("instance", "generate", "--family", "ea2d", "--size", "3", "--index", "0",
            "--out", inst, check=True)
    run_cli("exact", "--instance", inst, "--betas", "0.1:0.8:8", "--out", ref, check=True)
    exact = json.loads(run_cli("show", ref, "--json", check=True).stdout)
    assert 0.30000000000000004 in exact["beta"]   # linspace's float, kept exactly in --json
    text = run_cli("show", ref, check=True).stdout
    beta = next(line for line in text.splitlines() if line.strip().startswith("beta ="))
    assert json.loads(beta.split("=", 1)[1]) == [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8]
    assert "0.3000000" not in text and "e-17" not in text
    free = next(line for line in text.splitlines() if line.strip().startswith("free_energy ="))
    values = json.loads(free.split("=", 1)[1])
    np.testing.assert_allclose(values, exact["free_energy"], rtol=1e-7)
    assert all(len(repr(v).lstrip("-").replace(".", "")) <= 9 for v in values)


def test_show_into_a_closed_pipe_is_quiet(tmp_path):
    """`arspin show FILE | head -1`: no BrokenPipeError traceback."""
    inst = _good_instance(tmp_path)
    proc = subprocess.run(f"{shlex.quote(sys.executable)} -m arspin show {inst} | head -1",
                          shell=True, capture_output=True, text=True, timeout=120, check=False,
                          executable="/bin/bash")
    assert proc.returncode == 0 and proc.stdout.startswith(str(inst)), proc.stderr
    assert proc.stderr == "", proc.stderr


def test_an_output_equal_to_an_input_is_refused_and_the_input_kept(cli, tmp_path):
    """--out equal to --instance would replace the instance by its own result."""
    inst = tmp_path / "i.h5"
    cli("instance", "generate", "--family", "ea2d", "--size", "3", "--index", "0",
        "--out", inst, check=True)
    before = inst.read_bytes()
    same = tmp_path / "." / "i.h5"                   # another spelling of the same file
    for args in (["exact", "--instance", inst, "--betas", "1", "--out", same],
                 ["groundstate", "--instance", inst, "--method", "sa", "--out", inst],
                 ["train", "--instance", inst, "--net", "made", "--betas", "1",
                  "--warmup-steps", "0", "--steps-per-beta", "1", "--batch", "4", "--lr",
                  "0.01", "--seed", "0", "--out", same]):
        proc = cli(*args)
        assert proc.returncode == 2, proc.stderr
        assert "is also an input of this command" in proc.stderr
        assert "Traceback" not in proc.stderr
    assert inst.read_bytes() == before
