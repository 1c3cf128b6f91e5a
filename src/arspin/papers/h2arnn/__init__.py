"""The H2ARNN paper's wing: *The autoregressive neural network architecture of the Boltzmann
distribution of pairwise interacting spins systems*.

Import-light manifest (see arspin.papers.base). Built so far: the Curie-Weiss results (Fig. 4)
and their claims; the SK results (Fig. 5), the coupling-learning figure (Fig. 6), the
architecture diagrams (Figs. 1-3) and the SI fits are not yet (docs/h2arnn.md).
"""

from arspin.papers.base import Paper

_F, _Q = "cw_free_energy", "cw_overlap"

PAPER = Paper(
    name="h2arnn",
    title=("The autoregressive neural network architecture of the Boltzmann distribution of "
           "pairwise interacting spins systems"),
    figures={"fig4": (_F, _Q)},
    figure_dir="figures/h2arnn",
    claim_tables=(_F,),
    report_category="H2ARNN paper",
)
