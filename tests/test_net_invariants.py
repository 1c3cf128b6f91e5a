"""Invariants every registered net must satisfy, parametrised over the registry (after
NetKet's ARNN tests): a net added to ``NETS`` is checked here without editing this file.

For each case (net, small model with N <= 10, hyperparameters), with randomised parameters
(every entry, masked or not, ~ 0.5 Normal(0, 1), so that q is far from uniform and a mask
that is not applied shows):
  * normalisation: sum over all 2^N states of q(x) = 1;
  * the autoregressive property: flipping the spin at generation step t leaves the logits
    of steps <= t bit-for-bit unchanged (generation order: the net's ``path`` if it has one,
    else the index order);
  * ln q returned by ``sample`` equals the teacher-forced ``log_prob`` of the same samples;
  * a chi-square test of samples against the enumerated q (fixed seed, p > 1e-3);
  * float32 params and outputs; the closed-form ``param_count`` equals the number of
    trainable (unmasked) entries of the initialised params.
Cases: every net with its DEFAULT hyperparameters on the first of DEFAULT_MODELS it accepts,
plus the hyperparameter variants in VARIANTS.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import jax
import jax.numpy as jnp
import numpy as np
import pytest
import scipy.stats
from enumeration_helpers import all_states, grid, randomized, rrg, sk

from arspin.errors import ArspinError
from arspin.instances import generate
from arspin.nets import registry
from arspin.nets.registry import NETS, build_net, param_count

BETA = 0.8
N_SAMPLES = 30_000
NETS_DIR = Path(registry.__file__).parent


def _chain10():
    from arspin.hamiltonian import IsingModel
    return IsingModel.from_edges(10, np.arange(9), np.arange(1, 10),
                                 np.random.default_rng(1).normal(size=9))


# tried in order for a net's defaults: the first the net accepts is used (rnn2d: a lattice)
DEFAULT_MODELS = {"rrg10": lambda: generate("rrg", 10, 0), "ea2d3": lambda: generate("ea2d", 3, 0),
                  # cw_n is exact for Curie-Weiss only; J and h make q far from uniform
                  "cw10": lambda: generate("cw", 10, 0, J=1.5, h=0.3)}
# net -> {id: (model, hyperparameters)}; nets not listed are checked with defaults only
VARIANTS = {
    "twobo": {
        "default-ea2d3": (lambda: generate("ea2d", 3, 0), {}),
        "hidden-3d-blocks": (lambda: grid([2, 2, 2]), {"hidden": [3, 2], "block": 3}),
        "frozen-skip-sk": (lambda: sk(8), {"use_beta_skip": False, "block": 3}),
        "shuffled-fields-tanh": (lambda: rrg(10, shuffle=True, fields=True),
                                 {"hidden": [2], "activation": "tanh", "block": 4}),
    },
    "made": {
        "sk-blocks": (lambda: sk(8), {"block": 3}),
        "d2w1": (lambda: generate("rrg", 10, 0), {"depth": 2}),
        "d3w2-2d": (lambda: grid([2, 4]), {"depth": 3, "width": 2}),
    },
    "rnn2d": {
        "shared": (lambda: generate("ea2d", 3, 0), {"per_site": False, "hidden": 2}),
        "rect": (_chain10, {"shape": [2, 5], "hidden": 2}),
    },
    "rnn1d": {
        "site": (_chain10, {"hidden": 3}),
        "shared": (_chain10, {"per_site": False, "hidden": 3}),
    },
    "dilated_rnn": {
        "zero-tanh": (_chain10, {"hidden": 3, "missing": "zero", "activation": "tanh"}),
        "layers2": (lambda: sk(8), {"hidden": 2, "layers": 2}),
    },
    "cw_n": {"antiferro-9": (lambda: generate("cw", 9, 0, J=-2.0, h=0.5), {})},
    "cw_inf": {"analytic": (lambda: generate("cw", 10, 0, J=1.5), {"values": "analytic"})},
    "sk_rsb": {
        "k2-fields": (lambda: rrg(10, shuffle=True, fields=True), {"k": 2}),
        "k1-fixed-learned": (lambda: sk(8), {"k": 1, "fixed_skip": True,
                                             "learn_first_layer": True,
                                             "first_layer_init": "normal"}),
    },
    "h2arnn_exact": {"rrg-fields": (lambda: rrg(10, shuffle=True, fields=True), {})},
    # every message-passing mechanism; sk: dense couplings, rrg: sparse with an order shuffle
    "mpvan": {
        **{f"{m}-sk": (lambda: sk(8), {"mechanism": m})
           for m in ("none", "gcn", "weighted", "graph", "spin_gcn", "graph_spin")},
        "hamiltonian-rrg-causal": (lambda: rrg(10, shuffle=True), {"gcn_degree": "causal"}),
        "gcn-causal-zero-one": (lambda: rrg(10, shuffle=True),
                                {"mechanism": "gcn", "gcn_degree": "causal",
                                 "first_layer_input": "zero_one"}),
        "hamiltonian-hidden-2": (lambda: sk(8), {"mp_layers": "hidden", "layers": 2,
                                                 "self_weight": 0.5}),
    },
}


def _default_case(name: str):
    for model_id, make in DEFAULT_MODELS.items():
        model = make()
        try:
            build_net(name, model, {})
        except ArspinError:
            continue
        return model_id, model
    raise AssertionError(f"net {name!r} accepts none of {list(DEFAULT_MODELS)}")


def _cases() -> list[str]:
    ids = [f"{name}-default" for name in NETS]
    ids += [f"{name}:{vid}" for name, variants in VARIANTS.items() for vid in variants]
    return ids


def _build(case_id: str):
    """(net name, model, hyperparameters, net) of a case id."""
    if case_id.endswith("-default") and case_id[: -len("-default")] in NETS:
        name = case_id[: -len("-default")]
        model, hparams = _default_case(name)[1], {}
    else:
        name, vid = case_id.split(":")
        make, hparams = VARIANTS[name][vid]
        model = make()
    return name, model, hparams, build_net(name, model, hparams)


def generation_order(net) -> np.ndarray:
    """Spin index of each generation step: the net's ``path`` (rnn2d: snake) or 0..N-1."""
    return np.asarray(getattr(net, "path", np.arange(net.n)))


