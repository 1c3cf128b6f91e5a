"""The reproduction report (paper/arspin.tex, arspin.report, `arspin report-tex`).

Unit tests of the macro writer (names, escaping, formatting), the caption converter and the
readings; then the tiny DAG builds the generated LaTeX of the three papers: every macro that
paper/arspin.tex or a generated table uses is defined by a generated file, the claims tables
and counts follow the claims files, and the PDF builds where latexmk is installed (CI installs
it: scripts/setup-tex.sh in .ci/run).
"""

from __future__ import annotations

import copy
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, run_cli, run_snakemake

from arspin.report.figures import rst_to_latex
from arspin.report.macros import (
    MacroSet,
    check_macros,
    format_number,
    latex_escape,
    macro_name,
    render_macros,
)
from arspin.report.readings import readings, resolve

LATEXMK = shutil.which("latexmk")
NO_TEX = "latexmk is not installed (bash scripts/setup-tex.sh installs Debian's TeX packages)"
CONFIG = yaml.safe_load((ROOT / "config.yaml").read_text())
PREFIXES = ("Arspin", "Twobo", "HTwoArnn", "Mpvan")


# ---- the macro writer


@pytest.mark.parametrize(("parts", "name"), [
    (("mpvan", "fig4-mpvan-beats-van-wpe", "z"), "MpvanFigFourMpvanBeatsVanWpeZ"),
    (("twobo", "params", "ea2d", "L", 16), "TwoboParamsEaTwoDLOneSix"),
    (("h2arnn",), "HTwoArnn"),
    (("x", "mean_residual", "sk-1rsb"), "XMeanResidualSkOneRsb"),
])
def test_macro_names_are_letters_only(parts, name):
    assert macro_name(*parts) == name
    assert re.fullmatch(r"[A-Za-z]+", macro_name(*parts))


def test_macro_name_without_letters_is_refused():
    with pytest.raises(ValueError):
        macro_name("-", "_")


def test_a_name_defined_twice_is_refused():
    m = MacroSet("P")
    m.add(1, "a1")
    with pytest.raises(ValueError, match="twice"):
        m.add(2, "a-1")   # spelled the same: PAOne


@pytest.mark.parametrize(("text", "latex"), [
    ("a_b & 5% of $x #1", r"a\_b \& 5\% of \$x \#1"),
    ("{x}", r"\{x\}"),
    ("~^\\", r"\textasciitilde{}\textasciicircum{}\textbackslash{}"),
    ("KL(q || p) < 2", r"KL(q \ensuremath{|}\ensuremath{|} p) \ensuremath{<} 2"),
    ("plain text, no change", "plain text, no change"),
])
def test_latex_escape(text, latex):
    assert latex_escape(text) == latex


def test_latex_escape_refuses_characters_pdflatex_cannot_set():
    with pytest.raises(ValueError, match="U\\+4E2D"):
        latex_escape("\u4e2d")


@pytest.mark.parametrize(("value", "latex"), [
    (63549, r"\ensuremath{63{,}549}"),
    (-3, r"\ensuremath{-3}"),
    (0.0012345, r"\ensuremath{0.00123}"),
    (0.00012345, r"\ensuremath{1.23\times10^{-4}}"),
    (123456.0, r"\ensuremath{1.23\times10^{5}}"),
    (2.0, r"\ensuremath{2.00}"),
    (0.0, r"\ensuremath{0}"),
    (None, "n/a"),
    (float("nan"), "n/a"),
    (True, "yes"),
    ("a_b", r"a\_b"),
])
def test_format_number(value, latex):
    assert format_number(value) == latex


@pytest.mark.parametrize("macros", [{"Bad1": "x"}, {"bad_name": "x"}, {"Ok": "{unbalanced"},
                                    {"Ok": "x}"}])
def test_bad_macros_are_refused(macros):
    with pytest.raises(ValueError):
        check_macros(macros)


def test_rendered_file_has_one_newcommand_per_macro():
    text = render_macros({"AbC": r"\ensuremath{1}", "De": r"\{"}, "header\nline two")
    assert text.splitlines()[:2] == ["% header", "% line two"]
    assert re.findall(r"^\\newcommand\{\\(\w+)\}", text, flags=re.MULTILINE) == ["AbC", "De"]


@pytest.mark.skipif(LATEXMK is None or shutil.which("pdftotext") is None, reason=NO_TEX)
def test_escaped_text_typesets_literally(tmp_path):
    """What latex_escape writes comes out of pdflatex as the original characters."""
    text = "a_b & 5% $x #1 {y} ~^ <z> |w|"
    macros = {"Probe": latex_escape(text), "Number": format_number(63549)}
    (tmp_path / "macros.tex").write_text(render_macros(macros, "probe"))
    (tmp_path / "probe.tex").write_text(
        "\\documentclass{article}\\input{macros.tex}\\begin{document}"
        "\\Probe\\par\\Number\\end{document}\n")
    subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "probe.tex"],
                   cwd=tmp_path, capture_output=True, check=True, timeout=120)
    out = subprocess.run(["pdftotext", "probe.pdf", "-"], cwd=tmp_path, capture_output=True,
                         text=True, check=True).stdout
    squeeze = "".join(out.split())
    # pdflatex's default (OT1) fonts draw "_" as a rule (no glyph to extract) and "~", "^" as
    # accents; every other character comes out as itself
    expected = "".join(text.split()).replace("_", "").replace("~", "\u02dc").replace("^", "\u02c6")
    assert expected in squeeze
    assert "63,549" in squeeze


