"""One writer per output: an advisory lock on a hidden file beside it (POSIX flock).

Two `arspin train` started on one output (a rerun while the first still runs, two Snakemake
instances on one folder) would otherwise both resume the same checkpoint and both write the
result. With :func:`exclusive` the second waits until the first is done, then resumes or
redoes the work itself: the result is the same either way (training is deterministic).
The lock is the kernel's, so a killed holder releases it; the lock file is removed by the
holder, and a waiter that locked a file removed meanwhile locks the new one instead.
"""

from __future__ import annotations

import fcntl
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from arspin.io.schema import ArspinFileError

log = logging.getLogger("arspin")


def lock_path(path: str | os.PathLike) -> Path:
    target = Path(path)
    return target.with_name(f".{target.name}.lock")


@contextmanager
def exclusive(path: str | os.PathLike) -> Iterator[None]:
    """Hold the lock of output ``path`` for the duration of the block (waits if taken)."""
    lock = lock_path(path)
    while True:
        try:
            lock.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:  # read-only or full disk, a file on the path: one clean line
            raise ArspinFileError(path, "(file)", f"cannot write its lock file {lock.name}: "
                                  f"{os.strerror(exc.errno) if exc.errno else exc}") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            log.info("waiting for another process writing %s (lock %s)", path, lock)
            fcntl.flock(fd, fcntl.LOCK_EX)
        try:  # the file we locked may have been removed by its previous holder: start over
            same = os.fstat(fd).st_ino == os.stat(lock).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)
    try:
        yield
    finally:
        lock.unlink(missing_ok=True)
        os.close(fd)
