"""Validated, atomic HDF5 files: :func:`write`, :func:`read`, :func:`show`, :func:`atomic_write`.

Layout of every file: attributes ``kind``, ``schema_version`` and the provenance attributes at
the root, datasets at the root or in groups (a data key "curves/energy" is dataset ``energy`` in
group ``curves``). Structured attributes (dicts, lists) are stored as canonical JSON text.
Datasets above :data:`COMPRESS_ABOVE` elements are stored with shuffle + gzip level 4.

Integrity: every file carries the attribute ``content_sha256``, a SHA-256 of its other
attributes and of every dataset's name, dtype, shape and bytes, written with the file and
checked on every read, so a flipped byte in a coupling or a free energy is refused with the
file named instead of flowing silently into a table (HDF5 itself checks no data). Every
dataset also carries its own ``sha256`` attribute (:func:`array_digest` of the values as
stored), checked first, so the error names the damaged dataset. Not HDF5's fletcher32
filter: it needs a chunked layout, which scalars and small contiguous datasets (most of
ours: best_energy, the per-beta summaries) cannot have, and it fails with HDF5's opaque
"filter returned failure" instead of a name. Files written before the per-dataset digests
(no ``sha256`` on their datasets) are read with the file digest alone.

Disk errors: a file is built in memory (h5py's core driver, no backing store) and its bytes,
the same HDF5 would write to disk, reach the disk through :func:`atomic_write` as plain writes.
Written by HDF5 itself, a full disk fails inside the library's close and h5py's cleanup of
the half-closed file crashed the process (measured: exit 139 and 135, a traceback each);
as plain writes it is one ``cannot write: No space left on device`` naming the file.

Files are byte-for-byte reproducible: h5py records no object time stamps by default, and
attributes and datasets are written in sorted order, so the only time in a file is the
``created`` attribute (fixed by ``SOURCE_DATE_EPOCH`` when set).
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import secrets
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import h5py
import numpy as np

from arspin import __version__
from arspin.io.kinds import SCHEMAS
from arspin.io.schema import PROVENANCE, ArspinFileError, validate

DIGEST = "content_sha256"  # root attribute: SHA-256 of everything else (content_digest)
DATASET_DIGEST = "sha256"  # attribute of each dataset: array_digest of its stored values
COMPRESS_ABOVE = 4096  # elements; below this gzip costs more header than it saves
SHOW_MAX = 10_000      # show() lists datasets up to this many elements


@dataclass
class Record:
    """A validated file in memory.

    Attributes:
        path: the file read.
        kind: its kind ("instance", "exact", "run", "groundstate", "table").
        attrs: attributes as Python values (JSON attributes stay JSON text).
        data: every dataset as a numpy array, keys "/"-joined for groups; declared datasets
            carry their declared dtype, scalars are 0-d arrays.
    """

    path: Path
    kind: str
    attrs: dict[str, Any]
    data: dict[str, np.ndarray]


@contextmanager
def atomic_write(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path next to ``path``; rename it onto ``path`` only on success.

    The temporary name is hidden, unique (pid + random) and keeps the final suffix, so tools
    that infer the format from the extension (matplotlib, numpy.savez) write the right thing.
    On normal exit the file is fsynced and ``os.replace``d onto ``path`` (atomic on POSIX); on
    any exception it is removed and the exception propagates. ``path`` never holds a partial file.
    """
    target = Path(path)
    if target.is_dir():
        raise ArspinFileError(path, "(file)", "is a directory; give a file name to write")
    tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}-{secrets.token_hex(4)}"
                           f"{target.suffix}")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        yield tmp
        with open(tmp, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException as exc:
        _discard(tmp)
        # full disk, read-only folder, ...: one line, nothing left behind; also when the writer
        # failed again while handling the disk error (matplotlib's PDF writer on a full disk
        # raises AttributeError from its half-written stream, with the OSError as context)
        cause = _disk_error(exc)
        if cause is None:
            raise
        if isinstance(cause, FileExistsError | NotADirectoryError):
            reason = "a folder on its path is a file"
        else:
            reason = os.strerror(cause.errno) if cause.errno else str(cause).splitlines()[0]
        raise ArspinFileError(path, "(file)", f"cannot write: {reason}") from None
    try:  # make the rename itself durable; not every platform can fsync a directory
        fd = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError:
        pass


def hdf5_image(build: Callable[[h5py.File], None]) -> bytes:
    """The bytes of an HDF5 file that ``build`` fills, made in memory (nothing touches disk).

    Equal to the bytes of the same file written to disk by HDF5 (the core driver keeps the
    disk layout), so results stay byte-for-byte reproducible.
    """
    name = f"arspin-image-{os.getpid()}-{secrets.token_hex(4)}.h5"  # a label, never a file
    with h5py.File(name, "w", driver="core", backing_store=False) as f:
        build(f)
        f.flush()
        return bytes(f.id.get_file_image())


def write_hdf5(path: str | os.PathLike, build: Callable[[h5py.File], None]) -> None:
    """Write the HDF5 file that ``build`` fills to ``path`` atomically: built in memory by
    :func:`hdf5_image`, then written by :func:`atomic_write`, so a full or read-only disk is
    one clean ArspinFileError naming ``path`` and leaves nothing behind (module doc)."""
    with atomic_write(path) as tmp:  # an h5py error while building is a clean one too
        tmp.write_bytes(hdf5_image(build))


def content_digest(attrs: dict[str, Any], arrays: dict[str, np.ndarray]) -> str:
    """SHA-256 hex of a file's content: its attributes (but ``content_sha256``) as canonical
    JSON, then each dataset in name order as name, dtype, shape and raw bytes (strings as
    UTF-8 text joined by NUL). Equal for the arrays written and the arrays read back."""
    digest = hashlib.sha256(canonical_json({k: v for k, v in attrs.items()
                                            if k != DIGEST}).encode())
    for key in sorted(arrays):
        _update(digest, key, np.asarray(arrays[key]))
    return digest.hexdigest()


def array_digest(arr: np.ndarray) -> str:
    """SHA-256 hex of one array's dtype, shape and bytes (the ``sha256`` of a dataset)."""
    digest = hashlib.sha256()
    _update(digest, "", np.asarray(arr))
    return digest.hexdigest()


def _update(digest: Any, key: str, arr: np.ndarray) -> None:
    if arr.dtype.kind == "U":
        tag, body = "str", "\x00".join(arr.ravel().tolist()).encode()
    else:
        tag, body = arr.dtype.str, np.ascontiguousarray(arr).tobytes()
    digest.update(f"\n{key}|{tag}|{arr.shape}|{len(body)}\n".encode())
    digest.update(body)


def stamp_datasets(f: h5py.File) -> None:
    """Give every dataset of a file being built its ``sha256`` (writers other than
    :func:`write`, e.g. training checkpoints), checked by :func:`read_datasets`."""

    def stamp(_: str, obj: Any) -> None:
        if isinstance(obj, h5py.Dataset):
            obj.attrs[DATASET_DIGEST] = array_digest(_load(obj))

    f.visititems(stamp)


def read_datasets(path: str | os.PathLike, f: h5py.File) -> dict[str, np.ndarray]:
    """Every dataset of an open file as "/"-joined name -> array, each checked against its
    ``sha256`` attribute where it has one (ArspinFileError naming the dataset)."""
    data: dict[str, np.ndarray] = {}

    def visit(name: str, obj: Any) -> None:
        if not isinstance(obj, h5py.Dataset):
            return
        try:
            data[name] = _load(obj)
        except (OSError, RuntimeError, ValueError, TypeError) as exc:  # e.g. a damaged gzip
            raise ArspinFileError(path, name, "unreadable values, corrupt or truncated "
                                  f"({str(exc).splitlines()[0] if str(exc) else exc!r})"
                                  ) from None
        stored = obj.attrs.get(DATASET_DIGEST)
        if stored is not None and _attr_back(stored) != array_digest(data[name]):
            raise ArspinFileError(path, name, "the values do not match their checksum: the "
                                  "file was changed or corrupted after it was written")

    f.visititems(visit)
    return data


def refuse_overwriting_inputs(outputs: list, inputs: list) -> None:
    """ArspinError when an output path is also an input of the same command (e.g. --out equal
    to --instance): the result would replace the file it is computed from.

    Paths are compared as files (os.path.samefile: another spelling, a symbolic or a hard
    link, a bind mount) where both exist, else by their resolved paths.
    """
    given = [p for p in inputs if p is not None]
    for out in outputs:
        if out is not None and any(_same_file(out, p) for p in given):
            raise ArspinFileError(out, "(file)", "is also an input of this command; choose "
                                  "another output path (nothing was written)")


def _same_file(a: str | os.PathLike, b: str | os.PathLike) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them does not exist (yet)
        return os.path.realpath(a) == os.path.realpath(b)


def _disk_error(exc: BaseException) -> OSError | None:
    """The OSError behind ``exc``: itself, or one it was raised while handling (a few levels)."""
    for _ in range(8):
        if isinstance(exc, OSError):
            return exc
        if not isinstance(exc, Exception) or exc.__context__ is None:
            return None
        exc = exc.__context__
    return None


def _discard(tmp: Path) -> None:
    """Remove a temporary file if there is one (on a read-only disk there cannot be)."""
    try:
        tmp.unlink(missing_ok=True)
    except OSError:
        pass


def canonical_json(obj: Any) -> str:
    """Compact JSON with sorted keys; numpy scalars/arrays and paths become plain values."""

    def plain(value: Any) -> Any:
        if isinstance(value, np.ndarray | np.generic):
            return value.tolist()
        if isinstance(value, os.PathLike):
            return os.fspath(value)
        raise TypeError(f"{type(value).__name__} is not JSON-serialisable")

    return json.dumps(obj, sort_keys=True, separators=(",", ":"), allow_nan=False, default=plain)


def provenance(generator: str, parameters: dict, seed: int | None) -> dict:
    """Standard provenance attributes for :func:`write`.

    Args:
        generator: the command or function producing the file, e.g. "arspin exact".
        parameters: everything that determines the content (JSON-able).
        seed: the random seed used, None if the result is not random.
    Returns:
        dict with generator, parameters (canonical JSON text), seed (-1 for None),
        arspin_version and created (UTC ISO-8601, from SOURCE_DATE_EPOCH when set).
    """
    if not isinstance(parameters, dict):
        raise TypeError(f"parameters must be a dict, got {type(parameters).__name__}")
    if seed is None:
        seed = -1
    elif isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer or None, got {seed!r}")
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    stamp = time.gmtime(int(epoch) if epoch else None)
    return {
        "generator": str(generator),
        "parameters": canonical_json(parameters),
        "seed": int(seed),
        "arspin_version": __version__,
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", stamp),
    }


def write(path: str | os.PathLike, kind: str, data: dict, attrs: dict) -> None:
    """Validate ``data`` and ``attrs`` against the ``kind`` schema, then write atomically.

    Args:
        path: destination .h5 (parent folders are created).
        kind: "instance" | "exact" | "run" | "groundstate" | "table".
        data: name -> array-like; "a/b" keys become dataset b in group a. Extra keys beyond
            the schema are written as given.
        attrs: kind-specific attributes plus :func:`provenance`; dicts/lists become JSON text.
            ``kind`` and ``schema_version`` are added (and must agree if given); for tables
            ``columns`` defaults to the order of ``data``.
    Raises:
        ArspinFileError: before anything is written, naming the offending field.
    """
    if kind not in SCHEMAS:
        raise ArspinFileError(path, "kind", f"unknown kind {kind!r}; known: {', '.join(SCHEMAS)}")
    schema = SCHEMAS[kind]
    attrs = {name: _attr_in(path, name, value) for name, value in attrs.items()}
    if kind == "table":
        attrs.setdefault("columns", canonical_json(list(data)))
    for name, value in (("kind", kind), ("schema_version", schema.version)):
        if attrs.setdefault(name, value) != value:
            raise ArspinFileError(path, name, f"attrs say {attrs[name]!r}, writing {value!r}")
    arrays = {key: _array_in(path, key, value) for key, value in data.items()}
    for key in arrays:
        parts = key.split("/")
        for k in range(1, len(parts)):
            if "/".join(parts[:k]) in arrays:
                prefix = "/".join(parts[:k])
                raise ArspinFileError(path, key, f"'{prefix}' is a dataset, not a group")
    validate(path, schema, attrs, arrays)
    for spec in schema.datasets:
        if spec.name in arrays and spec.kind != "str":
            arrays[spec.name] = arrays[spec.name].astype(spec.dtype)
    attrs[DIGEST] = content_digest(attrs, arrays)

    def build(f: h5py.File) -> None:
        for name in sorted(attrs):
            f.attrs[name] = _attr_out(attrs[name])
        for key in sorted(arrays):
            _create(f, key, arrays[key])

    write_hdf5(path, build)


def read(path: str | os.PathLike, kind: str | None = None) -> Record:
    """Read and validate an arspin file.

    Args:
        path: the .h5 file.
        kind: expected kind, or None to accept any known kind.
    Raises:
        ArspinFileError: field "(file)" if the file is missing, not HDF5 or unreadable
            (truncated); otherwise the attribute or dataset that breaks the schema.
    """
    p = Path(path)
    if not p.is_file():
        raise ArspinFileError(path, "(file)", "is a directory" if p.exists() else "no such file")
    if not h5py.is_hdf5(p):
        raise ArspinFileError(path, "(file)", "not an HDF5 file")
    attrs: dict[str, Any] = {}
    data: dict[str, np.ndarray] = {}
    try:
        with h5py.File(p, "r") as f:
            attrs.update((name, _attr_back(f.attrs[name])) for name in f.attrs)
            data.update(read_datasets(path, f))
    except ArspinFileError:
        raise
    except (OSError, RuntimeError, KeyError, ValueError, TypeError) as exc:
        raise ArspinFileError(path, "(file)", "unreadable HDF5, truncated or corrupt "
                              f"({str(exc).splitlines()[0] if str(exc) else type(exc).__name__})"
                              ) from None
    found = attrs.get("kind")
    if not isinstance(found, str):
        raise ArspinFileError(path, "kind", "missing attribute (not an arspin file?)"
                              if found is None else f"must be text, got {found!r}")
    if kind is not None and found != kind:
        raise ArspinFileError(path, "kind", f"expected kind '{kind}', found '{found}'")
    if found not in SCHEMAS:
        raise ArspinFileError(path, "kind", f"unknown kind {found!r} (arspin {__version__} "
                              f"knows {', '.join(SCHEMAS)}; a newer arspin may read it)")
    schema = SCHEMAS[found]
    validate(path, schema, attrs, data)
    for spec in schema.datasets:
        if spec.name in data and spec.kind != "str":
            data[spec.name] = data[spec.name].astype(spec.dtype)
    # after the widening above: the checksum covers values, not how narrowly they are stored
    stored = attrs.get(DIGEST)
    if stored is None:
        raise ArspinFileError(path, DIGEST, "missing attribute (written by an older arspin, or "
                              "not by arspin: regenerate the file)")
    if stored != content_digest(attrs, data):
        raise ArspinFileError(path, DIGEST, "the content does not match its checksum: the file "
                              "was changed or corrupted after it was written")
    return Record(path=p, kind=found, attrs=attrs, data=data)


def show(path: str | os.PathLike) -> dict:
    """A JSON-able summary of a validated file (``arspin show --json``).

    Returns:
        {"path", "kind", "attrs", "data"}: JSON attributes decoded to objects; each dataset
        with <= SHOW_MAX elements as a (nested) list, larger ones as {"shape", "dtype"}.
        Non-finite floats become the strings "nan", "inf", "-inf" (strict JSON has none).
    """
    rec = read(path)
    json_attrs = {a.name for a in (*PROVENANCE, *SCHEMAS[rec.kind].attrs) if a.type == "json"}
    attrs = {k: json.loads(v) if k in json_attrs else v for k, v in rec.attrs.items()}
    data = {k: v.tolist() if v.size <= SHOW_MAX else {"shape": list(v.shape), "dtype": str(v.dtype)}
            for k, v in rec.data.items()}
    return {"path": str(path), "kind": rec.kind, "attrs": _finite(attrs), "data": _finite(data)}


# ------------------------------------------------------------------ conversions
def _attr_in(path: str | os.PathLike, name: str, value: Any) -> Any:
    """An attribute as a plain Python value: what read() will give back."""
    if isinstance(value, dict | list | tuple):
        try:
            return canonical_json(value)
        except (TypeError, ValueError) as exc:
            raise ArspinFileError(path, name, f"cannot store as JSON ({exc})") from None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, bytes):
        value = value.decode()
    if isinstance(value, os.PathLike):
        value = os.fspath(value)
    if not isinstance(value, bool | int | float | str):
        raise ArspinFileError(path, name, f"cannot store {type(value).__name__} as an attribute")
    if isinstance(value, int) and not -(2**63) <= value < 2**64:
        raise ArspinFileError(path, name, f"integer {value} does not fit in 64 bits")
    return value


