"""Exact ground states: the max-cut integer program with cycle inequalities, solved by HiGHS.

Formulation. A field h_i is a bond (i, g, h_i) to a ghost spin g fixed at +1, so
H(x) = -sum_e w_e x_a x_b over the extended bond list. With z_v = (1 - x_v)/2 in {0, 1} and
y_e = 1 when bond e is cut (x_a != x_b), x_a x_b = 1 - 2 y_e and

    H = -sum_e w_e + 2 sum_e w_e y_e        (the HiGHS objective, offset included, IS H).

Linking rows, only the two that bind for the sign of w_e (the objective pushes y_e down when
w_e > 0 and up when w_e < 0, so the other two are never active):
    w_e > 0:  y_e >= z_a - z_b,  y_e >= z_b - z_a
    w_e < 0:  y_e <= z_a + z_b,  y_e <= 2 - z_a - z_b
For integer z the exact cut vector is feasible and no feasible y is cheaper, so the optimum is
the ground state; y stays continuous (HiGHS branches on z only).

Cycle inequalities (Barahona & Mahjoub 1986): a cut meets every cycle C in an even number of
bonds, so for every odd subset F of C
    sum_{e in F} y_e - sum_{e in C \\ F} y_e <= |F| - 1.
They are facets for chordless cycles and are what lets HiGHS close 2D lattices (without them
the LP bound is weak and the search stalls from L = 16 on). Two sources of such rows:
  1. static: all 2^(k-1) odd subsets of every triangle and every chordless 4-cycle (the
     plaquettes of square and cubic lattices; :func:`short_cycles`);
  2. separated: cutting-plane rounds on the LP relaxation before branching. Violated cycle
     inequalities of ANY length are found exactly (:func:`separate_cycles`, shortest paths in
     the doubled graph), so the long cycles of random regular graphs (girth ~ log2 N) and the
     winding cycles of periodic lattices enter only where they bind.
If the final LP point, rounded along a spanning tree (or the given start), reaches the LP bound,
it is optimal and branching is skipped; otherwise z becomes integer and HiGHS branches.

Symmetry: H is invariant under flipping all spins of a connected component that does not touch
the ghost, so one spin of each such component is fixed at +1 (z = 0).
"""

from __future__ import annotations

import ctypes
import itertools
import logging
import os
import sys
import time

import highspy
import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import breadth_first_order, connected_components, dijkstra

from arspin.baselines.best import (
    GroundState,
    energy_tolerance,
    has_integer_energies,
    proves_optimal,
    tighten_bound,
    verified_energy,
)
from arspin.hamiltonian import IsingModel

log = logging.getLogger("arspin")

DENSE_DEGREE = 8  # mean degree above which only triangles are static rows (lattices: 4 and 6)
_VIOLATION = 1e-3  # a separated row must cut the LP point by this much (avoids tailing off)
_BANNER_DONE = False


def new_highs() -> highspy.Highs:
    """A silent Highs instance.

    HiGHS prints a licence banner from C++ on file descriptor 1 when the first instance of a
    process is created; it is routed to stderr so that stdout stays clean for tables and JSON.
    """
    global _BANNER_DONE
    if _BANNER_DONE:
        h = highspy.Highs()
    else:
        sys.stdout.flush()
        saved = os.dup(1)
        try:
            os.dup2(2, 1)
            h = highspy.Highs()
            ctypes.CDLL(None).fflush(None)  # C stdio buffers the banner: flush before restoring
        finally:
            os.dup2(saved, 1)
            os.close(saved)
        _BANNER_DONE = True
    h.setOptionValue("output_flag", False)
    return h


def extended_bonds(model: IsingModel) -> tuple[int, np.ndarray, np.ndarray, np.ndarray, int]:
    """Bonds of the model plus one bond to a ghost spin per non-zero field.

    Returns:
        (n_ext, a (E',), b (E',), w (E',), ghost): a < b, ghost = N when any field is non-zero
        (then n_ext = N + 1), else ghost = -1 and n_ext = N.
    """
    a, b, w = model.i, model.j, model.J
    nz = np.flatnonzero(model.h)
    if nz.size == 0:
        return model.n, a.copy(), b.copy(), w.copy(), -1
    ghost = model.n
    return (model.n + 1, np.concatenate([a, nz]), np.concatenate([b, np.full(nz.size, ghost)]),
            np.concatenate([w, model.h[nz]]), ghost)


