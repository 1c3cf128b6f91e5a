"""The MPVAN paper's wing: *Message Passing Variational Autoregressive Network for Solving
Intractable Ising Models*.

Import-light manifest (see arspin.papers.base). Built so far: the residual energies of the
trained nets and of SA/PT with the same sample budget (Figs. 4, 5, S7), their sampled
residual-energy histograms (Fig. 1), negative entropy and accuracy during annealing (Figs. 3,
6), the mechanism ablations (Figs. S1, S2), every instance (Fig. S3), the schematic (Fig. 2, no
table) and the claims; Figs. S4-S6, S8 and the tables as LaTeX are not yet (docs/mpvan.md).
"""

from arspin.papers.base import Paper

PAPER = Paper(
    name="mpvan",
    title="Message Passing Variational Autoregressive Network for Solving Intractable Ising "
          "Models",
    figures={"fig1": ("histogram",), "fig2": (), "fig3": ("annealing",), "fig4": ("residual",),
             "fig5": ("residual",), "fig6": ("annealing",), "figS1": ("histogram",),
             "figS2": ("histogram",), "figS3": ("residual",), "figS7": ("residual",)},
    figure_dir="figures/mpvan",
    claim_tables=("residual", "annealing"),
    report_category="MPVAN paper",
)
