"""The mpvan net against mpvan.md written out node by node (independent float64 loops), the
spec's worked example (star graph) and its closed-form parameter count. The shared invariants
(normalisation, autoregressive property, sampler = teacher forcing) are in
test_net_invariants.py."""

from __future__ import annotations

import jax
import numpy as np
import pytest
from enumeration_helpers import all_states, sk

from arspin.hamiltonian import IsingModel
from arspin.nets.mpvan import message_kernel
from arspin.nets.registry import build_net, param_count


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def _reference_logits(params, model, s, mechanism, mp_first=True, zero_one=False):
    """mpvan.md sections 2-3, one node at a time: h~_i = c_i h_i + sum_{j<i, J_ij != 0} K_ij
    phi_j; h'_i = sigmoid(sum_j W_ij M_ij h~_j + b_i)."""
    n = model.n
    J = model.coupling_matrix.toarray()
    deg = (J != 0).sum(axis=1)
    h = (1 + s) / 2 if zero_one else s.astype(float)
    z = None
    for layer, (w, b) in enumerate(zip(params["W"], params["b"])):
        w, b = np.asarray(w, float), np.asarray(b, float)
        if layer > 0:
            h = _sigmoid(z)
        if layer > 0 or mp_first:
            new = np.empty_like(h)
            for i in range(n):
                gcn = mechanism in ("gcn", "spin_gcn")
                total = h[i] / (deg[i] + 1) if gcn else h[i]
                for j in range(i):
                    if J[i, j] == 0 or mechanism == "none":
                        continue
                    if gcn:
                        weight = 1 / np.sqrt((deg[i] + 1) * (deg[j] + 1))
                    else:
                        weight = abs(J[i, j]) if mechanism == "weighted" else J[i, j]
                    if mechanism == "hamiltonian":
                        h_hat = h[j] if s[j] == 1 else 1 - h[j]
                        feature = s[j] * h_hat
                    elif mechanism in ("spin_gcn", "graph_spin"):
                        feature = s[j] * h[j]
                    else:
                        feature = h[j]
                    total += weight * feature
                new[i] = total
            h = new
        z = np.array([sum(w[i, j] * h[j] for j in range(n) if (j < i if layer == 0 else j <= i))
                      + b[i] for i in range(n)])
    return z


@pytest.mark.parametrize("mechanism", ["hamiltonian", "none", "gcn", "weighted", "graph",
                                       "spin_gcn", "graph_spin"])
def test_logits_follow_the_spec_node_by_node(mechanism):
    model = sk(6, seed=2)
    net = build_net("mpvan", model, {"mechanism": mechanism})
    params = net.init(jax.random.key(1))
    states = all_states(6)[::7]
    ours = np.asarray(net.logits(params, states, 1.0))
    for s, row in zip(states, ours):
        np.testing.assert_allclose(row, _reference_logits(params, model, s, mechanism),
                                   atol=2e-5)


def test_first_layer_options_follow_the_spec():
    model = sk(5, seed=3)
    for hparams, kwargs in [({"first_layer_input": "zero_one"}, {"zero_one": True}),
                            ({"mp_layers": "hidden"}, {"mp_first": False})]:
        net = build_net("mpvan", model, hparams)
        params = net.init(jax.random.key(2))
        states = all_states(5)[::5]
        ours = np.asarray(net.logits(params, states, 1.0))
        for s, row in zip(states, ours):
            ref = _reference_logits(params, model, s, "hamiltonian", **kwargs)
            np.testing.assert_allclose(row, ref, atol=2e-5)


def test_star_graph_worked_example():
    """mpvan.md's star graph, edges (1,4), (2,4), (3,4) (0-based 0..3 -> 3): GCN weights
    1/4 on h_4 and 1/sqrt(8) on each neighbour; the Hamiltonian message J s h_hat."""
    model = IsingModel.from_edges(4, np.array([0, 1, 2]), np.array([3, 3, 3]),
                                  np.array([0.5, -1.0, 2.0]))
    c, kernel = message_kernel(model, "gcn")
    np.testing.assert_allclose(c, [0.5, 0.5, 0.5, 0.25])
    np.testing.assert_allclose(kernel[3, :3], [1 / np.sqrt(8)] * 3)
    assert np.count_nonzero(kernel[:3]) == 0
    c, kernel = message_kernel(model, "hamiltonian")
    np.testing.assert_allclose(c, 1.0)
    np.testing.assert_allclose(kernel[3, :3], [0.5, -1.0, 2.0])


def test_parameter_count_closed_form():
    """L = 3: (3N^2 + N)/2 + 3N (mpvan.md section 2), and it equals the unmasked entries."""
    for n in (6, 9, 20):
        model = sk(n)
        assert param_count("mpvan", model) == (3 * n * n + n) // 2 + 3 * n
        net = build_net("mpvan", model, {"layers": 2})
        mask = net.trainable_mask(net.init(jax.random.key(0)))
        assert net.n_params(None) == sum(int(np.sum(m)) for m in jax.tree_util.tree_leaves(mask))


@pytest.mark.parametrize("mechanism", ["hamiltonian", "gcn", "weighted", "graph_spin"])
def test_dense_and_sparse_messages_agree(mechanism):
    """The same conditionals from the dense kernel product and the edge sum, on a sparse
    instance (a shuffled 3-regular graph, 20% of pairs coupled: 'auto' picks sparse)."""
    from enumeration_helpers import rrg
    model = rrg(16, seed=1, shuffle=True)
    nets = {k: build_net("mpvan", model, {"mechanism": mechanism, "kernel": k})
            for k in ("dense", "sparse", "auto")}
    assert nets["sparse"].sparse and not nets["dense"].sparse and nets["auto"].sparse
    params = nets["dense"].init(jax.random.key(5))
    states = all_states(16)[::1001]
    dense = np.asarray(nets["dense"].logits(params, states, 1.0))
    np.testing.assert_allclose(np.asarray(nets["sparse"].logits(params, states, 1.0)), dense,
                               atol=1e-5)
    assert not build_net("mpvan", sk(8), {"mechanism": mechanism}).sparse
