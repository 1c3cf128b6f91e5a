"""Trainable-parameter counts of TwoBo and MADE without training (TwoBo Fig. S1).

TwoBo (single dense layer, physics.md section 5): one bias per site, one weight per frontier
field xi_il (l in F_i) and one skip weight per site whose skip field can be non-zero,

    count = 1 + (N - 1) + sum_{i >= 1} (|F_i| + skip_i)            (2D L=4: 101, L=16: 7,709)

where skip_i = 1 if spin i has an earlier neighbour or a field (the net's own rule). MADE with
one masked layer: N(N-1)/2 weights + N biases = N(N+1)/2. Counts come from the frontier of
generated instances (arspin.instances.generate) by each net's own count
(arspin.nets.registry.param_count), so they are the counts of the nets that run.

RRG counts depend on the spin labels: on the paper's own graphs (seed rule 'twobo-reference',
networkx insertion order, mean |i - j| / N = 0.25) TwoBo has 0.503 of MADE's parameters at
N = 1024 (mean of the 10 instances), on freshly labelled graphs (seed rule 'default', uniform
labels) 0.60. The default is the paper's graphs; the table's ``seed_rule`` column says which.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence

import numpy as np

from arspin.aggregate.table import Table, new_table
from arspin.papers.twobo.tables import SCHEMAS

log = logging.getLogger("arspin")

# The TwoBo reference's ranges (figures.md, Fig. S1); RRG as the mean over instances.
PARAMETER_SIZES: dict[str, tuple[int, ...]] = {
    "ea2d": tuple(range(2, 65)),
    "ea3d": tuple(range(2, 25)),
    "rrg": (32, 64, 128, 256, 512, 1024),
}
# EA frontiers depend only on the lattice (+-J couplings are never zero), so one instance
# suffices there; for L = 2 doubled periodic bonds can cancel, which index 0 just records.
PARAMETER_INSTANCES: dict[str, int] = {"ea2d": 1, "ea3d": 1, "rrg": 10}
# Seed rule of the counted instances per family (others: "default"); see the module docstring.
PARAMETER_SEED_RULES: dict[str, str] = {"rrg": "twobo-reference"}


def parameter_table(sizes: Mapping[str, Sequence[int]] = PARAMETER_SIZES,
                    instances: Mapping[str, int] = PARAMETER_INSTANCES,
                    seed_rules: Mapping[str, str] = PARAMETER_SEED_RULES) -> Table:
    """The ``parameters`` table: per (family, size) the TwoBo and MADE counts.

    Args:
        sizes: family -> sizes (L for lattices, N for rrg).
        instances: family -> number of instances (indices 0..k-1) to average over (default 1).
        seed_rules: family -> seed rule of those instances (default "default").
    Returns:
        Table with one row per (family, size, net in {twobo, made}); ``n_params`` is the mean
        over instances (float; an integer for lattices), ``n_instances`` how many,
        ``seed_rule`` the rule of the counted instances.
    """
    from arspin.instances import generate  # networkx import, only needed here
    from arspin.nets.registry import param_count  # each net's own closed-form count

    rows = []
    for family in sorted(sizes):
        count = int(instances.get(family, 1))
        rule = str(seed_rules.get(family, "default"))
        for size in sorted(sizes[family]):
            models = [generate(family, int(size), index, seed_rule=rule)
                      for index in range(count)]
            n = models[0].n
            rows.append({"family": family, "seed_rule": rule, "size": int(size), "n": n,
                         "net": "twobo",
                         "n_params": float(np.mean([param_count("twobo", m) for m in models])),
                         "n_instances": count})
            rows.append({"family": family, "seed_rule": rule, "size": int(size), "n": n,
                         "net": "made", "n_params": float(param_count("made", models[0])),
                         "n_instances": count})
        log.info("parameter counts: %s sizes %s..%s", family, min(sizes[family]),
                 max(sizes[family]))
    return new_table("parameters", rows, SCHEMAS["parameters"])


def scaling_exponent(n: np.ndarray, count: np.ndarray, min_n: int = 0) -> float:
    """Least-squares slope of log(count) against log(N) over the points with N >= min_n."""
    n, count = np.asarray(n, np.float64), np.asarray(count, np.float64)
    keep = n >= min_n
    if keep.sum() < 2:
        return float("nan")
    return float(np.polyfit(np.log(n[keep]), np.log(count[keep]), 1)[0])
