"""The reproduction report's generated LaTeX (paper/arspin.tex inputs these files).

    macros.py     macro names (letters only), LaTeX escaping, number formatting, atomic files
    numbers.py    one paper's numbers as macros; its claims, readings and published tables
    readings.py   every [recon]/[lost]/[choice] item of the spec and the value that ran
    published.py  the papers' own numbers recorded in the spec, printed beside ours
    figures.py    one float per figure, captioned from workflow/report/<paper>/<fig>.rst

The CLI verb is ``arspin report-tex`` (arspin.commands.report_tex); the rules are in
workflow/rules/report.smk; docs/report.md describes the report and its macros.
"""
