"""SIGKILL a sending console at random points, hundreds of times: nothing lost, nothing twice.

One backend for the whole module, one cache file for every trial, and a fork server
(tests/support/sender_process.py) so each console life costs tens of milliseconds. A trial
composes 1-4 messages over 1-3 direct conversations; its lives are killed by a timer, right
before the k-th SQLite COMMIT (mid-compose, mid-claim, mid-apply of an answer or a sync page),
or right after the k-th HTTP answer arrived (the server did it, the console never heard); a
last life runs until the outbox drains. Then: every composed message is on the server exactly
once, the cache row is that message (same id, same client key), and after the statuses settle
and one more sync the cache agrees with the server message for message.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from console.protocol.demo import DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD
from tests.support.backend_process import BackendProcess, sqlite_url
from tests.support.sender_process import (
    SenderServer,
    TrialStats,
    check_cache_agrees,
    check_exactly_once,
    run_trials,
    server_messages,
)

TRIALS = 200
SETTLED = frozenset({"delivered", "failed", "undelivered"})


@pytest.fixture(scope="module")
def crash_backend(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BackendProcess]:
    db = tmp_path_factory.mktemp("crash-backend") / "backend.db"
    backend = BackendProcess(sqlite_url(db), args=["--seed", "demo"]).start()
    yield backend
    backend.stop()


def sendable_conversations(http: httpx.Client, how_many: int) -> list[str]:
    items = http.get("/v1/conversations", params={"kind": "direct", "limit": 500}).json()["items"]
    active = [c["id"] for c in items if c["status"] == "active"]
    assert len(active) >= how_many, "the demo seed has too few active direct conversations"
    return sorted(active)[:how_many]


def wait_settled(http: httpx.Client, conversations: list[str], timeout: float = 30.0) -> None:
    """Until the simulator has given every outbound message its final status."""
    deadline = time.monotonic() + timeout
    while True:
        open_ = [
            m
            for c in conversations
            for m in server_messages(http, c)
            if m["direction"] == "out" and m["status"] not in SETTLED
        ]
        if not open_:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"{len(open_)} messages never settled on the server")
        time.sleep(0.1)


def crash_run(
    backend: BackendProcess, token: str, caches: list[Path], lanes: list[list[str]], trials: int
) -> list[TrialStats]:
    """`trials` trials split over one fork server per cache, run side by side (the machine
    has 2 cores; a life mostly waits on the backend)."""
    results: dict[int, TrialStats] = {}
    failures: list[BaseException] = []
    senders = [SenderServer(backend.url, token, cache) for cache in caches]
    share = -(-trials // len(senders))

    def work(k: int) -> None:
        try:
            results[k] = run_trials(
                senders[k], lanes[k], share, seed=20260105 + k, prefix=f"crash{k}"
            )
        except BaseException as exc:  # reported below, on the test's thread
            failures.append(exc)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(len(senders))]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if failures:
            raise failures[0]
        with backend.client(token) as http:
            for k in range(len(senders)):
                assert check_exactly_once(http, caches[k], lanes[k], results[k].composed) == []
            wait_settled(http, [c for lane in lanes for c in lane])
        for k, sender in enumerate(senders):
            final = sender.run("settle", lanes[k], 0, final_sync=True)
            assert final.drained, final
    finally:
        for sender in senders:
            sender.close()
    with backend.client(token) as http:
        for k, cache in enumerate(caches):
            assert check_cache_agrees(http, cache, lanes[k]) == []
    return [results[k] for k in range(len(senders))]


# ~40 s on a quiet 2-core machine; generous here because several suites may share it.
@pytest.mark.timeout(600)
def test_sigkill_at_random_points_sends_every_message_exactly_once(
    crash_backend: BackendProcess, tmp_path: Path
) -> None:
    token = crash_backend.login(DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD)
    with crash_backend.client(token) as http:
        conversations = sendable_conversations(http, 6)
    lanes = [conversations[:3], conversations[3:]]
    results = crash_run(crash_backend, token, [tmp_path / "a.db", tmp_path / "b.db"], lanes, TRIALS)
    assert sum(r.trials for r in results) >= TRIALS
    timer = sum(r.kills_by_timer for r in results)
    commit = sum(r.kills_at_commit for r in results)
    answer = sum(r.kills_after_answer for r in results)
    # Each kind of kill really happened, and there were more kills than trials.
    assert min(timer, commit, answer) > 20, (timer, commit, answer)
    assert timer + commit + answer >= TRIALS
