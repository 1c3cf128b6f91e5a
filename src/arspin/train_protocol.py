"""The H2ARNN paper's training protocol as an option of arspin.train (physics.md section 3),
and the exact F_q the trainer records for (i, M)-nets on Curie-Weiss models.

    EarlyStop                   the stopping and reporting rule (TrainConfig.early_stop)
    Schedule                    where a run stands, a pure function of its F_std history
    magnetization_free_energy   exact F_q of a logit table (N, 2N+1), float64, in JAX
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

import jax
import jax.numpy as jnp
import numpy as np

from arspin.errors import ArspinError

if TYPE_CHECKING:
    from arspin.train import TrainConfig

#: the exact F_q by the dynamic program over M (nets with ``logit_table`` on Curie-Weiss models)
DP_METRIC = "free_energy_dp"


@dataclass(frozen=True)
class EarlyStop:
    """The H2ARNN paper's stopping and reporting rule (physics.md section 3).

    A step's batch is *collected* when its std(l)/(beta N) (per spin, the metric
    ``free_energy_std``) is < ``tol`` or when it is step ``collect_after`` or later of its
    block (0-based). A block ends after ``steps_per_beta`` steps, or earlier at a collected
    batch with std < ``tol`` once ``min_collected`` batches of the block were collected. The
    per-beta F, E, S, abs M (and ``free_energy_dp``) are the means over the collected batches,
    F_std = sqrt(mean of the per-batch F_std^2), E_min the lowest collected batch minimum.
    Paper: tol 1e-4, min_collected 20, collect_after 1000 with steps_per_beta 1020.

    Attributes:
        tol: threshold on the per-spin batch std of l / (beta N) (energy per spin).
        min_collected: collected batches needed before a block may end early (>= 1).
        collect_after: from this step of a block on, every batch is collected (>= 0, below
            steps_per_beta so that every block collects at least one batch).
        warmup: the warm-up ends at its first batch with std < tol (the paper's CW nets);
            False runs all ``warmup_steps`` (the paper's SK nets).
    """

    tol: float = 1e-4
    min_collected: int = 20
    collect_after: int = 1000
    warmup: bool = True

    def __post_init__(self) -> None:
        if isinstance(self.tol, bool) or not isinstance(self.tol, (int, float)) \
                or not np.isfinite(self.tol) or self.tol <= 0:
            raise ArspinError(f"early_stop.tol: expected a number > 0, got {self.tol!r}")
        for name, low in (("min_collected", 1), ("collect_after", 0)):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
                raise ArspinError(f"early_stop.{name}: expected an integer >= {low}, "
                                  f"got {value!r}")
        if not isinstance(self.warmup, bool):
            raise ArspinError(f"early_stop.warmup: expected true or false, got {self.warmup!r}")
        object.__setattr__(self, "tol", float(self.tol))

    def identity(self) -> dict:
        return {k: (float(v) if k == "tol" else v) for k, v in asdict(self).items()}


class Schedule:
    """Position in the annealing schedule, advanced by each step's ``free_energy_std``.

    block: grid index of the next step (-1 in the warm-up); in_block: steps done in it;
    collected: batches collected in it; finished: the grid is done. Without early_stop it
    walks exactly :meth:`TrainConfig.schedule`.
    """

    def __init__(self, cfg: TrainConfig) -> None:
        self.cfg = cfg
        self.block, self.in_block, self.collected = (-1 if cfg.warmup_steps else 0), 0, 0
        self.finished = False

    def copy(self) -> Schedule:
        other = Schedule.__new__(Schedule)
        other.__dict__.update(self.__dict__)
        return other

    def position(self) -> tuple[int, int, int, bool]:
        return self.block, self.in_block, self.collected, self.finished

    def beta(self) -> float:
        """Beta of the next step."""
        return self.cfg.betas[max(self.block, 0)]

    def record(self, f_std: float) -> tuple[int, bool]:
        """Advance past one step whose batch had per-spin std ``f_std``.

        Returns:
            (grid index of that step, -1 in the warm-up; whether its batch was collected).
        """
        cfg, rule = self.cfg, self.cfg.early_stop
        block, step = self.block, self.in_block
        self.in_block += 1
        small = rule is not None and f_std < rule.tol
        if block < 0:
            collected = False
            end = self.in_block >= cfg.warmup_steps or (small and rule.warmup)
        else:
            collected = rule is not None and (small or step >= rule.collect_after)
            self.collected += collected
            end = self.in_block >= cfg.steps_per_beta or (
                small and self.collected >= rule.min_collected)  # small implies collected
        if end:
            self.block, self.in_block, self.collected = block + 1, 0, 0
            self.finished = self.block >= len(cfg.betas)
        return block, collected

    @classmethod
    def replay(cls, cfg: TrainConfig, f_std: np.ndarray) -> tuple[Schedule, np.ndarray,
                                                                  np.ndarray]:
        """The schedule after the steps whose F_std are ``f_std``; (schedule, grid index
        int64 (T,), collected bool (T,))."""
        walker = cls(cfg)
        marks = [walker.record(float(f)) for f in np.asarray(f_std, np.float64)]
        block = np.array([m[0] for m in marks], dtype=np.int64)
        return walker, block, np.array([m[1] for m in marks], dtype=bool)


def magnetization_free_energy(table: jax.Array, beta: jax.Array, J: float, h: float
                              ) -> jax.Array:
    """Exact F_q per spin (float64 scalar) of the net with logit table ``table`` (N, 2N+1),
    entry [i, M + N] = logit of q(x_i = +1 | M = sum_{s<i} x_s), on the Curie-Weiss model
    (J, h): the dynamic program of arspin.exact.magnetization_dp in JAX, O(N^2), float64."""
    n = table.shape[0]
    table = table.astype(jnp.float64)
    start = jnp.zeros(2 * n + 1, jnp.float64).at[n].set(1.0)

    def site(carry, row):
        p, ln_q = carry                 # P(M) and E[ln q(x_<i); M] over the grid M = -N..N
        log_up, log_down = jax.nn.log_sigmoid(row), jax.nn.log_sigmoid(-row)
        up, down = jnp.exp(log_up), jnp.exp(log_down)
        right = lambda v: jnp.concatenate([jnp.zeros(1), v[:-1]])  # M + 1
        left = lambda v: jnp.concatenate([v[1:], jnp.zeros(1)])    # M - 1
        return (right(p * up) + left(p * down),
                right(up * (ln_q + p * log_up)) + left(down * (ln_q + p * log_down))), None

    (p, ln_q), _ = jax.lax.scan(site, (start, jnp.zeros_like(start)), table)
    m = jnp.arange(-n, n + 1, dtype=jnp.float64)
    energy = -(J / n) * (m**2 - n) / 2 - h * m
    return (beta * (p @ energy) + jnp.sum(ln_q)) / (beta * n)


