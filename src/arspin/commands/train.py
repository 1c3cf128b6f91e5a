"""`arspin train`: variational training of one net on one or several instances (one --out
each, trained one after the other in one process), with beta annealing and checkpoints/resume.

    arspin train --instance X.h5 [Y.h5 ...] --net twobo --config NET.yaml --out RUN.h5 [RY.h5 ...] \
        [--betas START:STOP:COUNT] [--warmup-steps W] [--steps-per-beta K] [--batch B] \
        [--lr LR] [--seed S] [--checkpoint-every STEPS] [--checkpoint PATH]

Several instances of one shape can be trained in one process (one ``--out`` per
``--instance``, in order): they run one after the other and share the start-up and the compiled
step, which is most of a short job's time.

NET.yaml has two mappings, ``net`` (the net's hyperparameters, see docs/nets.md) and
``train`` (betas, warmup_steps, steps_per_beta, batch, lr, seed, checkpoint_every); the
flags override the file. A checkpoint (default ``RUN.h5.ckpt.h5``) is written every
``checkpoint_every`` steps (and after ``checkpoint_seconds`` of wall time) and resumed
automatically; it is removed once RUN.h5 exists. Two processes on one output run one after
the other (a lock file beside it).
"""

from __future__ import annotations

import argparse
import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from arspin.betas import parse_betas
from arspin.errors import ArspinError

if TYPE_CHECKING:  # imported lazily at run time: jax start-up is paid only by `train`
    from arspin.hamiltonian import IsingModel
    from arspin.train import TrainConfig

log = logging.getLogger("arspin")

#: train keys of NET.yaml -> (type, command-line flag); checkpoint_every alone has a default
TRAIN_KEYS: dict[str, tuple[str, str]] = {
    "betas": ("betas", "--betas"), "warmup_steps": ("int", "--warmup-steps"),
    "steps_per_beta": ("int", "--steps-per-beta"), "batch": ("int", "--batch"),
    "lr": ("float", "--lr"), "seed": ("int", "--seed"),
    "checkpoint_every": ("int", "--checkpoint-every"),
    "checkpoint_seconds": ("float", "--checkpoint-seconds"),
    "early_stop": ("early_stop", "--early-stop"),
}
#: train keys that may be absent (the option is then off)
OPTIONAL_KEYS = ("early_stop",)
DEFAULT_CHECKPOINT_EVERY = 100
DEFAULT_CHECKPOINT_SECONDS = 60.0


def _typed(value: Any, kind: str, where: str) -> Any:
    """Check one train value from YAML; ``where`` names file and field in the message."""
    if kind == "int" and (isinstance(value, bool) or not isinstance(value, int)):
        raise ArspinError(f"{where}: expected an integer, got {value!r}")
    if kind == "float" and (isinstance(value, bool) or not isinstance(value, (int, float))):
        raise ArspinError(f"{where}: expected a number, got {value!r}")
    if kind == "early_stop":
        return _early_stop(value, where)
    if kind == "betas":
        if isinstance(value, str):
            return tuple(parse_betas(value).tolist())
        if (not isinstance(value, list) or not value
                or any(isinstance(b, bool) or not isinstance(b, (int, float)) for b in value)):
            raise ArspinError(f"{where}: expected 'START:STOP:COUNT' or a list of numbers, "
                              f"got {value!r}")
        return tuple(float(b) for b in value)
    return float(value) if kind == "float" else value


SUMMARY_EARLY_STOP = ("per-beta values are means over the block's collected batches (early_stop "
                      "rule; free_energy_std: root mean square, energy_min: minimum; "
                      "`collected`: their number); *_last20 = mean over the last 20 steps")


def _early_stop(value: Any, where: str) -> Any:
    """An early_stop mapping (tol, min_collected, collect_after, warmup) -> EarlyStop."""
    from arspin.train_protocol import EarlyStop

    if not isinstance(value, dict):
        raise ArspinError(f"{where}: expected a mapping with keys tol, min_collected, "
                          f"collect_after, warmup, got {value!r}")
    unknown = set(value) - {"tol", "min_collected", "collect_after", "warmup"}
    if unknown:
        raise ArspinError(f"{where}: unknown key {min(unknown)!r} (expected tol, "
                          "min_collected, collect_after, warmup)")
    try:
        return EarlyStop(**value)
    except ArspinError as exc:
        raise ArspinError(f"{where}: {exc}") from None


