"""The interface every autoregressive net implements.

A net is an immutable object built from (model, hyperparameters); the autoregressive order
is the model's index order (apply another order with ``IsingModel.permuted`` first). All
methods are pure functions of their arguments, safe to ``jax.jit`` and ``jax.grad``
through ``params``; ``beta`` is a traced scalar, so annealing never recompiles.

Shapes and dtypes:
    x        float32 (B, N), entries +-1, spin i in column i.
    log_prob float32 (B,), natural log of q(x).
    params   a pytree of float32 arrays.
"""

from __future__ import annotations

from typing import Any, Protocol

import jax
import jax.numpy as jnp

Params = Any


class AutoregressiveNet(Protocol):
    """q(x) = prod_i q(x_i | x_<i), sampled exactly by ancestral sampling."""

    n: int  # number of spins N

    def init(self, key: jax.Array) -> Params:
        """Initial parameters (float32 pytree) from an explicit PRNG key."""

    def log_prob(self, params: Params, x: jax.Array, beta: jax.Array) -> jax.Array:
        """ln q(x) for a batch x (B, N), all conditionals teacher-forced in parallel."""

    def sample(self, params: Params, key: jax.Array, batch: int, beta: jax.Array
               ) -> tuple[jax.Array, jax.Array]:
        """Exact ancestral samples x (B, N) and their ln q(x) (B,). ``batch`` is static."""

    def n_params(self, params: Params) -> int:
        """Number of trainable parameters (unmasked entries only)."""


def bernoulli_log_prob(logits: jax.Array, x: jax.Array) -> jax.Array:
    """Sum over sites of ln q(x_i | x_<i) with q(x_i = +1) = sigmoid(logit_i).

    Args:
        logits: (B, N) float32.  x: (B, N) +-1.
    Returns:
        (B,) ln q(x); uses log_sigmoid(x_i * logit_i), exact for both signs, no clamping.
    """
    return jnp.sum(jax.nn.log_sigmoid(x * logits), axis=-1)
