"""Figures: every TwoBo figure builds from a small synthetic table set, PDFs are byte-identical
when built twice, the PNG lands beside the PDF, and missing data gives an empty panel. The
lines drawn (read back from the matplotlib axes) equal the tables' instance means, computed
here with plain numpy from the table columns; the last-batch columns are made different from
the last-20 means so that plotting the wrong one shows."""

from __future__ import annotations

import numpy as np
import pytest

from arspin.aggregate.table import new_table as _new_table
from arspin.aggregate.table import write_table
from arspin.figures import make_figure, save
from arspin.papers import PAPERS
from arspin.papers.twobo.tables import SCHEMAS

FIGURES = {"twobo": tuple(PAPERS["twobo"].figures)}


def new_table(name, rows):
    return _new_table(name, rows, SCHEMAS[name])

SIZES = {"ea2d": (4, 8), "ea3d": (3, 4), "rrg": (32, 64)}
NETS = {"twobo": 0.0, "made": 3e-3, "rnn": 1e-2}   # synthetic relative F gap at beta = 3
BETAS = np.round(np.linspace(0.1, 3.0, 30), 12)


def _n(family: str, size: int) -> int:
    return size ** {"ea2d": 2, "ea3d": 3}.get(family, 1)


def _thermo(beta: np.ndarray, e0: float, gap: float) -> dict:
    """A made-up but consistent (F, E, S) per spin: S in [0, ln 2], F = E - S / beta."""
    s_exact = np.log(2) * np.exp(-beta)
    e_exact = e0 * (1 - np.exp(-beta))
    f_exact = e_exact - s_exact / beta
    f = f_exact + np.abs(f_exact) * gap * beta / 3
    s = s_exact * (1 - gap)
    return {"f": f, "e": f + s / beta, "s": s, "fx": f_exact, "ex": e_exact, "sx": s_exact}


