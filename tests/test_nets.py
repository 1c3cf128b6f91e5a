"""Property tests of TwoBo, its dense formulation and MADE against exact references.

References are independent of the code under test: enumeration of all 2^N states, the closed
form of the open chain, brute-force frontier counts from the dense coupling matrix, and the
dense-masked TwoBo (which never composes the weights with J). The invariants every net shares
(normalisation, autoregressive property, samples vs log-prob, chi-square, float32, parameter
counts vs init) are in test_net_invariants.py, over every registered net.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from enumeration_helpers import (
    all_states,
    boltzmann_log_p,
    chain,
    exact_log_q,
    grid,
    randomized,
    rrg,
    sk,
)

from arspin.errors import ArspinError
from arspin.hamiltonian import IsingModel
from arspin.instances import generate
from arspin.nets.dense_twobo import DenseTwoBo
from arspin.nets.made import MADE
from arspin.nets.registry import NETS, build_net, param_count
from arspin.nets.twobo import TwoBo

BETA = 0.8


class Jitted:
    """A net with its methods jitted once (eager dispatch would compile op by op)."""

    def __init__(self, net):
        self.net, self.n = net, net.n
        self.logits = jax.jit(net.logits)
        self.log_prob = jax.jit(net.log_prob)
        self.sample = jax.jit(net.sample, static_argnums=2)

def test_beta_is_traced():
    net = TwoBo(grid([3, 3]))
    params = net.init(jax.random.key(0))
    f = jax.jit(net.log_prob)
    x = jnp.ones((2, net.n), jnp.float32)
    a, b = f(params, x, 0.5), f(params, x, 2.0)
    assert f._cache_size() == 1 and not np.allclose(a, b)


@pytest.mark.parametrize("couplings", [np.ones(9), np.array([1, -1, 1, 1, -1, -1, 1, -1, 1.0]),
                                       np.random.default_rng(5).normal(size=9)])
@pytest.mark.parametrize("beta", [0.3, 1.0, 3.0])
def test_twobo_exact_on_open_chain(couplings, beta):
    """Skip weight 2 and all else 0 gives q = P_Boltzmann on a chain in chain order."""
    model = chain(10, couplings)
    net = TwoBo(model)
    params = jax.tree_util.tree_map(jnp.zeros_like, net.init(jax.random.key(0)))
    params["skip"] = 2.0 * jnp.asarray(net.has_skip, jnp.float32)
    states, log_q = exact_log_q(net, params, beta)
    log_p = boltzmann_log_p(model, states, beta)
    q = np.exp(log_q)
    assert np.sum(q * (log_q - log_p)) < 1e-6                          # KL(q || P_B)
    f_q = np.sum(q * (model.energy(states) + log_q / beta)) / model.n
    f_closed = -(model.n * np.log(2) + np.log(np.cosh(beta * couplings)).sum()) / (beta * model.n)
    assert abs(f_q - f_closed) < 1e-6 * abs(f_closed)


SPARSE_DENSE = {   # model, hidden widths, block sizes (several: the result must not change),
                   # and whether to compare samples drawn with the same key too
    "2d": (lambda: grid([4, 4], seed=1), [], [1, 16], True),
    "3d-hidden": (lambda: grid([3, 3, 3], seed=2), [4, 3], [5], False),
    "rrg-shuffled-fields": (lambda: rrg(30, seed=3, shuffle=True, fields=True), [], [7], False),
    "rrg-shuffled-fields-hidden": (lambda: rrg(30, seed=3, shuffle=True, fields=True), [3], [4],
                                   True),
    "sk": (lambda: sk(12, seed=4), [], [5], False),
}


@pytest.mark.parametrize("config", list(SPARSE_DENSE))
def test_sparse_equals_dense(config):
    """Same params, same x: equal logits; same key: equal samples and log-probs."""
    build, hidden, blocks, compare_samples = SPARSE_DENSE[config]
    model = build()
    x = jax.random.rademacher(jax.random.key(7), (64, model.n), jnp.float32)
    dense = None
    for block in blocks:
        sparse = TwoBo(model, hidden=hidden, block=block)
        params = randomized(sparse.init(jax.random.key(0)))
        net = Jitted(sparse)
        if dense is None:
            dense = Jitted(DenseTwoBo(model, sparse))
            dense_logits = np.asarray(dense.logits(params, x, BETA))
            if compare_samples:
                xd, lqd = dense.sample(params, jax.random.key(8), 256, BETA)
        scale = 1.0 + np.abs(dense_logits).max()
        assert np.abs(np.asarray(net.logits(params, x, BETA)) - dense_logits).max() < 1e-5 * scale
        if compare_samples:
            xs, lqs = net.sample(params, jax.random.key(8), 256, BETA)
            same = np.all(np.asarray(xs) == np.asarray(xd), axis=1)
            assert same.mean() > 0.98       # a logit within rounding of its noise may differ
            np.testing.assert_allclose(np.asarray(lqs)[same], np.asarray(lqd)[same],
                                       rtol=1e-5, atol=1e-5)


def _brute_force_twobo_count(model) -> int:
    """N + sum_i #{l >= i : J_sl != 0 for some s < i}, from the dense coupling matrix."""
    coupled = model.coupling_matrix.toarray() != 0
    total = model.n
    for i in range(1, model.n):
        total += int(np.any(coupled[:i, i:], axis=0).sum())
    return total


