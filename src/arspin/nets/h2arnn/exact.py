"""h2arnn_exact: the exact autoregressive form of a pairwise Boltzmann distribution
(physics.md section 4), a reference net for tiny N.

    q(x_i = +1 | x_<i) = sigmoid( 2 beta (xi_ii + h_i) + ln rho+_i - ln rho-_i )
    xi_il  = sum_{s<i} J_sl x_s          (the field the earlier spins put on spin l)
    rho±_i = sum_{x_>i} exp( beta sum_{l>i} (±J_il + xi_il + h_l) x_l
                             + beta sum_{i<l<l'} J_ll' x_l x_l' )

The sum over the n = N - 1 - i later spins is done by enumeration: 2^n terms per site and
sample, so the cost is O(B 2^N N) and N is capped at MAX_N. With q computed this way,
q(x) = P_B(x) for every model (up to float32 rounding); no trainable parameter.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

from arspin.errors import ArspinError
from arspin.hamiltonian import IsingModel
from arspin.nets.base import LogitNet, ParameterFree
from arspin.nets.kernel import F32, Params, logistic_noise, spin_from_noise, sum_log_sigmoid

MAX_N = 20  # site 0 sums 2^(N-1) terms per sample: 2^19 floats per sample at N = 20


def _later_states(m: int) -> np.ndarray:
    """All 2^m configurations of m spins, float64 (2^m, m) +-1 (m = 0: one empty state)."""
    idx = np.arange(2 ** m)[:, None]
    return (((idx >> np.arange(m)) & 1) * 2 - 1).astype(np.float64)


class H2ARNNExact(ParameterFree, LogitNet):
    """The exact conditionals of section 4 by enumeration of the later spins (module doc)."""

    def __init__(self, model: IsingModel):
        n = model.n
        if n > MAX_N:
            raise ArspinError(f"h2arnn_exact: enumerates 2^(N-1) states per sample, so N <= "
                              f"{MAX_N}; got N = {n}")
        self.n = n
        couplings = model.coupling_matrix.toarray()                 # symmetric, float64
        self._J = jnp.asarray(couplings, F32)
        self._h = jnp.asarray(model.h, F32)
        # per site i: the later configurations (2^n, n) and their internal coupling energy
        # sum_{i<l<l'} J_ll' x_l x_l' (beta-independent), tabulated once in float64
        self._states, self._pair = [], []
        for i in range(n):
            states = _later_states(n - 1 - i)
            inner = couplings[i + 1:, i + 1:]
            self._states.append(jnp.asarray(states, F32))
            self._pair.append(jnp.asarray(0.5 * np.einsum("sl,lm,sm->s", states, inner, states),
                                          F32))

    def site_logit(self, i: int, x_prev: jax.Array, beta: jax.Array) -> jax.Array:
        """logit_i (B,) from the earlier spins x_prev (B, i) (float32), section 4's formula."""
        beta = jnp.asarray(beta, F32)
        xi = x_prev @ self._J[:i]                                   # (B, N): xi_il for every l
        later = xi[:, i + 1:] + self._h[i + 1:]                     # (B, n): xi_il + h_l
        pair = beta * self._pair[i]                                  # (2^n,)
        states_t = self._states[i].T                                 # (n, 2^n)
        log_rho = [jax.nn.logsumexp(beta * ((later + sign * self._J[i, i + 1:]) @ states_t)
                                    + pair[None, :], axis=-1) for sign in (1.0, -1.0)]
        return F32(2.0) * beta * (xi[:, i] + self._h[i]) + log_rho[0] - log_rho[1]

    def logits(self, params: Params, x: jax.Array, beta: jax.Array) -> jax.Array:
        """Teacher-forced logits (B, N); site i reads the columns < i only."""
        x = jnp.asarray(x, F32)
        return jnp.stack([self.site_logit(i, x[:, :i], beta) for i in range(self.n)], axis=-1)

    def sample(self, params: Params, key: jax.Array, batch: int, beta: jax.Array
               ) -> tuple[jax.Array, jax.Array]:
        """Ancestral samples x (B, N) and ln q(x) (B,); an unrolled loop (N <= MAX_N)."""
        noise = logistic_noise(key, (self.n, batch))
        x = jnp.zeros((batch, 0), F32)
        logits = []
        for i in range(self.n):
            logit = self.site_logit(i, x, beta)
            x = jnp.concatenate([x, spin_from_noise(logit, noise[i])[:, None]], axis=1)
            logits.append(logit)
        return x, sum_log_sigmoid(x, jnp.stack(logits, axis=-1), axis=-1)


__all__ = ["MAX_N", "H2ARNNExact"]