def test_captions_convert_inline_markup():
    rst = "**TwoBo Fig. 2: free energy** of (F - F_0)/\\|F\\|, *mean* of ``last20``."
    assert rst_to_latex(rst) == (r"\textbf{TwoBo Fig. 2: free energy} of (F - F\_0)/"
                                 r"\ensuremath{|}F\ensuremath{|}, \emph{mean} of "
                                 r"\texttt{last20}.")


# ---- the readings: every [recon]/[lost]/[choice] item, with the value read from config


def _cfg(paper, scale, config=CONFIG):
    return {"scale": scale, "paper": config["papers"][paper],
            "instance_sets": config["instance_sets"], "groundstate": config["groundstate"]}


@pytest.mark.parametrize("scale", ["quick", "paper"])
@pytest.mark.parametrize("paper", ["twobo", "h2arnn", "mpvan"])
def test_every_reading_resolves_at_the_full_scales(paper, scale):
    rows = resolve(paper, _cfg(paper, scale))
    assert len(rows) == len(readings(paper)) >= 5
    for tag, item, spec, value in rows:
        assert tag in ("recon", "lost", "choice")
        assert value and value != "not configured at this scale", (item, spec)
        latex_escape(value)   # typesettable


def test_readings_follow_the_config():
    """A reading's value is read from the config, not written into the code."""
    config = copy.deepcopy(CONFIG)
    config["instance_sets"]["wpe-a0.25"]["options"]["alpha"] = 0.125
    config["papers"]["mpvan"]["scales"]["quick"]["baselines"]["pt"]["replicas"] = 11
    before = {item: value for _, item, _, value in resolve("mpvan", _cfg("mpvan", "quick"))}
    after = {item: value for _, item, _, value
                 in resolve("mpvan", _cfg("mpvan", "quick", config))}
    changed = {item for item in before if before[item] != after[item]}
    assert changed == {"WPE alpha, coupling distribution and gauge",
                       "Fig. 6: N and alpha of the small WPE", "PT schedule"}
    assert "alpha 0.125" in after["WPE alpha, coupling distribution and gauge"]
    assert after["PT schedule"].startswith("11 replicas")


# ---- the PDF command without TeX


def test_pdf_without_latexmk_names_what_to_install(tmp_path):
    tex = tmp_path / "doc.tex"
    tex.write_text("\\documentclass{article}\\begin{document}x\\end{document}\n")
    bin_dir = tmp_path / "bin"   # a PATH with Python but no latexmk
    bin_dir.mkdir()
    env = {**os.environ, "PATH": str(bin_dir)}
    proc = subprocess.run([sys.executable, "-m", "arspin", "report-tex", "pdf", str(tex),
                           "--build-dir", str(tmp_path / "build"), "--out",
                           str(tmp_path / "doc.pdf")],
                          capture_output=True, text=True, env=env, timeout=120, check=False)
    assert proc.returncode == 2, proc.stderr
    message = proc.stderr.strip().splitlines()[-1]
    assert "latexmk not found" in message and "scripts/setup-tex.sh" in message
    assert "texlive-latex-base" in message and "texlive-latex-recommended" in message
    assert not (tmp_path / "doc.pdf").exists()


# ---- the tiny DAG: generated LaTeX and the PDF


@pytest.fixture(scope="module")
def tiny_report(tiny_dag):
    """The tiny DAG's run folder (conftest.tiny_dag: its default target includes the report's
    generated LaTeX, and the PDF where latexmk is installed)."""
    return tiny_dag.work


def _defined(work: Path) -> dict[str, str]:
    found = {}
    for path in sorted((work / "paper/generated").rglob("*.tex")):
        for name, value in re.findall(r"^\\newcommand\{\\([A-Za-z]+)\}\{(.*)\}$",
                                      path.read_text(), flags=re.MULTILINE):
            assert name not in found, f"\\{name} defined twice"
            found[name] = value
    return found


def _used(text: str) -> set[str]:
    return {n for n in re.findall(r"\\([A-Za-z]+)", text) if n.startswith(PREFIXES)}


@pytest.mark.slow
def test_every_macro_used_is_generated(tiny_report):
    defined = _defined(tiny_report)
    generated = [p.read_text() for p in (tiny_report / "paper/generated").rglob("*.tex")]
    used = _used((ROOT / "paper/arspin.tex").read_text()).union(*map(_used, generated))
    assert used, "the report uses no generated macro"
    assert not used - set(defined), sorted(used - set(defined))
    # the run's numbers: scale, git revision (of this checkout, or "unversioned"), versions
    assert defined["ArspinScale"] == "tiny"
    assert defined["ArspinRevision"]
    assert defined["ArspinVersionJax"] != "not installed"


