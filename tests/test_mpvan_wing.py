"""The MPVAN wing end to end at the tiny scale: training of the message-passing nets on WPE and
SK, the residual-energy table against independent references (the planted energy, the
enumerated ground state, energies recomputed from the instance), Fig. 4's plotted data against
the table, and each claim seen to hold and to fail on tables built for it."""

from __future__ import annotations

import json

import numpy as np
import pytest
import yaml
from conftest import ROOT

from arspin import io
from arspin.aggregate.table import Table, read_tables
from arspin.papers import PAPERS, wing

TINY = yaml.safe_load((ROOT / "config.yaml").read_text())["papers"]["mpvan"]["scales"]["tiny"]


@pytest.fixture(scope="module")
def tiny_run(tiny_dag):
    """The tiny DAG's run folder (conftest.tiny_dag: every MPVAN figure, table and claim)."""
    return tiny_dag.work


def _residual(work, group="fig4") -> Table:
    schemas = wing("mpvan", "tables").SCHEMAS
    return read_tables(work / f"results/mpvan/tiny/tables/{group}", schemas,
                       PAPERS["mpvan"].tables_of(group))["residual"]


def test_residual_table_against_independent_references(tiny_run):
    res = _residual(tiny_run, "all")
    # the claims read the main text's groups (fig4*, fig5, mech), not the SI's figS*
    runs = sum(len(g["nets"]) * len(g["protocols"]) * sum(
        min(TINY["instances"][s]["count"], g.get("count", 10**6)) for s in g["instances"])
        for name, g in TINY["runs"].items() if not name.startswith("figS"))
    base = TINY["baselines"]
    budget_runs = sum(2 * len(TINY["runs"][g]["protocols"]) * sum(
        min(TINY["instances"][s]["count"], TINY["runs"][g].get("count", 10**6))
        for s in TINY["runs"][g]["instances"]) for g in base["groups"])
    assert len(res) == runs + budget_runs
    _check_budgets(res, base)
    # float64 rounding of the energies: E_min = E_g can come out 1e-16 below it
    assert np.all(res["residual"] >= -1e-12) and np.all(res["ratio"] <= 1 + 1e-12)
    for k in range(len(res)):
        path = tiny_run / f"results/instances/{res['set'][k]}/{res['size'][k]}/{res['index'][k]}.h5"
        model = io.read_instance(path)
        if res["family"][k] == "wpe":
            # planted energy = -||W||_F^2 / (2N) = H(planted state), recomputed here
            assert res["ground_method"][k] == "planted"
            planted = np.asarray(model.meta["planted_state"])
            assert res["e_ground"][k] == pytest.approx(float(model.energy(planted)), abs=1e-9)
        else:
            assert res["ground_method"][k] == "enumeration"
            from arspin.exact.enumeration import all_states

            assert res["e_ground"][k] == pytest.approx(
                float(model.energy(all_states(model.n)).min()), abs=1e-9)
    claims = {c["id"]: c for c in json.loads(
        (tiny_run / "results/claims/mpvan.json").read_text())["claims"]}
    assert set(claims) == {"fig4-mpvan-beats-van-wpe", "fig4-mpvan-beats-van-sk",
                           "fig4-mpvan-beats-vca-wpe", "fig4-mpvan-beats-sa-wpe",
                           "fig4-mpvan-beats-pt-wpe", "fig5-gap-grows-with-degree",
                           "fig3-mpvan-collapses-later", "fig6-mpvan-smaller-kl",
                           "table2-hamiltonian-lowest"}