def _attr_out(value: Any) -> Any:
    if isinstance(value, bool):  # before int: bool is an int subclass
        return np.bool_(value)
    if isinstance(value, int):  # seeds drawn from 64 random bits may exceed int64
        return np.int64(value) if value < 2**63 else np.uint64(value)
    if isinstance(value, float):
        return np.float64(value)
    return value


def _attr_back(value: Any) -> Any:
    if isinstance(value, bytes):
        return value.decode()
    if isinstance(value, np.ndarray):
        return [_attr_back(v) for v in value.tolist()]
    if isinstance(value, np.generic):
        return value.item()
    return value


def _array_in(path: str | os.PathLike, key: str, value: Any) -> np.ndarray:
    if not key or any(not part for part in key.split("/")):
        raise ArspinFileError(path, key, "dataset names must be non-empty, '/' between groups")
    arr = np.asarray(value)
    if arr.dtype.kind == "O" and all(isinstance(v, str) for v in arr.flat):
        arr = arr.astype(str)
    if arr.dtype.kind not in "biufU":
        raise ArspinFileError(path, key, f"cannot store dtype {arr.dtype}")
    return arr


def _create(f: h5py.File, key: str, arr: np.ndarray) -> None:
    if arr.dtype.kind == "U":
        ds = f.create_dataset(key, data=arr.astype(object), dtype=h5py.string_dtype())
    elif arr.size > COMPRESS_ABOVE:
        ds = f.create_dataset(key, data=arr, compression="gzip", compression_opts=4,
                              shuffle=True)
    else:
        ds = f.create_dataset(key, data=arr)
    ds.attrs[DATASET_DIGEST] = array_digest(arr)


def _load(ds: h5py.Dataset) -> np.ndarray:
    if h5py.check_string_dtype(ds.dtype) is not None:
        return np.asarray(ds.asstr()[()], dtype=str)
    return np.asarray(ds[()])


def _finite(obj: Any) -> Any:
    if isinstance(obj, float) and not math.isfinite(obj):
        return "nan" if math.isnan(obj) else ("inf" if obj > 0 else "-inf")
    if isinstance(obj, dict):
        return {k: _finite(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_finite(v) for v in obj]
    return obj
