"""Independent references of the H2ARNN paper's figures, against enumeration: the exact
overlap distribution (Walsh-Hadamard) and from samples, single-spin Metropolis samples, the
thermodynamic-integration free energy from parallel tempering, importance sampling and the
Boltzmann-sample lower bound."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats as sps

from arspin.baselines.tempering import run_tempering
from arspin.exact.enumeration import all_states, boltzmann_log_probs, state_index, thermodynamics
from arspin.free_energy import boltzmann_lower_bound, importance_log_z, integrate_energy
from arspin.instances import generate
from arspin.observables import (
    exact_overlap_distribution,
    fold,
    fwht,
    overlap_counts,
)
from arspin.sampling.metropolis import autocorrelation_time, metropolis


def _chi_square_p(samples: np.ndarray, probs: np.ndarray) -> float:
    """p-value of samples (S, N) against probabilities over all_states, bins with expected
    counts < 5 pooled."""
    observed = np.bincount(state_index(samples), minlength=probs.size).astype(float)
    expected = probs * len(samples)
    small = expected < 5
    obs = np.append(observed[~small], observed[small].sum())
    exp = np.append(expected[~small], expected[small].sum())
    return float(sps.chisquare(obs, exp).pvalue)


def test_walsh_hadamard_overlap_distribution_equals_the_double_sum():
    model = generate("sk", 10, 1)
    probs = np.exp(boltzmann_log_probs(model, 1.2))
    exact = exact_overlap_distribution(probs, model.n)
    index = np.arange(probs.size)
    distance = np.array([u.bit_count() for u in range(probs.size)])
    brute = np.zeros(model.n + 1)
    for a in range(probs.size):                       # sum_x sum_y P(x) P(y) [d(x, y) = d]
        brute += np.bincount(distance[index ^ a], weights=probs[a] * probs, minlength=11)
    np.testing.assert_allclose(exact, brute, rtol=0, atol=1e-15)
    assert abs(exact.sum() - 1) < 1e-12 and abs(fold(exact).sum() - 1) < 1e-12
    assert exact[0] == pytest.approx(np.sum(probs**2))   # d = 0: the collision probability
    np.testing.assert_allclose(fwht(fwht(probs)) / probs.size, probs, atol=1e-15)


def test_overlap_counts_from_samples_are_all_pairs_in_bounded_blocks():
    rng = np.random.default_rng(3)
    x, y = rng.choice([-1, 1], size=(45, 9)), rng.choice([-1, 1], size=(20, 9))
    d = (x[:, None, :] != x[None, :, :]).sum(-1)
    within = np.bincount(d[np.triu_indices(45, 1)], minlength=10)
    between = np.bincount((x[:, None, :] != y[None, :, :]).sum(-1).ravel(), minlength=10)
    np.testing.assert_array_equal(overlap_counts(x, chunk=8), within)
    np.testing.assert_array_equal(overlap_counts(x, y, chunk=7), between)


@pytest.mark.parametrize("proposal, beta, chains", [("single", 1.0, 200), ("reference", 0.5, 8)])
def test_metropolis_samples_follow_boltzmann(proposal, beta, chains):
    """The reference's multi-spin move flips one random column per chain in every chain: with
    as many chains as spins it flips nearly all (the global flip, dE = 0 at h = 0, never
    mixes), so it is checked with few chains, where it is a valid symmetric proposal."""
    model = generate("sk", 10, 1)
    run = metropolis(model, beta, chains=chains, samples_per_chain=20_000 // chains,
                     burn_in=200, thin=3, seed=1, proposal=proposal)
    assert run.samples.shape == (20_000, 10) and 0 < run.acceptance < 1
    np.testing.assert_allclose(run.energies, model.energy(run.samples))
    probs = np.exp(boltzmann_log_probs(model, beta))
    assert _chi_square_p(run.samples, probs) > 1e-3
    assert 1.0 <= run.tau < 3.0


def test_autocorrelation_time_of_an_ar1_series():
    """AR(1) with coefficient a has tau = (1 + a) / (1 - a)."""
    rng = np.random.default_rng(0)
    a, y = 0.8, np.zeros(200_000)
    noise = rng.normal(size=y.size)
    for t in range(1, y.size):
        y[t] = a * y[t - 1] + noise[t]
    assert autocorrelation_time(y) == pytest.approx((1 + a) / (1 - a), rel=0.1)
    assert autocorrelation_time(rng.normal(size=10_000)) == pytest.approx(1.0, abs=0.15)


def test_thermodynamic_integration_with_exact_moments_and_with_tempering():
    model = generate("sk", 16, 1)
    betas = np.linspace(0.05, 2.0, 40)
    exact = thermodynamics(model, betas)
    energies = model.energy(all_states(16))
    moments = []
    for beta in betas:                                 # exact <H> and Var(H) by enumeration
        p = np.exp(boltzmann_log_probs(model, beta))
        mean = p @ energies
        moments.append((mean, p @ (energies - mean) ** 2))
    mean, var = np.array(moments).T
    np.testing.assert_allclose(integrate_energy(betas, mean, var, model), exact["log_z"],
                               rtol=1e-5)              # quadrature error alone
    run = run_tempering(model, betas, sweeps=4000, chains=8, seed=0)
    log_z = integrate_energy(betas, run.mean_energy, run.mean_energy_sq - run.mean_energy**2,
                             model)                    # one estimate per chain
    f = -log_z / (betas * model.n)
    se = f.std(axis=0, ddof=1) / np.sqrt(len(f))
    assert np.all(np.abs(f.mean(axis=0) - exact["free_energy"]) < 4 * se + 1e-4)


def test_importance_sampling_and_the_lower_bound_bracket_the_free_energy():
    model = generate("sk", 10, 3)
    beta = 1.5
    exact = thermodynamics(model, [beta])
    log_p = boltzmann_log_probs(model, beta)
    states, energies = all_states(10), None
    energies = model.energy(states)
    rng = np.random.default_rng(0)
    # q = P_B: every weight is Z, the estimate is exact and every sample counts
    draw = rng.choice(log_p.size, size=2000, p=np.exp(log_p))
    perfect = importance_log_z(energies[draw], log_p[draw], beta, 10)
    assert perfect.log_z == pytest.approx(exact["log_z"][0], abs=1e-9)
    assert perfect.ess == pytest.approx(2000)
    low, _ = boltzmann_lower_bound(energies[draw], log_p[draw], beta, 10)
    assert low == pytest.approx(exact["free_energy"][0], abs=1e-9)
    # q uniform: unbiased within its error; the bound with x ~ P_B lies below F
    uniform = rng.integers(0, log_p.size, size=50_000)
    log_q = np.full(uniform.size, -10 * np.log(2))
    est = importance_log_z(energies[uniform], log_q, beta, 10)
    assert abs(est.log_z - exact["log_z"][0]) < 4 * est.log_z_se and est.ess < 50_000
    low, se = boltzmann_lower_bound(energies[draw], np.full(draw.size, -10 * np.log(2)), beta,
                                    10)
    assert low + 4 * se < exact["free_energy"][0]
