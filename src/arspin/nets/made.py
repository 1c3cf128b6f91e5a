"""MADE: masked dense autoregressive nets (physics.md sections 6 and 6b).

depth = 1 is the single masked linear layer of the TwoBo comparison and H2ARNN's 1L/SL:

    logit_i = sum_{s<i} W_is x_s + b_i,        N(N-1)/2 + N trainable parameters.

depth = d > 1 is H2ARNN's MADE_dw: d masked linear layers, hidden width w*N, PReLU (one slope
per unit, initialised at 0.5) before every later layer, exclusive first mask, inclusive later
masks. Hidden unit (i, c), c < w, has degree i: it sees the inputs s < i (first layer) or the
units of degree <= i (later layers), and output i sees the units of degree <= i, so logit_i
depends on x_<i only.

Sampling never reruns the whole net per site:
  * depth 1: blocks of K sites; the logits of a block get the contribution of all earlier
    blocks in one (K, a) @ (a, B) product, then the K sites are drawn one by one with a
    (K,) @ (K, B) product each. Total O(B N^2 / 2 + B N K).
  * depth > 1: the units of degree i only depend on x_<i, so at site i exactly the w units of
    degree i of every layer are computed, once; total cost = one forward pass.

Init: hidden layers (1/sqrt(fan_in)) x truncated-normal(-2, 2), the last layer and its bias
(init_scale/sqrt(N)) x truncated-normal(-2, 2) so that every conditional starts near 1/2
(physics.md section 3). H2ARNN's reference uses PyTorch's default init instead.
"""

from __future__ import annotations

import math

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
    logistic_noise,
    prelu,
    sample_block,
    spin_from_noise,
    sum_log_sigmoid,
    truncated_normals,
)