@pytest.mark.parametrize("model_id, expected", [("2d-L4", 101), ("3d-L4", 1429),
                                                ("rrg", None), ("rrg-shuffled", None)])
def test_twobo_parameter_count(model_id, expected):
    model = {"2d-L4": lambda: grid([4, 4]), "3d-L4": lambda: grid([4, 4, 4]),
             "rrg": lambda: rrg(40), "rrg-shuffled": lambda: rrg(40, shuffle=True)}[model_id]()
    net = TwoBo(model)
    count = net.n_params(jax.eval_shape(net.init, jax.random.key(0)))
    assert count == _brute_force_twobo_count(model) == param_count("twobo", model)
    if expected is not None:
        assert count == expected
    for hidden in ([], [3, 2]):
        net = TwoBo(model, hidden=hidden)
        params = net.init(jax.random.key(0))        # masked entries start at exactly 0
        nonzero = sum(int(np.count_nonzero(leaf)) for leaf in jax.tree_util.tree_leaves(params))
        assert net.n_params(params) == nonzero


@pytest.mark.parametrize("n", [5, 16])
def test_made_parameter_count(n):
    model = sk(n)
    single = MADE(model)
    assert single.n_params(single.init(jax.random.key(0))) == n * (n + 1) // 2
    assert param_count("made", model) == n * (n + 1) // 2
    for (d, w), stored in {(2, 1): 2 * n * n + 3 * n, (2, 2): 4 * n * n + 5 * n,
                           (2, 3): 6 * n * n + 7 * n, (3, 2): 8 * n * n + 9 * n}.items():
        net = MADE(model, depth=d, width=w)
        shapes = jax.eval_shape(net.init, jax.random.key(0))
        assert net.n_stored_params(shapes) == stored                 # H2ARNN's count
    net = MADE(model, depth=3, width=2)
    params = net.init(jax.random.key(0))
    nonzero = sum(int(np.count_nonzero(leaf)) for leaf in jax.tree_util.tree_leaves(params))
    assert net.n_params(params) == nonzero                           # masked entries start at 0


@pytest.mark.parametrize("family, size", [("ea2d", 2), ("ea2d", 5), ("ea3d", 3), ("rrg", 32),
                                          ("sk", 9)])
def test_param_count_equals_the_aggregate_counts(family, size):
    """param_count("twobo"/"made", model) give the numbers of the Fig. S1 parameter table
    (papers/twobo/parameters.py, Fig. S1): N + #skip sites + sum_i |F_i| with
    skip sites skip_mask | (h != 0), and N(N+1)/2; also with fields."""
    model = generate(family, size, 0)
    h = np.zeros(model.n)
    h[::3] = 0.5
    with_fields = IsingModel.from_edges(model.n, model.i, model.j, model.J, h)
    for m in (model, with_fields):
        skip = m.skip_mask() | (m.h != 0)
        assert param_count("twobo", m) == int(m.n + skip.sum() + m.frontier_sizes().sum())
        assert param_count("made", m) == m.n * (m.n + 1) // 2
    assert param_count("twobo", with_fields) > param_count("twobo", model) or size == 2


def test_site_without_earlier_neighbour_has_no_skip():
    """Site 1 below has no earlier neighbour but a frontier {2}; the reference code would
    put the skip weight 2 (times beta) on xi_12 = J_02 x_0, making q(x_1) depend on x_0."""
    model = IsingModel.from_edges(4, [0, 1, 2], [2, 3, 3], [1.0, 1.0, 1.0])
    net = TwoBo(model)
    assert not net.has_skip[1] and list(net.frontier_index[1][:1]) == [2]
    params = net.init(jax.random.key(0))
    assert float(params["skip"][1]) == 0.0 and abs(float(params["w"][1, 0])) < 0.1
    logits = net.logits(params, jnp.asarray(all_states(4)), 3.0)
    assert float(jnp.abs(logits[:, 1]).max()) < 0.1                 # q(x_1 | x_0) ~ 1/2
    assert float(jnp.abs(logits[:, 2]).min()) > 5.0                 # site 2 does use its skip


def test_registry():
    model = grid([3, 3])
    assert set(NETS) >= {"twobo", "made"}
    net = build_net("twobo", model, {"hidden": [2], "use_beta_skip": False})
    assert isinstance(net, TwoBo) and net.hidden == [2] and not net.use_beta_skip
    assert isinstance(build_net("made", model, {"depth": 2}), MADE)
    with pytest.raises(ArspinError, match="nonet"):
        build_net("nonet", model, {})
    with pytest.raises(ArspinError, match="hiddn"):
        build_net("twobo", model, {"hiddn": [2]})
    with pytest.raises(ArspinError, match="depth"):
        build_net("made", model, {"depth": "two"})
    with pytest.raises(ArspinError, match="activation"):
        build_net("twobo", model, {"activation": "swish2"})
    with pytest.raises(ArspinError, match=r"net 'twobo'.*'hidden' = \[4, 0\].*>= 1"):
        build_net("twobo", model, {"hidden": [4, 0]})
    with pytest.raises(ArspinError, match=r"net 'made'.*'block'"):
        build_net("made", model, {"block": 0})
    assert NETS["twobo"].defaults["hidden"] == [] and "hidden" in NETS["twobo"].help
