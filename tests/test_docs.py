"""Every shell command in README.md and docs/*.md works as written.

The commands are read from the Markdown itself: fenced code blocks (bash, sh, console or no
language), indented code blocks, and inline code that starts with `.venv/bin/` or `snakemake `.
Each one is then, by what it is:

- run as written, in a temporary folder (`snakemake` gets `--directory TMP` in front of its own
  arguments); a `snakemake` command that runs jobs (not a dry run, lint, summary or report)
  runs them against the tiny config (`--configfile config/test/tiny.yaml`);
- a synopsis (placeholders such as FILE, X.h5, [--json], exact|sa): every option it names must
  be an option of that program (`arspin VERB --help`, `snakemake --help`), and the verb exists;
- or skipped by design, listed in SKIPPED below with the reason (it builds a whole scale, needs a
  cluster, a GPU or the network, or is the test suite itself). A listed command that no longer
  appears in the docs fails the test too, so the list cannot go stale.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

BIN = Path(sys.executable).parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
TINY = ROOT / "config/test/tiny.yaml"
PROGRAMS = (".venv/bin/", "arspin ", "snakemake ", "bash ", "pip ", "python ")
# snakemake options under which no job runs: these commands see the configuration as written
NO_JOBS = {"-n", "--dry-run", "--lint", "--summary", "--detailed-summary", "--report", "--help",
           "--list-rules", "--rulegraph", "--dag", "--cleanup-metadata", "--unlock"}
TIMEOUT = 300  # s per command: a command slower than this belongs in SKIPPED

SKIPPED = {
    "bash scripts/setup.sh && bash scripts/setup-tex.sh && .venv/bin/snakemake --cores 2":
        "the whole quick DAG (minutes); its dry run is test_dry_run_every_scale, the tiny DAG "
        "runs in test_tiny_dag_end_to_end",
    "bash scripts/setup.sh && bash scripts/setup-tex.sh && .venv/bin/python -m pytest -n 2 -q":
        "the test suite itself (this test is part of it); .ci/run runs exactly this",
    ".venv/bin/snakemake --cores 2 --config scale=paper -n":
        "the paper-scale DAG's dry run (22,270 jobs, 90 s to plan): test_dry_run_every_scale[paper] "
        "runs it",
    ".venv/bin/snakemake --profile profiles/slurm --config scale=paper":
        "needs a Slurm cluster and snakemake-executor-plugin-slurm",
    ".venv/bin/snakemake --profile profiles/local-gpu --config scale=paper":
        "the paper-scale DAG on GPUs (days)",
    ".venv/bin/snakemake --cores 2 figures/fig2.pdf":
        "trains every net of Fig. 2 at quick scale (minutes); the tiny DAG builds every figure in "
        "test_tiny_dag_end_to_end",
    ".venv/bin/snakemake --cores 2 --software-deployment-method conda":
        "needs conda and the network; what can be checked without them is in tests/test_env.py",
    ".venv/bin/python -m pytest -m slurm tests/test_slurm.py":
        "needs a running Slurm cluster (scripts/slurm-local.sh start) and 15 minutes",
    ".venv/bin/python bench/enumeration.py": "a benchmark (minutes), never part of the tests",
    ".venv/bin/python bench/engine.py": "a benchmark (minutes), never part of the tests",
    ".venv/bin/python bench/rnn.py": "a benchmark (minutes), never part of the tests",
    ".venv/bin/python bench/mpvan.py": "a benchmark (minutes), never part of the tests",
    ".venv/bin/python bench/groundstate.py": "a benchmark (minutes), never part of the tests",
    ".venv/bin/snakemake --report report.html":
        "after a run: needs the run's figures; the tiny DAG's report is built and checked in "
        "test_tiny_dag_end_to_end",
    "arspin claims twobo --tables results/twobo/quick/tables/all --out results/claims/twobo.json":
        "needs the quick scale's aggregated tables (a whole run); the claims rule runs this "
        "command in test_tiny_dag_end_to_end",
}

# what marks a synopsis rather than a command to paste: [optional] parts, alternatives, "...",
# and upper-case placeholders (FILE, X.h5, NET.yaml, KEY=VALUE, PAPER)
PLACEHOLDER = re.compile(r"\[|\]|\.\.\.|<\w+>|(?<![\w.-])[A-Z][A-Z0-9_]*(?:\.\w+)?(?![\w-])|\w\|\w")


def doc_commands() -> list[tuple[str, str]]:
    """(file:line, command) of every shell command in the docs, continuation lines joined."""
    found = []
    for path in DOCS:
        lines = path.read_text().splitlines()
        fence, previous_blank, pending, start = None, True, "", 0
        for number, line in enumerate(lines, 1):
            stripped = line.strip()
            if stripped.startswith("```"):
                fence = None if fence is not None else stripped[3:].strip()
                continue
            in_code = (fence in ("", "bash", "sh", "shell", "console")
                       or (fence is None and line.startswith("    ")
                           and (previous_blank or pending or in_block(lines, number))))
            previous_blank = not stripped
            candidates = []
            if in_code:
                text = pending + " " + stripped if pending else stripped
                if pending or text.startswith(PROGRAMS):
                    if text.endswith("\\"):
                        pending, start = text[:-1].strip(), start or number
                        continue
                    candidates.append((start or number, text))
                pending, start = "", 0
            elif fence is None:
                candidates += [(number, m) for m in re.findall(r"`([^`]+)`", line)
                               if m.startswith((".venv/bin/", "snakemake "))]
            for where, text in candidates:
                command = strip_comment(text)
                if command:
                    found.append((f"{path.relative_to(ROOT)}:{where}", command))
    return found


def in_block(lines: list[str], number: int) -> bool:
    """Whether line `number` (1-based) continues an indented code block."""
    k = number - 2
    while k >= 0 and lines[k].startswith("    "):
        k -= 1
    return k < 0 or not lines[k].strip()


def strip_comment(text: str) -> str:
    """The command without a trailing ` # ...` comment (outside quotes), whitespace collapsed."""
    quote = None
    for k, char in enumerate(text):
        if quote:
            quote = None if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "#" and (k == 0 or text[k - 1].isspace()):
            text = text[:k]
            break
    return " ".join(text.split())


COMMANDS = doc_commands()


def kind(command: str) -> str:
    if command in SKIPPED:
        return "skipped"
    return "synopsis" if PLACEHOLDER.search(command) else "run"


def program(command: str) -> tuple[list[str], list[str]]:
    """(the program to run, its arguments) for a command of the docs."""
    try:
        words = shlex.split(command)
    except ValueError:  # a synopsis whose quoted JSON goes on over several lines
        words = command.split()
    name = words[0].removeprefix(".venv/bin/")
    if name not in ("arspin", "snakemake", "python"):
        raise AssertionError(f"{command!r}: no rule to run `{words[0]}`: add it to SKIPPED "
                             "with the reason, or teach tests/test_docs.py to run it")
    return [str(BIN / name)], words[1:]


def test_the_docs_have_commands_and_every_skip_is_still_in_them():
    kinds = [kind(c) for _, c in COMMANDS]
    assert kinds.count("run") >= 8 and kinds.count("synopsis") >= 5, COMMANDS
    documented = {c for _, c in COMMANDS}
    stale = [c for c in SKIPPED if c not in documented]
    assert not stale, f"SKIPPED lists commands no longer in the docs: {stale}"


@pytest.mark.parametrize("where, command", [(w, c) for w, c in COMMANDS if kind(c) == "run"],
                         ids=[w for w, c in COMMANDS if kind(c) == "run"])
def test_command_runs_as_written(where, command, tmp_path):
    prog, args = program(command)
    if prog[0].endswith("snakemake"):
        prog += ["-s", str(ROOT / "Snakefile"), "--directory", str(tmp_path)]
        if not set(args) & NO_JOBS:
            prog += ["--configfile", str(TINY)]
    proc = subprocess.run([*prog, *args], cwd=ROOT if prog[0].endswith("snakemake") else tmp_path,
                          capture_output=True, text=True, timeout=TIMEOUT, check=False)
    assert proc.returncode == 0, f"{where}: {command}\n{(proc.stdout + proc.stderr)[-3000:]}"
    assert "Traceback" not in proc.stderr, f"{where}: {command}\n{proc.stderr[-3000:]}"


@pytest.fixture(scope="module")
def samples(tmp_path_factory) -> dict[str, str]:
    """Files that stand for a synopsis' placeholders, so that it can be run too."""
    folder = tmp_path_factory.mktemp("samples")
    instance = folder / "instance.h5"
    subprocess.run([str(BIN / "arspin"), "instance", "generate", "--family", "ea2d", "--size",
                    "3", "--index", "0", "--out", str(instance)], check=True, timeout=120)
    return {"FILE.h5": str(instance)}