def _check_budgets(res: Table, base: dict) -> None:
    """SA/PT rows: they used at most the net run's samples (N_annealing N_train N_samples +
    N_final, written out here) and less than one restart / chain below it."""
    for k in np.flatnonzero(np.isin(res["net"], ["sa", "pt"])):
        proto = TINY["protocols"][res["protocol"][k]]
        n_betas = int(proto["betas"].split(":")[2])
        total = (n_betas * proto["steps_per_beta"] * proto["batch"]
                 + TINY["final"]["final_samples"])
        spec, n = base[res["net"][k]], int(res["n"][k])
        unit = (spec["n_annealing"] * spec["sweeps_per_beta"] * n if res["net"][k] == "sa"
                else spec["replicas"] * spec["sweeps"] * n)
        assert total - unit < res["samples"][k] <= total
        assert res["samples"][k] % unit == 0


def test_fig4_plots_the_table(tiny_run):
    from arspin.options import resolve

    res = _residual(tiny_run)
    fig4 = wing("mpvan", "figures.fig4")
    fig = fig4.build({"residual": res}, **resolve(fig4.OPTIONS, {}))
    lines = {line.get_gid(): line for ax in fig.axes for line in ax.get_lines() if line.get_gid()}
    assert {"a|mpvan", "a|van", "b|mpvan", "b|van"} <= set(lines)
    for gid, line in lines.items():
        panel, net = gid.split("|")
        rows = res.where(set="wpe-a0.25" if panel == "a" else "sk", net=net)
        for n, y in zip(line.get_xdata(), line.get_ydata()):
            per = [sub["residual"].mean() for _, sub in rows.where(n=int(n)).groups("index")]
            assert y == pytest.approx(np.mean(per))


def _table(means: dict[str, list[float]], family: str = "wpe", n: int = 16) -> Table:
    """residual rows: net -> per-instance residuals (one run each, two runs: +-1e-4)."""
    from arspin.aggregate.table import new_table

    rows = []
    for net, values in means.items():
        for index, value in enumerate(values):
            for run, delta in enumerate((-1e-4, 1e-4)):
                rows.append({"set": family, "family": family, "size": n, "n": n,
                             "index": index, "net": net, "protocol": f"run{run}", "seed": run,
                             "net_family": "mpvan", "variant": "", "n_params": 1, "layers": 3,
                             "spin_order": 0,
                             "beta_final": 5.0, "samples": 10, "e_min": -1.0, "e_mean": -1.0,
                             "neg_entropy": -0.1, "e_ground": -1.0, "ground_method": "planted",
                             "residual": value + delta, "ratio": 1.0, "mean_degree": n - 1.0,
                             "sampled_mean": value, "sampled_std": 0.0})
    return new_table("residual", rows, wing("mpvan", "tables").SCHEMAS["residual"])


def _empty(name: str) -> Table:
    from arspin.aggregate.table import new_table

    return new_table(name, [], wing("mpvan", "tables").SCHEMAS[name])


def test_claims_hold_when_separated_and_fail_on_a_tie_or_reversal():
    claims = wing("mpvan", "claims")
    instance_effect = [0.01, 0.02, 0.015, 0.03]

    def holds(mpvan_gap, family="wpe"):
        table = _table({"mpvan": instance_effect,
                        "van": [v + mpvan_gap + 1e-4 * (-1) ** k
                                for k, v in enumerate(instance_effect)]},
                       family)
        ident = f"fig4-mpvan-beats-van-{family}"
        return {c.id: c for c in claims.evaluate({"residual": table,
                                                  "annealing": _empty("annealing")})}[ident].holds

    assert holds(0.01) is True
    assert holds(0.0) is False          # a tie (up to a 1e-4 spread) must not hold
    assert holds(-0.01) is False        # VAN better
    assert holds(0.01, "sk") is True



