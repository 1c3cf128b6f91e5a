"""What a finished workflow run built, told to the person who ran it (standard library only:
the Snakefile imports it whichever Python runs Snakemake).

    verdict(claim)                    -> "holds" | "does not hold" | "not evaluated"
    claims_html(claims, title)        -> the claims as an HTML table (the Snakemake report's)
    report_command(argv)              -> the `snakemake --report` command for this run's config
    write_claims_table(json, html, title)  the report's claims table (rule claims_table_<paper>)
    run_summary(papers, scale, ...)   -> the text the Snakefile's onsuccess handler prints
    failure_hint(argv)                -> the text its onerror handler prints
    rulegraph_one_node_per_rule(dag)  -> the report's rule graph, each rule drawn once

``claims`` is the content of results/claims/<paper>.json (`arspin claims`): a mapping with
``claims``, a list of {id, claim, figure, holds, status, reason, ...}.
"""

from __future__ import annotations

import html
import json
import os
import shlex
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

VERDICTS = {True: "holds", False: "does not hold", None: "not evaluated"}

#: snakemake options that choose the workflow, its folder and its config: a `--report` or
#: `--unlock` of the same run needs them; every other option (targets, cores) is dropped
RUN_OPTIONS = ("-s", "--snakefile", "-d", "--directory", "--configfile", "--configfiles",
               "--config", "-C", "--profile", "--workflow-profile")


@dataclass(frozen=True)
class PaperOutputs:
    """One paper's outputs at the configured scale, as the workflow names them."""

    name: str
    title: str
    figures: tuple[str, ...]   # the PDF paths
    claims: str                # the claims JSON path


def verdict(claim: dict) -> str:
    return VERDICTS[claim.get("holds")]


def read_claims(path: str | os.PathLike) -> dict | None:
    """The claims file, or None where it does not exist (yet) or cannot be read."""
    try:
        return json.loads(Path(path).read_text())
    except (OSError, ValueError):
        return None


def claims_html(claims: dict, title: str) -> str:
    """A self-contained HTML page: one row per claim (id, figure, verdict, claim, reason)."""
    rows = []
    for c in claims.get("claims", []):
        cells = (c.get("id", ""), c.get("figure", ""), verdict(c), c.get("claim", ""),
                 c.get("reason") or "")
        rows.append("<tr class=\"{}\">{}</tr>".format(
            verdict(c).replace(" ", "-"),
            "".join(f"<td>{html.escape(str(x))}</td>" for x in cells)))
    counts = count_text(claims)
    return (
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
        f"<title>{html.escape(title)}</title><style>"
        "body{font-family:sans-serif;font-size:14px}table{border-collapse:collapse}"
        "td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}"
        ".holds td:nth-child(3){color:#1a7f37}.does-not-hold td:nth-child(3){color:#cf222e;"
        "font-weight:bold}.not-evaluated td:nth-child(3){color:#888}</style></head><body>\n"
        f"<h3>{html.escape(title)}</h3><p>{html.escape(counts)}</p>\n<table>\n"
        "<tr><th>id</th><th>figure</th><th>verdict</th><th>claim</th><th>reason</th></tr>\n"
        + "\n".join(rows) + "\n</table></body></html>\n"
    )


def count_text(claims: dict) -> str:
    """E.g. "holds: 8, does not hold: 6" (verdicts with no claim left out)."""
    return ", ".join(f"{v}: {n}" for v, n in verdict_counts(claims).items() if n) or "no claims"


def write_claims_table(claims_json: str | os.PathLike, out: str | os.PathLike, title: str) -> None:
    claims = read_claims(claims_json)
    if claims is None:
        raise ValueError(f"{claims_json}: not a readable claims file (written by arspin claims)")
    Path(out).write_text(claims_html(claims, title))


def verdict_counts(claims: dict) -> dict[str, int]:
    counts = dict.fromkeys(VERDICTS.values(), 0)
    for c in claims.get("claims", []):
        counts[verdict(c)] += 1
    return counts


def run_options(argv: Sequence[str]) -> list[str]:
    """The options of a snakemake command line that select the workflow and its config."""
    kept, keep = [], False
    for arg in argv[1:]:
        if arg == "--":  # targets follow
            break
        name = arg.split("=", 1)[0]
        if arg.startswith("-"):
            keep = name in RUN_OPTIONS
            if keep:
                kept.append(arg)
        elif keep:
            kept.append(arg)
    return kept


def snakemake_command(argv: Sequence[str], *extra: str) -> str:
    """``argv[0]`` (relative to the current folder where inside it) with the run's options."""
    program = argv[0] if argv else "snakemake"
    if os.path.isabs(program):
        try:
            relative = os.path.relpath(program)
            program = relative if not relative.startswith("..") else program
        except ValueError:  # another drive
            pass
    return shlex.join([program, *run_options(argv), *extra])


