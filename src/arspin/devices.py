"""One GPU per training job on a machine with several: a slot allocator over a device pool.

Snakemake's ``resources: gpu=K`` (profiles/local-gpu) caps how many GPU jobs run at once, but
gives no job a device of its own, so without this every job would land on GPU 0. With
``ARSPIN_GPUS=0,1,2,3`` in the environment, each `arspin train` process claims the first free
device of that pool by an exclusive flock on ``<lock dir>/arspin-gpu-<id>.lock`` (waiting
when all are taken) and sets ``CUDA_VISIBLE_DEVICES`` to it before JAX starts; the kernel
releases the claim when the process ends, however it ends. ``ARSPIN_JOBS_PER_GPU=k`` lets k
jobs share each device (k slots per id), and then turns JAX's memory preallocation off
(``XLA_PYTHON_CLIENT_PREALLOCATE=false``), which would otherwise give the first job 75 % of
the device's memory. Without ``ARSPIN_GPUS`` nothing changes (CPU, or JAX's default device).
"""

from __future__ import annotations

import fcntl
import logging
import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from arspin.errors import ArspinError

log = logging.getLogger("arspin")

POOL_VARIABLE = "ARSPIN_GPUS"
SHARE_VARIABLE = "ARSPIN_JOBS_PER_GPU"


def parse_pool(text: str) -> list[str]:
    """'0,1,3' -> ['0', '1', '3'] (device ids as CUDA_VISIBLE_DEVICES takes them)."""
    ids = [part.strip() for part in text.split(",") if part.strip()]
    if not ids or any(not i.isdigit() for i in ids) or len(set(ids)) != len(ids):
        raise ArspinError(f"{POOL_VARIABLE}={text!r}: expected distinct device numbers, e.g. "
                          f"0,1,2,3")
    return ids


@contextmanager
def claimed_device(env: dict | None = None, lock_dir: str | os.PathLike | None = None,
                   poll: float = 0.5) -> Iterator[str | None]:
    """Claim a device of the pool in ``env`` (default os.environ) for the block; yields its
    id (and sets CUDA_VISIBLE_DEVICES in ``env``), or None when no pool is configured."""
    env = os.environ if env is None else env
    pool_text = env.get(POOL_VARIABLE)
    if not pool_text:
        yield None
        return
    pool = parse_pool(pool_text)
    share = int(env.get(SHARE_VARIABLE, "1") or 1)
    if share < 1:
        raise ArspinError(f"{SHARE_VARIABLE}: expected an integer >= 1, got {share}")
    folder = Path(lock_dir or tempfile.gettempdir())
    slots = [(device, k) for k in range(share) for device in pool]
    announced = False
    while True:
        for device, k in slots:
            handle = open(folder / f"arspin-gpu-{device}-{k}.lock", "a")  # noqa: SIM115
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                handle.close()
                continue
            env["CUDA_VISIBLE_DEVICES"] = device
            if share > 1:
                env["XLA_PYTHON_CLIENT_PREALLOCATE"] = "false"
            log.info("using GPU %s (slot %d of %d, pool %s)", device, k + 1, share, pool_text)
            try:
                yield device
            finally:
                handle.close()                               # releases the flock
            return
        if not announced:
            log.info("all %d GPU slots of %s are taken; waiting", len(slots), pool_text)
            announced = True
        time.sleep(poll)
