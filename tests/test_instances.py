"""Instance families: geometry, coupling statistics, the planted WPE ground state, determinism,
the TwoBo reference stream and file formats. Every expected value comes from a definition,
a closed form or an enumeration written here, never from a previous run."""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import subprocess
import sys

import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp

from arspin.errors import ArspinError
from arspin.instances import (
    FAMILIES,
    export_edgelist,
    export_npz,
    generate,
    import_edgelist,
    import_npz,
    validate_options,
)
from arspin.instances.lattice import lattice_edges, n_lattice_edges
from arspin.instances.wpe import wishart_couplings, wishart_factor

# ----------------------------------------------------------------- lattices


def row_major_neighbours(L: int, d: int, k: int) -> set[int]:
    coords = np.unravel_index(k, (L,) * d)
    out = set()
    for axis in range(d):
        for step in (-1, 1):
            moved = list(coords)
            moved[axis] = (moved[axis] + step) % L
            out.add(int(np.ravel_multi_index(moved, (L,) * d)))
    return out


@pytest.mark.parametrize("family, d, L", [("ea2d", 2, 3), ("ea2d", 2, 4), ("ea2d", 2, 5),
                                          ("ea3d", 3, 3), ("ea3d", 3, 4)])
def test_lattice_geometry(family, d, L):
    model = generate(family, L, 0)
    n = L**d
    assert model.n == n and model.n_edges == d * n
    np.testing.assert_array_equal(model.degrees, np.full(n, 2 * d))
    indptr, indices, couplings = model.neighbours
    for k in range(n):
        assert set(indices[indptr[k]:indptr[k + 1]].tolist()) == row_major_neighbours(L, d, k)
    assert set(np.unique(couplings)) <= {-1.0, 1.0}
    if d == 2:  # the periodic wrap bonds in both directions
        bonds = set(zip(model.i.tolist(), model.j.tolist()))
        for r in range(L):
            assert (r * L, r * L + L - 1) in bonds
            assert (r, (L - 1) * L + r) in bonds


def test_lattice_l2_merges_doubled_bonds():
    two = generate("ea2d", 2, 0)
    assert two.n_edges == 4 and two.degrees.tolist() == [2, 2, 2, 2]
    three = generate("ea3d", 2, 0)
    assert three.n_edges == 12 and set(three.degrees.tolist()) == {3}


@pytest.mark.parametrize("L, d", list(itertools.product([2, 3, 4, 5], [2, 3])))
def test_edge_count_formula_matches_networkx(L, d):
    assert n_lattice_edges(L, d) == nx.grid_graph(dim=[L] * d, periodic=True).number_of_edges()
    assert lattice_edges(L, d)[0].size == n_lattice_edges(L, d)


@pytest.mark.parametrize("family, L, expected", [("ea2d", 3, 5), ("ea2d", 4, 7), ("ea2d", 6, 11),
                                                 ("ea3d", 3, 17), ("ea3d", 4, 31)])
def test_frontier_maximum(family, L, expected):
    # |F_i| <= 2L - 1 in 2D and 2L^2 - 1 in 3D (without spin i itself; physics.md section 5)
    assert expected == (2 * L - 1 if family == "ea2d" else 2 * L**2 - 1)
    assert generate(family, L, 0).frontier_sizes().max() == expected


@pytest.mark.parametrize("family, L, expected", [("ea2d", 4, 101), ("ea2d", 16, 7709),
                                                 ("ea2d", 32, 63549), ("ea3d", 4, 1429)])
def test_twobo_parameter_counts(family, L, expected):
    # counts printed in the TwoBo paper: 1 + (N - 1) + sum_{i >= 1} (|F_i| + skip_i)
    model = generate(family, L, 0)
    count = 1 + (model.n - 1) + int((model.frontier_sizes()[1:] + model.skip_mask()[1:]).sum())
    assert count == expected


def test_ea_couplings_are_fair_coins():
    J = np.concatenate([generate("ea2d", 16, k).J for k in range(20)])  # 10240 bonds
    assert abs(J.mean()) < 5 / np.sqrt(J.size)


