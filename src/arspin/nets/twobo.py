"""TwoBo: the two-body ARNN of physics.md section 5, with sparse cost.

    xi_il   = sum_{s<i} J_sl x_s                           (fixed first layer, weights J)
    logit_i = w_i0 beta_s (xi_ii + h_i) + sum_{l in F_i} w_il xi_il + b_i + g_i(xi_{i,F_i})

beta_s = beta (use_beta_skip, default) or 1. Every site has its own weights (no sharing).
g_i is an optional per-site MLP: u = W1_i^T xi_{i,F_i} + b1_i, then act, [act(W^T a + b)]...,
then a final linear map to one number (no bias: b_i already is one).

How it is computed. Everything up to the first nonlinearity is linear in x_<i, so the fixed
layer J and the trainable first layer are composed once per call into a sparse strictly lower
triangular map, z_i = c_i + sum_{s<i} A_is x_s with z_i in R^M (M = 1 + first hidden width):
    A_is = sum_{l in F_i + {i}, J_sl != 0} W'_il J_sl,
one term per (site, frontier spin, earlier neighbour) triple, built as a segment sum over
index tables fixed at construction (numpy). A_is != 0 only for s in the backward frontier of
i (s < i with a neighbour >= i). Sites are grouped in blocks of K consecutive sites; the
spins a block reads from earlier blocks live in P "slots" (rows), assigned once by interval
colouring so that P is the largest number of spins alive at a time (~ max_i |F_i| + 1 on
lattices, where max and mean |F_i| nearly agree).
  * log_prob: two batched products over all blocks (slot contents gathered from x, and the
    K x K in-block part): O(B N (P + K) M) time, O(B N P / K) memory.
  * sample: a scan over blocks; one (K M, P) @ (P, B) product per block, then the K sites one
    by one (kernel.sample_block), then K row copies into the slots. O(B N (P + K) M) work in
    N sequential steps; for M = 1 this is O(B (sum_i |F_i| + N K)).
The dense formulation of the reference (dense_twobo.py) costs O(B N^2 max|F_i|).
The block size K changes only the float32 summation order, not the distribution.

Difference from the reference code: a site i with no earlier neighbour has xi_ii = 0; the
reference puts its skip weight (initialised at 2, and multiplied by beta) on the first
frontier field instead. Here such a site has no skip weight at all (unless h_i != 0, when
beta h_i still needs one). See docs/nets.md.
"""

from __future__ import annotations

import heapq
import itertools
import math
from collections.abc import Sequence

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from arspin.hamiltonian import IsingModel
from arspin.nets.kernel import (
    ACTIVATIONS,
    F32,
    Params,
    logistic_noise,
    sample_block,
    skip_sites,
    sum_log_sigmoid,
    truncated_normals,
    two_body_param_count,
)


def _pad_rows(a: jax.Array, rows: int) -> jax.Array:
    """a with zero rows appended up to ``rows`` (the last block's padding sites)."""
    if a.shape[0] == rows:
        return a
    return jnp.concatenate([a, jnp.zeros((rows - a.shape[0],) + a.shape[1:], a.dtype)])


