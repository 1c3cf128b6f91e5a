# The report's input functions (report.smk holds its rules).

import shutil
import subprocess

REPORT_PARTS = ("numbers", "claims", "readings", "published", "figures", "tables")


def git_revision():
    """The workflow's git revision (-dirty with uncommitted changes), or "unversioned"."""
    try:
        proc = subprocess.run(
            ["git", "-C", workflow.basedir, "describe", "--always", "--dirty", "--abbrev=12"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return "unversioned"
    revision = proc.stdout.strip()
    return revision if proc.returncode == 0 and revision else "unversioned"


def report_config(paper):
    """The config slice a paper's report reads (its block, the instance sets, ground states)."""
    return json_arg(
        {
            "scale": config["scale"],
            "paper": paper_block(paper),
            "instance_sets": config["instance_sets"],
            "groundstate": config["groundstate"],
        }
    )


def report_captions(paper):
    """The figures' captions of a paper (workflow/report/<paper>/<fig>.rst) that exist."""
    folder = os.path.join(workflow.basedir, "workflow", "report", paper)
    return [
        os.path.join(folder, f"{fig}.rst")
        for fig in PAPERS[paper].figures
        if os.path.exists(os.path.join(folder, f"{fig}.rst"))
    ]


def report_paper_tables(paper):
    """The paper's own tables as LaTeX (Paper.paper_tables; `arspin table`)."""
    return [
        f"results/{paper}/{config['scale']}/paper_tables/{t}.tex"
        for t in getattr(PAPERS[paper], "paper_tables", {})
    ]


def report_generated():
    return ["paper/generated/run.tex"] + [
        f"paper/generated/{p}/{part}.tex" for p in built_papers() for part in REPORT_PARTS
    ]


def report_targets():
    """The report in the default target: the generated LaTeX always, the PDF with TeX."""
    if shutil.which("latexmk") is None:
        logger.warning(
            "paper/arspin.pdf is left out of the default target: latexmk is not on the PATH "
            "(bash scripts/setup-tex.sh installs Debian's TeX packages)"
        )
        return report_generated()
    return report_generated() + ["paper/arspin.pdf"]
