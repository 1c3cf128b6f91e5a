"""MPVAN paper: training results + instances (+ exact files) -> tidy tables.

Every run's instance must be among ``--instances`` (checked: path, N, couplings digest). The
ground-state energy E_g is the planted one for WPE instances (checked against enumeration in
the tests) and the enumerated minimum (exact files) otherwise; a run whose instance has
neither is refused, naming it. SA and PT results with a net's sample budget (groundstate
files with labels, ``--groundstates``) become rows of the same table, net = sa or pt.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence

import numpy as np

from arspin import io
from arspin.aggregate.final import sample_final_net
from arspin.aggregate.runs import (
    RunInputs,
    check_instance,
    describe_variant,
    instance_key,
    read_runs,
    run_labels,
)
from arspin.aggregate.table import Table, new_table
from arspin.errors import ArspinError
from arspin.papers.mpvan.tables import SCHEMAS

log = logging.getLogger("arspin")

OPTIONS = {
    "final_samples": (int, 1024, ("N_final: fresh samples of each trained net (E_min = their "
                                  "lowest energy; mpvan.md section 4)")),
    "final_seed": (int, 0, "PRNG seed of those samples"),
    "exact_max_n": (int, 16, "the annealing table's exact F by enumeration up to this N"),
    "hist_bins": (str, "0:0.03:61", ("histogram of the sampled residual energy per site: "
                                    "'LOW:HIGH:EDGES' (numpy linspace edges; the last bin "
                                    "also counts everything above HIGH)")),
}


def build(inputs: RunInputs, wanted: Sequence[str], *, final_samples: int,
          final_seed: int, exact_max_n: int, hist_bins: str) -> dict[str, Table]:
    """The tables ``wanted`` (names of SCHEMAS) from the result files (see OPTIONS). Only
    what they need is computed: a figure's folder with `annealing` alone samples no net, one
    without it enumerates no instance."""
    models = {instance_key(p): io.read_instance(p) for p in inputs.instances}
    if inputs.runs and not models:
        raise ArspinError("--instances: the MPVAN tables need the runs' instance files")
    ground = {instance_key(r.attrs["instance"]): float(r.data["ground_energy"])
              for r in map(io.read_exact, inputs.exact) if "ground_energy" in r.data}
    def reference(rec, model) -> tuple[float, str]:
        planted = (model.meta or {}).get("planted_energy")
        if planted is not None:
            return float(planted), "planted"
        key = instance_key(rec.attrs["instance"])
        if key in ground:
            return ground[key], "enumeration"
        raise ArspinError(f"{rec.path}: no ground-state energy for its instance "
                          f"{rec.attrs['instance']} (not planted, no exact file among --exact)")

    edges = _edges(hist_bins)
    sampling = bool({"residual", "histogram"} & set(wanted))
    exact_f: dict[tuple[str, float], float] = {}
    rows = ([_baseline_row(path, models, reference) for path in inputs.groundstates]
            if "residual" in wanted else [])
    annealing, histogram = [], []
    for rec, labels in read_runs(inputs.runs):
        model = check_instance(rec, models)
        hyper = json.loads(rec.attrs["hyperparameters"])
        if "annealing" in wanted:
            annealing += _annealing_rows(rec, {**labels, "lr": float(hyper["train"]["lr"])},
                                         model, exact_max_n, exact_f)
        if not sampling:
            continue
        e_ground, method = reference(rec, model)
        beta = float(rec.data["beta"][-1])
        x, log_q = sample_final_net(rec, model, final_samples, final_seed, with_log_q=True)
        energies = model.energy(x)
        e_min = float(energies.min())
        sampled = (energies - e_ground) / model.n
        counts = np.histogram(np.minimum(sampled, edges[-1]), bins=edges)[0]
        histogram += [{**labels, "bin_low": float(lo), "bin_high": float(hi), "count": int(c)}
                      for lo, hi, c in zip(edges[:-1], edges[1:], counts)]
        if e_min < e_ground - 1e-9 * (1 + abs(e_ground)):
            raise ArspinError(f"{rec.path}: a sample has energy {e_min!r} below the ground "
                              f"state's {e_ground!r} ({method}) of {rec.attrs['instance']}")
        rows.append({
            **labels, "net_family": str(rec.attrs["net"]),
            "variant": describe_variant(str(rec.attrs["net"]), hyper, model.n,
                                        int(rec.attrs["n_params"])),
            "n_params": int(rec.attrs["n_params"]),
            "layers": _layers(str(rec.attrs["net"]), hyper["net"], model.n),
            "spin_order": _spin_order(model), "beta_final": beta,
            "samples": final_samples, "e_min": e_min, "e_mean": float(energies.mean()),
            "neg_entropy": float(np.mean(log_q)) / model.n,
            "e_ground": e_ground, "ground_method": method,
            "residual": (e_min - e_ground) / model.n, "ratio": e_min / e_ground,
            "mean_degree": 2 * model.n_edges / model.n,
            "sampled_mean": float(sampled.mean()), "sampled_std": float(sampled.std())})
    _refuse_duplicates(rows)
    order = ("set", "size", "index", "net", "protocol", "seed")
    rows.sort(key=lambda r: tuple(r[k] for k in order))
    log.info("aggregated %d runs and baselines", len(rows))
    out = {"residual": rows, "annealing": annealing, "histogram": histogram}
    return {name: new_table(name, out[name], SCHEMAS[name]) for name in wanted}


def _layers(family: str, hparams: dict, n: int) -> int:
    """The net's number of layers as it ran: its resolved ``layers`` hyperparameter (the
    dilated RNN's null = ceil(log2 N)); 0 for a net without one."""
    from arspin.nets.registry import NETS, resolve_hparams

    if "layers" not in NETS[family].hparams:
        return 0
    layers = resolve_hparams(family, hparams)["layers"]
    if layers is None:
        from arspin.nets.dilated_rnn import default_layers

        layers = default_layers(n)
    return int(layers)


