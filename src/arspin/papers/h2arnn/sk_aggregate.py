"""H2ARNN paper, SK part (Fig. 5): training results + references -> tidy rows.

References, matched to a run by its instance (path) and beta (to 1e-9):
    the paper's   the SK_2RSB net's own F on the same instance, protocol and seed (option
                  ``paper_reference_net``); itself variational, so other nets may lie below it.
    independent   enumeration (exact files) where N allows, else parallel tempering + TI
                  (reference files, arspin.reference), with its standard error.
At the final beta of each run (sk_bracket) the F bracket: the variational F_q above, neural
importance sampling with the net's own samples, and below, the bound E_P[H + ln q / beta] / N
over Boltzmann samples (PT samples, or exact draws from the enumerated P_B).
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import numpy as np

from arspin import io
from arspin.aggregate.runs import describe_variant, instance_key

log = logging.getLogger("arspin")

_SAME_BETA = 1e-9


def value_at(betas: np.ndarray, values: np.ndarray, beta: float) -> float:
    """values at ``beta`` (NaN if ``beta`` is not one of ``betas``)."""
    k = int(np.argmin(np.abs(betas - beta))) if len(betas) else -1
    return float(values[k]) if k >= 0 and abs(betas[k] - beta) < _SAME_BETA else float("nan")


def read_references(exact_paths, reference_paths) -> tuple[dict, dict]:
    """({instance key: exact Record}, {instance key: PT reference Record})."""
    exact = {instance_key(r.attrs["instance"]): r for r in map(io.read_exact, exact_paths)}
    pt = {instance_key(r.attrs["instance"]): r
          for r in (io.read(p, "reference") for p in reference_paths)}
    return exact, pt


def free_energy_rows(rec: io.Record, labels: dict, exact: io.Record | None,
                     pt: io.Record | None) -> list[dict]:
    """One row per beta of an SK run (SCHEMAS['sk_free_energy'] less the paper reference,
    which :func:`add_paper_reference` fills in once every run is read)."""
    d, n = rec.data, int(rec.attrs["n"])
    hyper = json.loads(rec.attrs["hyperparameters"])
    batch = int(hyper["train"]["batch"])
    collected = np.asarray(d["collected"], np.int64) if "collected" in d \
        else np.ones(d["beta"].size, np.int64)
    variant = describe_variant(str(rec.attrs["net"]), hyper, n, int(rec.attrs["n_params"]))
    rsb_k = int(hyper["net"].get("k", 0)) if rec.attrs["net"] == "sk_rsb" else -1
    rows = []
    for b, beta in enumerate(np.asarray(d["beta"], np.float64)):
        f = float(d["free_energy"][b])
        f_exact = value_at(exact.data["beta"], exact.data["free_energy"], beta) \
            if exact else float("nan")
        f_pt, f_pt_se = (value_at(pt.data["beta"], pt.data[k], beta)
                         for k in ("free_energy", "free_energy_se")) if pt \
            else (float("nan"), float("nan"))
        if np.isfinite(f_exact):
            method, ref, ref_se = "enumeration", f_exact, 0.0
        elif np.isfinite(f_pt):
            method, ref, ref_se = "parallel tempering + TI", f_pt, f_pt_se
        else:
            method, ref, ref_se = "", float("nan"), float("nan")
        rows.append({
            **labels, "net_family": str(rec.attrs["net"]), "variant": variant, "rsb_k": rsb_k,
            "n_params": int(rec.attrs["n_params"]), "beta": float(beta),
            "steps": int(d["steps"][b]), "collected": int(collected[b]),
            "free_energy": f, "free_energy_std": float(d["free_energy_std"][b]),
            "free_energy_se": float(d["free_energy_std"][b]) / np.sqrt(collected[b] * batch),
            "free_energy_paper_ref": float("nan"), "rel_paper_ref": float("nan"),
            "free_energy_exact": f_exact, "free_energy_pt": f_pt, "free_energy_pt_se": f_pt_se,
            "reference_method": method, "free_energy_ref": ref, "free_energy_ref_se": ref_se,
            "rel_ref": (f - ref) / abs(ref) if np.isfinite(ref) else float("nan")})
    return rows


def add_paper_reference(rows: list[dict], reference_net: str) -> None:
    """Fill free_energy_paper_ref / rel_paper_ref from the ``reference_net`` run on the same
    instance, protocol, seed and beta (left NaN where that run is missing)."""
    key = ("set", "size", "index", "protocol", "seed")
    ref = {tuple(r[k] for k in key) + (round(r["beta"], 9),): r["free_energy"]
           for r in rows if r["net"] == reference_net}
    for r in rows:
        f2 = ref.get(tuple(r[k] for k in key) + (round(r["beta"], 9),))
        if f2 is not None:
            r["free_energy_paper_ref"] = f2
            r["rel_paper_ref"] = (r["free_energy"] - f2) / abs(f2)


def boltzmann_samples(model, beta: float, pt: io.Record | None, count: int,
                      seed: int) -> tuple[np.ndarray | None, str]:
    """(+-1 samples (B, N), source): PT samples stored at ``beta``, else ``count`` exact draws
    from the enumerated P_B (N <= limits.AUTO_ENUMERATION_MAX_N), else (None, '')."""
    from arspin.limits import AUTO_ENUMERATION_MAX_N

    if pt is not None and "samples" in pt.data:
        k = int(np.argmin(np.abs(pt.data["beta"] - beta)))
        if abs(pt.data["beta"][k] - beta) < _SAME_BETA:
            return np.asarray(pt.data["samples"][k]), "parallel tempering"
    if model.n <= AUTO_ENUMERATION_MAX_N:
        from arspin.exact.enumeration import boltzmann_log_probs, states_at

        probs = np.exp(boltzmann_log_probs(model, beta))
        idx = np.random.default_rng(seed).choice(probs.size, size=count, p=probs / probs.sum())
        return states_at(idx, model.n), "enumeration (exact draws)"
    return None, ""


def bracket_row(rec: io.Record, labels: dict, model, exact: io.Record | None,
                pt: io.Record | None, samples: int, seed: int) -> dict:
    """The F bracket of a run's final net at its last beta (SCHEMAS['sk_bracket'])."""
    import jax

    from arspin.aggregate.final import final_net
    from arspin.free_energy import boltzmann_lower_bound, importance_log_z

    d, n = rec.data, model.n
    beta = float(d["beta"][-1])
    hyper = json.loads(rec.attrs["hyperparameters"])
    collected = int(d["collected"][-1]) if "collected" in d else 1
    net, params = final_net(rec, model)
    x, log_q = jax.jit(net.sample, static_argnums=2)(params, jax.random.key(seed), samples,
                                                     np.float32(beta))
    nis = importance_log_z(model.energy(np.asarray(x)), np.asarray(log_q, np.float64), beta, n)
    p_samples, source = boltzmann_samples(model, beta, pt, samples, seed)
    lower, lower_se = float("nan"), float("nan")
    if p_samples is not None:
        log_q_p = np.asarray(jax.jit(net.log_prob)(params, p_samples.astype(np.float32),
                                                   np.float32(beta)), np.float64)
        lower, lower_se = boltzmann_lower_bound(model.energy(p_samples), log_q_p, beta, n)
    nan = float("nan")
    return {
        **labels, "net_family": str(rec.attrs["net"]), "n_params": int(rec.attrs["n_params"]),
        "beta": beta, "free_energy_q": float(d["free_energy"][-1]),
        "free_energy_q_se": float(d["free_energy_std"][-1])
        / np.sqrt(collected * int(hyper["train"]["batch"])),
        "free_energy_nis": nis.free_energy, "free_energy_nis_se": nis.log_z_se / (beta * n),
        "ess": nis.ess, "nis_samples": samples,
        "free_energy_lower": lower, "free_energy_lower_se": lower_se,
        "boltzmann_samples": 0 if p_samples is None else len(p_samples),
        "boltzmann_source": source,
        "free_energy_exact": value_at(exact.data["beta"], exact.data["free_energy"], beta)
        if exact else nan,
        "free_energy_pt": value_at(pt.data["beta"], pt.data["free_energy"], beta) if pt else nan,
        "free_energy_pt_se": value_at(pt.data["beta"], pt.data["free_energy_se"], beta)
        if pt else nan}


