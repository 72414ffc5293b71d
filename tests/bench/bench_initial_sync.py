"""Initial sync of 100,000 messages from a loopback backend into a fresh cache.

Run: .venv/bin/python tests/bench/bench_initial_sync.py [--messages 100000] [--runs 3]
Target (issue 4): at least 20,000 messages per second applied to the cache.

The backend database is seeded once (big_backend.py) and served by the real backend process;
each run signs in, opens a workspace on an empty cache and times workspace.start() until the
cache holds every message. The rate is messages / that time: HTTP, the backend's feed query,
JSON and pydantic on both sides, and the cache writes, all included.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.bench.big_backend import isolate_home, seed_big

TARGET_PER_S = 20_000


def cached_messages(path: Path) -> int:
    if not path.exists():
        return 0
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=1.0)
    try:
        return int(conn.execute("SELECT count(*) FROM messages").fetchone()[0])
    except sqlite3.OperationalError:
        return 0  # schema not there yet
    finally:
        conn.close()


def one_run(url: str, expected: int, folder: Path) -> dict[str, float]:
    from console.protocol.demo import DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD
    from console.services.auth import AuthService
    from console.services.workspace import open_workspace

    login = AuthService().login(url, DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD)
    cache = folder / "cache.db"
    workspace = open_workspace(cache, login.server_url, login.token, login.user)
    baseline = cached_messages(cache)
    try:
        started = time.perf_counter()
        workspace.start()
        first_at: float | None = None
        while True:
            count = cached_messages(cache) - baseline
            now = time.perf_counter()
            if first_at is None and count > 0:
                first_at = now
            if count >= expected:
                break
            if now - started > 600:
                raise SystemExit(f"timed out with {count} of {expected} messages")
            time.sleep(0.02)
        elapsed = time.perf_counter() - started
    finally:
        workspace.close()
    return {
        "seconds": elapsed,
        "messages_per_s": expected / elapsed,
        "first_rows_s": (first_at or started) - started,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    home = isolate_home()
    folder = Path(tempfile.mkdtemp(prefix="bench-sync-"))
    try:
        run_all(args, folder)
    finally:  # a 100k-message backend and its caches: ~100 MB a run
        shutil.rmtree(folder, ignore_errors=True)
        shutil.rmtree(home, ignore_errors=True)


def run_all(args: argparse.Namespace, folder: Path) -> None:
    from tests.support.backend_process import BackendProcess

    seeded = time.perf_counter()
    big = seed_big(folder / "backend.db", args.messages)
    print(f"seeded {big.messages} messages in {big.conversations} conversations "
          f"in {time.perf_counter() - seeded:.1f} s")
    backend = BackendProcess(big.url).start()
    try:
        results = []
        for run in range(args.runs):
            result = one_run(backend.url, big.messages, folder / f"run{run}")
            results.append(result)
            print(f"run {run + 1}: {result['seconds']:.2f} s, "
                  f"{result['messages_per_s']:,.0f} messages/s "
                  f"(first rows after {result['first_rows_s'] * 1000:.0f} ms)")
    finally:
        backend.stop()
    rate = statistics.median(r["messages_per_s"] for r in results)
    verdict = "meets" if rate >= TARGET_PER_S else "MISSES"
    print(f"initial sync of {big.messages:,} messages: median {rate:,.0f} messages/s "
          f"({verdict} the {TARGET_PER_S:,}/s target; load average "
          f"{os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs)")


if __name__ == "__main__":
    main()