def _spin_order(model) -> int:
    """The instance's spin order k (``arspin instance generate --order``; 0 = index order)."""
    return int((model.meta or {}).get("spin_order", 0))


def _edges(text: str) -> np.ndarray:
    try:
        low, high, count = text.split(":")
        edges = np.linspace(float(low), float(high), int(count))
    except ValueError:
        raise ArspinError(f"option hist_bins: 'LOW:HIGH:EDGES', got {text!r}") from None
    if edges.size < 2 or not np.all(np.diff(edges) > 0):
        raise ArspinError(f"option hist_bins: need LOW < HIGH and at least 2 edges, got {text!r}")
    return edges


def _annealing_rows(rec, labels: dict, model, exact_max_n: int, cache: dict) -> list[dict]:
    """One row per annealing temperature: the training batches' -S/N and F_q, and, up to
    ``exact_max_n`` spins, the exact F by enumeration with (F_q - F)/|F| and KL = beta N (F_q
    - F) (mpvan.md section 4: the identity holds for exact F_q; here F_q is the batch mean)."""
    from arspin.exact.enumeration import thermodynamics

    betas = np.asarray(rec.data["beta"], np.float64)
    key = instance_key(rec.attrs["instance"])
    missing = [b for b in betas.tolist() if (key, b) not in cache]
    if missing and model.n <= exact_max_n:
        exact = thermodynamics(model, np.asarray(missing))
        cache.update({(key, b): float(f) for b, f in zip(missing, exact["free_energy"])})
    f_q = np.asarray(rec.data["free_energy"], np.float64)
    rows = []
    for k, beta in enumerate(betas.tolist()):
        f = cache.get((key, beta), float("nan"))
        rows.append({**labels, "beta": beta, "neg_entropy": -float(rec.data["entropy"][k]),
                     "free_energy": float(f_q[k]),
                     "free_energy_std": float(rec.data["free_energy_std"][k]),
                     "f_exact": f, "rel_error": (float(f_q[k]) - f) / abs(f),
                     "kl": beta * model.n * (float(f_q[k]) - f)})
    return rows


def _baseline_row(path, models: dict, reference) -> dict:
    """A residual row for an SA or PT result with a net's budget (`arspin groundstate
    --labels`): E_min = the best energy it visited, samples = its Metropolis proposals."""
    rec = io.read(path, "groundstate")
    labels = run_labels(rec)
    model = models.get(instance_key(rec.attrs["instance"]))
    if model is None:
        raise ArspinError(f"{path}: field 'instance': {rec.attrs['instance']} is not among the "
                          f"instance files")
    if model.n != rec.attrs["n"]:
        raise ArspinError(f"{path}: field 'n': {rec.attrs['n']}, but the instance has "
                          f"N = {model.n}")
    e_ground, method = reference(rec, model)
    e_min = float(rec.data["energy"])
    if e_min < e_ground - 1e-9 * (1 + abs(e_ground)):
        raise ArspinError(f"{path}: energy {e_min!r} is below the ground state's "
                          f"{e_ground!r} ({method}) of {rec.attrs['instance']}")
    params = json.loads(rec.attrs["parameters"])
    kind = str(rec.attrs["method"])
    variant = (f"{params['reads']} restarts x {params['sweeps']} sweeps" if kind == "sa"
               else f"{params['chains']} chains x {params['replicas']} replicas x "
                    f"{params['sweeps']} sweeps")
    return {**labels, "net_family": kind, "variant": variant, "n_params": 0, "layers": 0,
            "spin_order": _spin_order(model),
            "beta_final": float(params["beta_max"]), "samples": int(rec.attrs["proposals"]),
            "e_min": e_min, "e_mean": float("nan"), "neg_entropy": float("nan"),
            "e_ground": e_ground, "ground_method": method,
            "residual": (e_min - e_ground) / model.n, "ratio": e_min / e_ground,
            "mean_degree": 2 * model.n_edges / model.n,
            "sampled_mean": float("nan"), "sampled_std": float("nan")}


def _refuse_duplicates(rows: list[dict]) -> None:
    seen = set()
    for row in rows:
        ident = tuple(row[k] for k in ("set", "size", "index", "net", "protocol", "seed"))
        if ident in seen:
            raise ArspinError(f"two results carry the labels {ident}")
        seen.add(ident)
