"""Build a net by name from a model and a dict of hyperparameters; count its parameters.

``NETS`` lists every net: the module and class that implement it (as strings) and, per
hyperparameter, its default, meaning and allowed values (``HParam``). ``build_net`` fills in
the defaults and checks every value with one generic validator (``resolve_hparams``), so a
typo in a config file fails with an ArspinError naming net and key before any training starts;
only checks that depend on the model (e.g. a lattice shape against N) stay in the nets.

Import-light by design: importing this module imports neither jax nor any net module (the
net's module is imported by ``build_net``/``param_count`` on demand). The workflow computes a
training job's code dependencies as the import closure of the train command plus
``net_module(name)``, so an edit to one net's module reruns only that net's jobs.
"""

from __future__ import annotations

import copy
import importlib
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from arspin.errors import ArspinError

if TYPE_CHECKING:
    from arspin.hamiltonian import IsingModel
    from arspin.nets.base import AutoregressiveNet

KINDS = ("bool", "int", "float", "str", "int_list")


@dataclass(frozen=True)
class HParam:
    """One hyperparameter: default, meaning, and the values the generic validator accepts.

    Attributes:
        default: the value used when the key is absent.
        help: one line for docs and error messages.
        kind: "bool", "int", "float" (ints are converted), "str" or "int_list" (a list of
            ints; tuples are converted); None = the kind of ``default``.
        choices: allowed values (non-empty: anything else is rejected).
        ge, gt: inclusive / exclusive lower bound (per element for int_list).
        le: inclusive upper bound.
        length: required length of an int_list.
        nullable: None is accepted (the net then picks a value itself).
        special: further literal values accepted as they are (e.g. "auto").
    """

    default: Any
    help: str
    kind: str | None = None
    choices: tuple = ()
    ge: float | None = None
    gt: float | None = None
    le: float | None = None
    length: int | None = None
    nullable: bool = False
    special: tuple = ()

    @property
    def value_kind(self) -> str:
        if self.kind is not None:
            return self.kind
        for kind, cls in (("bool", bool), ("int", int), ("float", float), ("str", str),
                          ("int_list", list)):
            if isinstance(self.default, cls):
                return kind
        raise TypeError(f"HParam: give kind for default {self.default!r}")

    def describe(self) -> str:
        """What a valid value is, in words (for error messages)."""
        kind = self.value_kind
        text = {"bool": "true or false", "int": "an integer", "float": "a finite number",
                "str": "a string", "int_list": "a list of integers"}[kind]
        if self.length is not None:
            text = f"a list of {self.length} integers"
        if self.choices:
            text = f"one of {list(self.choices)}"
        bounds = [f"{op} {value:g}" for op, value in ((">=", self.ge), (">", self.gt),
                                                      ("<=", self.le)) if value is not None]
        if bounds:
            text += (" each " if kind == "int_list" else " ") + " and ".join(bounds)
        extra = [repr(v) for v in self.special] + (["null"] if self.nullable else [])
        return text + "".join(f" or {v}" for v in extra)


def _coerce(hp: HParam, value: Any) -> Any:
    """value converted to hp's kind and checked, or raise ValueError (no message needed)."""
    if value is None and hp.nullable:
        return None
    if any(value == s and type(value) is type(s) for s in hp.special):
        return value
    kind = hp.value_kind
    if kind == "bool":
        if not isinstance(value, bool):
            raise ValueError
        out = value
    elif kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError
        out = value
    elif kind == "float":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError
        out = float(value)
        if not math.isfinite(out):
            raise ValueError
    elif kind == "str":
        if not isinstance(value, str):
            raise ValueError
        out = value
    elif kind == "int_list":
        if not isinstance(value, (list, tuple)) or any(
                isinstance(v, bool) or not isinstance(v, int) for v in value):
            raise ValueError
        out = list(value)
        if hp.length is not None and len(out) != hp.length:
            raise ValueError
    else:
        raise TypeError(f"unknown hyperparameter kind {kind!r}")
    if hp.choices and out not in hp.choices:
        raise ValueError
    for v in (out if kind == "int_list" else [out]):
        if ((hp.ge is not None and v < hp.ge) or (hp.gt is not None and v <= hp.gt)
                or (hp.le is not None and v > hp.le)):
            raise ValueError
    return out


@dataclass(frozen=True)
class NetSpec:
    """A net family: the module and class implementing it (dotted strings, imported lazily)
    and its hyperparameters. The class takes ``(model, **hparams)`` and has a classmethod
    ``param_count(model, **hparams) -> int``."""

    module: str
    cls: str
    hparams: dict[str, HParam]

    @property
    def defaults(self) -> dict[str, Any]:
        """{key: default} (a fresh copy: callers may mutate it)."""
        return {key: copy.deepcopy(hp.default) for key, hp in self.hparams.items()}

    @property
    def help(self) -> dict[str, str]:
        """{key: one-line meaning}."""
        return {key: hp.help for key, hp in self.hparams.items()}

    def load(self) -> type:
        """The net class (imports its module now)."""
        return getattr(importlib.import_module(self.module), self.cls)


