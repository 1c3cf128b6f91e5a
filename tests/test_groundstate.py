"""Ground-state baselines against independent references.

References: exhaustive enumeration (arspin.exact, plus a plain itertools loop here for models
with fields), exact Boltzmann averages (arspin.exact.thermodynamics) for parallel tempering,
lattice geometry for the cycle counts, and the definition of a cut for the cycle separation.
No expected number comes from a previous run of the code under test.
"""

from __future__ import annotations

import dataclasses
import itertools
import time
from math import comb

import numpy as np
import pytest

from arspin import io
from arspin.baselines.annealing import solve_sa
from arspin.baselines.best import (
    EnergyMismatch,
    GroundState,
    best_of,
    proves_optimal,
    tighten_bound,
)
from arspin.baselines.maxcut_ilp import extended_bonds, separate_cycles, short_cycles, solve_ilp
from arspin.baselines.tempering import (
    colour_classes,
    geometric_ladder,
    run_tempering,
    solve_pt,
)
from arspin.cli import main
from arspin.exact import ground_states, thermodynamics
from arspin.hamiltonian import IsingModel
from arspin.instances import generate


def with_fields(model: IsingModel, scale: float, seed: int) -> IsingModel:
    h = np.random.default_rng(seed).normal(0.0, scale, model.n)
    return dataclasses.replace(model, h=h)


def brute_force_min(model: IsingModel) -> float:
    """min H by a plain loop over all states, straight from the definition of H."""
    best = np.inf
    for x in itertools.product((-1, 1), repeat=model.n):
        x = np.array(x)
        best = min(best, -np.sum(model.J * x[model.i] * x[model.j]) - model.h @ x)
    return best


# ----------------------------------------------------------------- exact (HiGHS)
SMALL = [("ea2d", 3, 0), ("ea2d", 4, 1), ("ea2d", 4, 2), ("ea3d", 2, 0), ("ea3d", 2, 3),
         ("rrg", 12, 0), ("rrg", 20, 1), ("rrg", 20, 2), ("sk", 12, 0), ("sk", 18, 1),
         ("sk_variant", 20, 0), ("wpe", 16, 0)]


@pytest.mark.parametrize("family, size, index", SMALL)
def test_ilp_matches_enumeration(family, size, index):
    model = generate(family, size, index)
    assert model.n <= 20
    e_min, _ = ground_states(model)
    got = solve_ilp(model, time_limit=30)
    tol = 1e-9 * (1 + np.abs(model.J).sum())
    assert got.proven_optimal
    assert got.energy == pytest.approx(e_min, abs=tol)
    assert float(model.energy(got.configuration)) == pytest.approx(e_min, abs=tol)
    assert e_min - tol <= got.bound <= got.energy + tol


@pytest.mark.parametrize("family, size, index", [("ea2d", 3, 4), ("sk", 10, 2), ("rrg", 12, 3)])
def test_ilp_with_fields_matches_brute_force(family, size, index):
    model = with_fields(generate(family, size, index), 0.7, index)
    got = solve_ilp(model, time_limit=30)
    assert got.proven_optimal
    assert got.energy == pytest.approx(brute_force_min(model), abs=1e-9)


def test_ilp_without_cycle_rows_is_still_exact():
    model = generate("ea2d", 4, 5)
    got = solve_ilp(model, cycles=False, time_limit=30)
    assert got.proven_optimal and got.energy == pytest.approx(ground_states(model)[0])
    assert got.info["static_cycles"] == 0 and got.info["separated_rows"] == 0


def test_ilp_time_limit_reports_unproven_with_valid_bound():
    # 3D L = 6 is out of reach in 1 s (the cycle relaxation is not tight in 3D)
    model = generate("ea3d", 6, 0)
    sa = solve_sa(model, sweeps=300, reads=10, seed=1)
    # the start is used even when it breaks the solver's gauge (spin 0 = -1): same energy
    start = sa.configuration if sa.configuration[0] == -1 else -sa.configuration
    begin = time.perf_counter()
    got = solve_ilp(model, time_limit=1.0, initial=start)
    assert time.perf_counter() - begin < 10.0  # the limit binds the solver, plus model building
    assert not got.proven_optimal
    assert got.energy <= sa.energy
    assert got.bound < got.energy
    assert got.energy == float(model.energy(got.configuration))
    # the bound is a valid lower bound: not above what a longer annealing run finds
    assert got.bound <= solve_sa(model, sweeps=2000, reads=20, seed=2).energy


