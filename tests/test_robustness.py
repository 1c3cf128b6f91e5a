"""Runs that survive misuse (issue #15): no shell injection from the config, no data lost to a
bad output path, corrupted files refused, kills and concurrent runs handled.

Every case ends in one clean error line (no traceback), a non-zero exit and no partial output.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import ROOT, copy_workflow, run_snakemake

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