def exact_overlap_rows(model, labels: dict, beta: float, binning: str) -> list[dict]:
    """Exact P(q) of two independent Boltzmann draws at ``beta`` by the Walsh-Hadamard
    transform of P_B (arspin.observables), binned as the sampled P(q) rows."""
    from arspin.exact.enumeration import boltzmann_log_probs
    from arspin.observables import binned_overlaps, exact_overlap_distribution

    probs = np.exp(boltzmann_log_probs(model, beta))
    p_d = exact_overlap_distribution(probs / probs.sum(), model.n)
    centres, density = binned_overlaps(p_d, model.n, binning)
    return [{**labels, "beta": beta, "binning": binning, "q": float(c), "density": float(p)}
            for c, p in zip(centres, density)]


def param_rows(nets: dict, sizes) -> list[dict]:
    """Fig. 5d: parameters of every net label at every N, on an SK instance of that size:
    trainable (arspin.nets.registry.param_count) and the paper's count. The paper counts what
    its code stores: MADE keeps full masked matrices (MADE_32 = 8N^2 + 9N, masked entries
    included), while its SK nets store only the used pairs, so their count is the trainable
    one, (2k+3) N (N-1) + 2N (physics.md section 6b)."""
    import jax

    from arspin.instances import generate
    from arspin.nets.registry import build_net, param_count

    rows = []
    for n in sorted({int(s) for s in sizes}):
        model = generate("sk", n, 0)
        for label, entry in nets.items():
            trainable = param_count(entry["net"], model, entry.get("hparams"))
            paper = trainable
            if entry["net"] == "made":
                net = build_net("made", model, entry.get("hparams"))
                paper = net.n_stored_params(jax.eval_shape(net.init, jax.random.key(0)))
            rows.append({"net": label, "net_family": entry["net"], "n": n,
                         "n_params": trainable, "n_params_paper": int(paper)})
    return rows


