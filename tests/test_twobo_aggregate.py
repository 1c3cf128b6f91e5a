"""Aggregation: synthetic run/exact/groundstate files -> the expected rows and values;
relative differences and standard errors against hand numbers; parameter counts against the
closed forms and a brute-force frontier count; CSV round trips."""

from __future__ import annotations

import numpy as np
import pytest

from arspin import io
from arspin.aggregate.runs import match_betas
from arspin.aggregate.table import new_table as _new_table
from arspin.aggregate.table import read_table as _read_table
from arspin.aggregate.table import write_table
from arspin.errors import ArspinError
from arspin.exact import thermodynamics
from arspin.instances import generate
from arspin.nets.registry import param_count
from arspin.papers.twobo import stats
from arspin.papers.twobo.aggregate import run_tables as aggregate_twobo
from arspin.papers.twobo.parameters import parameter_table
from arspin.papers.twobo.tables import SCHEMAS


def new_table(name, rows):
    return _new_table(name, rows, SCHEMAS[name])


def read_table(path):
    return _read_table(path, SCHEMAS)


W, K = 2, 3                                 # warm-up steps, steps per beta
RUN_BETAS = np.linspace(0.1, 3.0, 30)       # the quick grid; exact uses linspace(0.05, 3, 60)


def _prov() -> dict:
    return io.provenance("test", {}, None)


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """One 3x3 EA instance with its exact reference, two ground-state files, two runs."""
    root = tmp_path_factory.mktemp("agg")
    model = generate("ea2d", 3, 0)
    inst = root / "instances" / "ea2d" / "3" / "0.h5"
    io.write_instance(inst, model, _prov())
    exact = thermodynamics(model, np.linspace(0.05, 3.0, 60))
    ex_path = root / "exact.h5"
    io.write_exact(ex_path, exact, {"n": model.n, "instance": str(inst),
                                    "method": "enumeration", **_prov()})
    e0 = float(exact["ground_energy"])
    gs = []
    for name, energy, proven in (("ilp", e0, True), ("sa", e0 + 4, False)):
        gs.append(root / f"gs-{name}.h5")
        io.write(gs[-1], "groundstate", {"energy": energy, "configuration": np.ones(model.n, np.int8),
                                         "bound": energy if proven else -np.inf},
                 {"n": model.n, "instance": str(inst), "method": name,
                  "proven_optimal": proven, **_prov()})
    runs = [_write_run(root / f"{net}.h5", inst, model.n, net, offset, best)
            for net, offset, best in (("twobo", 0.01, e0), ("made", 0.03, e0 + 4))]
    return {"root": root, "instance": inst, "exact": ex_path, "gs": gs, "runs": runs,
            "exact_data": exact, "e0": e0, "n": model.n}


def _write_run(path, instance, n, net, offset, best):
    """A consistent run: per-beta F = 1 + offset + beta (easy to recognise), curves F = 100 *
    block + step, energies below zero with energy_min <= energy, best_energy total."""
    steps = W + K * RUN_BETAS.size
    block = np.concatenate([np.zeros(W, int), np.repeat(np.arange(RUN_BETAS.size), K)])
    step_in_block = np.concatenate([np.arange(W), np.tile(np.arange(K), RUN_BETAS.size)])
    curves = {"step_beta": RUN_BETAS[block], "free_energy": 100.0 * block + step_in_block,
              "free_energy_std": np.full(steps, 0.1), "energy": np.full(steps, best / n + 0.5),
              "energy_min": np.full(steps, best / n), "entropy": np.full(steps, 0.5),
              "abs_magnetization": np.full(steps, 0.2), "wall_time": np.arange(steps) * 0.1}
    per_beta = {"beta": RUN_BETAS, "free_energy": 1 + offset + RUN_BETAS,
                "free_energy_std": np.full(30, 0.1), "energy": np.full(30, best / n + 0.5),
                "energy_min": np.full(30, best / n), "entropy": np.full(30, 0.5),
                "abs_magnetization": np.full(30, 0.2), "steps": np.full(30, K),
                "wall_time": np.arange(30.0), "free_energy_last20": 2 + offset + RUN_BETAS}
    labels = {"set": "ea2d", "family": "ea2d", "size": 3, "n": n, "index": 0, "net": net,
              "protocol": "anneal", "seed": 0}
    hyper = {"net": {}, "train": {"steps_per_beta": K, "batch": 64}}
    io.write(path, "run", {**per_beta, **{f"curves/{k}": v for k, v in curves.items()},
                           "best_configuration": np.ones(n, np.int8), "best_energy": best},
             {"n": n, "net": net, "hyperparameters": hyper, "device": "cpu",
              "n_params": 7 if net == "twobo" else 45, "instance": str(instance),
              "instance_digest": io.read_instance(instance).digest,
              "labels": labels, **io.provenance("test", {}, 0)})
    return path


