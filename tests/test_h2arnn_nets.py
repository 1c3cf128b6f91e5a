"""The H2ARNN paper's nets (physics.md sections 4 and 6b) against independent references.

References: exact enumeration of P_B (arspin.exact.enumeration, float64), the finite-N and
N -> inf Curie-Weiss formulas (arspin.exact.curie_weiss, float64), closed-form parameter
counts, and a float64 dynamic program over the magnetisation M for the nets whose logits
depend on (i, M) only. The shared invariants (normalisation, autoregressive property,
sampling, chi-square) of every registered net are in test_net_invariants.py.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from enumeration_helpers import sk
from scipy.special import expit, log_expit, logsumexp

from arspin.errors import ArspinError
from arspin.exact.curie_weiss import cw_free_energy_finite, cw_magnetization_infinite
from arspin.exact.enumeration import all_states, boltzmann_log_probs
from arspin.hamiltonian import IsingModel
from arspin.instances import generate
from arspin.nets.h2arnn import cw as cw_module
from arspin.nets.kernel import leaf_count
from arspin.nets.registry import build_net, param_count
from arspin.papers.h2arnn.companions import boltzmann_log_conditionals


def _kl_to_boltzmann(log_q: np.ndarray, model: IsingModel, beta: float) -> float:
    """KL(q || P_B) in float64 by enumeration, q renormalised first.

    Float32 conditionals leave sum_x q(x) off 1 by ~1e-7, which would enter KL at first order;
    after renormalising, float32 rounding enters at second order (~1e-13) only.
    """
    log_q = log_q - logsumexp(log_q)
    return float(np.sum(np.exp(log_q) * (log_q - boltzmann_log_probs(model, beta))))


def _states(n: int) -> np.ndarray:
    return all_states(n).astype(np.float32)


def dp_free_energy(table: np.ndarray, model: IsingModel, beta: float) -> float:
    """Exact F_q per spin of a Curie-Weiss net with logit_i = table[i, M + N], by a float64
    dynamic program over M (no sampling): F_q = (E_q[H] + E_q[ln q] / beta) / N."""
    n = model.n
    J, h = float(model.J[0] * n), float(model.h[0])
    p = np.zeros(2 * n + 1)
    p[n] = 1.0                                          # M = 0 before spin 0
    mean_log_q = 0.0
    for logit in np.asarray(table, np.float64):
        up = expit(logit)
        mean_log_q += np.sum(p * (up * log_expit(logit) + (1 - up) * log_expit(-logit)))
        new = np.zeros_like(p)
        new[1:] += (p * up)[:-1]                        # x_i = +1: M -> M + 1
        new[:-1] += (p * (1 - up))[1:]                  # x_i = -1: M -> M - 1
        p = new
    m = np.arange(-n, n + 1)
    mean_energy = np.sum(p * (-(J / n) * (m * m - n) / 2 - h * m))
    return float((mean_energy + mean_log_q / beta) / n)


# ----------------------------------------------------------------- cw_n
CW_CASES = [(10, 0.5, 1.0, 0.0), (10, 1.3, 1.0, 0.0), (12, 2.0, 1.0, 0.2),
            (12, 0.9, -1.0, 0.3), (10, 1.0, 2.5, -0.4), (12, 1.1, 1.0, 0.0)]


@pytest.mark.parametrize("n, beta, J, h", CW_CASES)
def test_cw_n_is_exact(n, beta, J, h):
    """KL(q_cw_n || P_B) < 1e-10 and F_q = the finite-N Curie-Weiss f_N, by enumeration."""
    model = generate("cw", n, 0, J=J, h=h)
    net = build_net("cw_n", model)
    states = _states(n)
    log_q = np.asarray(net.log_prob({}, states, beta), np.float64)
    assert abs(np.exp(log_q).sum() - 1) < 1e-6
    assert _kl_to_boltzmann(log_q, model, beta) < 1e-10
    energy = model.energy(states.astype(np.float64))
    q = np.exp(log_q - logsumexp(log_q))
    f_q = float(np.sum(q * (energy + log_q / beta))) / n
    assert abs(f_q - cw_free_energy_finite(n, beta, J, h)) < 1e-6


def test_cw_n_off_by_one_in_later_spins_is_caught():
    """The KL test has teeth: with n = N - i later spins (a 1-based slip) instead of N - 1 - i,
    KL is ~1e-4..1e-2, far above the 1e-10 bound."""
    for n, beta, J, h in CW_CASES[:3]:
        model = generate("cw", n, 0, J=J, h=h)
        net = build_net("cw_n", model)
        net._log_binom, net._spread = cw_module.lse_terms(n - np.arange(n))
        log_q = np.asarray(net.log_prob({}, _states(n), beta), np.float64)
        assert _kl_to_boltzmann(log_q, model, beta) > 1e-5


def test_cw_n_exact_at_large_n_by_dynamic_program():
    """At N = 200 (no enumeration) the float32 table still gives F_q = f_N to 1e-9."""
    n = 200
    model = generate("cw", n, 0)
    net = build_net("cw_n", model)
    for beta in (0.5, 1.0, 1.3, 2.0):
        table = np.asarray(net.logit_table({}, beta))
        assert np.all(np.isfinite(table))
        assert abs(dp_free_energy(table, model, beta) - cw_free_energy_finite(n, beta)) < 1e-9


def test_cw_n_table_matches_sampler_and_log_prob():
    """The DP's table is the one log_prob and sample use (same numbers, same F_q)."""
    model = generate("cw", 12, 0, J=1.2, h=0.1)
    net = build_net("cw_n", model)
    x, log_q = net.sample({}, jax.random.key(3), 64, jnp.float32(1.4))
    table = np.asarray(net.logit_table({}, 1.4))
    x = np.asarray(x)
    m = np.cumsum(x, axis=1) - x
    logits = table[np.arange(12)[None, :], m.astype(int) + 12]
    np.testing.assert_allclose(np.asarray(log_q), log_expit(x * logits).sum(1), rtol=1e-6)