def load_config(path: Path | None) -> tuple[dict, dict]:
    """Read NET.yaml -> (net hyperparameters, train settings found in the file).

    Raises:
        ArspinError: unreadable file, YAML syntax, unknown key or wrong type; the message
            names the file and the field (e.g. ``train.lr``).
    """
    if path is None:
        return {}, {}
    import yaml

    try:
        text = Path(path).read_text()
    except OSError as exc:
        raise ArspinError(f"{path}: field '(file)': cannot read ({exc.strerror})") from None
    try:
        content = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ArspinError(f"{path}: field '(file)': not valid YAML ({exc})") from None
    content = {} if content is None else content
    if not isinstance(content, dict):
        raise ArspinError(f"{path}: field '(file)': expected a mapping with keys net, train")
    for key in content:
        if key not in ("net", "train"):
            raise ArspinError(f"{path}: field '{key}': unknown key (expected net, train)")
    hparams, train = content.get("net") or {}, content.get("train") or {}
    for name, value in (("net", hparams), ("train", train)):
        if not isinstance(value, dict):
            raise ArspinError(f"{path}: field '{name}': expected a mapping, got {value!r}")
    settings = {}
    for key, value in train.items():
        if key not in TRAIN_KEYS:
            raise ArspinError(f"{path}: field 'train.{key}': unknown key (expected one of "
                              f"{', '.join(TRAIN_KEYS)})")
        settings[key] = _typed(value, TRAIN_KEYS[key][0], f"{path}: field 'train.{key}'")
    return dict(hparams), settings


def resolve_config(args: argparse.Namespace):
    """NET.yaml plus command-line overrides -> (net hyperparameters, TrainConfig)."""
    from arspin.train import TrainConfig

    hparams, settings = load_config(args.config)
    hparams.update(getattr(args, "hparams", None) or {})
    flags = {"betas": args.betas, "warmup_steps": args.warmup_steps,
             "steps_per_beta": args.steps_per_beta, "batch": args.batch, "lr": args.lr,
             "seed": args.seed, "checkpoint_every": args.checkpoint_every,
             "checkpoint_seconds": args.checkpoint_seconds,
             "early_stop": getattr(args, "early_stop", None)}
    for key, value in flags.items():
        if value is not None:
            settings[key] = tuple(parse_betas(value).tolist()) if key == "betas" else \
                _early_stop(value, "--early-stop") if key == "early_stop" else value
    settings.setdefault("checkpoint_every", DEFAULT_CHECKPOINT_EVERY)
    settings.setdefault("checkpoint_seconds", DEFAULT_CHECKPOINT_SECONDS)
    source = args.config or "command line"
    for key, (_, flag) in TRAIN_KEYS.items():
        if key not in settings and key not in OPTIONAL_KEYS:
            raise ArspinError(f"{source}: field 'train.{key}': missing (set it in the config "
                              f"or with {flag})")
    try:
        cfg = TrainConfig(**settings)
    except ArspinError as exc:  # "lr: expected ..." -> "<source>: field 'train.lr': expected ..."
        if str(exc).startswith("early_stop."):
            field, _, problem = str(exc).partition(": ")
            raise ArspinError(f"{source}: field 'train.{field}': {problem}") from None
        field, _, problem = str(exc).partition(": ")
        raise ArspinError(f"{source}: field 'train.{field}': {problem}") from None
    return hparams, cfg


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("train", help="train an autoregressive net on one or several "
                            "instances, with beta annealing",
                            description=__doc__.split("\n\n")[0])
    parser.add_argument("--instance", required=True, type=Path, nargs="+",
                        help="instance .h5 (several: trained one after the other)")
    parser.add_argument("--net", required=True, help="net family (twobo, made, ...)")
    parser.add_argument("--config", type=Path, help="NET.yaml with mappings net and train")
    parser.add_argument("--out", required=True, type=Path, nargs="+",
                        help="training-result .h5, one per --instance")
    parser.add_argument("--betas", help="'START:STOP:COUNT' (linspace) or '0.5,1,2'")
    parser.add_argument("--warmup-steps", type=int, help="steps at the first beta before the grid")
    parser.add_argument("--steps-per-beta", type=int, help="steps at each beta of the grid")
    parser.add_argument("--batch", type=int, help="samples per step")
    parser.add_argument("--lr", type=float, help="Adam learning rate")
    parser.add_argument("--seed", type=int, help="PRNG seed (net init and sampling)")
    parser.add_argument("--checkpoint-every", type=int,
                        help=f"checkpoint interval in steps, 0 = never "
                             f"(default {DEFAULT_CHECKPOINT_EVERY})")
    parser.add_argument("--checkpoint-seconds", type=float,
                        help=f"also checkpoint after this many seconds since the last one, "
                             f"0 = never (default {DEFAULT_CHECKPOINT_SECONDS:g}): long "
                             f"steps are checkpointed too")
    parser.add_argument("--early-stop", type=_json_object, metavar="JSON",
                        help="the H2ARNN stopping and reporting rule, e.g. '{\"tol\": 1e-4, "
                             "\"min_collected\": 20, \"collect_after\": 1000, \"warmup\": "
                             "true}' (docs/training.md; absent: the fixed schedule)")
    parser.add_argument("--checkpoint", type=Path,
                        help="checkpoint file (default OUT.ckpt.h5; only with one instance)")
    parser.add_argument("--hparams", type=_json_object, default={}, metavar="JSON",
                        help="net hyperparameters as a JSON object (override NET.yaml's net)")
    parser.add_argument("--labels", type=_json_labels, default={}, metavar="JSON",
                        help="labels stored with the result (JSON object, e.g. the workflow's "
                             "set, size, index, net label, protocol), read by `arspin aggregate`; "
                             "a list of objects gives one per instance")
    parser.set_defaults(func=run)