def _annealing(curves: dict[str, list[list[float]]], column: str) -> Table:
    """annealing rows: net -> per-instance lists of ``column`` over betas 1..K (one run)."""
    from arspin.aggregate.table import new_table

    rows = []
    for net, per_instance in curves.items():
        for index, values in enumerate(per_instance):
            for k, value in enumerate(values):
                row = {"set": "wpe", "family": "wpe", "size": 12, "n": 12, "index": index,
                       "net": net, "protocol": "run0", "seed": 0, "lr": 1e-3, "beta": float(k + 1),
                       "neg_entropy": -0.5, "free_energy": -1.0, "free_energy_std": 0.1,
                       "f_exact": -1.1, "rel_error": 0.1, "kl": 1.0}
                row[column] = value
                rows.append(row)
    return new_table("annealing", rows, wing("mpvan", "tables").SCHEMAS["annealing"])


def test_annealing_claims_can_hold_and_fail():
    claims = wing("mpvan", "claims")
    early = [-0.5, -0.2, -0.01, -0.01, -0.01, -0.01]      # collapses at beta 3
    late = [-0.5, -0.4, -0.3, -0.2, -0.1, -0.01]          # collapses at beta 6

    def verdicts(ann):
        return {c.id: c.holds for c in claims.evaluate({"residual": _empty("residual"),
                                                        "annealing": ann})}

    shift = [[v - 1e-3 * i for v in curve] for i, curve in enumerate([late] * 4)]
    assert verdicts(_annealing({"mpvan": shift, "van": [early] * 4}, "neg_entropy"))[
        "fig3-mpvan-collapses-later"] is True
    assert verdicts(_annealing({"mpvan": [early] * 4, "van": [early] * 4}, "neg_entropy"))[
        "fig3-mpvan-collapses-later"] is False
    kl = {"mpvan": [[3.0, 1.0 + 0.01 * i] for i in range(4)],
          "van": [[3.0, 2.0 - 0.01 * i] for i in range(4)]}
    assert verdicts(_annealing(kl, "kl"))["fig6-mpvan-smaller-kl"] is True
    kl["mpvan"], kl["van"] = kl["van"], kl["mpvan"]
    assert verdicts(_annealing(kl, "kl"))["fig6-mpvan-smaller-kl"] is False


def test_annealing_and_histogram_tables_against_references(tiny_run):
    from scipy.special import logsumexp

    from arspin.exact.enumeration import all_states

    tables = read_tables(tiny_run / "results/mpvan/tiny/tables/all", wing("mpvan", "tables").SCHEMAS,
                         ("annealing",))
    ann = tables["annealing"]
    hist = read_tables(tiny_run / "results/mpvan/tiny/tables/fig1",
                       wing("mpvan", "tables").SCHEMAS, ("histogram",))["histogram"]
    wpe = ann.where(family="wpe")          # the runs of Fig. 1's histogram (group fig4a)
    wpe = wpe.mask(np.isin(wpe["net"], TINY["runs"]["fig4a"]["nets"]))
    for (set_name, size, index, net, proto), sub in list(wpe.groups(
            "set", "size", "index", "net", "protocol"))[:4]:
        run = io.read(tiny_run / f"results/mpvan/tiny/runs/{set_name}/{size}/{index}/{net}/"
                      f"{proto}.h5", "run")
        np.testing.assert_allclose(sub["neg_entropy"], -np.asarray(run.data["entropy"]))
        model = io.read_instance(tiny_run / f"results/instances/{set_name}/{size}/{index}.h5")
        energies = model.energy(all_states(model.n))
        for beta, f, f_q, kl in zip(sub["beta"], sub["f_exact"], sub["free_energy"], sub["kl"]):
            assert f == pytest.approx(-logsumexp(-beta * energies) / (beta * model.n), rel=1e-10)
            assert kl == pytest.approx(beta * model.n * (f_q - f))
        counts = hist.where(set=set_name, size=size, index=index, net=net, protocol=proto)
        assert counts["count"].sum() == TINY["final"]["final_samples"]


