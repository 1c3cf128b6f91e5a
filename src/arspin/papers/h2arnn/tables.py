"""H2ARNN paper: the columns of its tidy tables (import-light: no numpy).

Units: every thermodynamic column is per spin in units of J (k_B = 1); beta is 1/energy.
"""

from __future__ import annotations

from arspin.aggregate.table import RUN_LABELS as LABELS
from arspin.aggregate.table import Schema

SCHEMAS: dict[str, Schema] = {
    # one row per (Curie-Weiss run, beta of its grid)
    "cw_free_energy": LABELS + (
        ("net_family", "str"), ("variant", "str"), ("n_params", "int"), ("beta", "float"),
        ("steps", "int"), ("collected", "int"),
        ("free_energy", "float"), ("free_energy_std", "float"),
        ("free_energy_se", "float"),         # F_std / sqrt(collected * batch)
        ("free_energy_dp", "float"),         # exact F_q (DP over M), mean over the same steps
        ("free_energy_exact", "float"),      # finite-N Curie-Weiss f_N (physics.md section 7)
        ("exact_method", "str"),
        ("abs_error", "float"),              # free_energy - free_energy_exact
        ("rel_error", "float"),              # abs_error / |free_energy_exact|
        ("dp_abs_error", "float")),          # free_energy_dp - free_energy_exact
    # one row per (P(q) run, overlap bin): the net after its last beta stage
    "cw_overlap": LABELS + (
        ("beta", "float"), ("binning", "str"), ("samples", "int"), ("q", "float"),
        ("density", "float")),
}
