"""Exact thermodynamics of sparse instances of small treewidth (physics.md section 7).

Enumeration stops near N = 30. A 2D lattice of side L, a 3D lattice of side 3 or a random
regular graph of ~100 spins has treewidth <= 25, and variable elimination along a tree
decomposition then gives ln Z exactly at a cost ~ N 2^width. The elimination itself is done
by dwave-samplers' ``TreeDecompositionSampler`` (C++; it also returns exact one- and two-spin
marginals and draws exact Boltzmann samples), not by hand.

Per beta this module returns what enumeration returns, computed as follows:
  * ``log_z``      exact (variable elimination);
  * ``energy``     exact: <H> = -sum_bonds J_ij <x_i x_j> - sum_i h_i <x_i> from the marginals;
  * ``free_energy``, ``entropy``  from those two;
  * ``abs_magnetization``  <|sum_i x_i|>/N is not a sum of local terms, so it is ESTIMATED from
    ``samples`` exact Boltzmann samples, with its standard error ``abs_magnetization_stderr``.
Ground states are not computed here (``arspin groundstate`` does that).

Sign convention: dimod's Ising energy is sum_i h_i x_i + sum_ij J_ij x_i x_j, so the model is
passed with negated h and J.
"""

from __future__ import annotations

import numpy as np

from ..hamiltonian import IsingModel
from ..limits import TREE_MAX_WIDTH

MAX_WIDTH = TREE_MAX_WIDTH  # arspin.limits: TreeDecompositionSampler's max_treewidth


def _bqm(model: IsingModel):
    import dimod

    return dimod.BinaryQuadraticModel.from_ising(
        {v: -float(h) for v, h in enumerate(model.h)},
        {(int(a), int(b)): -float(c) for a, b, c in zip(model.i, model.j, model.J)})


def _elimination(bqm) -> tuple[int, list]:
    """(width, order) of the min-fill elimination order: the sampler's own heuristic, computed
    once here and passed to every call (it would otherwise redo it at every beta)."""
    from dwave.samplers.tree.utilities import min_fill_heuristic

    width, order = min_fill_heuristic(bqm)
    return int(width), order


def treewidth_upper_bound(model: IsingModel) -> int:
    """Width of the min-fill elimination order, an upper bound on the treewidth; it is the
    order :func:`thermodynamics` eliminates along, so it says whether that can run."""
    return _elimination(_bqm(model))[0]


def thermodynamics(model: IsingModel, betas, *, samples: int = 1000, seed: int = 0) -> dict:
    """Exact F, E, S per spin and ln Z at every beta; <|M|>/N estimated from exact samples.

    Args:
        model: the instance; its treewidth upper bound must be <= MAX_WIDTH.
        betas: inverse temperatures (n_beta,), each > 0.
        samples: exact Boltzmann samples per beta for abs_magnetization (>= 2).
        seed: seed of those samples (beta k uses seed + k).
    Returns:
        dict with float64 arrays (n_beta,): beta, log_z, free_energy, energy, entropy,
        abs_magnetization, abs_magnetization_stderr; and n, width.
    Raises:
        ValueError: width too large (the message gives it), or samples < 2.
    """
    from dwave.samplers import TreeDecompositionSampler

    if samples < 2:
        raise ValueError(f"tree decomposition: need >= 2 samples per beta, got {samples}")
    bqm = _bqm(model)
    width, order = _elimination(bqm)
    if width > MAX_WIDTH:
        raise ValueError(f"tree decomposition: treewidth bound {width} of this N = {model.n} "
                         f"instance exceeds {MAX_WIDTH} (tables of 2^width entries)")
    betas = np.asarray(betas, dtype=np.float64)
    n, sampler = model.n, TreeDecompositionSampler()
    out = {k: np.empty(betas.size) for k in
           ("log_z", "energy", "abs_magnetization", "abs_magnetization_stderr")}
    for k, beta in enumerate(betas):
        result = sampler.sample(bqm, num_reads=samples, elimination_order=order,
                                beta=float(beta), marginals=True, seed=seed + k)
        info = result.info
        out["log_z"][k] = info["log_partition_function"]
        out["energy"][k] = _mean_energy(model, info) / n
        x = result.record.sample[:, np.argsort(result.variables)]  # columns in spin order
        m = np.abs(x.sum(axis=1)) / n
        out["abs_magnetization"][k] = m.mean()
        out["abs_magnetization_stderr"][k] = m.std(ddof=1) / np.sqrt(m.size)
    f = -out["log_z"] / (betas * n)
    return {"beta": betas, "free_energy": f, "entropy": betas * (out["energy"] - f), **out,
            "n": n, "width": width}


def _mean_energy(model: IsingModel, info: dict) -> float:
    """<H> (total) from exact one-spin and two-spin marginals."""
    one = info["variable_marginals"]          # v -> P(x_v = +1)
    two = info["interaction_marginals"]       # (u, v) -> {(s, t): P(x_u = s, x_v = t)}
    e = 0.0
    for a, b, coupling in zip(model.i.tolist(), model.j.tolist(), model.J.tolist()):
        table = two[(a, b)] if (a, b) in two else two[(b, a)]
        e -= coupling * sum(p * s * t for (s, t), p in table.items())
    for v, h in enumerate(model.h.tolist()):
        if h:
            e -= h * (2.0 * one[v] - 1.0)
    return e
