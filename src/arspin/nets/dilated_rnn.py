"""Dilated RNN of VCA (Hibat-Allah et al. 2021), the MPVAN paper's VCA baseline (mpvan.md 6).

Sites n = 0..N-1 in index order, n_L = ceil(log2 N) layers (at least 1), layer l linking site
n to site n - 2^l. Every (site, layer) has its own vanilla (Elman) cell:

    h^l_n = act( U^l_n x^l_n + V^l_n h^l_{n-2^l} + b^l_n ),    act = ELU by default
    x^0_n = onehot(s_{n-1}) (zeros at n = 0),   x^l_n = h^{l-1}_n for l >= 1
    q(s_n) = softmax(Wo_n^T h^{n_L-1}_n + bo_n),   q(s_n = +1) = softmax(.)[0]

Missing predecessors (n < 2^l), option ``missing``:
  * "reference" (default): the reference code reads the state slot of (layer l, site 0),
    which is the zero state at n = 0 but h^l_0 for 0 < n < 2^l (its indexing quirk; the code
    behind the VCA paper and most likely what the MPVAN authors ran);
  * "zero": a zero state, as the paper's description implies.
Either way q is an exact autoregressive distribution: h^l_0 depends on no spin.

Parameters per site: (2 + d_h) d_h + d_h (layer 0) + (n_L - 1)(2 d_h^2 + d_h) + 2 d_h + 2.

Computation. Sampling: one ``lax.scan`` over the sites, all layers per site, with a ring
buffer of the last 2^l states of each layer (memory O(B d_h 2^{n_L}) = O(B d_h N)).
Teacher-forced log-prob (the one differentiated in training): layer by layer, since with the
spins known layer l is 2^l independent chains; one scan over blocks of 2^l sites per layer,
carries replaced whole, so jax.grad does not copy a buffer per step. The two are different
code, and the tests check that they give the same ln q.
"""

from __future__ import annotations

import math

import jax
import jax.numpy as jnp
from jax import lax

from arspin.hamiltonian import IsingModel
from arspin.nets.kernel import (
    ACTIVATIONS,
    F32,
    Params,
    draw_params,
    spin_from_noise,
    spin_onehot,
    sum_log_sigmoid,
)

MISSING = ("reference", "zero")   # the registry's choices for ``missing``


def default_layers(n: int) -> int:
    """ceil(log2 N), at least 1."""
    return max(1, math.ceil(math.log2(n))) if n > 1 else 1


def dilated_param_count(n: int, hidden: int, layers: int) -> int:
    """Closed-form parameter count of :class:`DilatedRNN`."""
    d = hidden
    per_site = (2 + d) * d + d + (layers - 1) * (2 * d * d + d) + 2 * d + 2
    return n * per_site