def test_cw_nets_reject_other_models():
    with pytest.raises(ArspinError, match="cw_n: needs a Curie-Weiss model"):
        build_net("cw_n", sk(6))
    with pytest.raises(ArspinError, match="h = 0"):
        build_net("cw_inf", generate("cw", 6, 0, h=0.1), {"values": "analytic"})
    with pytest.raises(ArspinError, match="N <= 20"):
        build_net("h2arnn_exact", sk(21))


# ----------------------------------------------------------------- cw_inf, one_param
@pytest.mark.parametrize("J", [1.0, 1.5])
def test_cw_inf_analytic_magnetisation(J):
    """The in-graph bisection for m_beta equals the float64 root finder of exact/curie_weiss."""
    betas = np.array([0.3, 0.9, 1.0, 1.02, 1.1, 1.3, 2.0, 4.0]) / J
    ours = [float(cw_module.stable_magnetisation(jnp.float32(b * J))) for b in betas]
    np.testing.assert_allclose(ours, cw_magnetization_infinite(betas, J), atol=2e-6)


def test_cw_inf_analytic_equals_trained_at_analytic_values():
    """values='analytic' is the trained architecture evaluated at a = 2 beta J/N,
    c_i = 2 beta J m_beta (N - i)/N (the formulas recomputed here in float64)."""
    n, J, beta = 12, 1.5, 1.3
    model = generate("cw", n, 0, J=J)
    analytic = build_net("cw_inf", model, {"values": "analytic"})
    trained = build_net("cw_inf", model)
    m_beta = float(cw_magnetization_infinite(beta, J))
    params = {"a": jnp.float32(2 * beta * J / n),
              "c": jnp.asarray(2 * beta * J * m_beta * (n - np.arange(n)) / n, jnp.float32)}
    np.testing.assert_allclose(np.asarray(analytic.logit_table({}, beta)),
                               np.asarray(trained.logit_table(params, beta)), atol=1e-5)
    states = _states(n)
    lq_trained = np.asarray(trained.log_prob(params, states, beta), np.float64)
    lq_analytic = np.asarray(analytic.log_prob({}, states, beta), np.float64)
    np.testing.assert_allclose(lq_analytic, lq_trained, atol=1e-4)
    # the architecture itself: logit_i = a M + c_i sgn(M), M = sum_{s<i} x_s
    m = np.cumsum(states, axis=1) - states
    expected = float(params["a"]) * m + np.asarray(params["c"])[None, :] * np.sign(m)
    np.testing.assert_allclose(np.asarray(trained.logits(params, states, beta)), expected,
                               atol=1e-5)


