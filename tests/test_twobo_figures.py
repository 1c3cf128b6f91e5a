"""Figures: every TwoBo figure builds from a small synthetic table set, PDFs are byte-identical
when built twice, the PNG lands beside the PDF, and missing data gives an empty panel."""

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
        for b, beta in enumerate(BETAS):
            fe.append({**labels, "net_family": "rnn2d" if net.startswith("rnn") else net,
                       "variant": "rnn2d per-site elu d_h=2" if net.startswith("rnn") else net,
                       "steps_per_beta": k, "batch": 256, "n_params": params, "beta": beta,
                       "free_energy": th["f"][b], "free_energy_std": 0.01,
                       "free_energy_last20": th["f"][b], "energy": th["e"][b],
                       "energy_min": th["e"][b] - 0.1, "entropy": th["s"][b],
                       "abs_magnetization": 0.1,
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
            par += [{"family": family, "size": n, "n": n, "net": "twobo", "n_params": tb,
                     "n_instances": 1},
                    {"family": family, "size": n, "n": n, "net": "made",
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
