"""The realtime stream against a real backend, through a proxy that fails like networks do."""

# Fixtures come from realtime_support (imported by name, so test arguments shadow them).
# ruff: noqa: F811

from __future__ import annotations

import logging
from collections.abc import Iterator
from functools import partial
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from console.services.auth import LoginResult
from console.services.types import ChangeSet, DetailCode, StatusDetail, SyncState
from console.services.workspace import Workspace
from tests.support.backend_process import BackendProcess
from tests.sync.conftest import wait_for
from tests.sync.fault_proxy import FaultProxy
from tests.sync.realtime_support import (  # noqa: F401
    HEARTBEAT_S,
    OpenLive,
    admin,
    direct_conversation,
    has_body,
    login,
    open_live,
    post_inbound,
    proxy,
    server_messages,
    start_backend,
)


@pytest.fixture(scope="module")
def shared_backend(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BackendProcess]:
    """One backend for this module (each test signs in with a cache of its own)."""
    backend = start_backend(tmp_path_factory.mktemp("live") / "backend.db")
    yield backend
    backend.stop()


@pytest.fixture
def live_backend(shared_backend: BackendProcess) -> BackendProcess:
    return shared_backend


def sync_requests(proxy: FaultProxy) -> list[bytes]:
    return [line for line in proxy.request_lines if line.startswith(b"GET /v1/sync")]


def live(ws: Workspace) -> bool:
    return ws.sync.status.live


def _stream_back(proxy: FaultProxy, ws: Workspace, drops: int) -> bool:
    """The stream is open again, after `drops` drops, and the sync says it is live."""
    return proxy.event_stream_count() == drops + 1 and live(ws)


def resume_points(proxy: FaultProxy) -> list[tuple[str | None, str | None]]:
    """(since, Last-Event-ID) of every event-stream request the proxy saw."""
    points = []
    for head in proxy.event_requests:
        request_line, *header_lines = head.decode().split("\r\n")
        target = request_line.split(" ")[1]
        since = parse_qs(urlsplit(target).query).get("since", [None])[0]
        headers = dict(line.split(": ", 1) for line in header_lines)
        last_id = {k.lower(): v for k, v in headers.items()}.get("last-event-id")
        points.append((since, last_id))
    return points


def seq(cursor: str | None) -> int:
    assert cursor is not None
    return int(cursor.rsplit(".", 1)[1])


def test_an_event_arrives_through_the_stream_with_no_polling(
    proxy: FaultProxy, login: LoginResult, admin: httpx.Client, open_live: OpenLive
) -> None:
    ws = open_live(login, proxy.url)  # the poll interval is an hour
    wait_for(lambda: live(ws), what="the live stream")
    status = ws.sync.status
    assert (status.state, status.detail.code) == (SyncState.ONLINE, DetailCode.LIVE)
    assert status.last_sync_at is not None
    polls = sync_requests(proxy)

    conversation = direct_conversation(admin)
    body = post_inbound(admin, conversation)
    wait_for(lambda: has_body(ws, conversation["id"], body), timeout=5, what="the reply")

    assert sync_requests(proxy) == polls, "the reply came by polling, not by the stream"
    assert proxy.event_stream_count() == 1
    assert ws.conversations.list_conversations()[0].id == conversation["id"]


