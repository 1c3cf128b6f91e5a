"""The MPVAN paper's SA and PT baselines: the sample accounting written out by hand, both find
the exact ground state of a 10-spin instance, and PT's coldest replica samples P_B."""

from __future__ import annotations

import numpy as np
import pytest
from enumeration_helpers import all_states, sk
from scipy.stats import chisquare

from arspin.baselines.annealing import solve_sa
from arspin.baselines.tempering import run_tempering, solve_pt
from arspin.exact.enumeration import boltzmann_log_probs
from arspin.papers.mpvan import budget


def test_net_samples_is_the_sum_of_its_factors():
    proto = {"betas": "0.25:5.0:20", "steps_per_beta": 20, "batch": 128, "warmup_steps": 0}
    assert budget.net_samples(proto, 1024) == 20 * 20 * 128 + 1024
    assert budget.net_samples({**proto, "warmup_steps": 7}, 0) == (400 + 7) * 128


@pytest.mark.parametrize("total, n", [(52_224, 20), (52_224, 12), (999, 16), (10, 8)])
def test_baselines_fill_but_never_exceed_the_budget(total, n):
    sa = budget.sa_settings(total, n, 50, 2)
    pt = budget.pt_settings(total, n, 8, 25)
    assert sa["proposals"] == sa["reads"] * 50 * 2 * n
    assert pt["proposals"] == pt["reads"] * 8 * 25 * n
    for plan, unit in ((sa, 100 * n), (pt, 200 * n)):
        if total >= unit:                       # else one restart / chain, the minimum
            assert total - unit < plan["proposals"] <= total
        else:
            assert plan["reads"] == 1


def test_sa_and_pt_find_the_ground_state_and_count_their_proposals():
    model = sk(10, seed=7)
    e_ground = float(model.energy(all_states(10)).min())
    sa = solve_sa(model, sweeps=200, reads=20, seed=1, beta_range=(0.2, 5.0),
                  schedule="linear", sweeps_per_beta=2)
    assert sa.energy == pytest.approx(e_ground, abs=1e-9)
    assert sa.info["proposals"] == 20 * 200 * 10 and sa.info["schedule"] == "linear"
    pt = solve_pt(model, sweeps=300, replicas=6, chains=2, beta_min=0.2, beta_max=5.0, seed=1)
    assert pt.energy == pytest.approx(e_ground, abs=1e-9)
    assert pt.info["proposals"] == 300 * 6 * 2 * 10
    with pytest.raises(ValueError, match="multiple"):
        solve_sa(model, sweeps=201, reads=2, sweeps_per_beta=2)


def test_pt_coldest_replica_samples_boltzmann():
    """Chi-square of the coldest replica's stored states against P_B by enumeration (N = 6,
    beta = 1.2; states every 10 sweeps, 4 chains: ~6,000 nearly independent draws)."""
    model = sk(6, seed=3)
    run = run_tempering(model, np.geomspace(0.3, 1.2, 4), sweeps=20_000, chains=4, seed=2,
                        burn_in=500, record_every=10)
    x = run.samples[:, :, -1, :].reshape(-1, 6)
    index = ((x > 0).astype(int) << np.arange(6)).sum(axis=1)    # spin 0 = least significant
    observed = np.bincount(index, minlength=64)
    expected = np.exp(boltzmann_log_probs(model, 1.2)) * len(index)
    keep = expected > 5
    obs, exp = observed[keep], expected[keep]
    assert chisquare(obs, exp * obs.sum() / exp.sum()).pvalue > 1e-3


def test_baseline_temperatures_follow_the_protocol_unless_set():
    proto = {"betas": "1:100:20"}
    assert budget.beta_range(proto, {}) == (1.0, 100.0)
    assert budget.beta_range(proto, {"beta_max": 5.0}) == (1.0, 5.0)