def test_every_mpvan_figure_plots_its_table(tiny_run):
    from arspin.options import resolve

    schemas = wing("mpvan", "tables").SCHEMAS
    for fig_name, reads in PAPERS["mpvan"].figures.items():
        tables = (read_tables(tiny_run / f"results/mpvan/tiny/tables/{fig_name}", schemas, reads)
                  if reads else {})
        module = wing("mpvan", f"figures.{fig_name}")
        fig = module.build(tables, **resolve(module.OPTIONS, {}))
        artists = [a for ax in fig.axes for a in ax.get_children() if a.get_gid()]
        assert artists, fig_name
        if fig_name == "fig3":
            for line in artists:
                rows = tables["annealing"].where(net=line.get_gid())
                rows = rows.where(n=int(max(rows.unique("n"))))
                for beta, y in zip(line.get_xdata(), line.get_ydata()):
                    per = [s["neg_entropy"].mean() for _, s in rows.where(beta=beta).groups("index")]
                    assert y == pytest.approx(np.mean(per))
        if fig_name == "figS3":
            for line in (a for a in artists if hasattr(a, "get_xdata")):
                rows = tables["residual"].where(set="wpe-a0.25", net=line.get_gid())
                rows = rows.where(n=int(max(rows.unique("n"))))
                for index, y in zip(line.get_xdata(), line.get_ydata()):
                    assert y == pytest.approx(rows.where(index=int(index))["residual"].mean())
        if fig_name == "fig1":
            for stairs in artists:
                rows = tables["histogram"].where(net=stairs.get_gid())
                rows = rows.where(n=int(max(rows.unique("n"))))
                values, edges = stairs.get_data()[:2]
                counts = np.array([rows.where(bin_low=lo)["count"].sum() for lo in edges[:-1]])
                np.testing.assert_allclose(values, counts / counts.sum() / np.diff(edges))


def test_table2_claim_needs_every_mechanism_beaten():
    claims = wing("mpvan", "claims")
    effect = [0.01, 0.02, 0.015, 0.03]
    worse = [v + 0.01 + 1e-4 * (-1) ** k for k, v in enumerate(effect)]

    def holds(graph):
        table = _table({"mpvan": effect, "van": worse, "mp-weighted": worse, "mp-graph": graph})
        verdicts = {c.id: c for c in claims.evaluate({"residual": table,
                                                      "annealing": _empty("annealing")})}
        return verdicts["table2-hamiltonian-lowest"].holds

    assert holds(worse) is True
    assert holds([v + 1e-4 * (-1) ** k for k, v in enumerate(effect)]) is False   # a tie



def test_fig2_node4_updates_come_from_the_kernels():
    """The star graph's node-4 updates: GCN weights 1/(3+1) on h_4 and 1/sqrt((3+1)(1+1)) =
    0.354 on each neighbour; graph and Hamiltonian MP weights J_j4 (mpvan.md's example)."""
    fig2 = wing("mpvan", "figures.fig2")
    assert fig2.node4_update("none", (0.5, -1.0, 2.0)) == r"$\tilde h_4 = h_4$"
    gcn = fig2.node4_update("gcn", (0.5, -1.0, 2.0))
    assert "0.25\\,h_4" in gcn and gcn.count(f"{1 / np.sqrt(8):.3g}") == 3
    ham = fig2.node4_update("hamiltonian", (0.5, -1.0, 2.0))
    assert "+ 0.5\\,s_1\\hat h_1" in ham and "- 1\\,s_2" in ham and "+ 2\\,s_3" in ham


def _tables(work, group):
    return read_tables(work / f"results/mpvan/tiny/tables/{group}", wing("mpvan", "tables").SCHEMAS,
                       PAPERS["mpvan"].tables_of(group))


def _figure(name, tables, **options):
    from arspin.options import resolve

    module = wing("mpvan", f"figures.{name}")
    fig = module.build(tables, **resolve(module.OPTIONS, options))
    return [a for ax in fig.axes for a in ax.get_children() if a.get_gid()]


