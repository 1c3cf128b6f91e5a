# ruff: noqa: N999
"""MPVAN Fig. S1: the message-passing variants (Sec. S-I), as Fig. 1: histograms of the sampled
residual energy per site of Hamiltonian MP (MPVAN), graph MP and weighted MP on the same WPE
instances (figures.md: the paper's order is Hamiltonian < graph < weighted).

Lines carry ``gid = "<net label>"`` (arspin.papers.mpvan.figures.fig1).
"""

from __future__ import annotations

from arspin.papers.mpvan.figures import fig1

OPTIONS = {**fig1.OPTIONS,
           "nets": (str, "mpvan,mp-graph,mp-weighted", "net labels, in legend order")}
build = fig1.build
