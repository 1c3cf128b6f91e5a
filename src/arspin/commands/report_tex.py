"""`arspin report-tex`: the reproduction report's generated LaTeX (paper/generated/).

    arspin report-tex paper mpvan --claims results/claims/mpvan.json
        --tables results/mpvan/quick/tables/all --benchmarks benchmarks --config JSON
        --figure-dir figures/mpvan --captions workflow/report/mpvan --out-dir paper/generated/mpvan
    arspin report-tex run --scale quick --revision 1ea22c6 --claims results/claims/*.json
        --out paper/generated/run.tex
    arspin report-tex pdf paper/arspin.tex --build-dir paper/build --out paper/arspin.pdf

`paper` writes numbers.tex (every number of the paper's section as a macro), claims.tex (the
claims table), readings.tex (its [recon]/[lost]/[choice] settings and the values used),
published.tex (the paper's own numbers beside ours) and figures.tex (a float per figure);
`run` writes the run's scale, git revision, package versions and claim totals. Every file is
written atomically; docs/report.md lists the macros. `pdf` runs latexmk in the working
directory (where the generated files and figures are) and moves the PDF into place atomically;
without latexmk it fails with one message naming the packages to install.
"""

from __future__ import annotations

import argparse
import json
import logging
import platform
from importlib import metadata
from pathlib import Path

from arspin.errors import ArspinError
from arspin.papers import PAPERS

log = logging.getLogger("arspin")

# what scripts/setup-tex.sh installs (Debian / Ubuntu); the report uses nothing beyond them
TEX_PACKAGES = ("latexmk", "texlive-latex-base", "texlive-latex-recommended")
VERSIONED = ("jax", "numpy", "scipy", "matplotlib", "h5py", "networkx", "snakemake")


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("report-tex", help="write the report's generated LaTeX",
                            description=__doc__.split("\n\n")[0])
    what = parser.add_subparsers(dest="what", metavar="WHAT", required=True)
    one = what.add_parser("paper", help="one paper's macros and tables")
    one.add_argument("paper", choices=sorted(PAPERS), help="which paper")
    one.add_argument("--claims", required=True, type=Path, help="the paper's claims JSON")
    one.add_argument("--tables", required=True, type=Path,
                     help="folder of its aggregated CSV tables (the claims' folder `all`)")
    one.add_argument("--benchmarks", required=True, type=Path,
                     help="Snakemake's benchmarks folder (wall time of each job)")
    one.add_argument("--config", required=True,
                     help="JSON: {scale, paper: its config block, instance_sets, groundstate}")
    one.add_argument("--figure-dir", required=True, help="folder of its figure PDFs")
    one.add_argument("--captions", type=Path,
                     help="folder of its figures' captions (<fig>.rst), if any")
    one.add_argument("--paper-tables", default="",
                     help="folder of the paper's own tables as LaTeX (`arspin table`), if any")
    one.add_argument("--out-dir", required=True, type=Path, help="output folder")
    one.set_defaults(func=run_paper)
    total = what.add_parser("run", help="the run's scale, revision, versions, claim totals")
    total.add_argument("--scale", required=True)
    total.add_argument("--revision", required=True, help="git revision, or 'unversioned'")
    total.add_argument("--claims", nargs="*", default=[], type=Path, help="claims JSON files")
    total.add_argument("--out", required=True, type=Path, help="output .tex")
    total.set_defaults(func=run_total)
    pdf = what.add_parser("pdf", help="build the PDF with latexmk (Debian's TeX packages)")
    pdf.add_argument("tex", type=Path, help="the report's source, paper/arspin.tex")
    pdf.add_argument("--build-dir", required=True, type=Path, help="latexmk's output folder")
    pdf.add_argument("--out", required=True, type=Path, help="the PDF")
    pdf.set_defaults(func=run_pdf)


def _claims(path: Path) -> dict:
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ArspinError(f"{path}: cannot read the claims file ({exc})") from None
    if not isinstance(content, dict) or "claims" not in content:
        raise ArspinError(f"{path}: not a claims file (no 'claims' list)")
    return content


