"""H2ARNN Figs. 1-3 (architecture diagrams): their numerical companions against independent
references, and the numbers the figures print equal those references."""

from __future__ import annotations

import itertools
import re

import numpy as np
import pytest

from arspin.hamiltonian import IsingModel
from arspin.papers.h2arnn import companions
from arspin.papers.h2arnn.figures import fig1, fig2, fig3


def _texts(fig) -> str:
    return "\n".join(t.get_text() for t in fig.findobj(match=lambda a: hasattr(a, "get_text")))


def _defaults(module) -> dict:
    return {key: spec[1] for key, spec in module.OPTIONS.items()}


def test_log_conditionals_equal_brute_force_sums():
    """ln P_B(x_i | x_<i) = ln sum_{x_>i} e^{-beta E} restricted to x_<=i minus the same for
    x_<i, summed state by state over explicit tuples (N = 5, random J and h)."""
    n, beta = 5, 0.8
    rng = np.random.default_rng(4)
    model = IsingModel.from_matrix(np.triu(rng.normal(size=(n, n)), 1), h=rng.normal(size=n))
    states = [np.array(s[::-1], float) for s in itertools.product((-1.0, 1.0), repeat=n)]
    weight = {tuple(s): np.exp(-beta * float(model.energy(s[None, :])[0])) for s in states}

    def marginal(prefix):
        return sum(w for s, w in weight.items() if s[:len(prefix)] == tuple(prefix))

    cond = companions.boltzmann_log_conditionals(model, beta)
    for k in range(2 ** n):
        x = [2 * ((k >> b) & 1) - 1.0 for b in range(n)]   # spin 0 = least significant bit
        for i in range(n):
            expected = np.log(marginal(x[:i + 1]) / marginal(x[:i]))
            assert abs(cond[k, i] - expected) < 1e-12


def test_fig1_prints_a_small_conditional_error():
    fig = fig1.build({}, **_defaults(fig1))
    printed = float(re.search(r"ln P_B\| = ([0-9.e+-]+)", _texts(fig)).group(1))
    error = companions.conditional_error()
    assert printed == pytest.approx(error, rel=0.06)
    assert error < 1e-5                       # float32 logits; a wrong formula gives O(1)


def test_fig2_checks_are_exact_to_rounding():
    checks = companions.cw_n_exactness(10, 1.2, 60)
    assert checks["kl"] < 1e-10 and checks["dp_gap"] < 1e-9
    fig = fig2.build({}, **_defaults(fig2))
    text = _texts(fig).replace("\n", " ")
    assert f"CW_inf {200 + 1} (N + 1)" in text
    assert f"{2 * 200**2 + 6 * 200 - 6:,} stored weights" in text


def test_fig3_table_holds_the_closed_form_counts():
    """Every cell of the count table = (2k+3) N (N-1) + 2N written out here, and no cell is
    flagged as a mismatch."""
    fig = fig3.build({}, k=1, sizes=(50, 100, 200))
    cells = {}
    for table in fig.findobj(match=lambda a: type(a).__name__ == "Table"):
        for (row, col), cell in table.get_celld().items():
            cells[row, col] = cell.get_text().get_text()
    for k, row in zip((0, 1, 2), (1, 2, 3)):
        for col, n in enumerate((50, 100, 200)):
            assert cells[row, col] == f"{(2 * k + 3) * n * (n - 1) + 2 * n:,}"
    assert cells[3, 2] == "279,000"           # physics.md's SK_2RSB count at N = 200
