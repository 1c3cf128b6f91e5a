"""Instance statistics over the tidy tables, shared by the figures and the claims.

Everything the TwoBo figures plot and the claims test is an instance mean of a per-instance
quantity, with the standard error of that mean over instances (std with ddof 1 / sqrt(n);
NaN for a single instance). Several seeds of one (instance, net, protocol) are averaged first.
An instance is (set, index); betas are compared after rounding to 9 decimals (the grids agree
to ~1e-15, the tolerance of the aggregation is 1e-9).

Relative differences follow physics.md section 9: (X_net - X_ref) / |X_ref|, per instance,
then averaged. The reference is another net on the same instance (paired: only instances and
betas where both ran enter), the exact value, or the best value found for that instance.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from arspin.aggregate.table import Table

FAMILIES = ("ea2d", "ea3d", "rrg")
FAMILY_TITLES = {"ea2d": "2D EA", "ea3d": "3D EA", "rrg": "RRG (d = 3)"}
MAIN_PROTOCOL = "anneal"
REFERENCE_NET = "twobo"
EXACT = "exact"
_SWEEP = re.compile(r"K\d+")


def beta_key(beta: float) -> float:
    """Beta as a dictionary key (robust to last-digit differences between grids)."""
    return round(float(beta), 9)


def is_sweep_protocol(protocol: str) -> bool:
    """Protocols of the steps-per-beta sweep of Fig. 4 are named K<steps>, e.g. K16."""
    return bool(_SWEEP.fullmatch(protocol))


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


def _pair(a: dict[tuple, float], b: dict[tuple, float],
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


def _rel(a: float, b: float) -> float:
    return float(relative(a, b))


def _diff(a: float, b: float) -> float:
    return a - b


def versus_beta(fe: Table, *, family: str, size: int, net: str, reference: str,
                value: str = "free_energy", protocol: str = MAIN_PROTOCOL,
                absolute: bool = False) -> Paired:
    """Per instance and beta: (X_net - X_ref)/|X_ref| (or X_net - X_ref if ``absolute``).

    ``reference`` is a net label (paired on instance and beta) or "exact" (the column
    ``<value>_exact`` of the net's own rows). Rows: free_energy table of one family and size.
    """
    sub = fe.where(family=family, size=size, protocol=protocol)
    keys = ("set", "index", "beta")
    mine = seed_mean(sub.where(net=net), value, keys)
    ref = seed_mean(sub.where(net=net), f"{value}_exact", keys) if reference == EXACT \
        else seed_mean(sub.where(net=reference), value, keys)
    return _pair(mine, ref, _diff if absolute else _rel)


def emin_versus_size(em: Table, *, family: str, net: str, reference: str = REFERENCE_NET,
                     protocol: str = MAIN_PROTOCOL) -> Paired:
    """Per instance and size N: (E_min,net - E_min,ref)/|E_min,ref|; x = N.

    ``reference`` is a net label or "gs" (the ground-state reference e_gs of the row).
    """
    sub = em.where(family=family, protocol=protocol)
    keys = ("set", "index", "n")
    mine = seed_mean(sub.where(net=net), "e_min", keys)
    ref = seed_mean(sub.where(net=net), "e_gs", keys) if reference == "gs" \
        else seed_mean(sub.where(net=reference), "e_min", keys)
    return _pair(mine, ref, _rel)


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
        out[net] = _pair(d, expanded, _rel)
    return out, kind


def curves_at(curves: Table, *, family: str, size: int, beta: float, nets: Sequence[str],
              protocol: str = MAIN_PROTOCOL) -> tuple[dict[str, Paired], str]:
    """Fig. 3: per net, per instance and step in the block of ``beta``, F relative to the
    exact F (or to the lowest F of any net and step in that block); x = step."""
    sub = curves.where(family=family, size=size, protocol=protocol)
    sub = sub.mask(np.abs(sub["beta"] - beta) <= 1e-9)
    per_net = {net: seed_mean(sub.where(net=net), "free_energy", ("set", "index", "step"))
               for net in nets}
    per_net = {k: v for k, v in per_net.items() if v}
    exact = {k[:-1]: v for k, v in
             seed_mean(sub, "free_energy_exact", ("set", "index", "step")).items()}
    return relative_to_reference(per_net, exact)


def sweep_at(fe: Table, *, family: str, size: int, beta: float,
             nets: Sequence[str]) -> tuple[dict[str, Paired], str]:
    """Fig. 4: per net, per instance and steps-per-beta K (protocols K<n>), F at ``beta``
    relative to the exact F (or to the lowest F over all nets and K of that instance)."""
    sub = fe.where(family=family, size=size)
    sub = sub.mask(np.array([is_sweep_protocol(p) for p in sub["protocol"]], dtype=bool)
                   & (np.abs(sub["beta"] - beta) <= 1e-9))
    keys = ("set", "index", "steps_per_beta")
    per_net = {net: seed_mean(sub.where(net=net), "free_energy", keys) for net in nets}
    per_net = {k: v for k, v in per_net.items() if v}
    exact = {k[:-1]: v for k, v in seed_mean(sub, "free_energy_exact", keys).items()}
    return relative_to_reference(per_net, exact)


def sizes_with(table: Table, *, family: str, nets: Sequence[str],
               protocol: str = MAIN_PROTOCOL) -> list[int]:
    """Sizes of ``family`` at which every net in ``nets`` has rows with ``protocol``."""
    sub = table.where(family=family, protocol=protocol)
    found = [set(sub.where(net=net).unique("size")) for net in nets]
    return sorted(set.intersection(*found)) if found else []


def rnn_labels(fe: Table, family: str, size: int) -> list[str]:
    """RNN net labels (rnn, rnn-d2, ...) present at (family, size), by parameter count."""
    sub = fe.where(family=family, size=size, protocol=MAIN_PROTOCOL)
    labels = [n for n in sub.unique("net") if n.startswith("rnn")]
    return sorted(labels, key=lambda n: (int(sub.where(net=n)["n_params"].max()), n))


def nearest_beta(table: Table, beta: float) -> float:
    """The beta of the table's grid nearest to ``beta`` (the figures ask for round values)."""
    grid = np.unique(table["beta"])
    return float(grid[np.argmin(np.abs(grid - beta))])
