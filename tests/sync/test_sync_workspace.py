"""The workspace against a real backend: sign-in, first sync, send, replies, read marks."""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from console.domain.errors import DomainError, ErrorCode
from console.protocol.demo import DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD
from console.services.auth import KEYRING_SERVICE, AuthService, LoginResult, keyring_username
from console.services.types import (
    AuthorKind,
    ChangeSet,
    ConversationRow,
    DetailCode,
    SyncState,
    SyncStatus,
)
from console.services.workspace import Workspace
from console.store.apply import apply_events
from console.store.cache import Cache
from tests.conftest import MemoryKeyring
from tests.support.backend_process import BackendProcess
from tests.sync.conftest import wait_for
from tests.unit.cache_factories import conversation

OpenWs = Callable[..., Workspace]


@pytest.fixture
def sync_backend(module_backend: BackendProcess) -> BackendProcess:
    """Each test signs in with a cache of its own and sends bodies of its own (uuid): they
    share one backend."""
    return module_backend


def first_sync(ws: Workspace) -> list[ConversationRow]:
    """The conversation list once the feed has been read to its end (online)."""
    wait_for(lambda: ws.sync.status.state is SyncState.ONLINE, what="the first sync")
    return ws.conversations.list_conversations()


def server_messages(http: httpx.Client, conversation_id: str) -> list[dict[str, object]]:
    response = http.get(f"/v1/conversations/{conversation_id}/messages", params={"limit": 500})
    response.raise_for_status()
    items: list[dict[str, object]] = response.json()["items"]
    return items