def test_short_cycles_are_the_plaquettes_of_lattices():
    for L, d, expected in ((5, 2, 25), (6, 2, 36), (4, 2, 16 + 8), (5, 3, 3 * 125)):
        # 2D L = 4: the 8 straight winding loops of the 4 x 4 torus are 4-cycles as well
        model = generate("ea2d" if d == 2 else "ea3d", L, 0)
        cycles = short_cycles(model.n, model.i, model.j)
        assert len(cycles) == expected
        assert all(len(c) == 4 for c in cycles)
    sk = generate("sk", 9, 0)
    assert len(short_cycles(sk.n, sk.i, sk.j, dense=True)) == comb(9, 3)


def test_separation_finds_exactly_the_violated_cycles():
    model = generate("rrg", 16, 0)
    n, a, b, _, _ = extended_bonds(model)
    rng = np.random.default_rng(0)
    for _ in range(5):  # a cut vector violates no cycle inequality
        x = rng.choice([-1, 1], n)
        assert separate_cycles(n, a, b, (x[a] != x[b]).astype(float), 100) == []
    x = rng.choice([-1, 1], n)
    y = (x[a] != x[b]).astype(float)
    y[3] = 1 - y[3]  # now every cycle through bond 3 holds an odd number of cut bonds
    cuts = separate_cycles(n, a, b, y, 100)
    assert cuts
    for bonds, in_f in cuts:
        assert 3 in bonds and in_f.sum() % 2 == 1
        # the returned inequality is violated by y and holds for the true cut
        lhs = y[bonds][in_f].sum() - y[bonds][~in_f].sum()
        assert lhs > in_f.sum() - 1
        y_true = (x[a] != x[b]).astype(float)
        assert y_true[bonds][in_f].sum() - y_true[bonds][~in_f].sum() <= in_f.sum() - 1
        # the bonds form one closed simple cycle: every vertex has degree 2
        ends = np.bincount(np.concatenate([a[bonds], b[bonds]]))
        assert set(ends[ends > 0]) == {2}


# ----------------------------------------------------------------- annealing
@pytest.mark.parametrize("family, size, index", [("ea2d", 8, 0), ("rrg", 64, 1), ("ea3d", 4, 2)])
def test_sa_never_below_proven_optimum(family, size, index):
    model = generate(family, size, index)
    exact = solve_ilp(model, time_limit=30)
    assert exact.proven_optimal
    for seed in range(3):
        sa = solve_sa(model, sweeps=50, reads=5, seed=seed)  # short: often above the optimum
        assert sa.energy >= exact.energy - 1e-9
        assert sa.energy == float(model.energy(sa.configuration))
        assert not sa.proven_optimal and sa.bound == -np.inf
    # long enough to find it on these easy sizes
    assert solve_sa(model, sweeps=1000, reads=20, seed=0).energy == exact.energy


def test_sa_with_fields_on_small_instance():
    model = with_fields(generate("sk", 12, 4), 0.5, 4)
    sa = solve_sa(model, sweeps=500, reads=20, seed=3)
    assert sa.energy == pytest.approx(brute_force_min(model), abs=1e-9)


# ----------------------------------------------------------------- parallel tempering
def test_colour_classes_are_independent_sets():
    for model in (generate("ea2d", 5, 0), generate("rrg", 30, 0), generate("ea3d", 4, 0)):
        classes = colour_classes(model)
        assert np.array_equal(np.sort(np.concatenate(classes)), np.arange(model.n))
        label = np.empty(model.n, dtype=int)
        for k, c in enumerate(classes):
            label[c] = k
        assert np.all(label[model.i] != label[model.j])


@pytest.mark.parametrize("model", [
    generate("ea2d", 4, 3),
    with_fields(generate("sk", 10, 0), 0.5, 1),
    generate("rrg", 14, 2),
], ids=["ea2d-L4", "sk10-fields", "rrg14"])
def test_pt_equilibrium_energy_matches_enumeration(model):
    betas = geometric_ladder(0.2, 2.0, 8)
    chains = 32
    run = run_tempering(model, betas, sweeps=2000, chains=chains, seed=7, burn_in=200)
    exact = thermodynamics(model, betas)["energy"] * model.n  # <H>, total
    mean = run.mean_energy.mean(0)
    stderr = run.mean_energy.std(0, ddof=1) / np.sqrt(chains)  # independent chains
    z = (mean - exact) / stderr
    # 24 comparisons in this test file, t-distribution with 31 dof: P(|z| > 4.5) ~ 1e-4 each
    assert np.all(np.abs(z) < 4.5), z
    var = (run.mean_energy_sq - run.mean_energy ** 2).mean(0)
    assert np.all(np.isfinite(var)) and np.all(var >= 0)
    assert run.swap_rate.min() > 0.1  # the ladder is dense enough for replicas to travel


