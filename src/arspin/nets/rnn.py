"""Tensorized recurrent ARNNs: the 2D RNN of Hibat-Allah et al. (2021) and its 1D chain form.

physics.md section 6c. Sites are visited along a path; the site at step t has k predecessor
slots (2D: the previously visited horizontal neighbour and the neighbour one row up; 1D: the
previous site). With h_p the predecessors' hidden states (d_h each) and o_p the one-hots of
their spins, concatenated into s (k d_h,) and o (2k,),

    h_t     = act( sum_{a,c} T[a, c, :] s_a o_c + b )         T: (k d_h, 2k, d_h)
    q(x_t)  = softmax(Wo^T h_t + bo)                           Wo: (d_h, 2), bo: (2,)

with q(x_t = +1) = softmax(.)[0], and zero states and zero one-hots where a predecessor does
not exist (first row, start of a row, first site). Parameters per cell: 2 k^2 d_h^2 + 3 d_h + 2
(2D: 8 d_h^2 + 3 d_h + 2, 1D: 2 d_h^2 + 3 d_h + 2); ``per_site`` gives every site its own
cell and output layer (N times that), else one cell is shared by all sites.

2D path: the snake (boustrophedon) path, row 0 left to right, row 1 right to left, ... over
the row-major spins (index r*C + c). q(x) is therefore autoregressive in the SNAKE order, not
in the index order: q is still exactly normalised and exactly sampled, which is all the
training needs. 1D path: the index order (for 3D EA and RRG, where a 2D cell does not apply).

Both sampling and the teacher-forced log-prob are one ``lax.scan`` over the rows around a
``lax.scan`` over the sites of a row (the same code; teacher forcing feeds the given spins
instead of drawing them). The carries are a row of states (C, B, d_h) and one site's state,
so memory is O(B C d_h) and nothing is updated in place (cheap reverse pass).

hidden = "auto" (default) picks d_h >= 2 so that the parameter count is closest (in ratio) to
that of the default TwoBo on the same model, N + sum_i |F_i| + #skip weights (the TwoBo paper's
criterion for its RNN comparison; kernel.two_body_param_count, so this module does not import
the TwoBo module). The floor d_h >= 2 (MIN_AUTO_HIDDEN) matters at small 2D sizes, where the
closest width would be d_h = 1, a near-degenerate cell.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from arspin.errors import ArspinError
from arspin.hamiltonian import IsingModel
from arspin.nets.kernel import (
    ACTIVATIONS,
    F32,
    Params,
    draw_params,
    spin_from_noise,
    spin_onehot,
    two_body_param_count,
)

MIN_AUTO_HIDDEN = 2    # d_h = 1 is a near-degenerate cell (3x the F error of d_h = 2, 2D L = 8)
MAX_AUTO_HIDDEN = 512


def cell_param_count(hidden: int, k: int) -> int:
    """Parameters of one tensorized cell with its output layer: 2 k^2 d_h^2 + 3 d_h + 2."""
    return 2 * k * k * hidden * hidden + 3 * hidden + 2


def auto_hidden(target: int, n: int, k: int, per_site: bool) -> int:
    """The d_h in MIN_AUTO_HIDDEN..MAX_AUTO_HIDDEN whose parameter count is closest to
    ``target`` in ratio (the floor wins where TwoBo is so small that d_h = 1 would be closest,
    e.g. the quick 2D sizes L = 4, 8)."""
    sites = n if per_site else 1
    sizes = np.arange(MIN_AUTO_HIDDEN, MAX_AUTO_HIDDEN + 1)
    counts = sites * (2 * k * k * sizes**2 + 3 * sizes + 2)
    return int(sizes[np.argmin(np.abs(np.log(counts / max(target, 1))))])


def resolve_hidden(model: IsingModel, hidden: int | str | None, k: int, per_site: bool) -> int:
    """d_h: ``hidden`` itself, or for None / "auto" the width whose parameter count is closest
    to the default TwoBo's on ``model`` (kernel.two_body_param_count)."""
    if hidden is None or (isinstance(hidden, str) and hidden == "auto"):
        return auto_hidden(two_body_param_count(model), model.n, k, per_site)
    return int(hidden)


def snake_path(rows: int, cols: int) -> np.ndarray:
    """Spin index (row-major, r*cols + c) of each step of the snake path, int32 (N,):
    even rows left to right, odd rows right to left. One row is the index order."""
    grid = np.arange(rows * cols, dtype=np.int32).reshape(rows, cols)
    grid[1::2] = grid[1::2, ::-1]
    return grid.ravel()


