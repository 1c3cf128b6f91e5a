"""Aggregation: result files -> tidy CSV tables that the figures and claims read.

    aggregate_twobo(runs, exact, groundstates, instances) -> {"free_energy", "curves",
                                                              "energy_min"} tables
    parameter_table(sizes, instances)                     -> the Fig. S1 "parameters" table
    write_table / read_table / Table                      -> typed CSV I/O (table.py)
    stats                                                 -> instance means, standard errors,
                                                             relative differences

Column lists and units: :data:`arspin.aggregate.table.SCHEMAS` and docs/figures.md.
"""

from arspin.aggregate.parameters import (
    PARAMETER_INSTANCES,
    PARAMETER_SIZES,
    made_count,
    parameter_table,
    scaling_exponent,
    twobo_count,
)
from arspin.aggregate.table import SCHEMAS, Table, new_table, read_table, write_table
from arspin.aggregate.twobo import (
    BETA_TOL,
    DEFAULT_CURVE_BETAS,
    aggregate_twobo,
    describe_variant,
    match_betas,
    run_labels,
)

__all__ = [
    "BETA_TOL", "DEFAULT_CURVE_BETAS", "PARAMETER_INSTANCES", "PARAMETER_SIZES", "SCHEMAS",
    "Table", "aggregate_twobo", "describe_variant", "made_count", "match_betas", "new_table",
    "parameter_table", "read_table", "run_labels", "scaling_exponent", "twobo_count",
    "write_table",
]
