"""`GET /v1/events`: the live change feed as server-sent events (see routes/events_stream.py)."""

from __future__ import annotations

import asyncio
import re
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from console.backend.app import create_app
from console.backend.feed_notify import FeedWatch
from console.backend.settings import Settings
from console.protocol.demo import DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD
from tests.backend.conftest import USER_ALL, USER_ASSIGNED, Api, assert_problem, sync_all, wait_for
from tests.backend.sse_client import Sse, SseStream, open_stream
from tests.support.backend_process import BackendProcess, sqlite_url

CURSOR = re.compile(r"^[0-9a-f]+\.\d+$")


def _token(api: Api, email: str) -> str:
    header = api.as_(email).headers["authorization"]
    return str(header.removeprefix("Bearer "))


def _new_contact(client: httpx.Client, **extra: Any) -> dict[str, Any]:
    response = client.post(
        "/v1/contacts", json={"name": f"Stream {uuid.uuid4().hex[:8]}", "phones": [], **extra}
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def _ids_of(items: list[Sse]) -> set[str]:
    return {item.json()["data"].get("id") for item in items}


def test_a_write_reaches_an_open_stream_as_the_sync_event(api: Api) -> None:
    _, cursor = sync_all(api.admin)
    with open_stream(api.backend.url, _token(api, DEMO_ADMIN_EMAIL), since=cursor) as stream:
        assert stream.status == 200
        assert stream.headers["content-type"].startswith("text/event-stream")
        assert stream.headers["cache-control"] == "no-cache"
        contact = _new_contact(api.admin)
        stream.wait_until(lambda s: contact["id"] in _ids_of(s.events))
        synced, _ = sync_all(api.admin, cursor)
        ours = [e for e in stream.events if e.json()["data"].get("id") == contact["id"]]
        assert len(ours) == 1
        event = ours[0]
        # Same event as /v1/sync serves; `id` is a cursor /v1/sync accepts, and vice versa.
        assert event.event == "contact.upserted"
        assert event.json() in synced
        assert event.id is not None
        assert CURSOR.match(event.id)
        assert event.id.split(".")[0] == cursor.split(".")[0]
        assert int(event.id.split(".")[1]) == event.json()["seq"]
        after = api.admin.get("/v1/sync", params={"since": event.id})
        assert after.status_code == 200
        assert contact["id"] not in {e["data"].get("id") for e in after.json()["events"]}


def test_the_stream_from_a_cursor_equals_the_sync_feed_from_it(api: Api) -> None:
    events, _ = sync_all(api.admin)
    start = f"{api.admin.get('/v1/sync', params={'limit': 1}).json()['next']}"
    expected = [e for e in events if e["seq"] > int(start.split(".")[1])]
    with open_stream(api.backend.url, _token(api, DEMO_ADMIN_EMAIL), since=start) as stream:
        stream.wait_until(lambda s: len(s.events) >= len(expected))
        assert [e.json() for e in stream.events[: len(expected)]] == expected
        assert [e.event for e in stream.events[: len(expected)]] == [e["type"] for e in expected]


def test_last_event_id_resumes_and_wins_over_since(api: Api) -> None:
    token = _token(api, DEMO_ADMIN_EMAIL)
    _, start = sync_all(api.admin)
    first, second = _new_contact(api.admin), _new_contact(api.admin)
    with open_stream(api.backend.url, token, since=start) as stream:
        stream.wait_until(lambda s: second["id"] in _ids_of(s.events))
        first_id = next(e.id for e in stream.events if e.json()["data"]["id"] == first["id"])
    # Resume after `first`: Last-Event-ID wins over an older `since`.
    with open_stream(api.backend.url, token, since=start, last_event_id=first_id) as resumed:
        resumed.wait_until(lambda s: second["id"] in _ids_of(s.events))
        assert first["id"] not in _ids_of(resumed.events)
    # An empty Last-Event-ID (a client with no id yet) leaves `since` in charge.
    with open_stream(api.backend.url, token, since=start, last_event_id="") as fresh:
        fresh.wait_until(lambda s: {first["id"], second["id"]} <= _ids_of(s.events))


def test_bad_cursors_are_410_before_the_stream_starts(api: Api) -> None:
    token = _token(api, DEMO_ADMIN_EMAIL)
    _, cursor = sync_all(api.admin)
    epoch, _, seq = cursor.partition(".")
    bad = ["garbage", f"{epoch}.{int(seq) + 1000}", f"other.{seq}", f"{epoch}.-1"]
    for value in bad:
        for since, last_event_id in ((value, None), (cursor, value)):
            opened = SseStream(api.backend.url, token, since=since, last_event_id=last_event_id)
            with opened.start() as stream:
                stream.wait_ended()
                assert stream.status == 410, (since, last_event_id, stream.body)
                assert stream.headers["content-type"].startswith("application/problem+json")
                assert stream.problem()["code"] == "cursor_invalid"
    assert_problem(api.admin.get("/v1/events", params={"since": "x" * 101}), 422,
                   "validation_error")
    assert_problem(api.anonymous().get("/v1/events"), 401, "unauthorized")


def test_assigned_only_users_hear_only_about_their_own_contacts(api: Api) -> None:
    diego_id, priya_id = api.me(USER_ASSIGNED)["id"], api.me(USER_ALL)["id"]
    _, cursor = sync_all(api.as_(USER_ASSIGNED))
    with open_stream(api.backend.url, _token(api, USER_ASSIGNED), since=cursor) as stream:
        hidden = _new_contact(api.admin, assigned_user_id=priya_id)
        shown = _new_contact(api.admin, assigned_user_id=diego_id)
        stream.wait_until(lambda s: shown["id"] in _ids_of(s.events))
        assert hidden["id"] not in _ids_of(stream.events)
        # What the stream gave is what /v1/sync gives the same user from the same cursor.
        synced, head = sync_all(api.as_(USER_ASSIGNED), cursor)
        stream.wait_until(lambda s: bool(s.items) and s.items[-1].id == head)
        assert [e.json() for e in stream.events] == synced


def test_hidden_changes_move_the_stream_id_without_an_event(api: Api) -> None:
    priya_id = api.me(USER_ALL)["id"]
    _, cursor = sync_all(api.as_(USER_ASSIGNED))
    with open_stream(api.backend.url, _token(api, USER_ASSIGNED), since=cursor) as stream:
        hidden = _new_contact(api.admin, assigned_user_id=priya_id)
        _, head = sync_all(api.admin)
        stream.wait_until(lambda s: any(i.id == head for i in s.items))
        moved = [i for i in stream.items if i.id == head]
        assert moved[0].data is None
        assert moved[0].event is None
        assert hidden["id"] not in _ids_of(stream.events)


def test_revoking_the_token_ends_its_open_stream_and_every_route_says_401(api: Api) -> None:
    token = api.backend.login(DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD)
    other = _token(api, DEMO_ADMIN_EMAIL)
    _, cursor = sync_all(api.admin)
    with open_stream(api.backend.url, token, since=cursor) as doomed, \
            open_stream(api.backend.url, other, since=cursor) as unaffected:
        with api.backend.client(token) as http:
            assert http.delete("/v1/auth/token").status_code == 204
        # At once, not at the next heartbeat (10 s on this backend).
        doomed.wait_ended(timeout=5)
        assert doomed.ended_cleanly
        contact = _new_contact(api.admin)
        unaffected.wait_until(lambda s: contact["id"] in _ids_of(s.events))
        assert not unaffected.done.is_set()
    with SseStream(api.backend.url, token).start() as again:
        again.wait_ended()
        assert again.status == 401
    operations = api.admin.get("/openapi.json").json()["paths"]
    checked = 0
    with api.backend.client(token) as http:
        for path, methods in operations.items():
            if not path.startswith("/v1/"):
                continue
            concrete = re.sub(r"\{[^}]+\}", "x", path)
            for method in methods:
                if method == "post" and path == "/v1/auth/token":
                    continue
                response = http.request(method.upper(), concrete, json={})
                assert_problem(response, 401, "unauthorized")
                checked += 1
    assert checked >= 15


# -- heartbeats, shutdown, disconnects: backends of their own ------------------------------------


@pytest.fixture
def quick_heartbeat_backend(tmp_path: Path) -> Iterator[BackendProcess]:
    backend = BackendProcess(
        sqlite_url(tmp_path / "hb.db"), args=["--seed", "demo"],
        env={"CONSOLE_SSE_HEARTBEAT_S": "0.2"},
    ).start()
    yield backend
    backend.stop()


def test_idle_streams_get_heartbeats_without_ids(quick_heartbeat_backend: BackendProcess) -> None:
    token = quick_heartbeat_backend.login(DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD)
    with quick_heartbeat_backend.client(token) as http:
        _, cursor = sync_all(http)
    with open_stream(quick_heartbeat_backend.url, token, since=cursor) as stream:
        stream.wait_until(lambda s: len(s.items) >= 3)
        assert all(i.event == "heartbeat" and i.id is None for i in stream.items)
        assert all(i.json() == {} for i in stream.items)


def test_shutdown_ends_open_streams_cleanly_and_promptly(tmp_path: Path) -> None:
    backend = BackendProcess(sqlite_url(tmp_path / "stop.db"), args=["--seed", "demo"]).start()
    try:
        token = backend.login(DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD)
        streams = [open_stream(backend.url, token) for _ in range(3)]
        for stream in streams:
            stream.wait_until(lambda s: bool(s.items))
        assert backend.proc is not None
        backend.proc.terminate()
        # Well inside uvicorn's graceful-shutdown timeout (3 s): the streams are ended, not
        # waited for and then cancelled.
        for stream in streams:
            stream.wait_ended(timeout=2.5)
            assert stream.ended_cleanly, stream.error
        assert backend.proc.wait(5) == 0
        assert not [line for line in backend.log_lines if "graceful shutdown" in line.lower()]
    finally:
        backend.stop()
        for stream in streams:
            stream.close()


class _InProcessServer:
    """The app under a real uvicorn on a thread, so the test can look at its FeedWatch."""

    def __init__(self, db_path: Path) -> None:
        from console.backend.cli import main as cli

        assert cli(["create-user", "--db", sqlite_url(db_path), "--email", "a@x.example",
                    "--password", "password1", "--role", "admin"]) == 0
        self.app = create_app(Settings(db_url=sqlite_url(db_path)))
        self.server = uvicorn.Server(
            uvicorn.Config(self.app, host="127.0.0.1", port=0, log_level="warning")
        )
        self.thread = threading.Thread(target=lambda: asyncio.run(self.server.serve()))
        self.thread.start()
        wait_for(lambda: self.server.started)
        port = self.server.servers[0].sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"

    @property
    def watch(self) -> FeedWatch:
        watch = self.app.state.feed_watch
        assert isinstance(watch, FeedWatch)
        return watch

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)
        assert not self.thread.is_alive()


def test_a_client_that_goes_away_leaves_nothing_running(tmp_path: Path) -> None:
    server = _InProcessServer(tmp_path / "inproc.db")
    try:
        with httpx.Client(base_url=server.url) as http:
            token = http.post(
                "/v1/auth/token", json={"email": "a@x.example", "password": "password1"}
            ).json()["access_token"]
        streams = [open_stream(server.url, token) for _ in range(5)]
        wait_for(lambda: server.watch.open_streams == 5)
        for stream in streams:
            stream.close()
        wait_for(lambda: server.watch.open_streams == 0)
        threads_before_stop = threading.active_count()
    finally:
        server.stop()
    assert threading.active_count() <= threads_before_stop