def lattice_shape(model: IsingModel, shape: Sequence[int] | None) -> tuple[int, int]:
    """(rows, cols) of the row-major 2D lattice of ``model``.

    From ``shape`` when given ([rows, cols] of positive integers; rows * cols must be N), else from the model's meta (an
    ``ea2d`` instance, or meta dim == 2 with side L, and L^2 == N).

    Raises:
        ArspinError: no 2D lattice layout (other family, relabelled spins, wrong shape).
    """
    n, meta = model.n, model.meta
    if "order" in meta:
        raise ArspinError("rnn2d: the spins were relabelled (meta 'order'), so index r*L + c "
                          "is no longer lattice site (r, c); use rnn1d")
    if shape is not None:
        # the format ([rows, cols], positive integers) is checked by the registry
        dims = list(shape)
        if dims[0] * dims[1] != n:
            raise ArspinError(f"rnn2d: shape {dims} has {dims[0] * dims[1]} sites, the model has N={n}")
        return int(dims[0]), int(dims[1])
    side = meta.get("L", meta.get("size"))
    is_2d = meta.get("family") == "ea2d" or (meta.get("dim") == 2 and "L" in meta)
    if not is_2d or not isinstance(side, (int, np.integer)) or side * side != n:
        raise ArspinError(
            f"rnn2d needs an L x L lattice (family ea2d), got family "
            f"{meta.get('family', 'unknown')!r} with N={n}; give net.shape: [rows, cols] for a "
            f"row-major lattice, or use rnn1d (3D EA, RRG, any graph)")
    return int(side), int(side)


class TensorizedRNN:
    """Tensorized RNN along the snake path of a rows x cols grid; an AutoregressiveNet.

    Args:
        model: the Ising model (only N and, for "auto", the frontier sizes are used).
        rows, cols: the grid; rows * cols = N.
        k: predecessors per site, 2 (horizontal and up, 2D) or 1 (horizontal only, 1D chain).
        hidden: d_h, or "auto" / None (match the default TwoBo's parameter count).
        per_site: one cell and output layer per site (default) or one shared by all sites.
        activation: "tanh" or "elu"; None = the published pairing (shared tanh, per-site elu).
        init_scale: output weights start at (init_scale / sqrt(d_h)) x truncated-normal, so
            every conditional starts near 1/2 (physics.md section 3).
    """

    name = "rnn"

    def __init__(self, model: IsingModel, rows: int, cols: int, k: int, *,
                 hidden: int | str | None = "auto", per_site: bool = True,
                 activation: str | None = None, init_scale: float = 1e-2):
        # hyperparameter ranges are checked by the registry (nets/registry.py, build_net)
        activation = activation or ("elu" if per_site else "tanh")
        if rows * cols != model.n or k not in (1, 2) or (k == 1 and rows != 1):
            raise ValueError(f"bad geometry rows={rows}, cols={cols}, k={k} for N={model.n}")
        self.n, self.rows, self.cols, self.k = model.n, rows, cols, k
        hidden = resolve_hidden(model, hidden, k, per_site)
        self.hidden, self.per_site, self.activation = hidden, per_site, activation
        self.act = ACTIVATIONS[activation]
        self.init_scale = float(init_scale)
        self.path = snake_path(rows, cols)                # spin index of step t
        self.inverse = np.argsort(self.path).astype(np.int32)  # step of spin i

    # ----------------------------------------------------------------- params
    def init(self, key: jax.Array) -> Params:
        """Per-site arrays have a leading axis N in PATH order (entry t = step t's cell)."""
        k, d = self.k, self.hidden
        lead = (self.n,) if self.per_site else ()
        spec = (
            # k predecessors, each with one active one-hot entry: k * (k d_h) active terms
            ("T", lead + (k * d, 2 * k, d), 1.0 / (k * math.sqrt(d))),
            # non-zero: the cell is bilinear in (states, inputs), so with b = 0 the zero
            # boundary state would keep every hidden state at exactly 0
            ("b", lead + (d,), 1.0 / math.sqrt(d)),
            ("Wo", lead + (d, 2), self.init_scale / math.sqrt(d)),
            ("bo", lead + (2,), 0.0),
        )
        return draw_params(key, spec)

    def n_params(self, params: Params) -> int:
        """All parameters are trainable: (N or 1) x (2 k^2 d_h^2 + 3 d_h + 2)."""
        return (self.n if self.per_site else 1) * cell_param_count(self.hidden, self.k)

    # ----------------------------------------------------------------- forward
    def _scan(self, params: Params, inputs: jax.Array, teacher: bool) -> tuple[jax.Array, jax.Array]:
        """Run the path: a scan over rows around a scan over the sites of a row.

        The carries are the previous row's states and one-hots (outer) and the previous
        site's (inner), always replaced whole: no buffer is updated in place, so the reverse
        pass of jax.grad stays O(B d_h) per step.

        Args:
            inputs: (N, B) spins in path order (teacher) or standard logistic noise.
        Returns:
            x (N, B) and logits (N, B) of q(x_t = +1 | earlier steps), both in path order.
        """
        k, d, rows, cols = self.k, self.hidden, self.rows, self.cols
        batch = inputs.shape[1]
        width = 2 * k * k * d

        def site(carry, xs):
            h_left, o_left = carry
            p = xs["p"] if self.per_site else params
            s, o = h_left, o_left
            if k == 2:
                s = jnp.concatenate([h_left, xs["h_up"]], axis=-1)
                o = jnp.concatenate([o_left, xs["o_up"]], axis=-1)
            outer = (s[:, :, None] * o[:, None, :]).reshape(batch, width)
            h = self.act(outer @ p["T"].reshape(width, d) + p["b"])
            out = h @ p["Wo"] + p["bo"]
            logit = out[:, 0] - out[:, 1]          # softmax over 2 = sigmoid of the difference
            x = xs["u"] if teacher else spin_from_noise(logit, xs["u"])
            onehot = spin_onehot(x)
            return (h, onehot), (h, onehot, x, logit)

        def row(carry, xs):
            h_up, o_up = carry                     # previous row, column order
            odd = xs["r"] % 2 == 1                 # odd rows run right to left
            site_xs = {"u": xs["u"], "p": xs["p"],
                       "h_up": jnp.where(odd, h_up[::-1], h_up),
                       "o_up": jnp.where(odd, o_up[::-1], o_up)}
            start = (jnp.zeros((batch, d), F32), jnp.zeros((batch, 2), F32))
            _, (h, o, x, logit) = lax.scan(site, start, site_xs)
            return (jnp.where(odd, h[::-1], h), jnp.where(odd, o[::-1], o)), (x, logit)

        per_row = None
        if self.per_site:
            per_row = jax.tree_util.tree_map(lambda a: a.reshape((rows, cols) + a.shape[1:]),
                                             params)
        zero_row = (jnp.zeros((cols, batch, d), F32), jnp.zeros((cols, batch, 2), F32))
        xs = {"r": jnp.arange(rows), "u": inputs.reshape(rows, cols, batch), "p": per_row}
        _, (x, logits) = lax.scan(row, zero_row, xs)
        return x.reshape(self.n, batch), logits.reshape(self.n, batch)

    def logits(self, params: Params, x: jax.Array, beta: jax.Array | None = None) -> jax.Array:
        """Teacher-forced logits (B, N) of q(x_i = +1 | spins before i on the path), index
        order; beta is unused."""
        x = jnp.asarray(x, F32)
        _, logits = self._scan(params, x[:, self.path].T, teacher=True)
        return logits.T[:, self.inverse]

    def log_prob(self, params: Params, x: jax.Array, beta: jax.Array) -> jax.Array:
        """ln q(x) (B,) float32 for x (B, N) +-1 in index order."""
        x = jnp.asarray(x, F32)
        _, logits = self._scan(params, x[:, self.path].T, teacher=True)
        return jnp.sum(jax.nn.log_sigmoid(x[:, self.path].T * logits), axis=0)

    def sample(self, params: Params, key: jax.Array, batch: int, beta: jax.Array
               ) -> tuple[jax.Array, jax.Array]:
        """Exact ancestral samples x (B, N) float32 in index order and ln q(x) (B,)."""
        noise = jax.random.logistic(key, (self.n, batch), F32)
        x, logits = self._scan(params, noise, teacher=False)
        return x.T[:, self.inverse], jnp.sum(jax.nn.log_sigmoid(x * logits), axis=0)