@pytest.fixture(scope="module", params=_cases())
def case(request):
    """One net with randomised parameters, evaluated once (3 compiles: all 2^N states, the
    flipped batch, the sampler)."""
    name, model, hparams, net = _build(request.param)
    assert net.n <= 10
    params = randomized(net.init(jax.random.key(0)))
    log_prob = jax.jit(net.log_prob)
    states = all_states(net.n)
    log_q = np.asarray(log_prob(params, states, BETA), np.float64)
    x, lq = jax.jit(net.sample, static_argnums=2)(params, jax.random.key(4), N_SAMPLES,
                                                   jnp.float32(BETA))
    lp_samples = log_prob(params, x[: len(states)], BETA)       # same shape: no new compile
    return {"id": request.param, "name": name, "model": model, "hparams": hparams, "net": net,
            "params": params, "states": states, "log_q": log_q, "x": np.asarray(x),
            "lq": np.asarray(lq), "lp_samples": np.asarray(lp_samples)}


def test_every_net_has_a_default_case():
    assert {c[: -len("-default")] for c in _cases() if c.endswith("-default")} == set(NETS)
    assert set(VARIANTS) <= set(NETS)


def test_normalised(case):
    assert abs(np.exp(case["log_q"]).sum() - 1.0) < 2e-5    # float32 conditionals, f64 sum
    assert case["log_q"].std() > 0.3                       # far from uniform: the test has teeth


def test_autoregressive(case):
    """Flipping the spin of generation step t leaves the logits of steps <= t unchanged."""
    net, params = case["net"], case["params"]
    order = generation_order(net)
    assert sorted(order) == list(range(net.n))
    base_x = case["x"][:16]
    flipped = np.repeat(base_x[None], net.n, axis=0)               # (steps, 16, N)
    flipped[np.arange(net.n), :, order] *= -1
    logits = np.asarray(jax.jit(net.logits)(
        params, np.concatenate([base_x, *flipped]), jnp.float32(BETA)))
    base = logits[:16]
    new = logits[16:].reshape(net.n, 16, net.n)
    later_changed = 0
    for t in range(net.n):
        before, after = order[: t + 1], order[t + 1:]
        np.testing.assert_array_equal(new[t][:, before], base[:, before],
                                      err_msg=f"{case['id']}: step {t} flipped")
        later_changed += bool(np.any(new[t][:, after] != base[:, after]))
    assert later_changed >= net.n // 2                  # the test can see a dependence


