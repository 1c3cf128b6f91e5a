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
from collections.abc import Callable

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from arspin.errors import ArspinError
from arspin.hamiltonian import IsingModel
from arspin.nets.base import LogitNet, Params, sum_log_sigmoid

F32 = jnp.float32


def truncated_normal(key: jax.Array, shape: tuple[int, ...], scale: float) -> jax.Array:
    """scale x truncated-normal(-2, 2) in float32 (the init of physics.md section 3)."""
    return F32(scale) * jax.random.truncated_normal(key, -2.0, 2.0, shape, F32)


def truncated_normals(key: jax.Array, specs: list[tuple[tuple[int, ...], float]]
                      ) -> list[jax.Array]:
    """scale x truncated-normal(-2, 2), float32, one array per (shape, scale) in ``specs``.

    Drawn as one flat vector and cut into pieces: one random-number kernel to compile
    instead of one per array (XLA compiles threefry slowly on CPU).
    """
    sizes = [math.prod(shape) for shape, _ in specs]
    flat = truncated_normal(key, (sum(sizes),), 1.0)
    pieces = jnp.split(flat, np.cumsum(sizes)[:-1]) if len(sizes) > 1 else [flat]
    return [F32(scale) * piece.reshape(shape) for piece, (shape, scale) in zip(pieces, specs)]


def logistic_noise(key: jax.Array, shape: tuple[int, ...]) -> jax.Array:
    """Standard logistic noise, float32, deterministic in ``key``.

    The bits come from XLA's native threefry generator (4x faster on CPU than the threefry
    that jax.random implements with array ops; for B N = 10^6 draws that is the difference
    between a small and the dominant cost of a sample batch), keyed by 4 words drawn from
    ``key``. u = (m + 1/2) 2^-23 with m the top 23 bits is exact in float32 and never 0 or 1.
    """
    seed = jax.random.bits(key, (4,), jnp.uint32)
    _, bits = lax.rng_bit_generator(seed, shape, jnp.uint32,
                                    algorithm=lax.RandomAlgorithm.RNG_THREE_FRY)
    u = ((bits >> 9).astype(F32) + F32(0.5)) * F32(2.0 ** -23)
    return jnp.log(u / (F32(1.0) - u))


def spin_from_noise(logit: jax.Array, noise: jax.Array) -> jax.Array:
    """+1 with probability sigmoid(logit), given standard logistic noise of the same shape.

    P(logit + noise > 0) = sigmoid(logit); the noise is drawn for all sites up front, so the
    sequential loop does no random-number work.
    """
    return jnp.where(logit + noise > 0, F32(1.0), F32(-1.0))


def sample_block(base: jax.Array, inner: jax.Array, noise: jax.Array,
                 head: Callable[[int | jax.Array, jax.Array], jax.Array] | None = None,
                 ) -> tuple[jax.Array, jax.Array]:
    """Draw K consecutive sites whose first layer is linear in the spins.

    Args:
        base: (K, M, B) first-layer pre-activations from everything before the block.
        inner: (K, K, M) in-block weights, inner[s, t] acting from x_s on site t, zero for
            t <= s.
        noise: (K, B) standard logistic noise.
        head: (t, z (M, B)) -> logit (B,); None means logit = z[0].
    Returns:
        x (K, B) +-1 and the logits (K, B) they were drawn from.

    Each step is one fused elementwise update z += inner[t] (x) x_t of the running
    pre-activations (no dot, no scatter): the per-step cost is what limits the sampler.
    Row t of z is final once step t starts (inner is strictly lower triangular).
    """
    def logit_of(t, z_t):
        return z_t[0] if head is None else head(t, z_t)

    def draw(t, z):
        return spin_from_noise(logit_of(t, z[t]), noise[t])

    def step(t, carry):
        # x_t arrives in the carry: drawn inside the update from z[t], it would make XLA
        # write z to a fresh buffer and copy it back at every step
        z, x_t = carry
        z = z + inner[t][:, :, None] * x_t
        return z, draw(t + 1, z)

    n_sites = base.shape[0]
    z, _ = lax.fori_loop(0, n_sites - 1, step, (base, draw(0, base)))
    logits = z[:, 0] if head is None else jax.vmap(logit_of)(jnp.arange(n_sites), z)
    return spin_from_noise(logits, noise), logits


def prelu(z: jax.Array, slope: jax.Array) -> jax.Array:
    return jnp.where(z >= 0, z, slope * z)


class MADE(LogitNet):
    """Masked dense ARNN; ``depth`` masked linear layers, hidden width ``width * N``."""

    def __init__(self, model: IsingModel, *, depth: int = 1, width: int = 1,
                 init_scale: float = 1e-2, block: int = 32):
        if depth < 1:
            raise ArspinError(f"made: depth must be >= 1, got {depth}")
        if width < 1:
            raise ArspinError(f"made: width must be >= 1, got {width}")
        if block < 1:
            raise ArspinError(f"made: block must be >= 1, got {block}")
        n = model.n
        self.n, self.depth, self.width, self.init_scale = n, int(depth), int(width), init_scale
        # at most ~32 static blocks keep the compiled graph small for large N
        self.block = int(min(n, max(block, math.ceil(n / 32))))
        deg = np.arange(n)
        self._excl = jnp.asarray(deg[None, :] < deg[:, None], F32)    # (out, in): s < i
        self._incl = jnp.asarray(deg[None, :] <= deg[:, None], F32)   # (out, in): s <= i
        self._init_jit = jax.jit(self._init)

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

    def n_params(self, params: Params) -> int:
        """Trainable (unmasked) parameters: N(N+1)/2 for depth 1."""
        n, w, d = self.n, self.width, self.depth
        lower, lower_incl = n * (n - 1) // 2, n * (n + 1) // 2
        if d == 1:
            return lower + n
        return (w * lower + w * n                              # first layer
                + (d - 2) * (w * w * lower_incl + w * n)      # middle layers
                + (d - 1) * w * n                             # PReLU slopes
                + w * lower_incl + n)                         # output layer

    def n_stored_params(self, params: Params) -> int:
        """All stored entries, masked ones included (H2ARNN's count: MADE_21 = 2N^2 + 3N)."""
        return int(sum(leaf.size for leaf in jax.tree_util.tree_leaves(params)))

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
