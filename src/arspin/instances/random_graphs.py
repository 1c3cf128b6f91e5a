"""Spin glasses on random sparse graphs: rrg (+-J on a random regular graph) and sk_variant.

Draw order from the instance's ``rng`` (see :mod:`.seeding`):
1. one uint32 seed for the networkx graph generator;
2. the couplings, one per bond, bonds sorted by (i, j) with i < j (so the couplings do not
   depend on networkx's internal edge order; the graph itself does depend on the networkx
   version, which meta["versions"] records).

sk_variant (mpvan.md section 8.3): SK's Gaussian couplings kept only on a random support,
    support = random d-regular graph ("regular", default) or G(N, p = d/(N-1)) ("erdos_renyi"),
    J_ij ~ Normal(0, 1/N) ("1/N", default: the literal reading of deleting SK couplings)
           or Normal(0, 1/d) ("1/d": local fields stay O(1)).
Drawing a coupling only for the kept pairs has the same law as drawing all N(N-1)/2 and
deleting, without the O(N^2) memory.

rrg, seed rule 'twobo-reference' (the TwoBo paper's own RRG instances, all 60 published files
N = 32..1024, i = 0..9 rebuilt bit for bit; tests/test_instances.py):
    numpy.random.seed(i); graph = networkx.random_regular_graph(d, N, seed=i);
    J = numpy.random.randint(2, size=#edges) * 2 - 1 in graph.edges() order;
    spin index of a node = its POSITION in graph.nodes() (insertion order), not its label.
networkx 3.2.1 inserts nodes in the order the pairing algorithm first touches them, which gives
the labels locality (mean |i - j| / N = 0.25 instead of 1/3); later versions (3.6) insert
0..N-1 first and reproduce none of the files. The rule therefore needs networkx
:data:`TWOBO_NETWORKX` (the version requirements.lock pins) and refuses any other.
"""

from __future__ import annotations

import networkx as nx
import numpy as np

from arspin.errors import ArspinError
from arspin.hamiltonian import IsingModel
from arspin.instances.seeding import graph_seed

TWOBO_NETWORKX = "3.2.1"  # the networkx that wrote the TwoBo reference's RRG files


def _sorted_edges(graph: nx.Graph) -> tuple[np.ndarray, np.ndarray]:
    pairs = np.array(list(graph.edges()), dtype=np.int64).reshape(-1, 2)
    lo, hi = pairs.min(axis=1), pairs.max(axis=1)
    order = np.lexsort((hi, lo))
    return lo[order], hi[order]


def check_regular(n: int, degree: int) -> None:
    """Raise ArspinError unless a simple ``degree``-regular graph on ``n`` vertices exists."""
    if not 1 <= degree <= n - 1:
        raise ArspinError(f"option 'degree': must be in 1..N-1 = {n - 1}, got {degree}")
    if (n * degree) % 2:
        raise ArspinError(f"option 'degree': N * degree must be even, got N = {n}, "
                          f"degree = {degree}")


def random_regular_edges(n: int, degree: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Uniform random simple ``degree``-regular graph on n vertices, bonds sorted, i < j.

    Above half filling the complement of a random (n-1-degree)-regular graph is drawn instead
    (complementing maps the uniform law to the uniform law); networkx's pairing algorithm
    gets slow near the complete graph.
    """
    check_regular(n, degree)
    if degree <= (n - 1) // 2:
        return _sorted_edges(nx.random_regular_graph(degree, n, seed=seed))
    sparse = nx.random_regular_graph(n - 1 - degree, n, seed=seed)
    return _sorted_edges(nx.complement(sparse))


def build_rrg(n: int, rng: np.random.Generator, degree: int) -> IsingModel:
    """+-J spin glass (J = +-1 equiprobable, h = 0) on a random ``degree``-regular graph."""
    i, j = random_regular_edges(n, degree, graph_seed(rng))
    J = rng.integers(0, 2, size=i.size) * 2 - 1
    return IsingModel.from_edges(n, i, j, J)


def build_rrg_twobo_reference(n: int, index: int, degree: int) -> IsingModel:
    """Instance ``index`` of the TwoBo reference's RRG set at N = ``n`` (module docstring).

    The legacy global stream of ``numpy.random.seed(index)`` is replayed in a private
    ``RandomState(index)`` (same draws, global state untouched); networkx's own
    ``random.Random(index)`` draws the graph.

    Raises:
        ArspinError: N * degree odd or degree out of range, or networkx is not
            :data:`TWOBO_NETWORKX` (``bash scripts/setup.sh`` installs the pinned one).
    """
    check_regular(n, degree)
    if nx.__version__ != TWOBO_NETWORKX:
        raise ArspinError(
            f"seed_rule 'twobo-reference' for rrg needs networkx {TWOBO_NETWORKX} (the version "
            f"that wrote the reference's files; found {nx.__version__}): run scripts/setup.sh")
    graph = nx.random_regular_graph(degree, n, seed=index)
    signs = np.random.RandomState(index).randint(2, size=graph.number_of_edges()) * 2 - 1
    position = {node: k for k, node in enumerate(graph.nodes())}
    pairs = np.array([(position[u], position[v]) for u, v in graph.edges()],
                     dtype=np.int64).reshape(-1, 2)
    return IsingModel.from_edges(n, pairs[:, 0], pairs[:, 1], signs)


def build_sk_variant(n: int, rng: np.random.Generator, degree: int, variance: str,
                     deletion: str) -> IsingModel:
    """SK couplings on a random support of mean degree ``degree`` (module docstring)."""
    seed = graph_seed(rng)
    if deletion == "regular":
        i, j = random_regular_edges(n, degree, seed)
    elif deletion == "erdos_renyi":
        if not 1 <= degree <= n - 1:
            raise ArspinError(f"option 'degree': must be in 1..N-1 = {n - 1}, got {degree}")
        i, j = _sorted_edges(nx.fast_gnp_random_graph(n, degree / (n - 1), seed=seed))
    else:
        raise ArspinError(f"option 'deletion': expected 'regular' or 'erdos_renyi', got {deletion!r}")
    var = {"1/N": 1.0 / n, "1/d": 1.0 / degree}.get(variance)
    if var is None:
        raise ArspinError(f"option 'variance': expected '1/N' or '1/d', got {variance!r}")
    J = rng.normal(0.0, np.sqrt(var), size=i.size)
    return IsingModel.from_edges(n, i, j, J)
