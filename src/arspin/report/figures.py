"""One LaTeX float per figure of a paper, captioned with the figure's `snakemake --report`
caption (workflow/report/<paper>/<fig>.rst), so the PDF and the HTML report say the same.

    rst_to_latex("**Fig. 2** uses \\|F\\|") -> "\\textbf{Fig. 2} uses |F|" (escaped)
    figure_floats(paper_prefix, figures, captions) -> LaTeX
"""

from __future__ import annotations

import re
from pathlib import Path

from arspin.report.macros import latex_escape, macro_name

# the inline markup the captions use: **bold**, *emphasis*, ``literal``
_INLINE = re.compile(r"\*\*(.+?)\*\*|\*(.+?)\*|``(.+?)``", flags=re.DOTALL)


def rst_to_latex(text: str) -> str:
    """A caption's reStructuredText (one paragraph of inline markup) as escaped LaTeX."""
    text = " ".join(text.split()).replace("\\|", "|").replace("\\*", "*")
    out, end = [], 0
    for match in _INLINE.finditer(text):
        out.append(latex_escape(text[end:match.start()]))
        bold, emph, literal = match.groups()
        if bold is not None:
            out.append(r"\textbf{" + latex_escape(bold) + "}")
        elif emph is not None:
            out.append(r"\emph{" + latex_escape(emph) + "}")
        else:
            out.append(r"\texttt{" + latex_escape(literal) + "}")
        end = match.end()
    out.append(latex_escape(text[end:]))
    return "".join(out)


def figure_floats(paper: str, figures: list[str], captions: dict[str, Path | None]) -> str:
    """A figure float per figure, in paper order: the PDF from the paper's figure folder
    (macro ``\\<Paper>Figdir``), the caption from its .rst (or its name when there is none),
    and a label fig:<paper>:<fig>."""
    folder = "\\" + macro_name(paper, "figdir")
    out = []
    for fig in figures:
        path = captions.get(fig)
        caption = (rst_to_latex(path.read_text(encoding="utf-8")) if path is not None
                   else latex_escape(f"{paper} {fig}"))
        out += [r"\begin{figure}[p]\centering",
                (f"\\includegraphics[width=\\linewidth,height=0.62\\textheight,keepaspectratio]"
                f"{{{folder}/{fig}.pdf}}"),
                f"\\caption{{{caption}}}\\label{{fig:{paper}:{fig}}}",
                r"\end{figure}", ""]
    return "\n".join(out)


__all__ = ["figure_floats", "rst_to_latex"]