class MADE(LogitNet):
    """Masked dense ARNN; ``depth`` masked linear layers, hidden width ``width * N``.

    Hyperparameter ranges (depth, width, block >= 1) are checked by the registry
    (nets/registry.py, ``build_net``), not here.
    """

    def __init__(self, model: IsingModel, *, depth: int = 1, width: int = 1,
                 init_scale: float = 1e-2, block: int = 32):
        n = model.n
        self.n, self.depth, self.width, self.init_scale = n, int(depth), int(width), init_scale
        # at most ~32 static blocks keep the compiled graph small for large N
        self.block = int(min(n, max(block, math.ceil(n / 32))))
        deg = np.arange(n)
        self._excl = jnp.asarray(deg[None, :] < deg[:, None], F32)    # (out, in): s < i
        self._incl = jnp.asarray(deg[None, :] <= deg[:, None], F32)   # (out, in): s <= i
        self._init_jit = jax.jit(self._init)
        self._n_params = self.param_count(model, depth=self.depth, width=self.width)

    # ----------------------------------------------------------------- params
    def init(self, key: jax.Array) -> Params:
        """Initial parameters (float32 pytree); compiled once per net."""
        return self._init_jit(key)

    def _init(self, key: jax.Array) -> Params:
        n, w, d = self.n, self.width, self.depth
        small = self.init_scale / math.sqrt(n)
        if d == 1:
            weight, bias = truncated_normals(key, [((n, n), small), ((n,), small)])
            return {"W": weight * self._excl, "b": bias}
        hidden = [((n, w, n), 1 / math.sqrt(n)), ((n, w), 1 / math.sqrt(n))]
        hidden += [((n, w, n, w), 1 / math.sqrt(n * w)), ((n, w), 1 / math.sqrt(n * w))] * (d - 2)
        draws = truncated_normals(key, hidden + [((n, n, w), small), ((n,), small)])
        mids = draws[2:-2]
        return {"W1": draws[0] * self._excl[:, None, :], "b1": draws[1],
                "mid": [{"W": wm * self._incl[:, None, :, None], "b": bm}
                        for wm, bm in zip(mids[::2], mids[1::2])],
                "slopes": [jnp.full((n, w), 0.5, F32) for _ in range(d - 1)],
                "Wo": draws[-2] * self._incl[:, :, None], "bo": draws[-1]}

    @classmethod
    def param_count(cls, model: IsingModel, *, depth: int = 1, width: int = 1,
                    **_: object) -> int:
        """Trainable (unmasked) parameters in closed form, no init: N(N+1)/2 for depth 1
        (N(N-1)/2 weights + N biases); other hyperparameters do not change it."""
        n, w, d = model.n, int(width), int(depth)
        lower, lower_incl = n * (n - 1) // 2, n * (n + 1) // 2
        if d == 1:
            return lower + n
        return (w * lower + w * n                              # first layer
                + (d - 2) * (w * w * lower_incl + w * n)      # middle layers
                + (d - 1) * w * n                             # PReLU slopes
                + w * lower_incl + n)                         # output layer

    def n_params(self, params: Params) -> int:
        """Trainable (unmasked) parameters: :meth:`param_count` of this net's model."""
        return self._n_params

    def trainable_mask(self, params: Params) -> Params:
        """Pytree of bool arrays like ``params``: True where an entry is trainable (not
        masked out by the autoregressive masks)."""
        if self.depth == 1:
            return {"W": self._excl > 0, "b": jnp.ones(params["b"].shape, bool)}
        ones = jax.tree_util.tree_map(lambda leaf: jnp.ones(leaf.shape, bool), params)
        mask = {**ones, "W1": jnp.broadcast_to(self._excl[:, None, :] > 0, params["W1"].shape),
                "Wo": jnp.broadcast_to(self._incl[:, :, None] > 0, params["Wo"].shape)}
        mask["mid"] = [{"W": jnp.broadcast_to(self._incl[:, None, :, None] > 0, m["W"].shape),
                        "b": jnp.ones(m["b"].shape, bool)} for m in params["mid"]]
        return mask

    def n_stored_params(self, params: Params) -> int:
        """All stored entries, masked ones included (H2ARNN's count: MADE_21 = 2N^2 + 3N)."""
        return leaf_count(params)

    # ----------------------------------------------------------------- forward
    def logits(self, params: Params, x: jax.Array, beta: jax.Array | None = None) -> jax.Array:
        """Teacher-forced logits (B, N) of q(x_i = +1 | x_<i); beta is unused."""
        x = jnp.asarray(x, F32)
        if self.depth == 1:
            return x @ (params["W"] * self._excl).T + params["b"]
        h = jnp.einsum("ics,bs->bic", params["W1"] * self._excl[:, None, :], x) + params["b1"]
        for layer, slope in zip(params["mid"], params["slopes"][:-1]):
            h = prelu(h, slope)
            h = jnp.einsum("icjd,bjd->bic", layer["W"] * self._incl[:, None, :, None], h)
            h = h + layer["b"]
        h = prelu(h, params["slopes"][-1])
        return jnp.einsum("ijd,bjd->bi", params["Wo"] * self._incl[:, :, None], h) + params["bo"]

    # ----------------------------------------------------------------- sampling
    def sample(self, params: Params, key: jax.Array, batch: int, beta: jax.Array
               ) -> tuple[jax.Array, jax.Array]:
        noise = logistic_noise(key, (self.n, batch))
        if self.depth == 1:
            x, logit = self._sample_linear(params, noise)
        else:
            x, logit = self._sample_deep(params, noise)
        return x.T, sum_log_sigmoid(x, logit, axis=0)

    def _sample_linear(self, params: Params, noise: jax.Array) -> tuple[jax.Array, jax.Array]:
        n, k = self.n, self.block
        w = params["W"] * self._excl
        x = jnp.zeros(noise.shape, F32)
        lgs = []
        for a in range(0, n, k):          # static blocks: the product below is triangular
            e = min(a + k, n)
            base = params["b"][a:e, None] + (w[a:e, :a] @ x[:a] if a else jnp.zeros_like(x[:e]))
            xb, lg = sample_block(base[:, None, :], w[a:e, a:e].T[:, :, None], noise[a:e])
            x = x.at[a:e].set(xb)
            lgs.append(lg)
        return x, jnp.concatenate(lgs)

    def _sample_deep(self, params: Params, noise: jax.Array) -> tuple[jax.Array, jax.Array]:
        n, w = self.n, self.width
        batch = noise.shape[1]
        w1 = params["W1"] * self._excl[:, None, :]
        mids = [(m["W"] * self._incl[:, None, :, None]).reshape(n, w, n * w) for m in params["mid"]]
        wo = (params["Wo"] * self._incl[:, :, None]).reshape(n, n * w)

        def step(carry, i):
            x, hs = carry
            h = prelu(w1[i] @ x + params["b1"][i][:, None], params["slopes"][0][i][:, None])
            new_hs = [hs[0].at[i].set(h)]
            for li, wm in enumerate(mids):
                z = wm[i] @ new_hs[li].reshape(n * w, batch) + params["mid"][li]["b"][i][:, None]
                h = prelu(z, params["slopes"][li + 1][i][:, None])
                new_hs.append(hs[li + 1].at[i].set(h))
            logit = wo[i] @ new_hs[-1].reshape(n * w, batch) + params["bo"][i]
            xi = spin_from_noise(logit, noise[i])
            return (x.at[i].set(xi), new_hs), logit

        hs0 = [jnp.zeros((n, w, batch), F32) for _ in range(self.depth - 1)]
        (x, _), logits = lax.scan(step, (jnp.zeros((n, batch), F32), hs0), jnp.arange(n))
        return x, logits
