"""MPVAN paper: the columns of its tidy tables (import-light: no numpy).

Energies: ``e_min``, ``e_ground`` are TOTAL energies H (the paper's E_min and E_g);
``residual``, ``neg_entropy`` and the free energies are per spin; ``kl`` is total (nats).
"""

from __future__ import annotations

from arspin.aggregate.table import RUN_LABELS as LABELS
from arspin.aggregate.table import Schema

SCHEMAS: dict[str, Schema] = {
    # one row per training run (its final net's N_final fresh samples, mpvan.md section 4) and
    # per SA / PT run with the same budget
    "residual": LABELS + (
        ("net_family", "str"), ("variant", "str"), ("n_params", "int"),
        ("layers", "int"),                   # the net's layers (Fig. S5); 0 for SA / PT
        ("spin_order", "int"),               # the instance's spin order (Fig. S4; 0: index)
        ("mean_degree", "float"),            # 2 E / N of the instance
        ("beta_final", "float"), ("samples", "int"),
        ("e_min", "float"),                  # min H over the final samples (total)
        ("e_mean", "float"),                 # their mean H (total; NaN for SA / PT)
        ("neg_entropy", "float"),            # mean ln q / N of the final samples (-S / N)
        ("e_ground", "float"),               # E_g (total)
        ("ground_method", "str"),            # 'planted' (WPE) or 'enumeration'
        ("residual", "float"),               # (e_min - e_ground) / N
        ("ratio", "float"),                  # e_min / e_ground (approximation ratio, <= 1)
        ("sampled_mean", "float"),           # mean of (E - E_g) / N over the final samples
        ("sampled_std", "float")),           # their std (Table 1; NaN for SA / PT)
    # one row per training run and annealing temperature (Figs. 3, 6)
    "annealing": LABELS + (
        ("lr", "float"),                     # the run's Adam learning rate (Fig. S8)
        ("beta", "float"),
        ("neg_entropy", "float"),            # -S / N = mean ln q / N of the training batches
        ("free_energy", "float"),            # variational F_q per spin (training batches)
        ("free_energy_std", "float"),        # std(beta H + ln q) / (beta N)
        ("f_exact", "float"),                # exact F per spin by enumeration (NaN beyond)
        ("rel_error", "float"),              # (F_q - F) / |F|
        ("kl", "float")),                    # KL(q || P_B) = beta N (F_q - F), nats
    # per run, counts of the final samples' residual energy per site in fixed bins (Fig. 1)
    "histogram": LABELS + (
        ("bin_low", "float"), ("bin_high", "float"), ("count", "int")),
}