def _json(text: str, accept_list: bool) -> dict | list:
    """A JSON object (or, with ``accept_list``, a list of objects) from the command line."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise argparse.ArgumentTypeError(f"not valid JSON ({exc})") from None
    items = value if accept_list and isinstance(value, list) else [value]
    if not all(isinstance(item, dict) for item in items):
        raise argparse.ArgumentTypeError("expected a JSON object"
                                         + (" or a list of objects" if accept_list else ""))
    return value


def _json_object(text: str) -> dict:
    return _json(text, accept_list=False)


def _json_labels(text: str) -> dict | list:
    return _json(text, accept_list=True)


def run(args: argparse.Namespace) -> int:
    instances, outs = list(args.instance), list(args.out)
    if len(instances) != len(outs):
        raise ArspinError(f"--out: {len(outs)} files for {len(instances)} instances "
                          "(one per --instance, in order)")
    if args.checkpoint is not None and len(instances) > 1:
        raise ArspinError("--checkpoint: only with one instance (the default is OUT.ckpt.h5)")
    labels = args.labels if isinstance(args.labels, list) else [args.labels] * len(instances)
    if len(labels) != len(instances):
        raise ArspinError(f"--labels: {len(labels)} objects for {len(instances)} instances")
    if len(set(outs)) != len(outs):
        raise ArspinError("--out: the same file is given twice")
    from arspin.devices import claimed_device

    # before JAX starts: a device of $ARSPIN_GPUS of its own (no-op without a pool)
    with claimed_device():
        return _train_all(args, instances, outs, labels)


def _train_all(args: argparse.Namespace, instances: list, outs: list, labels: list) -> int:
    from arspin import io, jaxsetup
    from arspin.io.lock import exclusive

    jaxsetup.configure()
    from arspin.nets.registry import NETS

    # a bad config or flag, then an unknown net, then a bad file: each fails before any training
    hparams, cfg = resolve_config(args)
    if args.net not in NETS:
        raise ArspinError(f"--net: unknown net {args.net!r}; known nets: {', '.join(sorted(NETS))}")
    io.refuse_overwriting_inputs(outs + [args.checkpoint], instances + [args.config])
    models = [io.read_instance(instance) for instance in instances]
    for instance, model, out, label in zip(instances, models, outs, labels):
        # one writer per output: a second `arspin train` on it waits, then resumes or redoes it
        with exclusive(out):
            train_one(args, hparams, cfg, instance, model, out, label)
    return 0


def train_one(args: argparse.Namespace, hparams: dict, cfg: TrainConfig, instance: Path,
              model: IsingModel, out: Path, labels: dict) -> None:
    """Train args.net with ``hparams`` and ``cfg`` on one instance (its path and model) and
    write its result file ``out``."""
    import jax

    from arspin import checkpoint, io
    from arspin.nets.registry import NETS, build_net
    from arspin.progress import Progress
    from arspin.train import TrainingDiverged, initial_state, train

    try:
        net = build_net(args.net, model, hparams)
    except ArspinError as exc:
        raise ArspinError(f"{args.config or 'command line'}: field 'net': {exc}") from None
    # record every hyperparameter, defaults included, so that results say exactly what ran
    hparams = {**NETS[args.net].defaults, **hparams}
    for key in ("hidden", "layers"):  # record what "auto"/null resolved to (e.g. the RNN width)
        if hparams.get(key) in (None, "auto") and isinstance(getattr(net, key, None), int):
            hparams[key] = int(getattr(net, key))
    identity = checkpoint.run_identity(model, args.net, hparams, cfg)
    ckpt = args.checkpoint or out.with_name(out.name + ".ckpt.h5")
    template = initial_state(net, cfg, model)
    for path in (ckpt, out):  # leftovers of a job killed while writing
        for stale in checkpoint.remove_stale_temporaries(path):
            log.info("removed %s (left by a killed job)", stale)
    state = checkpoint.load(ckpt, template, identity) if ckpt.exists() else None
    if state is not None:
        log.info("resuming %s from checkpoint %s at step %d/%d", out, ckpt, state.step,
                 cfg.total_steps)
    n_params = int(net.n_params(template.params))
    log.info("training %s (%d parameters) on %s (N=%d): %d betas, %d steps, batch %d",
             args.net, n_params, instance, model.n, len(cfg.betas), cfg.total_steps,
             cfg.batch)
    with Progress(cfg.total_steps, initial=state.step if state else 0, desc=args.net) as bar:
        try:
            result = train(
                net, model, cfg, state=state,
                on_step=lambda done, beta, m: bar.update(done, beta=beta, F=m["free_energy"]),
                on_checkpoint=lambda s: checkpoint.save(ckpt, s, identity))
        except TrainingDiverged:
            # resuming would replay the same divergence bit for bit: the checkpoint is a dead end
            ckpt.unlink(missing_ok=True)
            raise
    params, paths = checkpoint.tree_datasets(result.state.params, "checkpoint/params")
    data = {**result.per_beta, **{f"curves/{k}": v for k, v in result.curves.items()},
            "best_configuration": result.state.best_configuration,
            "best_energy": np.float64(result.state.best_energy), **params}
    hyper = {"net": hparams, "train": {**cfg.identity(), "checkpoint_every": cfg.checkpoint_every}}
    attrs = {
        "n": model.n, "net": args.net, "hyperparameters": io.canonical_json(hyper),
        "device": jax.devices()[0].platform, "n_params": n_params,
        "instance": str(instance), "instance_digest": identity["instance"],
        "summary": SUMMARY_EARLY_STOP if cfg.early_stop is not None else
                   "per-beta values are those of the last step of each beta block; "
                   "*_last20 = mean over the last 20 steps of the block",
        "params_paths": json.dumps(paths),
        "labels": io.canonical_json(labels),
        **io.provenance("arspin train", {"net": args.net, **hyper, "instance": str(instance)},
                        cfg.seed),
    }
    io.write(out, "run", data, attrs)
    ckpt.unlink(missing_ok=True)
    log.info("wrote %s: F(beta=%.4g) = %.6f, best energy %.6g", out, cfg.betas[-1],
             result.per_beta["free_energy"][-1], result.state.best_energy)
