"""Curie-Weiss nets of the H2ARNN paper whose conditionals depend only on (i, M): cw_n, cw_inf,
one_param (physics.md section 6b).

Notation: spin i (0-based), M = sum_{s<i} x_s (the magnetisation of the earlier spins, an
integer in [-i, i]) and n = N - 1 - i (the number of later spins).

    cw_n       logit_i = 2 beta h + (2 beta J / N) M
                         + LSE_k(b+_ik + w_ik M) - LSE_k(b-_ik + w_ik M),      k = 0..n,
               b±_ik = ln C(n, k) + (beta J / 2N)(n - 2k)^2 + (n - 2k)(beta h ± beta J / N),
               w_ik  = (beta J / N)(n - 2k).
               Exact (q = P_B) for the Curie-Weiss model J_ij = J/N, h_i = h: it is the
               H2ARNN conditional of section 4 with the sum over the n later spins grouped by
               their number k of down spins. No trainable parameter; every weight is a function
               of the traced beta, recomputed at each call.
    cw_inf     logit_i = a M + c_i sgn(M) (sgn(0) = 0); N + 1 trained parameters, or
               (values="analytic") the N -> inf values a = 2 beta J / N,
               c_i = 2 beta J m_beta (n + 1) / N, m_beta the stable root of m = tanh(beta J m).
    one_param  logit_i = c_i M; N trained parameters (c_0 multiplies M = 0: it is counted but
               has no effect, like the reference's).

Because logit_i depends on x_<i only through M, every net here tabulates its logits once per
call: ``logit_table(params, beta)`` is float32 (N, 2N+1) with entry [i, M + N]. The
teacher-forced logits gather from it (cost O(B N) after the table) and the sampler walks it
with a running M, so sampled and teacher-forced ln q are computed from the same numbers. The
table is also what a dynamic program over M needs for the exact F_q (physics.md section 6b).
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax
from scipy.special import gammaln

from arspin.errors import ArspinError
from arspin.hamiltonian import IsingModel
from arspin.nets.base import LogitNet, ParameterFree
from arspin.nets.kernel import F32, Params, logistic_noise, spin_from_noise, sum_log_sigmoid

# finite stand-in for ln 0 in padded LSE terms (k > n): exp underflows to exactly 0, and unlike
# -inf it never produces inf - inf = nan in a gradient
_LOG_ZERO = -1e30
# bisection steps for m_beta on [0, 1]: 2^-40 is far below float32 resolution
_BISECTION_STEPS = 40


def curie_weiss_parameters(model: IsingModel, net: str) -> tuple[float, float]:
    """(J, h) of a Curie-Weiss model (J_ij = J/N on every pair, h_i = h), else ArspinError.

    The nets take J and h from the couplings themselves, so a model built by hand works as
    well as ``generate("cw", N, 0, J=..., h=...)``.
    """
    found = model.curie_weiss()
    if found is None:
        raise ArspinError(f"{net}: needs a Curie-Weiss model (every pair coupled with the same "
                          f"J/N, uniform field h), got {model.meta.get('family', 'another model')}")
    return found


def stable_magnetisation(beta_j: jax.Array) -> jax.Array:
    """m >= 0 solving m = tanh(beta J m) (0 for beta J <= 1), float32, by bisection on [0, 1].

    g(m) = m - tanh(beta J m) is < 0 on (0, m*) and > 0 on (m*, 1], so keeping the half where
    g(mid) < 0 below converges to m* (to 0 when beta J <= 1, where g > 0 on (0, 1]); only
    midpoints are evaluated, never the spurious root m = 0.
    """
    def step(_, bounds):
        lo, hi = bounds
        mid = F32(0.5) * (lo + hi)
        below = mid - jnp.tanh(beta_j * mid) < 0
        return jnp.where(below, mid, lo), jnp.where(below, hi, mid)

    lo, hi = lax.fori_loop(0, _BISECTION_STEPS, step, (F32(0.0), F32(1.0)))
    return jnp.where(beta_j <= 1, F32(0.0), F32(0.5) * (lo + hi))


def lse_terms(later: np.ndarray) -> tuple[jax.Array, jax.Array]:
    """The k-terms of cw_n's log-sum-exps: ln C(n, k) and n - 2k, float32 (sites, K).

    Args:
        later: int (sites,), the number n of later spins of each site (N - 1 - i).
    Returns:
        (log_binom, spread), K = max(later) + 1 columns, padded for k > n with ln 0 ->
        _LOG_ZERO and spread 0. ln C is centred per site in float64 (the shift cancels between
        the two LSEs), so the float32 terms that dominate each sum are O(1), not O(n ln 2).
    """
    later = np.asarray(later)[:, None]
    k = np.arange(int(later.max()) + 1)[None, :]
    valid = k <= later
    log_binom = np.where(valid, gammaln(later + 1) - gammaln(k + 1)
                         - gammaln(np.maximum(later - k, 0) + 1), -np.inf)
    log_binom -= log_binom.max(axis=1, keepdims=True)
    return (jnp.asarray(np.where(valid, log_binom, _LOG_ZERO), F32),
            jnp.asarray(np.where(valid, later - 2 * k, 0), F32))


class MagnetisationNet(LogitNet):
    """Base of the nets whose logit_i is a function of (i, M) only (module doc).

    Subclasses set ``n`` and implement ``logit_table``; ``parameter_free`` says whether the
    net has no trainable parameter (its params are then the empty dict).
    """

    n: int
    parameter_free: bool = False

    def logit_table(self, params: Params, beta: jax.Array) -> jax.Array:
        """float32 (N, 2N+1): entry [i, M + N] is logit_i at magnetisation M of x_<i."""
        raise NotImplementedError

    def _m_grid(self) -> jax.Array:
        """float32 (2N+1,): the magnetisations -N..N of the table's columns."""
        return jnp.arange(-self.n, self.n + 1, dtype=F32)

    def logits(self, params: Params, x: jax.Array, beta: jax.Array) -> jax.Array:
        """Teacher-forced logits (B, N) of q(x_i = +1 | x_<i)."""
        x = jnp.asarray(x, F32)
        # exclusive prefix sums of +-1 are small integers, exact in float32: logit_i is
        # bit-for-bit independent of x_>=i
        m = (jnp.cumsum(x, axis=-1) - x).astype(jnp.int32)
        table = self.logit_table(params, beta)
        return table[jnp.arange(self.n)[None, :], m + self.n]

    def sample(self, params: Params, key: jax.Array, batch: int, beta: jax.Array
               ) -> tuple[jax.Array, jax.Array]:
        """Ancestral samples x (B, N) and ln q(x) (B,): one table lookup per site."""
        table = self.logit_table(params, beta)
        noise = logistic_noise(key, (self.n, batch))

        def step(col, site):
            row, eps = site
            logit = row[col]                              # (B,): logit at the running M
            x = spin_from_noise(logit, eps)
            return col + x.astype(jnp.int32), (x, logit)

        _, (x, logits) = lax.scan(step, jnp.full((batch,), self.n, jnp.int32), (table, noise))
        return x.T, sum_log_sigmoid(x, logits, axis=0)

    def n_params(self, params: Params) -> int:
        """Trainable parameters (closed form, equal to the registry's ``param_count``)."""
        return self._n_params


