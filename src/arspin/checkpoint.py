"""Training checkpoints as plain HDF5 (no pickle): write, validate, resume.

A checkpoint holds everything :func:`arspin.train.train` needs to continue bitwise as if it
had never stopped: the step count, the parameter and Adam-state pytrees (flattened with
``jax.tree_util``; each leaf one dataset, the leaf paths stored as JSON so that a mismatch is
reported by name), the best configuration and energy, and the metric history. The PRNG state
is not a stream: step t always uses ``fold_in(root, t)``, so storing the root key data is
enough (it is kept to detect a change of the key derivation).

A checkpoint belongs to one run identity: a digest of the instance's couplings plus the net,
its hyperparameters and the training settings that change the numbers. Resuming with a
different identity is refused with a message naming what differs.

Layout (HDF5):
    attrs   format = "arspin-checkpoint", format_version, step, identity (canonical JSON),
            identity_hash (sha256 hex), params_paths, opt_state_paths (JSON lists)
    params/00000 ...       one dataset per leaf, stored dtype = leaf dtype
    opt_state/00000 ...
    root_key               uint32 key data of the step-key root
    best_configuration     int8 (N,)        best_energy  float64 ()
    history/<metric>       float64 (step,)  (arspin.train.METRICS and wall_time)
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

import h5py
import jax
import jax.numpy as jnp
import numpy as np

from arspin import io
from arspin.errors import ArspinError
from arspin.hamiltonian import IsingModel
from arspin.io import canonical_json
from arspin.train import TrainConfig, TrainState, keys

FORMAT = "arspin-checkpoint"
FORMAT_VERSION = 1


def run_identity(model: IsingModel, net: str, hparams: dict, cfg: TrainConfig) -> dict:
    """What a checkpoint must match to be resumed: instance digest, net, hparams, settings."""
    return {"instance": model.digest, "net": net, "hyperparameters": hparams,
            "train": cfg.identity()}


def tree_datasets(tree: Any, prefix: str) -> tuple[dict[str, np.ndarray], list[str]]:
    """Flatten a pytree into {f"{prefix}/00000": leaf, ...} and the list of leaf paths."""
    leaves = jax.tree_util.tree_flatten_with_path(tree)[0]
    data = {f"{prefix}/{k:05d}": np.asarray(leaf) for k, (_, leaf) in enumerate(leaves)}
    return data, [jax.tree_util.keystr(path) for path, _ in leaves]


def restore_tree(data: dict[str, np.ndarray], prefix: str, paths: list[str], template: Any,
                 where: str) -> Any:
    """Inverse of :func:`tree_datasets`, checked leaf by leaf against a template pytree.

    Raises:
        ArspinError: the structure, a shape or a dtype differs (the message names the leaf).
    """
    leaves, treedef = jax.tree_util.tree_flatten_with_path(template)
    expected = [jax.tree_util.keystr(path) for path, _ in leaves]
    if paths != expected:
        raise ArspinError(f"{where}: field '{prefix}': stored pytree {paths} does not match the "
                          f"net's {expected}")
    restored = []
    for k, (path, leaf) in enumerate(leaves):
        name = f"{prefix}/{k:05d}"
        if name not in data:
            raise ArspinError(f"{where}: field '{name}': missing")
        value = np.asarray(data[name])
        want = np.asarray(leaf)
        if value.shape != want.shape or value.dtype != want.dtype:
            raise ArspinError(f"{where}: field '{name}' ({jax.tree_util.keystr(path)}): stored "
                              f"{value.dtype}{value.shape}, expected {want.dtype}{want.shape}")
        restored.append(jnp.asarray(value))
    return jax.tree_util.tree_unflatten(treedef, restored)


def remove_stale_temporaries(path: str | Path) -> list[Path]:
    """Delete temporaries of ``path`` left by a writer killed inside atomic_write.

    Only files whose writer pid (part of the name) is no longer running are removed.
    """
    path = Path(path)
    removed = []
    for tmp in path.parent.glob(f".{path.name}.tmp-*"):
        try:
            pid = int(tmp.name[len(path.name) + 6:].split("-")[0])
            os.kill(pid, 0)
        except ProcessLookupError:
            tmp.unlink(missing_ok=True)
            removed.append(tmp)
        except (ValueError, PermissionError):
            continue
    return removed


def save(path: str | Path, state: TrainState, identity: dict) -> None:
    """Write the checkpoint atomically (a kill -9 leaves the previous one intact)."""
    params, params_paths = tree_datasets(state.params, "params")
    opt, opt_paths = tree_datasets(state.opt_state, "opt_state")
    seed = identity["train"]["seed"]
    text = canonical_json(identity)

    def build(f: h5py.File) -> None:
        f.attrs.update({"format": FORMAT, "format_version": FORMAT_VERSION,
                        "step": int(state.step), "identity": text,
                        "identity_hash": hashlib.sha256(text.encode()).hexdigest(),
                        "params_paths": canonical_json(params_paths),
                        "opt_state_paths": canonical_json(opt_paths)})
        for name, value in {**params, **opt}.items():
            f.create_dataset(name, data=value)
        f.create_dataset("root_key", data=np.asarray(jax.random.key_data(keys(seed)[1])))
        f.create_dataset("best_configuration", data=np.asarray(state.best_configuration,
                                                               dtype=np.int8))
        f.create_dataset("best_energy", data=np.float64(state.best_energy))
        for name, values in state.history.items():
            f.create_dataset(f"history/{name}", data=np.asarray(values, dtype=np.float64))
        io.stamp_datasets(f)  # a damaged checkpoint is refused, never resumed (load)

    # built in memory, written as plain bytes: a full disk is one clean error (io.hdf5 doc)
    io.write_hdf5(path, build)


def _differences(stored: dict, current: dict) -> list[str]:
    names = sorted(set(stored) | set(current))
    out = [k for k in names if k not in ("hyperparameters", "train")
           and stored.get(k) != current.get(k)]
    for section in ("hyperparameters", "train"):
        a, b = stored.get(section) or {}, current.get(section) or {}
        out += [f"{section}.{k}" for k in sorted(set(a) | set(b)) if a.get(k) != b.get(k)]
    return out


def load(path: str | Path, template: TrainState, identity: dict) -> TrainState:
    """Read a checkpoint and check that it belongs to this run.

    Args:
        template: a fresh state of the same net and optimiser (gives the pytree structures).
        identity: :func:`run_identity` of the run being resumed.
    Raises:
        ArspinError: unreadable file, another format, or a run identity that differs (the
            message lists the differing fields, e.g. ``train.lr``).
    """
    where = str(path)
    if Path(path).is_dir():
        raise ArspinError(f"{where}: field '(file)': is a directory; give a file name for the "
                          "checkpoint")
    try:
        with h5py.File(path, "r") as f:
            attrs = dict(f.attrs)
            data = io.read_datasets(path, f)  # checked against each dataset's sha256
    except OSError as exc:  # HDF5's messages run over several lines: the first says it
        raise ArspinError(f"{where}: field '(file)': not a readable checkpoint "
                          f"({str(exc).splitlines()[0]}); delete it to start the run from "
                          "scratch") from None
    try:
        return _restore(where, attrs, data, template, identity)
    except KeyError as exc:
        raise ArspinError(f"{where}: field {exc}: missing from the checkpoint; delete it to "
                          "start the run from scratch") from None


def _restore(where: str, attrs: dict, data: dict, template: TrainState,
             identity: dict) -> TrainState:
    if attrs.get("format") != FORMAT:
        raise ArspinError(f"{where}: field 'format': not an arspin checkpoint")
    if int(attrs.get("format_version", -1)) > FORMAT_VERSION:
        raise ArspinError(f"{where}: field 'format_version': written by a newer arspin "
                          f"(version {attrs['format_version']}); upgrade arspin")
    stored = json.loads(attrs["identity"])
    if canonical_json(stored) != canonical_json(identity):
        raise ArspinError(
            f"{where}: field 'identity': the checkpoint belongs to another run (differs in "
            f"{', '.join(_differences(stored, identity)) or 'format'}); refusing to resume - "
            "delete it or write to another --out")
    seed = identity["train"]["seed"]
    if not np.array_equal(data["root_key"], np.asarray(jax.random.key_data(keys(seed)[1]))):
        raise ArspinError(f"{where}: field 'root_key': the PRNG key derivation changed; "
                          "this checkpoint cannot be resumed bitwise")
    step = int(attrs["step"])
    history = {name: np.asarray(data[f"history/{name}"], dtype=np.float64)
               for name in template.history}
    if any(values.shape != (step,) for values in history.values()):
        raise ArspinError(f"{where}: field 'history': lengths differ from step {step}")
    params = restore_tree(data, "params", json.loads(attrs["params_paths"]), template.params,
                          where)
    opt_state = restore_tree(data, "opt_state", json.loads(attrs["opt_state_paths"]),
                             template.opt_state, where)
    return TrainState(step=step, params=params, opt_state=opt_state,
                      best_configuration=np.asarray(data["best_configuration"], dtype=np.int8),
                      best_energy=float(data["best_energy"]), history=history)