# ----------------------------------------------------------------- random graphs, dense


@pytest.mark.parametrize("n, degree", [(50, 3), (31, 4), (12, 11), (20, 15)])
def test_rrg_is_regular(n, degree):
    model = generate("rrg", n, 0, degree=degree)
    np.testing.assert_array_equal(model.degrees, np.full(n, degree))
    assert set(np.unique(model.J)) <= {-1.0, 1.0}
    assert model.meta["options"] == {"degree": degree}


def test_rrg_couplings_balanced():
    J = np.concatenate([generate("rrg", 200, k).J for k in range(20)])
    assert abs(J.mean()) < 5 / np.sqrt(J.size)


@pytest.mark.parametrize("n, degree", [(11, 3), (10, 10), (10, 0)])
def test_rrg_impossible_degree(n, degree):
    with pytest.raises(ArspinError, match="degree"):
        generate("rrg", n, 0, degree=degree)


def test_sk_coupling_statistics():
    n = 400
    model = generate("sk", n, 0)
    E = n * (n - 1) // 2
    assert model.n_edges == E  # all pairs
    # mean 0 (std of the mean sqrt(1/(N E))), variance 1/N (relative std sqrt(2/E))
    assert abs(model.J.mean()) < 5 / np.sqrt(n * E)
    assert abs(model.J.var() * n - 1) < 5 * np.sqrt(2 / E)
    other = generate("sk", n, 1)
    assert not np.array_equal(other.J, model.J)


def test_sk_variant_regular_support_and_variances():
    n, d = 400, 40
    small = generate("sk_variant", n, 0, degree=d)
    big = generate("sk_variant", n, 0, degree=d, variance="1/d")
    np.testing.assert_array_equal(small.degrees, np.full(n, d))
    # same seed, same support: the variance option only rescales
    np.testing.assert_array_equal(small.i, big.i)
    np.testing.assert_allclose(big.J, small.J * np.sqrt(n / d), rtol=1e-12)
    E = n * d // 2
    assert abs(small.J.var() * n - 1) < 5 * np.sqrt(2 / E)
    assert abs(big.J.var() * d - 1) < 5 * np.sqrt(2 / E)


def test_sk_variant_erdos_renyi_mean_degree():
    n, d = 400, 6
    counts = [generate("sk_variant", n, k, degree=d, deletion="erdos_renyi").n_edges
              for k in range(5)]
    mean, std = n * d / 2, np.sqrt(n * d / 2 * (1 - d / (n - 1)) / 5)
    assert abs(np.mean(counts) - mean) < 5 * std


def test_sk_variant_full_degree_is_sk_support():
    model = generate("sk_variant", 9, 0, degree=8)
    assert model.n_edges == 9 * 8 // 2


def test_cw_couplings():
    n = 7
    model = generate("cw", n, 0, J=2, h=-0.5)
    assert model.n_edges == n * (n - 1) // 2
    np.testing.assert_array_equal(model.J, np.full(model.n_edges, 2 / n))
    np.testing.assert_array_equal(model.h, np.full(n, -0.5))
    np.testing.assert_array_equal(generate("cw", n, 3, J=2, h=-0.5).J, model.J)  # no randomness
    assert model.meta["options"] == {"J": 2.0, "h": -0.5}


# ----------------------------------------------------------------- WPE


def all_states(n: int) -> np.ndarray:
    return 1 - 2 * ((np.arange(2**n)[:, None] >> np.arange(n)[None, :]) & 1)


def dense_couplings(model) -> np.ndarray:
    full = np.zeros((model.n, model.n))
    full[model.i, model.j] = model.J
    return full + full.T


