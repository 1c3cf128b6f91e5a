"""Runs that survive misuse (issue #15): no shell injection from the config, no data lost to a
bad output path, corrupted files refused, kills and concurrent runs handled.

Every case ends in one clean error line (no traceback), a non-zero exit and no partial output.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import h5py
import numpy as np
import pytest
import yaml
from conftest import ROOT, copy_workflow, run_cli, run_snakemake

from arspin import io
from arspin.errors import ArspinError
from arspin.hamiltonian import IsingModel
from arspin.io.hdf5 import DATASET_DIGEST

# ------------------------------------------------------------------ A. no shell injection

PAYLOAD = "x; touch {marker}; #"
QUOTED = "x'; touch {marker}; #"  # closes a single-quoted word if quoting is done by hand


def _payload(case: str) -> str:
    marker = f"PWNED-{case.replace(' ', '-')}"
    return (QUOTED if "quote" in case else PAYLOAD).format(marker=marker)


def _config(tmp_path: Path, patch: dict) -> Path:
    path = tmp_path / "override.yaml"
    path.write_text(yaml.safe_dump(patch))
    return path


def _tiny_twobo(key: str, value) -> dict:
    return {"scale": "tiny", "papers": {"twobo": {"scales": {"tiny": {key: value}}}}}


def _protocol_payload(payload: str) -> dict:
    """The tiny TwoBo scale with a protocol named ``payload`` used by the fig2 runs (a protocol
    name is the {protocol} wildcard of the run paths, so it reaches {output} in `shell:`)."""
    tiny = yaml.safe_load((ROOT / "config.yaml").read_text())["papers"]["twobo"]["scales"]["tiny"]
    protocols = {**tiny["protocols"], payload: tiny["protocols"]["anneal"]}
    runs = {**tiny["runs"], "fig2": {**tiny["runs"]["fig2"], "protocols": [payload]}}
    return {"scale": "tiny", "papers": {"twobo": {"scales": {"tiny": {
        "protocols": protocols, "runs": runs}}}}}


def _protocol_run(payload: str) -> str:
    """The first fig2 run file of the tiny TwoBo scale under the protocol named ``payload``."""
    fig2 = yaml.safe_load((ROOT / "config.yaml").read_text())[
        "papers"]["twobo"]["scales"]["tiny"]["runs"]["fig2"]
    name, sizes = next(iter(fig2["instances"].items()))
    return f"results/twobo/tiny/runs/{name}/{sizes[0]}/0/{fig2['nets'][0]}/{payload}.h5"


# name -> (config patch for a payload, target that would run it, where the error must point)
CASES = {
    "option key": (lambda p: {"scale": "tiny", "instance_sets": {"rrg3": {
        "family": "rrg", "options": {p: 3}}}}, lambda p: "results/instances/rrg3/8/0.h5",
        "instance_sets.rrg3.options"),
    "option value": (lambda p: {"scale": "tiny", "instance_sets": {"rrg3": {
        "family": "rrg", "options": {"degree": p}}}}, lambda p: "results/instances/rrg3/8/0.h5",
        "instance_sets.rrg3.options"),
    "figS1 key": (lambda p: _tiny_twobo("figS1", {p: [4]}),
                  lambda p: "results/twobo/tiny/tables/figS1/.done",
                  "papers.twobo.scales.tiny.figS1"),
    "figS1 key with a quote": (lambda p: _tiny_twobo("figS1", {p: [4]}),
                               lambda p: "results/twobo/tiny/tables/figS1/.done",
                               "papers.twobo.scales.tiny.figS1"),
    "protocol name": (_protocol_payload, _protocol_run, "papers.twobo.scales.tiny.protocols"),
}


def _assert_not_run(tmp_path: Path, marker: str) -> None:
    for where in (tmp_path, ROOT, tmp_path / "wf"):
        assert not (where / marker).exists(), f"the payload ran: {where / marker} exists"


@pytest.mark.parametrize("case", list(CASES))
def test_injection_payload_is_a_config_error(tmp_path, case):
    """Each payload of the issue (`x; touch FILE; #` as an instance-option key, an option value
    and a figS1 key; also with a single quote, and as a protocol name, which reaches {output})
    stops the real run before
    any job with one `config:` line naming the key; FILE is never created."""
    patch, target, key = CASES[case]
    marker = f"PWNED-{case.replace(' ', '-')}"
    payload = _payload(case)
    proc = run_snakemake(tmp_path, "--cores", "1", "--configfile",
                         str(_config(tmp_path, patch(payload))), "--", target(payload))
    text = proc.stdout + proc.stderr
    assert proc.returncode != 0, text
    lines = [line for line in text.splitlines() if line.startswith("config:")]
    assert len(lines) == 1 and key in lines[0], text
    assert "Traceback" not in text
    _assert_not_run(tmp_path, marker)
    assert not (tmp_path / "results").exists()


def _unguarded_workflow(dest: Path) -> Path:
    """A copy of the workflow with the checks before the shell switched off: no identifier
    patterns in the schema, no arspin.configcheck. What is left is the quoting itself."""
    root = copy_workflow(dest)
    schema = root / "workflow/schemas/config.schema.yaml"
    text = schema.read_text()
    for pattern in ('propertyNames: {pattern: "^[A-Za-z_][A-Za-z0-9_]*$"}',
                    'propertyNames: {pattern: "^[A-Za-z0-9][A-Za-z0-9.\\\\-]*$"}'):
        assert pattern in text, pattern
        text = text.replace(pattern, "")
    schema.write_text(text)
    common = root / "workflow/rules/common.smk"
    text = common.read_text()
    assert "        check(cfg)\n" in text
    common.write_text(text.replace("        check(cfg)\n", "        pass\n"))
    return root


# what the run says with the guards off: the payload arrived as data, or matched no rule
EVIDENCE = {
    "option key": "arspin: error: family 'rrg': unknown option 'x; touch PWNED-option-key",
    "option value": "arspin: error: family 'rrg': option 'degree': expected int",
    "figS1 key": "arspin: error: family: unknown family 'x; touch PWNED-figS1-key",
    "figS1 key with a quote": """arspin: error: family: unknown family "x'; touch PWNED-figS1""",
    "protocol name": "No rule to produce results/twobo/tiny/runs/",
}