# activation names: keys of arspin.nets.kernel.ACTIVATIONS (a test checks they agree;
# repeated here so that this module does not import jax)
_TWOBO_ACTIVATIONS = ("elu", "gelu", "relu", "silu", "tanh")
_RNN_ACTIVATIONS = ("elu", "tanh")
_INIT_SCALE = HParam(1e-2, "output weights start as init_scale/sqrt(d_h) x truncnormal(-2,2)",
                     gt=0.0)
_RNN = {
    "hidden": HParam(None, "memory units d_h; null or 'auto' = parameter count closest to the "
                     "default TwoBo's", kind="int", ge=1, nullable=True, special=("auto",)),
    "per_site": HParam(True, "one tensorized cell + output layer per site (true) or one shared "
                       "cell"),
    "activation": HParam(None, "'tanh' or 'elu'; null = shared: tanh, per-site: elu",
                         kind="str", choices=_RNN_ACTIVATIONS, nullable=True),
    "init_scale": _INIT_SCALE,
}

NETS: dict[str, NetSpec] = {
    "twobo": NetSpec("arspin.nets.twobo", "TwoBo", {
        "hidden": HParam([], "widths of the per-site MLP g_i; [] is the paper's single dense "
                         "layer", ge=1),
        "use_beta_skip": HParam(True, "multiply the skip field xi_ii by the annealed beta "
                                "(False: by 1)"),
        "skip_init": HParam(2.0, "initial skip weight added to the small random init (exact "
                            "value: 2)"),
        "init_scale": HParam(1e-2, "every other parameter starts as init_scale/sqrt(N) x "
                             "truncnormal(-2,2)"),
        "activation": HParam("gelu", "activation of the per-site MLP, one of "
                             f"{list(_TWOBO_ACTIVATIONS)}", choices=_TWOBO_ACTIVATIONS),
        "block": HParam(32, "sites per block of the sparse engine (speed only; results equal "
                        "up to float32 rounding)", ge=1),
    }),
    "made": NetSpec("arspin.nets.made", "MADE", {
        "depth": HParam(1, "number of masked linear layers d (1: the single masked layer "
                        "1L/SL)", ge=1),
        "width": HParam(1, "hidden width as a multiple w of N (MADE_dw), unused for depth 1",
                        ge=1),
        "init_scale": HParam(1e-2, "last layer starts as init_scale/sqrt(N) x "
                             "truncnormal(-2,2)"),
        "block": HParam(32, "sites per block of the depth-1 sampler (speed only)", ge=1),
    }),
    "rnn2d": NetSpec("arspin.nets.rnn", "RNN2D", {
        "shape": HParam(None, "[rows, cols] of the row-major lattice; null = from the instance "
                        "meta (ea2d, side L)", kind="int_list", length=2, ge=1, nullable=True),
        **_RNN,
    }),
    "rnn1d": NetSpec("arspin.nets.rnn", "RNN1D", dict(_RNN)),
    "dilated_rnn": NetSpec("arspin.nets.dilated_rnn", "DilatedRNN", {
        "hidden": HParam(20, "units per layer (VCA: 20)", ge=1),
        "layers": HParam(None, "null = ceil(log2 N)", kind="int", ge=1, nullable=True),
        "missing": HParam("reference", "'reference' (the reference code's read of site 0 for "
                          "n < 2^l) or 'zero'", choices=("reference", "zero")),
        "activation": HParam("elu", "'elu' (VCA) or 'tanh'", choices=_RNN_ACTIVATIONS),
        "init_scale": _INIT_SCALE,
    }),
    # H2ARNN paper (physics.md sections 4, 6b; docs/h2arnn_nets.md)
    "cw_n": NetSpec("arspin.nets.h2arnn.cw", "CWN", {}),
    "cw_inf": NetSpec("arspin.nets.h2arnn.cw", "CWInf", {
        "values": HParam("trained", "'trained' (a, c_i learned, N+1 parameters) or 'analytic' "
                         "(the N -> inf values at each beta; Curie-Weiss model with h = 0)",
                         choices=("trained", "analytic")),
    }),
    "one_param": NetSpec("arspin.nets.h2arnn.cw", "OneParam", {}),
    "sk_rsb": NetSpec("arspin.nets.h2arnn.sk", "SKRSB", {
        "k": HParam(0, "replica-symmetry-breaking level: k+1 log-sigmoid layers (0 = RS)", ge=0),
        "fixed_skip": HParam(False, "skip weight and bias fixed at 2 beta and 2 beta h_i "
                             "(not trained)"),
        "learn_first_layer": HParam(False, "the first layer (fixed J) becomes trainable"),
        "first_layer_init": HParam("J", "init of a learned first layer: 'J' or 'normal' "
                                   "(normal with std 1/N, the reference's)", choices=("J", "normal")),
        "skip_init_beta": HParam(0.1, "trained skip starts at 2 beta0 and 2 beta0 h_i at this "
                                 "beta0", ge=0.0),
    }),
    "h2arnn_exact": NetSpec("arspin.nets.h2arnn.exact", "H2ARNNExact", {}),
    # MPVAN paper (mpvan.md sections 2, 3, 5; docs/mpvan.md)
    "mpvan": NetSpec("arspin.nets.mpvan", "MPVAN", {
        "mechanism": HParam("hamiltonian", "message passing: 'hamiltonian' (MPVAN), 'none' (the "
                            "paper's VAN), 'gcn' (GCon-VAN), 'weighted', 'graph', 'spin_gcn', "
                            "'graph_spin'", choices=("hamiltonian", "none", "gcn", "weighted",
                                                     "graph", "spin_gcn", "graph_spin")),
        "layers": HParam(3, "masked layers of width 1 per node (the paper: 3)", ge=1),
        "self_weight": HParam(1.0, "weight of a node's own feature, Eq. (10) [recon]"),
        "gcn_degree": HParam("full", "degree in the GCN weights: 'full' graph or 'causal' "
                             "(earlier neighbours only) [recon]", choices=("full", "causal")),
        "first_layer_input": HParam("pm1", "input features: 'pm1' (the spins, literal reading) "
                                    "or 'zero_one' ((1+s)/2) [recon]",
                                    choices=("pm1", "zero_one")),
        "mp_layers": HParam("all", "message passing in 'all' layers or only the 'hidden' ones "
                            "[recon]", choices=("all", "hidden")),
        "kernel": HParam("auto", "message as a 'dense' product or a 'sparse' edge sum; 'auto': "
                         "sparse below 25% coupled pairs", choices=("auto", "dense", "sparse")),
    }),
}