def _normal_init(key: jax.Array, size: int, n: int) -> jax.Array:
    """Normal(0, 1/N^2) (std 1/N, the reference's ``normal_(std=1/N)``), float32 (size,)."""
    return jax.random.normal(key, (size,), F32) * F32(1.0 / n)


class CWN(ParameterFree, MagnetisationNet):
    """cw_n: the exact Curie-Weiss conditionals (module doc); no trainable parameter."""

    def __init__(self, model: IsingModel):
        self.n = n = model.n
        self.J, self.h = curie_weiss_parameters(model, "cw_n")
        self._log_binom, self._spread = lse_terms(n - 1 - np.arange(n))

    @staticmethod
    def fixed_weight_count(n: int) -> int:
        """Fixed weights the reference code stores for cw_n (Fig. 2's count): per site i with
        n = N-1-i >= 1 later spins, 4(n+1) LSE weights and biases plus 2 output weights, plus
        a skip weight and bias per site: 2N^2 + 6N - 6."""
        return 2 * n * n + 6 * n - 6

    def logit_table(self, params: Params, beta: jax.Array) -> jax.Array:
        beta = jnp.asarray(beta, F32)
        bj = beta * F32(self.J / self.n)                    # beta J / N
        bh = beta * F32(self.h)
        m_grid = self._m_grid()

        def site(args):
            log_binom, spread = args                         # (K,) each, K = N terms
            base = log_binom + F32(0.5) * bj * spread * spread + bh * spread
            z = base[:, None] + (bj * spread)[:, None] * m_grid[None, :]      # (K, 2N+1)
            shift = (bj * spread)[:, None]                   # the ±beta J/N (n - 2k) of b±
            return (jax.nn.logsumexp(z + shift, axis=0)
                    - jax.nn.logsumexp(z - shift, axis=0))

        # one site at a time: memory O(N^2) instead of O(N^3) for the whole table
        lse = lax.map(site, (self._log_binom, self._spread))
        return F32(2.0) * bh + F32(2.0) * bj * m_grid[None, :] + lse


