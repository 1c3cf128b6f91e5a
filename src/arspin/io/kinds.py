"""The five kinds of arspin file, declared with :mod:`arspin.io.schema` (see docs/data.md).

Units: quantities that describe one configuration (``planted_energy``, ``best_energy``,
ground-state ``energy``/``bound``, exact ``ground_energy``) are TOTAL energies H(x); thermodynamic
per-beta and per-step quantities are PER SPIN (physics.md section 1 and 3); ``log_z`` is ln Z.
Cross-checks tie the two together, so a forgotten or doubled 1/N is caught when writing.
"""

from __future__ import annotations

import json

import numpy as np

from arspin.io.schema import (
    Attr,
    Dataset,
    Schema,
    json_object,
    non_negative,
    plus_minus_one,
    unit_interval,
)

_REL = 1e-9  # relative tolerance of the float64 identities below (rounding is ~1e-15)


def _positive(arr: np.ndarray) -> str | None:
    bad = np.flatnonzero(arr <= 0)
    return f"must be > 0, found {arr.flat[bad[0]]} at index {bad[0]}" if bad.size else None


def _at_least_one(arr: np.ndarray) -> str | None:
    return None if arr >= 1 else f"must be >= 1, got {arr}"


def _f(name: str, shape: tuple, unit: str, doc: str, **kw) -> Dataset:
    return Dataset(name, "float", shape, "float64", unit=unit, doc=doc, **kw)


# ------------------------------------------------------------------------------ instance
def _bonds(attrs: dict, data: dict) -> tuple[str, str] | None:
    i, j, n = np.asarray(data["i"]), np.asarray(data["j"]), attrs["n"]
    for name, bad in (("i", np.flatnonzero(i < 0)), ("i", np.flatnonzero(i >= j)),
                      ("j", np.flatnonzero(j >= n))):
        if bad.size:
            k = bad[0]
            return name, f"bond {k} = ({i[k]}, {j[k]}) breaks 0 <= i < j < n = {n}"
    if np.unique(i * n + j).size != i.size:
        return "i", "the same bond (i, j) appears more than once"
    return None


def _planted(attrs: dict, data: dict) -> tuple[str, str] | None:
    if "planted_state" not in data or "planted_energy" not in data:
        return None
    s = np.asarray(data["planted_state"], dtype=np.float64)
    i, j, J, h = (np.asarray(data[k]) for k in ("i", "j", "J", "h"))
    energy = -np.sum(J * s[i] * s[j]) - h @ s
    stored = float(data["planted_energy"])
    scale = 1.0 + np.abs(J).sum() + np.abs(h).sum()
    if abs(stored - energy) > _REL * scale:
        return "planted_energy", (f"{stored!r} is not the energy of planted_state, "
                                  f"H = {float(energy)!r} (a total energy, not per spin)")
    return None


INSTANCE = Schema(
    kind="instance", version=1,
    attrs=(Attr("n", "int", "number of spins N"),
           Attr("family", "str", "instance family (ea2d, sk, wpe, ...; 'unknown' if none)"),
           Attr("meta", "json", "the model's meta dict (generator options, seed, ...)",
                json_object)),
    datasets=(
        Dataset("i", "int", ("E",), "int64", doc="first spin of each bond, 0 <= i < j"),
        Dataset("j", "int", ("E",), "int64", doc="second spin of each bond, j < N"),
        _f("J", ("E",), "energy", "coupling J_ij of each bond"),
        _f("h", ("N",), "energy", "external field h_i"),
        Dataset("planted_state", "int", ("N",), "int8", required=False, check=plus_minus_one,
                doc="planted ground state (wpe), +-1"),
        _f("planted_energy", (), "total energy", "H(planted_state)", required=False),
    ),
    dims={"N": "n"},
    checks=(_bonds, _planted),
)


