"""Exact Ising energies as JAX functions, for use inside jitted training steps.

:class:`arspin.hamiltonian.IsingModel` evaluates H(x) with numpy on the host; a jitted step
needs the same numbers as a traced function. :func:`energy_fn` provides it, and
:func:`lift_arrays` turns the arrays it (or a net) closes over into explicit arguments so that
one compiled program serves every instance of the same shape.

Units: H is the dimensionless Ising energy of :mod:`arspin.hamiltonian`,

    H(x) = - sum_{i<j} J_ij x_i x_j - sum_i h_i x_i,     x_i in {-1, +1},

total (not per spin), with J and h as stored in the instance file. Energies are float64
whatever the dtype of x: the nets are float32, but the loss beta H + ln q and the running best
energy must not lose the integer precision of +-J couplings at N ~ 10^3.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import jax
import jax.numpy as jnp

from arspin.hamiltonian import IsingModel

__all__ = ["Energy", "energy_fn", "lift_arrays"]


class Energy:
    """H(x) of one model as a callable whose arrays are attributes (see :func:`lift_arrays`).

    Attributes (all jax arrays, so that ``lift_arrays`` finds them):
        h: float64 (N,) external fields.
        mat: float64 (N, N) symmetric coupling matrix with zero diagonal (dense models only).
        i, j: int32 (E,) endpoints of each bond (sparse models only).
        coupling: float64 (E,) J of each bond (sparse models only).
    ``dense`` (a Python bool) selects the formula; it is static, part of the compiled program.
    """

    def __init__(self, model: IsingModel):
        self.h = jnp.asarray(model.h, dtype=jnp.float64)
        self.dense = model.is_dense()
        if self.dense:
            self.mat = jnp.asarray(model.coupling_matrix.toarray(), dtype=jnp.float64)
        else:
            self.i = jnp.asarray(model.i, dtype=jnp.int32)
            self.j = jnp.asarray(model.j, dtype=jnp.int32)
            self.coupling = jnp.asarray(model.J, dtype=jnp.float64)

    def __call__(self, x: jax.Array) -> jax.Array:
        """H of each row of x: (B, N) of any dtype with entries +-1 -> float64 (B,)."""
        x = x.astype(jnp.float64)
        if self.dense:
            # the matrix holds each bond twice (J_ij and J_ji), hence the 1/2
            return -0.5 * jnp.sum(x * (x @ self.mat), axis=-1) - x @ self.h
        return -(x[:, self.i] * x[:, self.j]) @ self.coupling - x @ self.h


def energy_fn(model: IsingModel) -> Callable[[jax.Array], jax.Array]:
    """Jittable exact energies H(x) in float64 (requires jax float64, see jaxsetup).

    Sparse models gather the two spins of every bond (O(B E)); dense ones (``is_dense``) use
    one symmetric matmul (O(B N^2)) because a gather over N^2/2 bonds is slower than BLAS.

    Returns:
        f(x) with x (B, N) of any dtype, entries +-1, returning float64 (B,) total energies
        (not per spin), equal to ``model.energy(x)``. The callable is an :class:`Energy`,
        whose arrays :func:`lift_arrays` can turn into arguments.
    Raises:
        RuntimeError: jax float64 is off (the energies would silently be float32).
    """
    if not jax.config.jax_enable_x64:
        raise RuntimeError("float64 is off: call arspin.jaxsetup.configure() first")
    return Energy(model)


def lift_arrays(obj: Any) -> tuple[dict[str, jax.Array], Callable[[dict], Any]]:
    """The jax.Array attributes of ``obj`` and a function returning a copy of ``obj`` with
    those attributes replaced.

    Why: arrays a jitted function closes over are embedded in the compiled program as
    constants, so every instance (other couplings, same shapes) compiles anew and the
    persistent compilation cache never hits across the DAG's jobs. Passing them as arguments
    makes the program depend on shapes only: instances of one lattice share one compilation.

    Returns:
        (arrays, rebuild): ``arrays`` maps attribute name -> array (shapes and dtypes as in
        ``obj``); ``rebuild(values)`` is a shallow copy of ``obj`` with ``values`` (a dict of
        the same keys, e.g. tracers inside jit) set as its attributes. Non-array attributes
        (sizes, flags) are shared and stay static.
    """
    arrays = {k: v for k, v in vars(obj).items() if isinstance(v, jax.Array)}

    def rebuild(values: dict[str, jax.Array]) -> Any:
        clone = copy.copy(obj)
        vars(clone).update(values)
        return clone

    return arrays, rebuild
