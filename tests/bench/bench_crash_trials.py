"""SIGKILL crash trials at scale: every composed message reaches the server exactly once.

Run: .venv/bin/python tests/bench/bench_crash_trials.py [--trials 1000] [--senders 2]
The same trials as tests/sync/test_crash_trials.py (timer kills, kills before the k-th SQLite
COMMIT, kills right after the k-th HTTP answer; then a life that drains the outbox), on one
seeded backend, with one fork server and cache per sender. Prints the kill counts, the time
per trial and the checks' verdict; exits non-zero if any message was lost or sent twice.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from console.protocol.demo import DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD
from tests.support.backend_process import BackendProcess, sqlite_url
from tests.sync.test_crash_trials import crash_run, sendable_conversations


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--trials", type=int, default=1000)
    parser.add_argument("--senders", type=int, default=2)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-crash-"))
    backend = BackendProcess(sqlite_url(work / "backend.db"), args=["--seed", "demo"]).start()
    try:
        token = backend.login(DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD)
        with backend.client(token) as http:
            conversations = sendable_conversations(http, 3 * args.senders)
        lanes = [conversations[3 * k : 3 * k + 3] for k in range(args.senders)]
        caches = [work / f"cache-{k}.db" for k in range(args.senders)]
        began = time.perf_counter()
        try:
            results = crash_run(backend, token, caches, lanes, args.trials)
        except AssertionError as exc:
            print(f"FAILED: {exc}")
            return 1
        elapsed = time.perf_counter() - began
    finally:
        backend.stop()
    trials = sum(r.trials for r in results)
    lives = sum(r.lives for r in results)
    messages = sum(sum(r.composed.values()) for r in results)
    timer = sum(r.kills_by_timer for r in results)
    commit = sum(r.kills_at_commit for r in results)
    answer = sum(r.kills_after_answer for r in results)
    late = sum(r.lives_that_finished_first for r in results)
    print(f"trials: {trials} ({args.senders} senders side by side), console lives: {lives}")
    print(
        f"SIGKILLs: {timer + commit + answer} (timer {timer}, before a COMMIT {commit}, "
        f"after an HTTP answer {answer}); lives that drained before their kill: {late}"
    )
    print(f"messages composed: {messages}; each on the server exactly once: yes")
    print("cache agrees with the server after a final sync: yes")
    print(f"time: {elapsed:.1f} s total, {1000 * elapsed / max(1, trials):.0f} ms per trial")
    return 0


if __name__ == "__main__":
    sys.exit(main())