# ------------------------------------------------------------------------------ exact
def _thermo(attrs: dict, data: dict) -> tuple[str, str] | None:
    beta, log_z, f, e, s = (np.asarray(data[k]) for k in
                            ("beta", "log_z", "free_energy", "energy", "entropy"))
    n = attrs["n"]
    bad = np.flatnonzero(np.abs(-log_z / (beta * n) - f) > _REL * (1 + np.abs(f)))
    if bad.size:
        k = bad[0]
        return "free_energy", (f"{float(f[k])!r} at beta = {beta[k]} is not -log_z/(beta n) = "
                               f"{float(-log_z[k] / (beta[k] * n))!r} (per spin)")
    bad = np.flatnonzero(np.abs(beta * (e - f) - s) > _REL * (1 + beta * (np.abs(e) + np.abs(f))))
    if bad.size:
        k = bad[0]
        return "entropy", (f"{float(s[k])!r} at beta = {beta[k]} is not beta (energy - free_energy)"
                           f" = {float(beta[k] * (e[k] - f[k]))!r} (per spin)")
    bad = np.flatnonzero((s < -_REL) | (s > np.log(2) + _REL))
    if bad.size:
        return "entropy", f"per-spin entropy must lie in [0, ln 2], found {float(s[bad[0]])!r}"
    if "ground_energy" in data:
        e0 = float(data["ground_energy"]) / n
        bad = np.flatnonzero(e < e0 - _REL * (1 + abs(e0)))
        if bad.size:
            return "energy", (f"mean energy {float(e[bad[0]])!r} per spin is below "
                              f"ground_energy / n = {e0!r} (ground_energy is a total energy)")
    return None


EXACT = Schema(
    kind="exact", version=1,
    attrs=(Attr("n", "int", "number of spins N"),
           Attr("instance", "str", "path of the instance file"),
           Attr("method", "str", "'enumeration', 'tree decomposition (width W)' or "
                "'curie-weiss (finite N)'")),
    datasets=(
        _f("beta", ("n_beta",), "1/energy", "inverse temperature", check=_positive),
        _f("log_z", ("n_beta",), "dimensionless", "ln Z (total, not per spin)"),
        _f("free_energy", ("n_beta",), "energy per spin", "f = -ln Z / (beta N)"),
        _f("energy", ("n_beta",), "energy per spin", "<H> / N"),
        _f("entropy", ("n_beta",), "per spin (k_B = 1)", "S / N = beta (e - f)"),
        _f("abs_magnetization", ("n_beta",), "per spin", "<|sum_i x_i|> / N",
           check=unit_interval),
        _f("abs_magnetization_stderr", ("n_beta",), "per spin",
           "standard error of abs_magnetization where it is estimated from exact Boltzmann "
           "samples (method 'tree decomposition'); absent when it is exact",
           required=False, check=non_negative),
        _f("ground_energy", (), "total energy", "min_x H(x)", required=False),
        Dataset("n_ground_states", "int", (), "int64", required=False, check=_at_least_one,
                doc="number of configurations at ground_energy"),
    ),
    checks=(_thermo,),
)


# ------------------------------------------------------------------------------ run
_PER_BETA = (
    ("free_energy", "energy per spin", "variational F_q = mean(l) / (beta N)"),
    ("free_energy_std", "energy per spin", "std(l) / (beta N)"),
    ("energy", "energy per spin", "mean H / N over the batch"),
    ("energy_min", "energy per spin", "min H / N over the batch"),
    ("entropy", "per spin", "-mean(ln q) / N"),
    ("abs_magnetization", "per spin", "mean |sum_i x_i| / N"),
)
_RULES = {"free_energy_std": non_negative, "abs_magnetization": unit_interval}


def _best(attrs: dict, data: dict) -> tuple[str, str] | None:
    n, best = attrs["n"], float(data["best_energy"])
    for prefix in ("", "curves/"):
        e, e_min = np.asarray(data[prefix + "energy"]), np.asarray(data[prefix + "energy_min"])
        bad = np.flatnonzero(e_min > e + 1e-6 * (1 + np.abs(e)))
        if bad.size:
            return prefix + "energy_min", f"exceeds the mean energy at index {bad[0]}"
        if e_min.size and best > n * e_min.min() + _REL * (1 + abs(best)):
            return "best_energy", (f"{best!r} is worse than n * min({prefix}energy_min) = "
                                   f"{float(n * e_min.min())!r} (best_energy is a total energy)")
    return None