@pytest.mark.parametrize("n, alpha", [(12, 0.1), (13, 0.25), (14, 0.5), (15, 1.0), (16, 0.75)])
@pytest.mark.parametrize("r_dist", ["gauss", "pm1"])
def test_wpe_planted_state_is_ground_state(n, alpha, r_dist):
    model = generate("wpe", n, 0, alpha=alpha, r_dist=r_dist)
    planted = np.array(model.meta["planted_state"])
    e_g = model.meta["planted_energy"]
    assert model.meta["M"] == max(1, int(np.floor(alpha * n + 0.5)))
    x = all_states(n)
    energies = -0.5 * np.einsum("bi,ij,bj->b", x, dense_couplings(model), x)
    assert energies.min() == pytest.approx(e_g, abs=1e-9)
    assert float(model.energy(planted)) == pytest.approx(e_g, abs=1e-9)
    lowest = x[energies < e_g + 1e-9]
    if r_dist == "gauss" and model.meta["M"] >= 3:  # unique up to the global flip (a.s.)
        assert len(lowest) == 2
        assert all(np.array_equal(s, planted) or np.array_equal(s, -planted) for s in lowest)
    else:  # +-1 entries or tiny M: degenerate levels may exist, the planted pair is among them
        assert any(np.array_equal(s, planted) for s in lowest)


@pytest.mark.parametrize("family, options", [("wpe", {"alpha": 0.5}), ("sk", {}),
                                              ("sk_variant", {"degree": 3})])
def test_spin_order_relabels_the_same_instance(family, options):
    # order k: the couplings of order 0 with spins relabelled (new m = old order[m]); every
    # energy, the planted state's included, is the old one of the relabelled configuration
    n = 10
    base = generate(family, n, 3, **options)
    perms = []
    for k in (1, 2):
        model = generate(family, n, 3, order=k, **options)
        perm = np.array(model.meta["order"])
        assert model.meta["spin_order"] == k and sorted(perm) == list(range(n))
        assert np.allclose(dense_couplings(model), dense_couplings(base)[np.ix_(perm, perm)])
        x = all_states(n)
        assert np.allclose(model.energy(x), base.energy(x[:, np.argsort(perm)]))
        if family == "wpe":
            planted = np.array(model.meta["planted_state"])
            assert float(model.energy(planted)) == pytest.approx(base.meta["planted_energy"])
            assert model.energy(x).min() == pytest.approx(base.meta["planted_energy"])
        perms.append(perm.tolist())
    assert perms[0] != perms[1] and perms[0] != list(range(n))
    assert generate(family, n, 3, order=1, **options).meta["order"] == perms[0]  # deterministic
    assert "order" not in base.meta


def test_spin_order_rejects_negative():
    with pytest.raises(ArspinError, match="order"):
        generate("sk", 6, 0, order=-1)


@pytest.mark.parametrize("r_dist", ["gauss", "pm1"])
def test_wpe_factor_orthogonal_to_planted_state(r_dist):
    rng = np.random.default_rng(0)
    for n, m in [(5, 1), (16, 8), (40, 60)]:
        w = wishart_factor(n, m, rng, r_dist)
        assert w.shape == (n, m)
        assert np.abs(w.T @ np.ones(n)).max() < 1e-12 * n


@pytest.mark.parametrize("gauge", [False, True])
def test_wpe_follows_documented_draw_order(gauge):
    # replay from meta["seed"]: R first, then the gauge vector
    model = generate("wpe", 10, 4, alpha=0.3, gauge=gauge)
    rng = np.random.default_rng(model.meta["seed"])
    w = wishart_factor(10, 3, rng, "gauss")
    i, j, J = wishart_couplings(w)
    c = rng.integers(0, 2, size=10) * 2 - 1 if gauge else np.ones(10, dtype=int)
    assert model.meta["planted_state"] == c.tolist()
    np.testing.assert_allclose(model.J, J * c[i] * c[j], rtol=0, atol=1e-15)
    assert model.meta["planted_energy"] == pytest.approx(-np.sum(w**2) / 20, rel=1e-14)


