"""Aggregation pieces every paper's wing shares: result files -> tidy CSV tables.

    runs   -> reading run, exact and ground-state files; matching them by instance and beta
    table  -> Table, new_table / write_table / read_table(s): typed, byte-stable CSV
    stats  -> instance means, standard errors, paired relative differences

Which tables a paper has and how they are built: arspin.papers.<paper>.tables / .aggregate.
"""
