"""The folder lock, held by another process (a real one: flock locks belong to open files)."""
from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from okrsite.web.lock import Lock, folder_lock, in_use

pytest.importorskip("fcntl")

HOLD = """
import fcntl, os, sys, time
handle = os.open(sys.argv[1], os.O_RDONLY)
fcntl.flock(handle, fcntl.LOCK_EX)
print("held", flush=True)
time.sleep(float(sys.argv[2]))
"""


def holder(folder: Path, seconds: float) -> subprocess.Popen:
    process = subprocess.Popen([sys.executable, "-c", HOLD, str(folder), str(seconds)], stdout=subprocess.PIPE, text=True)
    assert process.stdout.readline().strip() == "held"
    return process


def test_a_free_folder_is_taken_and_not_in_use(tmp_path):
    with folder_lock(tmp_path) as lock:
        assert lock is Lock.TAKEN
    assert not in_use(tmp_path)


def test_a_folder_another_process_holds_is_in_use_until_it_lets_go(tmp_path):
    process = holder(tmp_path, 30)
    try:
        assert in_use(tmp_path)
        with folder_lock(tmp_path) as lock:
            assert lock is Lock.BUSY
    finally:
        process.kill()
        process.wait()
    assert not in_use(tmp_path)


def test_waiting_says_so_once_then_takes_the_lock(tmp_path):
    process = holder(tmp_path, 1.0)
    said = []
    started = time.monotonic()
    with folder_lock(tmp_path, lambda: said.append("waiting")) as lock:
        assert lock is Lock.WAITED and said == ["waiting"]
        assert time.monotonic() - started > 0.3
    process.wait()


def test_a_folder_that_is_not_there_is_no_lock(tmp_path):
    with folder_lock(tmp_path / "gone", lambda: pytest.fail("nothing to wait for")) as lock:
        assert lock is Lock.NONE
    assert not in_use(tmp_path / "gone")
