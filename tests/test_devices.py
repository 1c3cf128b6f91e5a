"""The GPU slot allocator, with a simulated device pool (no GPU needed): distinct devices for
concurrent jobs, waiting when the pool is full, release on exit (arspin.devices)."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from arspin.devices import claimed_device, parse_pool
from arspin.errors import ArspinError

HOLD = """
import sys, time
from arspin.devices import claimed_device
env = {"ARSPIN_GPUS": sys.argv[1], "ARSPIN_JOBS_PER_GPU": sys.argv[2]}
with claimed_device(env, lock_dir=sys.argv[3], poll=0.05) as device:
    print(device, env.get("XLA_PYTHON_CLIENT_PREALLOCATE", "-"), time.monotonic(), flush=True)
    time.sleep(float(sys.argv[4]))
print("released", time.monotonic(), flush=True)
"""


def _start(tmp_path, pool: str, share: int, hold: float) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", HOLD, pool, str(share), str(tmp_path),
                             str(hold)], stdout=subprocess.PIPE, text=True)


def test_concurrent_jobs_get_distinct_devices_and_the_third_waits(tmp_path):
    with _start(tmp_path, "0,1", 1, 2.0) as a, _start(tmp_path, "0,1", 1, 2.0) as b:
        first = [a.stdout.readline().split(), b.stdout.readline().split()]
        assert sorted(line[0] for line in first) == ["0", "1"]        # one device each
        assert all(line[1] == "-" for line in first)                  # exclusive: prealloc kept
        start = time.monotonic()
        with _start(tmp_path, "0,1", 1, 0.0) as c:
            device, _, claimed = c.stdout.readline().split()
            assert device in ("0", "1")
            assert float(claimed) - start > 1.0                      # waited for a release
        a.communicate()
        b.communicate()


def test_shared_devices_turn_preallocation_off(tmp_path):
    with _start(tmp_path, "3", 2, 1.0) as a, _start(tmp_path, "3", 2, 1.0) as b:
        lines = [a.stdout.readline().split(), b.stdout.readline().split()]
        assert [line[:2] for line in lines] == [["3", "false"], ["3", "false"]]
        a.communicate()
        b.communicate()


def test_no_pool_changes_nothing_and_a_bad_pool_is_one_error(tmp_path):
    env: dict = {}
    with claimed_device(env, lock_dir=tmp_path) as device:
        assert device is None and "CUDA_VISIBLE_DEVICES" not in env
    for bad in ("0,0", "gpu0", ","):
        with pytest.raises(ArspinError, match="ARSPIN_GPUS"):
            parse_pool(bad)
