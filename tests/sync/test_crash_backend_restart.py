"""The backend dies in the middle of a send burst and of a sync, and comes back (same DB, same
port): everything composed is delivered once, the cursor ends at the feed's head, and no
event of the feed is applied twice."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Connection

import console.store.feed as feed
from console.protocol.demo import DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD
from console.services.auth import LoginResult
from console.services.types import SyncState
from console.services.workspace import Workspace
from console.store.apply import PreparedEvents, write_events
from console.store.cache import Cache
from console.store.changes import Changes
from console.store.session_meta import read_cursor
from console.sync.api_client import ApiClient
from console.sync.backoff import Backoff
from console.sync.engine import SyncEngine
from tests.support.backend_process import BackendProcess
from tests.support.sender_process import cache_messages, server_messages
from tests.sync.conftest import wait_for

OpenWs = Callable[..., Workspace]


@pytest.fixture
def applied_seqs(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every feed event written to the cache (a spy around the real apply, nothing faked)."""
    seen: list[int] = []
    real = write_events

    def spy(conn: Connection, prepared: PreparedEvents) -> Changes:
        changes = real(conn, prepared)
        seen.extend(prepared.seqs)
        return changes

    monkeypatch.setattr(feed, "write_events", spy)
    return seen


def revive(backend: BackendProcess) -> BackendProcess:
    return BackendProcess(backend.db_url, args=["--seed", "demo"], port=backend.port).start()


def feed_head(http: httpx.Client, cursor: str | None) -> tuple[list[int], str]:
    """The events after `cursor` (all pages) and the last cursor."""
    seqs: list[int] = []
    while True:
        page = http.get("/v1/sync", params={"since": cursor, "limit": 500} if cursor else {})
        page.raise_for_status()
        data: dict[str, Any] = page.json()
        seqs.extend(e["seq"] for e in data["events"])
        if not data["has_more"] or data["next"] == cursor:
            return seqs, data["next"]
        cursor = data["next"]


def check_cursor_and_feed(http: httpx.Client, cache: Path, applied: list[int]) -> None:
    c = Cache.open(cache)
    try:
        with c.read() as conn:
            cursor = read_cursor(conn).cursor
    finally:
        c.close()
    after, _ = feed_head(http, cursor)
    assert after == [], f"{len(after)} events after the stored cursor were never applied"
    everything, _ = feed_head(http, None)
    twice = {s for s in applied if applied.count(s) > 1}
    assert not twice, f"events applied twice: {sorted(twice)[:10]}"
    assert set(applied) == set(everything)