def runnable_forms(command: str, samples: dict[str, str]) -> list[str]:
    """A synopsis as commands to run: its placeholders replaced by sample files, without its
    [optional] parts and with each one in turn; none where a placeholder has no sample."""
    if not any(name in command for name in samples):
        return []   # a synopsis of a command that needs a run's outputs: its options only
    optional = re.findall(r"\[([^\]]*)\]", command)
    base = re.sub(r"\s*\[[^\]]*\]", "", command)
    for name, value in samples.items():
        base = base.replace(name, value)
    if PLACEHOLDER.search(base):
        return []
    return [base] + [f"{base} {o}" for o in optional if not PLACEHOLDER.search(o)]


@pytest.mark.parametrize("where, command",
                         [(w, c) for w, c in COMMANDS if kind(c) == "synopsis"],
                         ids=[w for w, c in COMMANDS if kind(c) == "synopsis"])
def test_synopsis_names_real_options(where, command, samples, tmp_path):
    prog, args = program(command)
    verb = [a for a in args[:2] if re.fullmatch(r"[a-z][a-z|]*", a)][:1] if "arspin" in prog[0] \
        else []
    verbs = verb[0].split("|") if verb else [None]
    options = {m for m in re.findall(r"(?<![\w-])(--?[A-Za-z][\w-]*)", " ".join(args))}
    for v in verbs:
        proc = subprocess.run([*prog, *([v] if v else []), "--help"], capture_output=True,
                              text=True, timeout=120, check=False)
        assert proc.returncode == 0, f"{where}: {command}: {v} --help failed\n{proc.stderr}"
        unknown = [o for o in options if not re.search(rf"(?<![\w-]){re.escape(o)}(?![\w-])",
                                                      proc.stdout)]
        assert not unknown, f"{where}: {command}: options not in `{v or ''} --help`: {unknown}"
    for form in runnable_forms(command, samples):   # e.g. arspin show FILE.h5 [--json]
        prog, args = program(form)
        proc = subprocess.run([*prog, *args], cwd=tmp_path, capture_output=True, text=True,
                              timeout=TIMEOUT, check=False)
        assert proc.returncode == 0 and proc.stdout, f"{where}: {form}\n{proc.stderr[-3000:]}"