def test_si_figures_plot_their_tables(tiny_run):
    # Fig. S4: the random-order runs (instances relabelled: spin_order k >= 1 in the table,
    # the order in the instance file) per order, on the instances of extreme MPVAN advantage
    tables = _tables(tiny_run, "figS4")
    res = tables["residual"]
    shuffled = res.mask(res["spin_order"] > 0)
    assert len(shuffled) == len(TINY["runs"]["figS4"]["nets"]) * TINY["instances"]["wpe-a0.25-o1"]["count"]
    for k in range(len(shuffled)):
        model = io.read_instance(tiny_run / f"results/instances/{shuffled['set'][k]}/"
                                 f"{shuffled['size'][k]}/{shuffled['index'][k]}.h5")
        assert model.meta["spin_order"] == shuffled["spin_order"][k] == 1
    lines = [a for a in _figure("figS4", tables) if hasattr(a, "get_xdata")]
    assert lines
    for line in lines:
        net, index = line.get_gid().split("/")
        for x, y in zip(line.get_xdata(), line.get_ydata()):
            rows = shuffled.where(net=net, index=int(index), spin_order=round(x))
            assert y == pytest.approx(rows["residual"].mean())
    # Fig. S5: eps_res against the layers each net ran with (the table's column, from the
    # run's hyperparameters), over the protocols every layer count shares
    tables = _tables(tiny_run, "figS5")
    res = tables["residual"].where(set="wpe-a0.25")
    expected_layers = {"mpvan": 3, "mpvan-l1": 1, "mpvan-l2": 2}
    for net, layers in expected_layers.items():
        assert set(res.where(net=net)["layers"]) == {layers}
    lines = [a for a in _figure("figS5", tables) if a.get_gid().startswith("N=")]
    common = set(TINY["runs"]["figS5"]["protocols"]) & set(TINY["runs"]["fig4a"]["protocols"])
    for line in lines:
        rows = res.where(n=int(line.get_gid()[2:]))
        rows = rows.mask(np.isin(rows["protocol"], sorted(common)))
        for x, y in zip(line.get_xdata(), line.get_ydata()):
            net = {v: k for k, v in expected_layers.items()}[int(x)]
            per = [g["residual"].mean() for _, g in rows.where(net=net).groups("index")]
            assert y == pytest.approx(np.mean(per))
    # Fig. S6: every run of each method on one instance, sorted
    tables = _tables(tiny_run, "figS6")
    res = tables["residual"]
    for points in _figure("figS6", tables):
        values = res.where(net=points.get_gid())["residual"]
        assert len(values) == len(TINY["runs"]["figS6"]["protocols"])
        np.testing.assert_allclose(points.get_ydata(), np.sort(values))
    # Fig. S8: -S/N per beta, one line per (net, learning rate of the run's protocol)
    tables = _tables(tiny_run, "figS8")
    ann = tables["annealing"]
    lines = _figure("figS8", tables)
    assert len(lines) == len(TINY["runs"]["figS8"]["nets"]) * len(TINY["runs"]["figS8"]["protocols"])
    for line in lines:
        net, lr = line.get_gid().split("/lr=")
        protocol = [p for p in TINY["runs"]["figS8"]["protocols"]
                    if float(TINY["protocols"][p]["lr"]) == float(lr)]
        rows = ann.where(net=net, protocol=protocol[0])
        np.testing.assert_allclose(line.get_ydata(), rows["neg_entropy"])
        np.testing.assert_allclose(line.get_xdata(), rows["beta"])


def test_figS4_picks_the_extreme_advantages():
    figS4 = wing("mpvan", "figures.figS4")
    rows = []
    for index, (mp, others) in enumerate([(0.5, (1.0, 2.0)), (0.9, (1.0, 0.95)),
                                          (0.2, (1.0, 0.8))]):
        for net, value in zip(("mpvan", "van", "vca"), (mp, *others)):
            rows.append({"index": index, "net": net, "residual": value})
    table = Table("residual", {k: np.array([r[k] for r in rows]) for k in rows[0]})
    adv = figS4.advantages(table, ["mpvan", "van", "vca"])
    # 1 - MPVAN / best other: 0.5, 1 - 0.9/0.95, 0.75
    assert adv == pytest.approx({0: 0.5, 1: 1 - 0.9 / 0.95, 2: 0.75})
    assert figS4.pick_instances(adv) == [1, 2]


