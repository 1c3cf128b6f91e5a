"""Build a net by name from a model and a dict of hyperparameters.

``NETS`` lists every net this module knows, with each hyperparameter's default and meaning;
``build_net`` fills in the defaults, rejects unknown names and keys with an ArspinError that
names them, and checks types, so a typo in a config file fails before any training starts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from arspin.errors import ArspinError
from arspin.hamiltonian import IsingModel
from arspin.nets.base import AutoregressiveNet
from arspin.nets.dilated_rnn import DilatedRNN
from arspin.nets.made import MADE
from arspin.nets.rnn import RNN1D, RNN2D
from arspin.nets.twobo import ACTIVATIONS, TwoBo


@dataclass(frozen=True)
class NetSpec:
    """A net family: its constructor, hyperparameter defaults and their descriptions."""

    factory: Callable[..., AutoregressiveNet]
    defaults: dict[str, Any]
    help: dict[str, str] = field(default_factory=dict)


_RNN_HELP = {
    "hidden": "memory units d_h; null or 'auto' = parameter count closest to the default TwoBo's",
    "per_site": "one tensorized cell + output layer per site (true) or one shared cell",
    "activation": "'tanh' or 'elu'; null = shared: tanh, per-site: elu",
    "init_scale": "output weights start as init_scale/sqrt(d_h) x truncnormal(-2,2)",
}

NETS: dict[str, NetSpec] = {
    "twobo": NetSpec(
        TwoBo,
        {"hidden": [], "use_beta_skip": True, "skip_init": 2.0, "init_scale": 1e-2,
         "activation": "gelu", "block": 32},
        {"hidden": "widths of the per-site MLP g_i; [] is the paper's single dense layer",
         "use_beta_skip": "multiply the skip field xi_ii by the annealed beta (False: by 1)",
         "skip_init": "initial skip weight added to the small random init (exact value: 2)",
         "init_scale": "every other parameter starts as init_scale/sqrt(N) x truncnormal(-2,2)",
         "activation": f"activation of the per-site MLP, one of {sorted(ACTIVATIONS)}",
         "block": "sites per block of the sparse engine (speed only; results equal up to "
                  "float32 rounding)"},
    ),
    "made": NetSpec(
        MADE,
        {"depth": 1, "width": 1, "init_scale": 1e-2, "block": 32},
        {"depth": "number of masked linear layers d (1: the single masked layer 1L/SL)",
         "width": "hidden width as a multiple w of N (MADE_dw), unused for depth 1",
         "init_scale": "last layer starts as init_scale/sqrt(N) x truncnormal(-2,2)",
         "block": "sites per block of the depth-1 sampler (speed only)"},
    ),
    "rnn2d": NetSpec(
        RNN2D,
        {"shape": None, "hidden": None, "per_site": True, "activation": None, "init_scale": 1e-2},
        {"shape": "[rows, cols] of the row-major lattice; null = from the instance meta "
                  "(ea2d, side L)", **_RNN_HELP},
    ),
    "rnn1d": NetSpec(
        RNN1D,
        {"hidden": None, "per_site": True, "activation": None, "init_scale": 1e-2},
        _RNN_HELP,
    ),
    "dilated_rnn": NetSpec(
        DilatedRNN,
        {"hidden": 20, "layers": None, "missing": "reference", "activation": "elu",
         "init_scale": 1e-2},
        {"hidden": "units per layer (VCA: 20)",
         "layers": "null = ceil(log2 N)",
         "missing": "'reference' (the reference code's read of site 0 for n < 2^l) or 'zero'",
         "activation": "'elu' (VCA) or 'tanh'",
         "init_scale": _RNN_HELP["init_scale"]},
    ),
}


def _check_type(net: str, key: str, value: Any, default: Any) -> Any:
    """Coerce value to the type of its default; ArspinError naming net and key if impossible."""
    def bad() -> ArspinError:
        return ArspinError(f"net {net!r}: hyperparameter {key!r} = {value!r} "
                           f"should be {type(default).__name__}")
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise bad()
        return value
    if isinstance(default, int):
        if isinstance(value, bool) or not isinstance(value, int):
            raise bad()
        return value
    if isinstance(default, float):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise bad()
        return float(value)
    if isinstance(default, list):
        if not isinstance(value, (list, tuple)) or any(
                isinstance(v, bool) or not isinstance(v, int) for v in value):
            raise bad()
        return list(value)
    if isinstance(default, str) and not isinstance(value, str):
        raise bad()
    return value


def build_net(name: str, model: IsingModel, hparams: dict | None = None) -> AutoregressiveNet:
    """The net ``name`` for ``model`` with ``hparams`` (missing keys take NETS defaults).

    Raises:
        ArspinError: unknown net, unknown hyperparameter, wrong type or invalid value.
    """
    if name not in NETS:
        raise ArspinError(f"unknown net {name!r}; known nets: {', '.join(sorted(NETS))}")
    spec = NETS[name]
    hparams = dict(hparams or {})
    unknown = sorted(set(hparams) - set(spec.defaults))
    if unknown:
        raise ArspinError(f"net {name!r}: unknown hyperparameter(s) {', '.join(unknown)}; "
                          f"known: {', '.join(sorted(spec.defaults))}")
    kwargs = {key: _check_type(name, key, hparams.get(key, default), default)
              for key, default in spec.defaults.items()}
    return spec.factory(model, **kwargs)