def test_cw_inf_analytic_error_falls_with_n_and_sign_slip_is_worse():
    """Exact F_q (DP) of the analytic cw_inf: its relative error to f_N falls with N at every
    beta; the paper's printed minus sign on c_i is ~17% off at beta = 1.3 (physics.md 6b)."""
    betas = (0.5, 1.3, 2.0)
    errors = {}
    for n in (16, 64, 200):
        model = generate("cw", n, 0)
        analytic = build_net("cw_inf", model, {"values": "analytic"})
        trained = build_net("cw_inf", model)
        for beta in betas:
            f_exact = float(cw_free_energy_finite(n, beta))
            f_q = dp_free_energy(np.asarray(analytic.logit_table({}, beta)), model, beta)
            errors[n, beta] = (f_q - f_exact) / abs(f_exact)
            assert errors[n, beta] > -1e-9                      # variational: F_q >= F
            if beta == 1.3:
                values = analytic.analytic_parameters(beta)
                slip = {"a": values["a"], "c": -values["c"]}
                f_slip = dp_free_energy(np.asarray(trained.logit_table(slip, beta)), model, beta)
                assert 0.15 < (f_slip - f_exact) / abs(f_exact) < 0.2
    for beta in betas:
        assert errors[16, beta] > errors[64, beta] > errors[200, beta]
    assert errors[200, 1.3] < 1e-3


def test_one_param_architecture_and_count():
    n = 9
    model = generate("cw", n, 0)
    net = build_net("one_param", model)
    params = net.init(jax.random.key(0))
    assert param_count("one_param", model) == net.n_params(params) == n
    assert params["c"].shape == (n,) and 0.2 / n < float(jnp.std(params["c"])) < 3.0 / n
    states = _states(n)[::7]
    m = np.cumsum(states, axis=1) - states
    np.testing.assert_allclose(np.asarray(net.logits(params, states, 1.0)),
                               np.asarray(params["c"])[None, :] * m, rtol=1e-6)


# ----------------------------------------------------------------- h2arnn_exact
@pytest.mark.parametrize("seed, beta", [(0, 0.6), (1, 1.4), (2, 2.5)])
def test_h2arnn_exact_equals_boltzmann_conditionals(seed, beta):
    """q(x_i | x_<i) of section 4's formula = P_B(x_i | x_<i) from the enumerated P_B, for
    random dense J and random h at N = 8 (every state, every site)."""
    n = 8
    rng = np.random.default_rng(seed)
    model = IsingModel.from_matrix(np.triu(rng.normal(size=(n, n)), 1),
                                   h=rng.normal(scale=0.7, size=n))
    net = build_net("h2arnn_exact", model)
    states = _states(n)
    log_p = boltzmann_log_probs(model, beta)
    # checked against a brute-force sum in tests/test_h2arnn_diagrams.py
    cond = boltzmann_log_conditionals(model, beta)
    logits = np.asarray(net.logits({}, states, beta), np.float64)
    ours = log_expit(states * logits)
    assert np.max(np.abs(ours - cond)) < 2e-5
    np.testing.assert_allclose(np.asarray(net.log_prob({}, states, beta)), log_p, atol=1e-4)


# ----------------------------------------------------------------- sk_rsb
def _sk_rsb_reference_logits(params: dict, model: IsingModel, x: np.ndarray, beta: float, k: int,
                             fixed_skip: bool) -> np.ndarray:
    """physics.md 6b's SK_kRSB formula, one (i, l) at a time in float64."""
    n = model.n
    p = {key: np.asarray(value, np.float64) for key, value in params.items()}
    first = p["F"] if "F" in p else model.coupling_matrix.toarray()
    out = np.zeros((x.shape[0], n))
    for i in range(n):
        u = x[:, :i] @ first[i, :i]
        a, c = (2 * beta, 2 * beta * model.h[i]) if fixed_skip else (p["a"][i], p["c"][i])
        out[:, i] = c + a * u
        for l_ in range(i + 1, n):
            v = x[:, :i] @ first[l_, :i]
            for branch in (0, 1):
                r = log_expit(p["b"][0, branch, i, l_] + p["w"][0, branch, i, l_] * v)
                for level in range(1, k + 1):
                    r = log_expit(p["b"][level, branch, i, l_] + p["w"][level, branch, i, l_] * r)
                out[:, i] += p["W"][branch, i, l_] * r
    return out


@pytest.mark.parametrize("hparams", [
    {"k": 0}, {"k": 2}, {"k": 1, "fixed_skip": True},
    {"k": 1, "learn_first_layer": True, "first_layer_init": "normal"},
])
def test_sk_rsb_matches_formula(hparams):
    n, beta = 7, 1.3
    rng = np.random.default_rng(5)
    model = IsingModel.from_matrix(np.triu(rng.normal(size=(n, n)), 1) / np.sqrt(n),
                                   h=rng.normal(scale=0.3, size=n))
    net = build_net("sk_rsb", model, hparams)
    params = net.init(jax.random.key(1))
    # every entry drawn Normal(0, 1), masked ones too: a wrong index or a missing mask shows
    params = jax.tree_util.tree_map(
        lambda leaf: jnp.asarray(rng.normal(size=leaf.shape), jnp.float32), params)
    x = _states(n)[::3]
    expected = _sk_rsb_reference_logits(params, model, x.astype(np.float64), beta,
                                        hparams["k"], hparams.get("fixed_skip", False))
    np.testing.assert_allclose(np.asarray(net.logits(params, x, beta)), expected,
                               rtol=1e-5, atol=1e-5)