def report_command(argv: Sequence[str], report: str = "report.html") -> str:
    return snakemake_command(argv, "--report", report)


def run_summary(papers: Sequence[PaperOutputs], scale: str, argv: Sequence[str],
                report: str = "report.html") -> str:
    """What the run leaves for its user: per paper, the figures that exist and the verdict of
    each claim; then where the report is (or how to make it)."""
    lines = [f"arspin: finished (scale {scale})."]
    newest = 0.0
    for p in papers:
        built = [f for f in p.figures if os.path.exists(f)]
        newest = max([newest, *(os.path.getmtime(f) for f in built)])
        lines.append(f"  {p.title} ({p.name}): {len(built)} of {len(p.figures)} figures")
        if built:
            lines.append(f"    {' '.join(built)}")
        missing = [f for f in p.figures if f not in built]
        if missing:
            lines.append(f"    not built yet: {' '.join(missing)}"
                         f" (run {snakemake_command(argv)} for all)")
        claims = read_claims(p.claims)
        if claims is None:
            lines.append(f"    claims: not evaluated yet ({p.claims})")
            continue
        lines.append(f"    claims ({p.claims}): {count_text(claims)}")
        width = max((len(c.get("id", "")) for c in claims.get("claims", [])), default=0)
        for c in claims.get("claims", []):
            reason = f"  ({c['reason']})" if c.get("reason") else ""
            lines.append(f"      {verdict(c):<14} {c.get('id', ''):<{width}}{reason}".rstrip())
    if not newest:  # no figure yet: nothing for a report to show
        return "\n".join(lines)
    if os.path.exists(report) and os.path.getmtime(report) >= newest:
        lines.append(f"  report: {report}")
    else:
        stale = " (report.html is older than these figures)" if os.path.exists(report) else ""
        lines.append(f"  report: {report_command(argv, report)}{stale}")
        lines.append("    collects every figure with its caption, the claims, run times and "
                     "the rule graph in one HTML file")
    return "\n".join(lines)


def failure_hint(argv: Sequence[str]) -> str:
    """What to do after a failed run (the failed job's log is printed above this)."""
    again = snakemake_command(argv)
    return "\n".join([
        "arspin: the run stopped at a failed job; its log is printed above (\"Logfile ...\").",
        "  Outputs that were finished are kept: fix the cause and run the same command again,",
        "  only the missing and outdated jobs run.",
        "  If a later run says \"Directory cannot be locked\" and no other snakemake is running",
        f"  on this folder (after a kill or a power loss): {snakemake_command(argv, '--unlock')}",
        f"  then: {again}",
        "  (the jobs a kill interrupted rerun: this project's profiles set rerun-incomplete;",
        "  with --profile none add --rerun-incomplete; docs/workflow.md, \"After a kill\")",
    ])


def rulegraph_one_node_per_rule(dag) -> tuple[dict, int, int]:
    """The rule graph of `snakemake --report` with one node per rule.

    Snakemake's own (snakemake.report.rulegraph_spec, 9.x) keeps one node per rule *per
    topological level of the job DAG*, so a rule whose jobs sit at several depths is drawn
    several times: a paper's aggregation builds the parameter table from no run (depth 0),
    Fig. 3's tables from runs (depth 2) and Fig. 2's from the ground states (depth 4), and was
    drawn three times. Same data structure here (nodes, links, direct links; x and y extent),
    one node per rule ranked by its longest path in the graph of rules, one link per pair of
    dependent rules. The Snakefile puts it in place of Snakemake's; only the drawing changes.
    """
    edges = {(dep.rule.name, job.rule.name) for job in dag.jobs for dep in dag.dependencies[job]
             if dep.rule.name != job.rule.name}
    rules = {job.rule.name for job in dag.jobs}
    rank = dict.fromkeys(rules, 0)
    for _ in range(len(rules)):  # longest path; a cycle between rules stops after |rules| rounds
        changed = False
        for source, target in edges:
            if rank[target] <= rank[source]:
                rank[target], changed = rank[source] + 1, True
        if not changed:
            break
    order = sorted(rules, key=lambda r: (rank[r], r))
    idx = {r: i for i, r in enumerate(order)}
    nodes = [{"rule": r, "fx": 10, "fy": i * 50} for i, r in enumerate(order)]
    links = [{"target": idx[t], "source": idx[s], "sourcerule": s, "targetrule": t, "value": 1}
             for s, t in sorted(edges)]
    direct = [link for link in links if link["target"] - link["source"] == 1]
    spec = {"nodes": nodes, "links": [link for link in links if link not in direct],
            "links_direct": direct}
    return spec, 100, max((n["fy"] for n in nodes), default=0)
