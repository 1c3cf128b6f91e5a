"""The report's generated LaTeX of one paper: its numbers as macros, its claims table, its
readings table and its published-versus-measured tables.

Inputs are files the DAG wrote (the paper's claims JSON, its aggregated CSV tables, the
benchmark TSVs of its jobs) and the paper's configuration slice; outputs are .tex fragments
that paper/arspin.tex inputs. Macro names start with the paper's prefix (macro_name(paper)):
``\\MpvanScale``, ``\\MpvanClaimsHold``, ``\\MpvanClaimFigFourMpvanBeatsVanWpeZ`` (every numeric
entry of a claim's ``numbers``, its path spelled into the name), ...

    paper_macros(paper, claims, tables_dir, benchmarks_dir, cfg, figure_dir) -> MacroSet
    claims_table(paper, claims, scale) -> LaTeX longtable
    readings_table(paper, cfg) -> LaTeX longtable
    published_tables(paper, tables_dir, macros) -> LaTeX (tables beside the papers' numbers)
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterator
from pathlib import Path
from statistics import mean
from typing import Any

from arspin.papers import PAPERS
from arspin.report import published
from arspin.report.macros import MacroSet, format_number, format_value, latex_escape, macro_name
from arspin.report.readings import resolve

DISPLAY = {"twobo": "TwoBo", "h2arnn": "H2ARNN", "mpvan": "MPVAN"}
STATUSES = (("holds", "Hold"), ("does not hold", "Fail"), ("not evaluated", "NotEvaluated"))
# "{}" first: a row starting with "[" would be read as the optional argument of the "\\" before
TAGS = {"recon": "{}[recon]", "lost": "{}[lost]", "choice": "{}[choice]"}


def prefix(paper: str) -> str:
    """The macro prefix of a paper: "twobo" -> "Twobo", "h2arnn" -> "HTwoarnn"."""
    return macro_name(paper)


def read_csv(path: Path) -> list[dict[str, str]]:
    """Rows of a CSV table, or [] when the table was not produced at this scale."""
    if not path.is_file():
        return []
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _leaves(value: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    """(key path, value) of every leaf of a claim's numbers; a list of scalars is one leaf."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, path + (str(key),))
    elif isinstance(value, list) and any(isinstance(v, dict | list) for v in value):
        for i, item in enumerate(value):
            yield from _leaves(item, path + (str(i),))
    else:
        yield path, value


def benchmark_seconds(benchmarks: Path, paper: str, scale: str,
                      figures: list[str]) -> dict[str, tuple[int, float]]:
    """{stage: (jobs, summed wall seconds)} of a paper's jobs from Snakemake's benchmark TSVs:
    stage "runs" (training), "baselines", "tables", ... (the folder under
    benchmarks/<paper>/<scale>/), "figures" and "claims"; "all" sums them."""
    files: dict[str, list[Path]] = {}
    root = benchmarks / paper / scale
    if root.is_dir():
        for path in sorted(root.rglob("*.tsv")):
            files.setdefault(path.relative_to(root).parts[0], []).append(path)
    files["figures"] = [p for f in figures if (p := benchmarks / "figures" / paper / f"{f}.tsv")
                        .is_file()]
    files["claims"] = [p for p in [benchmarks / "claims" / f"{paper}-{scale}.tsv"] if p.is_file()]
    out = {}
    for stage, paths in files.items():
        seconds = [float(row["s"]) for p in paths for row in read_csv_tsv(p)]
        out[stage] = (len(paths), sum(seconds))
    out["all"] = (sum(n for n, _ in out.values()), sum(s for _, s in out.values()))
    return out