def test_login_keeps_the_token_in_the_keyring_and_never_in_the_cache(
    sync_backend: BackendProcess,
    memory_keyring: MemoryKeyring,
    open_ws: OpenWs,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    auth = AuthService()
    session = auth.login(sync_backend.url, DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD)
    assert session.token_saved
    assert auth.keyring_available
    name = keyring_username(session.server_url, DEMO_ADMIN_EMAIL)
    assert memory_keyring.store[(KEYRING_SERVICE, name)] == session.token
    assert auth.saved_token(session.server_url, DEMO_ADMIN_EMAIL.upper()) == session.token
    assert session.token not in repr(session)

    ws = open_ws(session)
    first_sync(ws)
    ws.close()
    files = list(Path(session.cache_path).parent.glob("cache.db*"))
    assert files, "the cache file was not created"
    for path in files:
        assert session.token.encode() not in path.read_bytes(), f"token found in {path.name}"

    auth.forget(session.server_url, DEMO_ADMIN_EMAIL)
    assert auth.saved_token(session.server_url, DEMO_ADMIN_EMAIL) is None
    assert (KEYRING_SERVICE, name) not in memory_keyring.store
    assert caplog.records, "nothing was logged: the check below would prove nothing"
    assert session.token not in caplog.text
    assert DEMO_ADMIN_PASSWORD not in caplog.text


def test_bad_password_is_a_clear_login_error(sync_backend: BackendProcess) -> None:
    from console.services.errors import LoginFailed

    auth = AuthService()
    with pytest.raises(LoginFailed) as refused:
        auth.login(sync_backend.url, DEMO_ADMIN_EMAIL, "wrong password")
    assert refused.value.message == "Wrong email or password."
    assert auth.saved_token(sync_backend.url, DEMO_ADMIN_EMAIL) is None


def test_start_syncs_conversations_and_reports_online(
    session: LoginResult, open_ws: OpenWs, admin_http: httpx.Client
) -> None:
    ws = open_ws(session, start=False)
    assert ws.conversations.list_conversations() == []
    statuses: list[SyncStatus] = []
    ws.sync.status_changed.connect(statuses.append)
    ws.start()
    rows = first_sync(ws)
    wait_for(lambda: ws.sync.status.state is SyncState.ONLINE, what="online")
    assert ws.sync.status.last_sync_at is not None
    assert any(s.state is SyncState.ONLINE for s in statuses)

    server = admin_http.get("/v1/conversations", params={"limit": 500}).json()["items"]
    assert {r.id for r in rows} == {c["id"] for c in server}
    times = [r.last_message_at for r in rows if r.last_message_at is not None]
    assert times == sorted(times, reverse=True)
    direct = next(r for r in rows if r.kind == "direct")
    assert direct.subtitle.startswith("(")  # a US number shown as (415) 555-0111
    assert direct.number_label
    assert ws.session.user.email == DEMO_ADMIN_EMAIL


def test_send_shows_pending_at_once_then_delivered_in_place(
    session: LoginResult, open_ws: OpenWs, admin_http: httpx.Client
) -> None:
    ws = open_ws(session)
    rows = first_sync(ws)
    target = rows[-1]  # the oldest: the send must bump it to the top
    changes: list[ChangeSet] = []
    ws.conversations.changes.connect(changes.append)
    body = f"Your viewing is confirmed {uuid.uuid4().hex[:6]}"

    row = ws.conversations.send(target.id, f"  {body}\n")
    assert (row.status, row.body, row.author_kind, row.server_id) == (
        "pending", body, AuthorKind.ME, None)
    assert ws.conversations.list_conversations()[0].id == target.id
    assert any(row.key in c.messages.get(target.id, ()) for c in changes)

    def delivered() -> bool:
        (current,) = ws.conversations.messages_by_key(target.id, [row.key])
        return current.status == "delivered"

    wait_for(delivered, what="the message to be delivered")
    (final,) = ws.conversations.messages_by_key(target.id, [row.key])
    assert final.server_id is not None
    assert final.key == row.key
    local = [m for m in ws.conversations.messages(target.id) if m.body == body]
    assert [m.key for m in local] == [row.key]
    on_server = [m for m in server_messages(admin_http, target.id) if m["body"] == body]
    assert len(on_server) == 1
    assert on_server[0]["id"] == final.server_id
    assert ws.sync.status.pending_outbox == 0


def test_send_refuses_a_bad_body_and_writes_nothing(session: LoginResult, open_ws: OpenWs) -> None:
    ws = open_ws(session)
    target = first_sync(ws)[0]
    before = ws.conversations.messages(target.id)
    for bad in ("", "   \n ", "x" * 1601):
        with pytest.raises(DomainError) as refused:
            ws.conversations.send(target.id, bad)
        assert refused.value.code is ErrorCode.VALIDATION_ERROR, bad[:10]
    assert ws.conversations.messages(target.id) == before
    assert ws.sync.status.pending_outbox == 0


def test_simulated_reply_arrives_and_bumps_the_conversation_with_unread(
    session: LoginResult, open_ws: OpenWs, admin_http: httpx.Client
) -> None:
    ws = open_ws(session)
    rows = first_sync(ws)
    target = next(r for r in reversed(rows) if r.kind == "direct")
    conv = next(
        c
        for c in admin_http.get("/v1/conversations", params={"limit": 500}).json()["items"]
        if c["id"] == target.id
    )
    numbers = admin_http.get("/v1/numbers").json()["items"]
    business = next(n["e164"] for n in numbers if n["id"] == conv["number_id"])
    arrived = threading.Event()
    ws.conversations.changes.connect(lambda c: arrived.set() if target.id in c.messages else None)

    body = f"Is the house still available? {uuid.uuid4().hex[:6]}"
    response = admin_http.post(
        "/v1/simulator/inbound", json={"from": conv["phone"], "to": [business], "body": body}
    )
    assert response.status_code == 201, response.text

    def bumped() -> ConversationRow | None:
        top = ws.conversations.list_conversations()[0]
        return top if top.id == target.id and top.preview == body else None

    top = wait_for(bumped, timeout=5, what="the reply to bump its conversation")
    assert top.unread_count >= 1
    assert arrived.wait(1)
    newest = ws.conversations.messages(target.id, limit=1)[0]
    assert (newest.body, newest.direction, newest.author) == (body, "in", target.title)


def test_mark_read_is_local_at_once_and_reaches_the_server(
    session: LoginResult, open_ws: OpenWs, admin_http: httpx.Client
) -> None:
    ws = open_ws(session)
    rows = first_sync(ws)
    unread = next(r for r in rows if r.unread_count > 0)
    ws.conversations.mark_read(unread.id)
    local = ws.conversations.conversation(unread.id)
    assert local is not None
    assert local.unread_count == 0

    def server_unread() -> bool:
        items = admin_http.get("/v1/conversations", params={"limit": 500}).json()["items"]
        return bool(next(c for c in items if c["id"] == unread.id)["unread_count"] == 0)

    wait_for(server_unread, what="the read mark on the server")
    wait_for(lambda: ws.sync.status.pending_outbox == 0, what="the outbox to drain")
    local = ws.conversations.conversation(unread.id)
    assert local is not None
    assert local.unread_count == 0


def test_a_refused_send_fails_with_the_server_code(session: LoginResult, open_ws: OpenWs) -> None:
    # A conversation the server does not know (deleted meanwhile, say): the POST gets a 404.
    cache = Cache.open(session.cache_path)
    with cache.write() as conn:
        apply_events(conn, [conversation("cnv_gone", "Gone Person", phone="+14155550199")])
    cache.close()
    ws = open_ws(session)
    first_sync(ws)
    row = ws.conversations.send("cnv_gone", "Hello?")

    def failed() -> bool:
        (current,) = ws.conversations.messages_by_key("cnv_gone", [row.key])
        return current.status == "failed"

    wait_for(failed, what="the send to fail")
    (final,) = ws.conversations.messages_by_key("cnv_gone", [row.key])
    assert final.error == "Not sent: the conversation no longer exists on the server."
    cache = Cache.open(session.cache_path)
    with cache.read() as conn:
        code = conn.exec_driver_sql("SELECT last_error_code, state FROM outbox").all()
    cache.close()
    assert [tuple(r) for r in code] == [("not_found", "failed")]
    wait_for(lambda: ws.sync.status.pending_outbox == 0, what="pending count to drop")


def test_carrier_failure_shows_a_reason(session: LoginResult, open_ws: OpenWs) -> None:
    ws = open_ws(session)
    target = first_sync(ws)[0]
    row = ws.conversations.send(target.id, "this one will #fail")

    def settled() -> str | None:
        (current,) = ws.conversations.messages_by_key(target.id, [row.key])
        return current.error if current.status == "failed" else None

    reason = wait_for(settled, what="the carrier failure")
    assert "30006" in reason


def test_revoked_token_signs_out_and_a_new_login_resumes(
    sync_backend: BackendProcess,
    session: LoginResult,
    auth: AuthService,
    open_ws: OpenWs,
    admin_http: httpx.Client,
) -> None:
    ws = open_ws(session)
    target = first_sync(ws)[0]
    with sync_backend.client(session.token) as own:
        assert own.delete("/v1/auth/token").status_code in (200, 204)

    wait_for(
        lambda: ws.sync.status.detail.code is DetailCode.SIGNED_OUT,
        what="the signed-out status",
    )
    assert ws.sync.status.state is SyncState.OFFLINE
    body = f"Queued while signed out {uuid.uuid4().hex[:6]}"
    row = ws.conversations.send(target.id, body)
    ws.sync.sync_now()
    assert ws.sync.status.pending_outbox >= 1
    assert not [m for m in server_messages(admin_http, target.id) if m["body"] == body]

    again = auth.login(session.server_url, DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD)
    ws.sync.set_token(again.token)

    def delivered() -> bool:
        (current,) = ws.conversations.messages_by_key(target.id, [row.key])
        return current.status == "delivered"

    wait_for(delivered, what="delivery after signing in again")
    assert len([m for m in server_messages(admin_http, target.id) if m["body"] == body]) == 1
