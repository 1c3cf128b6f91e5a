"""TwoBo paper: the statistics its figures plot and its claims test (over its tables).

Nets are compared with the TwoBo net (:data:`REFERENCE_NET`) or the exact reference, on the
main annealing protocol (:data:`MAIN_PROTOCOL`), per family of Figs. 2-4 (:data:`FAMILIES`).
The generic pieces (instance means, standard errors, pairing) are arspin.aggregate.stats.

Net comparisons use the mean of the last 20 steps of each beta block (``<value>_last20``), not
the single last batch, whose noise is as large as the net-to-net gaps at paper scale. Their
uncertainty (:attr:`Compared.se_total`) is the larger of the standard error over instances and
the within-run noise of the instance mean, sqrt(sum_k s_k^2) / n with s_k the per-instance
noise of the compared quantity (from the ``_last20_se`` columns): with one instance, or with a
few that happen to agree, the batch noise still bounds how small a gap can be called real.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from arspin.aggregate.stats import (
    EXACT,
    Paired,
    beta_key,
    diff,
    nearest_beta,
    pair,
    rel,
    relative,
    relative_to_reference,
    seed_mean,
)
from arspin.aggregate.table import Table

__all__ = ["EXACT", "Paired", "beta_key", "nearest_beta", "relative", "seed_mean"]

FAMILIES = ("ea2d", "ea3d", "rrg")
FAMILY_TITLES = {"ea2d": "2D EA", "ea3d": "3D EA", "rrg": "RRG (d = 3)"}
MAIN_PROTOCOL = "anneal"
REFERENCE_NET = "twobo"
_SWEEP = re.compile(r"K\d+")


def is_sweep_protocol(protocol: str) -> bool:
    """Protocols of the steps-per-beta sweep of Fig. 4 are named K<steps>, e.g. K16."""
    return bool(_SWEEP.fullmatch(protocol))


LAST20 = "_last20"


@dataclass(frozen=True)
class Compared(Paired):
    """A :class:`Paired` comparison with the within-run noise of each entry.

    noise[k, j]: standard error of values[k, j] from the batch noise of the averaged steps
    (NaN where unknown, e.g. last-batch values); same shape as ``values``.
    """

    noise: np.ndarray | None = None

    @property
    def noise_se(self) -> np.ndarray:
        """Within-run noise of the instance mean: sqrt(sum_k noise_k^2) / n per x."""
        if self.noise is None:
            return np.zeros(self.x.shape)
        n = np.maximum(self.count, 1)
        return np.sqrt(np.nansum(np.where(np.isfinite(self.values), self.noise, 0.0) ** 2,
                                 axis=0)) / n

    @property
    def se_total(self) -> np.ndarray:
        """max(standard error over instances (0 with one instance), :attr:`noise_se`)."""
        return np.maximum(np.nan_to_num(self.se), self.noise_se)


def seed_mean_se(table: Table, column: str, keys: Sequence[str]) -> dict[tuple, float]:
    """Noise of the seed mean of a value whose per-row standard error is ``column``:
    sqrt(sum s^2) / m over the m rows sharing ``keys`` (NaN rows skipped; 0 if none)."""
    cols = [table[k].tolist() for k in keys]
    if "beta" in keys:
        j = list(keys).index("beta")
        cols[j] = [beta_key(b) for b in cols[j]]
    acc: dict[tuple, list[float]] = defaultdict(list)
    for key, v in zip(zip(*cols), table[column].tolist()):
        acc[key].append(v)
    out = {}
    for k, v in acc.items():
        arr = np.asarray(v, np.float64)
        arr = arr[np.isfinite(arr)]
        out[k] = float(np.sqrt(np.sum(arr ** 2)) / arr.size) if arr.size else 0.0
    return out


def versus_beta(fe: Table, *, family: str, size: int, net: str, reference: str,
                value: str = "free_energy", protocol: str = MAIN_PROTOCOL,
                absolute: bool = False, last20: bool = True) -> Compared:
    """Per instance and beta: (X_net - X_ref)/|X_ref| (or X_net - X_ref if ``absolute``).

    ``reference`` is a net label (paired on instance and beta) or "exact" (the column
    ``<value>_exact`` of the net's own rows). Rows: free_energy table of one family and size.
    With ``last20`` (default) X is the mean of the last 20 steps of the block
    (``<value>_last20``) and the result carries its noise; else the block's last batch.
    """
    sub = fe.where(family=family, size=size, protocol=protocol)
    keys = ("set", "index", "beta")
    column = value + LAST20 if last20 else value
    mine = seed_mean(sub.where(net=net), column, keys)
    ref = seed_mean(sub.where(net=net), f"{value}_exact", keys) if reference == EXACT \
        else seed_mean(sub.where(net=reference), column, keys)
    p = pair(mine, ref, diff if absolute else rel)
    if not last20:
        return Compared(p.x, p.instances, p.values)
    s_mine = seed_mean_se(sub.where(net=net), column + "_se", keys)
    s_ref = {} if reference == EXACT else \
        seed_mean_se(sub.where(net=reference), column + "_se", keys)
    noise = np.full(p.values.shape, np.nan)
    for r, inst in enumerate(p.instances):
        for c, x in enumerate(p.x):
            k = (*inst, beta_key(x))
            if k in mine and k in ref:
                spread = np.hypot(s_mine.get(k, 0.0), s_ref.get(k, 0.0))
                noise[r, c] = spread if absolute else spread / abs(ref[k])
    return Compared(p.x, p.instances, p.values, noise)


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
    return pair(mine, ref, rel)


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


def sweep_at(fe: Table, *, family: str, size: int, beta: float, nets: Sequence[str],
             value: str = "free_energy" + LAST20) -> tuple[dict[str, Paired], str]:
    """Fig. 4: per net, per instance and steps-per-beta K (protocols K<n>), F at ``beta``
    relative to the exact F (or to the lowest F over all nets and K of that instance). F is
    ``value``: the mean of the last min(20, K) steps of the block by default."""
    sub = fe.where(family=family, size=size)
    sub = sub.mask(np.array([is_sweep_protocol(p) for p in sub["protocol"]], dtype=bool)
                   & (np.abs(sub["beta"] - beta) <= 1e-9))
    keys = ("set", "index", "steps_per_beta")
    per_net = {net: seed_mean(sub.where(net=net), value, keys) for net in nets}
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
