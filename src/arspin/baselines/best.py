"""Ground-state records: the result type every solver returns, energy verification, and the
best-of combination of several sources (solvers, trained nets).

Units: every energy here is a TOTAL energy H(x) (physics.md section 1), never per spin.

Verification is the contract of this package: a solver's claimed energy is recomputed from
its configuration with :meth:`IsingModel.energy` (float64) and must agree within a rounding
tolerance, otherwise :class:`EnergyMismatch` is raised. A mismatch means a bug (wrong sign
convention, wrong instance, stale configuration), never a user error.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from arspin.hamiltonian import IsingModel


class EnergyMismatch(AssertionError):
    """A solver's reported energy differs from H(configuration): a bug, not a user error."""


@dataclass(frozen=True)
class GroundState:
    """Best configuration found by one method.

    Attributes:
        energy: H(configuration), total energy, float.
        configuration: int8 (N,), entries +-1.
        bound: proven lower bound on min_x H(x) (total energy); -inf when the method proves none.
        proven_optimal: True only when ``energy`` is proven to be the ground-state energy.
        method: short solver name ("ilp", "sa", "pt", "best-of"); stored as the file's `method`.
        info: JSON-able details (solver status, wall time, parameters, ...) for file attrs.
        sources: for best-of results, (name, energy) of every source compared; else empty.
    """

    energy: float
    configuration: np.ndarray
    bound: float
    proven_optimal: bool
    method: str
    info: dict = field(default_factory=dict)
    sources: tuple[tuple[str, float], ...] = ()


def energy_tolerance(model: IsingModel) -> float:
    """Absolute tolerance for comparing two float64 evaluations of H: 1e-9 (1 + sum|J| + sum|h|)."""
    return 1e-9 * (1.0 + float(np.abs(model.J).sum() + np.abs(model.h).sum()))


def has_integer_energies(model: IsingModel) -> bool:
    """True when all J_ij and h_i are integers, so every H(x) is an integer."""
    return bool(np.all(model.J == np.round(model.J)) and np.all(model.h == np.round(model.h)))


def tighten_bound(model: IsingModel, bound: float) -> float:
    """The smallest energy value an Ising state can have that is >= ``bound``.

    With integer J and h every term -J_e x_a x_b and -h_i x_i is congruent to J_e (h_i) mod 2,
    so every H(x) has the parity of sum J + sum h: a lower bound rounds up to the next integer
    of that parity. Otherwise the bound is returned unchanged.
    """
    if not np.isfinite(bound) or not has_integer_energies(model):
        return float(bound)
    b = np.ceil(bound - energy_tolerance(model))
    parity = (model.J.sum() + model.h.sum()) % 2
    return float(b + (b - parity) % 2)


def proves_optimal(model: IsingModel, energy: float, bound: float) -> bool:
    """Does the lower bound certify the energy? (:func:`tighten_bound`, then compare with the
    rounding tolerance.)"""
    if not np.isfinite(bound):
        return False
    return bool(tighten_bound(model, bound) >= energy - energy_tolerance(model))


def verified_energy(model: IsingModel, configuration, claimed: float | None, what: str,
                    rtol_scale: float = 1.0) -> tuple[float, np.ndarray]:
    """Recompute H(configuration) in float64 and check it against a solver's claim.

    Args:
        model: the instance.
        configuration: (N,) spins +-1, any numeric dtype.
        claimed: the solver's energy, or None to only validate the configuration.
        what: names the source in the error message.
        rtol_scale: multiplies :func:`energy_tolerance` (solvers that accumulate energies in
            floating point, or LP objectives with feasibility tolerances, need more slack).
    Returns:
        (H, configuration as int8 (N,)).
    Raises:
        EnergyMismatch: the configuration is not +-1 of length N, or H differs from ``claimed``.
    """
    x = np.asarray(configuration)
    if x.shape != (model.n,) or not np.all((x == 1) | (x == -1)):
        raise EnergyMismatch(f"{what}: configuration must be +-1 of shape ({model.n},), "
                             f"got shape {x.shape}")
    x = x.astype(np.int8)
    energy = float(model.energy(x))
    if claimed is not None and abs(energy - float(claimed)) > rtol_scale * energy_tolerance(model):
        raise EnergyMismatch(f"{what}: reported energy {float(claimed)!r} but H(configuration) = "
                             f"{energy!r}")
    return energy, x


def best_of(model: IsingModel, candidates: list[tuple[str, GroundState]]) -> GroundState:
    """The lowest-energy candidate, with the strongest bound among all of them.

    Every candidate's energy is re-verified against its configuration. The bound of the result
    is the largest candidate bound (each one is a valid lower bound on the same minimum); the
    result is proven optimal when that bound certifies the best energy (:func:`proves_optimal`),
    e.g. an exact solver's proof also covers an equal energy found by a heuristic.

    Args:
        model: the instance all candidates refer to.
        candidates: (source name, result) pairs, at least one.
    Returns:
        GroundState with method "best-of", ``sources`` listing (name, energy) of every candidate in
        the given order, and info["winner"] naming the chosen source (the first one on ties).
    """
    if not candidates:
        raise ValueError("best_of needs at least one candidate")
    energies = []
    for name, cand in candidates:
        energy, _ = verified_energy(model, cand.configuration, cand.energy, name)
        energies.append(energy)
    k = int(np.argmin(energies))  # argmin returns the first minimum: ties go to the earlier source
    winner = candidates[k][1]
    bound = max(float(c.bound) for _, c in candidates)
    energy = energies[k]
    if bound > energy + energy_tolerance(model):
        raise EnergyMismatch(f"a source's lower bound {bound!r} exceeds the energy {energy!r} "
                             "found by another: the sources disagree about the instance")
    bound = min(tighten_bound(model, bound), energy)
    return GroundState(
        energy=energy, configuration=winner.configuration.astype(np.int8), bound=bound,
        proven_optimal=proves_optimal(model, energy, bound), method="best-of",
        info={"winner": candidates[k][0], "winner_method": winner.method},
        sources=tuple((name, e) for (name, _), e in zip(candidates, energies)),
    )