def test_backend_killed_during_a_send_burst_delivers_everything_once(
    fresh_backend: BackendProcess,
    session: LoginResult,
    open_ws: OpenWs,
    applied_seqs: list[int],
) -> None:
    ws = open_ws(session)
    wait_for(lambda: ws.sync.status.state is SyncState.ONLINE, what="the first sync")
    targets = [r.id for r in ws.conversations.list_conversations() if r.kind == "direct"][:2]
    tag = uuid.uuid4().hex[:6]
    bodies = [f"burst {tag} #{i}" for i in range(40)]
    composed = threading.Event()
    errors: list[BaseException] = []
    halfway = threading.Event()

    def compose() -> None:
        try:
            for i, body in enumerate(bodies):
                ws.conversations.send(targets[i % 2], body)
                if i == 12:
                    halfway.set()
                threading.Event().wait(0.01)
        except BaseException as exc:
            errors.append(exc)
        finally:
            composed.set()

    writer = threading.Thread(target=compose)
    writer.start()
    assert halfway.wait(10)
    fresh_backend.kill()  # SIGKILL: requests in flight are cut, answers lost
    wait_for(lambda: ws.sync.status.state is SyncState.OFFLINE, what="offline")
    writer.join(10)
    assert composed.is_set(), errors
    assert not errors, errors
    revived = revive(fresh_backend)
    # Like the user's "sync now": skip what is left of the engine's backoff (up to 15 s).
    ws.sync.sync_now()
    try:
        wait_for(lambda: ws.outbox.pending_count() == 0, timeout=30, what="the outbox to drain")
        token = revived.login(DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD)
        with revived.client(token) as http:
            on_server = [m["body"] for c in targets for m in server_messages(http, c)]
            for body in bodies:
                assert on_server.count(body) == 1, body
            # The simulator carrier hands accepted messages on a moment later (and picks up
            # what the killed process left queued): wait for all, then check none came twice.
            def delivered() -> list[str]:
                handset = http.get("/v1/simulator/outbox", params={"limit": 500}).json()["items"]
                return [m["body"] for m in handset if m["body"] in bodies]

            wait_for(lambda: set(delivered()) == set(bodies), timeout=15,
                     what="every message on its handset")
            assert sorted(delivered()) == sorted(bodies)  # each handset got each once
            wait_for(
                lambda: (
                    ws.sync.status.state is SyncState.ONLINE and ws.sync.status.pending_outbox == 0
                ),
                what="online again",
            )
            ws.sync.sync_now()
            ws.close()
            local = [r for r in cache_messages(session.cache_path, targets) if r["body"] in bodies]
            assert len(local) == len(bodies)
            assert all(r["server_id"] for r in local)
            check_cursor_and_feed(http, session.cache_path, applied_seqs)
    finally:
        revived.stop()


@pytest.fixture
def busy_feed(fresh_backend: BackendProcess, session: LoginResult) -> None:
    """A few hundred more feed events, so a first sync takes many pages."""
    token = fresh_backend.login(DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD)
    with fresh_backend.client(token) as http:
        numbers = http.get("/v1/numbers").json()["items"]
        business = next(n["e164"] for n in numbers if n["can_send"])
        for i in range(80):
            response = http.post(
                "/v1/simulator/inbound",
                json={"from": f"+1415555{1000 + i:04d}", "to": [business], "body": f"hi {i}"},
            )
            assert response.status_code == 201, response.text


def test_backend_stopped_in_the_middle_of_a_sync_resumes_at_the_right_cursor(
    fresh_backend: BackendProcess,
    session: LoginResult,
    busy_feed: None,
    applied_seqs: list[int],
    tmp_path: Path,
) -> None:
    cache = Cache.open(tmp_path / "cache.db")
    client = ApiClient(fresh_backend.url, session.token, timeout=httpx.Timeout(2.0))
    engine = SyncEngine(
        cache,
        client,
        on_changes=lambda _c: None,
        on_status=lambda _s: None,
        poll_interval=0.1,
        backoff=Backoff(base=0.1, cap=0.5, jitter=0.1),
        page_limit=5,  # the first sync is a hundred pages: the kill lands in the middle
    )
    engine.start()
    revived: BackendProcess | None = None
    try:
        wait_for(lambda: len(applied_seqs) >= 50, what="the sync to be under way")
        fresh_backend.stop()
        partial = len(applied_seqs)
        revived = revive(fresh_backend)
        token = revived.login(DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD)
        with revived.client(token) as http:
            _, head = feed_head(http, None)

            def caught_up() -> bool:
                with cache.read() as conn:
                    return read_cursor(conn).cursor == head

            wait_for(caught_up, timeout=30, what="the sync to finish after the restart")
            assert len(applied_seqs) > partial
            assert engine.close(2.0)
            check_cursor_and_feed(http, tmp_path / "cache.db", applied_seqs)
            conversations = [
                c["id"]
                for c in http.get("/v1/conversations", params={"limit": 500}).json()["items"]
            ]
            local = cache_messages(tmp_path / "cache.db", conversations)
            server = [m for c in conversations for m in server_messages(http, c)]
            assert sorted(r["server_id"] for r in local) == sorted(m["id"] for m in server)
    finally:
        engine.close(2.0)
        client.close()
        cache.close()
        if revived is not None:
            revived.stop()