def synthetic_tables(exact_max_n: int = 16) -> dict:
    """free_energy, curves, energy_min, parameters tables shaped like a quick-scale TwoBo set."""
    rng = np.random.default_rng(7)
    fe, curves, em = [], [], []

    def add(family: str, size: int, index: int, net: str, protocol: str, gap: float,
            params: int, k: int = 50) -> None:
        n = _n(family, size)
        labels = {"set": family, "family": family, "size": size, "n": n, "index": index,
                  "net": net, "protocol": protocol, "seed": 0}
        e0 = -1.4 - 0.02 * index
        th = _thermo(BETAS, e0, gap * (1 + 0.1 * rng.standard_normal()))
        has_exact = n <= exact_max_n
        batch_noise = 1e-2 * rng.standard_normal((3, BETAS.size))    # last batch != last 20
        for b, beta in enumerate(BETAS):
            fe.append({**labels, "net_family": "rnn2d" if net.startswith("rnn") else net,
                       "variant": "rnn2d per-site elu d_h=2" if net.startswith("rnn") else net,
                       "steps_per_beta": k, "batch": 256, "n_params": params, "beta": beta,
                       "free_energy": th["f"][b] + batch_noise[0, b], "free_energy_std": 0.01,
                       "free_energy_last20": th["f"][b], "free_energy_last20_se": 1e-5,
                       "energy": th["e"][b] + batch_noise[1, b], "energy_last20": th["e"][b],
                       "energy_last20_se": 1e-5, "energy_min": th["e"][b] - 0.1,
                       "entropy": th["s"][b] + batch_noise[2, b], "entropy_last20": th["s"][b],
                       "entropy_last20_se": 1e-5, "abs_magnetization": 0.1,
                       "free_energy_exact": th["fx"][b] if has_exact else np.nan,
                       "energy_exact": th["ex"][b] if has_exact else np.nan,
                       "entropy_exact": th["sx"][b] if has_exact else np.nan,
                       "exact_method": "enumeration" if has_exact else ""})
        if protocol == "anneal":
            for beta in (0.5, 1.5, 3.0):
                b = int(np.argmin(np.abs(BETAS - beta)))
                steps = np.arange(k)
                f = th["f"][b] + np.abs(th["f"][b]) * (gap + 1e-3) * np.exp(-steps / 10)
                curves.extend({**labels, "beta": BETAS[b], "step": int(s), "free_energy": v,
                               "free_energy_exact": th["fx"][b] if has_exact else np.nan}
                              for s, v in zip(steps, f))
            e_gs = e0 - 0.05
            e_min = e_gs * (1 - gap)
            em.append({**labels, "net_family": net, "variant": net, "n_params": params,
                       "e_min": e_min, "e_gs": e_gs, "gs_method": "ilp",
                       "gs_proven": n <= 16, "hits_gs": gap == 0.0})

    for family, sizes in SIZES.items():
        for size in sizes:
            for index in range(3):
                for net, gap in NETS.items():
                    add(family, size, index, net, "anneal", gap, 10 * _n(family, size))
    for index in range(3):
        add("ea2d", 8, index, "twobo-frozen", "anneal", 1e-3, 640)
        for j, d in enumerate((2, 4, 8)):
            add("ea2d", 8, index, f"rnn-d{d}", "anneal", 1e-2 / (j + 1), 64 * (40, 142, 538)[j])
        for k in (4, 8, 16, 32, 64):
            for net, gap in NETS.items():
                add("ea2d", 8, index, net, f"K{k}", (gap + 1e-3) * 8 / k, 640, k)
    par = []
    for family, ns in {"ea2d": (4, 16, 64, 256, 1024), "ea3d": (8, 27, 64, 512),
                       "rrg": (32, 64, 128)}.items():
        for n in ns:
            tb = {"ea2d": 2 * n ** 1.5, "ea3d": 3 * n ** (5 / 3), "rrg": 0.3 * n * n}[family]
            rule = "twobo-reference" if family == "rrg" else "default"
            par += [{"family": family, "seed_rule": rule, "size": n, "n": n, "net": "twobo",
                     "n_params": tb, "n_instances": 1},
                    {"family": family, "seed_rule": rule, "size": n, "n": n, "net": "made",
                     "n_params": float(n * (n + 1) // 2), "n_instances": 1}]
    return {"free_energy": new_table("free_energy", fe), "curves": new_table("curves", curves),
            "energy_min": new_table("energy_min", em), "parameters": new_table("parameters", par)}


@pytest.fixture(scope="module")
def tables_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tables")
    for name, table in synthetic_tables().items():
        write_table(folder / f"{name}.csv", table)
    return folder


@pytest.mark.parametrize("name", FIGURES["twobo"])
def test_figure_builds_and_is_byte_reproducible(name, tables_dir, tmp_path):
    first, second = tmp_path / "a" / f"{name}.pdf", tmp_path / "b" / f"{name}.pdf"
    save(make_figure("twobo", name, tables_dir), first, png=False)
    save(make_figure("twobo", name, tables_dir), second, png=False)
    data = first.read_bytes()
    assert data.startswith(b"%PDF") and data == second.read_bytes()
    assert b"CreationDate" not in data
    assert not list(first.parent.glob(".*tmp*"))   # atomic writes left nothing behind


def test_figures_with_missing_data_draw_empty_panels(tmp_path):
    """No RNN runs, no sweep, no frozen runs, no exact: figures still build (empty panels)."""
    full = synthetic_tables(exact_max_n=0)
    fe = full["free_energy"]
    keep = np.isin(fe["net"], ["twobo", "made"]) & (fe["protocol"] == "anneal")
    write_table(tmp_path / "free_energy.csv", fe.mask(keep))
    write_table(tmp_path / "curves.csv", full["curves"].mask(full["curves"]["net"] == "twobo"))
    write_table(tmp_path / "energy_min.csv", full["energy_min"].mask(
        full["energy_min"]["family"] == "ea2d"))
    write_table(tmp_path / "parameters.csv", full["parameters"].mask(
        full["parameters"]["family"] == "rrg"))
    for name in FIGURES["twobo"]:
        fig = make_figure("twobo", name, tmp_path)
        assert fig.axes


def test_figure_cli_writes_pdf_and_png(cli, tables_dir, tmp_path):
    out = tmp_path / "figures" / "figS2.pdf"
    proc = cli("figure", "twobo", "figS2", "--tables", tables_dir, "--out", out)
    assert proc.returncode == 0, proc.stderr
    png = out.with_suffix(".png")
    assert out.is_file() and png.is_file() and png.read_bytes().startswith(b"\x89PNG")


@pytest.mark.parametrize("args, message", [
    (["fig9"], "unknown figure"), (["fig3", "-o", "nope=1"], "KEY one of"),
    (["fig3", "-o", "size=x"], "not a valid int")])
def test_figure_cli_errors(args, message, tables_dir, tmp_path, capsys):
    from arspin.cli import main

    code = main(["figure", "twobo", *args, "--tables", str(tables_dir),
                 "--out", str(tmp_path / "f.pdf")])
    assert code == 2 and message in capsys.readouterr().err
    assert not (tmp_path / "f.pdf").exists()


# ------------------------------------------------------------- plotted data = table means
def _column_means(fe, family: str, size: int, net: str, ref: str, column: str,
                  absolute: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """(betas, instance mean of (X_net - X_ref)[/|X_ref|]) straight from the table columns;
    ref "exact" = the net's own <value>_exact column."""
    value = column.replace("_last20", "")
    sub = fe.mask((fe["family"] == family) & (fe["size"] == size) & (fe["protocol"] == "anneal"))
    mine = sub.mask(sub["net"] == net)
    other = mine if ref == "exact" else sub.mask(sub["net"] == ref)
    ref_col = f"{value}_exact" if ref == "exact" else column
    betas = np.unique(np.round(mine["beta"], 9))
    out = []
    for beta in betas:
        a = {int(i): v for i, v, b in zip(mine["index"], mine[column], mine["beta"])
             if abs(b - beta) < 1e-9}
        r = {int(i): v for i, v, b in zip(other["index"], other[ref_col], other["beta"])
             if abs(b - beta) < 1e-9}
        d = [(a[i] - r[i]) if absolute else (a[i] - r[i]) / abs(r[i]) for i in sorted(a)]
        out.append(np.mean(d))
    return betas, np.array(out)


def _line(ax, **match):
    """The one Line2D of ``ax`` whose color / linestyle / label equal ``match``."""
    found = [ln for ln in ax.get_lines()
             if all(getattr(ln, f"get_{k}")() == v for k, v in match.items())
             and len(ln.get_xdata()) > 2]
    assert len(found) == 1, (match, [(ln.get_color(), ln.get_linestyle(), ln.get_label())
                                     for ln in ax.get_lines()])
    return np.asarray(found[0].get_xdata(), float), np.asarray(found[0].get_ydata(), float)


def _same(line, expected):
    np.testing.assert_allclose(line[0], expected[0], rtol=0, atol=1e-9)
    np.testing.assert_allclose(line[1], expected[1], rtol=1e-12, atol=1e-15)


def test_fig2_lines_are_the_instance_means_of_the_last20_columns(tables_dir):
    from arspin.papers.twobo.figures import look

    tables = synthetic_tables()
    fe = tables["free_energy"]
    fig = make_figure("twobo", "fig2", tables_dir)
    left = fig.axes[0::2]
    for row, family in enumerate(SIZES):
        for k, size in enumerate(SIZES[family]):
            ls = ("-", "--")[k]
            for j, net in enumerate(("made", "rnn")):
                _same(_line(left[row], color=look.color(net, j), linestyle=ls),
                      _column_means(fe, family, size, net, "twobo", "free_energy_last20"))
            if _n(family, size) <= 16:
                _same(_line(left[row], color=look.COLORS["exact"], linestyle=ls),
                      _column_means(fe, family, size, "twobo", "exact", "free_energy_last20"))


def test_figS2_and_figS3_lines_are_the_instance_means(tables_dir):
    from arspin.papers.twobo.figures import look

    fe = synthetic_tables()["free_energy"]
    ax = make_figure("twobo", "figS2", tables_dir).axes[0]
    _same(_line(ax, color=look.color("twobo-frozen")),
          _column_means(fe, "ea2d", 8, "twobo-frozen", "twobo", "free_energy_last20"))
    axes = make_figure("twobo", "figS3", tables_dir).axes[:3]
    for ax, column in zip(axes, ("free_energy", "energy", "entropy")):
        for net in ("rnn", "rnn-d2", "rnn-d4", "rnn-d8"):
            params = int(fe.mask((fe["net"] == net) & (fe["size"] == 8))["n_params"].max())
            _same(_line(ax, label=f"{look.name(net)} ({params:,} params)"),
                  _column_means(fe, "ea2d", 8, net, "twobo", column + "_last20", absolute=True))


def test_fig4_points_are_the_instance_means_relative_to_the_best(tables_dir):
    from arspin.papers.twobo.figures import look

    fe = synthetic_tables()["free_energy"]
    ax = make_figure("twobo", "fig4", tables_dir).axes[1]           # the final beta
    sweep = fe.mask((fe["size"] == 8) & np.char.startswith(fe["protocol"].astype(str), "K")
                    & (np.abs(fe["beta"] - 3.0) < 1e-9))
    nets, ks = ("twobo", "made", "rnn"), (4, 8, 16, 32, 64)
    value = {(str(n), int(i), int(k)): v for n, i, k, v in
             zip(sweep["net"], sweep["index"], sweep["steps_per_beta"],
                 sweep["free_energy_last20"])}
    best = {i: min(value[(n, i, k)] for n in nets for k in ks) for i in range(3)}
    for j, net in enumerate(nets):
        means = [np.mean([(value[(net, i, k)] - best[i]) / abs(best[i]) for i in range(3)])
                 for k in ks]
        x, y = _line(ax, color=look.color(net, j), linestyle="-")     # the errorbar's line
        np.testing.assert_array_equal(x, ks)
        np.testing.assert_allclose(y, means, rtol=1e-12, atol=1e-15)


def test_figS1_lines_are_the_parameter_counts(tables_dir):
    from arspin.papers.twobo.figures import look

    par = synthetic_tables()["parameters"]
    fig = make_figure("twobo", "figS1", tables_dir)
    for ax, family in zip(fig.axes, ("ea2d", "ea3d", "rrg")):
        for net in ("twobo", "made"):
            rows = par.mask((par["family"] == family) & (par["net"] == net))
            order = np.argsort(rows["n"])
            found = [ln for ln in ax.get_lines() if ln.get_color() == look.color(net)]
            assert len(found) == 1
            np.testing.assert_array_equal(found[0].get_xdata(), rows["n"][order])
            np.testing.assert_array_equal(found[0].get_ydata(), rows["n_params"][order])
    assert fig.axes[2].get_title(loc="right") == "paper's graphs"
