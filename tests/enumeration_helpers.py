"""Small models and exact enumeration for the net tests (independent of arspin.exact)."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import networkx as nx
import numpy as np

from arspin.hamiltonian import IsingModel


def all_states(n: int) -> np.ndarray:
    """All 2^n configurations, float32 (2^n, n) +-1; spin 0 is the least significant bit."""
    idx = np.arange(2 ** n)[:, None]
    return (((idx >> np.arange(n)) & 1) * 2 - 1).astype(np.float32)


def _from_graph(g: nx.Graph, rng: np.random.Generator, gaussian: bool = False,
                h: np.ndarray | None = None) -> IsingModel:
    nodes = sorted(g.nodes())                   # row-major for grid_graph tuples
    index = {v: k for k, v in enumerate(nodes)}
    edges = np.array([(index[a], index[b]) for a, b in g.edges()], dtype=np.int64)
    coupling = rng.standard_normal(len(edges)) if gaussian else rng.choice([-1.0, 1.0], len(edges))
    return IsingModel.from_edges(len(nodes), edges[:, 0], edges[:, 1], coupling, h)


def grid(dims: list[int], seed: int = 0) -> IsingModel:
    """Periodic hypercubic lattice with +-1 couplings (a 2D/3D EA instance)."""
    return _from_graph(nx.grid_graph(dim=dims, periodic=True), np.random.default_rng(seed))


def rrg(n: int, seed: int = 0, shuffle: bool = False, fields: bool = False) -> IsingModel:
    """Random 3-regular graph, +-1 couplings; shuffle relabels spins in random order."""
    rng = np.random.default_rng(seed)
    model = _from_graph(nx.random_regular_graph(3, n, seed=seed), rng,
                        h=rng.standard_normal(n) * 0.5 if fields else None)
    return model.permuted(rng.permutation(n)) if shuffle else model


def sk(n: int, seed: int = 0) -> IsingModel:
    """Dense SK model, J_ij ~ Normal(0, 1/N)."""
    rng = np.random.default_rng(seed)
    i, j = np.triu_indices(n, 1)
    return IsingModel.from_edges(n, i, j, rng.standard_normal(i.size) / np.sqrt(n))


def chain(n: int, couplings: np.ndarray) -> IsingModel:
    """Open chain 0-1-...-(n-1) with the given n-1 couplings."""
    return IsingModel.from_edges(n, np.arange(n - 1), np.arange(1, n), couplings)


def randomized(params, seed: int = 1, scale: float = 0.5):
    """Every entry (masked or not) replaced by scale x Normal(0, 1), float32 (numpy draws:
    nothing to compile)."""
    rng = np.random.default_rng(seed)
    return jax.tree_util.tree_map(
        lambda leaf: jnp.asarray(scale * rng.standard_normal(leaf.shape), jnp.float32), params)


def exact_log_q(net, params, beta: float) -> tuple[np.ndarray, np.ndarray]:
    """(states (2^N, N), ln q(state) in float64) by evaluating the net on every state."""
    states = all_states(net.n)
    return states, np.asarray(net.log_prob(params, jnp.asarray(states), beta), np.float64)


def boltzmann_log_p(model: IsingModel, states: np.ndarray, beta: float) -> np.ndarray:
    """ln P_B(state) in float64 by enumeration."""
    log_w = -beta * model.energy(states)
    top = log_w.max()
    return log_w - (top + np.log(np.exp(log_w - top).sum()))