def test_sample_log_prob_equals_teacher_forced(case):
    x, lq = case["x"], case["lq"]
    assert x.shape == (N_SAMPLES, case["net"].n) and set(np.unique(x)) <= {-1.0, 1.0}
    np.testing.assert_allclose(lq[: len(case["states"])], case["lp_samples"],
                               rtol=1e-5, atol=2e-5 * case["net"].n)


def test_samples_follow_q(case):
    """Chi-square test of the samples against the enumerated q, rare states pooled."""
    n, states = case["net"].n, case["states"]
    bits = 1 << np.arange(n)                                     # all_states: spin 0 = bit 0
    assert np.array_equal(((states > 0) * bits).sum(axis=1), np.arange(2 ** n))
    counts = np.bincount(((case["x"] > 0) * bits).sum(axis=1), minlength=2 ** n)
    q = np.exp(case["log_q"])
    expected = N_SAMPLES * q / q.sum()
    order = np.argsort(expected)
    n_rare = int(np.sum(expected < 5))
    while n_rare and expected[order[:n_rare]].sum() < 5:
        n_rare += 1
    rare, keep = order[:n_rare], order[n_rare:]
    obs = np.append(counts[keep], counts[rare].sum()) if n_rare else counts
    exp = np.append(expected[keep], expected[rare].sum()) if n_rare else expected
    p_value = scipy.stats.chisquare(obs, exp).pvalue
    assert p_value > 1e-3, f"{case['id']}: chi-square p = {p_value:.2e}"


def test_float32_everywhere(case):
    """No float64 leaks into params, logits or samples, even with a float64 beta (traced
    abstractly under strict dtype promotion, so mixing float32 and float64 raises)."""
    net, params = case["net"], case["params"]
    assert jax.config.jax_enable_x64
    assert all(leaf.dtype == jnp.float32 for leaf in jax.tree_util.tree_leaves(params))
    beta = jnp.float64(0.5)
    with jax.numpy_dtype_promotion("strict"):
        x, log_q = jax.eval_shape(lambda p, k, b: net.sample(p, k, 4, b), params,
                                  jax.random.key(1), beta)
        logits = jax.eval_shape(net.logits, params, jnp.zeros(x.shape, jnp.float32), beta)
        lp = jax.eval_shape(net.log_prob, params, jnp.zeros(x.shape, jnp.float32), beta)
    assert x.dtype == log_q.dtype == logits.dtype == lp.dtype == jnp.float32


def trainable_entries(net, params) -> int:
    """Entries of the initialised params that training can change: all, less those a net's
    ``trainable_mask`` marks as masked out (which must then start at exactly 0)."""
    leaves = jax.tree_util.tree_leaves(params)
    if not hasattr(net, "trainable_mask"):
        return sum(leaf.size for leaf in leaves)
    masks = jax.tree_util.tree_leaves(net.trainable_mask(params))
    assert len(masks) == len(leaves)
    for leaf, mask in zip(leaves, masks):
        assert mask.shape == leaf.shape and mask.dtype == bool
        assert not np.any(np.asarray(leaf)[~np.asarray(mask)])    # masked entries start at 0
    return int(sum(np.sum(np.asarray(mask)) for mask in masks))


@pytest.mark.parametrize("case_id", _cases())
def test_param_count(case_id):
    """registry.param_count (closed form) == net.n_params == trainable entries of init."""
    name, model, hparams, net = _build(case_id)
    params = net.init(jax.random.key(0))
    count = param_count(name, model, hparams)
    assert count == net.n_params(params) == trainable_entries(net, params)
    # only nets that declare it (cw_n, h2arnn_exact: every weight from the Hamiltonian) have none
    assert count > 0 or getattr(net, "parameter_free", False)