@pytest.mark.parametrize("case", list(CASES))
def test_injection_payload_never_reaches_the_shell_as_code(tmp_path, case):
    """The second layer: with the schema patterns and the config check removed (a copy of the
    workflow), the payload still reaches `arspin` as one quoted word (option flags and JSON
    arguments by shlex.quote), which refuses it as data, or matches no rule (wildcard
    constraints on net and protocol names): FILE is never created, no result is left."""
    root = _unguarded_workflow(tmp_path / "wf")
    work = tmp_path / "work"
    work.mkdir()
    patch, target, _ = CASES[case]
    marker = f"PWNED-{case.replace(' ', '-')}"
    payload = _payload(case)
    proc = run_snakemake(work, "--cores", "1", "--configfile",
                         str(_config(tmp_path, patch(payload))), "--", target(payload),
                         root=root)
    logs = "".join(log.read_text() for log in sorted(work.glob("logs/**/*.log")))
    text = proc.stdout + proc.stderr + logs
    assert proc.returncode != 0, text
    for where in (work, root, tmp_path, ROOT):
        assert not (where / marker).exists(), f"the payload ran:\n{text}"
    assert EVIDENCE[case] in text, text
    assert not (work / target(payload)).exists()


def test_every_shell_command_of_the_tiny_dag_is_plain_words(tmp_path):
    """Every shell command of the tiny DAG, split as a POSIX shell would (shlex with operators),
    has no operator but the log redirection and the `&& touch` of a tables marker: no `;`,
    `|`, backquote, `$(` or `#` coming from a config value or a path."""
    import shlex

    proc = run_snakemake(tmp_path, "-n", "-p", "--forceall", "--config", "scale=tiny")
    assert proc.returncode == 0, proc.stderr
    lines = (proc.stdout + proc.stderr).splitlines()
    commands = [lines[i + 1] for i, line in enumerate(lines[:-1])
                if line.strip() == "Shell command:"]
    commands += [line.split("Shell command: ", 1)[1] for line in lines
                 if "Shell command: " in line]
    assert len(commands) > 20, "\n".join(lines[-40:])
    for command in commands:
        assert "`" not in command and "$(" not in command and "#" not in command, command
        lexer = shlex.shlex(command, posix=True, punctuation_chars=True)
        lexer.whitespace_split = True
        operators = {w for w in lexer if w and set(w) <= set("();<>|&")}
        assert operators <= {">", ">&", "&&"}, command


