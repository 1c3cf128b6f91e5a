"""An independent free-energy reference of one instance: parallel tempering (PT) over a beta
ladder, then thermodynamic integration (TI) from ln Z(0) = N ln 2 (arspin.free_energy).

Independent of every variational net, so it can judge the H2ARNN paper's SK_2RSB reference
(itself variational) wherever enumeration is out of reach; at enumerable sizes the workflow
runs it beside enumeration, and the H2ARNN claims compare the two.

Error bar: each PT chain gives its own ln Z curve (its own time averages of <H> and Var H),
so the spread over C chains gives the standard error of their mean; the quadrature error of
the Hermite rule on the ladder is small beside it (tests/test_reference_estimators.py).
Boltzmann samples stored at the requested betas serve the lower bound
E_P[H + ln q / beta] / N <= F of any net (arspin.free_energy.boltzmann_lower_bound).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from arspin.baselines.tempering import run_tempering
from arspin.errors import ArspinError
from arspin.free_energy import integrate_energy
from arspin.hamiltonian import IsingModel

METHOD = "parallel tempering + thermodynamic integration"
_ON_LADDER = 1e-9   # |beta - ladder| below this: the same beta (both come from linspace)


@dataclass(frozen=True)
class Reference:
    """PT + TI estimate at the requested betas (per spin unless said otherwise).

    Attributes:
        beta: (B,) the requested betas (each one on the ladder).
        log_z, log_z_se: (B,) ln Z (total) and its standard error over chains.
        free_energy, free_energy_se: (B,) -ln Z / (beta N) and its standard error.
        energy: (B,) <H> / N.
        ladder: (R,) every replica's beta; swap_rate: (R-1,) accepted swap fractions.
        samples: int8 (B, C K, N) configurations at each requested beta (or None).
        sweeps_done, seconds: PT work done.
    """

    beta: np.ndarray
    log_z: np.ndarray
    log_z_se: np.ndarray
    free_energy: np.ndarray
    free_energy_se: np.ndarray
    energy: np.ndarray
    ladder: np.ndarray
    swap_rate: np.ndarray
    samples: np.ndarray | None
    sweeps_done: int
    seconds: float


def ladder_positions(ladder: np.ndarray, betas: np.ndarray) -> np.ndarray:
    """Index in ``ladder`` of every beta; ArspinError naming the first beta that is not on it."""
    pos = np.abs(ladder[None, :] - betas[:, None]).argmin(axis=1)
    off = np.flatnonzero(np.abs(ladder[pos] - betas) > _ON_LADDER)
    if off.size:
        raise ArspinError(f"--betas: {betas[off[0]]:g} is not on the PT ladder (--ladder "
                          f"{ladder[0]:g}..{ladder[-1]:g}, {ladder.size} betas); choose a "
                          f"ladder that contains every beta")
    return pos


def pt_reference(model: IsingModel, betas: np.ndarray, ladder: np.ndarray, *, sweeps: int,
                 chains: int, seed: int = 0, record_every: int = 0) -> Reference:
    """PT over ``ladder`` (increasing, > 0), TI along it, results at ``betas`` (on the ladder).

    Args:
        model: the instance.
        betas: (B,) where F is wanted.
        ladder: (R,) the replica betas; TI integrates from 0 along it, so its spacing sets the
            quadrature error, and swaps need neighbours close enough to exchange.
        sweeps: Metropolis sweeps per replica (a quarter is burn-in).
        chains: independent PT chains, >= 2 for an error bar.
        seed: seed of the PT random numbers.
        record_every: keep every chain's configuration each this many measured sweeps (0: no
            samples).
    """
    ladder = np.asarray(ladder, np.float64)
    betas = np.asarray(betas, np.float64)
    if chains < 2:
        raise ArspinError(f"--chains: need at least 2 independent chains for an error bar, "
                          f"got {chains}")
    pos = ladder_positions(ladder, betas)
    run = run_tempering(model, ladder, sweeps, chains=chains, seed=seed,
                        record_every=record_every)
    variance = run.mean_energy_sq - run.mean_energy ** 2
    per_chain = integrate_energy(ladder, run.mean_energy, variance, model)[:, pos]   # (C, B)
    log_z = per_chain.mean(axis=0)
    log_z_se = per_chain.std(axis=0, ddof=1) / np.sqrt(chains)
    samples = None
    if run.samples is not None:                          # (K, C, R, N) -> (B, C K, N)
        k = run.samples.shape[0]
        samples = run.samples[:, :, pos].transpose(2, 1, 0, 3).reshape(pos.size, chains * k,
                                                                         model.n)
    return Reference(
        beta=betas, log_z=log_z, log_z_se=log_z_se,
        free_energy=-log_z / (betas * model.n), free_energy_se=log_z_se / (betas * model.n),
        energy=run.mean_energy.mean(axis=0)[pos] / model.n, ladder=ladder,
        swap_rate=run.swap_rate, samples=samples, sweeps_done=run.sweeps_done,
        seconds=run.seconds)
