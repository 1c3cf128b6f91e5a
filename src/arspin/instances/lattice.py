"""Edwards-Anderson +-J spin glasses on periodic hypercubic lattices (ea2d, ea3d).

Geometry: ``networkx.grid_graph(dim=[L]*d, periodic=True)``. Spin index = position of the node
in ``graph.nodes()``, which is row-major (last coordinate fastest): spin r*L + c in 2D,
(a*L + b)*L + c in 3D. Bonds are taken in ``graph.edges()`` order, and couplings are drawn in
that order. At L = 2 the two periodic bonds between a pair of neighbours are one edge of the
simple graph, so 2D L = 2 has 4 bonds (not 8) and 3D L = 2 has 12 (not 24): the reference does
the same. For L >= 3 there are d * L^d bonds.

Two seed rules:
- default: J = 2 * rng.integers(0, 2, size=E) - 1 with rng from :mod:`.seeding`.
- twobo-reference: the TwoBo paper's instances. The reference draws every EA instance from
  ONE legacy ``numpy.random.seed(0)`` stream, size by size in the order
  L = 2, 4, 8, 16, 32, 64, 12, 24; for each L ten 2D instances, then (only for L < 32) ten 3D
  instances; each instance draws ``randint(0, 2) * 2 - 1`` once per edge in ``edges()`` order.
  We replay that stream in a private ``RandomState(0)`` up to the requested instance (draws of
  one vectorised call equal those of element-by-element calls; the test checks it). Edge order
  comes from networkx, so exact equality with the reference files needs a networkx whose
  ``grid_graph`` edge order matches the one that wrote them (meta records the version).
"""

from __future__ import annotations

import functools
import itertools

import networkx as nx
import numpy as np

from arspin.errors import ArspinError
from arspin.hamiltonian import IsingModel

TWOBO_SIZES = (2, 4, 8, 16, 32, 64, 12, 24)  # order in which the reference consumes its stream
TWOBO_PER_SIZE = 10                          # instances per (L, d)
TWOBO_MAX_3D = 32                            # 3D only for L < 32


def n_lattice_edges(L: int, d: int) -> int:
    """Number of bonds of the periodic L^d lattice as a simple graph (doubled bonds merged)."""
    if L < 2:
        raise ValueError(f"lattice side must be >= 2, got {L}")
    return d * L**d if L >= 3 else d * 2 ** (d - 1)


@functools.lru_cache(maxsize=16)
def lattice_edges(L: int, d: int) -> tuple[np.ndarray, np.ndarray]:
    """Bonds of the periodic L^d lattice in networkx ``edges()`` order.

    Returns:
        (i, j): read-only int64 arrays of shape (E,), spin indices in row-major order.
    """
    if L < 2:
        raise ArspinError(f"size: lattice side L must be >= 2, got {L}")
    graph = nx.grid_graph(dim=[L] * d, periodic=True)
    nodes = list(graph.nodes())
    # The project-wide spin order is row-major; fail loudly if networkx ever changes it.
    if nodes != list(itertools.product(range(L), repeat=d)):
        raise RuntimeError(f"networkx {nx.__version__}: grid_graph node order is not row-major")
    position = {node: k for k, node in enumerate(nodes)}
    pairs = np.array([(position[u], position[v]) for u, v in graph.edges()], dtype=np.int64)
    if len(pairs) != n_lattice_edges(L, d):
        raise RuntimeError(f"networkx {nx.__version__}: unexpected edge count {len(pairs)}")
    i, j = pairs[:, 0].copy(), pairs[:, 1].copy()
    i.setflags(write=False)
    j.setflags(write=False)
    return i, j


def build_ea(L: int, d: int, rng: np.random.Generator) -> IsingModel:
    """EA +-J instance, J = +-1 equiprobable per bond in edges() order, h = 0 (default rule)."""
    i, j = lattice_edges(L, d)
    J = rng.integers(0, 2, size=i.size) * 2 - 1
    return IsingModel.from_edges(L**d, i, j, J, meta={"L": L, "dim": d})


def twobo_reference_position(L: int, d: int, index: int) -> int:
    """Number of draws the reference stream makes before instance (L, d, index).

    Raises:
        ArspinError: (L, d, index) is not one of the reference's instances.
    """
    if L not in TWOBO_SIZES:
        raise ArspinError(f"size: seed rule 'twobo-reference' has L in {list(TWOBO_SIZES)}, got {L}")
    if not 0 <= index < TWOBO_PER_SIZE:
        raise ArspinError(
            f"index: seed rule 'twobo-reference' has indices 0..{TWOBO_PER_SIZE - 1}, got {index}")
    if d == 3 and L >= TWOBO_MAX_3D:
        raise ArspinError(f"size: seed rule 'twobo-reference' has 3D lattices only for "
                          f"L < {TWOBO_MAX_3D}, got L = {L}")
    if d not in (2, 3):
        raise ArspinError(f"seed rule 'twobo-reference' covers 2D and 3D lattices, not {d}D")
    position = 0
    for size in TWOBO_SIZES:
        for dim in (2, 3):
            if dim == 3 and size >= TWOBO_MAX_3D:
                continue
            if (size, dim) == (L, d):
                return position + index * n_lattice_edges(L, d)
            position += TWOBO_PER_SIZE * n_lattice_edges(size, dim)
    raise AssertionError("unreachable")


def build_ea_twobo_reference(L: int, d: int, index: int) -> IsingModel:
    """Instance ``index`` of the TwoBo reference's (L, d) EA set, replayed from RandomState(0)."""
    position = twobo_reference_position(L, d, index)
    i, j = lattice_edges(L, d)
    stream = np.random.RandomState(0)
    # Drawing in blocks of at most 2^20 bounds memory; the draws equal one long call.
    remaining = position
    while remaining:
        step = min(remaining, 1 << 20)
        stream.randint(0, 2, size=step)
        remaining -= step
    J = stream.randint(0, 2, size=i.size) * 2 - 1
    return IsingModel.from_edges(L**d, i, j, J,
                                 meta={"L": L, "dim": d, "stream_position": position})