# ------------------------------------------------------------------ B. no data lost to misuse

LOG_LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ (DEBUG|INFO|WARNING) ")


def _clean_failure(proc: subprocess.CompletedProcess, expect: str) -> str:
    """The one `arspin: error:` line of a failed command (no traceback, nothing else but the
    log lines before it), checked to contain ``expect``."""
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr, proc.stderr
    other = [line for line in proc.stderr.splitlines() if not LOG_LINE.match(line)]
    assert len(other) == 1 and other[0].startswith("arspin: error: "), proc.stderr
    assert expect in other[0], other[0]
    return other[0]


def _tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (hidden ones too) with its bytes."""
    return {str(p.relative_to(folder)): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> Path:
    """An instance I.h5, a run R.h5 on it and a tables folder T (Fig. S1's parameter counts)."""
    root = tmp_path_factory.mktemp("misuse")
    run_cli("instance", "generate", "--family", "sk", "--size", "8", "--index", "0",
            "--out", root / "I.h5", check=True)
    labels = {"set": "sk", "family": "sk", "size": 8, "n": 8, "index": 0, "net": "made",
              "protocol": "p", "seed": 0}
    run_cli(*TRAIN, "--instance", "I.h5", "--labels", json.dumps(labels), "--out", "R.h5",
            cwd=root, check=True)  # the run names I.h5 relative: it holds in a copy too
    run_cli("aggregate", "twobo", "--tables", "parameters", "--options",
            '{"param_sizes": {"ea2d": [4]}}', "--out-dir", root / "T", check=True)
    return root


@pytest.fixture
def work(made, tmp_path) -> Path:
    """A copy of the inputs per test: a test that fails by overwriting one spoils no other."""
    return Path(shutil.copytree(made, tmp_path / "w", symlinks=True))


TRAIN = ["train", "--net", "made", "--betas", "0.5:1:2", "--warmup-steps", "2",
         "--steps-per-beta", "2", "--batch", "8", "--lr", "0.01", "--seed", "0"]

# every command that writes, as (arguments before the output, the output flag); {w} is the
# work folder of the fixture
WRITERS = {
    "exact": (["exact", "--instance", "{w}/I.h5", "--betas", "0.5:1:2"], "--out"),
    "reference": (["reference", "--instance", "{w}/I.h5", "--betas", "0.5:1:2", "--ladder",
                   "0.5:1:4", "--sweeps", "40", "--chains", "2"], "--out"),
    "learn-couplings": (["learn-couplings", "--instance", "{w}/I.h5", "--beta", "1",
                         "--chains", "2", "--samples-per-chain", "2", "--burn-in", "2",
                         "--thin", "1", "--steps", "2"], "--out"),
    "groundstate": (["groundstate", "--instance", "{w}/I.h5", "--method", "sa", "--sweeps",
                     "10", "--reads", "2"], "--out"),
    "groundstate best": (["groundstate", "--instance", "{w}/I.h5", "--method", "best",
                          "--runs", "{w}/R.h5"], "--out"),
    "train": ([*TRAIN, "--instance", "{w}/I.h5"], "--out"),
    "train checkpoint": ([*TRAIN, "--instance", "{w}/I.h5", "--out", "{w}/R2.h5",
                          "--checkpoint-every", "1"], "--checkpoint"),
    "aggregate": (["aggregate", "twobo", "--tables", "parameters", "--options",
                   '{"param_sizes": {"ea2d": [4]}}', "--runs", "{w}/R.h5"], "--out-dir"),
    "claims": (["claims", "twobo", "--tables", "{w}/T"], "--out"),
    "figure": (["figure", "twobo", "figS1", "--tables", "{w}/T"], "--out"),
}
SUFFIX = {"aggregate": "", "claims": ".json", "figure": ".pdf"}
# an output that is an input of the command, spelled another way than the input flag spells
# it ({w}/link.h5 is a symbolic link to I.h5); figure: the --png (see the test)
SAME_AS_INPUT = {
    "exact": "{w}/./I.h5", "reference": "{w}/../{n}/I.h5", "learn-couplings": "{w}/link.h5",
    "groundstate": "{w}/./I.h5", "groundstate best": "{w}/./R.h5", "train": "{w}/link.h5",
    "train checkpoint": "{w}/./I.h5",
    "claims": "{w}/T/parameters.csv",
}


def _args(name: str, work: Path, out: str | Path) -> list[str]:
    before, flag = WRITERS[name]
    return [a.replace("{w}", str(work)) for a in before] + \
        [flag, str(out).replace("{w}", str(work)).replace("{n}", work.name)]


@pytest.mark.parametrize("name", [n for n in WRITERS if n != "aggregate"])
def test_output_equal_to_an_input_is_refused(work, name):
    """--out naming an input (another spelling, a symbolic link to it) is one clean error and
    the input is kept byte for byte; nothing is written beside it."""
    link = work / "link.h5"
    if not link.is_symlink():
        link.symlink_to(work / "I.h5")
    if name == "figure":  # the PNG is an output too: written beside the PDF by default
        proc = run_cli(*_args(name, work, "{w}/F/fig.pdf"), "--png", work / "T/parameters.csv")
    else:
        before = _tree(work)
        proc = run_cli(*_args(name, work, SAME_AS_INPUT[name]))
        assert _tree(work) == before
    _clean_failure(proc, "is also an input of this command")
    assert not (work / "F").exists()


def test_aggregate_table_equal_to_an_input_is_refused(work):
    """A table that would land on an input file (a run named parameters.csv) is refused."""
    table = work / "T2" / "parameters.csv"
    table.parent.mkdir(exist_ok=True)
    shutil.copy(work / "R.h5", table)
    before = _tree(work)
    proc = run_cli("aggregate", "twobo", "--tables", "parameters", "--options",
                   '{"param_sizes": {"ea2d": [4]}}', "--runs", table, "--out-dir", table.parent)
    _clean_failure(proc, "is also an input of this command")
    assert _tree(work) == before
    shutil.rmtree(table.parent)


@pytest.mark.parametrize("name", list(WRITERS))
def test_output_that_is_a_directory(work, name):
    """An output path that is a folder (for aggregate: a tables folder that is a file) is one
    clean error naming it; nothing is written."""
    target = work / f"dir{SUFFIX.get(name, '.h5')}"
    if name == "aggregate":
        target.write_bytes(b"a file where a folder is wanted")
    else:
        target.mkdir()
    before = _tree(work)
    proc = run_cli(*_args(name, work, target))
    _clean_failure(proc, str(target))
    assert _tree(work) == before
    shutil.rmtree(target) if target.is_dir() else target.unlink()


@pytest.fixture(scope="module")
def mounts(tmp_path_factory) -> Iterator[dict[str, Path]]:
    """tmpfs folders (skipped where mount is not allowed): `ro` read-only, `full` with no free
    byte, `almost full` with one free page (4 KiB): there a file is created and its writing
    fails midway, which is where h5py closing the failed file crashed (exit 139 and 135)."""
    root = tmp_path_factory.mktemp("mounts")
    made = {}
    for name, opts in (("ro", "ro,size=64k"), ("full", "size=64k"), ("almost full", "size=64k")):
        (root / name).mkdir()
        proc = subprocess.run(["mount", "-t", "tmpfs", "-o", opts, "tmpfs", str(root / name)],
                              capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            for folder in made.values():
                subprocess.run(["umount", str(folder)], check=False)
            pytest.skip(f"cannot mount a tmpfs here: {proc.stderr.strip()}")
        made[name] = root / name
    for name in ("full", "almost full"):
        fd = os.open(made[name] / "fill", os.O_WRONLY | os.O_CREAT)
        with contextlib.suppress(OSError):  # until the disk says it is full
            while os.write(fd, b"\0" * 4096):
                pass
        if name == "almost full":
            os.ftruncate(fd, os.fstat(fd).st_size - 4096)
        os.close(fd)
    yield made
    for folder in made.values():
        subprocess.run(["umount", str(folder)], check=False)


REASON = {"ro": "Read-only file system", "full": "No space left on device",
          "almost full": "No space left on device"}
SMALL = {"aggregate", "claims"}  # their outputs fit in 4 KiB: nothing fails on `almost full`


@pytest.mark.parametrize("disk", list(REASON))
@pytest.mark.parametrize("name", list(WRITERS))
def test_read_only_or_full_disk(work, mounts, name, disk):
    """Writing to a read-only or a full disk is one clean error naming the output (no
    traceback, no segmentation fault from h5py closing a failed file) and leaves no file."""
    if disk == "almost full" and name in SMALL:
        pytest.skip("the output fits in the free space")
    before = {d: _tree(folder) for d, folder in mounts.items()}
    out = mounts[disk] / f"out{SUFFIX.get(name, '.h5')}"
    proc = run_cli(*_args(name, work, out))
    line = _clean_failure(proc, REASON[disk])
    assert str(mounts[disk]) in line
    assert {d: _tree(folder) for d, folder in mounts.items()} == before


@pytest.mark.parametrize("bits", ["100", "0", "-3"])
def test_chunk_bits_out_of_range(work, bits):
    proc = run_cli("exact", "--instance", work / "I.h5", "--betas", "1", "--chunk-bits", bits,
                   "--out", work / "E.h5")
    _clean_failure(proc, "--chunk-bits")
    assert not (work / "E.h5").exists()


# ------------------------------------------------------------------ C. integrity

def _flip_stored_byte(path: Path, name: str) -> None:
    """Flip one bit in the middle of dataset ``name``'s stored bytes, as a disk would."""
    with h5py.File(path, "r") as f:
        ds = f[name]
        if ds.chunks:
            info = ds.id.get_chunk_info(0)
            offset, size = info.byte_offset, info.size
        else:
            offset, size = ds.id.get_offset(), ds.id.get_storage_size()
    assert offset is not None and size > 0, name
    with open(path, "r+b") as handle:
        handle.seek(offset + size // 2)
        byte = handle.read(1)[0]
        handle.seek(offset + size // 2)
        handle.write(bytes([byte ^ 0x10]))


@pytest.mark.parametrize("file, dataset", [
    ("I.h5", "J"),                 # a coupling
    ("R.h5", "free_energy"),       # a free energy that would go into a table
    ("R.h5", "best_energy"),       # a scalar (no chunks: no fletcher32 possible)
    ("T/../I.h5", "i"),            # the bond list
    ("big.h5", "J"),               # gzip-compressed (4950 couplings)
])
def test_a_corrupted_dataset_is_named(work, file, dataset):
    """A bit flipped inside a dataset's stored bytes: `arspin show` and the command consuming
    the file (exact on an instance, aggregate on a run) fail with one line naming the file and
    the dataset; nothing is written."""
    if file == "big.h5":
        run_cli("instance", "generate", "--family", "sk", "--size", "100", "--index", "0",
                "--out", work / file, check=True)
    path = work / file
    _flip_stored_byte(path, dataset)
    line = _clean_failure(run_cli("show", path), f"field '{dataset}'")
    assert str(path) in line and ("checksum" in line or "corrupt" in line)
    if file.endswith("I.h5") or file == "big.h5":
        proc = run_cli("exact", "--instance", path, "--betas", "1", "--out", work / "E.h5")
    else:
        proc = run_cli("aggregate", "twobo", "--runs", path, "--instances", work / "I.h5",
                       "--tables", "free_energy", "--out-dir", work / "tables")
    assert _clean_failure(proc, f"field '{dataset}'") == line
    assert not (work / "E.h5").exists() and not (work / "tables").exists()


def _rewrite_attr(path: Path, name: str, value: str) -> None:
    """Set a root attribute and recompute the file's digests: what a buggy writer would make
    (a valid checksum over bad content), not what a disk would."""
    from arspin.io.hdf5 import DIGEST, content_digest

    rec = io.read(path)
    attrs = {**rec.attrs, name: value}
    with h5py.File(path, "r+") as f:
        f.attrs[name] = value
        f.attrs[DIGEST] = content_digest(attrs, rec.data)


@pytest.mark.parametrize("value, problem", [
    ("[]", "expected a JSON object, got list"),
    ('{"net": {}, "train": {"batch": 8}}', "'train.steps_per_beta': expected an integer >= 1"),
    ('{"net": {}, "train": {"steps_per_beta": -1, "batch": 8}}', "'train.steps_per_beta'"),
    ('{"net": [], "train": {"steps_per_beta": 2, "batch": 8}}', "'net': expected a JSON object"),
])
def test_bad_hyperparameters_are_refused_not_aggregated(work, value, problem):
    """hyperparameters = '[]' once gave the free-energy table steps_per_beta = -1 silently;
    now the run is refused by its schema, naming the attribute, even with a valid checksum."""
    run = work / "R.h5"
    _rewrite_attr(run, "hyperparameters", value)
    proc = run_cli("aggregate", "twobo", "--runs", run, "--instances", work / "I.h5",
                   "--tables", "free_energy", "--out-dir", work / "tables")
    _clean_failure(proc, f"{run}: field 'hyperparameters': {problem}")
    assert not (work / "tables").exists()


def test_run_of_a_regenerated_instance_is_refused_at_aggregation(work):
    """The run names I.h5; I.h5 regenerated with other couplings (another index, same path):
    the run's instance_digest no longer matches and the aggregation says so."""
    run_cli("instance", "generate", "--family", "sk", "--size", "8", "--index", "1",
            "--out", work / "I.h5", check=True)
    proc = run_cli("aggregate", "twobo", "--runs", "R.h5", "--instances", "I.h5",
                   "--tables", "free_energy", "--out-dir", "tables", cwd=work)
    _clean_failure(proc, "R.h5: field 'instance_digest'")
    assert not (work / "tables").exists()


def test_files_without_dataset_digests_still_read(work):
    """Files written before the per-dataset sha256 (results of earlier runs) are read, with
    the file's content_sha256 alone; a flipped byte there names content_sha256."""
    path = work / "I.h5"
    with h5py.File(path, "r+") as f:
        for name in list(f):
            del f[name].attrs[DATASET_DIGEST]
    assert io.read(path).kind == "instance"
    _flip_stored_byte(path, "J")
    _clean_failure(run_cli("show", path), "field 'content_sha256'")


def test_a_corrupted_checkpoint_is_refused_not_resumed(tmp_path):
    """A bit flipped in a checkpoint's parameters: the run refuses to resume from it, naming
    the dataset (a resumed run would silently differ from an uninterrupted one)."""
    from arspin import checkpoint
    from arspin.nets.registry import build_net
    from arspin.train import TrainConfig, initial_state

    model = IsingModel.from_edges(4, [0, 1], [1, 2], [1.0, -1.0], np.zeros(4))
    cfg = TrainConfig(betas=(1.0,), warmup_steps=0, steps_per_beta=2, batch=8, lr=0.01, seed=0)
    net = build_net("made", model, {})
    identity = checkpoint.run_identity(model, "made", {}, cfg)
    state = initial_state(net, cfg, model)
    path = tmp_path / "c.h5"
    checkpoint.save(path, state, identity)
    assert checkpoint.load(path, state, identity).step == 0
    with h5py.File(path, "r") as f:
        name = next(n for n in sorted(f["params"].keys()) if f["params"][n].size > 1)
    _flip_stored_byte(path, f"params/{name}")
    with pytest.raises(ArspinError, match=rf"field 'params/{name}': the values do not match"):
        checkpoint.load(path, state, identity)


# ------------------------------------------------------------------ D. kills

@pytest.mark.slow
def test_after_a_kill_unlock_and_rerun_as_the_docs_say(tmp_path):
    """Snakemake and its training job killed with SIGKILL mid-run: the next run is refused by
    the stale lock (Snakemake's message names --unlock), `--unlock` then the same command
    finishes the run (rerun-incomplete from the profile), the result equals an uninterrupted
    run's, and the killed job's hidden lock and temporary files are gone."""
    import signal
    import sys
    import time

    tiny = yaml.safe_load((ROOT / "config.yaml").read_text())["papers"]["twobo"]["scales"]["tiny"]
    slower = {**tiny["protocols"]["anneal"], "steps_per_beta": 2000}  # seconds of steps
    config = _config(tmp_path, {"scale": "tiny", "papers": {"twobo": {"scales": {"tiny": {
        "protocols": {**tiny["protocols"], "anneal": slower}}}}}})
    target = _protocol_run("anneal")
    log = Path(target.replace("results/", "logs/", 1)).with_suffix(".log")
    work, reference = tmp_path / "work", tmp_path / "reference"
    options = ["--cores", "1", "--configfile", str(config), "--", target]
    snakemake = str(Path(sys.executable).parent / "snakemake")
    with open(tmp_path / "killed.log", "w") as out:
        proc = subprocess.Popen([snakemake, "-s", str(ROOT / "Snakefile"), "--directory",
                                 str(work), *options], cwd=ROOT, stdout=out, stderr=out,
                                start_new_session=True)
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and proc.poll() is None and not (
                (work / log).exists() and " done (step " in (work / log).read_text()):
            time.sleep(0.1)  # until the first beta block is done: past a checkpoint
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    assert not (work / target).exists(), "the job finished before the kill: make it slower"
    refused = run_snakemake(work, *options)
    assert refused.returncode != 0 and "--unlock" in refused.stdout + refused.stderr
    assert "LockException" in refused.stdout + refused.stderr
    unlocked = run_snakemake(work, "--unlock", "--configfile", str(config))
    assert unlocked.returncode == 0, unlocked.stderr
    again = run_snakemake(work, *options)
    assert again.returncode == 0, again.stderr
    uninterrupted = run_snakemake(reference, *options)
    assert uninterrupted.returncode == 0, uninterrupted.stderr
    a, b = io.read(work / target).data, io.read(reference / target).data
    assert sorted(a) == sorted(b)
    for name in a:
        if not name.endswith("wall_time"):
            assert np.array_equal(a[name], b[name]), name
    assert sorted(p.name for p in (work / target).parent.iterdir()) == [Path(target).name]