def test_match_betas_uses_a_tolerance_not_equality():
    grid = np.linspace(0.05, 3.0, 60)
    betas = np.linspace(0.1, 3.0, 30)
    assert np.any(grid[1::2] != betas)                    # bitwise different ...
    np.testing.assert_array_equal(match_betas(betas, grid), np.arange(1, 60, 2))  # ... matched
    np.testing.assert_array_equal(match_betas(np.array([0.075, 5.0, 0.05 + 1e-10]), grid),
                                  [-1, -1, 0])


def test_free_energy_rows(files):
    tables = aggregate_twobo(files["runs"], [files["exact"]], files["gs"], [files["instance"]])
    fe = tables["free_energy"]
    assert len(fe) == 2 * 30 and fe.unique("net") == ["made", "twobo"]
    made = fe.where(net="made")
    np.testing.assert_allclose(made["free_energy"], 1.03 + RUN_BETAS, rtol=0, atol=1e-15)
    # last-20 window = the K = 3 steps of each block, F = 100 b + (0, 1, 2): mean 100 b + 1,
    # standard error std([0, 1, 2], ddof=1) / sqrt(3) = 1 / sqrt(3)
    np.testing.assert_allclose(made["free_energy_last20"], 100.0 * np.arange(30) + 1, atol=1e-12)
    np.testing.assert_allclose(made["free_energy_last20_se"], 1 / np.sqrt(3), rtol=1e-12)
    np.testing.assert_allclose(made["entropy_last20"], 0.5, rtol=1e-15)
    np.testing.assert_array_equal(made["entropy_last20_se"], 0.0)
    # exact columns come from the matched grid point (run beta k <-> exact index 2k + 1)
    ex = files["exact_data"]
    for name in ("free_energy", "energy", "entropy"):
        np.testing.assert_array_equal(made[f"{name}_exact"], ex[name][1::2])
    assert set(made["exact_method"]) == {"enumeration"}
    assert set(made["n_params"]) == {45} and set(made["steps_per_beta"]) == {K}
    assert set(made["batch"]) == {64} and set(made["variant"]) == {"made"}


def test_curve_rows(files):
    tables = aggregate_twobo(files["runs"][:1], [files["exact"]],
                             curve_betas=(0.1, 0.5, 3.0, 7.0))
    cv = tables["curves"]
    for beta, block in ((0.5, 4), (3.0, 29)):
        rows = cv.mask(np.abs(cv["beta"] - beta) < 1e-9)
        np.testing.assert_array_equal(rows["step"], np.arange(K))
        np.testing.assert_array_equal(rows["free_energy"], 100.0 * block + np.arange(K))
    first = cv.mask(np.abs(cv["beta"] - 0.1) < 1e-9)    # warm-up belongs to the first block
    np.testing.assert_array_equal(first["free_energy"], [0, 1, 0, 1, 2])
    assert len(cv) == W + 3 * K                        # beta 7 is not in the grid: skipped
    assert not len(aggregate_twobo(files["runs"][:1], curve_protocols=("K4",))["curves"])
    # curve_instances: only Fig. 3's instance set and size go into curves.csv
    assert not len(aggregate_twobo(files["runs"][:1], curve_instances={"ea2d": (4,)})["curves"])
    assert not len(aggregate_twobo(files["runs"][:1], curve_instances={"ea3d": (3,)})["curves"])
    assert len(aggregate_twobo(files["runs"][:1], curve_instances={"ea2d": (3,)})["curves"]) \
        == 3 * K                                          # default curve betas 0.5, 1.5, 3
    k = int(np.argmin(np.abs(files["exact_data"]["beta"] - 0.5)))
    assert np.all(cv.mask(np.abs(cv["beta"] - 0.5) < 1e-9)["free_energy_exact"]
                  == files["exact_data"]["free_energy"][k])


def test_energy_min_rows_pick_the_proven_lowest_reference(files):
    em = aggregate_twobo(files["runs"], [files["exact"]], files["gs"])["energy_min"]
    n, e0 = files["n"], files["e0"]
    twobo, made = em.where(net="twobo"), em.where(net="made")
    assert twobo["e_min"][0] == e0 / n and made["e_min"][0] == (e0 + 4) / n
    assert set(em["e_gs"]) == {e0 / n}
    assert list(em["gs_proven"]) == [True, True]
    assert twobo["hits_gs"][0] and not made["hits_gs"][0]
    # the exact file alone also gives a proven reference (its ground_energy)
    alone = aggregate_twobo(files["runs"], [files["exact"]])["energy_min"]
    assert set(alone["gs_method"]) == {"enumeration"} and alone["gs_proven"].all()
    none = aggregate_twobo(files["runs"])["energy_min"]
    assert np.isnan(none["e_gs"]).all() and not none["hits_gs"].any()


