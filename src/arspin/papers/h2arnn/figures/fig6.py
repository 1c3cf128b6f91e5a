"""H2ARNN Fig. 6: first-layer weights |w_ls| of SK_1RSB with a learnable first layer, fitted by
maximum likelihood to Monte Carlo samples, against the couplings |J_ls| of the instance
(figures.md): trained (blue) and initial (orange) weights of every pair s < l, the OLS line of
the trained ones with its slope and intercept, and Pearson's r. Absolute values because the
sign of each row of w is a gauge freedom; the per-row gauge-fixed signed r is in the footer.

Artists carry gids "trained", "initial" and "ols" so that tests read the plotted data back.
"""

from __future__ import annotations

import textwrap

import numpy as np
from matplotlib.figure import Figure

from arspin.aggregate.table import Table
from arspin.figures import style
from arspin.figures.style import COLUMN

OPTIONS = {
    "ymax": (float, 0.0, "upper y limit (paper 1.7); 0 = from the data"),
}

TRAINED, INITIAL = "#0072B2", "#E69F00"


def build(tables: dict[str, Table], *, ymax: float) -> Figure:
    """Draw Fig. 6 from sk_couplings and sk_couplings_fit (the first fit listed)."""
    pairs, fits = tables["sk_couplings"], tables["sk_couplings_fit"]
    fig = Figure(figsize=(max(COLUMN, 4.0), 3.4))
    ax = fig.add_axes((0.14, 0.3, 0.82, 0.62))
    if not len(fits):
        style.empty(ax)
        return fig
    fit = fits.mask(np.arange(len(fits)) == 0)
    rows = pairs.where(set=fit["set"][0], size=int(fit["size"][0]), index=int(fit["index"][0]))
    x = np.abs(rows["coupling"])
    ax.scatter(x, np.abs(rows["weight_init"]), s=3, color=INITIAL, label="Initial",
               gid="initial", linewidths=0)
    ax.scatter(x, np.abs(rows["weight"]), s=3, color=TRAINED, label="Trained", gid="trained",
               linewidths=0)
    slope, intercept = float(fit["slope"][0]), float(fit["intercept"][0])
    grid = np.array([0.0, float(x.max())])
    ax.plot(grid, intercept + slope * grid, color=TRAINED, lw=1.0, gid="ols",
            label=f"y = {slope:.3f}x + {intercept:.3f}")
    ax.set_xlabel(r"$|J_{ls}|$ (couplings of H)")
    ax.set_ylabel(r"$|w_{ls}|$ (first layer)")
    ax.set_xlim(left=0)
    ax.set_ylim(-0.02 * (ymax or 1), ymax if ymax > 0 else None)
    ax.legend(loc="upper left", fontsize=7, markerscale=3)
    ax.text(0.98, 0.96, f"Pearson r = {fit['pearson_r'][0]:.3f}  (n = {len(rows)})",
            transform=ax.transAxes, ha="right", va="top", fontsize=7,
            bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8, "pad": 1.5})
    exact = fit["exact_energy"][0]
    energy = (f"sample <H>/N {fit['sample_energy'][0]:.4f}"
              + (f" vs exact {exact:.4f}" if np.isfinite(exact) else ""))
    footer = (f"SK instance {fit['set'][0]} N={int(fit['n'][0])} index {int(fit['index'][0])}, "
              f"beta = {fit['beta'][0]:g}; {int(fit['samples'][0])} samples by "
              f"'{fit['sampler'][0]}' (acceptance {fit['acceptance'][0]:.3f}, tau "
              f"{fit['tau'][0]:.2f} stored states; {energy}); {int(fit['steps'][0])} Adam "
              f"steps on half-batches, NLL/N {fit['nll_first'][0]:.4f} -> "
              f"{fit['nll_last'][0]:.4f}; r at init {fit['pearson_r_init'][0]:.3f}, signed "
              f"(per-row gauge fixed) {fit['pearson_r_signed'][0]:.3f}")
    fig.text(0.01, 0.01, "\n".join(textwrap.wrap(footer, 95)), fontsize=5.5, color="#333333",
             va="bottom")
    return fig
