"""The interface every autoregressive net implements.

A net is an immutable object built from (model, hyperparameters); the autoregressive order
is the model's index order (apply another order with ``IsingModel.permuted`` first; a net that
generates in another order, like rnn2d's snake, exposes it as ``path``). All
methods are pure functions of their arguments, safe to ``jax.jit`` and ``jax.grad``
through ``params``; ``beta`` is a traced scalar, so annealing never recompiles.

Shapes and dtypes:
    x        float32 (B, N), entries +-1, spin i in column i.
    log_prob float32 (B,), natural log of q(x).
    params   a pytree of float32 arrays.

The registered nets (nets/registry.py) also provide teacher-forced ``logits(params, x, beta)``
(B, N) in index order, a classmethod ``param_count(model, **hparams)`` (closed form, no init)
and, where some stored entries are masked out, ``trainable_mask(params)``; the shared
invariant tests (tests/test_net_invariants.py) rely on these.
"""

from __future__ import annotations

from typing import Protocol

import jax
import jax.numpy as jnp

# re-exported: the numeric helpers live in the kernel, which every net shares
from arspin.nets.kernel import Params, log_sigmoid, sum_log_sigmoid

__all__ = ["AutoregressiveNet", "LogitNet", "ParameterFree", "Params", "log_sigmoid",
           "sum_log_sigmoid"]


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
        """Number of trainable parameters (unmasked entries only); the registered nets
        return their closed form, equal to ``arspin.nets.registry.param_count``."""


class LogitNet:
    """Mixin for nets with teacher-forced ``logits(params, x, beta) -> (B, N)``: ln q(x)."""

    def log_prob(self, params: Params, x: jax.Array, beta: jax.Array) -> jax.Array:
        x = jnp.asarray(x, jnp.float32)
        return sum_log_sigmoid(x, self.logits(params, x, beta), axis=-1)


class ParameterFree:
    """Mixin for nets without a trainable parameter (every weight follows from the couplings
    and beta, e.g. the exact Curie-Weiss net): the params are the empty dict, the count 0;
    training evaluates such a net instead of optimising it."""

    parameter_free = True

    def init(self, key: jax.Array) -> Params:
        del key
        return {}

    @classmethod
    def param_count(cls, model: object, **_: object) -> int:
        return 0

    def n_params(self, params: Params) -> int:
        return 0