def short_cycles(n: int, a: np.ndarray, b: np.ndarray, dense: bool = False) -> list[tuple[int, ...]]:
    """All triangles and all chordless 4-cycles, each as a sorted tuple of bond indices.

    Args:
        n: number of vertices; a, b: bond end points (E,).
        dense: triangles only (in a dense graph every 4-cycle has a chord, and the triangle
            inequalities imply the inequalities of cycles with chords).
    """
    nbr: list[dict[int, int]] = [{} for _ in range(n)]
    for e, (u, v) in enumerate(zip(a.tolist(), b.tolist())):
        nbr[u][v] = e
        nbr[v][u] = e
    found: set[tuple[int, ...]] = set()
    for u in range(n):
        for v in nbr[u]:
            if v <= u:
                continue
            for t in nbr[u].keys() & nbr[v].keys():
                if t > v:
                    found.add(tuple(sorted((nbr[u][v], nbr[v][t], nbr[u][t]))))
    if dense:
        return sorted(found)
    # 4-cycles u-v-t-s, u the smallest vertex; chords u-t and v-s excluded
    for u in range(n):
        for v in nbr[u]:
            if v < u:
                continue
            for t in nbr[v]:
                if t <= u or t in nbr[u]:
                    continue
                for s in nbr[t].keys() & nbr[u].keys():
                    if s > v and s not in nbr[v]:
                        found.add(tuple(sorted((nbr[u][v], nbr[v][t], nbr[t][s], nbr[s][u]))))
    return sorted(found)


def odd_subset_rows(cycles: list[tuple[int, ...]], n_cols: int,
                    y0: int) -> tuple[sp.csr_matrix, np.ndarray]:
    """Rows of all odd subsets of the given cycles.

    Returns:
        (A (R, n_cols) with entries on columns y0 + bond, upper bounds (R,)); R = sum 2^(k-1).
    """
    rows, cols, vals, ub = [], [], [], []
    r = 0
    by_len: dict[int, list[tuple[int, ...]]] = {}
    for c in cycles:
        by_len.setdefault(len(c), []).append(c)
    for k, group in sorted(by_len.items()):
        masks = np.array([m for m in range(1 << k) if m.bit_count() % 2 == 1], dtype=np.int64)
        bits = (masks[:, None] >> np.arange(k)) & 1                     # (2^(k-1), k)
        edges = np.asarray(group, dtype=np.int64)                       # (C, k)
        n_rows = edges.shape[0] * masks.size
        rows.append(np.repeat(np.arange(r, r + n_rows), k))
        cols.append(np.repeat(edges, masks.size, axis=0).ravel() + y0)
        vals.append(np.tile(2.0 * bits - 1.0, (edges.shape[0], 1)).ravel())
        ub.append(np.tile(bits.sum(1) - 1.0, edges.shape[0]))
        r += n_rows
    if not rows:
        return sp.csr_matrix((0, n_cols)), np.zeros(0)
    mat = sp.csr_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
                        shape=(r, n_cols))
    return mat, np.concatenate(ub)


