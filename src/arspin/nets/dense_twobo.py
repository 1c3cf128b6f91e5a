"""TwoBo computed the dense way, as the reference implementation does (tests and bench only).

For every site i the fields are recomputed from scratch with a dense masked product,

    xi_i = (x * [s < i]) @ J[:, (i, F_i)]          (B, N) @ (N, 1 + Fmax),

and then fed to the same per-site weights as the sparse net (same parameter pytree). That is
O(B N Fmax) per site and O(B N^2 Fmax) per batch, for log_prob and for sampling alike. It
shares no code path with the sparse net's first layer (which composes W with J and never
forms xi), so agreement between the two is an independent check; the per-site MLP head is
shared. The skip column here is always xi_ii itself (the corrected assignment, see twobo.py).
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from arspin.hamiltonian import IsingModel
from arspin.nets.base import LogitNet
from arspin.nets.kernel import F32, Params, logistic_noise, spin_from_noise, sum_log_sigmoid
from arspin.nets.twobo import TwoBo


class DenseTwoBo(LogitNet):
    """Dense-masked formulation of a :class:`TwoBo` (same params, same distribution)."""

    def __init__(self, model: IsingModel, net: TwoBo):
        self.net, self.n = net, net.n
        n = net.n
        upper = np.zeros((n, n + 1), np.float64)             # column n stays 0: padding target
        upper[model.i, model.j] = model.J                    # J_sl for s < l only
        self._j_upper = jnp.asarray(upper, F32)
        cols = np.where(net.frontier_index >= 0, net.frontier_index, n)
        self._cols = jnp.asarray(np.concatenate([np.arange(n)[:, None], cols], axis=1), jnp.int32)

    def init(self, key: jax.Array) -> Params:
        return self.net.init(key)

    def n_params(self, params: Params) -> int:
        return self.net.n_params(params)

    def _site_logit(self, params: Params, x: jax.Array, i: jax.Array, beta: jax.Array
                    ) -> jax.Array:
        """logit_i (B,) from a (B, N) batch in which only x_<i is read."""
        net = self.net
        beta_s = jnp.asarray(beta, F32) if net.use_beta_skip else F32(1.0)
        masked = jnp.where(jnp.arange(self.n) < i, x, F32(0.0))
        cols = jnp.take(self._j_upper, self._cols[i], axis=1, mode="clip")
        xi = masked @ cols                                             # (B, 1 + Fmax)
        skip = params["skip"][i] * net._mask_skip[i] * beta_s
        z0 = params["bias"][i] + skip * (xi[:, 0] + net._h[i]) + xi[:, 1:] @ params["w"][i]
        if not net.hidden:
            return z0
        hp = params["hidden"]
        u = xi[:, 1:] @ hp["w1"][i] + hp["b1"][i]                      # (B, H1)
        z = jnp.concatenate([z0[None], u.T], axis=0)
        site = jax.tree_util.tree_map(lambda v: v[i], net._head_params(params))
        return net.site_head(site, z)

    def logits(self, params: Params, x: jax.Array, beta: jax.Array) -> jax.Array:
        x = jnp.asarray(x, F32)
        lg = lax.map(lambda i: self._site_logit(params, x, i, beta), jnp.arange(self.n))
        return lg.T

    def sample(self, params: Params, key: jax.Array, batch: int, beta: jax.Array
               ) -> tuple[jax.Array, jax.Array]:
        """Same noise convention as TwoBo.sample: equal keys give equal samples."""
        noise = logistic_noise(key, (self.n, batch))

        def step(x, i):
            logit = self._site_logit(params, x, i, beta)
            return x.at[:, i].set(spin_from_noise(logit, noise[i])), logit

        x, logit = lax.scan(step, jnp.zeros((batch, self.n), F32), jnp.arange(self.n))
        return x, sum_log_sigmoid(x, logit.T, axis=-1)