def test_aggregation_errors(files, tmp_path):
    with pytest.raises(ArspinError, match="second exact reference"):
        aggregate_twobo(files["runs"], [files["exact"], files["exact"]])
    other = tmp_path / "other.h5"
    io.write_instance(other, generate("ea2d", 3, 1), _prov())
    with pytest.raises(ArspinError, match="not among the instance files"):
        aggregate_twobo(files["runs"], instances=[other])
    with pytest.raises(ArspinError, match="same labels"):
        aggregate_twobo([files["runs"][0], files["runs"][0]])
    rec = io.read(files["runs"][0], "run")
    attrs = {k: v for k, v in rec.attrs.items() if k not in ("labels", "kind", "schema_version")}
    io.write(tmp_path / "nolabels.h5", "run", rec.data, attrs)
    with pytest.raises(ArspinError, match="labels"):
        aggregate_twobo([tmp_path / "nolabels.h5"])
    # a run trained on other couplings than its instance file has now (regenerated instance)
    stale = {k: v for k, v in rec.attrs.items() if k not in ("kind", "schema_version")}
    io.write(tmp_path / "stale.h5", "run", rec.data, {**stale, "instance_digest": "0" * 64})
    with pytest.raises(ArspinError, match="stale.h5: field 'instance_digest'"):
        aggregate_twobo([tmp_path / "stale.h5"], instances=[files["instance"]])
    aggregate_twobo(files["runs"], instances=[files["instance"]])      # the true digests pass


def _fe_rows(values: dict) -> list[dict]:
    """free_energy rows from {(net, index, seed): (F, F_exact)} at beta 1."""
    base = {"set": "s", "family": "ea2d", "size": 4, "n": 16, "protocol": "anneal",
            "net_family": "x", "variant": "x", "steps_per_beta": 1, "batch": 1, "n_params": 1,
            "beta": 1.0, "free_energy_std": 0.0, "free_energy_last20_se": 0.0, "energy": 0.0,
            "energy_last20": 0.0, "energy_last20_se": 0.0, "energy_min": 0.0, "entropy": 0.0,
            "entropy_last20": 0.0, "entropy_last20_se": 0.0, "abs_magnetization": 0.0,
            "energy_exact": np.nan, "entropy_exact": np.nan, "exact_method": ""}
    # last-batch F = last-20 mean F here (the comparisons read the last-20 column)
    return [{**base, "net": net, "index": i, "seed": seed, "free_energy": f,
             "free_energy_last20": f, "free_energy_exact": fx}
            for (net, i, seed), (f, fx) in values.items()]


def test_relative_differences_against_hand_numbers():
    fe = new_table("free_energy", _fe_rows({
        ("twobo", 0, 0): (-1.0, -1.01), ("twobo", 1, 0): (-2.0, -2.0),
        ("made", 0, 0): (-0.98, np.nan), ("made", 0, 1): (-1.0, np.nan),   # seed mean -0.99
        ("made", 1, 0): (-1.9, np.nan), ("made", 2, 0): (-5.0, np.nan)}))  # no TwoBo: unpaired
    p = stats.versus_beta(fe, family="ea2d", size=4, net="made", reference="twobo")
    np.testing.assert_allclose(p.values[:, 0], [0.01, 0.05], atol=1e-15)
    np.testing.assert_allclose(p.mean, [0.03], atol=1e-15)
    np.testing.assert_allclose(p.se, [0.02], atol=1e-15)   # std([.01, .05], ddof=1) / sqrt 2
    ex = stats.versus_beta(fe, family="ea2d", size=4, net="twobo", reference="exact")
    np.testing.assert_allclose(ex.values[:, 0], [0.01 / 1.01, 0.0], atol=1e-15)
    diff = stats.versus_beta(fe, family="ea2d", size=4, net="made", reference="twobo",
                             absolute=True)
    np.testing.assert_allclose(diff.mean, [(0.01 + 0.1) / 2], atol=1e-15)
    single = stats.Paired(np.array([1.0]), [("s", 0)], np.array([[0.3]]))
    assert np.isnan(single.se[0]) and single.mean[0] == 0.3


