"""The H2ARNN paper's wing: *The autoregressive neural network architecture of the Boltzmann
distribution of pairwise interacting spins systems*.

Import-light manifest (see arspin.papers.base): every figure of the paper (docs/h2arnn.md).
"""

from arspin.papers.base import Paper

_F, _Q = "cw_free_energy", "cw_overlap"
_SK = ("sk_free_energy", "sk_params", "sk_overlap", "sk_overlap_exact", "sk_bracket")

PAPER = Paper(
    name="h2arnn",
    title=("The autoregressive neural network architecture of the Boltzmann distribution of "
           "pairwise interacting spins systems"),
    # Figs. 1-3 are the architecture diagrams, SI Figs. 1-2 the Gaussian-convolution fits:
    # drawn from their formulas, they read no tables.
    figures={"fig1": (), "fig2": (), "fig3": (), "fig4": (_F, _Q), "fig5": _SK,
             "fig6": ("sk_couplings", "sk_couplings_fit"), "figS1": (), "figS2": ()},
    figure_dir="figures/h2arnn",
    claim_tables=(_F, "sk_free_energy", "sk_params", "sk_bracket", "sk_couplings_fit"),
    report_category="H2ARNN paper",
)
