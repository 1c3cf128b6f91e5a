"""The SK part of the H2ARNN wing against independent references: the PT + TI reference and its
samples against enumeration, the overlap binning against explicit pair lists, the Fig. 5e fold,
the Fig. 6 fit on exact Boltzmann samples, and each SK claim on tables where it must hold and
where it must fail."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from arspin import exact
from arspin.aggregate.table import Table, new_table
from arspin.errors import ArspinError
from arspin.exact.enumeration import boltzmann_log_probs, state_index, states_at
from arspin.instances import generate
from arspin.observables import binned_overlaps, overlap_counts, overlap_values
from arspin.papers.h2arnn import sk_claims
from arspin.papers.h2arnn.figures.fig5 import folded
from arspin.papers.h2arnn.tables import SCHEMAS
from arspin.reference import pt_reference


def test_pt_reference_matches_enumeration_and_samples_are_boltzmann():
    model = generate("sk", 10, 3)
    betas = np.array([0.5, 1.0, 1.5])
    ladder = np.linspace(0.1, 1.5, 15)
    ref = pt_reference(model, betas, ladder, sweeps=3000, chains=6, seed=1, record_every=3)
    truth = exact.thermodynamics(model, betas)["free_energy"]
    z = np.abs(ref.free_energy - truth) / ref.free_energy_se
    assert np.all(z < 4), (ref.free_energy - truth, ref.free_energy_se)
    assert np.all(ref.free_energy_se < 2e-3)
    # samples: (betas, chains x records, N); at beta = 1 their states follow P_B
    assert ref.samples.shape == (3, 6 * (2250 // 3), 10)
    probs = np.exp(boltzmann_log_probs(model, 1.0))
    observed = np.bincount(state_index(ref.samples[1]), minlength=probs.size)
    expected = probs * observed.sum()
    common = expected > 5                        # pool the rare states into one bin
    obs = np.append(observed[common], observed[~common].sum())
    exp_ = np.append(expected[common], expected[~common].sum())
    # records 3 sweeps apart are nearly independent at N = 10; p-value only guards gross bias
    assert stats.chisquare(obs, exp_).pvalue > 1e-4


def test_pt_reference_refuses_betas_off_the_ladder():
    model = generate("sk", 6, 0)
    with pytest.raises(ArspinError, match="not on the PT ladder"):
        pt_reference(model, np.array([0.55]), np.linspace(0.1, 1.0, 10), sweeps=20, chains=2)
    with pytest.raises(ArspinError, match="at least 2"):
        pt_reference(model, np.array([0.5]), np.linspace(0.1, 1.0, 10), sweeps=20, chains=1)


def test_binned_overlaps_equal_histograms_of_the_explicit_pairs():
    rng = np.random.default_rng(0)
    n = 10
    x = rng.choice([-1, 1], size=(60, n)).astype(np.int8)
    counts = overlap_counts(x)
    # q of each pair from its explicit Hamming distance, with the grid's own rounding of
    # q = 1 - 2d/N (values sit on the 50-bin edges, where 1 ulp decides the bin)
    q_pairs = overlap_values(n)[[int(np.sum(x[a] != x[b])) for a in range(60)
                                 for b in range(a + 1, 60)]]
    density, edges = np.histogram(q_pairs, bins=50, range=(-1, 1), density=True)
    centres, got = binned_overlaps(counts, n, "paper50")
    assert np.allclose(got, density) and np.allclose(centres, (edges[1:] + edges[:-1]) / 2)
    centres, got = binned_overlaps(counts, n, "aligned")
    assert np.allclose(centres, np.sort(overlap_values(n)))
    want = [np.mean(np.isclose(q_pairs, c)) / (2 / n) for c in centres]
    assert np.allclose(got, want)


def test_fold_symmetric_and_the_published_pairing():
    q = np.linspace(-0.98, 0.98, 50)
    p = np.exp(-(q - 0.3) ** 2)                          # not symmetric: the folds differ
    x, sym = folded(q, p, "symmetric")
    assert np.allclose(x, q[25:])
    assert np.allclose(sym, (p[25:] + p[:25][::-1]) / 2)
    x, paper = folded(q, p, "paper")
    assert np.allclose(paper, (p[:25] + p[25:]) / 2)   # bin q - 1 paired with bin q
    assert not np.allclose(sym, paper)
    q = overlap_values(4)[::-1]                          # odd count: q = 0 kept once
    x, y = folded(q, np.array([1.0, 2.0, 3.0, 2.0, 1.0]), "symmetric")
    assert np.allclose(x, [0, 0.5, 1]) and np.allclose(y, [3, 2, 1])


def test_states_at_inverts_state_index():
    idx = np.array([0, 5, 1023, 77])
    assert np.array_equal(state_index(states_at(idx, 10)), idx)


def test_first_layer_learns_the_couplings_from_exact_samples():
    from arspin.learn_couplings import draw_samples, fit_couplings

    model = generate("sk", 12, 4, seed_rule="h2arnn-reference")
    samples = draw_samples(model, 2.0, "exact", chains=2000, samples_per_chain=1, burn_in=0,
                           thin=1, seed=0)
    fit = fit_couplings(model, samples.x, 2.0, steps=800, lr=1e-2, seed=0)
    assert fit.rows.shape == (66,) and np.all(fit.rows > fit.cols)
    assert np.allclose(fit.coupling, model.coupling_matrix.toarray()[fit.rows, fit.cols])
    assert fit.nll[-50:].mean() < fit.nll[:10].mean() - 0.05
    r = stats.pearsonr(np.abs(fit.coupling), np.abs(fit.weight)).statistic
    r0 = stats.pearsonr(np.abs(fit.coupling), np.abs(fit.weight_init)).statistic
    assert r > 0.5 and abs(r0) < 0.5, (r, r0)
    # the init is the reference's: std 1/N
    assert np.std(fit.weight_init) == pytest.approx(1 / 12, rel=0.3)


# ---------------------------------------------------------------- claims on synthetic tables
def _fe_table(gaps: dict[str, tuple[float, int, int]], n: int = 20,
              instances: int = 3) -> Table:
    """sk_free_energy rows: net label -> (gap F - F_ref per spin, rsb_k, n_params), at betas
    0.5..2 on ``instances`` instances, with instance noise 1e-5 and a PT column equal to the
    exact one within its SE."""
    rows = []
    for net, (gap, k, params) in gaps.items():
        for index in range(instances):
            for beta in (0.5, 1.0, 1.5, 2.0):
                ref = -0.7 - 0.01 * beta
                # an instance effect shared by every net: equal gaps give equal rows (a tie)
                f = ref + gap + 1e-5 * np.sin(7 * index + 3 * beta)
                rows.append({"set": "sk", "family": "sk", "size": n, "n": n, "index": index,
                             "net": net, "protocol": "sk", "seed": 0,
                             "net_family": "sk_rsb" if k >= 0 else "made", "variant": "",
                             "rsb_k": k, "n_params": params, "beta": beta, "steps": 10,
                             "collected": 5, "free_energy": f, "free_energy_std": 1e-3,
                             "free_energy_se": 1e-5, "free_energy_paper_ref": np.nan,
                             "rel_paper_ref": np.nan, "free_energy_exact": ref,
                             "free_energy_pt": ref + 1e-5, "free_energy_pt_se": 1e-5,
                             "reference_method": "enumeration", "free_energy_ref": ref,
                             "free_energy_ref_se": 0.0, "rel_ref": (f - ref) / abs(ref)})
    return new_table("sk_free_energy", rows, SCHEMAS["sk_free_energy"])


PAPER_LIKE = {"1l": (1.5e-3, -1, 210), "sk-rs": (1.4e-3, 0, 1180),
              "sk-1rsb": (3e-4, 1, 1940), "sk-2rsb": (2e-4, 2, 2700),
              "made23": (8e-4, -1, 2540), "made32": (7e-4, -1, 3380)}


def _params(gaps: dict, n: int = 20) -> Table:
    rows = [{"net": net, "net_family": "made" if k < 0 else "sk_rsb", "n": n, "n_params": c,
             "n_params_paper": c} for net, (_, k, c) in gaps.items()]
    return new_table("sk_params", rows, SCHEMAS["sk_params"])


def test_krsb_lowest_holds_when_separated_and_fails_on_a_tie_or_more_parameters():
    def holds(gaps):
        return sk_claims.krsb_lowest(_fe_table(gaps), _params(gaps))[0]

    assert holds(PAPER_LIKE) is True
    assert holds(dict(PAPER_LIKE, made32=(3e-4, -1, 3380))) is False   # MADE_32 ties SK_1RSB
    assert holds(dict(PAPER_LIKE, made32=(7e-4, -1, 1000))) is False   # the largest MADE smaller


def test_paper_parameter_counts_are_the_published_ones():
    from arspin.papers.h2arnn.sk_aggregate import param_rows

    nets = {"1l": {"net": "made", "hparams": {"depth": 1}},
            "sk-rs": {"net": "sk_rsb", "hparams": {"k": 0}},
            "sk-1rsb": {"net": "sk_rsb", "hparams": {"k": 1}},
            "sk-2rsb": {"net": "sk_rsb", "hparams": {"k": 2}},
            "made23": {"net": "made", "hparams": {"depth": 2, "width": 3}},
            "made32": {"net": "made", "hparams": {"depth": 3, "width": 2}}}
    got = {r["net"]: r["n_params_paper"] for r in param_rows(nets, [200])}
    # figures.md, Fig. 5d at N = 200
    assert got == {"1l": 40_200, "sk-rs": 119_800, "sk-1rsb": 199_400, "sk-2rsb": 279_000,
                   "made23": 241_400, "made32": 321_800}


def test_2rsb_above_reference_fails_below_the_reference():
    assert sk_claims.two_rsb_above_reference(_fe_table(PAPER_LIKE))[0] is True
    below = dict(PAPER_LIKE, **{"sk-2rsb": (-1e-3, 2, 2700)})
    assert sk_claims.two_rsb_above_reference(_fe_table(below))[0] is False


def test_pt_matches_exact_fails_on_a_shifted_reference():
    fe = _fe_table(PAPER_LIKE)
    assert sk_claims.pt_matches_exact(fe)[0] is True
    data = {c: np.array(v, copy=True) for c, v in fe.columns.items()}
    data["free_energy_pt"] = data["free_energy_pt"] + 5e-5          # 5 SE off
    assert sk_claims.pt_matches_exact(Table(fe.name, data, fe.schema))[0] is False


def _bracket(lower: float, nis: float, upper: float) -> Table:
    row = {"set": "sk", "family": "sk", "size": 12, "n": 12, "index": 1, "net": "x",
           "protocol": "sk", "seed": 0, "net_family": "made", "n_params": 1, "beta": 2.0,
           "free_energy_q": upper, "free_energy_q_se": 1e-5, "free_energy_nis": nis,
           "free_energy_nis_se": 1e-5, "ess": 100.0, "nis_samples": 400,
           "free_energy_lower": lower, "free_energy_lower_se": 1e-5, "boltzmann_samples": 400,
           "boltzmann_source": "enumeration (exact draws)", "free_energy_exact": -0.7,
           "free_energy_pt": np.nan, "free_energy_pt_se": np.nan}
    return new_table("sk_bracket", [row], SCHEMAS["sk_bracket"])


def test_bracket_claim():
    assert sk_claims.bracket_holds(_bracket(-0.702, -0.7001, -0.699))[0] is True
    assert sk_claims.bracket_holds(_bracket(-0.698, -0.6975, -0.697))[0] is False  # lower > F
    assert sk_claims.bracket_holds(_bracket(-0.702, -0.7001, -0.701))[0] is False  # F_q < F
    assert sk_claims.bracket_holds(_bracket(-0.702, -0.690, -0.699))[0] is False   # NIS out
