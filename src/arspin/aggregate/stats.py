"""Instance statistics over tidy tables, shared by every paper's figures and claims.

What the figures plot and the claims test is an instance mean of a per-instance quantity,
with the standard error of that mean over instances (std with ddof 1 / sqrt(n); NaN for a
single instance). Several seeds of one (instance, net, protocol) are averaged first. An
instance is (set, index); betas are compared after rounding to 9 decimals (the grids agree to
~1e-15, the tolerance of the aggregation is 1e-9).

Relative differences follow physics.md section 9: (X_net - X_ref) / |X_ref|, per instance,
then averaged. The reference is another net on the same instance (paired: only instances and
x values where both exist enter), the exact value, or the best value found for that instance.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from arspin.aggregate.table import Table

EXACT = "exact"


def beta_key(beta: float) -> float:
    """Beta as a dictionary key (robust to last-digit differences between grids)."""
    return round(float(beta), 9)


def relative(value: np.ndarray | float, reference: np.ndarray | float) -> np.ndarray:
    """(value - reference) / |reference|, elementwise, float64."""
    value, reference = np.asarray(value, np.float64), np.asarray(reference, np.float64)
    return (value - reference) / np.abs(reference)


@dataclass(frozen=True)
class Paired:
    """Per-instance values on a common x axis: values[k, j] for instance k at x[j] (NaN: none)."""

    x: np.ndarray
    instances: list[tuple]
    values: np.ndarray

    @property
    def count(self) -> np.ndarray:
        return np.sum(np.isfinite(self.values), axis=0)

    @property
    def mean(self) -> np.ndarray:
        with np.errstate(invalid="ignore"):
            total = np.nansum(self.values, axis=0)
            return np.where(self.count > 0, total / np.maximum(self.count, 1), np.nan)

    @property
    def se(self) -> np.ndarray:
        """Standard error of the instance mean; NaN where fewer than 2 instances."""
        out = np.full(self.x.shape, np.nan)
        for j in range(self.x.size):
            col = self.values[:, j][np.isfinite(self.values[:, j])]
            if col.size >= 2:
                out[j] = col.std(ddof=1) / np.sqrt(col.size)
        return out

    def __bool__(self) -> bool:
        return bool(self.x.size and np.isfinite(self.values).any())


def seed_mean(table: Table, value: str, keys: Sequence[str]) -> dict[tuple, float]:
    """Mean of column ``value`` over the rows sharing ``keys`` (i.e. over seeds); NaN skipped."""
    cols = [table[k].tolist() for k in keys]
    if "beta" in keys:
        j = list(keys).index("beta")
        cols[j] = [beta_key(b) for b in cols[j]]
    acc: dict[tuple, list[float]] = defaultdict(list)
    for key, v in zip(zip(*cols), table[value].tolist()):
        if np.isfinite(v):
            acc[key].append(v)
    return {k: float(np.mean(v)) for k, v in acc.items() if v}


def pair(a: dict[tuple, float], b: dict[tuple, float],
          combine: Callable[[float, float], float]) -> Paired:
    """Combine a and b (keys (set, index, x)) where both exist, as a Paired (x sorted)."""
    common = sorted(set(a) & set(b))
    xs = sorted({k[-1] for k in common})
    inst = sorted({k[:-1] for k in common})
    values = np.full((len(inst), len(xs)), np.nan)
    ri, cj = {k: r for r, k in enumerate(inst)}, {x: c for c, x in enumerate(xs)}
    for k in common:
        values[ri[k[:-1]], cj[k[-1]]] = combine(a[k], b[k])
    return Paired(np.array(xs, dtype=np.float64), inst, values)


def rel(a: float, b: float) -> float:
    return float(relative(a, b))


def diff(a: float, b: float) -> float:
    return a - b


def relative_to_reference(per_net: dict[str, dict[tuple, float]],
                          exact: dict[tuple, float]) -> tuple[dict[str, Paired], str]:
    """Relative to the exact value when every instance has one, else to the instance's best.

    Args:
        per_net: net -> {(set, index, x): value}.
        exact: {(set, index): exact value} (may be empty).
    Returns:
        (net -> Paired of (value - ref)/|ref|, "exact" or "best") where "best" is the lowest
        value over all nets and x of that instance.
    """
    instances = {k[:-1] for d in per_net.values() for k in d}
    if instances and all(i in exact for i in instances):
        ref, kind = exact, EXACT
    else:
        ref, kind = {}, "best"
        for d in per_net.values():
            for k, v in d.items():
                ref[k[:-1]] = min(v, ref.get(k[:-1], np.inf))
    out = {}
    for net, d in per_net.items():
        expanded = {k: ref[k[:-1]] for k in d}
        out[net] = pair(d, expanded, rel)
    return out, kind


def nearest_beta(table: Table, beta: float) -> float:
    """The beta of the table's grid nearest to ``beta`` (the figures ask for round values)."""
    grid = np.unique(table["beta"])
    return float(grid[np.argmin(np.abs(grid - beta))])