def test_pt_finds_ground_state_of_small_instances():
    for model in (generate("ea2d", 4, 6), generate("sk", 14, 3)):
        pt = solve_pt(model, sweeps=300, replicas=16, seed=0)
        assert pt.energy == pytest.approx(ground_states(model)[0], abs=1e-9)
        assert pt.energy == pytest.approx(float(model.energy(pt.configuration)), abs=1e-12)


# ----------------------------------------------------------------- best of
def test_best_of_picks_lowest_and_records_every_source():
    model = generate("ea2d", 4, 8)
    rng = np.random.default_rng(1)
    exact = solve_ilp(model)
    cands = []
    for k in range(3):
        x = rng.choice(np.array([-1, 1], dtype=np.int8), model.n)
        e = -np.sum(model.J * x[model.i] * x[model.j])
        cands.append((f"random{k}", GroundState(float(e), x, -np.inf, False, "random")))
    cands.insert(1, ("ilp", exact))
    best = best_of(model, cands)
    assert best.energy == exact.energy == min(c.energy for _, c in cands)
    assert [name for name, _ in best.sources] == ["random0", "ilp", "random1", "random2"]
    assert [e for _, e in best.sources] == [c.energy for _, c in cands]
    assert best.info["winner"] == "ilp" and best.proven_optimal
    assert best.bound == exact.bound
    # an equal energy from a heuristic is certified by the exact source's bound
    heur = GroundState(exact.energy, -exact.configuration, -np.inf, False, "sa")
    tied = best_of(model, [("sa", heur), ("ilp", exact)])
    assert tied.info["winner"] == "sa" and tied.proven_optimal
    # a time-limited exact run whose bound is within the parity step also certifies it
    weak = GroundState(exact.energy + 2, cands[0][1].configuration, exact.energy - 1.5, False,
                       "ilp")
    weak = dataclasses.replace(weak, energy=float(model.energy(weak.configuration)))
    assert best_of(model, [("ilp", weak), ("sa", heur)]).proven_optimal
    # heuristics alone prove nothing
    assert not best_of(model, cands[:1] + cands[2:]).proven_optimal
    lie = GroundState(exact.energy - 2, cands[0][1].configuration, -np.inf, False, "bad")
    with pytest.raises(EnergyMismatch):
        best_of(model, [("bad", lie)])


def test_tighten_bound_uses_integrality_and_parity():
    rng = np.random.default_rng(3)
    i, j = np.triu_indices(9, 1)
    model = IsingModel.from_edges(9, i, j, rng.integers(-2, 3, i.size), h=rng.integers(-1, 2, 9))
    states = np.array(list(itertools.product((-1, 1), repeat=9)))
    energies = -np.sum(model.J * states[:, model.i] * states[:, model.j], 1) - states @ model.h
    parity = (model.J.sum() + model.h.sum()) % 2
    assert np.all((energies - parity) % 2 == 0)  # the fact tighten_bound relies on
    e_min = energies.min()
    for b in np.linspace(e_min - 4, e_min, 17):
        t = tighten_bound(model, b)
        assert b <= t <= e_min  # still a valid lower bound, never weaker
    assert tighten_bound(model, e_min - 1.9) == e_min
    assert proves_optimal(model, e_min, e_min - 1.9)
    real = with_fields(model, 0.1, 0)
    assert tighten_bound(real, -3.7) == -3.7 and not proves_optimal(real, -3.6, -3.7)


# ----------------------------------------------------------------- command line
def fake_run(path, model, x, net="twobo"):
    """A minimal valid `run` file whose best configuration is x."""
    e = float(model.energy(x))
    per = np.array([e / model.n + 0.5])
    run_data = {"beta": [1.0], "free_energy": per - 0.1, "free_energy_std": [0.1], "energy": per,
                "energy_min": [e / model.n], "entropy": [0.1], "abs_magnetization": [0.2],
                "steps": np.array([1]), "wall_time": [1.0]}
    data = {**{k: np.asarray(v, dtype=float if k != "steps" else np.int64)
               for k, v in run_data.items()},
            **{f"curves/{k}": np.asarray(v, dtype=float) for k, v in run_data.items()
               if k not in ("beta", "steps")},
            "curves/step_beta": np.array([1.0]), "best_configuration": x.astype(np.int8),
            "best_energy": np.float64(e)}
    attrs = {"n": model.n, "net": net, "device": "cpu", "n_params": 1,
             "hyperparameters": {"net": {}, "train": {"steps_per_beta": 1, "batch": 1}},
             "instance": "i.h5", **io.provenance("test", {}, 0)}
    io.write(path, "run", data, attrs)