@pytest.mark.parametrize("name, model, hparams", [
    ("twobo", lambda: generate("ea2d", 4, 0), {"hidden": [4, 3, 2]}),
    ("twobo", lambda: rrg(24, shuffle=True, fields=True), {"hidden": [5]}),
    ("made", lambda: sk(12), {"depth": 4, "width": 3}),
    ("rnn2d", lambda: generate("ea2d", 4, 0), {}),
    ("rnn1d", lambda: generate("ea3d", 2, 0), {"per_site": False}),
    ("dilated_rnn", lambda: sk(13), {}),
    ("sk_rsb", lambda: sk(13), {"k": 3, "learn_first_layer": True}),
    ("cw_inf", lambda: generate("cw", 17, 0), {}),
])
def test_param_count_larger(name, model, hparams):
    model = model()
    net = build_net(name, model, hparams)
    params = net.init(jax.random.key(0))
    assert param_count(name, model, hparams) == net.n_params(params) == trainable_entries(
        net, params)


# ----------------------------------------------------------------- registry (no jax needed)
def test_registry_imports_no_jax_and_no_net():
    code = ("import sys, arspin.nets.registry as r; "
            "bad = [m for m in sys.modules if m == 'jax' or m.startswith('jax.') "
            "or (m.startswith('arspin.nets.') and m != 'arspin.nets.registry')]; "
            "assert not bad, bad; print(sorted(r.NET_MODULES))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr


def _net_imports(path: Path) -> set[str]:
    """arspin.nets.* modules imported by a source file (static, as the workflow sees it)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {m for m in found if m.startswith("arspin.nets.")}


def test_net_modules_import_only_the_shared_kernel():
    """A net's module imports base/kernel only (dense_twobo: also twobo), so an edit to one
    net changes no other net's import closure; base/kernel import no net."""
    shared = {"arspin.nets.base", "arspin.nets.kernel"}
    allowed = {"arspin.nets.dense_twobo": {"arspin.nets.twobo"}}
    for name in NETS:
        assert registry.net_module(name) == registry.NET_MODULES[name]
        # a net may live in a subpackage (arspin.nets.h2arnn.cw)
        parts = registry.net_module(name).split(".")[2:]
        assert NETS_DIR.joinpath(*parts).with_suffix(".py").exists()
    for path in NETS_DIR.rglob("*.py"):
        module = ".".join(["arspin.nets", *path.relative_to(NETS_DIR).with_suffix("").parts])
        imported = _net_imports(path)
        if module in shared:
            assert imported <= shared - {module} - ({"arspin.nets.base"} if
                                                    module.endswith("kernel") else set()), path
        elif module != "arspin.nets.registry":
            assert imported <= shared | allowed.get(module, set()), (path, imported)


def test_declared_activations_exist():
    from arspin.nets.kernel import ACTIVATIONS
    for spec in NETS.values():
        hp = spec.hparams.get("activation")
        if hp is not None:
            assert set(hp.choices) <= set(ACTIVATIONS)


def _bad_values(hp) -> list:
    kind = hp.value_kind
    bad = [{"bool": 1, "int": "x", "float": "x", "str": 3, "int_list": ["x"]}[kind]]
    if kind in ("int", "float") and not hp.choices:
        bad.append(True)
    if hp.choices:
        bad.append("not-a-choice")
    for bound in (hp.ge, hp.gt):
        if bound is not None:
            low = int(bound) - 1 if kind in ("int", "int_list") else bound - (hp.ge is not None)
            bad.append([low] * (hp.length or 1) if kind == "int_list" else low)
    if hp.length is not None:
        bad.append([1] * (hp.length + 1))
    if not hp.nullable:
        bad.append(None)
    return bad


@pytest.mark.parametrize("name", list(NETS))
def test_invalid_hyperparameters_name_net_and_key(name):
    """Every declared range is enforced by the registry's validator, defaults pass it."""
    spec = NETS[name]
    assert registry.resolve_hparams(name) == spec.defaults
    for key, hp in spec.hparams.items():
        for value in _bad_values(hp):
            with pytest.raises(ArspinError, match=rf"net '{name}'.*'{key}'"):
                registry.resolve_hparams(name, {key: value})
    with pytest.raises(ArspinError, match="bogus"):
        registry.resolve_hparams(name, {"bogus": 1})


def test_unknown_net():
    model = grid([2, 2])
    for call in (lambda: build_net("nonet", model), lambda: param_count("nonet", model),
                 lambda: registry.net_module("nonet")):
        with pytest.raises(ArspinError, match="nonet"):
            call()


def test_all_states_helper():
    """The enumeration helper's bit order, which the chi-square test relies on."""
    assert all_states(2).tolist() == [[-1, -1], [1, -1], [-1, 1], [1, 1]]