class RNN2D(TensorizedRNN):
    """2D tensorized RNN on a rows x cols lattice, snake path (net name ``rnn2d``).

    Args:
        shape: [rows, cols]; None = from the model's meta (ea2d, side L).
        Others: see :class:`TensorizedRNN`.
    """

    name = "rnn2d"

    def __init__(self, model: IsingModel, *, shape: Sequence[int] | None = None,
                 hidden: int | str | None = "auto", per_site: bool = True,
                 activation: str | None = None, init_scale: float = 1e-2):
        self.shape = lattice_shape(model, shape)
        super().__init__(model, *self.shape, 2, hidden=hidden, per_site=per_site,
                         activation=activation, init_scale=init_scale)

    @classmethod
    def param_count(cls, model: IsingModel, *, shape: Sequence[int] | None = None,
                    hidden: int | str | None = "auto", per_site: bool = True,
                    **_: object) -> int:
        """Closed form, no init: (N or 1) x (8 d_h^2 + 3 d_h + 2). Raises ArspinError like the
        constructor when the model has no such lattice."""
        lattice_shape(model, shape)
        sites = model.n if per_site else 1
        return sites * cell_param_count(resolve_hidden(model, hidden, 2, per_site), 2)


class RNN1D(TensorizedRNN):
    """1D tensorized RNN along the index order, any model (net name ``rnn1d``).

    Args: see :class:`TensorizedRNN`.
    """

    name = "rnn1d"

    def __init__(self, model: IsingModel, *, hidden: int | str | None = "auto",
                 per_site: bool = True, activation: str | None = None, init_scale: float = 1e-2):
        super().__init__(model, 1, model.n, 1, hidden=hidden, per_site=per_site,
                         activation=activation, init_scale=init_scale)

    @classmethod
    def param_count(cls, model: IsingModel, *, hidden: int | str | None = "auto",
                    per_site: bool = True, **_: object) -> int:
        """Closed form, no init: (N or 1) x (2 d_h^2 + 3 d_h + 2)."""
        sites = model.n if per_site else 1
        return sites * cell_param_count(resolve_hidden(model, hidden, 1, per_site), 1)
