"""The Ising model with sparse couplings.

    H(x) = - sum_{i<j} J_ij x_i x_j - sum_i h_i x_i,     x_i in {-1, +1}

Couplings are stored once per bond as (i, j, J_ij) with i < j, never as a dense N x N
array, so models with 10^5 spins fit in memory. Energies are exact: they are computed in
float64 from a float64 CSR matrix (for +-1 couplings every partial sum is an integer and
float64 represents it exactly up to 2^53).

Spin index = autoregressive order. A different order is applied once with
:meth:`IsingModel.permuted`, so every downstream object (nets, frontiers) sees index order.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import scipy.sparse as sp


@dataclass(frozen=True, eq=False)
class IsingModel:
    """Sparse Ising model.

    Attributes:
        n: number of spins N.
        i, j: int64 arrays of shape (E,), one entry per bond, i < j, sorted by (i, j), unique.
        J: float64 array of shape (E,), coupling of each bond (zeros are dropped).
        h: float64 array of shape (N,), external fields.
    """

    n: int
    i: np.ndarray
    j: np.ndarray
    J: np.ndarray
    h: np.ndarray
    meta: dict = field(default_factory=dict)

    @classmethod
    def from_edges(cls, n: int, i, j, J, h=None, meta: dict | None = None) -> IsingModel:
        """Build from bond lists in any order and orientation.

        Bonds (i, j) and (j, i) are the same bond: their couplings are added. Self bonds are
        rejected (they only shift the energy by a constant). Zero couplings are dropped.
        """
        i = np.asarray(i, dtype=np.int64).ravel()
        j = np.asarray(j, dtype=np.int64).ravel()
        J = np.asarray(J, dtype=np.float64).ravel()
        if not (i.shape == j.shape == J.shape):
            raise ValueError(f"bond arrays differ in length: {i.shape}, {j.shape}, {J.shape}")
        if n < 1:
            raise ValueError(f"number of spins must be >= 1, got {n}")
        if i.size and (min(i.min(), j.min()) < 0 or max(i.max(), j.max()) >= n):
            raise ValueError(f"bond index out of range [0, {n})")
        if np.any(i == j):
            raise ValueError("self-coupling J_ii is not allowed")
        if not np.all(np.isfinite(J)):
            raise ValueError("couplings contain NaN or Inf")
        lo, hi = np.minimum(i, j), np.maximum(i, j)
        mat = sp.coo_matrix((J, (lo, hi)), shape=(n, n)).tocsr()  # sums duplicates
        mat.eliminate_zeros()
        coo = mat.tocoo()
        order = np.lexsort((coo.col, coo.row))
        h = np.zeros(n) if h is None else np.asarray(h, dtype=np.float64).ravel()
        if h.shape != (n,):
            raise ValueError(f"fields must have shape ({n},), got {h.shape}")
        if not np.all(np.isfinite(h)):
            raise ValueError("fields contain NaN or Inf")
        return cls(
            n=int(n),
            i=coo.row[order].astype(np.int64),
            j=coo.col[order].astype(np.int64),
            J=coo.data[order].astype(np.float64),
            h=h,
            meta=dict(meta or {}),
        )

    @classmethod
    def from_matrix(cls, mat, h=None, meta: dict | None = None) -> IsingModel:
        """Build from a square (dense or scipy sparse) coupling matrix in any triangle.

        The matrix is symmetrised as triu(J + J^T, 1), the TwoBo reference convention; the
        diagonal is ignored.
        """
        mat = sp.csr_matrix(mat, dtype=np.float64)
        if mat.shape[0] != mat.shape[1]:
            raise ValueError(f"coupling matrix must be square, got {mat.shape}")
        upper = sp.triu(mat + mat.T, k=1).tocoo()
        return cls.from_edges(mat.shape[0], upper.row, upper.col, upper.data, h, meta)

    # ----------------------------------------------------------------- structure
    @cached_property
    def digest(self) -> str:
        """SHA-256 hex of N, the couplings and the fields (spin order included): what a run
        records as ``instance_digest``, so a result can be checked against its instance."""
        digest = hashlib.sha256(f"n={self.n};".encode())
        for name, array, dtype in (("i", self.i, "<i8"), ("j", self.j, "<i8"),
                                   ("J", self.J, "<f8"), ("h", self.h, "<f8")):
            digest.update(f"{name}:".encode())
            digest.update(np.ascontiguousarray(array, dtype=dtype).tobytes())
        return digest.hexdigest()

    def curie_weiss(self) -> tuple[float, float] | None:
        """(J, h) when this is a Curie-Weiss model (every pair coupled with the same J/N, the
        same field on every spin; 1e-12 relative), else None. Structural, so an imported or
        hand-built instance qualifies as well as a generated one."""
        n = self.n
        if n < 2 or self.n_edges != n * (n - 1) // 2:
            return None
        couplings, fields = np.asarray(self.J, np.float64), np.asarray(self.h, np.float64)
        scale = max(float(np.max(np.abs(couplings))), float(np.max(np.abs(fields))), 1e-300)
        if np.ptp(couplings) > 1e-12 * scale or np.ptp(fields) > 1e-12 * scale:
            return None
        return float(couplings[0] * n), float(fields[0])

    @property
    def n_edges(self) -> int:
        return int(self.J.size)

    @cached_property
    def coupling_matrix(self) -> sp.csr_matrix:
        """Symmetric CSR matrix (N, N) float64 with J_ij = J_ji, zero diagonal."""
        sym = sp.coo_matrix(
            (np.concatenate([self.J, self.J]), (np.concatenate([self.i, self.j]),
                                                 np.concatenate([self.j, self.i]))),
            shape=(self.n, self.n),
        )
        return sym.tocsr()

    @cached_property
    def neighbours(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Neighbour lists in CSR form: (indptr (N+1,), indices (2E,), couplings (2E,)).

        The neighbours of spin k are indices[indptr[k]:indptr[k+1]], sorted ascending.
        """
        m = self.coupling_matrix
        m.sort_indices()
        return m.indptr.astype(np.int64), m.indices.astype(np.int64), m.data.copy()

    @cached_property
    def degrees(self) -> np.ndarray:
        """Number of bonds at each spin, int64 (N,)."""
        return np.bincount(np.concatenate([self.i, self.j]), minlength=self.n).astype(np.int64)

    @cached_property
    def first_neighbour(self) -> np.ndarray:
        """Smallest neighbour index of each spin, int64 (N,); N where a spin has no bond."""
        first = np.full(self.n, self.n, dtype=np.int64)
        np.minimum.at(first, self.j, self.i)  # i < j, so i is the smaller end of every bond
        return first

    def frontier(self) -> tuple[np.ndarray, np.ndarray]:
        """Frontier sets of physics.md section 5 for the index order.

        F_i = { l > i : J_sl != 0 for some s < i } -- the later spins on which the already
        sampled spins x_<i put a non-zero field xi_il. Spin l is in F_i exactly when
        first_neighbour(l) < i < l, so F_i is built from one interval per spin without any
        N x N array: memory O(sum_i |F_i|).

        Returns:
            (indptr (N+1,), indices (sum |F_i|,)) int64 CSR; F_i = indices[indptr[i]:indptr[i+1]],
            ascending. Spin i itself is not included (see :meth:`skip_mask`).
        """
        first = self.first_neighbour
        lo = first + 1                       # F_i contains l for i in [lo_l, l - 1]
        hi = np.arange(self.n, dtype=np.int64)
        count = np.maximum(hi - lo, 0)       # number of i having l in F_i
        ls = np.repeat(np.arange(self.n, dtype=np.int64), count)
        starts = np.repeat(lo, count)
        offsets = np.arange(ls.size, dtype=np.int64) - np.repeat(np.cumsum(count) - count, count)
        rows = starts + offsets
        order = np.lexsort((ls, rows))
        rows, ls = rows[order], ls[order]
        indptr = np.zeros(self.n + 1, dtype=np.int64)
        np.cumsum(np.bincount(rows, minlength=self.n), out=indptr[1:])
        return indptr, ls

    def frontier_sizes(self) -> np.ndarray:
        """|F_i| for each i, int64 (N,), computed without building the sets."""
        first = self.first_neighbour
        diff = np.zeros(self.n + 1, dtype=np.int64)
        lo = first + 1
        has = lo < np.arange(self.n)
        np.add.at(diff, lo[has], 1)
        np.add.at(diff, np.arange(self.n)[has], -1)
        return np.cumsum(diff)[: self.n]

    def skip_mask(self) -> np.ndarray:
        """bool (N,): spin i has an earlier neighbour, so xi_ii = sum_{s<i} J_si x_s can be != 0."""
        return self.first_neighbour < np.arange(self.n)

    def permuted(self, order) -> IsingModel:
        """The same model with spins relabelled: new spin k is old spin order[k]."""
        order = np.asarray(order, dtype=np.int64)
        if sorted(order.tolist()) != list(range(self.n)):
            raise ValueError("order must be a permutation of 0..N-1")
        new_of_old = np.empty(self.n, dtype=np.int64)
        new_of_old[order] = np.arange(self.n)
        return IsingModel.from_edges(
            self.n, new_of_old[self.i], new_of_old[self.j], self.J, self.h[order],
            meta={**self.meta, "order": order.tolist()},
        )

    # ----------------------------------------------------------------- physics
    def energy(self, x, chunk: int = 4096) -> np.ndarray:
        """Exact energies H(x).

        Args:
            x: spins +-1, shape (N,) or (B, N), any numeric dtype.
            chunk: configurations per block (bounds the float64 work array to chunk x N).
        Returns:
            float64 array (B,) (or a 0-d array for a single configuration).
        """
        x = np.asarray(x)
        single = x.ndim == 1
        x2 = np.atleast_2d(x)
        if x2.shape[1] != self.n:
            raise ValueError(f"configurations have {x2.shape[1]} spins, model has {self.n}")
        out = np.empty(x2.shape[0], dtype=np.float64)
        mat = self.coupling_matrix
        for start in range(0, x2.shape[0], chunk):
            xb = x2[start:start + chunk].astype(np.float64)
            # x^T J x counts each bond twice
            out[start:start + chunk] = -0.5 * np.einsum("bn,bn->b", xb, (mat @ xb.T).T) - xb @ self.h
        return out[0] if single else out

    def local_fields(self, x) -> np.ndarray:
        """Local fields sum_j J_ij x_j + h_i, float64 with the shape of x ((N,) or (B, N))."""
        x = np.asarray(x, dtype=np.float64)
        return (self.coupling_matrix @ x.T).T + self.h

    def is_dense(self) -> bool:
        """More than a quarter of all pairs coupled: dense algebra is cheaper than edge lists."""
        return self.n_edges > self.n * (self.n - 1) / 8
