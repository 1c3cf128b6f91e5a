"""The TwoBo paper's wing: *Sparse Autoregressive Neural Networks for Classical Spin Systems*.

Import-light manifest (see arspin.papers.base); tables, aggregation, statistics, claims and
one module per figure live beside it.
"""

from arspin.papers.base import Paper

_F, _C, _E, _P = "free_energy", "curves", "energy_min", "parameters"

PAPER = Paper(
    name="twobo",
    title="Sparse Autoregressive Neural Networks for Classical Spin Systems",
    figures={"fig1": (), "fig2": (_F, _E), "fig3": (_C,), "fig4": (_F,), "figS1": (_P,),
             "figS2": (_F,), "figS3": (_F,)},
    figure_dir="figures",
    claim_tables=(_F, _C, _E, _P),
    report_category="TwoBo paper",
)
