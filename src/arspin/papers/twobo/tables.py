"""TwoBo paper: the columns of its tidy tables (import-light: no numpy).

Units (docs/figures.md): every thermodynamic column is per spin, beta is 1/energy. The
``*_last20`` columns are the mean of the last min(20, K) steps of a beta block and ``*_se`` its
standard error (std with ddof 1 / sqrt(window)); the plain columns are the block's last step.
"""

from __future__ import annotations

from arspin.aggregate.table import RUN_LABELS as LABELS
from arspin.aggregate.table import Schema

SCHEMAS: dict[str, Schema] = {
    "free_energy": LABELS + (
        ("net_family", "str"), ("variant", "str"), ("steps_per_beta", "int"), ("batch", "int"),
        ("n_params", "int"), ("beta", "float"), ("free_energy", "float"),
        ("free_energy_std", "float"), ("free_energy_last20", "float"),
        ("free_energy_last20_se", "float"), ("energy", "float"), ("energy_last20", "float"),
        ("energy_last20_se", "float"), ("energy_min", "float"), ("entropy", "float"),
        ("entropy_last20", "float"), ("entropy_last20_se", "float"),
        ("abs_magnetization", "float"),
        ("free_energy_exact", "float"), ("energy_exact", "float"), ("entropy_exact", "float"),
        ("exact_method", "str")),
    "curves": LABELS + (("beta", "float"), ("step", "int"), ("free_energy", "float"),
                        ("free_energy_exact", "float")),
    "energy_min": LABELS + (
        ("net_family", "str"), ("variant", "str"), ("n_params", "int"), ("e_min", "float"),
        ("e_gs", "float"), ("gs_method", "str"), ("gs_proven", "bool"), ("hits_gs", "bool")),
    "parameters": (("family", "str"), ("seed_rule", "str"), ("size", "int"), ("n", "int"),
                   ("net", "str"), ("n_params", "float"), ("n_instances", "int")),
}
