"""What a paper's wing declares to the rest of arspin (import-light: standard library only).

A wing is a package ``arspin.papers.<name>`` whose ``__init__`` defines ``PAPER``, a
:class:`Paper`, and nothing heavy, so that the Snakefile and ``arspin --help`` can read every
paper's figure and table lists without importing numpy, matplotlib or JAX. The wing's modules:

    tables.py        SCHEMAS: table name -> columns (arspin.aggregate.table.Schema)
    aggregate.py     OPTIONS and build(inputs, tables, **options) -> {name: Table}
    claims.py        evaluate(tables) -> [Claim]
    figures/<fig>.py OPTIONS and build(tables, **options) -> matplotlib Figure
    paper_tables/<table>.py  OPTIONS and build(tables, **options) -> PaperTable (the paper's
                     own tables, written as CSV and LaTeX by `arspin table`)
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Paper:
    """One paper of the pipeline.

    Attributes:
        name: registry key and folder name, e.g. "twobo".
        title: the paper's title.
        figures: figure name -> the tables it reads (in its tables folder), in paper order.
        figure_dir: where its figures go at the default scale, e.g. "figures" (the primary
            paper: figures/fig2.pdf) or "figures/h2arnn".
        claim_tables: the tables its claims read (from the tables folder ``all``).
        report_category: heading of its figures in ``snakemake --report``.
        paper_tables: the paper's own tables (e.g. "table1") -> the aggregated tables each
            reads, like ``figures``; written as CSV + LaTeX (arspin.paper_tables).
    """

    name: str
    title: str
    figures: dict[str, tuple[str, ...]]
    figure_dir: str
    claim_tables: tuple[str, ...] = ()
    report_category: str = ""
    paper_tables: dict[str, tuple[str, ...]] = field(default_factory=dict)
    table_groups: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        # One tables folder per figure or paper table that reads tables, plus `all` for the
        # claims
        reads = {**self.figures, **self.paper_tables}
        groups = tuple(f for f, t in reads.items() if t) + ("all",)
        object.__setattr__(self, "table_groups", groups)

    def tables_of(self, group: str) -> tuple[str, ...]:
        """The tables of one tables folder (a figure's, a paper table's, or `all`: the
        claims')."""
        if group == "all":
            return self.claim_tables
        return {**self.figures, **self.paper_tables}[group]

    def module(self, part: str) -> str:
        """Dotted name of one of the wing's modules, e.g. module("claims")."""
        return f"arspin.papers.{self.name}.{part}"

    def figure_module(self, figure: str) -> str:
        return self.module(f"figures.{figure}")

    def paper_table_module(self, table: str) -> str:
        return self.module(f"paper_tables.{table}")