def run_paper(args: argparse.Namespace) -> int:
    from arspin.report.figures import figure_floats
    from arspin.report.macros import write_macros, write_text
    from arspin.report.numbers import (
        claims_table,
        paper_macros,
        paper_table_inputs,
        published_tables,
        readings_table,
    )

    try:
        cfg = json.loads(args.config)
    except json.JSONDecodeError as exc:
        raise ArspinError(f"--config is not JSON: {exc}") from None
    for key in ("scale", "paper", "instance_sets", "groundstate"):
        if key not in cfg:
            raise ArspinError(f"--config has no key '{key}'")
    claims = _claims(args.claims)
    figures = list(PAPERS[args.paper].figures)
    macros = paper_macros(args.paper, claims, args.tables, args.benchmarks, cfg,
                          args.figure_dir, figures)
    header = (f"{PAPERS[args.paper].title}\nscale {cfg['scale']}; claims {args.claims}; "
              f"tables {args.tables}")
    published = published_tables(args.paper, macros)  # before writing: a missing macro fails
    captions = {f: (args.captions / f"{f}.rst" if args.captions else None) for f in figures}
    captions = {f: p if p is not None and p.is_file() else None for f, p in captions.items()}
    out = args.out_dir
    write_macros(out / "numbers.tex", macros.macros, header)
    write_text(out / "claims.tex", claims_table(args.paper, claims, cfg["scale"]))
    write_text(out / "readings.tex", readings_table(args.paper, cfg))
    write_text(out / "published.tex", published)
    write_text(out / "figures.tex", figure_floats(args.paper, figures, captions))
    write_text(out / "tables.tex", paper_table_inputs(args.paper, args.paper_tables))
    log.info("wrote %s: %d macros, %d claims, %d figures", out, len(macros.macros),
             len(claims["claims"]), len(figures))
    return 0


def versions() -> dict[str, str]:
    """Python's and the main packages' versions ("not installed" where absent)."""
    found = {"python": platform.python_version()}
    for name in VERSIONED:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found


def run_total(args: argparse.Namespace) -> int:
    from arspin import __version__
    from arspin.report.macros import MacroSet, latex_escape, write_macros

    m = MacroSet("Arspin")
    m.add(latex_escape(args.scale), "scale", raw=True)
    m.add(latex_escape(args.revision), "revision", raw=True)
    m.add(latex_escape(__version__), "version", raw=True)
    for name, version in versions().items():
        m.add(latex_escape(version), "version", name, raw=True)
    contents = [_claims(p) for p in args.claims]
    m.add(len(contents), "papers")
    for status, word in (("holds", "Hold"), ("does not hold", "Fail"),
                         ("not evaluated", "NotEvaluated")):
        m.add(sum(1 for c in contents for x in c["claims"] if x["status"] == status),
              "claims", word)
    m.add(sum(len(c["claims"]) for c in contents), "claims", "total")
    write_macros(args.out, m.macros, f"the run: scale {args.scale}, revision {args.revision}")
    log.info("wrote %s", args.out)
    return 0


def latexmk_missing_message() -> str:
    """What to do when latexmk is not on the PATH (one line, names the packages)."""
    return ("latexmk not found on the PATH: the report PDF needs TeX. Install Debian's packages "
            f"(`sudo apt-get install --no-install-recommends {' '.join(TEX_PACKAGES)}`, or `bash "
            "scripts/setup-tex.sh`) and run again; every other target builds without TeX")


def run_pdf(args: argparse.Namespace) -> int:
    import os
    import shutil
    import subprocess

    latexmk = shutil.which("latexmk")
    if latexmk is None:
        raise ArspinError(latexmk_missing_message())
    if not args.tex.is_file():
        raise ArspinError(f"{args.tex}: no such file")
    args.build_dir.mkdir(parents=True, exist_ok=True)
    # a fixed date in the PDF's metadata and no trailer ID: the same inputs give the same bytes
    env = {**os.environ, "SOURCE_DATE_EPOCH": "0", "FORCE_SOURCE_DATE": "1"}
    proc = subprocess.run(
        [latexmk, "-pdf", "-interaction=nonstopmode", "-halt-on-error",
         f"-outdir={args.build_dir}", str(args.tex.resolve())],
        capture_output=True, text=True, env=env, check=False)
    output = proc.stdout + proc.stderr
    if proc.returncode != 0:
        errors = [line for line in output.splitlines() if line.startswith("!")]
        log.error("%s", output[-6000:])
        raise ArspinError(f"latexmk failed on {args.tex} ({errors[0] if errors else 'see the log'}"
                          f"; full log: {args.build_dir / (args.tex.stem + '.log')})")
    built = args.build_dir / f"{args.tex.stem}.pdf"
    from arspin.report.macros import write_bytes

    write_bytes(args.out, built.read_bytes())
    log.info("wrote %s (%d bytes)", args.out, args.out.stat().st_size)
    return 0