@pytest.mark.slow
@pytest.mark.parametrize("paper", ["twobo", "h2arnn", "mpvan"])
def test_claims_tables_and_counts_follow_the_claims_file(tiny_report, paper):
    claims = json.loads((tiny_report / f"results/claims/{paper}-tiny.json").read_text())
    defined = _defined(tiny_report)
    prefix = macro_name(paper)
    for status, word in (("holds", "Hold"), ("does not hold", "Fail"),
                         ("not evaluated", "NotEvaluated")):
        assert defined[f"{prefix}Claims{word}"] == fr"\ensuremath{{{claims['summary'][status]}}}"
    table = (tiny_report / f"paper/generated/{paper}/claims.tex").read_text()
    assert table.count(r"\claimholds") == claims["summary"]["holds"]
    assert table.count(r"\claimfails") == claims["summary"]["does not hold"]
    assert table.count(r"\claimnotevaluated") == claims["summary"]["not evaluated"]
    for c in claims["claims"]:
        assert latex_escape(c["id"]) in table
        assert defined[macro_name(paper, "claim", c["id"], "status")] == c["status"]
    # every figure of the manifest is in the report, from this scale's folder
    from arspin.papers import PAPERS

    floats = (tiny_report / f"paper/generated/{paper}/figures.tex").read_text()
    figdir = defined[f"{prefix}Figdir"]
    for fig in PAPERS[paper].figures:
        assert f"{{\\{prefix}Figdir/{fig}.pdf}}" in floats
        assert (tiny_report / figdir / f"{fig}.pdf").is_file()
    readings_tex = (tiny_report / f"paper/generated/{paper}/readings.tex").read_text()
    assert readings_tex.count("\\\\\n") == len(readings(paper))


@pytest.mark.slow
@pytest.mark.skipif(LATEXMK is None, reason=NO_TEX)
def test_the_pdf_builds(tiny_report, tmp_path):
    pdf = tiny_report / "paper/arspin.pdf"
    assert pdf.read_bytes()[:5] == b"%PDF-"
    log = (tiny_report / "paper/build/arspin.log").read_text(errors="replace")
    assert "undefined" not in log.lower(), [line for line in log.splitlines()
                                            if "undefined" in line.lower()]
    pages = re.search(r"Output written on .*\((\d+) pages", log)
    assert pages and int(pages.group(1)) > 10
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout
        assert "Reconstructed, lost and chosen settings" in text
        assert "\\" not in text   # no macro name leaked into the text
    # the same inputs give the same bytes (SOURCE_DATE_EPOCH, no trailer ID)
    first = pdf.read_bytes()
    proc = run_cli("report-tex", "pdf", str(ROOT / "paper/arspin.tex"), "--build-dir",
                   "paper/build2", "--out", str(tmp_path / "again.pdf"), cwd=tiny_report)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert (tmp_path / "again.pdf").read_bytes() == first


# ---- reproducibility: the tiny DAG twice


@pytest.mark.slow
def test_the_tiny_dag_twice_gives_the_same_bytes(tiny_dag, tmp_path):
    """Same seeds, same device: every aggregated table, claims file, figure PDF and the
    generated tables of the report are byte-identical across two runs from scratch (the
    numbers.tex files differ only in the wall times they report)."""
    again = tmp_path / "again"
    # the same default target, from the same copy of the workflow (same sources, revision)
    proc = run_snakemake(again, "--cores", "2", "--configfile",
                         str(tiny_dag.root / "config/test/tiny.yaml"), root=tiny_dag.root)
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-4000:]
    tiny_report = tiny_dag.work
    patterns = ["results/*/tiny/tables/**/*.csv", "results/claims/*.json", "figures/**/*.pdf",
                "paper/generated/*/claims.tex", "paper/generated/*/readings.tex",
                "paper/generated/*/published.tex", "paper/generated/*/figures.tex"]
    compared = 0
    for pattern in patterns:
        first = sorted(p.relative_to(tiny_report) for p in tiny_report.glob(pattern))
        second = sorted(p.relative_to(again) for p in again.glob(pattern))
        assert first and first == second, (pattern, first, second)
        for rel in first:
            assert (tiny_report / rel).read_bytes() == (again / rel).read_bytes(), rel
            compared += 1
    assert compared > 50

    def without_times(path: Path) -> list[str]:
        return [line for line in path.read_text().splitlines()
                if not re.match(r"\\newcommand\{\\\w+(Seconds|Jobs)\w*\}", line)]

    for paper in ("twobo", "h2arnn", "mpvan"):
        rel = Path(f"paper/generated/{paper}/numbers.tex")
        assert without_times(tiny_report / rel) == without_times(again / rel), rel
