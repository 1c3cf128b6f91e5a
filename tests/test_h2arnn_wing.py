"""The H2ARNN training protocol (arspin.train_protocol, TrainConfig.early_stop) and the exact
F_q the trainer records for (i, M)-nets, against independent references: the rule as written
in physics.md, the numpy DP of arspin.exact.magnetization_dp, enumeration, the finite-N
Curie-Weiss sum, and the sampled estimate within its error bar."""

from __future__ import annotations

import itertools

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from arspin.errors import ArspinError
from arspin.exact.curie_weiss import cw_free_energy_finite
from arspin.exact.magnetization_dp import free_energy_by_magnetization
from arspin.instances import generate
from arspin.nets.registry import build_net
from arspin.train import TrainConfig, TrainingDiverged, initial_state, train
from arspin.train_protocol import (
    DP_METRIC,
    EarlyStop,
    Schedule,
    magnetization_free_energy,
)

RULE = EarlyStop(tol=1e-4, min_collected=3, collect_after=6, warmup=True)


def _cfg(**kw) -> TrainConfig:
    base = {"betas": (0.5, 1.0, 1.5), "warmup_steps": 4, "steps_per_beta": 8, "batch": 64,
            "lr": 1e-2, "seed": 0}
    return TrainConfig(**{**base, **kw})


def _literal_rule(cfg: TrainConfig, f_std: list[float]) -> list[tuple[int, bool]]:
    """physics.md section 3 spelt out step by step, independently of Schedule."""
    rule, out, k = cfg.early_stop, [], 0
    for _ in range(cfg.warmup_steps):                  # warm-up: ends at the first small batch
        small = f_std[k] < rule.tol
        out.append((-1, False))
        k += 1
        if small and rule.warmup:
            break
    for b in range(len(cfg.betas)):
        got = 0
        for step in range(cfg.steps_per_beta):
            if k >= len(f_std):
                return out
            small = f_std[k] < rule.tol
            collected = small or step >= rule.collect_after
            got += collected
            out.append((b, collected))
            k += 1
            if small and got >= rule.min_collected:
                break
    return out


def test_schedule_follows_the_rule_and_the_fixed_schedule():
    rng = np.random.default_rng(0)
    cfg = _cfg(early_stop=RULE)
    for _ in range(200):
        f_std = list(np.where(rng.random(40) < 0.4, 1e-5, 1e-2))
        _, block, collected = Schedule.replay(cfg, np.array(f_std))
        want = _literal_rule(cfg, f_std)
        assert list(zip(block.tolist(), collected.tolist()))[:len(want)] == want
    # without early_stop the walk is TrainConfig.schedule(), whatever the batch std
    fixed = _cfg()
    _, block = fixed.schedule()
    _, walked, collected = Schedule.replay(fixed, np.zeros(fixed.total_steps))
    assert np.array_equal(walked, block) and not collected.any()


def test_bad_rule_is_refused():
    with pytest.raises(ArspinError, match="early_stop.collect_after"):
        _cfg(early_stop=EarlyStop(collect_after=8))
    with pytest.raises(ArspinError, match="early_stop.tol"):
        EarlyStop(tol=0.0)


def _numpy_dp(table: np.ndarray, n: int, beta: float, J: float, h: float) -> float:
    return free_energy_by_magnetization(lambda i, m: table[i, (m + n).astype(int)], n, beta, J, h)


def _enumerated_fq(net, params, model, beta: float) -> float:
    x = np.array(list(itertools.product([-1, 1], repeat=model.n)), dtype=np.int8)
    log_q = np.asarray(net.log_prob(params, jnp.asarray(x), jnp.float32(beta)), np.float64)
    q = np.exp(log_q)
    energy = np.array([model.energy(s) for s in x.astype(np.float64)])
    return float(q @ (energy + log_q / beta) / model.n)


@pytest.mark.parametrize("family", ["cw_n", "cw_inf", "one_param"])
def test_jax_dp_equals_numpy_dp_and_enumeration(family):
    model = generate("cw", 8, 0, J=1.0, h=0.0)
    net = build_net(family, model, {})
    params = net.init(jax.random.key(3))
    if not net.parameter_free:                           # away from init: a generic q
        params = jax.tree_util.tree_map(lambda p: p * 40.0, params)
    J, h = model.curie_weiss()
    for beta in (0.4, 1.3):
        table = net.logit_table(params, jnp.float32(beta))
        got = float(magnetization_free_energy(table, jnp.float64(beta), J, h))
        assert got == pytest.approx(_numpy_dp(np.asarray(table, np.float64), 8, beta, J, h),
                                    abs=1e-12)
        assert got == pytest.approx(_enumerated_fq(net, params, model, beta), abs=2e-6)
        if family == "cw_n":
            assert got == pytest.approx(float(cw_free_energy_finite(8, beta, J, h)), abs=1e-10)