@pytest.mark.parametrize("r_dist", ["gauss", "pm1"])
def test_wpe_mean_ground_energy(r_dist):
    # E[E_g] = -M/2; for Gaussian R, Var E_g = M / (2 (N - 1))
    n, m, k = 20, 10, 200
    e_g = [generate("wpe", n, idx, r_dist=r_dist).meta["planted_energy"] for idx in range(k)]
    assert abs(np.mean(e_g) + m / 2) < 5 * np.sqrt(m / (2 * (n - 1)) / k)


# ----------------------------------------------------------------- determinism, options

DETERMINISM_CASES = [("ea2d", 5, {}), ("ea3d", 3, {}), ("rrg", 30, {}), ("sk", 20, {}),
                     ("sk_variant", 30, {"degree": 4, "deletion": "erdos_renyi"}),
                     ("cw", 6, {"h": 0.1}), ("wpe", 12, {"alpha": 0.25})]


def digest(model) -> str:
    blob = b"".join(a.tobytes() for a in (model.i, model.j, model.J, model.h))
    return hashlib.sha256(blob).hexdigest() + json.dumps(model.meta, sort_keys=True)


def test_every_family_has_a_determinism_case():
    assert {case[0] for case in DETERMINISM_CASES} == set(FAMILIES)


def test_same_arguments_same_instance_in_another_process():
    code = (
        "import hashlib, json\n"
        "from arspin.instances import generate\n"
        f"cases = {DETERMINISM_CASES!r}\n"
        "out = []\n"
        "for family, size, opts in cases:\n"
        "    m = generate(family, size, 1, **opts)\n"
        "    blob = b''.join(a.tobytes() for a in (m.i, m.j, m.J, m.h))\n"
        "    out.append(hashlib.sha256(blob).hexdigest() + json.dumps(m.meta, sort_keys=True))\n"
        "print(json.dumps(out))\n"
    )
    child = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True, env={**os.environ, "PYTHONHASHSEED": "123"})
    here = [digest(generate(family, size, 1, **opts)) for family, size, opts in DETERMINISM_CASES]
    assert json.loads(child.stdout) == here


@pytest.mark.parametrize("family, size, opts", [c for c in DETERMINISM_CASES if c[0] != "cw"])
def test_other_index_other_couplings(family, size, opts):
    a, b = generate(family, size, 0, **opts), generate(family, size, 1, **opts)
    assert a.meta["seed"] != b.meta["seed"]
    assert not (np.array_equal(a.i, b.i) and np.array_equal(a.J, b.J))


def test_meta_is_json_and_complete():
    model = generate("wpe", 8, 2, alpha=1)
    meta = json.loads(json.dumps(model.meta))
    assert meta["family"] == "wpe" and meta["size"] == 8 and meta["index"] == 2
    assert meta["seed_rule"] == "default" and isinstance(meta["seed"], int)
    assert 0 <= meta["seed"] < 2**63
    assert meta["options"] == {"alpha": 1.0, "r_dist": "gauss", "gauge": True}
    assert len(meta["planted_state"]) == 8 and set(meta["planted_state"]) <= {-1, 1}
    assert isinstance(meta["planted_energy"], float)


def test_families_table_is_json_with_valid_defaults():
    json.dumps(FAMILIES)
    for name, spec in FAMILIES.items():
        assert {"description", "size", "options", "seed_rules"} <= set(spec)
        defaults = {k: v["default"] for k, v in spec["options"].items()}
        assert validate_options(name, {}) == defaults


@pytest.mark.parametrize("call, word", [
    (lambda: generate("nope", 4, 0), "nope"),
    (lambda: generate("sk", 4, 0, foo=1), "'foo'"),
    (lambda: generate("sk_variant", 10, 0, variance="1/M"), "'variance'"),
    (lambda: generate("rrg", 10, 0, degree="3"), "'degree'"),
    (lambda: generate("rrg", 10, 0, degree=True), "'degree'"),
    (lambda: generate("wpe", 10, 0, gauge=1), "'gauge'"),
    (lambda: generate("wpe", 10, 0, alpha=0.0), "'alpha'"),
    (lambda: generate("wpe", 10, 0, alpha=float("nan")), "'alpha'"),
    (lambda: generate("cw", 10, 0, h="x"), "'h'"),
    (lambda: generate("sk", 0, 0), "size"),
    (lambda: generate("sk", 1, 0), "size"),
    (lambda: generate("ea2d", 1, 0), "size"),
    (lambda: generate("sk", 4, -1), "index"),
    (lambda: generate("sk", 4, True), "index"),
    (lambda: generate("sk", 4, 0, seed_rule="other"), "seed_rule"),
])
def test_bad_arguments_name_the_culprit(call, word):
    with pytest.raises(ArspinError, match=word.replace("/", r"\/")):
        call()


