"""Exact references: enumeration of all 2^N states (N <= 34), variable elimination on a tree
decomposition (sparse instances of treewidth <= 25) and the Curie-Weiss model."""

from .curie_weiss import (
    cw_free_energy_finite,
    cw_free_energy_infinite,
    cw_magnetization_infinite,
    cw_thermodynamics_finite,
    cw_thermodynamics_infinite,
)
from .enumeration import all_states, boltzmann_log_probs, ground_states, state_index, thermodynamics

__all__ = [
    "all_states",
    "boltzmann_log_probs",
    "cw_free_energy_finite",
    "cw_free_energy_infinite",
    "cw_magnetization_infinite",
    "cw_thermodynamics_finite",
    "cw_thermodynamics_infinite",
    "ground_states",
    "state_index",
    "thermodynamics",
]
