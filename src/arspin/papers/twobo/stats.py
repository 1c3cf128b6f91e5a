"""TwoBo paper: the statistics its figures plot and its claims test (over its tables).

Nets are compared with the TwoBo net (:data:`REFERENCE_NET`) or the exact reference, on the
main annealing protocol (:data:`MAIN_PROTOCOL`), per family of Figs. 2-4 (:data:`FAMILIES`).
The generic pieces (instance means, standard errors, pairing) are arspin.aggregate.stats.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

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
    return pair(mine, ref, diff if absolute else rel)


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
