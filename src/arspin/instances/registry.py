"""The family registry: names, option validation and :func:`generate`.

``FAMILIES`` is plain JSON (name -> description, size meaning, options with defaults, seed
rules), so the CLI can print it as is; the builders live in a private table next to it.
"""

from __future__ import annotations

import dataclasses
import numbers
from collections.abc import Callable, Mapping
from typing import Any

import networkx as nx
import numpy as np

from arspin.errors import ArspinError
from arspin.hamiltonian import IsingModel
from arspin.instances import dense, lattice, random_graphs, wpe
from arspin.instances.seeding import PROJECT_ENTROPY, default_seed

SEED_RULES = ("default", "twobo-reference", "h2arnn-reference")
_TWOBO_RULES = ["default", "twobo-reference"]  # the TwoBo paper's families


def _opt(default: Any, help: str, choices: list | None = None) -> dict:
    spec = {"default": default, "type": type(default).__name__, "help": help}
    if choices is not None:
        spec["choices"] = choices
    return spec


FAMILIES: dict[str, dict] = {
    "ea2d": {
        "description": "2D Edwards-Anderson +-J spin glass, periodic L x L square lattice, h = 0",
        "size": "L (N = L^2 spins; row-major order)",
        "options": {},
        "seed_rules": list(_TWOBO_RULES),
    },
    "ea3d": {
        "description": "3D Edwards-Anderson +-J spin glass, periodic L x L x L cubic lattice, h = 0",
        "size": "L (N = L^3 spins; row-major order)",
        "options": {},
        "seed_rules": list(_TWOBO_RULES),
    },
    "rrg": {
        "description": "+-J spin glass on a random regular graph (networkx), h = 0",
        "size": "N (number of spins)",
        "options": {"degree": _opt(3, "vertex degree d (N * d even, d < N)")},
        "seed_rules": list(_TWOBO_RULES),
    },
    "sk": {
        "description": "Sherrington-Kirkpatrick: J_ij ~ Normal(0, 1/N) on all pairs, h = 0",
        "size": "N (number of spins)",
        "options": {},
        "seed_rules": ["default", "h2arnn-reference"],
    },
    "sk_variant": {
        "description": "SK couplings kept on a random sparse support (MPVAN 'variants of SK')",
        "size": "N (number of spins)",
        "options": {
            "degree": _opt(3, "(mean) degree d of the support, 1 <= d <= N-1"),
            "variance": _opt("1/N", "coupling variance", ["1/N", "1/d"]),
            "deletion": _opt("regular", "support: random d-regular graph or G(N, d/(N-1))",
                             ["regular", "erdos_renyi"]),
        },
        "seed_rules": ["default"],
    },
    "cw": {
        "description": "Curie-Weiss: J_ij = J/N on all pairs, uniform field h (no randomness)",
        "size": "N (number of spins)",
        "options": {"J": _opt(1.0, "coupling J (J_ij = J/N)"), "h": _opt(0.0, "field h")},
        "seed_rules": ["default"],
    },
    "wpe": {
        "description": "Wishart planted ensemble (Hamze et al. 2020), planted ground state known",
        "size": "N (number of spins)",
        "options": {
            "alpha": _opt(0.5, "M/N, number of Wishart columns per spin (> 0)"),
            "r_dist": _opt("gauss", "entries of R", ["gauss", "pm1"]),
            "gauge": _opt(True, "random gauge c: planted state c instead of all +1"),
        },
        "seed_rules": ["default"],
    },
}

_BUILDERS: dict[str, Callable[..., IsingModel]] = {
    "ea2d": lambda size, rng: lattice.build_ea(size, 2, rng),
    "ea3d": lambda size, rng: lattice.build_ea(size, 3, rng),
    "rrg": random_graphs.build_rrg,
    "sk": dense.build_sk,
    "sk_variant": random_graphs.build_sk_variant,
    "cw": dense.build_cw,
    "wpe": wpe.build_wpe,
}


def _coerce(family: str, name: str, value: Any, spec: dict) -> Any:
    """Value of option ``name`` converted to the type of its default, or ArspinError."""
    kind, where = spec["type"], f"family '{family}': option '{name}'"
    ok = True
    if kind == "bool":
        ok = isinstance(value, (bool, np.bool_))
        value = bool(value) if ok else value
    elif kind == "int":
        ok = isinstance(value, numbers.Integral) and not isinstance(value, (bool, np.bool_))
        value = int(value) if ok else value
    elif kind == "float":
        ok = isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))
        value = float(value) if ok else value
        if ok and not np.isfinite(value):
            raise ArspinError(f"{where}: must be finite, got {value}")
    elif kind == "str":
        ok = isinstance(value, str)
    if not ok:
        raise ArspinError(f"{where}: expected {kind}, got {value!r}")
    if "choices" in spec and value not in spec["choices"]:
        raise ArspinError(f"{where}: expected one of {spec['choices']}, got {value!r}")
    return value


