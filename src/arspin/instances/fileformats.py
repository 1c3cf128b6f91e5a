"""Instances from and to plain files: scipy sparse .npz (the TwoBo reference format), edge lists.

.npz: a scipy sparse coupling matrix J (any format, any triangle), read with
``scipy.sparse.load_npz`` (never unpickles). It is symmetrised as triu(J + J^T, 1), the
reference convention: a file holding one triangle gives J_ij as stored, but a full symmetric
file gives 2 J_ij (both copies are added). The diagonal only shifts energies and is dropped.
Fields h cannot be stored: export refuses a model with h != 0.

Edge list: one bond per line, ``i j J`` (0-based integers, then a float), blank lines and
``#`` comments ignored; an optional comment ``# n = N`` sets the number of spins (else
N = largest index + 1). Bonds listed twice, in either orientation, are added, as in
:meth:`IsingModel.from_edges`. The parser is hand-written because errors must name the line.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import zipfile
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from arspin.errors import ArspinError
from arspin.hamiltonian import IsingModel

log = logging.getLogger("arspin")

_HEADER = re.compile(r"#\s*n\s*=\s*(\S+)\s*$", re.IGNORECASE)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _source_meta(path: Path, fmt: str) -> dict:
    return {"family": "from-file", "source": str(path), "format": fmt, "sha256": _sha256(path)}


def import_npz(path: str | os.PathLike) -> IsingModel:
    """Model from a scipy sparse .npz coupling matrix (module docstring for the convention).

    Raises:
        ArspinError: missing or unreadable file, not a square real finite matrix.
    """
    path = Path(path)
    if not path.is_file():
        raise ArspinError(f"{path}: no such file")
    try:
        mat = sp.load_npz(path)
    except (ValueError, OSError, KeyError, EOFError, zipfile.BadZipFile) as exc:
        raise ArspinError(f"{path}: not a scipy sparse .npz matrix ({exc})") from None
    if mat.ndim != 2 or mat.shape[0] != mat.shape[1] or mat.shape[0] < 1:
        raise ArspinError(f"{path}: coupling matrix must be square, got shape {mat.shape}")
    if not np.issubdtype(mat.dtype, np.integer) and not np.issubdtype(mat.dtype, np.floating):
        raise ArspinError(f"{path}: couplings must be real numbers, got dtype {mat.dtype}")
    mat = sp.csr_matrix(mat, dtype=np.float64)
    if not np.all(np.isfinite(mat.data)):
        raise ArspinError(f"{path}: couplings contain NaN or Inf")
    if np.any(mat.diagonal() != 0):
        log.warning("%s: non-zero diagonal J_ii dropped (a constant energy shift)", path)
    return IsingModel.from_matrix(mat, meta=_source_meta(path, "npz"))


def _parse_edgelist(path: Path) -> tuple[int | None, list[int], list[int], list[float]]:
    n_header, rows, cols, vals = None, [], [], []
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, start=1):
            text = line.strip()
            where = f"{path}:{lineno}"
            if text.startswith("#"):
                match = _HEADER.match(text)
                if match:
                    try:
                        value = int(match.group(1))
                    except ValueError:
                        raise ArspinError(f"{where}: header '# n = N' needs an integer N, "
                                          f"got {match.group(1)!r}") from None
                    if value < 1 or (n_header is not None and value != n_header):
                        raise ArspinError(f"{where}: bad or conflicting header n = {value}")
                    n_header = value
                continue
            if not text:
                continue
            fields = text.split("#", 1)[0].split()
            if len(fields) != 3:
                raise ArspinError(f"{where}: expected 'i j J', got {len(fields)} fields: {text!r}")
            try:
                a, b = int(fields[0]), int(fields[1])
            except ValueError:
                raise ArspinError(f"{where}: spin indices must be integers: {text!r}") from None
            try:
                value = float(fields[2])
            except ValueError:
                raise ArspinError(f"{where}: coupling must be a number: {text!r}") from None
            if a < 0 or b < 0:
                raise ArspinError(f"{where}: spin indices are 0-based and >= 0: {text!r}")
            if n_header is not None and max(a, b) >= n_header:
                raise ArspinError(f"{where}: index {max(a, b)} >= n = {n_header}")
            if a == b:
                raise ArspinError(f"{where}: self-coupling {a} {b} (fields are not supported)")
            if not np.isfinite(value):
                raise ArspinError(f"{where}: coupling is NaN or Inf")
            rows.append(a)
            cols.append(b)
            vals.append(value)
    return n_header, rows, cols, vals


def import_edgelist(path: str | os.PathLike) -> IsingModel:
    """Model from a plain-text edge list ``i j J`` (module docstring for the format).

    Raises:
        ArspinError: missing file, or a bad line (the message gives file and line number).
    """
    path = Path(path)
    if not path.is_file():
        raise ArspinError(f"{path}: no such file")
    try:
        n_header, rows, cols, vals = _parse_edgelist(path)
    except UnicodeDecodeError:
        raise ArspinError(f"{path}: not a text edge list (not UTF-8)") from None
    if n_header is None and not rows:
        raise ArspinError(f"{path}: no bonds and no '# n = N' header")
    n = n_header if n_header is not None else max(max(rows), max(cols)) + 1
    if n_header is not None and rows and max(max(rows), max(cols)) >= n:
        raise ArspinError(f"{path}: index {max(max(rows), max(cols))} >= n = {n} "
                          "(header after the bond)")
    return IsingModel.from_edges(n, rows, cols, vals, meta=_source_meta(path, "edgelist"))


def _check_exportable(model: IsingModel, path: Path) -> None:
    if np.any(model.h != 0):
        raise ArspinError(f"{path}: field 'h': the model has non-zero fields, which this "
                          "format cannot store")


def export_npz(model: IsingModel, path: str | os.PathLike) -> None:
    """Write J as an upper-triangular CSR float64 matrix with ``scipy.sparse.save_npz``.

    Written atomically (:func:`arspin.io.atomic_write`; missing folders are created).
    Raises ArspinError if the model has fields (h != 0).
    """
    from arspin.io import atomic_write  # h5py-backed package: only needed when writing

    path = Path(path)
    _check_exportable(model, path)
    mat = sp.csr_matrix((model.J, (model.i, model.j)), shape=(model.n, model.n))
    mat.sort_indices()
    # A file object, not a name: save_npz appends '.npz' to names lacking it.
    with atomic_write(path) as tmp, open(tmp, "wb") as fh:
        sp.save_npz(fh, mat)


def export_edgelist(model: IsingModel, path: str | os.PathLike) -> None:
    """Write ``# n = N`` then one ``i j J`` line per bond (i < j, J as its exact shortest repr).

    Written atomically (:func:`arspin.io.atomic_write`; missing folders are created).
    Raises ArspinError if the model has fields (h != 0).
    """
    from arspin.io import atomic_write  # h5py-backed package: only needed when writing

    path = Path(path)
    _check_exportable(model, path)
    bonds = zip(model.i.tolist(), model.j.tolist(), model.J.tolist())
    with atomic_write(path) as tmp, open(tmp, "w", encoding="utf-8") as fh:
        fh.write(f"# n = {model.n}\n")
        fh.writelines(f"{a} {b} {value!r}\n" for a, b, value in bonds)
