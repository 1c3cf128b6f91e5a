"""The papers' own published numbers that the spec records (shared/spec/figures.md), for the
report to print beside what the pipeline measured. Transcribed once here, with where each
comes from; nothing in the pipeline computes them.
"""

from __future__ import annotations

# TwoBo Fig. S1: trainable parameters of the single-layer TwoBo, (family, L) -> count
# (figures.md, "Fig. S1": 2D L = 4, 16, 32 and 3D L = 4)
TWOBO_PARAMETERS: dict[tuple[str, int], int] = {
    ("ea2d", 4): 101, ("ea2d", 16): 7_709, ("ea2d", 32): 63_549, ("ea3d", 4): 1_429,
}

# H2ARNN Fig. 5d at N = 200: parameters per net (figures.md, "Fig. 5", panel d); keys are the
# config's net labels (the paper's names: 1L, SK_RS, SK_1RSB, SK_2RSB, MADE_23, MADE_32)
H2ARNN_SK_PARAMETERS_N = 200
H2ARNN_SK_PARAMETERS: dict[str, int] = {
    "1l": 40_200, "sk-rs": 119_800, "sk-1rsb": 199_400, "sk-2rsb": 279_000,
    "made23": 241_400, "made32": 321_800,
}

# MPVAN Table 2: mean residual energy per site over the WPE instances, and its std over
# instances (figures.md, "Table 2"); keys are the config's net labels
MPVAN_TABLE2: dict[str, tuple[float, float]] = {
    "van": (0.03163008, 0.00245206), "vca": (0.02993632, 0.00322317),
    "gcon-van": (0.06354465, 0.00547017), "mpvan": (0.01890272, 0.00214708),
    "mp-graph": (0.02790873, 0.00227124), "mp-weighted": (0.03157805, 0.00265405),
    "mp-spin-gcn": (0.28992669, 0.02453801), "mp-graph-spin": (0.02700393, 0.00218599),
}

# MPVAN Table 3 (printed "Tab. 2" in Sec. S-V): seconds per training step on one RTX 3090
MPVAN_TABLE3_SIZES = (30, 60, 90)
MPVAN_TABLE3: dict[str, tuple[float, float, float]] = {
    "mpvan": (0.042, 0.068, 0.093), "van": (0.052, 0.087, 0.132), "vca": (0.118, 0.486, 0.952),
}

# display names of the config's net labels (the papers' own names)
NET_NAMES: dict[str, str] = {
    "twobo": "TwoBo", "made": "MADE", "rnn": "RNN", "1l": "1L", "1p": "1P", "cw-n": "CW_N",
    "cw-inf": "CW_inf", "made21": "MADE_21", "made22": "MADE_22", "sk-rs": "SK_RS",
    "sk-1rsb": "SK_1RSB", "sk-2rsb": "SK_2RSB", "made23": "MADE_23", "made32": "MADE_32",
    "mpvan": "MPVAN", "van": "VAN", "vca": "VCA", "gcon-van": "GCon-VAN",
    "mp-graph": "Graph MP", "mp-weighted": "Weighted MP", "mp-spin-gcn": "Spin GCon-VAN",
    "mp-graph-spin": "Graph Spin MP",
}

__all__ = ["H2ARNN_SK_PARAMETERS", "H2ARNN_SK_PARAMETERS_N", "MPVAN_TABLE2", "MPVAN_TABLE3",
           "MPVAN_TABLE3_SIZES", "NET_NAMES", "TWOBO_PARAMETERS"]