# ----------------------------------------------------------------- TwoBo reference stream


def replay_reference(stop: tuple[int, int]) -> dict:
    """The reference script's loop as written in its text, up to and including size/dim stop.

    One legacy RandomState(0) stream; sizes in the order 2, 4, ...; per size ten 2D instances
    then ten 3D ones; one randint(0, 2) * 2 - 1 per edge in edges() order.
    """
    stream = np.random.RandomState(0)
    out = {}
    for L in [2, 4, 8, 16, 32, 64, 12, 24]:
        for d in (2, 3):
            if d == 3 and L >= 32:
                continue
            for k in range(10):
                graph = nx.grid_graph(dim=[L] * d, periodic=True)
                dense = np.zeros((L**d, L**d))
                for u, v in graph.edges():
                    a = int(np.ravel_multi_index(u, (L,) * d))
                    b = int(np.ravel_multi_index(v, (L,) * d))
                    dense[a, b] = dense[b, a] = stream.randint(0, 2) * 2 - 1
                out[(L, d, k)] = dense
            if (L, d) == stop:
                return out
    return out


def test_twobo_reference_replay():
    expected = replay_reference(stop=(4, 3))
    for (L, d, k), dense in expected.items():
        model = generate("ea2d" if d == 2 else "ea3d", L, k, seed_rule="twobo-reference")
        np.testing.assert_array_equal(dense_couplings(model), dense)
        assert model.meta["seed"] == 0 and model.meta["seed_rule"] == "twobo-reference"


def test_twobo_reference_export_matches_reference_file_layout(tmp_path):
    # the reference writes triu(networkx adjacency matrix, k=1) in CSR
    model = generate("ea2d", 4, 7, seed_rule="twobo-reference")
    graph = nx.grid_graph(dim=[4, 4], periodic=True)
    couplings = dict(zip(zip(model.i.tolist(), model.j.tolist()), model.J.tolist()))
    for u, v in graph.edges():
        a, b = sorted((4 * u[0] + u[1], 4 * v[0] + v[1]))
        graph[u][v]["weight"] = couplings[(a, b)]
    reference = sp.triu(nx.adjacency_matrix(graph), k=1, format="csr")
    export_npz(model, tmp_path / "x.npz")
    ours = sp.load_npz(tmp_path / "x.npz")
    assert ours.format == "csr"
    np.testing.assert_array_equal(ours.toarray(), reference.toarray())


@pytest.mark.parametrize("family, L, k, word", [("ea2d", 5, 0, "size"), ("ea2d", 4, 10, "index"),
                                                ("ea3d", 32, 0, "size"), ("ea3d", 64, 0, "size"),
                                                ("sk", 4, 0, "seed_rule")])
def test_twobo_reference_out_of_range(family, L, k, word):
    with pytest.raises(ArspinError, match=word):
        generate(family, L, k, seed_rule="twobo-reference")


# ----------------------------------------------------------------- TwoBo reference RRG

