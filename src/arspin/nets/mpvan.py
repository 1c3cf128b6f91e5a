"""MPVAN: the message-passing variational autoregressive net (mpvan.md sections 2, 3, 5).

Width 1 per node: a batch of node features h (B, N), L layers (the paper: 3), each

    h_tilde = c * h + phi(h, s) @ K_<^T                 message passing, no trainable parameter
    h'      = sigmoid(h_tilde @ (W * M)^T + b)          W (N, N), b (N,) trained per layer

with M strictly lower triangular in layer 1 (j < i) and lower triangular with the diagonal in
later layers (j <= i), input h^(0) = s (or (1+s)/2, ``first_layer_input: zero_one``), output
q(s_i = +1 | s_<i) = h^(L)_i (its logit is kept, so ln q never takes the log of a rounded
probability). K_< is the strictly lower triangle of the mechanism's kernel: only earlier
neighbours send messages (Eq. 5).

    mechanism    c_i                  K_ij                        phi_j
    none         1                    0                           -            (the paper's VAN)
    gcn          1/(d_i+1)            A_ij/sqrt((d_i+1)(d_j+1))   h_j          (GCon-VAN)
    weighted     self_weight          |J_ij|                      h_j
    graph        self_weight          J_ij                        h_j
    hamiltonian  self_weight          J_ij                        s_j h_hat_j  (MPVAN)
    spin_gcn     1/(d_i+1)            as gcn                      s_j h_j
    graph_spin   self_weight          J_ij                        s_j h_j

h_hat_j = h_j if s_j = +1 else 1 - h_j (Eq. 9); J in H = -sum_{i<j} J_ij s_i s_j; d_i the
degree on the full graph, or the number of earlier neighbours (``gcn_degree: causal``).
``mp_layers: hidden`` skips the message in layer 1. Trainable parameters: N(N-1)/2 + N for
layer 1, N(N+1)/2 + N for each later one.

The message uses the dense kernel (a (B, N) x (N, N) product) or, on sparse instances, a sum
over the earlier-neighbour edges (segment sums, O(B E)); ``kernel: auto`` picks sparse unless
the instance is dense (``IsingModel.is_dense``: over a quarter of the pairs coupled). The masked dense W keeps every layer at
O(B N^2) either way, so this matters only for the message's memory and constant.
Sampling is ancestral with one full pass per site (placeholders 0 for the unsampled spins,
which no output i reads): O(N L B N^2) per batch, the paper's own cost; fine at its sizes
(N <= 100).

Init (mpvan.md section 2, [choice]: the VAN code's): W ~ U(-1/sqrt N, 1/sqrt N) times the mask
times sqrt(N^2 / #unmasked), b ~ U(-1/sqrt N, 1/sqrt N).
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from arspin.hamiltonian import IsingModel
from arspin.nets.base import LogitNet
from arspin.nets.kernel import F32, Params, logistic_noise, spin_from_noise, sum_log_sigmoid

MECHANISMS = ("hamiltonian", "none", "gcn", "weighted", "graph", "spin_gcn", "graph_spin")
_GCN = ("gcn", "spin_gcn")


def message_kernel(model: IsingModel, mechanism: str, self_weight: float = 1.0,
                   gcn_degree: str = "full") -> tuple[np.ndarray, np.ndarray]:
    """(c (N,), K_< (N, N)) float64 of ``mechanism`` (module table): the self weights and the
    strictly lower-triangular kernel, K_<[i, j] = K_ij for j < i, else 0."""
    n = model.n
    couplings = model.coupling_matrix.toarray()
    if mechanism == "none":
        return np.ones(n), np.zeros((n, n))
    if mechanism in _GCN:
        adjacency = (couplings != 0).astype(float)
        degree = (np.tril(adjacency, -1).sum(axis=1) if gcn_degree == "causal"
                  else adjacency.sum(axis=1))
        kernel = adjacency / np.sqrt(np.outer(degree + 1, degree + 1))
        return 1.0 / (degree + 1), np.tril(kernel, -1)
    kernel = np.abs(couplings) if mechanism == "weighted" else couplings
    return np.full(n, float(self_weight)), np.tril(kernel, -1)


class MPVAN(LogitNet):
    """Message-passing VAN (module doc). Hyperparameters are checked by the registry."""

    def __init__(self, model: IsingModel, *, mechanism: str = "hamiltonian", layers: int = 3,
                 self_weight: float = 1.0, gcn_degree: str = "full",
                 first_layer_input: str = "pm1", mp_layers: str = "all",
                 kernel: str = "auto"):
        n = model.n
        self.n, self.mechanism, self.layers = n, mechanism, int(layers)
        self.first_layer_input, self.mp_layers = first_layer_input, mp_layers
        c, dense = message_kernel(model, mechanism, self_weight, gcn_degree)
        self._c = jnp.asarray(c, F32)
        self.sparse = kernel == "sparse" or (kernel == "auto" and not model.is_dense())
        if self.sparse:                                      # edges j < i of the kernel
            rows, cols = np.nonzero(dense)
            self._rows, self._cols = jnp.asarray(rows), jnp.asarray(cols)
            self._values = jnp.asarray(dense[rows, cols], F32)
        else:
            self._kernel = jnp.asarray(dense, F32)
        deg = np.arange(n)
        self._masks = [jnp.asarray(deg[None, :] < deg[:, None], F32)]        # layer 1: j < i
        self._masks += [jnp.asarray(deg[None, :] <= deg[:, None], F32)] * (self.layers - 1)
        self._n_params = self.param_count(model, layers=self.layers)

    # ----------------------------------------------------------------- params
    def init(self, key: jax.Array) -> Params:
        """{"W": [L x (N, N)], "b": [L x (N,)]}, float32, the VAN code's uniform init."""
        n, bound = self.n, 1.0 / np.sqrt(self.n)
        keys = jax.random.split(key, 2 * self.layers)
        weights, biases = [], []
        for layer, mask in enumerate(self._masks):
            gain = np.sqrt(n * n / float(np.sum(np.asarray(mask))))
            w = jax.random.uniform(keys[2 * layer], (n, n), F32, -bound, bound)
            weights.append(w * mask * F32(gain))
            biases.append(jax.random.uniform(keys[2 * layer + 1], (n,), F32, -bound, bound))
        return {"W": weights, "b": biases}

    @classmethod
    def param_count(cls, model: IsingModel, *, layers: int = 3, **_: object) -> int:
        """N(N-1)/2 + N (layer 1) + (L-1) (N(N+1)/2 + N): unmasked weights and biases."""
        n = model.n
        return n * (n - 1) // 2 + n + (int(layers) - 1) * (n * (n + 1) // 2 + n)

    def n_params(self, params: Params) -> int:
        return self._n_params

    def trainable_mask(self, params: Params) -> Params:
        """True where an entry is trained (inside the autoregressive masks)."""
        return {"W": [m > 0 for m in self._masks],
                "b": [jnp.ones(b.shape, bool) for b in params["b"]]}

    # ----------------------------------------------------------------- forward
    def _message(self, h: jax.Array, s: jax.Array) -> jax.Array:
        """h_tilde (B, N) from features h (B, N) and spins s (B, N)."""
        if self.mechanism == "none":
            return h
        if self.mechanism == "hamiltonian":
            phi = s * ((1 - s) / 2 + s * h)                  # s_j h_hat_j, Eq. (9)
        elif self.mechanism in ("spin_gcn", "graph_spin"):
            phi = s * h
        else:
            phi = h
        if self.sparse:
            edges = phi[:, self._cols] * self._values                          # (B, E)
            message = jax.ops.segment_sum(edges.T, self._rows, num_segments=self.n).T
        else:
            message = phi @ self._kernel.T
        return self._c * h + message

    def logits(self, params: Params, x: jax.Array, beta: jax.Array | None = None) -> jax.Array:
        """Teacher-forced logits (B, N) of q(s_i = +1 | s_<i); beta is unused."""
        s = jnp.asarray(x, F32)
        h = (1 + s) / 2 if self.first_layer_input == "zero_one" else s
        z = h
        for layer, (w, b, mask) in enumerate(zip(params["W"], params["b"], self._masks)):
            if layer > 0:
                h = jax.nn.sigmoid(z)
            if layer > 0 or self.mp_layers == "all":
                h = self._message(h, s)
            z = h @ (w * mask).T + b
        return z

    # ----------------------------------------------------------------- sampling
    def sample(self, params: Params, key: jax.Array, batch: int, beta: jax.Array
               ) -> tuple[jax.Array, jax.Array]:
        """Ancestral samples: site i from a full pass over the spins drawn so far (0 beyond)."""
        noise = logistic_noise(key, (self.n, batch))

        def step(x, i):
            logit = lax.dynamic_index_in_dim(self.logits(params, x), i, axis=1,
                                             keepdims=False)
            xi = spin_from_noise(logit, noise[i])
            return x.at[:, i].set(xi), logit

        x, logits = lax.scan(step, jnp.zeros((batch, self.n), F32), jnp.arange(self.n))
        return x, sum_log_sigmoid(x.T, logits, axis=0)
