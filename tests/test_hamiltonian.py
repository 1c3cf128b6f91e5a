"""IsingModel against direct definitions: energies, symmetrisation, relabelling, local fields,
frontier sets. References are plain Python loops over the definitions of physics.md."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from arspin.hamiltonian import IsingModel
from arspin.instances import FAMILIES, generate

# Small sizes of every family (size = L for lattices, N otherwise).
SMALL = {"ea2d": 3, "ea3d": 2, "rrg": 10, "sk": 9, "sk_variant": 10, "cw": 8, "wpe": 10}


def test_small_sizes_cover_every_family():
    assert set(SMALL) == set(FAMILIES)


def loop_energy(model: IsingModel, x: np.ndarray) -> float:
    """H(x) = -sum_{i<j} J_ij x_i x_j - sum_i h_i x_i by a double loop over all pairs."""
    coupling = {}
    for a, b, value in zip(model.i.tolist(), model.j.tolist(), model.J.tolist()):
        coupling[(min(a, b), max(a, b))] = coupling.get((min(a, b), max(a, b)), 0.0) + value
    energy = 0.0
    for a in range(model.n):
        energy -= model.h[a] * x[a]
        for b in range(a + 1, model.n):
            energy -= coupling.get((a, b), 0.0) * x[a] * x[b]
    return energy


def with_random_fields(model: IsingModel, rng: np.random.Generator) -> IsingModel:
    return IsingModel.from_edges(model.n, model.i, model.j, model.J, h=rng.normal(size=model.n))


@pytest.mark.parametrize("family", sorted(SMALL))
@pytest.mark.parametrize("fields", [False, True])
def test_energy_matches_double_loop(family, fields):
    rng = np.random.default_rng(11)
    options = {"h": 0.3} if family == "cw" else {}
    model = generate(family, SMALL[family], 1, **options)
    if fields:
        model = with_random_fields(model, rng)
    x = rng.choice([-1, 1], size=(16, model.n))
    batch = model.energy(x)
    assert batch.dtype == np.float64 and batch.shape == (16,)
    for b in range(16):
        assert batch[b] == pytest.approx(loop_energy(model, x[b]), abs=1e-12)
        assert float(model.energy(x[b])) == pytest.approx(batch[b], abs=1e-12)


def test_energy_chunking_is_invisible():
    model = generate("sk", 12, 0)
    x = np.random.default_rng(0).choice([-1, 1], size=(37, 12))
    np.testing.assert_allclose(model.energy(x, chunk=5), model.energy(x), rtol=0, atol=1e-12)


def test_pm1_energies_are_exact_integers():
    model = generate("ea2d", 8, 0)
    x = np.random.default_rng(1).choice([-1, 1], size=(50, model.n))
    e = model.energy(x)
    np.testing.assert_array_equal(e, np.round(e))


def test_from_edges_symmetrises_and_sums_duplicates():
    # (0,1) twice, (2,1) is (1,2), (3,0)+(0,3) cancel and are dropped
    model = IsingModel.from_edges(4, [0, 0, 2, 3, 0], [1, 1, 1, 0, 3], [1.0, 0.5, -2.0, 1.0, -1.0])
    assert model.i.tolist() == [0, 1]
    assert model.j.tolist() == [1, 2]
    assert model.J.tolist() == [1.5, -2.0]
    x = np.array([1, -1, 1, 1])
    assert float(model.energy(x)) == pytest.approx(-(1.5 * 1 * -1) - (-2.0 * -1 * 1))
    dense = model.coupling_matrix.toarray()
    np.testing.assert_array_equal(dense, dense.T)
    assert np.all(np.diag(dense) == 0)


@pytest.mark.parametrize("i, j, J, n", [
    ([0], [0], [1.0], 2),          # self-coupling
    ([0], [2], [1.0], 2),          # out of range
    ([-1], [1], [1.0], 2),         # negative index
    ([0], [1], [np.nan], 2),       # non-finite coupling
    ([0, 1], [1], [1.0], 2),       # ragged
])
def test_from_edges_rejects_bad_bonds(i, j, J, n):
    with pytest.raises(ValueError):
        IsingModel.from_edges(n, i, j, J)


def test_from_matrix_any_triangle():
    rng = np.random.default_rng(3)
    upper = np.triu(rng.normal(size=(6, 6)), 1)
    a, b = IsingModel.from_matrix(upper), IsingModel.from_matrix(upper.T)
    np.testing.assert_array_equal(a.J, b.J)
    full = IsingModel.from_matrix(upper + upper.T)  # reference convention doubles a full matrix
    np.testing.assert_allclose(full.J, 2 * a.J)


@pytest.mark.parametrize("family", ["ea2d", "sk_variant", "wpe"])
def test_permuted_energy_invariant(family):
    rng = np.random.default_rng(5)
    model = with_random_fields(generate(family, SMALL[family], 2), rng)
    order = rng.permutation(model.n)
    relabelled = model.permuted(order)
    x = rng.choice([-1, 1], size=(20, model.n))
    # new spin k is old spin order[k]
    np.testing.assert_allclose(relabelled.energy(x[:, order]), model.energy(x), atol=1e-12)
    assert relabelled.meta["order"] == order.tolist()
    with pytest.raises(ValueError):
        model.permuted(np.zeros(model.n, dtype=int))


@pytest.mark.parametrize("family", sorted(SMALL))
def test_local_fields_are_energy_differences(family):
    rng = np.random.default_rng(7)
    model = with_random_fields(generate(family, SMALL[family], 0), rng)
    x = rng.choice([-1, 1], size=(4, model.n))
    fields = model.local_fields(x)
    base = model.energy(x)
    for k in range(model.n):
        flipped = x.copy()
        flipped[:, k] *= -1
        # H(x with x_k flipped) - H(x) = 2 x_k (sum_j J_kj x_j + h_k)
        np.testing.assert_allclose(model.energy(flipped) - base, 2 * x[:, k] * fields[:, k],
                                   atol=1e-12)


def brute_frontier(model: IsingModel) -> list[list[int]]:
    """F_i = { l > i : J_sl != 0 for some s < i } straight from the definition."""
    adjacent = {(a, b) for a, b in zip(model.i.tolist(), model.j.tolist())}
    adjacent |= {(b, a) for a, b in adjacent}
    return [[l for l in range(i + 1, model.n) if any((s, l) in adjacent for s in range(i))]
            for i in range(model.n)]


def random_graph_models():
    rng = np.random.default_rng(17)
    models = []
    for n, p in [(1, 0.0), (2, 1.0), (7, 0.0), (12, 0.15), (20, 0.3), (25, 0.08), (15, 1.0)]:
        pairs = [(a, b) for a, b in itertools.combinations(range(n), 2) if rng.random() < p]
        i = [a for a, _ in pairs]
        j = [b for _, b in pairs]
        models.append(IsingModel.from_edges(n, i, j, rng.normal(size=len(pairs))))
    models.append(generate("ea2d", 4, 0).permuted(rng.permutation(16)))
    models.append(generate("rrg", 16, 0))
    return models


@pytest.mark.parametrize("model", random_graph_models(), ids=lambda m: f"N{m.n}E{m.n_edges}")
def test_frontier_matches_definition(model):
    indptr, indices = model.frontier()
    expected = brute_frontier(model)
    assert indptr.shape == (model.n + 1,) and indptr[0] == 0
    for i in range(model.n):
        assert indices[indptr[i]:indptr[i + 1]].tolist() == expected[i]
    np.testing.assert_array_equal(model.frontier_sizes(), np.diff(indptr))
    adjacent = {(a, b) for a, b in zip(model.i.tolist(), model.j.tolist())}
    skip = [any((s, i) in adjacent for s in range(i)) for i in range(model.n)]
    assert model.skip_mask().tolist() == skip