def read_csv_tsv(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def paper_macros(paper: str, claims: dict[str, Any], tables_dir: Path, benchmarks_dir: Path,
                 cfg: dict[str, Any], figure_dir: str, figures: list[str]) -> MacroSet:
    """Every number of one paper's section as a macro (see the module docstring)."""
    m = MacroSet(prefix(paper))
    scale = cfg["scale"]
    m.add(latex_escape(scale), "scale", raw=True)
    m.add(figure_dir, "figdir", raw=True)
    items = claims["claims"]
    for status, word in STATUSES:
        m.add(sum(1 for c in items if c["status"] == status), "claims", word)
    m.add(len(items), "claims", "total")
    for c in items:
        m.add(latex_escape(c["status"]), "claim", c["id"], "status", raw=True)
        for path, value in _leaves(c["numbers"]):
            if isinstance(value, str):
                m.add(latex_escape(value), "claim", c["id"], *path, raw=True)
            else:
                m.add(value, "claim", c["id"], *path)
    stages = benchmark_seconds(benchmarks_dir, paper, scale, figures)
    for stage, (jobs, seconds) in stages.items():
        m.add(jobs, "jobs", stage)
        m.add(_duration(seconds), "seconds", stage, raw=True)
    _paper_numbers(paper, m, tables_dir, cfg)
    return m


def _duration(seconds: float) -> str:
    """A wall time as "1 h 02 min", "3 min 05 s" or "12.3 s"."""
    if seconds >= 3600:
        return f"{int(seconds // 3600)} h {int(seconds % 3600 // 60):02d} min"
    if seconds >= 60:
        return f"{int(seconds // 60)} min {int(seconds % 60):02d} s"
    return f"{seconds:.1f} s"


def _paper_numbers(paper: str, m: MacroSet, tables: Path, cfg: dict[str, Any]) -> None:
    """The per-paper numbers that are not claims: published values beside measured ones."""
    if paper == "twobo":
        rows = read_csv(tables / "parameters.csv")
        for (family, size), count in published.TWOBO_PARAMETERS.items():
            m.add(count, "params", family, "L", size, "paper")
            ours = [r for r in rows if r["family"] == family and int(r["size"]) == size
                    and r["net"] == "twobo"]
            m.add(round(float(ours[0]["n_params"])) if ours else None,
                  "params", family, "L", size, "ours")
    elif paper == "h2arnn":
        n = published.H2ARNN_SK_PARAMETERS_N
        rows = read_csv(tables / "sk_params.csv")
        m.add(n, "params", "n")
        for label, count in published.H2ARNN_SK_PARAMETERS.items():
            m.add(count, "params", label, "paper")
            ours = [r for r in rows if r["net"] == label and int(r["n"]) == n]
            m.add(int(ours[0]["n_params_paper"]) if ours else None, "params", label, "ours")
            m.add(int(ours[0]["n_params"]) if ours else None, "params", label, "trainable")
    elif paper == "mpvan":
        for label, (value, std) in published.MPVAN_TABLE2.items():
            m.add(value, "table", "two", label, "paper")
            m.add(std, "table", "two", label, "paper", "std")
            ours = mpvan_table2(tables, label)
            m.add(ours[0], "table", "two", label, "ours")
            m.add(ours[1], "table", "two", label, "ours", "std")
            m.add(ours[2], "table", "two", label, "ours", "n")
        for label, seconds in published.MPVAN_TABLE3.items():
            for size, value in zip(published.MPVAN_TABLE3_SIZES, seconds, strict=True):
                m.add(value, "table", "three", label, "N", size, "paper")


def mpvan_table2(tables: Path, label: str) -> tuple[float | None, float | None, int | None]:
    """Our Table 2 entry of one net: the mean over instances of the run-mean residual per
    site on the WPE instances of the largest N that net ran, its std over instances (ddof 1)
    and that N; None where the net did not run on WPE."""
    rows = [r for r in read_csv(tables / "residual.csv")
            if r["net"] == label and r["family"] == "wpe"]
    if not rows:
        return None, None, None
    n = max(int(r["n"]) for r in rows)
    per_instance: dict[str, list[float]] = {}
    for r in rows:
        if int(r["n"]) == n:
            per_instance.setdefault(r["index"], []).append(float(r["residual"]))
    means = [mean(v) for v in per_instance.values()]
    centre = mean(means)
    std = (math.sqrt(sum((x - centre) ** 2 for x in means) / (len(means) - 1))
           if len(means) > 1 else None)
    return centre, std, n


def _columns(*widths: float) -> str:
    """Ragged-right paragraph columns of these fractions of the line width (narrow columns
    of long words, justified, would stretch or hyphenate badly)."""
    return "".join(f">{{\\raggedright\\arraybackslash}}p{{{w}\\linewidth}}" for w in widths)


def claims_table(paper: str, claims: dict[str, Any], scale: str) -> str:
    """The paper's claims as a LaTeX longtable: figure, statement, measured numbers, outcome."""
    head = r"\toprule figure & claim (as tested) & measured & outcome \\ \midrule"
    lines = [
        f"\\begin{{longtable}}{{@{{}}{_columns(0.08, 0.38, 0.33, 0.13)}@{{}}}}",
        (f"\\caption{{{latex_escape(DISPLAY.get(paper, paper))}: the claims at scale "
        f"\\texttt{{{latex_escape(scale)}}}}}\\label{{tab:{paper}:claims}}\\\\"),
        head + r" \endfirsthead", head + r" \endhead", r"\bottomrule \endfoot",
    ]
    for c in claims["claims"]:
        if c["holds"] is None:
            measured = r"\emph{" + latex_escape(c.get("reason") or "") + "}"
        else:
            measured = format_value(_short(c["numbers"]), digits=3, max_items=4)
        outcome = {True: r"\claimholds", False: r"\claimfails", None: r"\claimnotevaluated"}
        lines.append(f"{latex_escape(c['figure'])} & {latex_escape(c['claim'])} "
                     f"\\newline{{\\scriptsize\\texttt{{{latex_escape(c['id'])}}}}} & "
                     f"{{\\footnotesize {measured}}} & {outcome[c['holds']]} \\\\")
    lines.append(r"\end{longtable}")
    return "\n".join(lines) + "\n"


def _short(numbers: dict[str, Any], limit: int = 8) -> dict[str, Any]:
    """A claim's numbers for a table cell: at most ``limit`` leaves, nested keys joined."""
    flat = {".".join(path).replace("_", " "): value for path, value in _leaves(numbers)}
    keys = list(flat)[:limit]
    out = {k: flat[k] for k in keys}
    if len(flat) > limit:
        out["and"] = f"{len(flat) - limit} more in the claims file"
    return out


def readings_table(paper: str, cfg: dict[str, Any]) -> str:
    """The paper's [recon]/[lost]/[choice] readings with the values used, as a longtable."""
    lines = [
        f"\\begin{{longtable}}{{@{{}}{_columns(0.08, 0.34, 0.18, 0.32)}@{{}}}}",
        r"\toprule tag & what the paper leaves open & spec & value used \\ \midrule \endhead",
        r"\bottomrule \endfoot",
    ]
    for tag, item, spec, value in resolve(paper, cfg):
        lines.append(f"{TAGS[tag]} & {latex_escape(item)} & {{\\footnotesize "
                     f"{latex_escape(spec)}}} & {{\\footnotesize {latex_escape(value)}}} \\\\")
    lines.append(r"\end{longtable}")
    return "\n".join(lines) + "\n"


def published_tables(paper: str, m: MacroSet) -> str:
    """Tables of the paper's published numbers beside ours, every cell a macro of ``m``."""
    p = m.prefix
    name = published.NET_NAMES

    def cell(*parts: Any) -> str:
        macro = macro_name(p, *parts)
        if macro not in m.macros:
            raise KeyError(macro)
        return "\\" + macro

    if paper == "twobo":
        rows = [f"{'2D' if f == 'ea2d' else '3D'} EA & {size} & {cell('params', f, 'L', size, 'paper')}"
                f" & {cell('params', f, 'L', size, 'ours')} \\\\"
                for f, size in published.TWOBO_PARAMETERS]
        return _table("Trainable parameters of the single-layer TwoBo (Fig.~S1): the paper's "
                      "counts and this pipeline's", "llrr",
                      r"system & $L$ & paper & ours \\", rows)
    if paper == "h2arnn":
        rows = [f"{latex_escape(name[label])} & {cell('params', label, 'paper')} & "
                f"{cell('params', label, 'ours')} & {cell('params', label, 'trainable')} \\\\"
                for label in published.H2ARNN_SK_PARAMETERS]
        return _table(f"Parameters of the SK nets at $N = {cell('params', 'n')}$ (Fig.~5d): "
                      "the paper's, ours counted as the paper does (every stored entry), and "
                      "ours trainable (unmasked)", "lrrr",
                      r"net & paper & ours (paper's count) & ours (trainable) \\", rows)
    if paper == "mpvan":
        rows = [f"{latex_escape(name[label])} & {cell('table', 'two', label, 'paper')} & "
                f"{cell('table', 'two', label, 'paper', 'std')} & "
                f"{cell('table', 'two', label, 'ours')} & "
                f"{cell('table', 'two', label, 'ours', 'std')} & "
                f"{cell('table', 'two', label, 'ours', 'n')} \\\\"
                for label in published.MPVAN_TABLE2]
        table2 = _table("Table~2: mean residual energy per site on WPE and its standard "
                        "deviation over instances, the paper's and ours (at our largest WPE "
                        "$N$ each net ran; n/a: not run at this scale)", "lrrrrr",
                        r"net & paper & std & ours & std & our $N$ \\", rows)
        sizes = published.MPVAN_TABLE3_SIZES
        rows = [f"{latex_escape(name[label])} & "
                + " & ".join(cell("table", "three", label, "N", n, "paper") for n in sizes)
                + r" \\" for label in published.MPVAN_TABLE3]
        table3 = _table("Table~3: the paper's seconds per training step on an RTX 3090 "
                        "(this pipeline's CPU times per step: \\texttt{bench/mpvan.py}, "
                        "docs/mpvan.md)", "lrrr",
                        "net & " + " & ".join(f"$N = {n}$" for n in sizes) + r" \\", rows)
        # the paper's own tables, where its wing builds them (`arspin table`: Paper.paper_tables,
        # with the published values beside), replace these
        own = getattr(PAPERS[paper], "paper_tables", {})
        return ("" if "table2" in own else table2) + ("" if "table3" in own else "\n" + table3)
    return ""


def paper_table_inputs(paper: str, folder: str) -> str:
    """\\input of each of the paper's own tables (Paper.paper_tables: a LaTeX float per table,
    written by `arspin table` into ``folder``), in manifest order; a comment when it has none."""
    names = list(getattr(PAPERS[paper], "paper_tables", {}))
    if not names:
        return f"% {paper}: no tables of its own\n"
    return "".join(f"\\input{{{folder}/{name}.tex}}\n" for name in names)


def _table(caption: str, columns: str, head: str, rows: list[str]) -> str:
    return "\n".join([r"\begin{table}[htbp]\centering\small", f"\\caption{{{caption}}}",
                      f"\\begin{{tabular}}{{{columns}}}", r"\toprule", head, r"\midrule",
                      *rows, r"\bottomrule", r"\end{tabular}", r"\end{table}"]) + "\n"


__all__ = ["benchmark_seconds", "claims_table", "format_number", "mpvan_table2",
           "paper_macros", "paper_table_inputs", "prefix", "published_tables", "read_csv",
           "readings_table"]
