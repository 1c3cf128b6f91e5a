"""The numeric kernel shared by all nets: init draws, noise, sampling steps, log-sigmoid,
activations and the two-body counting rule.

Every net module imports its helpers from here and from no other net module, so that a change
to one net touches only that net's import closure (the workflow reruns exactly the training
jobs whose code changed). This module imports no net module.

Conventions: float32 everywhere (F32); spins are +-1; "site-major" arrays are (N, B).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

if TYPE_CHECKING:
    from arspin.hamiltonian import IsingModel

F32 = jnp.float32
Params = Any

# every activation a net may use; each net's NetSpec (nets/registry.py) says which it allows
ACTIVATIONS: dict[str, Callable[[jax.Array], jax.Array]] = {
    "gelu": jax.nn.gelu, "tanh": jnp.tanh, "relu": jax.nn.relu, "elu": jax.nn.elu,
    "silu": jax.nn.silu}


# ----------------------------------------------------------------- init
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


@functools.partial(jax.jit, static_argnums=1)
def draw_params(key: jax.Array, spec: tuple[tuple[str, tuple[int, ...], float], ...]) -> Params:
    """{name: scale x truncated-normal(-2, 2) of that shape} (scale 0: zeros), float32.

    One flat draw sliced into the leaves, jitted: a single random-number kernel to compile
    (every separate draw costs ~0.5 s of XLA compile on CPU, once per shape).
    """
    sizes = [math.prod(shape) for _, shape, _ in spec]
    flat = truncated_normal(key, (sum(sizes),), 1.0)
    out, offset = {}, 0
    for (name, shape, scale), size in zip(spec, sizes):
        out[name] = (F32(scale) * flat[offset:offset + size].reshape(shape) if scale
                     else jnp.zeros(shape, F32))
        offset += size
    return out


def leaf_count(params: Params) -> int:
    """All stored entries of a parameter pytree (arrays or shape structs)."""
    return int(sum(leaf.size for leaf in jax.tree_util.tree_leaves(params)))


# ----------------------------------------------------------------- sampling
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


def spin_onehot(x: jax.Array) -> jax.Array:
    """One-hot of +-1 spins, (...) -> (..., 2): [1, 0] for +1, [0, 1] for -1 (RNN inputs)."""
    return jnp.stack([(1 + x) / 2, (1 - x) / 2], axis=-1)


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


# ----------------------------------------------------------------- elementwise
def prelu(z: jax.Array, slope: jax.Array) -> jax.Array:
    """PReLU: z where z >= 0, slope * z elsewhere (slope broadcast against z)."""
    return jnp.where(z >= 0, z, slope * z)


def log_sigmoid(y: jax.Array) -> jax.Array:
    """ln sigmoid(y), exact for both signs; 2-3x faster on CPU than jax.nn.log_sigmoid
    (which goes through logaddexp) and equal to it to the last bit on [-100, 100]."""
    return jnp.minimum(y, jnp.zeros((), y.dtype)) - jnp.log1p(jnp.exp(-jnp.abs(y)))


def sum_log_sigmoid(x: jax.Array, logits: jax.Array, axis: int) -> jax.Array:
    """sum_i ln q(x_i | x_<i) with q(x_i = +1) = sigmoid(logit_i), over ``axis``.

    Args:
        x: spins +-1; logits: same shape, float32.
    Returns:
        ln q(x), the sum over ``axis`` of log_sigmoid(x_i * logit_i) (no clamping needed).
    """
    return jnp.sum(log_sigmoid(x * logits), axis=axis)


# ----------------------------------------------------------------- two-body counting
def skip_sites(model: IsingModel) -> np.ndarray:
    """bool (N,): the sites whose two-body skip field beta (xi_ii + h_i) can be non-zero,
    i.e. spin i has an earlier neighbour or a field (TwoBo's skip weights, and its count)."""
    return model.skip_mask() | (model.h != 0)


def two_body_param_count(model: IsingModel) -> int:
    """Trainable parameters of the single dense two-body layer (the default TwoBo, g_i = 0):
    one bias per site, one weight per frontier field, one skip weight per skip site
    (physics.md section 5; 2D L=4: 101, L=16: 7,709). Also the RNNs' "auto" width target."""
    return int(model.n + skip_sites(model).sum() + model.frontier_sizes().sum())
