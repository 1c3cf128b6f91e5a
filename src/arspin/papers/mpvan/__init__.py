"""The MPVAN paper's wing: *Message Passing Variational Autoregressive Network for Solving
Intractable Ising Models*.

Import-light manifest (see arspin.papers.base): the residual energies of the trained nets and
of SA/PT with the same sample budget (Figs. 4, 5, S7), their sampled residual-energy
histograms (Fig. 1), negative entropy and accuracy during annealing (Figs. 3, 6, S8), the
mechanism ablations (Figs. S1, S2), every instance (Fig. S3), spin orders (Fig. S4), layers
(Fig. S5), run spread (Fig. S6), the schematic (Fig. 2, no table), Tables 1-3 as CSV and
LaTeX, and the claims (docs/mpvan.md).
"""

from arspin.papers.base import Paper

PAPER = Paper(
    name="mpvan",
    title="Message Passing Variational Autoregressive Network for Solving Intractable Ising "
          "Models",
    figures={"fig1": ("histogram",), "fig2": (), "fig3": ("annealing",), "fig4": ("residual",),
             "fig5": ("residual",), "fig6": ("annealing",), "figS1": ("histogram",),
             "figS2": ("histogram",), "figS3": ("residual",), "figS4": ("residual",),
             "figS5": ("residual",), "figS6": ("residual",), "figS7": ("residual",),
             "figS8": ("annealing",)},
    figure_dir="figures/mpvan",
    claim_tables=("residual", "annealing"),
    report_category="MPVAN paper",
    paper_tables={"table1": ("residual",), "table2": ("residual",), "table3": ()},
)