def test_figS5_reach_is_the_decreasing_path_closure():
    import networkx as nx

    figS5 = wing("mpvan", "figures.figS5")
    rng = np.random.default_rng(3)
    for _ in range(20):
        graph = nx.gnp_random_graph(12, 0.3, seed=int(rng.integers(1 << 30)))
        target = int(rng.integers(12))
        # independent: powers of the strictly lower (earlier-neighbour) adjacency
        adj = nx.to_numpy_array(graph, nodelist=range(12)) > 0
        lower = np.tril(adj, -1).astype(int)       # lower[i, j] = 1: j < i neighbours
        row = np.eye(12, dtype=int)[target]
        first = {}
        for layer in range(1, 4):
            row = (row @ lower > 0).astype(int)
            for j in np.flatnonzero(row):
                first.setdefault(int(j), layer)
        assert figS5.reach(graph, target, 3) == first
    example = nx.Graph(figS5.EXAMPLE_EDGES)
    hops = figS5.reach(example, figS5.TARGET, 3)
    assert {11, 12}.isdisjoint(hops) and set(hops.values()) == {1, 2, 3}


def test_paper_tables_against_the_residual_table(tiny_run):
    from arspin.papers.mpvan.paper_tables import table1

    res = _tables(tiny_run, "table2")["residual"].where(set="wpe-a0.25")
    n = int(max(res.unique("n")))
    res = res.where(n=n)
    names = {"VAN": "van", "VCA": "vca", "GCon-VAN": "gcon-van", "MPVAN": "mpvan",
             "graph MP": "mp-graph", "weighted MP": "mp-weighted",
             "spin GCon-VAN": "mp-spin-gcn", "graph spin MP": "mp-graph-spin"}
    import csv

    def read(name):
        path = tiny_run / f"results/mpvan/tiny/paper_tables/{name}.csv"
        assert path.with_suffix(".tex").read_text().count(r"\\") == 1 + len(names) or name == "table3"
        return list(csv.DictReader(path.read_text().splitlines()))

    for row in read("table2"):
        sub = res.where(net=names[row["method"]])
        if not len(sub):
            assert row["mean eps_res"] == ""
            continue
        per = [g["residual"].mean() for _, g in sub.groups("index")]
        assert float(row["mean eps_res"]) == pytest.approx(np.mean(per))
        assert int(row["instances"]) == len(per)
    for row in read("table1"):
        sub = res.where(net=names[row["method"]])
        if len(sub):
            assert float(row["mean"]) == pytest.approx(np.mean(sub["sampled_mean"] * n))
    rows = read("table3")
    sizes = TINY["table_options"]["table3"]["sizes"]
    assert [(r["method"], int(r["N"])) for r in rows] == [
        (m, s) for m in ("MPVAN", "VAN", "VCA") for s in sizes]
    mp = {int(r["N"]): float(r["ms per step"]) for r in rows if r["method"] == "MPVAN"}
    for r in rows:
        assert float(r["ms per step"]) > 0
        assert float(r["ratio to MPVAN"]) == pytest.approx(float(r["ms per step"]) / mp[int(r["N"])])
    # pooled mean and std of equal-sized samples = those of their union
    rng = np.random.default_rng(0)
    samples = rng.normal(size=(5, 40)) * rng.uniform(0.5, 2, (5, 1)) + rng.normal(size=(5, 1))
    mean, std = table1.pooled(samples.mean(1), samples.std(1))
    assert (mean, std) == pytest.approx((samples.mean(), samples.std()))
