"""Variational free-energy training with beta annealing (physics.md section 3).

One optimisation step draws a batch x ~ q_theta by ancestral sampling and uses the
per-sample loss  l(x) = beta H(x) + ln q(x)  (no gradient through l) in the REINFORCE
estimator with the batch-mean baseline,

    grad (beta N F_q)  ~  (1/B) sum_b (l(x_b) - mean l) grad ln q(x_b),

followed by one optax Adam update. Annealing: ``warmup_steps`` steps at ``betas[0]``, then
``steps_per_beta`` steps at each beta of the grid (so betas[0] gets both, as in the TwoBo
reference: 500 + 60 x 200 = 12,500 steps); parameters and Adam state carry over.

Option ``early_stop`` (:class:`EarlyStop`, the H2ARNN paper's protocol, physics.md section 3):
the warm-up may end at the first batch with std(l)/(beta N) < tol, a block ends early once
``min_collected`` batches were collected and a collected batch has std < tol, and the per-beta
values are means over the collected batches. The schedule then depends on the metrics; it is a
pure function of the history of ``free_energy_std`` (:class:`Schedule`), replayed on resume.
Without the option every number is what it was before the option existed.

For nets whose logits depend only on (i, M) (``logit_table``) on a Curie-Weiss instance, each
step also records ``free_energy_dp``: the exact F_q of the parameters that drew the batch, by a
float64 dynamic program over M (:func:`magnetization_free_energy`; exact/magnetization_dp.py).

Everything here is pure except :func:`train`, the host loop, which talks to the outside only
through callbacks (progress, checkpoints) and a logger. The key of step t is
``fold_in(step_root, t)``: a run resumed at step t sees exactly the keys of an uninterrupted
run, so the two end bitwise identical on the same device.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
import optax

from arspin.energy import energy_fn, lift_arrays
from arspin.errors import ArspinError
from arspin.hamiltonian import IsingModel
from arspin.nets.base import AutoregressiveNet, Params
from arspin.train_protocol import (
    DP_METRIC,
    EarlyStop,
    Schedule,
    magnetization_free_energy,
)
from arspin.train_report import METRICS, curves, summarize


class TrainingDiverged(ArspinError):
    """The loss became NaN or Inf; the message names beta and the step."""


@dataclass(frozen=True)
class TrainConfig:
    """Annealing and optimiser settings; every number of a run comes from here.

    Attributes:
        betas: inverse temperatures of the grid, in the order they are visited.
        warmup_steps: W >= 0 extra steps at betas[0] before the grid.
        steps_per_beta: K >= 1 steps at each beta of the grid.
        batch: B samples per step.
        lr: Adam learning rate.
        seed: root of every PRNG key (net init and sampling).
        checkpoint_every: checkpoint interval in steps (0 = never); does not change results.
        checkpoint_seconds: also checkpoint when this many seconds of wall time have passed
            since the last checkpoint (0 = never), so that a run of few slow steps is
            checkpointed too; does not change results.
        early_stop: the H2ARNN stopping and reporting rule (None: the fixed schedule; then
            warmup_steps and steps_per_beta are exact counts, else upper bounds).
    """

    betas: tuple[float, ...]
    warmup_steps: int
    steps_per_beta: int
    batch: int
    lr: float
    seed: int
    checkpoint_every: int = 0
    checkpoint_seconds: float = 0.0
    early_stop: EarlyStop | None = None

    def __post_init__(self) -> None:
        betas = np.asarray(self.betas, dtype=np.float64)
        if betas.ndim != 1 or betas.size == 0 or not np.all(np.isfinite(betas)) or np.any(betas <= 0):
            raise ArspinError(f"betas: need at least one finite beta > 0, got {self.betas!r}")
        for name, low in (("warmup_steps", 0), ("steps_per_beta", 1), ("batch", 2),
                          ("checkpoint_every", 0)):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
                raise ArspinError(f"{name}: expected an integer >= {low}, got {value!r}")
        seconds = self.checkpoint_seconds
        if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) \
                or not np.isfinite(seconds) or seconds < 0:
            raise ArspinError(f"checkpoint_seconds: expected a number >= 0, got {seconds!r}")
        if not (isinstance(self.lr, (int, float)) and np.isfinite(self.lr) and self.lr > 0):
            raise ArspinError(f"lr: expected a number > 0, got {self.lr!r}")
        if isinstance(self.seed, bool) or not isinstance(self.seed, (int, np.integer)) or self.seed < 0:
            raise ArspinError(f"seed: expected an integer >= 0, got {self.seed!r}")
        if self.early_stop is not None:
            if not isinstance(self.early_stop, EarlyStop):
                raise ArspinError(f"early_stop: expected EarlyStop, got {self.early_stop!r}")
            if self.early_stop.collect_after >= self.steps_per_beta:
                raise ArspinError(f"early_stop.collect_after: {self.early_stop.collect_after} "
                                  f"must be below steps_per_beta ({self.steps_per_beta}), so "
                                  "that every block collects a batch")
        object.__setattr__(self, "betas", tuple(float(b) for b in betas))

    @property
    def total_steps(self) -> int:
        """Steps of the fixed schedule (with early_stop: the most a run can take)."""
        return self.warmup_steps + self.steps_per_beta * len(self.betas)

    def schedule(self) -> tuple[np.ndarray, np.ndarray]:
        """(beta of each step float64 (T,), grid index of each step int64 (T,), -1 in warm-up)
        of the fixed schedule (with early_stop: the longest one; see :class:`Schedule`)."""
        block = np.concatenate([np.full(self.warmup_steps, -1, dtype=np.int64),
                                np.repeat(np.arange(len(self.betas)), self.steps_per_beta)])
        betas = np.asarray(self.betas, dtype=np.float64)[np.maximum(block, 0)]
        return betas, block

    def identity(self) -> dict:
        """The settings that determine the numbers of a run (checkpoint intervals excluded)."""
        out = {"betas": list(self.betas), "warmup_steps": int(self.warmup_steps),
               "steps_per_beta": int(self.steps_per_beta), "batch": int(self.batch),
               "lr": float(self.lr), "seed": int(self.seed)}
        if self.early_stop is not None:  # absent otherwise: older identities stay valid
            out["early_stop"] = self.early_stop.identity()
        return out


def metric_names(net: AutoregressiveNet, model: IsingModel | None) -> tuple[str, ...]:
    """METRICS, plus DP_METRIC for a net with ``logit_table`` on a Curie-Weiss model."""
    if model is not None and hasattr(net, "logit_table") and model.curie_weiss():
        return (*METRICS, DP_METRIC)
    return METRICS


@dataclass
class TrainState:
    """Everything a resumed run needs; ``step`` optimisation steps have been done.

    history holds one float64 array (step,) per name in METRICS plus ``wall_time``
    (cumulative seconds, including time spent before a resume).
    """

    step: int
    params: Params
    opt_state: Any
    best_configuration: np.ndarray  # int8 (N,), lowest-energy sample seen so far
    best_energy: float              # its H (total, not per spin); +inf before the first step
    history: dict[str, np.ndarray] = field(default_factory=dict)


def make_optimizer(lr: float) -> optax.GradientTransformation:
    """The optimiser of every run and benchmark: Adam with learning rate ``lr`` and optax's
    defaults.

    The single definition: the state of a fresh run (:func:`initial_state`), the template a
    checkpoint is restored into, and the update inside the step (:func:`train`) must all come
    from the same transformation, or a resumed run would silently differ (or fail to load).

    Returns:
        optax Adam whose ``update`` is traced under JAX's standard dtype promotion. Why: optax
        computes ``b1 ** count`` (a Python float to an int32 power), which strict promotion
        (the test suite's setting, tests/conftest.py) rejects; standard is JAX's default, so
        in production this changes nothing, and our own code stays checked strictly. The state
        is optax's own (same pytree), so checkpoints are unaffected.
    """
    adam = optax.adam(lr)

    def update(updates: Any, state: Any, params: Any = None) -> tuple[Any, Any]:
        with jax.numpy_dtype_promotion("standard"):
            return adam.update(updates, state, params)

    return optax.GradientTransformation(adam.init, update)


def make_step(net: AutoregressiveNet, energy: Callable, optimizer: optax.GradientTransformation,
              batch: int, dp: tuple[float, float] | None = None) -> Callable:
    """The pure train step (to be jitted).

    Args:
        dp: (J, h) of a Curie-Weiss model: also return DP_METRIC, the exact F_q of the
            parameters that drew the batch (the net must have ``logit_table``).
    Returns:
        step(params, opt_state, key, beta) -> (params, opt_state, metrics, best_x, best_e) with
        beta a float64 scalar, metrics a dict of float64 scalars (METRICS plus ``finite``),
        best_x int8 (N,) the lowest-energy sample of the batch and best_e its energy.
    """
    n = net.n

    def step(params, opt_state, key, beta):
        beta = jnp.asarray(beta, dtype=jnp.float64)
        beta_net = beta.astype(jnp.float32)  # nets are float32; the loss keeps beta in float64
        x, log_q = net.sample(params, key, batch, beta_net)
        x = jax.lax.stop_gradient(x)
        energies = energy(x)  # float64 (B,)
        log_q64 = jax.lax.stop_gradient(log_q).astype(jnp.float64)
        loss = beta * energies + log_q64
        advantage = (loss - jnp.mean(loss)).astype(jnp.float32)

        def surrogate(p):
            return jnp.mean(advantage * net.log_prob(p, x, beta_net))

        old_params = params
        grads = jax.grad(surrogate)(params)
        updates, opt_state = optimizer.update(grads, opt_state, params)
        params = optax.apply_updates(params, updates)
        finite = jnp.isfinite(jnp.mean(loss)) & jnp.all(jnp.array(
            [jnp.all(jnp.isfinite(leaf)) for leaf in jax.tree_util.tree_leaves(params)]))
        metrics = {
            "free_energy": jnp.mean(loss) / (beta * n),
            "free_energy_std": jnp.std(loss) / (beta * n),
            "energy": jnp.mean(energies) / n,
            "energy_min": jnp.min(energies) / n,
            "entropy": -jnp.mean(log_q64) / n,
            "abs_magnetization": jnp.mean(jnp.abs(jnp.sum(x.astype(jnp.float64), axis=-1))) / n,
            "finite": finite,
        }
        if dp is not None:  # of the parameters before the update: those that drew x
            metrics[DP_METRIC] = magnetization_free_energy(
                net.logit_table(old_params, beta_net), beta, *dp)
        best = jnp.argmin(energies)
        return params, opt_state, metrics, x[best].astype(jnp.int8), energies[best]

    return step


def keys(seed: int) -> tuple[jax.Array, jax.Array]:
    """(init key, root of the step keys) from the seed; step t uses fold_in(root, t)."""
    init_key, step_root = jax.random.split(jax.random.key(seed))
    return init_key, step_root


def initial_state(net: AutoregressiveNet, cfg: TrainConfig,
                  model: IsingModel | None = None) -> TrainState:
    """Fresh parameters from the seed, fresh Adam state, empty history (step 0); with the
    model, the history also has DP_METRIC where :func:`metric_names` adds it."""
    params = net.init(keys(cfg.seed)[0])
    return TrainState(step=0, params=params, opt_state=make_optimizer(cfg.lr).init(params),
                      best_configuration=np.zeros(net.n, dtype=np.int8), best_energy=np.inf,
                      history={name: np.zeros(0)
                               for name in (*metric_names(net, model), "wall_time")})


@dataclass
class TrainResult:
    """Per-beta summaries (arrays (n_beta,)), per-step curves (arrays (T,)), final state."""

    per_beta: dict[str, np.ndarray]
    curves: dict[str, np.ndarray]
    state: TrainState


def make_advance(step: Callable, names: tuple[str, ...] = METRICS) -> Callable:
    """Wrap a train step for the host loop (to be jitted): key derivation, running best, and
    the metrics ``names`` stacked in one float64 vector, so that each step costs one host
    transfer.

    Returns:
        advance(params, opt_state, best_x, best_e, step_root, t, beta)
        -> (params, opt_state, best_x, best_e, metrics (len(names) + 1,) with ``finite`` last).
    """

    def advance(params, opt_state, best_x, best_e, step_root, t, beta):
        params, opt_state, metrics, batch_x, batch_e = step(
            params, opt_state, jax.random.fold_in(step_root, t), beta)
        better = batch_e < best_e  # strict: the earliest of equal energies is kept
        vector = jnp.stack([metrics[name].astype(jnp.float64) for name in (*names, "finite")])
        return (params, opt_state, jnp.where(better, batch_x, best_x),
                jnp.where(better, batch_e, best_e), vector)

    return advance


def train(net: AutoregressiveNet, model: IsingModel, cfg: TrainConfig, *,
          state: TrainState | None = None,
          on_step: Callable[[int, float, dict], None] | None = None,
          on_checkpoint: Callable[[TrainState], None] | None = None,
          logger: logging.Logger | None = None) -> TrainResult:
    """Run (or resume) the annealing schedule of ``cfg``.

    Args:
        state: a checkpointed state to resume from (``initial_state`` if None).
        on_step: called after every step with (steps done, beta, metrics of the step).
        on_checkpoint: called with the state every ``cfg.checkpoint_every`` steps and when
            ``cfg.checkpoint_seconds`` have passed since the last call (not after the last
            step: the caller writes the result then).
        logger: receives one summary line per beta (default: the "arspin" logger).
    Raises:
        TrainingDiverged: the loss (or an updated parameter) is NaN or Inf.
    """
    log = logger or logging.getLogger("arspin")
    state = state if state is not None else initial_state(net, cfg, model)
    names = metric_names(net, model)
    if set(state.history) != {*names, "wall_time"}:
        raise ArspinError(f"training state: history has {sorted(state.history)}, the run "
                          f"records {sorted((*names, 'wall_time'))}")
    dp = model.curie_weiss() if DP_METRIC in names else None
    total = cfg.total_steps
    net_arrays, net_with = lift_arrays(net)
    energy_arrays, energy_with = lift_arrays(energy_fn(model))
    optimizer = make_optimizer(cfg.lr)

    @jax.jit
    def advance_with(arrays, *args):
        step = make_step(net_with(arrays[0]), energy_with(arrays[1]), optimizer, cfg.batch, dp)
        return make_advance(step, names)(*args)

    def advance(*args):
        return advance_with((net_arrays, energy_arrays), *args)

    step_root = keys(cfg.seed)[1]
    carry = (state.params, state.opt_state, jnp.asarray(state.best_configuration, jnp.int8),
             jnp.asarray(state.best_energy, jnp.float64))
    done = state.step
    rows = {name: list(values[:done]) for name, values in state.history.items()}
    walker = Schedule.replay(cfg, np.asarray(rows["free_energy_std"]))[0]
    wall_offset = rows["wall_time"][-1] if done else 0.0
    start = last_checkpoint = time.perf_counter()

    def snapshot(carry: tuple) -> TrainState:
        params, opt_state, best_x, best_e = carry
        return TrainState(done, params, opt_state, np.asarray(best_x, dtype=np.int8),
                          float(best_e), {name: np.asarray(values, dtype=np.float64)
                                          for name, values in rows.items()})

    def finish(t: int, beta: float, vector: jax.Array, carry: tuple) -> None:
        """Bookkeeping of step t (run at ``beta``), whose outputs are ``vector`` and ``carry``."""
        nonlocal done, last_checkpoint
        vector = np.asarray(vector)  # waits for step t only; step t + 1 is already queued
        if not vector[-1]:
            raise TrainingDiverged(
                f"training diverged: NaN or Inf in the loss at beta={beta:g}, step {t} "
                f"(of {total}); try a smaller lr or a larger batch")
        metrics = dict(zip(names, vector[:-1].tolist()))
        metrics["wall_time"] = wall_offset + time.perf_counter() - start
        for name, value in metrics.items():
            rows[name].append(value)
        done = t + 1
        block, _ = walker.record(metrics["free_energy_std"])
        if on_step is not None:
            on_step(done, beta, metrics)
        if block >= 0 and (walker.finished or walker.block != block):
            log.info("beta %.4g done (step %d/%d): F=%.6f F_std=%.3g E=%.6f E_min=%.6f "
                     "S=%.4f |M|=%.4f", beta, done, total, metrics["free_energy"],
                     metrics["free_energy_std"], metrics["energy"], metrics["energy_min"],
                     metrics["entropy"], metrics["abs_magnetization"])
        due = (cfg.checkpoint_every and done % cfg.checkpoint_every == 0) or \
            (cfg.checkpoint_seconds and time.perf_counter() - last_checkpoint
             >= cfg.checkpoint_seconds)
        if on_checkpoint is not None and due and not walker.finished:
            on_checkpoint(snapshot(carry))
            last_checkpoint = time.perf_counter()

    # Step t + 1 is dispatched before the metrics of step t are read, so the host's
    # bookkeeping overlaps the device's work (1.9x faster at N = 16, B = 1024 on 2 CPU cores).
    # Its beta comes from `guess`, the schedule as if step t ends no block early; when step t
    # does (early_stop only), step t + 1 is dispatched again from the same inputs at the right
    # beta. The numbers are unchanged: every step is the same program on the same inputs.
    pending, guess, t = None, walker.copy(), done
    while not guess.finished:
        beta = guess.beta()
        out = advance(*carry, step_root, t, beta)
        if pending is not None:
            finish(*pending)
            if walker.position() != guess.position():
                guess = walker.copy()
                if guess.finished:
                    pending = None
                    break
                beta = guess.beta()
                out = advance(*carry, step_root, t, beta)
        *carry, vector = out
        carry = tuple(carry)
        pending = (t, beta, vector, carry)
        guess.record(np.inf)
        t += 1
    if pending is not None:
        finish(*pending)
    final = snapshot(carry)
    return TrainResult(summarize(final.history, cfg), curves(final.history, cfg), final)