class DilatedRNN:
    """Dilated RNN with per-(site, layer) vanilla cells; an AutoregressiveNet (``dilated_rnn``).

    Args:
        model: the Ising model (only N is used: the net is for fully connected models).
        hidden: d_h, units per layer (20 in the VCA script).
        layers: number of layers; None = ceil(log2 N).
        missing: "reference" or "zero" (see the module docstring).
        activation: "elu" (VCA) or "tanh".
        init_scale: output weights start at (init_scale / sqrt(d_h)) x truncated-normal so
            every conditional starts near 1/2 (physics.md section 3); cell weights start at
            (1 / sqrt(fan_in)) x truncated-normal, cell biases at 0.
    """

    name = "dilated_rnn"

    def __init__(self, model: IsingModel, *, hidden: int = 20, layers: int | None = None,
                 missing: str = "reference", activation: str = "elu", init_scale: float = 1e-2):
        # hyperparameter ranges are checked by the registry (nets/registry.py, build_net)
        self.n, self.hidden = model.n, int(hidden)
        self.layers = default_layers(model.n) if layers is None else int(layers)
        self.missing, self.activation = missing, activation
        self.act = ACTIVATIONS[activation]
        self.init_scale = float(init_scale)

    # ----------------------------------------------------------------- params
    def init(self, key: jax.Array) -> Params:
        """Arrays with a leading axis N (site); "U" (layers >= 1) only when n_L > 1."""
        n, d, nl = self.n, self.hidden, self.layers
        spec = (
            ("U0", (n, 2, d), 1 / math.sqrt(2 + d)),
            ("V", (n, nl, d, d), 1 / math.sqrt(2 * d)),
            ("b", (n, nl, d), 0.0),
            ("Wo", (n, d, 2), self.init_scale / math.sqrt(d)),
            ("bo", (n, 2), 0.0),
        ) + ((("U", (n, nl - 1, d, d), 1 / math.sqrt(2 * d)),) if nl > 1 else ())
        return draw_params(key, spec)

    @classmethod
    def param_count(cls, model: IsingModel, *, hidden: int = 20, layers: int | None = None,
                    **_: object) -> int:
        """Closed form, no init (see :func:`dilated_param_count`)."""
        n = model.n
        return dilated_param_count(n, int(hidden), default_layers(n) if layers is None
                                   else int(layers))

    def n_params(self, params: Params) -> int:
        """All parameters are trainable (see :func:`dilated_param_count`)."""
        return dilated_param_count(self.n, self.hidden, self.layers)

    # ----------------------------------------------------------------- forward
    def _sample_scan(self, params: Params, noise: jax.Array) -> tuple[jax.Array, jax.Array]:
        """Ancestral sampling, site by site, all layers per site.

        Layer l owns slots 2^l - 1 .. 2^(l+1) - 2 of one ring buffer; slot n mod 2^l holds
        h^l_{n-2^l} when site n reads it and is then overwritten with h^l_n. The buffer is
        updated in place, which is cheap forward but not under jax.grad (log_prob does not
        use this path).

        Args:
            noise: (N, B) standard logistic noise.
        Returns:
            x (N, B) and logits (N, B) of q(x_n = +1 | x_<n).
        """
        d, nl = self.hidden, self.layers
        batch = noise.shape[1]

        def step(carry, xs):
            ring, z = carry                        # z starts as onehot(x_{n-1})
            n, p = xs["n"], xs["p"]
            for layer in range(nl):
                size = 2 ** layer
                slot = size - 1 + n % size
                read = slot
                if self.missing == "reference":
                    read = jnp.where((n > 0) & (n < size), size - 1, slot)
                u = p["U0"] if layer == 0 else p["U"][layer - 1]
                z = self.act(z @ u + ring[read] @ p["V"][layer] + p["b"][layer])
                ring = ring.at[slot].set(z)
            out = z @ p["Wo"] + p["bo"]
            logit = out[:, 0] - out[:, 1]          # softmax over 2 = sigmoid of the difference
            x = spin_from_noise(logit, xs["u"])
            return (ring, spin_onehot(x)), (x, logit)

        carry = (jnp.zeros((2 ** nl - 1, batch, d), F32), jnp.zeros((batch, 2), F32))
        xs = {"n": jnp.arange(self.n, dtype=jnp.int32), "u": noise, "p": params}
        _, (x, logits) = lax.scan(step, carry, xs)
        return x, logits

    def _layer(self, pre: jax.Array, v: jax.Array, size: int) -> jax.Array:
        """All states of one layer given its inputs (teacher forcing).

        h_n = act(pre_n + h_{n-size} V_n) is ``size`` independent chains: the sites are cut
        into blocks of ``size`` and one scan runs over the blocks, all chains at once. The
        first block reads the missing states: zeros, or h_0 = act(pre_0) for 0 < n < size
        in the reference variant.

        Args:
            pre: (N, B, d_h) U_n x_n + b_n.  v: (N, d_h, d_h).  size: the dilation 2^l.
        Returns:
            (N, B, d_h) states h_n.
        """
        n = pre.shape[0]
        blocks = -(-n // size)
        pad = blocks * size - n                    # padded sites come last in every chain
        missing = jnp.zeros((size,) + pre.shape[1:], F32)
        if self.missing == "reference":
            missing = missing.at[1:].set(self.act(pre[0]))
        pre = jnp.pad(pre, ((0, pad), (0, 0), (0, 0))).reshape((blocks, size) + pre.shape[1:])
        v = jnp.pad(v, ((0, pad), (0, 0), (0, 0))).reshape((blocks, size) + v.shape[1:])

        def block(h_prev, xs):
            h = self.act(xs[0] + jnp.einsum("nbd,nde->nbe", h_prev, xs[1]))
            return h, h

        _, hs = lax.scan(block, missing, (pre, v))
        return hs.reshape((blocks * size,) + hs.shape[2:])[:n]

    def logits(self, params: Params, x: jax.Array, beta: jax.Array | None = None) -> jax.Array:
        """Teacher-forced logits (B, N) of q(x_n = +1 | x_<n); beta is unused.

        Layer by layer (layer l is 2^l independent chains): n_L scans of ceil(N / 2^l) - 1
        steps, whose carries are replaced whole, so the reverse pass is cheap.
        """
        x = jnp.asarray(x, F32).T                                      # (N, B)
        onehot = spin_onehot(x)
        z = jnp.concatenate([jnp.zeros_like(onehot[:1]), onehot[:-1]])  # x^0_n = onehot(s_{n-1})
        for layer in range(self.layers):
            u = params["U0"] if layer == 0 else params["U"][:, layer - 1]
            pre = jnp.einsum("nbi,nid->nbd", z, u) + params["b"][:, layer, None, :]
            z = self._layer(pre, params["V"][:, layer], 2 ** layer)
        w = params["Wo"][..., 0] - params["Wo"][..., 1]
        return (jnp.einsum("nbd,nd->nb", z, w) + (params["bo"][:, 0] - params["bo"][:, 1])[:, None]).T

    def log_prob(self, params: Params, x: jax.Array, beta: jax.Array) -> jax.Array:
        """ln q(x) (B,) float32 for x (B, N) +-1."""
        x = jnp.asarray(x, F32)
        return sum_log_sigmoid(x, self.logits(params, x, beta), axis=-1)

    def sample(self, params: Params, key: jax.Array, batch: int, beta: jax.Array
               ) -> tuple[jax.Array, jax.Array]:
        """Exact ancestral samples x (B, N) float32 and ln q(x) (B,)."""
        noise = jax.random.logistic(key, (self.n, batch), F32)
        x, logits = self._sample_scan(params, noise)
        return x.T, jnp.sum(jax.nn.log_sigmoid(x * logits), axis=0)
