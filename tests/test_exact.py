"""Exact references (arspin.exact) against closed forms, hand sums and naive enumeration."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from scipy.special import logsumexp

from arspin.exact import (
    all_states,
    boltzmann_log_probs,
    cw_free_energy_finite,
    cw_free_energy_infinite,
    cw_magnetization_infinite,
    cw_thermodynamics_finite,
    cw_thermodynamics_infinite,
    ground_states,
    state_index,
    thermodynamics,
)
from arspin.hamiltonian import IsingModel
from arspin.instances import generate

BETAS = np.array([0.1, 0.45, 1.0, 2.3])
KEYS = ("log_z", "free_energy", "energy", "entropy", "abs_magnetization")


def chain(n: int, J: float, periodic: bool) -> IsingModel:
    i = np.arange(n if periodic else n - 1)
    return IsingModel.from_edges(n, i, (i + 1) % n, np.full(i.size, J))


def curie_weiss(n: int, J: float, h: float) -> IsingModel:
    i, j = np.triu_indices(n, 1)
    return IsingModel.from_edges(n, i, j, np.full(i.size, J / n), np.full(n, h))


def random_model(n: int, seed: int, dense: bool) -> IsingModel:
    """Dense Gaussian couplings or a sparse +-1 graph, both with random fields."""
    rng = np.random.default_rng(seed)
    if dense:
        return IsingModel.from_matrix(np.triu(rng.normal(size=(n, n)), 1) / np.sqrt(n),
                                      h=0.5 * rng.normal(size=n))
    i, j = rng.integers(0, n, 3 * n), rng.integers(0, n, 3 * n)
    keep = i != j
    return IsingModel.from_edges(n, i[keep], j[keep], rng.choice([-1.0, 1.0], keep.sum()),
                                 h=rng.choice([-1.0, 0.0, 1.0], n))


def naive(model: IsingModel, betas) -> dict:
    """Independent reference: model.energy on every state, then plain logsumexp."""
    x = all_states(model.n)
    e = model.energy(x)
    absm = np.abs(x.sum(1)) / model.n
    out = {k: [] for k in KEYS}
    for b in betas:
        lz = logsumexp(-b * e)
        p = np.exp(-b * e - lz)
        out["log_z"].append(lz)
        out["free_energy"].append(-lz / (b * model.n))
        out["energy"].append(p @ e / model.n)
        out["entropy"].append(-(p @ (-b * e - lz)) / model.n)
        out["abs_magnetization"].append(p @ absm)
    out = {k: np.array(v) for k, v in out.items()}
    out["ground_energy"] = e.min()
    out["n_ground_states"] = int(np.sum(e <= e.min() + 1e-9 * max(1.0, abs(e.min()))))
    return out


def assert_thermo_close(got: dict, ref: dict, rtol: float = 1e-12, atol: float = 1e-12):
    for k in KEYS:
        np.testing.assert_allclose(got[k], ref[k], rtol=rtol, atol=atol, err_msg=k)


# ------------------------------------------------------------------ state order
def test_all_states_order_and_index():
    x = all_states(3)
    assert x.dtype == np.int8 and x.shape == (8, 3)
    np.testing.assert_array_equal(x[0], [-1, -1, -1])
    np.testing.assert_array_equal(x[1], [1, -1, -1])     # spin 0 is the least significant bit
    np.testing.assert_array_equal(x[6], [-1, 1, 1])
    np.testing.assert_array_equal(x[7], [1, 1, 1])
    np.testing.assert_array_equal(state_index(all_states(10)), np.arange(1024))
    with pytest.raises(ValueError):
        all_states(25)


# ------------------------------------------------------------------ closed forms
@pytest.mark.parametrize("J", [1.0, -1.0, 0.6, -1.3])
def test_periodic_chain_transfer_matrix(J):
    for n in range(6, 13):
        got = thermodynamics(chain(n, J, periodic=True), BETAS, chunk_bits=4 + n % 3)
        c, s = 2 * np.cosh(BETAS * J), 2 * np.sinh(BETAS * J)
        z = c**n + s**n
        np.testing.assert_allclose(got["log_z"], np.log(z), rtol=1e-13)
        dz = n * 2 * J * (c ** (n - 1) * s / 2 + s ** (n - 1) * c / 2)   # dZ/dbeta
        np.testing.assert_allclose(got["energy"], -dz / z / n, rtol=1e-12, atol=1e-13)


@pytest.mark.parametrize("J", [1.0, -0.8])
def test_open_chain(J):
    for n in (6, 9, 12):
        got = thermodynamics(chain(n, J, periodic=False), BETAS)
        np.testing.assert_allclose(got["log_z"], np.log(2) + (n - 1) * np.log(2 * np.cosh(BETAS * J)),
                                   rtol=1e-13)


def test_two_spins_by_hand():
    J, h0, h1 = 0.7, 0.3, -0.5
    model = IsingModel.from_edges(2, [0], [1], [J], h=[h0, h1])
    # state order: index = bit0 + 2 bit1, bit 1 means +1
    states = [(-1, -1), (1, -1), (-1, 1), (1, 1)]
    energies = np.array([-J * a * b - h0 * a - h1 * b for a, b in states])
    np.testing.assert_allclose(energies, [-J + h0 + h1, J - h0 + h1, J + h0 - h1, -J - h0 - h1])
    got = thermodynamics(model, BETAS)
    for k, beta in enumerate(BETAS):
        w = np.exp(-beta * energies)
        z = w.sum()
        np.testing.assert_allclose(got["log_z"][k], np.log(z), rtol=1e-14)
        np.testing.assert_allclose(got["energy"][k], w @ energies / z / 2, rtol=1e-13)
        np.testing.assert_allclose(got["abs_magnetization"][k], (w[0] + w[3]) * 2 / z / 2, rtol=1e-13)
        np.testing.assert_allclose(np.exp(boltzmann_log_probs(model, beta)), w / z, rtol=1e-13)
    zero_field = thermodynamics(IsingModel.from_edges(2, [0], [1], [J]), BETAS)
    np.testing.assert_allclose(zero_field["log_z"],
                               np.log(2 * np.exp(BETAS * J) + 2 * np.exp(-BETAS * J)), rtol=1e-14)
    assert float(got["ground_energy"]) == pytest.approx(energies.min(), abs=1e-14)


# ------------------------------------------------------------------ Curie-Weiss
@pytest.mark.parametrize("J,h", [(1.0, 0.0), (1.0, 0.3), (-0.7, -0.2), (2.0, -0.1)])
def test_curie_weiss_enumeration_matches_k_sum(J, h):
    for n in range(8, 13):
        got = thermodynamics(curie_weiss(n, J, h), BETAS)
        ref = cw_thermodynamics_finite(n, BETAS, J, h)
        assert_thermo_close(got, ref, rtol=1e-11, atol=1e-12)
        np.testing.assert_allclose(cw_free_energy_finite(n, BETAS, J, h), ref["free_energy"])


@pytest.mark.parametrize("h", [0.0, 0.2])
def test_curie_weiss_finite_approaches_infinite(h):
    betas = np.array([0.5, 0.8, 0.95, 1.05, 1.2, 1.5, 2.0])
    fin = cw_free_energy_finite(4000, betas, 1.0, h)
    np.testing.assert_allclose(fin, cw_free_energy_infinite(betas, 1.0, h), atol=1e-3)
    # the gap closes with N (finite-size corrections are O(ln N / N) away from beta = 1)
    gap = [np.abs(cw_free_energy_finite(n, betas, 1.0, h) - cw_free_energy_infinite(betas, 1.0, h)).max()
           for n in (100, 1000, 10000)]
    assert gap[0] > gap[1] > gap[2]


def test_curie_weiss_infinite_is_mean_field_minimum():
    """f_inf equals the minimum over m of the mean-field functional on a fine grid."""
    m = np.linspace(-1, 1, 200001)
    up, down = (1 + m) / 2, (1 - m) / 2
    with np.errstate(divide="ignore", invalid="ignore"):
        s = -np.nan_to_num(up * np.log(up)) - np.nan_to_num(down * np.log(down))
    for beta, J, h in itertools.product([0.5, 0.99, 1.01, 1.5, 4.0], [1.0, -1.0, 2.5], [0.0, 0.1, -0.4]):
        phi = -(s / beta + J * m**2 / 2 + h * m)
        f = cw_free_energy_infinite(beta, J, h)
        assert phi.min() - 1e-7 < f <= phi.min() + 1e-13   # the grid can only overestimate
        mag = cw_magnetization_infinite(beta, J, h)
        assert mag == pytest.approx(np.tanh(beta * (J * mag + h)), abs=1e-12)
        assert abs(mag - m[phi.argmin()]) < 2e-4 or (h == 0 and abs(mag + m[phi.argmin()]) < 2e-4)
    np.testing.assert_array_equal(cw_magnetization_infinite([0.3, 0.9, 1.0]), 0.0)
    near = cw_magnetization_infinite(1 + 1e-4)                 # m^2 ~ 3 (beta - 1) near beta = 1
    assert near == pytest.approx(np.sqrt(3e-4), rel=1e-3)
    inf = cw_thermodynamics_infinite(np.array([0.7, 1.6]), 1.0, 0.25)
    np.testing.assert_allclose(inf["entropy"],
                               np.array([0.7, 1.6]) * (inf["energy"] - inf["free_energy"]), rtol=1e-13)


# ------------------------------------------------------------------ consistency
@pytest.mark.parametrize("dense", [True, False])
def test_entropy_energy_consistency(dense):
    model = random_model(12, seed=3, dense=dense)
    got = thermodynamics(model, BETAS)
    np.testing.assert_allclose(got["entropy"], BETAS * (got["energy"] - got["free_energy"]),
                               rtol=1e-12)
    step = 1e-5
    up = thermodynamics(model, BETAS + step)["log_z"]
    down = thermodynamics(model, BETAS - step)["log_z"]
    np.testing.assert_allclose(got["energy"], -(up - down) / (2 * step) / model.n, rtol=1e-8, atol=1e-9)
    for k, beta in enumerate(BETAS):                          # S = -sum p ln p from the table
        lp = boltzmann_log_probs(model, beta)
        assert -(np.exp(lp) @ lp) / model.n == pytest.approx(got["entropy"][k], rel=1e-11)


@pytest.mark.parametrize("dense", [True, False])
def test_chunking_and_paths_agree(dense):
    model = random_model(14, seed=5, dense=dense)
    whole = thermodynamics(model, BETAS, chunk_bits=16)       # one block: no top spins
    for chunk_bits in (1, 3, 6, 9):
        for method in ("auto", "direct"):
            got = thermodynamics(model, BETAS, chunk_bits=chunk_bits, method=method)
            assert_thermo_close(got, whole)
            assert float(got["ground_energy"]) == pytest.approx(float(whole["ground_energy"]), abs=1e-12)
            assert int(got["n_ground_states"]) == int(whole["n_ground_states"])


@pytest.mark.parametrize("n,dense,seed", [(5, True, 0), (11, True, 1), (14, False, 2), (13, False, 4),
                                          (18, True, 6)])
def test_split_path_matches_naive_enumeration(n, dense, seed):
    model = random_model(n, seed, dense)
    ref = naive(model, BETAS)
    got = thermodynamics(model, BETAS, chunk_bits=8)
    assert_thermo_close(got, ref, rtol=1e-11)
    assert float(got["ground_energy"]) == pytest.approx(ref["ground_energy"], abs=1e-12)
    assert int(got["n_ground_states"]) == ref["n_ground_states"]
    assert int(got["n"]) == n


def test_large_couplings_fall_back_to_direct_path():
    """beta * (energy range of the tabulated block) > 500: the factorised product would
    underflow, so 'auto' must switch to per-state exponentials and stay exact."""
    rng = np.random.default_rng(9)
    n = 10
    model = IsingModel.from_matrix(np.triu(rng.normal(size=(n, n)) * 40, 1), h=rng.normal(size=n))
    betas = np.array([0.05, 3.0, 20.0])
    ref = naive(model, betas)
    assert_thermo_close(thermodynamics(model, betas, chunk_bits=4), ref, rtol=1e-10)
    with pytest.raises(ValueError, match="unsafe"):
        thermodynamics(model, betas, method="factorised")


def test_boltzmann_log_probs_normalised_and_consistent():
    model = random_model(13, seed=11, dense=True)
    beta = 0.9
    lp = boltzmann_log_probs(model, beta, chunk_bits=5)
    assert lp.shape == (2**13,) and lp.dtype == np.float64
    assert logsumexp(lp) == pytest.approx(0.0, abs=1e-12)
    log_z = thermodynamics(model, [beta])["log_z"][0]
    np.testing.assert_allclose(lp, -beta * model.energy(all_states(13)) - log_z, rtol=1e-12, atol=1e-11)


# ------------------------------------------------------------------ ground states
def test_ground_states_ferromagnet_and_frustrated_triangle():
    n = 9
    i, j = np.triu_indices(n, 1)
    ferro = IsingModel.from_edges(n, i, j, np.ones(i.size))
    e0, states = ground_states(ferro)
    assert e0 == pytest.approx(-i.size)
    np.testing.assert_array_equal(states, np.array([[-1] * n, [1] * n], dtype=np.int8))
    assert int(thermodynamics(ferro, [1.0])["n_ground_states"]) == 2

    triangle = IsingModel.from_edges(3, [0, 1, 0], [1, 2, 2], [-1.0, -1.0, -1.0])
    e0, states = ground_states(triangle)
    assert e0 == pytest.approx(-1.0)
    assert states.shape == (6, 3) and not np.any(np.all(states == states[:, :1], axis=1))
    np.testing.assert_allclose(triangle.energy(states), -1.0)
    assert int(thermodynamics(triangle, [1.0])["n_ground_states"]) == 6


def test_ground_states_match_naive_and_cap():
    model = random_model(16, seed=13, dense=False)
    ref = naive(model, [1.0])
    e0, states = ground_states(model, chunk_bits=6)
    assert e0 == pytest.approx(ref["ground_energy"], abs=1e-12)
    assert len(states) == ref["n_ground_states"]
    np.testing.assert_allclose(model.energy(states), ref["ground_energy"], atol=1e-12)
    free = IsingModel.from_edges(12, [], [], [])             # every state is a ground state
    e0, states = ground_states(free, max_states=100)
    assert e0 == 0.0 and states.shape == (100, 12)
    assert int(thermodynamics(free, [1.0])["n_ground_states"]) == 2**12


def test_size_limits():
    big = IsingModel.from_edges(35, [0], [1], [1.0])
    with pytest.raises(ValueError, match="limit 34"):
        thermodynamics(big, [1.0])
    with pytest.raises(ValueError, match="limit 30"):
        ground_states(IsingModel.from_edges(31, [0], [1], [1.0]))
    with pytest.raises(ValueError, match="limit 24"):
        boltzmann_log_probs(IsingModel.from_edges(25, [0], [1], [1.0]), 1.0)
    with pytest.raises(ValueError):
        thermodynamics(chain(5, 1.0, True), [0.0])


# ------------------------------------------------------------------ tree decomposition
@pytest.mark.parametrize("dense, seed, n", [(False, 3, 14), (True, 4, 10)])
def test_tree_decomposition_matches_naive_enumeration(dense, seed, n):
    """ln Z, F, E, S exact (variable elimination vs plain logsumexp over 2^N states, with
    fields); <|M|> estimated from exact samples, so it is checked with its standard error."""
    from arspin.exact import tree_decomposition

    model = random_model(n, seed, dense)
    got = tree_decomposition.thermodynamics(model, BETAS, samples=4000, seed=1)
    ref = naive(model, BETAS)
    for k in ("log_z", "free_energy", "energy", "entropy"):
        np.testing.assert_allclose(got[k], ref[k], rtol=1e-11, atol=1e-11, err_msg=k)
    z = (got["abs_magnetization"] - ref["abs_magnetization"]) / got["abs_magnetization_stderr"]
    assert np.all(np.abs(z) < 4), z
    assert 1 <= got["width"] <= n - 1


def test_tree_decomposition_width_limit():
    """A 2D lattice of side 16 has treewidth >= 16 (periodic: ~2L); the bound must exceed 25
    and the error must say so instead of running out of memory."""
    from arspin.exact import tree_decomposition
    from arspin.instances import generate

    model = generate("ea2d", 16, 0)
    width = tree_decomposition.treewidth_upper_bound(model)
    assert width > tree_decomposition.MAX_WIDTH
    with pytest.raises(ValueError, match=f"treewidth bound {width}"):
        tree_decomposition.thermodynamics(model, [1.0])
    # an open chain has treewidth 1
    assert tree_decomposition.treewidth_upper_bound(chain(30, 1.0, periodic=False)) == 1


def test_exact_auto_uses_the_curie_weiss_sum_at_any_n(cli, tmp_path):
    """A Curie-Weiss instance (generated, or any with equal couplings and fields) gets the
    finite-N sum: equal to enumeration at N = 12, and available at N = 50 where enumeration
    and tree decomposition (treewidth 49) are not."""
    from arspin import io
    for n in (12, 50):
        inst, out = tmp_path / f"cw{n}.h5", tmp_path / f"e{n}.h5"
        cli("instance", "generate", "--family", "cw", "--size", n, "--index", 0, "-o", "J=1.3",
            "-o", "h=0.2", "--out", inst, check=True)
        cli("exact", "--instance", inst, "--betas", "0.1:2:20", "--out", out, check=True)
        rec = io.read_exact(out)
        assert rec.attrs["method"] == "curie-weiss (finite N)"
    enum = tmp_path / "enum12.h5"
    cli("exact", "--instance", tmp_path / "cw12.h5", "--betas", "0.1:2:20", "--method",
        "enumeration", "--out", enum, check=True)
    a, b = io.read_exact(tmp_path / "e12.h5").data, io.read_exact(enum).data
    for key in ("log_z", "free_energy", "energy", "entropy", "abs_magnetization"):
        np.testing.assert_allclose(a[key], b[key], rtol=1e-12, atol=1e-12)
    sk = generate("sk", 10, 0)
    assert sk.curie_weiss() is None
    assert generate("cw", 10, 0, J=1.3, h=0.2).curie_weiss() == pytest.approx((1.3, 0.2))
    io.write_instance(tmp_path / "sk.h5", sk, io.provenance("test", {}, None))
    proc = cli("exact", "--instance", tmp_path / "sk.h5", "--betas", "1", "--method",
               "curie-weiss", "--out", tmp_path / "no.h5")
    assert proc.returncode == 2 and "not a Curie-Weiss instance" in proc.stderr
    assert not (tmp_path / "no.h5").exists()
