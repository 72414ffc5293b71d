"""Catching up with /v1/sync over many pages against the real backend: pages read ahead and
applied in batches, every event once, the first sync marked reset once and only once."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from console.services.auth import LoginResult
from console.store.cache import Cache
from console.store.changes import Changes
from console.store.models import messages
from console.store.session_meta import read_cursor
from console.sync.api_client import ApiClient
from console.sync.pacing import GuiPacer
from console.sync.puller import Puller
from tests.support.backend_process import BackendProcess

PAGE = 7  # small pages: the demo feed spans many of them


@pytest.fixture
def client(fresh_backend: BackendProcess, session: LoginResult) -> Iterator[ApiClient]:
    with ApiClient(fresh_backend.url, session.token) as api:
        yield api


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[Cache]:
    c = Cache.open(tmp_path / "cache.db")
    yield c
    c.close()


def puller(cache: Cache, client: ApiClient, emitted: list[Changes]) -> Puller:
    return Puller(
        cache, client, emit=emitted.append, wake=lambda: None, check_stop=lambda: None,
        poll_interval=1.0, page_limit=PAGE, realtime=False, pacer=GuiPacer(),
    )


def feed_message_ids(http: httpx.Client) -> set[str]:
    ids: set[str] = set()
    cursor: str | None = None
    while True:
        params: dict[str, Any] = {"limit": 500, **({"since": cursor} if cursor else {})}
        page = http.get("/v1/sync", params=params).json()
        ids |= {e["data"]["id"] for e in page["events"] if e["type"] == "message.upserted"}
        if not page["has_more"]:
            return ids
        cursor = page["next"]


def cached_message_ids(cache: Cache) -> list[str]:
    with cache.read() as conn:
        return [str(i) for i in conn.execute(select(messages.c.server_id)).scalars()]


def test_a_first_sync_over_many_pages_resets_once_and_applies_every_event_once(
    cache: Cache, client: ApiClient, admin_http: httpx.Client
) -> None:
    emitted: list[Changes] = []
    puller(cache, client, emitted).sync()
    assert len(emitted) > 3, "the demo feed should span several batches"
    assert [c.reset for c in emitted] == [True] + [False] * (len(emitted) - 1)
    cached = cached_message_ids(cache)
    assert len(cached) == len(set(cached))
    assert set(cached) == feed_message_ids(admin_http)
    with cache.read() as conn:
        cursor = read_cursor(conn).cursor
    assert cursor is not None
    assert client.sync(cursor).events == []  # read to the end


def test_a_catch_up_after_the_first_sync_is_plain_changes(
    cache: Cache, client: ApiClient, admin_http: httpx.Client
) -> None:
    emitted: list[Changes] = []
    pull = puller(cache, client, emitted)
    pull.sync()
    conversation = admin_http.get("/v1/conversations", params={"kind": "direct"}).json()
    target = conversation["items"][0]["id"]
    for n in range(3 * PAGE):  # several pages of new events
        sent = admin_http.post(
            f"/v1/conversations/{target}/messages", json={"body": f"catch-up {n}"},
            headers={"Idempotency-Key": str(uuid.uuid4())},
        )
        assert sent.status_code == 201, sent.text
    emitted.clear()
    pull.sync()
    assert emitted
    assert not any(c.reset for c in emitted)
    with cache.read() as conn:
        bodies = set(conn.execute(select(messages.c.body)).scalars())
    assert {f"catch-up {n}" for n in range(3 * PAGE)} <= bodies
    assert set(cached_message_ids(cache)) == feed_message_ids(admin_http)


def test_a_busy_gui_holds_the_catch_up_between_batches(
    cache: Cache, client: ApiClient
) -> None:
    """While the GUI says it is busy, the engine applies nothing more (it waits between
    batches, here for as long as it takes); once the GUI is back, the catch-up finishes."""
    pacer = GuiPacer(max_wait=30.0)
    emitted: list[Changes] = []
    gui_busy = threading.Event()
    release = threading.Event()
    in_batch_while_busy: list[int] = []

    def emit(changes: Changes) -> None:
        if gui_busy.is_set():
            in_batch_while_busy.append(len(emitted))
        emitted.append(changes)

    pull = Puller(
        cache, client, emit=emit, wake=lambda: None, check_stop=lambda: None,
        poll_interval=1.0, page_limit=PAGE, realtime=False, pacer=pacer,
    )

    def gui() -> None:
        with pacer.busy_while():
            gui_busy.set()
            release.wait(10)
        gui_busy.clear()

    worker = threading.Thread(target=gui)
    worker.start()
    gui_busy.wait(5)
    done = threading.Event()

    def sync_then_say_so() -> None:
        pull.sync()
        done.set()

    engine = threading.Thread(target=sync_then_say_so)
    engine.start()
    try:
        # The first page (read before any catch-up batch) lands; then the engine waits.
        assert not done.wait(0.3)
        assert len(emitted) <= 1
    finally:
        release.set()
        worker.join(5)
        engine.join(10)
    assert done.is_set()
    assert len(emitted) > 3
    assert in_batch_while_busy in ([], [0])
