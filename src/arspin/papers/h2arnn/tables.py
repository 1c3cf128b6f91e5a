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
    # one row per (SK run, beta of its grid); references matched by instance and beta
    "sk_free_energy": LABELS + (
        ("net_family", "str"), ("variant", "str"),
        ("rsb_k", "int"),                    # k of an sk_rsb net (0 = RS), -1 for other nets
        ("n_params", "int"), ("beta", "float"),
        ("steps", "int"), ("collected", "int"),
        ("free_energy", "float"), ("free_energy_std", "float"), ("free_energy_se", "float"),
        ("free_energy_paper_ref", "float"),  # the paper's reference: its SK_2RSB net, same run
        ("rel_paper_ref", "float"),          # (F - F_2RSB) / |F_2RSB| (Fig. 5a-c as published)
        ("free_energy_exact", "float"),      # enumeration (NaN where N is too large)
        ("free_energy_pt", "float"),         # parallel tempering + TI (NaN where not run)
        ("free_energy_pt_se", "float"),
        ("reference_method", "str"),         # the independent reference: enumeration, else PT
        ("free_energy_ref", "float"),
        ("free_energy_ref_se", "float"),     # 0 for enumeration
        ("rel_ref", "float")),               # (F - F_ref) / |F_ref|
    # one row per (SK run of `bracket_protocol`): its final net at its last beta
    "sk_bracket": LABELS + (
        ("net_family", "str"), ("n_params", "int"), ("beta", "float"),
        ("free_energy_q", "float"),          # variational F_q (upper bound), reported value
        ("free_energy_q_se", "float"),
        ("free_energy_nis", "float"),        # -ln Z_hat / (beta N), ln Z_hat by importance sampling
        ("free_energy_nis_se", "float"),
        ("ess", "float"), ("nis_samples", "int"),
        ("free_energy_lower", "float"),      # E_P[H + ln q / beta] / N over Boltzmann samples
        ("free_energy_lower_se", "float"),
        ("boltzmann_samples", "int"), ("boltzmann_source", "str"),
        ("free_energy_exact", "float"), ("free_energy_pt", "float"),
        ("free_energy_pt_se", "float")),
    # one row per (SK P(q) run, overlap bin), not folded (the figure folds)
    "sk_overlap": LABELS + (
        ("beta", "float"), ("binning", "str"), ("samples", "int"), ("q", "float"),
        ("density", "float")),
    # one row per (enumerable SK instance of the P(q) runs, overlap bin): exact P(q) by WHT
    "sk_overlap_exact": (
        ("set", "str"), ("size", "int"), ("n", "int"), ("index", "int"), ("beta", "float"),
        ("binning", "str"), ("q", "float"), ("density", "float")),
    # one row per pair (l, s), s < l, of a first-layer fit (Fig. 6, arspin learn-couplings)
    "sk_couplings": (
        ("set", "str"), ("size", "int"), ("n", "int"), ("index", "int"), ("row", "int"),
        ("col", "int"), ("coupling", "float"), ("weight_init", "float"), ("weight", "float")),
    # one row per fit: the sampler's quality and the |w| vs |J| regression (OLS, Pearson r)
    "sk_couplings_fit": (
        ("set", "str"), ("size", "int"), ("n", "int"), ("index", "int"), ("beta", "float"),
        ("sampler", "str"), ("samples", "int"), ("acceptance", "float"), ("tau", "float"),
        ("sample_energy", "float"),          # mean H / N of the samples
        ("exact_energy", "float"),           # <H> / N by enumeration (NaN where N is too large)
        ("steps", "int"), ("nll_first", "float"), ("nll_last", "float"), ("n_params", "int"),
        ("pairs", "int"), ("slope", "float"), ("intercept", "float"),
        ("pearson_r", "float"),              # of |J| and |w|, the published statistic
        ("pearson_r_init", "float"),         # the same at initialisation (no information: ~0)
        ("pearson_r_signed", "float")),      # J vs s_l w, s_l = sign(sum_s w_ls J_ls) per row
    # one row per (net label, N): parameters of the constructed net (closed form), Fig. 5d
    "sk_params": (
        ("net", "str"), ("net_family", "str"), ("n", "int"),
        ("n_params", "int"),                 # trainable (unmasked) entries
        ("n_params_paper", "int")),          # the paper's count: every parameter the reference
                                             # code stores (MADE: masked entries included)
}