def _hyperparameters(value: object) -> str | None:
    """{"net": {...}, "train": {...}} with the training settings the aggregations read (a
    '[]' here once made a table say steps_per_beta = -1)."""
    problem = json_object(value)
    if problem:
        return problem
    assert isinstance(value, dict)
    for part in ("net", "train"):
        if not isinstance(value.get(part), dict):
            return f"'{part}': expected a JSON object, got {json.dumps(value.get(part))}"
    train = value["train"]
    for key, low, required in (("steps_per_beta", 1, True), ("batch", 1, True),
                               ("warmup_steps", 0, False), ("seed", 0, False)):
        got = train.get(key)
        if got is None and not required:
            continue
        if isinstance(got, bool) or not isinstance(got, int) or got < low:
            return f"'train.{key}': expected an integer >= {low}, got {json.dumps(got)}"
    lr = train.get("lr")
    if lr is not None and (isinstance(lr, bool) or not isinstance(lr, int | float) or lr <= 0):
        return f"'train.lr': expected a number > 0, got {json.dumps(lr)}"
    return None


def _count(value: object) -> str | None:
    return None if isinstance(value, int) and value >= 0 else f"must be >= 0, got {value!r}"


RUN = Schema(
    kind="run", version=1,
    attrs=(Attr("n", "int", "number of spins N"),
           Attr("net", "str", "net family (twobo, made, ...)"),
           Attr("hyperparameters", "json", "net and training hyperparameters: {\"net\": {...}, "
                "\"train\": {...}} with train.steps_per_beta and train.batch >= 1",
                _hyperparameters),
           Attr("device", "str", "JAX platform (cpu, gpu)"),
           Attr("n_params", "int", "number of trainable parameters", _count),
           Attr("instance", "str", "path of the instance file")),
    datasets=(
        _f("beta", ("n_beta",), "1/energy", "inverse temperature of each annealing block",
           check=_positive),
        *(_f(name, ("n_beta",), unit, doc + " (summary of the block)", check=_RULES.get(name))
          for name, unit, doc in _PER_BETA),
        Dataset("steps", "int", ("n_beta",), "int64", check=non_negative,
                doc="optimisation steps done at this beta"),
        _f("wall_time", ("n_beta",), "seconds", "wall-clock time since the start of training "
           "at the end of the block", check=non_negative),
        _f("curves/step_beta", ("n_steps",), "1/energy", "beta used at each step", check=_positive),
        *(_f("curves/" + name, ("n_steps",), unit, doc, check=_RULES.get(name))
          for name, unit, doc in _PER_BETA),
        _f("curves/wall_time", ("n_steps",), "seconds", "wall-clock time since the start "
           "of training", check=non_negative),
        Dataset("best_configuration", "int", ("N",), "int8", check=plus_minus_one,
                doc="lowest-energy configuration sampled, +-1"),
        _f("best_energy", (), "total energy", "H(best_configuration)"),
    ),
    dims={"N": "n"},
    checks=(_best,),
)


# ------------------------------------------------------------------------------ groundstate
def _ground(attrs: dict, data: dict) -> tuple[str, str] | None:
    energy, bound = float(data["energy"]), float(data["bound"])
    if bound > energy + _REL * (1 + abs(energy)):
        return "bound", f"lower bound {bound!r} exceeds the energy {energy!r}"
    if ("sources" in data) != ("source_energies" in data):
        return "sources", "sources and source_energies must be stored together"
    if "source_energies" in data:
        found = np.asarray(data["source_energies"])
        if np.any(np.isfinite(found)) and energy > np.nanmin(found) + _REL * (1 + abs(energy)):
            best = float(np.nanmin(found))
            return "energy", f"{energy!r} is worse than the best source energy {best!r}"
    return None


