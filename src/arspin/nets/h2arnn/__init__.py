"""The nets of the H2ARNN paper (physics.md sections 4 and 6b), one module per family:
``cw`` (cw_n, cw_inf, one_param), ``sk`` (sk_rsb) and ``exact`` (h2arnn_exact).

Deliberately empty: importing one module of this package must not import the others (the
workflow's per-net code dependency is the import closure of the net's module, see
nets/registry.py).
"""