def coupling_rows(path, models: dict, exact: dict) -> tuple[list[dict], dict]:
    """(pair rows, fit row) of one learn-couplings file (SCHEMAS['sk_couplings'] and
    ['sk_couplings_fit']); its instance must be among ``models`` (checked by digest)."""
    from scipy import stats

    from arspin.errors import ArspinError

    rec = io.read(path, "table")
    key = instance_key(rec.attrs["instance"])
    model = models.get(key)
    if model is None or model.digest != rec.attrs["instance_digest"]:
        raise ArspinError(f"{path}: its instance {rec.attrs['instance']} is not among "
                          f"--instances (or has other couplings)")
    meta = model.meta or {}
    # the set is a workflow name, not in the instance: its folder results/instances/{set}/...
    where = {"set": Path(rec.attrs["instance"]).parent.parent.name,
             "size": int(meta.get("size", model.n)), "n": model.n,
             "index": int(meta.get("index", -1))}
    d = rec.data
    row, col = np.asarray(d["row"], np.int64), np.asarray(d["col"], np.int64)
    j, w, w0 = (np.asarray(d[k], np.float64) for k in ("coupling", "weight", "weight_init"))
    pairs = [{**where, "row": int(a), "col": int(b), "coupling": float(c), "weight_init": float(i),
              "weight": float(t)} for a, b, c, i, t in zip(row, col, j, w0, w)]
    fit = stats.linregress(np.abs(j), np.abs(w))
    sign = np.sign(np.bincount(row, weights=w * j, minlength=model.n))[row]
    params = json.loads(rec.attrs["parameters"])
    beta = float(params["beta"])
    ex = exact.get(key)
    return pairs, {
        **where, "beta": beta, "sampler": str(params["sampler"]),
        "samples": int(rec.attrs["samples"]), "acceptance": float(rec.attrs["acceptance"]),
        "tau": float(rec.attrs["tau"]), "sample_energy": float(rec.attrs["sample_energy"]),
        "exact_energy": value_at(ex.data["beta"], ex.data["energy"], beta) if ex
        else float("nan"),
        "steps": int(params["steps"]), "nll_first": float(rec.attrs["nll_first"]),
        "nll_last": float(rec.attrs["nll_last"]), "n_params": int(rec.attrs["n_params"]),
        "pairs": len(pairs), "slope": float(fit.slope), "intercept": float(fit.intercept),
        "pearson_r": float(fit.rvalue),
        "pearson_r_init": float(stats.pearsonr(np.abs(j), np.abs(w0)).statistic),
        "pearson_r_signed": float(stats.pearsonr(j, sign * w).statistic)}