GROUNDSTATE = Schema(
    kind="groundstate", version=1,
    attrs=(Attr("n", "int", "number of spins N"),
           Attr("instance", "str", "path of the instance file"),
           Attr("method", "str", "solver (ilp, sa, pt, enumeration, best-of, ...)"),
           Attr("proven_optimal", "bool", "energy is proven to be the ground-state energy")),
    datasets=(
        _f("energy", (), "total energy", "H(configuration), best energy found"),
        Dataset("configuration", "int", ("N",), "int8", check=plus_minus_one,
                doc="the configuration, +-1"),
        _f("bound", (), "total energy", "proven lower bound on the ground-state energy "
           "(-inf if none)", allow=frozenset({"-inf"})),
        Dataset("sources", "str", ("n_sources",), "str", required=False,
                doc="names of the solvers / runs compared"),
        _f("source_energies", ("n_sources",), "total energy", "best energy of each source "
           "(NaN if it failed)", required=False, allow=frozenset({"nan"})),
    ),
    dims={"N": "n"},
    checks=(_ground,),
)


# ------------------------------------------------------------------------------ table
def _columns(attrs: dict, data: dict) -> tuple[str, str] | None:
    names = json.loads(attrs["columns"])
    if (not isinstance(names, list) or not all(isinstance(c, str) and c and "/" not in c
                                               for c in names) or len(set(names)) != len(names)):
        return "columns", "must be a JSON list of distinct column names without '/'"
    length = None
    for name in names:
        if name not in data:
            return name, "column listed in attr 'columns' but missing"
        col = np.asarray(data[name])
        if col.ndim != 1:
            return name, f"a column must be 1-d, got shape {col.shape}"
        if col.dtype.kind not in "iufbU":
            return name, f"unsupported column dtype {col.dtype}"
        if length is not None and col.size != length:
            return name, f"has {col.size} rows, the first column has {length}"
        length = col.size
    return None


TABLE = Schema(
    kind="table", version=1,
    attrs=(Attr("columns", "json", "column names in order (JSON list); each is a 1-d dataset "
                "at the file root, all of equal length, NaN allowed"),),
    datasets=(),
    checks=(_columns,),
)

# ------------------------------------------------------------------------------ reference
def _reference(attrs: dict, data: dict) -> tuple[str, str] | None:
    beta, log_z, f = (np.asarray(data[k]) for k in ("beta", "log_z", "free_energy"))
    bad = np.flatnonzero(np.abs(-log_z / (beta * attrs["n"]) - f) > _REL * (1 + np.abs(f)))
    if bad.size:
        k = bad[0]
        return "free_energy", (f"{float(f[k])!r} at beta = {beta[k]} is not -log_z/(beta n) "
                               f"(per spin)")
    if "samples" in data and np.asarray(data["samples"]).shape[0] != beta.size:
        return "samples", "first axis must have one entry per beta"
    return None


REFERENCE = Schema(
    kind="reference", version=1,
    attrs=(Attr("n", "int", "number of spins N"),
           Attr("instance", "str", "path of the instance file"),
           Attr("method", "str", "how F was estimated, e.g. 'parallel tempering + "
                "thermodynamic integration'")),
    datasets=(
        _f("beta", ("n_beta",), "1/energy", "inverse temperature", check=_positive),
        _f("log_z", ("n_beta",), "dimensionless", "estimated ln Z (total), mean over chains"),
        _f("log_z_se", ("n_beta",), "dimensionless", "standard error of log_z (chain spread)",
           check=non_negative),
        _f("free_energy", ("n_beta",), "energy per spin", "-log_z / (beta N)"),
        _f("free_energy_se", ("n_beta",), "energy per spin", "standard error of free_energy",
           check=non_negative),
        _f("energy", ("n_beta",), "energy per spin", "<H> / N (time and chain average)"),
        _f("ladder", ("n_ladder",), "1/energy", "every replica's beta (beta is a subset)",
           check=_positive),
        _f("swap_rate", ("n_swaps",), "fraction", "accepted swaps between ladder neighbours",
           allow=frozenset({"nan"})),
        Dataset("samples", "int", ("n_beta", "n_samples", "N"), "int8", required=False,
                check=plus_minus_one, doc="stored configurations at each beta (+-1), "
                "chains x records"),
    ),
    dims={"N": "n"},
    checks=(_reference,),
)

SCHEMAS: dict[str, Schema] = {s.kind: s for s in (INSTANCE, EXACT, RUN, GROUNDSTATE, TABLE,
                                                  REFERENCE)}
SCHEMA_VERSION: dict[str, int] = {kind: s.version for kind, s in SCHEMAS.items()}
