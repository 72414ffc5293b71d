"""The cache's write lock between processes (console/store/process_lock.py): a writer in one
process waits while another process holds it, and gets it as soon as that one lets go."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from console.store.process_lock import ProcessWriteLock, lock_path

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="no flock() on Windows")

HOLDER = """
import fcntl, os, sys, time
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o600)
fcntl.flock(fd, fcntl.LOCK_EX)
print("held", flush=True)
time.sleep(float(sys.argv[2]))
print(time.monotonic(), flush=True)  # CLOCK_MONOTONIC: comparable across processes here
fcntl.flock(fd, fcntl.LOCK_UN)
time.sleep(5)
"""


def test_a_writer_waits_for_the_other_process_and_no_longer(tmp_path: Path) -> None:
    cache = tmp_path / "cache.db"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(lock_path(cache)), "0.3"],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None
    lock = ProcessWriteLock(cache)
    try:
        assert holder.stdout.readline().strip() == "held"
        began = time.monotonic()
        assert lock.acquire(timeout=5.0)
        got = time.monotonic()
        released = float(holder.stdout.readline())
        assert got - began >= 0.2  # it waited for the holder
        assert got - released < 0.05  # and took it as soon as the holder let go
        lock.release()
    finally:
        holder.kill()
        holder.wait()
        lock.close()


def test_a_writer_gives_up_at_the_timeout(tmp_path: Path) -> None:
    cache = tmp_path / "cache.db"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(lock_path(cache)), "5"],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None
    lock = ProcessWriteLock(cache)
    try:
        assert holder.stdout.readline().strip() == "held"
        began = time.monotonic()
        assert not lock.acquire(timeout=0.2)  # SQLite's own wait decides from here
        assert 0.2 <= time.monotonic() - began < 1.0
    finally:
        holder.kill()
        holder.wait()
        lock.close()