# sha256 of the reference's ten published files RRG_PM_d3_N{N}_{0..9}.npz per N (github
# cqsl/sparse-twobody-arnn, instances/RRG_PM), computed from the files with scipy alone:
# per file, triu(J + J^T, 1) as lines "i j J\n" sorted by (i, j), then "--\n".
PUBLISHED_RRG = {
    32: "679a04d476d5b97951d192610590819ee7a90e7df3ddc1693ead69f15928cbaa",
    64: "ae7a30454f69b5a82e5552a39792c6ef69e71fe4ebda90046a1c86678bf69b61",
    128: "2a94504d3ba109a9dc9bf8449808ca6e357384bd7a17536b0c9d24e0978d3f9e",
    256: "08f429a31883e2fd45470f20990cbb24a249e4a254f7551c15e76f554324425f",
    512: "0bf1bafcb7ffbb0e1cabfbc306f727c6f47e0c0beab0e32d19f54f64bac7eb67",
    1024: "e82796600d20a3369dbe85dea2f22b6e28accc9ac9bfc8679be9b369e7d8df58",
}


def test_twobo_reference_rrg_fingerprint():
    """The issue's fingerprint of the reference file N = 32, i = 0."""
    model = generate("rrg", 32, 0, seed_rule="twobo-reference")
    assert model.i.size == 48 and model.J.sum() == 10
    first = list(zip(model.i[:6].tolist(), model.j[:6].tolist(), model.J[:6].tolist()))
    assert first == [(0, 1, -1), (0, 3, 1), (0, 16, 1), (1, 4, -1), (1, 14, 1), (2, 3, 1)]
    assert model.meta["seed_rule"] == "twobo-reference" and model.meta["seed"] == 0
    assert model.meta["versions"]["networkx"] == "3.2.1"


@pytest.mark.parametrize("n", sorted(PUBLISHED_RRG))
def test_twobo_reference_rrg_reproduces_the_published_files(n):
    digest = hashlib.sha256()
    for index in range(10):
        model = generate("rrg", n, index, seed_rule="twobo-reference")
        assert np.all(np.bincount(np.concatenate([model.i, model.j]), minlength=n) == 3)
        order = np.lexsort((model.j, model.i))
        digest.update("".join(f"{a} {b} {int(c)}\n" for a, b, c in zip(
            model.i[order], model.j[order], model.J[order])).encode())
        digest.update(b"--\n")
    assert digest.hexdigest() == PUBLISHED_RRG[n]


def test_twobo_reference_rrg_labels_are_local():
    """Insertion-order labels: mean |i - j| / N near 1/4 (reference), uniform labels near 1/3."""
    def locality(rule: str) -> float:
        return float(np.mean([np.mean(np.abs(m.i - m.j)) / m.n for m in
                              (generate("rrg", 1024, k, seed_rule=rule) for k in range(5))]))
    assert abs(locality("twobo-reference") - 0.25) < 0.01
    assert abs(locality("default") - 1 / 3) < 0.01


def test_twobo_reference_rrg_needs_the_pinned_networkx(monkeypatch):
    monkeypatch.setattr(nx, "__version__", "3.6.1")
    with pytest.raises(ArspinError, match="networkx 3.2.1"):
        generate("rrg", 32, 0, seed_rule="twobo-reference")


# ----------------------------------------------------------------- files


@pytest.mark.parametrize("family, size", [("ea2d", 4), ("sk", 9), ("wpe", 8), ("rrg", 10)])
def test_npz_and_edgelist_round_trips(tmp_path, family, size):
    model = generate(family, size, 0)
    export_npz(model, tmp_path / "m.npz")
    export_edgelist(model, tmp_path / "m.txt")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.npz", "m.txt"]  # no temp files left
    stored = sp.load_npz(tmp_path / "m.npz")
    assert stored.format == "csr" and sp.tril(stored).nnz == 0
    for back in (import_npz(tmp_path / "m.npz"), import_edgelist(tmp_path / "m.txt")):
        assert back.n == model.n
        np.testing.assert_array_equal(back.i, model.i)
        np.testing.assert_array_equal(back.j, model.j)
        np.testing.assert_array_equal(back.J, model.J)
        assert back.meta["family"] == "from-file" and len(back.meta["sha256"]) == 64