def test_sk_rsb_learned_first_layer_starts_at_j():
    """learn_first_layer with the reference's init (J) gives the fixed-J net's logits."""
    model = sk(8, seed=3)
    fixed = build_net("sk_rsb", model, {"k": 1})
    learned = build_net("sk_rsb", model, {"k": 1, "learn_first_layer": True})
    params = learned.init(jax.random.key(2))
    x = _states(8)[::5]
    np.testing.assert_allclose(np.asarray(learned.logits(params, x, 1.0)),
                               np.asarray(fixed.logits({k: v for k, v in params.items()
                                                        if k != "F"}, x, 1.0)), rtol=1e-6)


# ----------------------------------------------------------------- parameter counts
@pytest.mark.parametrize("n", [5, 12, 50, 100, 200])
@pytest.mark.parametrize("k", [0, 1, 2, 3])
def test_sk_rsb_count_closed_form(n, k):
    model = generate("sk", n, 0)
    assert param_count("sk_rsb", model, {"k": k}) == (2 * k + 3) * n * (n - 1) + 2 * n
    assert param_count("sk_rsb", model, {"k": k, "fixed_skip": True}) == (2 * k + 3) * n * (n - 1)
    assert (param_count("sk_rsb", model, {"k": k, "learn_first_layer": True})
            == (2 * k + 3) * n * (n - 1) + 2 * n + n * (n - 1) // 2)


def test_paper_counts_at_n_200():
    """Fig. 5d's numbers (physics.md 6b, figures.md): all stored parameters of the MADEs and
    1L, the trainable count of the SK nets (their fixed J is not counted)."""
    model = generate("sk", 200, 0)
    assert [param_count("sk_rsb", model, {"k": k}) for k in (0, 1, 2)] == [119_800, 199_400,
                                                                           279_000]
    for (depth, width), count in {(1, 1): 40_200, (2, 3): 241_400, (3, 2): 321_800}.items():
        net = build_net("made", model, {"depth": depth, "width": width})
        assert leaf_count(jax.eval_shape(net.init, jax.random.key(0))) == count


@pytest.mark.parametrize("n", [6, 11])
def test_made_dw_counts(n):
    """MADE_dw (depth d, width w N, PReLU slopes 0.5 between layers): stored counts of 6b
    (1L N^2 + N, MADE_21 2N^2+3N, MADE_22 4N^2+5N, MADE_23 6N^2+7N, MADE_32 8N^2+9N) and the
    unmasked count of the registry."""
    model = generate("sk", n, 0)
    stored = {(1, 1): n * n + n, (2, 1): 2 * n * n + 3 * n, (2, 2): 4 * n * n + 5 * n,
              (2, 3): 6 * n * n + 7 * n, (3, 2): 8 * n * n + 9 * n}
    for (depth, width), count in stored.items():
        net = build_net("made", model, {"depth": depth, "width": width})
        params = net.init(jax.random.key(0))
        assert net.n_stored_params(params) == count
        trainable = int(sum(np.sum(np.asarray(m))
                            for m in jax.tree_util.tree_leaves(net.trainable_mask(params))))
        assert param_count("made", model, {"depth": depth, "width": width}) == trainable
        for slope in params.get("slopes", []):
            assert slope.shape == (n, width) and np.all(np.asarray(slope) == 0.5)
        assert len(params.get("slopes", [])) == depth - 1


def test_cw_counts():
    for n in (10, 50, 200):
        model = generate("cw", n, 0)
        assert param_count("cw_n", model) == 0
        # the reference's per-conditional layout: 4 (n + 1) LSE weights and biases and 2
        # output weights for each site with n >= 1 later spins, a skip weight and bias per site
        reference = sum(4 * (later + 1) + 2 for later in range(1, n)) + 2 * n
        assert cw_module.CWN.fixed_weight_count(n) == reference == 2 * n * n + 6 * n - 6
        assert param_count("cw_inf", model) == n + 1
        assert param_count("cw_inf", model, {"values": "analytic"}) == 0
        assert param_count("one_param", model) == n
    assert param_count("h2arnn_exact", generate("sk", 8, 0)) == 0
