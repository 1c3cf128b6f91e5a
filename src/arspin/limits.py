"""Size limits of the exact methods, in one import-light module (standard library only).

The solvers enforce them (arspin.exact.enumeration, arspin.exact.tree_decomposition) and the
command line quotes them (`arspin --help`, `arspin exact --help`), so the two cannot disagree;
reading them costs `arspin --help` no numpy or scipy import.
"""

#: enumeration of all 2^N states (thermodynamics, in chunks): possible up to this N
ENUMERATION_MAX_N = 34
#: `arspin exact --method auto` enumerates up to this N (2^24 states: seconds,
#: bench/enumeration.py) and uses the tree decomposition beyond
AUTO_ENUMERATION_MAX_N = 24
#: tree decomposition: largest treewidth (TreeDecompositionSampler's max_treewidth; tables of
#: 2^width entries)
TREE_MAX_WIDTH = 25