class CWInf(MagnetisationNet):
    """cw_inf: logit_i = a M + c_i sgn(M); trained (N + 1 parameters) or the analytic N -> inf
    values (no trainable parameter; a Curie-Weiss model with h = 0 is required)."""

    def __init__(self, model: IsingModel, *, values: str = "trained"):
        self.n, self.values = model.n, values
        self.parameter_free = values == "analytic"
        if self.parameter_free:
            self.J, h = curie_weiss_parameters(model, "cw_inf")
            if h != 0:
                raise ArspinError("cw_inf: the analytic values are for h = 0 (the paper's "
                                  f"Curie-Weiss model), got h = {h}")
        self._n_params = self.param_count(model, values=values)

    def init(self, key: jax.Array) -> Params:
        """{"a": () shared slope, "c": (N,) per-site sgn weights}, Normal(0, 1/N^2); {} when
        analytic."""
        if self.parameter_free:
            return {}
        draw = _normal_init(key, self.n + 1, self.n)
        return {"a": draw[0], "c": draw[1:]}

    @classmethod
    def param_count(cls, model: IsingModel, *, values: str = "trained", **_: object) -> int:
        """N + 1 (trained) or 0 (analytic)."""
        return 0 if values == "analytic" else model.n + 1

    def analytic_parameters(self, beta: jax.Array) -> Params:
        """The N -> inf values {"a": 2 beta J/N, "c": 2 beta J m_beta (N - i)/N}, float32.

        (N - i = n + 1.) The paper prints c_i with a minus sign: a sign-convention slip (with
        it F_q is ~17% off, physics.md section 6b); the plus sign aligns x_i with sgn(M).
        """
        beta = jnp.asarray(beta, F32)
        n = self.n
        m_beta = stable_magnetisation(beta * F32(self.J))
        weight = jnp.asarray((n - np.arange(n)) / n, F32)                     # (n + 1)/N
        return {"a": F32(2.0 * self.J / n) * beta,
                "c": F32(2.0 * self.J) * beta * m_beta * weight}

    def logit_table(self, params: Params, beta: jax.Array) -> jax.Array:
        if self.parameter_free:
            params = self.analytic_parameters(beta)
        m_grid = self._m_grid()
        return params["a"] * m_grid[None, :] + params["c"][:, None] * jnp.sign(m_grid)[None, :]


class OneParam(MagnetisationNet):
    """one_param (1P): logit_i = c_i M, N trained parameters, no bias."""

    def __init__(self, model: IsingModel):
        self.n = model.n
        self._n_params = self.param_count(model)

    def init(self, key: jax.Array) -> Params:
        """{"c": (N,)} ~ Normal(0, 1/N^2)."""
        return {"c": _normal_init(key, self.n, self.n)}

    @classmethod
    def param_count(cls, model: IsingModel, **_: object) -> int:
        """N."""
        return model.n

    def logit_table(self, params: Params, beta: jax.Array) -> jax.Array:
        return params["c"][:, None] * self._m_grid()[None, :]


__all__ = ["CWN", "CWInf", "MagnetisationNet", "OneParam", "curie_weiss_parameters",
           "lse_terms", "stable_magnetisation"]