def validate_options(family: str, options: Mapping[str, Any]) -> dict[str, Any]:
    """All options of ``family`` (defaults filled in), checked and converted.

    Raises:
        ArspinError: unknown family, unknown option, wrong type or a value outside its choices;
            the message names the family and the option.
    """
    if family not in FAMILIES:
        raise ArspinError(f"family: unknown family {family!r} (known: {', '.join(FAMILIES)})")
    specs = FAMILIES[family]["options"]
    unknown = sorted(set(options) - set(specs))
    if unknown:
        known = ", ".join(specs) or "none"
        raise ArspinError(f"family '{family}': unknown option '{unknown[0]}' (options: {known})")
    return {name: _coerce(family, name, options.get(name, spec["default"]), spec)
            for name, spec in specs.items()}


def _check_count(name: str, value: Any, minimum: int) -> int:
    if not isinstance(value, numbers.Integral) or isinstance(value, (bool, np.bool_)):
        raise ArspinError(f"{name}: expected an integer, got {value!r}")
    if value < minimum:
        raise ArspinError(f"{name}: must be >= {minimum}, got {value}")
    return int(value)


def spin_order(seed: int, n: int, order: int) -> np.ndarray:
    """The spin order number ``order`` of an instance drawn with ``seed``: 0 is index order,
    k >= 1 a uniformly random permutation from its own stream (SeedSequence of the project
    entropy, the instance seed and k), so the draw of the couplings is untouched."""
    if order == 0:
        return np.arange(n)
    seq = np.random.SeedSequence([PROJECT_ENTROPY, int(seed), int(order)])
    return np.random.default_rng(seq).permutation(n)


def generate(family: str, size: int, index: int, seed_rule: str = "default",
             order: int = 0, **options: Any) -> IsingModel:
    """Instance ``index`` of ``family`` at ``size``, deterministic from its arguments.

    Args:
        family: a key of :data:`FAMILIES`.
        size: L for ea2d/ea3d, the number of spins N otherwise.
        index: instance number, >= 0.
        seed_rule: "default" (:mod:`.seeding`), "twobo-reference" (the TwoBo paper's
            instances: ea2d/ea3d in :mod:`.lattice`, rrg in :mod:`.random_graphs`) or
            "h2arnn-reference" (the H2ARNN paper's sk instances, index = seed, :mod:`.dense`).
        order: spin order (MPVAN Fig. S4): 0 keeps the generator's labels; k >= 1 relabels
            the spins by the random permutation :func:`spin_order` (new spin m is old spin
            order[m]; couplings, fields and a planted state move with their spins, energies
            are unchanged), recorded in ``meta["order"]``.
        **options: family options (see ``FAMILIES[family]["options"]``).
    Returns:
        The model; ``meta`` holds family, size, index, seed_rule, seed (the integer seed used),
        options (with defaults), spin_order (k), library versions, and per-family entries
        (wpe: planted_state, planted_energy, M, alpha_used).
    Raises:
        ArspinError: bad family, option, size, index or seed rule.
    """
    opts = validate_options(family, options)
    size = _check_count("size", size, 1)
    index = _check_count("index", index, 0)
    order = _check_count("order", order, 0)
    if seed_rule not in FAMILIES[family]["seed_rules"]:
        raise ArspinError(f"seed_rule: family '{family}' supports "
                          f"{FAMILIES[family]['seed_rules']}, got {seed_rule!r}")
    if seed_rule == "twobo-reference" and family == "rrg":
        seed = index  # the reference's numpy.random.seed(i) and random_regular_graph(seed=i)
        model = random_graphs.build_rrg_twobo_reference(size, index, **opts)
    elif seed_rule == "h2arnn-reference":
        seed = index  # the paper's numpy.random.seed(s): instance index = its seed s
        model = dense.build_sk_h2arnn_reference(size, index)
    elif seed_rule == "twobo-reference":
        seed = 0  # the reference's numpy.random.seed(0)
        model = lattice.build_ea_twobo_reference(size, 2 if family == "ea2d" else 3, index)
    else:
        seed = default_seed(family, size, index)
        model = _BUILDERS[family](size, np.random.default_rng(seed), **opts)
    meta = {
        "family": family, "size": size, "index": index, "seed_rule": seed_rule, "seed": seed,
        "options": opts, **model.meta,
        "versions": {"numpy": np.__version__, "networkx": nx.__version__},
    }
    if order:
        perm = spin_order(seed, model.n, order)
        if "planted_state" in meta:
            meta["planted_state"] = [meta["planted_state"][k] for k in perm]
        model = model.permuted(perm)
        meta["spin_order"] = order
        meta["order"] = perm.tolist()
    return dataclasses.replace(model, meta=meta)