def test_cli_exact_sa_best(tmp_path, capsys):
    model = generate("rrg", 16, 4)
    inst = tmp_path / "i.h5"
    io.write_instance(inst, model, io.provenance("test", {}, None))
    e_min = ground_states(model)[0]
    assert main(["groundstate", "--instance", str(inst), "--method", "exact",
                 "--out", str(tmp_path / "ge.h5")]) == 0
    assert main(["groundstate", "--instance", str(inst), "--method", "sa", "--reads", "5",
                 "--sweeps", "100", "--out", str(tmp_path / "gs.h5")]) == 0
    ge = io.read(tmp_path / "ge.h5", "groundstate")
    assert ge.attrs["proven_optimal"] is True and ge.attrs["method"] == "ilp"
    assert float(ge.data["energy"]) == pytest.approx(e_min)
    assert ge.data["configuration"].dtype == np.int8
    assert float(ge.data["bound"]) == pytest.approx(e_min)
    assert "status" in ge.attrs and "gap" in ge.attrs and "seconds" in ge.attrs
    gs = io.read(tmp_path / "gs.h5", "groundstate")
    assert gs.attrs["proven_optimal"] is False and np.isneginf(gs.data["bound"])
    # a run whose best configuration is poor (all +1), then best-of everything
    fake_run(tmp_path / "run.h5", model, np.ones(model.n, dtype=np.int8))
    assert main(["groundstate", "--instance", str(inst), "--method", "best",
                 "--runs", str(tmp_path / "run.h5"),
                 "--sources", str(tmp_path / "gs.h5"), str(tmp_path / "ge.h5"),
                 "--out", str(tmp_path / "gb.h5")]) == 0
    gb = io.read(tmp_path / "gb.h5", "groundstate")
    assert list(gb.data["sources"]) == [f"run:twobo:{tmp_path / 'run.h5'}",
                                        f"sa:{tmp_path / 'gs.h5'}", f"ilp:{tmp_path / 'ge.h5'}"]
    assert gb.data["source_energies"][0] == pytest.approx(float(model.energy(np.ones(model.n))))
    assert float(gb.data["energy"]) == pytest.approx(e_min) and gb.attrs["proven_optimal"]
    assert capsys.readouterr().out == ""  # stdout stays clean (the HiGHS banner goes to stderr)


def test_cli_best_rejects_run_of_another_instance(tmp_path, capsys):
    model, other = generate("rrg", 16, 5), generate("rrg", 16, 6)
    inst = tmp_path / "i.h5"
    io.write_instance(inst, model, io.provenance("test", {}, None))
    x = np.random.default_rng(0).choice(np.array([-1, 1], dtype=np.int8), 16)
    assert float(model.energy(x)) != float(other.energy(x))
    fake_run(tmp_path / "run.h5", other, x)
    out = tmp_path / "gb.h5"
    code = main(["groundstate", "--instance", str(inst), "--method", "best",
                 "--runs", str(tmp_path / "run.h5"), "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2 and "run.h5: field 'best_energy'" in err and not out.exists()
    # an empty --runs list (a workflow rule with no runs yet) is fine next to a source
    assert main(["groundstate", "--instance", str(inst), "--method", "sa", "--reads", "2",
                 "--sweeps", "10", "--out", str(tmp_path / "gs.h5")]) == 0
    assert main(["groundstate", "--instance", str(inst), "--method", "best", "--sources",
                 str(tmp_path / "gs.h5"), "--runs", "--out", str(out)]) == 0
    assert main(["groundstate", "--instance", str(inst), "--method", "best", "--runs",
                 "--out", str(tmp_path / "none.h5")]) == 2
    assert "--runs or --sources" in capsys.readouterr().err


def test_cli_pt_subprocess(tmp_path, cli):
    inst, out = tmp_path / "i.h5", tmp_path / "gp.h5"
    cli("instance", "generate", "--family", "ea2d", "--size", "4", "--index", "0", "--out", inst,
        check=True)
    proc = cli("groundstate", "--instance", inst, "--method", "pt", "--sweeps", "300",
               "--replicas", "8", "--seed", "3", "--out", out, check=True)
    assert proc.stdout == ""
    rec = io.read(out, "groundstate")
    model = io.read_instance(inst)
    assert float(rec.data["energy"]) == pytest.approx(ground_states(model)[0])
    assert rec.attrs["seed"] == 3 and rec.attrs["method"] == "pt"
