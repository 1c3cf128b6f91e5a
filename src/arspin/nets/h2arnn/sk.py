"""sk_rsb: the SK_RS / SK_kRSB nets of the H2ARNN paper (physics.md section 6b).

For site i (0-based), with the first layer F fixed to the couplings J (or learned):

    u_i = sum_{s<i} F_is x_s,        v_il = sum_{s<i} F_ls x_s   for l > i
    per branch sigma in {+, -}, per later spin l > i, a chain of k + 1 log-sigmoid units:
        r0_l  = logsigmoid(b_{0,sigma,il} + w_{0,sigma,il} v_il)
        rk'_l = logsigmoid(b_{k',sigma,il} + w_{k',sigma,il} r(k'-1)_l),   k' = 1..k
    logit_i = c_i + a_i u_i + sum_{l>i} (W+_il r+k_l + W-_il r-k_l)

k = 0 is the replica-symmetric net (SK_RS), k = 1, 2 the 1RSB and 2RSB nets; any k >= 0 works.
The first layer has no beta (the fixed weights are J itself). Trainable parameters:
(2k+3) N (N-1) for the (i, l > i) pairs (2 (k+1) per branch and pair, plus W±) + 2N for
a_i, c_i = (2k+3) N (N-1) + 2N (N = 200: RS 119,800; 1RSB 199,400; 2RSB 279,000), the count
Fig. 5d plots. Options:
  * fixed_skip: a_i = 2 beta and c_i = 2 beta h_i, the exact values of section 4, follow the
    annealed beta and are not trained (2N fewer parameters). Otherwise a_i, c_i are trained and
    start at those values at beta = skip_init_beta ([recon]: the init has no beta, and the
    paper's grid starts at 0.1).
  * learn_first_layer: F becomes a trainable N x N matrix, initialised at J (the reference) or
    Normal with std 1/N (first_layer_init 'normal': the reference's Fig. 6 init, an SK draw
    divided by sqrt N, mean |F| 0.008 at N = 100; figures.md), of which the N(N-1)/2 entries F_ls, s < l, are used
    (Fig. 6: does maximum likelihood recover |J|?); they are added to the count.
Every other parameter starts as Normal(0, 1/N^2) (std 1/N, the reference's init); pair arrays
are stored (N, N) with row i, column l and masked to l > i.

Cost: teacher-forced logits O(B N^2 (k+1)) (the fields v_il of all sites by one prefix sum);
the sampler carries the running fields v_.l (B, N) and adds x_i F_.i after drawing x_i, O(B N)
per site and level.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from arspin.hamiltonian import IsingModel
from arspin.nets.base import LogitNet
from arspin.nets.kernel import (
    F32,
    Params,
    leaf_count,
    log_sigmoid,
    logistic_noise,
    spin_from_noise,
    sum_log_sigmoid,
)


class SKRSB(LogitNet):
    """SK_kRSB net (module doc). Hyperparameters are checked by the registry."""

    def __init__(self, model: IsingModel, *, k: int = 0, fixed_skip: bool = False,
                 learn_first_layer: bool = False, first_layer_init: str = "J",
                 skip_init_beta: float = 0.1):
        n = model.n
        self.n, self.k = n, int(k)
        self.fixed_skip, self.learn_first_layer = bool(fixed_skip), bool(learn_first_layer)
        self.first_layer_init, self.skip_init_beta = first_layer_init, float(skip_init_beta)
        self._J = jnp.asarray(model.coupling_matrix.toarray(), F32)    # F_ls = J_ls
        self._h = jnp.asarray(model.h, F32)
        index = np.arange(n)
        self._pair_mask = jnp.asarray(index[None, :] > index[:, None], F32)   # [i, l]: l > i
        self._first_mask = self._pair_mask.T                                  # [l, s]: s < l
        self._n_params = self.param_count(model, k=self.k, fixed_skip=self.fixed_skip,
                                          learn_first_layer=self.learn_first_layer)
        self._init_jit = jax.jit(self._init)

    # ----------------------------------------------------------------- params
    @classmethod
    def param_count(cls, model: IsingModel, *, k: int = 0, fixed_skip: bool = False,
                    learn_first_layer: bool = False, **_: object) -> int:
        """(2k+3) N (N-1) + 2N, less 2N with fixed_skip, plus N(N-1)/2 with
        learn_first_layer (module doc)."""
        n = model.n
        pairs = n * (n - 1)
        return ((2 * int(k) + 3) * pairs + (0 if fixed_skip else 2 * n)
                + (pairs // 2 if learn_first_layer else 0))

    def n_params(self, params: Params) -> int:
        """Trainable (unmasked) parameters: :meth:`param_count` of this net's model."""
        return self._n_params

    def n_stored_params(self, params: Params) -> int:
        """All stored entries, masked ones included."""
        return leaf_count(params)

    def init(self, key: jax.Array) -> Params:
        """{"b", "w": (k+1, 2, N, N) per level, branch (+, -), site i, later spin l;
        "W": (2, N, N); "a", "c": (N,) unless fixed_skip; "F": (N, N) if learned}."""
        return self._init_jit(key)

    def _init(self, key: jax.Array) -> Params:
        n, levels = self.n, self.k + 1
        k_pairs, k_first = jax.random.split(key)
        draw = jax.random.normal(k_pairs, (2 * levels + 1, 2, n, n), F32) * F32(1.0 / n)
        draw = draw * self._pair_mask
        params = {"b": draw[:levels], "w": draw[levels:2 * levels], "W": draw[-1]}
        if not self.fixed_skip:
            beta0 = F32(self.skip_init_beta)
            params["a"] = jnp.full((n,), F32(2.0) * beta0, F32)
            params["c"] = F32(2.0) * beta0 * self._h
        if self.learn_first_layer:
            if self.first_layer_init == "J":
                first = self._J
            else:
                first = jax.random.normal(k_first, (n, n), F32) * F32(1.0 / n)
            params["F"] = first * self._first_mask
        return params

    def trainable_mask(self, params: Params) -> Params:
        """Pytree of bool arrays like ``params``: True where an entry is used and trained."""
        pair = self._pair_mask > 0
        mask = {"b": jnp.broadcast_to(pair, params["b"].shape),
                "w": jnp.broadcast_to(pair, params["w"].shape),
                "W": jnp.broadcast_to(pair, params["W"].shape)}
        for name in ("a", "c"):
            if name in params:
                mask[name] = jnp.ones(params[name].shape, bool)
        if "F" in params:
            mask["F"] = self._first_mask > 0
        return mask

    # ----------------------------------------------------------------- forward
    def _first_layer(self, params: Params) -> jax.Array:
        """F (N, N) float32, entry [l, s] the weight of x_s on spin l's field (s < l used)."""
        return params["F"] * self._first_mask if self.learn_first_layer else self._J

    def _skip(self, params: Params, beta: jax.Array) -> tuple[jax.Array, jax.Array]:
        """(a, c) (N,) each: trained, or the exact 2 beta and 2 beta h_i (fixed_skip)."""
        if self.fixed_skip:
            beta = jnp.asarray(beta, F32)
            return jnp.full((self.n,), F32(2.0) * beta, F32), F32(2.0) * beta * self._h
        return params["a"], params["c"]

    def _chains(self, b: jax.Array, w: jax.Array, v: jax.Array) -> jax.Array:
        """The k+1 log-sigmoid units of both branches.

        Args:
            b, w: (k+1, 2, ...) biases and weights, broadcast against v.
            v: fields (...), the same for both branches.
        Returns:
            r^k (2, ...) for the branches (+, -).
        """
        r = log_sigmoid(b[0] + w[0] * v[None])
        for level in range(1, self.k + 1):
            r = log_sigmoid(b[level] + w[level] * r)
        return r

    def logits(self, params: Params, x: jax.Array, beta: jax.Array) -> jax.Array:
        """Teacher-forced logits (B, N) of q(x_i = +1 | x_<i)."""
        x = jnp.asarray(x, F32)
        first = self._first_layer(params)
        terms = x[:, :, None] * first.T[None]                     # [b, s, l] = x_s F_ls
        # exclusive prefix over s by shifting an inclusive cumsum: v[:, i] reads x_<i only,
        # so logit_i is bit-for-bit independent of x_>=i
        inclusive = jnp.cumsum(terms, axis=1)
        v = jnp.concatenate([jnp.zeros_like(inclusive[:, :1]), inclusive[:, :-1]], axis=1)
        u = jnp.diagonal(v, axis1=1, axis2=2)                      # (B, N): v_ii
        r = self._chains(params["b"][:, :, None], params["w"][:, :, None], v)  # (2, B, N, N)
        out = params["W"] * self._pair_mask                        # (2, N, N), l <= i masked
        a, c = self._skip(params, beta)
        return c + a * u + jnp.einsum("sbil,sil->bi", r, out)

    def sample(self, params: Params, key: jax.Array, batch: int, beta: jax.Array
               ) -> tuple[jax.Array, jax.Array]:
        """Ancestral samples x (B, N) and ln q(x) (B,), with running fields (module doc)."""
        first = self._first_layer(params)
        a, c = self._skip(params, beta)
        out = params["W"] * self._pair_mask
        noise = logistic_noise(key, (self.n, batch))
        # per-site slices as scan inputs: b, w (N, k+1, 2, N); W (N, 2, N); F's column i
        b_rows = jnp.moveaxis(params["b"], 2, 0)
        w_rows = jnp.moveaxis(params["w"], 2, 0)
        site_inputs = (jnp.arange(self.n), b_rows, w_rows, jnp.moveaxis(out, 1, 0), first.T,
                       a, c, noise)

        def step(v, site):
            i, b_i, w_i, out_i, first_col, a_i, c_i, eps = site
            r = self._chains(b_i[:, :, None], w_i[:, :, None], v)          # (2, B, N)
            logit = c_i + a_i * v[:, i] + jnp.sum(r * out_i[:, None, :], axis=(0, 2))
            x_i = spin_from_noise(logit, eps)
            return v + x_i[:, None] * first_col[None, :], (x_i, logit)

        _, (x, logits) = lax.scan(step, jnp.zeros((batch, self.n), F32), site_inputs)
        return x.T, sum_log_sigmoid(x, logits, axis=0)


__all__ = ["SKRSB"]