def test_a_dropped_stream_resumes_from_its_cursor_and_applies_nothing_twice(
    proxy: FaultProxy, login: LoginResult, admin: httpx.Client, open_live: OpenLive
) -> None:
    ws = open_live(login, proxy.url)
    wait_for(lambda: live(ws), what="the live stream")
    changes: list[ChangeSet] = []
    ws.conversations.changes.connect(changes.append)
    conversation = direct_conversation(admin)
    cid = conversation["id"]

    bodies: list[str] = []
    for drop in range(1, 4):
        bodies.append(post_inbound(admin, conversation))
        wait_for(lambda: has_body(ws, cid, bodies[-1]), timeout=5, what="a reply on the stream")
        assert proxy.cut_events() == 1
        bodies.append(post_inbound(admin, conversation))  # while the stream is down
        wait_for(
            partial(_stream_back, proxy, ws, drop), timeout=5,
            what=f"the stream back after drop {drop}",
        )
    wait_for(lambda: all(has_body(ws, cid, b) for b in bodies), timeout=5, what="every reply")

    # Each reply was applied exactly once: its row shows up in exactly one change report.
    rows = {m.body: m.key for m in ws.conversations.messages(cid, limit=500)}
    for body in bodies:
        reported = [c for c in changes if rows[body] in c.messages.get(cid, frozenset())]
        assert len(reported) == 1, f"{body!r} was applied {len(reported)} times"

    # Every reconnect resumed with Last-Event-ID from where the cache was, never backwards.
    points = resume_points(proxy)
    assert len(points) == 4
    assert all(since == last_id for since, last_id in points), points
    assert [seq(since) for since, _ in points] == sorted(seq(since) for since, _ in points)
    # And the cache agrees with the server, row for row.
    server = sorted(m["id"] for m in server_messages(admin, cid))
    assert sorted(m.server_id or "" for m in ws.conversations.messages(cid, limit=500)) == server


def test_a_silent_stream_is_found_dead_by_its_missing_heartbeats(
    proxy: FaultProxy,
    login: LoginResult,
    admin: httpx.Client,
    open_live: OpenLive,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="console.sync")
    ws = open_live(login, proxy.url)
    wait_for(lambda: live(ws), what="the live stream")
    # The connection stays open but nothing more comes through it (a dead NAT entry, say).
    proxy.stall_events = True
    wait_for(lambda: proxy.event_stream_count() >= 2, timeout=8, what="a reconnect")
    assert proxy.cut_all() >= 0  # nothing was cut before this: the console gave up by itself
    dead = f"No heartbeat from /v1/events for {HEARTBEAT_S * 2.5:g} s."
    assert dead in caplog.text
    proxy.stall_events = False

    conversation = direct_conversation(admin)
    wait_for(lambda: live(ws), timeout=8, what="the stream back")
    body = post_inbound(admin, conversation)
    wait_for(lambda: has_body(ws, conversation["id"], body), timeout=5, what="the reply")


def test_falls_back_to_polling_when_the_server_has_no_event_stream(
    proxy: FaultProxy, login: LoginResult, admin: httpx.Client, open_live: OpenLive
) -> None:
    proxy.refuse_events = True  # GET /v1/events -> 404, as from an older server
    ws = open_live(login, proxy.url, poll=0.2)
    wait_for(
        lambda: ws.sync.status.detail.code is DetailCode.LIVE_UNAVAILABLE, what="the fallback"
    )
    status = ws.sync.status
    assert status.state is SyncState.ONLINE
    assert not status.live
    assert status.detail == StatusDetail.of(DetailCode.LIVE_UNAVAILABLE, seconds=0.2)

    conversation = direct_conversation(admin)
    body = post_inbound(admin, conversation)
    wait_for(lambda: has_body(ws, conversation["id"], body), timeout=5, what="a polled reply")
    assert proxy.event_stream_count() == 1, "the stream was retried against a server without it"


def test_falls_back_to_polling_behind_a_proxy_that_buffers_the_stream(
    proxy: FaultProxy, login: LoginResult, admin: httpx.Client, open_live: OpenLive
) -> None:
    proxy.buffer_events = True
    ws = open_live(login, proxy.url, poll=0.2)
    conversation = direct_conversation(admin)
    body = post_inbound(admin, conversation)
    # Polling keeps the cache current while the stream attempts fail...
    wait_for(lambda: has_body(ws, conversation["id"], body), timeout=5, what="a polled reply")
    # ...and after a few attempts that got nothing through, the console stops trying.
    wait_for(
        lambda: ws.sync.status.detail.code is DetailCode.LIVE_NOT_GETTING_THROUGH,
        timeout=15,
        what="the fallback to polling",
    )
    attempts = proxy.event_stream_count()
    assert attempts == 3
    assert ws.sync.status.state is SyncState.ONLINE
    assert not ws.sync.status.live
    body = post_inbound(admin, conversation)
    wait_for(lambda: has_body(ws, conversation["id"], body), timeout=5, what="a polled reply")
    assert proxy.event_stream_count() == attempts