def test_dp_is_not_blind_to_an_off_by_one():
    """The DP that the claims rely on sees a one-site shift of the logit table."""
    model = generate("cw", 10, 0, J=1.0, h=0.0)
    net = build_net("cw_n", model, {})
    table = net.logit_table({}, jnp.float32(1.3))
    shifted = jnp.concatenate([table[1:], table[-1:]])  # site i uses site i+1's weights
    exact = float(cw_free_energy_finite(10, 1.3, 1.0, 0.0))
    assert float(magnetization_free_energy(table, jnp.float64(1.3), 1.0, 0.0)) == \
        pytest.approx(exact, abs=1e-10)
    assert float(magnetization_free_energy(shifted, jnp.float64(1.3), 1.0, 0.0)) - exact > 1e-4


def test_early_stop_run_reports_collected_means_and_dp_within_error_bars():
    model = generate("cw", 12, 0, J=1.0, h=0.0)
    net = build_net("cw_inf", model, {})
    cfg = _cfg(betas=(0.3, 0.8, 1.3, 1.8), steps_per_beta=30, batch=256, lr=5e-3,
               early_stop=EarlyStop(tol=1e-4, min_collected=5, collect_after=25))
    result = train(net, model, cfg)
    per, curves = result.per_beta, result.curves
    assert DP_METRIC in per and DP_METRIC in curves
    # per-beta values are the means over the collected batches of the curves
    block = np.searchsorted(np.asarray(cfg.betas), curves["step_beta"])
    for b in range(len(cfg.betas)):
        mask = (block == b) & curves["collected"].astype(bool)
        mask[:cfg.warmup_steps] = False
        assert mask.sum() == per["collected"][b] == 5
        assert per["free_energy"][b] == pytest.approx(curves["free_energy"][mask].mean(),
                                                      rel=1e-15)
        assert per["free_energy_std"][b] == pytest.approx(
            np.sqrt(np.mean(curves["free_energy_std"][mask] ** 2)), rel=1e-15)
    # the DP F_q of the same steps is the expectation of the sampled F: within 4 SE
    se = per["free_energy_std"] / np.sqrt(per["collected"] * cfg.batch)
    z = np.abs(per["free_energy"] - per[DP_METRIC]) / se
    assert np.all(z < 4), z
    # F_q >= f_N (Gibbs), exactly for the DP
    assert np.all(per[DP_METRIC] >= cw_free_energy_finite(12, per["beta"]) - 1e-12)


def test_parameter_free_net_is_evaluated_and_stops_early():
    model = generate("cw", 10, 0, J=1.0, h=0.0)
    net = build_net("cw_n", model, {})
    cfg = _cfg(steps_per_beta=50, early_stop=EarlyStop(tol=1e-4, min_collected=3,
                                                        collect_after=40))
    result = train(net, model, cfg)
    assert result.state.params == {}
    # q = P_B: l is constant up to float32 rounding, every batch is collected, each block
    # stops at min_collected; the warm-up stops at its first batch
    assert result.per_beta["steps"].tolist() == [1 + 3, 3, 3]
    exact = cw_free_energy_finite(10, np.asarray(cfg.betas))
    assert np.max(np.abs(result.per_beta["free_energy"] - exact)) < 1e-6
    assert np.max(np.abs(result.per_beta[DP_METRIC] - exact)) < 1e-10


def test_early_stop_resume_is_bitwise(tmp_path):
    """A run interrupted in the middle of a block and resumed replays the same schedule."""
    model = generate("cw", 10, 0, J=1.0, h=0.0)
    net = build_net("one_param", model, {})
    cfg = _cfg(early_stop=EarlyStop(tol=5e-2, min_collected=2, collect_after=5),
               checkpoint_every=7)
    full = train(net, model, cfg)
    saved = []

    class Stop(Exception):
        pass

    def interrupt(state):
        saved.append(state)
        raise Stop

    with pytest.raises(Stop):
        train(net, model, cfg, on_checkpoint=interrupt)
    resumed = train(net, model, cfg, state=saved[0])
    for name, values in full.curves.items():
        if name != "wall_time":
            assert np.array_equal(values, resumed.curves[name]), name
    for name, values in full.per_beta.items():
        if name != "wall_time":
            assert np.array_equal(values, resumed.per_beta[name]), name
    assert initial_state(net, cfg, model).history.keys() == full.state.history.keys()


def test_divergence_under_early_stop_names_the_step():
    model = generate("cw", 8, 0, J=1.0, h=0.0)
    net = build_net("one_param", model, {})

    class Bad(type(net)):
        def logit_table(self, params, beta):
            return jnp.where(beta > 0.9, jnp.nan, 1.0) + super().logit_table(params, beta)

    bad = Bad(model)
    with pytest.raises(TrainingDiverged, match="beta=1"):
        train(bad, model, _cfg(early_stop=RULE))