class TwoBo:
    """Sparse TwoBo net (see the module docstring); implements nets.base.AutoregressiveNet.

    Hyperparameter ranges (hidden widths and block >= 1, the activation's name) are checked
    by the registry (nets/registry.py, ``build_net``), not here.
    """

    def __init__(self, model: IsingModel, *, hidden: Sequence[int] = (), use_beta_skip: bool = True,
                 skip_init: float = 2.0, init_scale: float = 1e-2, activation: str = "gelu",
                 block: int = 32):
        hidden = [int(h) for h in hidden]
        n = model.n
        self.n, self.hidden, self.use_beta_skip = n, hidden, bool(use_beta_skip)
        self.skip_init, self.init_scale = float(skip_init), float(init_scale)
        self.act = ACTIVATIONS[activation]
        self.block = int(min(block, n))
        self.n_out = 1 + (hidden[0] if hidden else 0)      # M: outputs of the linear part

        indptr, front = model.frontier()
        sizes = np.diff(indptr)
        self.fmax = max(int(sizes.max(initial=0)), 1)
        row = np.repeat(np.arange(n), sizes)
        col = np.arange(front.size) - np.repeat(indptr[:-1], sizes)
        index = np.full((n, self.fmax), -1, np.int64)
        index[row, col] = front
        self.frontier_index = index                    # (N, Fmax) F_i ascending, -1 = padding
        self.frontier_sizes = sizes
        self.has_skip = skip_sites(model)
        self._mask_w = jnp.asarray(index >= 0, F32)
        self._mask_skip = jnp.asarray(self.has_skip, F32)
        self._h = jnp.asarray(model.h, F32)
        self._build_tables(model, row, col, front)
        self._init_jit = jax.jit(self._init)
        self._n_params = self.param_count(model, hidden=hidden)

    # ----------------------------------------------------------------- index tables
    def _build_tables(self, model: IsingModel, row, col, front) -> None:
        n, k = self.n, self.block
        nip, nind, njj = model.neighbours
        # (site t, column f of W' = [skip | frontier weights], field spin l) pairs
        t_p = np.concatenate([np.arange(n), row])
        f_p = np.concatenate([np.zeros(n, np.int64), col + 1])
        l_p = np.concatenate([np.arange(n), front])
        # earlier-than-t neighbours of l: a prefix of l's sorted neighbour list
        keys = np.repeat(np.arange(n), np.diff(nip)) * (n + 1) + nind
        cnt = np.searchsorted(keys, l_p * (n + 1) + t_p) - nip[l_p]
        rep = np.repeat(np.arange(t_p.size), cnt)
        edge = nip[l_p[rep]] + np.arange(rep.size) - np.repeat(np.cumsum(cnt) - cnt, cnt)
        t, f, s, jv = t_p[rep], f_p[rep], nind[edge], njj[edge]
        blk = t // k
        inside = s >= blk * k
        n_blocks = -(-n // k)
        n_pad = n_blocks * k
        slot, self.n_slots, last_read = self._assign_slots(s[~inside], blk[~inside])
        # occupant[b, p]: the spin in slot p while block b reads (spin 0, with weight 0, if none)
        occupant = np.zeros((n_blocks, self.n_slots), np.int64)
        spins = np.nonzero(slot < self.n_slots - 1)[0]
        first_read = spins // k + 1
        reps = last_read[spins] - first_read + 1
        readers = np.repeat(first_read, reps) + np.arange(reps.sum()) - np.repeat(
            np.cumsum(reps) - reps, reps)
        occupant[readers, np.repeat(slot[spins], reps)] = np.repeat(spins, reps)
        slot_of_site = np.full(n_pad, self.n_slots - 1, np.int64)
        slot_of_site[:n] = slot
        dest = np.where(inside, n_pad * self.n_slots + t * k + (s - blk * k),
                        t * self.n_slots + slot[s])
        order = np.argsort(dest, kind="stable")
        self.n_blocks, self.n_pad = n_blocks, n_pad
        self._occupant = jnp.asarray(occupant, jnp.int32)
        self._slot_of_site = jnp.asarray(slot_of_site.reshape(n_blocks, k), jnp.int32)
        self._src = jnp.asarray((t * (self.fmax + 1) + f)[order], jnp.int32)
        self._dest = jnp.asarray(dest[order], jnp.int32)
        self._coupling = jnp.asarray(jv[order], F32)
        self.n_triples = int(t.size)

    def _assign_slots(self, s_read: np.ndarray, b_read: np.ndarray
                      ) -> tuple[np.ndarray, int, np.ndarray]:
        """Rows of the sampler's state: spin s needs one from its own block until the last
        block that reads it (b_read: blocks reading spin s_read, from outside). A block reads
        all rows before it writes its own spins, so a row is free again for spins of the last
        reading block. Greedy colouring in write order uses the minimum number of rows, the
        largest number of spins alive at once (the widest backward frontier, + 1 on lattices).

        Returns:
            slot (N,) int64 (spins never read from a later block share the last, dummy row),
            the number of rows including the dummy one, and the last reading block per spin
            (-1: none).
        """
        n, k = self.n, self.block
        last = np.full(n, -1, np.int64)
        np.maximum.at(last, s_read, b_read)
        slot = np.full(n, -1, np.int64)
        free: list[int] = []
        busy: list[tuple[int, int]] = []
        n_rows = 0
        for spin in np.nonzero(last > np.arange(n) // k)[0]:
            while busy and busy[0][0] <= spin // k:
                heapq.heappush(free, heapq.heappop(busy)[1])
            if free:
                row = heapq.heappop(free)
            else:
                row, n_rows = n_rows, n_rows + 1
            slot[spin] = row
            heapq.heappush(busy, (int(last[spin]), row))
        slot[slot < 0] = n_rows
        return slot, n_rows + 1, last

    # ----------------------------------------------------------------- params
    def init(self, key: jax.Array) -> Params:
        """Initial parameters (float32 pytree); compiled once per net."""
        return self._init_jit(key)

    def _init(self, key: jax.Array) -> Params:
        """(init_scale/sqrt(N)) x truncated-normal(-2, 2) everywhere, +skip_init on the skip;
        the per-site MLP's inner layers at 1/sqrt(fan_in) (its first layer: 1/sqrt(|F_i|))."""
        n, fm, widths = self.n, self.fmax, self.hidden
        small = self.init_scale / math.sqrt(n)
        specs = [((n,), small), ((n,), small), ((n, fm), small)]
        if widths:
            specs += [((n, fm, widths[0]), 1.0), ((n, widths[0]), 1.0)]
            for h_in, h_out in itertools.pairwise(widths):
                specs += [((n, h_in, h_out), 1 / math.sqrt(h_in)), ((n, h_out), 1 / math.sqrt(h_in))]
            specs += [((n, widths[-1]), small)]
        draws = truncated_normals(key, specs)
        params = {"bias": draws[0],
                  "skip": (draws[1] + F32(self.skip_init)) * self._mask_skip,
                  "w": draws[2] * self._mask_w}
        if widths:
            fan = jnp.asarray(1.0 / np.sqrt(np.maximum(self.frontier_sizes, 1)), F32)
            layers = draws[5:-1]
            params["hidden"] = {
                "w1": draws[3] * fan[:, None, None] * self._mask_w[:, :, None],
                "b1": draws[4] * fan[:, None],
                "layers": [{"W": wl, "b": bl} for wl, bl in zip(layers[::2], layers[1::2])],
                "out": draws[-1]}
        return params

    @classmethod
    def param_count(cls, model: IsingModel, *, hidden: Sequence[int] = (), **_: object) -> int:
        """Trainable parameters in closed form, no init: the single layer's
        N + #skip sites + sum_i |F_i| (kernel.two_body_param_count), plus the per-site MLPs
        (first layer on the frontier fields only). Other hyperparameters do not change it."""
        widths = [int(h) for h in hidden]
        count = two_body_param_count(model)
        if widths:
            n, f_total = model.n, int(model.frontier_sizes().sum())
            count += f_total * widths[0] + n * widths[0]
            count += sum(n * (a * b + b) for a, b in itertools.pairwise(widths))
            count += n * widths[-1]
        return count

    def n_params(self, params: Params) -> int:
        """Trainable parameters: :meth:`param_count` of this net's model and widths."""
        return self._n_params

    def trainable_mask(self, params: Params) -> Params:
        """Pytree of bool arrays like ``params``: True where an entry is trainable (False:
        frontier padding, and the skip weight of a site without skip field)."""
        mask = jax.tree_util.tree_map(lambda leaf: jnp.ones(leaf.shape, bool), params)
        mask["skip"] = self._mask_skip > 0
        mask["w"] = self._mask_w > 0
        if self.hidden:
            mask["hidden"]["w1"] = jnp.broadcast_to(self._mask_w[:, :, None] > 0,
                                                    params["hidden"]["w1"].shape)
        return mask

    # ----------------------------------------------------------------- first layer
    def first_layer(self, params: Params, beta: jax.Array
                    ) -> tuple[jax.Array, jax.Array, jax.Array]:
        """The composed linear map z = c + A x, in block layout.

        Returns:
            c (N_pad, M), A_out (n_blocks, K, M, P) acting on the gathered earlier spins,
            A_in (n_blocks, K, M, K) acting on the block's own spins (strictly lower).
        """
        beta_s = jnp.asarray(beta, F32) if self.use_beta_skip else F32(1.0)
        skip = params["skip"] * self._mask_skip * beta_s
        w = jnp.concatenate([skip[:, None], params["w"]], axis=1)[:, :, None]
        c = (params["bias"] + skip * self._h)[:, None]
        if self.hidden:
            w1 = params["hidden"]["w1"]
            w1 = jnp.concatenate([jnp.zeros((self.n, 1, w1.shape[2]), F32), w1], axis=1)
            w = jnp.concatenate([w, w1], axis=2)
            c = jnp.concatenate([c, params["hidden"]["b1"]], axis=1)
        m, k, p, nb = self.n_out, self.block, self.n_slots, self.n_blocks
        vals = w.reshape(-1, m)[self._src] * self._coupling[:, None]
        a = jax.ops.segment_sum(vals, self._dest, self.n_pad * (p + k), indices_are_sorted=True)
        a_out = a[: self.n_pad * p].reshape(nb, k, p, m).transpose(0, 1, 3, 2)
        a_in = a[self.n_pad * p:].reshape(nb, k, k, m).transpose(0, 1, 3, 2)
        return _pad_rows(c, self.n_pad), a_out, a_in

    def site_head(self, params: Params, z: jax.Array) -> jax.Array:
        """logit from the linear outputs of one site: z (M, B) -> (B,). params: one site's."""
        if not self.hidden:
            return z[0]
        a = self.act(z[1:])
        for layer in params["layers"]:
            a = self.act(layer["W"].T @ a + layer["b"][:, None])
        return z[0] + params["out"] @ a

    def _head_params(self, params: Params) -> Params:
        """Per-site MLP parameters after the first layer (leading axis: site)."""
        hp = params["hidden"]
        return {"layers": hp["layers"], "out": hp["out"]}

    # ----------------------------------------------------------------- forward
    def logits_t(self, params: Params, xt: jax.Array, beta: jax.Array) -> jax.Array:
        """Teacher-forced logits in site-major layout: xt (N, B) -> (N, B)."""
        c, a_out, a_in = self.first_layer(params, beta)
        nb, k, m = self.n_blocks, self.block, self.n_out
        batch = xt.shape[1]
        gathered = jnp.take(xt, self._occupant, axis=0, mode="clip")   # (nb, P, B)
        xt = _pad_rows(xt, self.n_pad)
        z = (jnp.einsum("krmp,kpb->krmb", a_out, gathered)
             + jnp.einsum("krms,ksb->krmb", a_in, xt.reshape(nb, k, batch))
             + c.reshape(nb, k, m)[..., None])
        z = z.reshape(self.n_pad, m, batch)[: self.n]
        if not self.hidden:
            return z[:, 0]
        return jax.vmap(self.site_head)(self._head_params(params), z)

    def logits(self, params: Params, x: jax.Array, beta: jax.Array) -> jax.Array:
        """Teacher-forced logits (B, N) of q(x_i = +1 | x_<i)."""
        return self.logits_t(params, jnp.asarray(x, F32).T, beta).T

    def log_prob(self, params: Params, x: jax.Array, beta: jax.Array) -> jax.Array:
        # site-major inside; in a train step XLA cancels this transpose with sample's
        xt = jnp.asarray(x, F32).T
        return sum_log_sigmoid(xt, self.logits_t(params, xt, beta), axis=0)

    def sample(self, params: Params, key: jax.Array, batch: int, beta: jax.Array
               ) -> tuple[jax.Array, jax.Array]:
        n, nb, k, m, p = self.n, self.n_blocks, self.block, self.n_out, self.n_slots
        noise = _pad_rows(logistic_noise(key, (n, batch)), self.n_pad)
        c, a_out, a_in = self.first_layer(params, beta)
        blocks = (self._slot_of_site, a_out.reshape(nb, k * m, p), a_in.transpose(0, 3, 1, 2),
                  c.reshape(nb, k, m), noise.reshape(nb, k, batch))
        if self.hidden:
            hp = jax.tree_util.tree_map(
                lambda v: _pad_rows(v, self.n_pad).reshape((nb, k) + v.shape[1:]),
                self._head_params(params))
            blocks = blocks + (hp,)

        def body(state, inp):
            # state (P, B): the spins that later blocks read, one per slot (_assign_slots)
            slots, ao, ai, cb, nz = inp[:5]
            base = (ao @ state).reshape(k, m, batch) + cb[..., None]
            head = None
            if self.hidden:
                def head(t, z):
                    return self.site_head(jax.tree_util.tree_map(lambda v: v[t], inp[5]), z)
            xb, lg = sample_block(base, ai, nz, head)
            for t in range(k):         # row copies; a gather would be several times slower
                state = lax.dynamic_update_index_in_dim(state, xb[t], slots[t], 0)
            return state, (xb, lg)

        _, (xs, lg) = lax.scan(body, jnp.zeros((p, batch), F32), blocks)
        x = xs.reshape(self.n_pad, batch)[:n]
        logit = lg.reshape(self.n_pad, batch)[:n]
        return x.T, sum_log_sigmoid(x, logit, axis=0)
