# ruff: noqa: N999
"""MPVAN Fig. S2: the spin-aware ablations (Eqs. S1, S2), as Fig. 1: histograms of the sampled
residual energy per site of MPVAN, graph MP, graph spin MP, GCon-VAN and spin GCon-VAN on the
same WPE instances (figures.md: spins help graph MP a little and hurt GCon-VAN badly).

Lines carry ``gid = "<net label>"`` (arspin.papers.mpvan.figures.fig1).
"""

from __future__ import annotations

from arspin.papers.mpvan.figures import fig1

OPTIONS = {**fig1.OPTIONS,
           "nets": (str, "mpvan,mp-graph,mp-graph-spin,gcon-van,mp-spin-gcn",
                    "net labels, in legend order")}
build = fig1.build