def test_npz_any_triangle_and_full_matrix_doubles(tmp_path):
    rng = np.random.default_rng(2)
    upper = sp.random(8, 8, density=0.5, random_state=rng, format="csr")
    upper = sp.triu(upper, k=1, format="csr")
    sp.save_npz(tmp_path / "u.npz", upper)
    sp.save_npz(tmp_path / "l.npz", upper.T.tocsc())
    sp.save_npz(tmp_path / "f.npz", (upper + upper.T).tocoo())
    u, low, full = (import_npz(tmp_path / f"{s}.npz") for s in "ulf")
    np.testing.assert_array_equal(u.J, low.J)
    np.testing.assert_array_equal(u.i, low.i)
    np.testing.assert_allclose(full.J, 2 * u.J)  # the reference convention triu(J + J^T, 1)
    coo = upper.tocoo()
    expected = {(a, b): v for a, b, v in zip(coo.row.tolist(), coo.col.tolist(), coo.data)}
    assert dict(zip(zip(u.i.tolist(), u.j.tolist()), u.J)) == expected


def test_npz_diagonal_is_dropped(tmp_path):
    sp.save_npz(tmp_path / "d.npz", sp.csr_matrix(np.array([[5.0, 1.0], [0.0, 2.0]])))
    model = import_npz(tmp_path / "d.npz")
    assert model.n_edges == 1 and model.J.tolist() == [1.0]


def test_edgelist_parsing(tmp_path):
    path = tmp_path / "g.txt"
    path.write_text("# a comment\n# n = 6\n\n0 1 1.5\n2 1 -2  # inline\n1 0 0.5\n")
    model = import_edgelist(path)
    assert model.n == 6  # from the header: spins 3..5 are isolated
    assert list(zip(model.i.tolist(), model.j.tolist(), model.J.tolist())) == [(0, 1, 2.0),
                                                                              (1, 2, -2.0)]
    path.write_text("3 1 1\n")
    assert import_edgelist(path).n == 4  # no header: N = max index + 1


@pytest.mark.parametrize("text, where", [
    ("0 1 1\n0 1\n", ":2:"),
    ("0 1 1\n\na 1 1.0\n", ":3:"),
    ("0 1 x\n", ":1:"),
    ("0 0 1.0\n", ":1:"),
    ("# n = 4\n0 5 1\n", ":2:"),
    ("-1 2 1\n", ":1:"),
    ("0 1 nan\n", ":1:"),
    ("# n = 4\n# n = 5\n", ":2:"),
    ("# n = many\n", ":1:"),
    ("# nothing\n", "no bonds"),
])
def test_bad_edgelist_names_file_and_line(tmp_path, text, where):
    path = tmp_path / "bad.txt"
    path.write_text(text)
    with pytest.raises(ArspinError) as info:
        import_edgelist(path)
    assert str(path) in str(info.value) and where in str(info.value)


def test_bad_npz_files(tmp_path):
    with pytest.raises(ArspinError, match="no such file"):
        import_npz(tmp_path / "missing.npz")
    with pytest.raises(ArspinError, match="no such file"):
        import_edgelist(tmp_path / "missing.txt")
    (tmp_path / "garbage.npz").write_bytes(b"not a zip file")
    np.savez(tmp_path / "dense.npz", a=np.ones(3))
    np.savez(tmp_path / "obj.npz", format=np.array([{"x": 1}], dtype=object))
    sp.save_npz(tmp_path / "rect.npz", sp.csr_matrix(np.ones((2, 3))))
    sp.save_npz(tmp_path / "nan.npz", sp.csr_matrix(np.array([[0, np.nan], [0, 0]])))
    for name in ["garbage", "dense", "obj", "rect", "nan"]:
        with pytest.raises(ArspinError, match=str(tmp_path / name)):
            import_npz(tmp_path / f"{name}.npz")


def test_export_refuses_fields(tmp_path):
    with pytest.raises(ArspinError, match="'h'"):
        export_npz(generate("cw", 5, 0, h=0.5), tmp_path / "cw.npz")
    with pytest.raises(ArspinError, match="'h'"):
        export_edgelist(generate("cw", 5, 0, h=0.5), tmp_path / "cw.txt")
    assert list(tmp_path.iterdir()) == []  # nothing half-written