def separate_cycles(n: int, a: np.ndarray, b: np.ndarray, y: np.ndarray,
                    max_cuts: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Violated cycle inequalities at an LP point, by shortest paths in the doubled graph.

    The inequality of (C, F) reads sum_{F} (1 - y_e) + sum_{C\\F} y_e >= 1. In the graph with
    two copies (v, 0), (v, 1) of each vertex, bond e joins equal copies with length y_e and
    opposite copies with length 1 - y_e; a path (v, 0) -> (v, 1) switches copies an odd number
    of times, so a simple one shorter than 1 is a violated inequality with F = its switching
    bonds (Barahona & Mahjoub 1986). Exact: every violated inequality has such a path.

    Args:
        n: vertices; a, b: bond end points (E,); y: LP values of the cut variables (E,).
        max_cuts: at most this many, the most violated first.
    Returns:
        list of (bond indices (k,), in_F bool (k,)) for simple violated cycles, distinct.
    """
    y = np.clip(y, 0.0, 1.0)
    eps = 1e-9  # scipy's graph routines drop explicit zeros: keep zero lengths as edges
    same, cross = y + eps, 1.0 - y + eps
    src = np.concatenate([a, a + n, a, a + n])
    dst = np.concatenate([b, b + n, b + n, b])
    length = np.concatenate([same, same, cross, cross])
    graph = sp.csr_matrix((length, (src, dst)), shape=(2 * n, 2 * n))
    dist, pred = dijkstra(graph, directed=False, indices=np.arange(n), return_predecessors=True)
    gap = dist[np.arange(n), np.arange(n) + n]
    edge_of = {(int(u), int(v)): e for e, (u, v) in enumerate(zip(a, b))}
    cuts, seen = [], set()
    for v in np.argsort(gap):
        if gap[v] >= 1.0 - _VIOLATION or len(cuts) >= max_cuts:
            break
        path, node = [int(v) + n], int(v) + n
        while node != v:
            node = int(pred[v, node])
            path.append(node)
        base = [p % n for p in path]
        if len(set(base[:-1])) != len(base) - 1:  # walk revisits a vertex: not a simple cycle
            continue
        bonds = np.array([edge_of[(min(p % n, q % n), max(p % n, q % n))]
                          for p, q in itertools.pairwise(path)])
        in_f = np.array([(p >= n) != (q >= n) for p, q in itertools.pairwise(path)])
        key = tuple(sorted(zip(bonds.tolist(), in_f.tolist())))
        if key not in seen:
            seen.add(key)
            cuts.append((bonds, in_f))
    return cuts


def _linking_rows(a, b, w, y0: int) -> tuple[sp.csr_matrix, np.ndarray, np.ndarray]:
    """The two sign-relevant linking rows per bond: (A (2E, y0 + E), lower, upper)."""
    n_e = w.size
    pos, neg = np.flatnonzero(w > 0), np.flatnonzero(w < 0)
    r_idx, c_idx, vals = [], [], []
    lo, up = np.full(2 * n_e, -np.inf), np.full(2 * n_e, np.inf)
    for k, (ca, cb) in enumerate(((-1.0, 1.0), (1.0, -1.0))):  # y_e -+ (z_a - z_b) >= 0
        rows = 2 * pos + k
        r_idx += [rows] * 3
        c_idx += [y0 + pos, a[pos], b[pos]]
        vals += [np.ones(pos.size), np.full(pos.size, ca), np.full(pos.size, cb)]
        lo[rows] = 0.0
    for k, (sign, rhs) in enumerate(((-1.0, 0.0), (1.0, 2.0))):  # y_e -+ (z_a + z_b) <= 0 | 2
        rows = 2 * neg + k
        r_idx += [rows] * 3
        c_idx += [y0 + neg, a[neg], b[neg]]
        vals += [np.ones(neg.size), np.full(neg.size, sign), np.full(neg.size, sign)]
        up[rows] = rhs
    mat = sp.csr_matrix((np.concatenate(vals), (np.concatenate(r_idx), np.concatenate(c_idx))),
                        shape=(2 * n_e, y0 + n_e))
    return mat, lo, up


def solve_ilp(model: IsingModel, time_limit: float = 60.0, threads: int = 1,
              initial: np.ndarray | None = None, cycles: bool = True, static_rows: bool = True,
              separation_rounds: int = 100, separation_share: float = 0.5) -> GroundState:
    """Ground state of any IsingModel (fields allowed) by branch and cut in HiGHS.

    Args:
        model: the instance.
        time_limit: wall-time budget in seconds for the whole call (separation + branching).
        threads: HiGHS threads.
        initial: optional (N,) +-1 start configuration (e.g. from annealing); otherwise all +1.
        cycles: use cycle inequalities (False: the plain linking formulation, for comparison).
        static_rows: add the triangle / 4-cycle rows up front (False: separation only).
        separation_rounds: maximum LP rounds of cycle separation before branching.
        separation_share: fraction of the time budget the separation rounds may use.
    Returns:
        GroundState, method "ilp": energy recomputed from the configuration, bound = HiGHS's
        dual bound on H, proven_optimal from the solver status and the bound; info holds the
        HiGHS status, gap, wall time, node count, model size and separation statistics.
    Raises:
        EnergyMismatch: H(configuration) disagrees with the objective of a proven optimum.
    """
    t_start = time.perf_counter()
    n_ext, a, b, w, ghost = extended_bonds(model)
    n_e, y0 = w.size, n_ext  # columns: z_0..z_{n_ext-1}, then y_0..y_{E'-1}
    n_cols = y0 + n_e
    link, row_lo, row_up = _linking_rows(a, b, w, y0)
    dense = 2 * n_e > DENSE_DEGREE * n_ext
    static = short_cycles(n_ext, a, b, dense=dense) if cycles and static_rows else []
    cmat, cub = odd_subset_rows(static, n_cols, y0)
    mat = sp.vstack([link, cmat]).tocsr()
    row_lo = np.concatenate([row_lo, np.full(cub.size, -np.inf)])
    row_up = np.concatenate([row_up, cub])

    col_up = np.ones(n_cols)
    _, label = connected_components(sp.coo_matrix((np.ones(n_e), (a, b)), shape=(n_ext, n_ext)),
                                    directed=False)
    _, fixed = np.unique(label, return_index=True)
    if ghost >= 0:  # the ghost (+1) already fixes the gauge of its component
        fixed = np.append(fixed[label[fixed] != label[ghost]], ghost)
    col_up[fixed] = 0.0

    h = new_highs()
    h.setOptionValue("threads", int(threads))
    deadline = t_start + time_limit

    def stop_at_deadline(event) -> None:
        # HiGHS checks its own time_limit only at some points; this guard is checked at every
        # interrupt point of simplex and branch and bound, so the wall-time limit holds
        if time.perf_counter() > deadline:
            event.interrupt()

    for hook in (h.cbSimplexInterrupt, h.cbIpmInterrupt, h.cbMipInterrupt):
        hook.subscribe(stop_at_deadline)
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = n_cols, mat.shape[0]
    lp.col_cost_ = np.concatenate([np.zeros(n_ext), 2.0 * w])
    lp.col_lower_, lp.col_upper_ = np.zeros(n_cols), col_up
    lp.row_lower_, lp.row_upper_ = row_lo, row_up
    lp.offset_ = -float(w.sum())
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.start_ = mat.indptr.astype(np.int32)
    lp.a_matrix_.index_ = mat.indices.astype(np.int32)
    lp.a_matrix_.value_ = mat.data
    h.passModel(lp)

    rounds, n_separated, lp_bound, y = 0, 0, -np.inf, None
    budget = separation_share * time_limit
    while cycles and rounds < separation_rounds and time.perf_counter() - t_start < budget:
        h.setOptionValue("time_limit", max(budget - (time.perf_counter() - t_start), 1e-3))
        h.run()
        if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            break
        rounds += 1
        lp_bound = float(h.getInfo().objective_function_value)
        y = np.asarray(h.getSolution().col_value)[y0:]
        cuts = separate_cycles(n_ext, a, b, y, max_cuts=max(n_ext, 16))
        if not cuts:
            break
        n_separated += len(cuts)
        _add_cycle_rows(h, cuts, y0)
    log.debug("separation: %d LP rounds, %d cycle rows, LP bound %.6g", rounds, n_separated,
              lp_bound)
    integral = has_integer_energies(model)
    stats = {"separation_rounds": rounds, "separated_rows": n_separated, "lp_bound": lp_bound,
             "static_cycles": len(static), "n_cols": n_cols, "threads": int(threads),
             "time_limit": float(time_limit)}
    start = np.ones(model.n, dtype=np.int8) if initial is None else np.asarray(initial)
    start = _gauge(start, label, fixed, model.n)
    if y is not None:
        # the cutting-plane LP is often tight: if its rounding (or the given start) reaches the
        # LP bound, that is a proof and branching is skipped
        rounded = round_cut(n_ext, a, b, y, fixed, model.n)
        if float(model.energy(rounded)) < float(model.energy(start)):
            start = rounded
        e_start = float(model.energy(start))
        if proves_optimal(model, e_start, lp_bound):
            return GroundState(
                energy=e_start, configuration=start.astype(np.int8),
                bound=min(tighten_bound(model, lp_bound), e_start),
                proven_optimal=True, method="ilp",
                info={"status": "Optimal (cutting-plane LP)", "objective": lp_bound, "gap": 0.0,
                      "nodes": 0, "seconds": time.perf_counter() - t_start, "mip_seconds": 0.0,
                      "n_rows": int(h.getNumRow()), **stats})

    h.changeColsIntegrality(n_ext, np.arange(n_ext, dtype=np.int32),
                            np.full(n_ext, highspy.HighsVarType.kInteger.value, dtype=np.uint8))
    h.setOptionValue("mip_rel_gap", 0.0)
    # integer energies: with a gap below 1 HiGHS's incumbent is optimal and its objective must
    # equal H(x) exactly (checked in _result); otherwise ask for ~exactness
    h.setOptionValue("mip_abs_gap", 0.5 if integral else energy_tolerance(model))
    z0 = np.concatenate([(1.0 - start) / 2.0, np.zeros(n_ext - model.n)])
    sol = highspy.HighsSolution()
    sol.col_value = np.concatenate([z0, (z0[a] != z0[b]).astype(np.float64)]).tolist()
    h.setSolution(sol)
    remaining = time_limit - (time.perf_counter() - t_start)
    h.setOptionValue("time_limit", max(remaining, 1e-3))
    t_mip = time.perf_counter()
    h.run()
    seconds = time.perf_counter() - t_start
    return _result(model, h, y0, n_e, {
        "seconds": seconds, "mip_seconds": time.perf_counter() - t_mip,
        "n_rows": int(h.getNumRow()), **stats})


def _gauge(x: np.ndarray, label: np.ndarray, fixed: np.ndarray, n_spins: int) -> np.ndarray:
    """x with whole components flipped so that every fixed vertex is +1 (H is unchanged:
    the ghost's component is never flipped, the others have no field)."""
    x_ext = np.append(np.asarray(x, dtype=np.int8), np.ones(label.size - n_spins, np.int8))
    sign = np.ones(label.max() + 1, dtype=np.int8)
    sign[label[fixed]] = x_ext[fixed]
    return (x_ext * sign[label])[:n_spins]


def round_cut(n: int, a: np.ndarray, b: np.ndarray, y: np.ndarray, roots: np.ndarray,
              n_spins: int) -> np.ndarray:
    """Spins from (fractional) cut values along a breadth-first spanning forest.

    Each root is +1 (a ghost root thus keeps its meaning); a tree bond with y_e > 1/2 is cut.
    When y is the cut vector of some configuration, that configuration is returned exactly.

    Returns:
        int8 (n_spins,) +-1 (the first n_spins vertices; the ghost, if any, is dropped).
    """
    graph = sp.csr_matrix((np.arange(1, a.size + 1, dtype=np.float64), (a, b)), shape=(n, n))
    graph = (graph + graph.T).tocsr()  # value = bond index + 1, both directions
    x = np.ones(n, dtype=np.int8)
    for root in roots:
        order, pred = breadth_first_order(graph, int(root), directed=False)
        for v in order[1:]:
            e = int(graph[pred[v], v]) - 1
            x[v] = -x[pred[v]] if y[e] > 0.5 else x[pred[v]]
    return x[:n_spins]


def _add_cycle_rows(h: highspy.Highs, cuts: list[tuple[np.ndarray, np.ndarray]], y0: int) -> None:
    starts = np.cumsum([0] + [c[0].size for c in cuts[:-1]]).astype(np.int32)
    index = np.concatenate([c[0] for c in cuts]).astype(np.int32) + y0
    value = np.concatenate([np.where(c[1], 1.0, -1.0) for c in cuts])
    upper = np.array([c[1].sum() - 1.0 for c in cuts])
    h.addRows(len(cuts), np.full(len(cuts), -highspy.kHighsInf), upper, index.size, starts,
              index, value)


def _result(model: IsingModel, h: highspy.Highs, y0: int, n_e: int, info: dict) -> GroundState:
    """Read the HiGHS outcome, verify the energy and package it."""
    status = h.getModelStatus()
    hinfo = h.getInfo()
    values = np.asarray(h.getSolution().col_value)
    if values.size != y0 + n_e:
        raise RuntimeError(f"HiGHS returned no solution (status {h.modelStatusToString(status)})")
    x = (1 - 2 * np.rint(values[:model.n])).astype(np.int8)
    objective = float(hinfo.objective_function_value)
    slack = 1e4  # y carries HiGHS's 1e-6 feasibility tolerance: objective error <= 2e-6 sum|w|
    energy, x = verified_energy(model, x, None, "HiGHS")
    # a cut vector y above the true cut only overstates H, so H(x) <= objective always holds
    if energy > objective + slack * energy_tolerance(model):
        verified_energy(model, x, objective, "HiGHS incumbent", slack)
    optimal = status == highspy.HighsModelStatus.kOptimal
    status_text = h.modelStatusToString(status)
    if status == highspy.HighsModelStatus.kInterrupt:  # only our deadline guard interrupts
        status_text = "Time limit reached"
    if optimal:  # at a proven optimum y is the exact cut vector: H(x) equals the objective
        verified_energy(model, x, objective, "HiGHS optimum", slack)
    # the cutting-plane LP bound is valid too and can be the better one when the time limit
    # stops HiGHS before its root LP is solved
    bound = tighten_bound(model, max(float(hinfo.mip_dual_bound), info["lp_bound"]))
    bound = min(bound, energy) if np.isfinite(bound) else -np.inf
    # a valid bound that reaches the energy is a proof whatever stopped HiGHS; for real-valued
    # couplings HiGHS's own optimality (gap within the tolerance) is accepted as well
    proven = proves_optimal(model, energy, bound) or (optimal and not has_integer_energies(model))
    return GroundState(
        energy=energy, configuration=x, bound=bound,
        proven_optimal=proven, method="ilp",
        info={"status": status_text, "objective": objective,
              "gap": float(hinfo.mip_gap), "nodes": int(hinfo.mip_node_count), **info})
