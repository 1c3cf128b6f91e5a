"""H2ARNN SI Figs. 1-2 (fit_rs, fit_1rsb): the trapezoid integrals against scipy's adaptive
quadrature of integrands written out here, known limits, the fits against the points, and the
built figures' plotted data against the public functions. Fast (a few seconds)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from scipy.integrate import quad
from scipy.special import log_expit

from arspin.papers.h2arnn.figures import figS1, figS2

# The published settings (figures.md), written out here rather than read from the modules.
RS_BETAS, RS_Q0S, RS_JJ = (0.1, 1.5, 3.0), (0.01, 0.1, 0.5, 0.99), 0.1
RSB_MS, RSB_BETAS, RSB_QS, RSB_JJ = (0.01, 0.2, 0.5), (0.1, 1.5, 3.0), (0.01, 0.2, 0.5, 0.99), -0.1
RS_X, RSB_X = np.arange(-3, 3, 0.3), np.arange(-3, 3, 0.4)


def _quad(integrand, a: float = -5.0, b: float = 5.0) -> float:
    """Adaptive quadrature on 20 pieces of [a, b]: the integrands can be peaked (width ~0.07
    at q = 0.01) away from where a single quad call would sample."""
    edges = np.linspace(a, b, 21)
    return sum(quad(integrand, lo, hi, epsabs=0.0, epsrel=1e-11, limit=200)[0]
               for lo, hi in itertools.pairwise(edges))


def _defaults(module) -> dict:
    return {name: default for name, (_, default, _) in module.OPTIONS.items()}


def _lines(fig) -> dict:
    return {line.get_gid(): line for ax in fig.axes for line in ax.get_lines()
            if line.get_gid()}


def _params(gid: str) -> dict[str, float]:
    """'points|beta=1.5|q0=0.1' -> {'beta': 1.5, 'q0': 0.1}."""
    return {key: float(value) for key, value in (part.split("=") for part in gid.split("|")[1:])}


# --- the integrals -------------------------------------------------------------------------

@pytest.mark.parametrize("x, q0, beta, normalised", [(-2.1, 0.1, 1.5, False),
                                                      (0.3, 0.99, 3.0, False),
                                                      (2.4, 0.01, 3.0, False),
                                                      (1.2, 0.5, 0.1, True),
                                                      (-0.6, 0.99, 3.0, True)])
def test_rs_integral_equals_quadrature(x, q0, beta, normalised):
    var = q0 / 2 if not normalised else q0    # exp(-z^2/q0) is a Gaussian of variance q0/2

    def integrand(z):
        return (np.exp(-z * z / (2 * var)) / np.sqrt(2 * np.pi * q0)
                * log_expit(beta * (RS_JJ + beta * z + x)))

    ours = figS1.rs_integral(np.array([x]), q0, beta, RS_JJ, dz=1e-3, normalised=normalised)
    assert ours.shape == (1,) and ours.dtype == np.float64
    assert ours[0] == pytest.approx(_quad(integrand), rel=1e-6)


@pytest.mark.parametrize("x, q, m, beta", [(-2.6, 0.2, 0.5, 1.5), (1.0, 0.01, 0.01, 3.0),
                                            (0.2, 0.99, 0.2, 0.1), (-3.0, 0.99, 0.5, 3.0),
                                            (2.6, 0.5, 0.5, 3.0)])
def test_rsb_integral_equals_quadrature(x, q, m, beta):
    def integrand(z):
        return np.exp(-z * z / q + m * beta**2 * z
                      - m * log_expit(2 * beta * (RSB_JJ + beta * z + x))) / np.sqrt(2 * np.pi * q)

    ours = figS2.rsb_integral(np.array([x]), q, m, beta, RSB_JJ, dz=1e-3)
    assert ours[0] == pytest.approx(_quad(integrand), rel=1e-6)


def test_rs_integral_narrow_weight_limits():
    """q0 -> 0: the weight becomes a delta and f(x) -> logsigmoid(beta (JJ + x)), times the
    weight's mass: 1 for the Gaussian, 1/sqrt(2) for the published exp(-z^2/q0). At q0 = 1e-6
    the smearing is <= beta^4 q0 / 8 ~ 6e-7 (|logsigmoid''| <= 1/4)."""
    x, beta = np.linspace(-3, 3, 7), 1.5
    limit = log_expit(beta * (RS_JJ + x))
    normalised = figS1.rs_integral(x, 1e-6, beta, RS_JJ, dz=1e-5, normalised=True)
    published = figS1.rs_integral(x, 1e-6, beta, RS_JJ, dz=1e-5, normalised=False)
    np.testing.assert_allclose(normalised, limit, atol=5e-6)
    np.testing.assert_allclose(published, limit / np.sqrt(2), atol=5e-6)


def test_rsb_integral_without_m_is_the_weight_mass():
    """m = 0 drops the x dependence: g = int (2 pi q)^(-1/2) exp(-z^2/q) = erf(5/sqrt(q))/sqrt(2)
    for every x (the published weight's mass on [-5, 5])."""
    from scipy.special import erf

    for q in (0.01, 0.99):
        g = figS2.rsb_integral(RSB_X, q, 0.0, 1.5, RSB_JJ)
        np.testing.assert_allclose(g, erf(5 / np.sqrt(q)) / np.sqrt(2), rtol=1e-9)


# --- the fits ------------------------------------------------------------------------------

@pytest.mark.parametrize("beta", RS_BETAS)
def test_rs_fit_reproduces_the_points(beta):
    """a + b logsigmoid(c x + d) fits every published RS curve to < 1% of its range (measured:
    at most 2.4e-10 at beta = 0.1, 1.3e-3 at 1.5, 1.8e-3 at 3)."""
    for q0 in RS_Q0S:
        y = figS1.rs_integral(RS_X, q0, beta, RS_JJ)
        params = figS1.fit_rs(RS_X, y, q0, beta, RS_JJ)
        assert params is not None and params.shape == (4,)
        assert np.max(np.abs(figS1.rs_model(RS_X, *params) - y)) < 0.01 * np.ptp(y), (beta, q0)


def test_rsb_fits_reproduce_the_points():
    """The separable (default) fit converges on all 36 published curves, to < 1% of each
    range (measured: at most 7.1e-4)."""
    for m, beta, q in itertools.product(RSB_MS, RSB_BETAS, RSB_QS):
        y = figS2.rsb_integral(RSB_X, q, m, beta, RSB_JJ)
        params = figS2.fit_1rsb(RSB_X, y, m)
        assert params is not None and params.shape == (6,)
        assert np.max(np.abs(figS2.rsb_model(RSB_X, *params) - y)) < 0.01 * np.ptp(y), (m, beta, q)


def test_rsb_separable_and_six_parameter_fits_agree():
    """Both ways solve the same least-squares problem: on a curve where the six-parameter
    curve_fit from [0, 0, 1, m, 1, 1] converges quickly they draw the same curve."""
    m, beta, q = 0.2, 1.5, 0.5
    y = figS2.rsb_integral(RSB_X, q, m, beta, RSB_JJ)
    separable = figS2.fit_1rsb(RSB_X, y, m, separable=True)
    plain = figS2.fit_1rsb(RSB_X, y, m, separable=False)
    assert separable is not None and plain is not None
    np.testing.assert_allclose(figS2.rsb_model(RSB_X, *separable),
                               figS2.rsb_model(RSB_X, *plain), atol=1e-3 * np.ptp(y))


# --- the figures ---------------------------------------------------------------------------

def test_options_default_to_the_published_settings():
    assert _defaults(figS1) == {"jj": RS_JJ, "dz": 1e-3, "normalised": False}
    assert _defaults(figS2)["jj"] == RSB_JJ and _defaults(figS2)["dz"] == 1e-3


@pytest.mark.parametrize("normalised", [False, True])
def test_figS1_plots_the_integrals_and_their_fits(normalised):
    options = {**_defaults(figS1), "normalised": normalised}
    fig = figS1.build({}, **options)
    assert len(fig.axes) == 3
    assert [ax.get_title() for ax in fig.axes] == ["beta=0.1", "beta=1.5", "beta=3"]
    lines = _lines(fig)
    points = [gid for gid in lines if gid.startswith("points|")]
    assert {tuple(_params(gid).values()) for gid in points} == set(
        itertools.product(RS_BETAS, RS_Q0S))
    assert len(points) == 12
    for gid in points:
        beta, q0 = _params(gid)["beta"], _params(gid)["q0"]
        x, y = lines[gid].get_xdata(), lines[gid].get_ydata()
        np.testing.assert_array_equal(x, RS_X)
        np.testing.assert_allclose(y, figS1.rs_integral(RS_X, q0, beta, RS_JJ, 1e-3, normalised),
                                   rtol=1e-13)
        fit = lines[gid.replace("points|", "fit|")]
        np.testing.assert_allclose(
            fit.get_ydata(), figS1.rs_model(RS_X, *figS1.fit_rs(RS_X, y, q0, beta, RS_JJ)))
    assert ("not normalised" in fig.texts[-1].get_text()) is not normalised


def test_figS2_plots_the_integrals_and_their_fits():
    fig = figS2.build({}, **_defaults(figS2))
    assert len(fig.axes) == 9
    assert fig.axes[0].get_title() == "beta=0.1, m=0.01"
    assert fig.axes[5].get_title() == "beta=3, m=0.2"
    lines = _lines(fig)
    points = [gid for gid in lines if gid.startswith("points|")]
    assert len(points) == 36
    assert {(p["beta"], p["m"], p["q"]) for p in map(_params, points)} == set(
        itertools.product(RSB_BETAS, RSB_MS, RSB_QS))
    for gid in points:
        p = _params(gid)
        x, y = lines[gid].get_xdata(), lines[gid].get_ydata()
        np.testing.assert_array_equal(x, RSB_X)
        np.testing.assert_allclose(y, figS2.rsb_integral(RSB_X, p["q"], p["m"], p["beta"],
                                                         RSB_JJ, 1e-3), rtol=1e-13)
        fit = lines[gid.replace("points|", "fit|")].get_ydata()
        assert np.max(np.abs(fit - y)) < 0.01 * np.ptp(y), gid
    assert "no converged fit" not in fig.texts[-1].get_text()


def test_figS2_without_a_converged_fit_draws_no_line_and_says_so(monkeypatch):
    # the curve on which the six-parameter fit from the published start (LM or TRF, maxfev
    # 20000) does not converge; here its fit is made to fail whatever the method
    lost = figS2.rsb_integral(RSB_X, 0.01, 0.01, 3.0, RSB_JJ)
    fit_1rsb = figS2.fit_1rsb

    def failing(x, y, m, separable=True):
        return None if np.array_equal(y, lost) else fit_1rsb(x, y, m, separable)

    monkeypatch.setattr(figS2, "fit_1rsb", failing)
    fig = figS2.build({}, **_defaults(figS2))
    fits = [gid for gid in _lines(fig) if gid.startswith("fit|")]
    assert len(fits) == 35
    assert not any(_params(gid) == {"beta": 3.0, "m": 0.01, "q": 0.01} for gid in fits)
    footer = fig.texts[-1].get_text().replace("\n", " ")
    assert "no converged fit, so no line, for 1: beta=3.0, m=0.01, q=0.01" in footer