# net name -> dotted module implementing it (the workflow's per-net code dependency)
NET_MODULES: dict[str, str] = {name: spec.module for name, spec in NETS.items()}


def _spec(name: str) -> NetSpec:
    if name not in NETS:
        raise ArspinError(f"unknown net {name!r}; known nets: {', '.join(sorted(NETS))}")
    return NETS[name]


def net_module(name: str) -> str:
    """Dotted name of the module implementing net ``name`` (e.g. "arspin.nets.twobo")."""
    return _spec(name).module


def net_class(name: str) -> type:
    """The class implementing net ``name``; imports its module (and jax) now."""
    return _spec(name).load()


def resolve_hparams(name: str, hparams: dict | None = None) -> dict[str, Any]:
    """Every hyperparameter of net ``name``: ``hparams`` checked and converted (ints to
    float, tuples to lists), missing keys at their defaults.

    Raises:
        ArspinError: unknown net, unknown key, or a value outside its HParam's range; the
            message names net and key.
    """
    spec = _spec(name)
    hparams = dict(hparams or {})
    unknown = sorted(set(hparams) - set(spec.hparams))
    if unknown:
        raise ArspinError(f"net {name!r}: unknown hyperparameter(s) {', '.join(unknown)}; "
                          f"known: {', '.join(sorted(spec.hparams))}")
    out = {}
    for key, hp in spec.hparams.items():
        value = hparams.get(key, hp.default)
        try:
            out[key] = _coerce(hp, value)
        except ValueError:
            raise ArspinError(f"net {name!r}: hyperparameter {key!r} = {value!r} should be "
                              f"{hp.describe()}") from None
    return out


def build_net(name: str, model: IsingModel, hparams: dict | None = None) -> AutoregressiveNet:
    """The net ``name`` for ``model`` with ``hparams`` (missing keys take NETS defaults).

    Raises:
        ArspinError: unknown net, unknown hyperparameter, wrong type or invalid value, or a
            value that does not fit the model (e.g. rnn2d's shape).
    """
    kwargs = resolve_hparams(name, hparams)
    return net_class(name)(model, **kwargs)


def param_count(name: str, model: IsingModel, hparams: dict | None = None) -> int:
    """Trainable parameters of net ``name`` on ``model`` in closed form (no init, no jax
    computation), equal to ``build_net(name, model, hparams).n_params(params)``.

    ``param_count("twobo", model)`` is the single-layer TwoBo's N + #skip sites + sum_i |F_i|
    (skip sites: ``model.skip_mask() | (model.h != 0)``); ``param_count("made", model)`` is
    N(N+1)/2.
    """
    kwargs = resolve_hparams(name, hparams)
    return int(net_class(name).param_count(model, **kwargs))