def test_emin_relative_difference_against_hand_numbers():
    base = {"set": "s", "family": "rrg", "size": 16, "n": 16, "protocol": "anneal", "seed": 0,
            "net_family": "x", "variant": "x", "n_params": 1, "gs_method": "ilp",
            "gs_proven": True, "hits_gs": False}
    rows = [{**base, "net": net, "index": i, "e_min": e, "e_gs": -1.25}
            for net, i, e in (("twobo", 0, -1.25), ("twobo", 1, -1.0), ("rnn", 0, -1.125),
                              ("rnn", 1, -1.0))]
    em = new_table("energy_min", rows)
    p = stats.emin_versus_size(em, family="rrg", net="rnn")
    np.testing.assert_allclose(p.values[:, 0], [0.1, 0.0], atol=1e-15)
    gs = stats.emin_versus_size(em, family="rrg", net="twobo", reference="gs")
    np.testing.assert_allclose(gs.values[:, 0], [0.0, 0.2], atol=1e-15)
    assert list(p.x) == [16.0]


def _brute_force_twobo(model) -> int:
    """1 + (N-1) + sum_{i>=1} (|F_i| + skip_i) straight from the definition (dense J)."""
    J = model.coupling_matrix.toarray() != 0
    count = model.n                                           # one bias per site
    for i in range(1, model.n):
        earlier = J[:i]                                       # rows s < i
        count += int(earlier[:, i + 1:].any(axis=0).sum())     # F_i
        count += int(earlier[:, i].any() or model.h[i] != 0)   # skip weight
    return count


def test_parameter_counts_match_closed_forms_and_brute_force():
    for family, size, expected in (("ea2d", 4, 101), ("ea2d", 16, 7709), ("ea2d", 32, 63549),
                                   ("ea3d", 4, 1429)):
        assert param_count("twobo", generate(family, size, 0)) == expected
    for family, size in (("ea2d", 5), ("ea3d", 3), ("rrg", 32), ("rrg", 64)):
        model = generate(family, size, 1)
        assert param_count("twobo", model) == _brute_force_twobo(model)
    assert [param_count("made", generate("sk", n, 0)) for n in (2, 16, 1024)] == [3, 136, 524800]
    par = parameter_table({"ea2d": (4, 16), "rrg": (32,)}, {"rrg": 3}, {"rrg": "default"})
    made = par.where(net="made")
    np.testing.assert_array_equal(made["n_params"], made["n"] * (made["n"] + 1) / 2)
    assert list(par.where(net="twobo", family="ea2d")["n_params"]) == [101.0, 7709.0]
    rrg = par.where(net="twobo", family="rrg")
    assert rrg["n_instances"][0] == 3
    assert rrg["n_params"][0] == np.mean([param_count("twobo", generate("rrg", 32, i))
                                                for i in range(3)])
    assert set(par["seed_rule"]) == {"default"}
    # the default: the paper's own RRG graphs, counted by the brute-force definition
    ref = parameter_table({"rrg": (32, 64)}, {"rrg": 10}).where(net="twobo")
    assert set(ref["seed_rule"]) == {"twobo-reference"}
    for n, count in zip(ref["n"], ref["n_params"]):
        assert count == np.mean([_brute_force_twobo(generate(
            "rrg", int(n), i, seed_rule="twobo-reference")) for i in range(10)])


def test_csv_round_trip_is_exact(tmp_path):
    fe = new_table("free_energy", _fe_rows({("twobo", 0, 0): (-1 / 3, np.nan),
                                            ("made", 1, 2): (np.pi, 1e-300)}))
    write_table(tmp_path / "free_energy.csv", fe)
    back = read_table(tmp_path / "free_energy.csv")
    for name, col in fe.columns.items():
        np.testing.assert_array_equal(back[name], col)
        assert back[name].dtype.kind == col.dtype.kind
    (tmp_path / "curves.csv").write_text("set,family\n")
    with pytest.raises(ArspinError, match="header"):
        read_table(tmp_path / "curves.csv")


def test_aggregate_cli(cli, files, tmp_path):
    out = tmp_path / "tables"
    proc = cli("aggregate", "twobo", "--runs", *files["runs"], "--exact", files["exact"],
               "--groundstates", *files["gs"], "--instances", files["instance"],
               "--out-dir", out, "--tables", "free_energy,curves,energy_min,parameters",
               "--options", '{"param_sizes": {"ea2d": [2, 3, 4], "rrg": [32]}, '
                            '"param_instances": {"rrg": 2}}')
    assert proc.returncode == 0, proc.stderr
    assert len(read_table(out / "free_energy.csv")) == 60
    assert read_table(out / "parameters.csv").unique("size") == [2, 3, 4, 32]
    assert not list(out.glob(".*"))            # no temporary files left behind
