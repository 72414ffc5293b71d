"""410 cursor_invalid: a full resync into a fresh cache generation, swapped in with the outbox.

First the swap itself on real cache files (every kind of row it keeps, drops or matches), then
the whole story against real backends: the server's database is replaced (a new feed epoch)
while the console holds a cache and unsent messages.
"""

# Fixtures come from realtime_support (imported by name, so test arguments shadow them).
# ruff: noqa: F811

from __future__ import annotations

import shutil
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from console.protocol.demo import DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD
from console.services.auth import AuthService, LoginResult
from console.services.types import ChangeSet, DetailCode, SyncState
from console.services.workspace import Workspace
from console.store import local_writes
from console.store import outbox as ob
from console.store.apply import apply_sync_page
from console.store.cache import Cache
from console.store.generations import (
    GENERATION_KEY,
    open_new_generation,
    swap_in,
)
from console.store.models import conversations, messages, outbox
from console.store.session_meta import get_meta, read_cursor
from tests.support.backend_process import BackendProcess
from tests.sync.conftest import wait_for
from tests.sync.fault_proxy import FaultProxy
from tests.sync.realtime_support import (  # noqa: F401
    OpenLive,
    admin,
    direct_conversation,
    live_backend,
    login,
    open_live,
    post_inbound,
    proxy,
    server_messages,
    start_backend,
)
from tests.unit.cache_factories import at, contact, conversation, message, page

ME = "usr_me"


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[Cache]:
    opened = Cache.open(tmp_path / "profile" / "cache.db")
    yield opened
    opened.close()


def rows(cache: Cache) -> dict[str, tuple[int, str | None, str, str]]:
    """body -> (local id, server id, conversation id, status)."""
    with cache.read() as conn:
        found = conn.execute(
            select(
                messages.c.id,
                messages.c.server_id,
                messages.c.conversation_id,
                messages.c.status,
                messages.c.body,
            )
        ).all()
    return {r.body: (r.id, r.server_id, r.conversation_id, r.status) for r in found}


def send(cache: Cache, conversation_id: str, body: str) -> local_writes.QueuedSend:
    with cache.write() as conn:
        queued, _ = local_writes.queue_send(
            conn, conversation_id=conversation_id, body=body, author_user_id=ME, now=at(30)
        )
    return queued


def test_swap_replaces_synced_rows_and_keeps_every_unsent_item(cache: Cache) -> None:
    apply_sync_page(
        cache,
        page(
            contact("k_old", "Old Contact", "+14155550001"),
            conversation("c1", "Ann", last=at(1)),
            conversation("c2", "Bob", last=at(2), unread=2),
            conversation("c3", "Gone", last=at(3)),
            message("m1", "c1", "m1 old text", when=at(1)),
            message("m2", "c2", "m2", when=at(2)),
            message("m_gone", "c3", "only on the old server", when=at(3)),
            cursor="old.7",
        ),
    )
    before = rows(cache)
    pending = send(cache, "c1", "pending in c1")
    orphan = send(cache, "c3", "pending in a conversation the new server lacks")
    refused = send(cache, "c2", "refused earlier")
    answered = send(cache, "c2", "the new server already has this one")
    delivered = send(cache, "c1", "delivered to the old server")
    with cache.write() as conn:
        ob.claim(conn, refused.outbox_id, at(31))
        ob.fail(conn, refused.outbox_id, code="forbidden", error="no", now=at(31))
        ob.claim(conn, delivered.outbox_id, at(31))
        ob.complete(conn, delivered.outbox_id, at(31))
        conn.execute(
            messages.update()
            .where(messages.c.id == delivered.message_id)
            .values(server_id="m_sent_old", status="delivered")
        )
        local_writes.mark_read(conn, conversation_id="c2", now=at(31))
        read_mark = conn.exec_driver_sql("SELECT max(id) FROM outbox").scalar_one()

    # The new generation: what a server with a replaced database says from the start.
    generation = open_new_generation(cache)
    apply_sync_page(
        generation,
        page(
            contact("k_new", "New Contact", "+14155550002"),
            conversation("c1", "Ann", last=at(5)),
            conversation("c2", "Bob", last=at(6), unread=3),
            conversation("c4", "Dee", last=at(4)),
            message("m1", "c1", "m1 new text", when=at(1), direction="in"),
            message("m2", "c2", "m2", when=at(2)),
            message("m4", "c4", "m4", when=at(4)),
            message(
                "m_answered", "c2", "the new server already has this one", when=at(30),
                direction="out", client_key=answered.client_key,
            ),
            cursor="new.4",
        ),
    )
    generation.close()
    # A send composed while the new generation was being read.
    late = send(cache, "c2", "composed during the resync")

    changes = swap_in(cache, generation.path, now=at(40))

    assert changes.reset
    assert changes.outbox
    assert not generation.path.exists()
    assert not list(cache.path.parent.glob("*.resync-*"))
    after = rows(cache)
    assert "only on the old server" not in after  # the old server's rows are gone...
    assert "delivered to the old server" not in after
    assert after["m1 new text"][:2] == (before["m1 old text"][0], "m1")  # ...matches keep ids
    assert after["m4"][1] == "m4"
    # Unsent sends stay, pending, with their local ids; one the new server has is matched.
    assert after["pending in c1"] == (pending.message_id, None, "c1", "pending")
    assert after["pending in a conversation the new server lacks"][:3] == (
        orphan.message_id, None, "c3",
    )
    assert after["refused earlier"][3] == "failed"
    assert after["composed during the resync"] == (late.message_id, None, "c2", "pending")
    assert after["the new server already has this one"][:2] == (answered.message_id, "m_answered")
    with cache.read() as conn:
        items = {
            r.id: r.state
            for r in conn.execute(select(outbox.c.id, outbox.c.state))
        }
        convs = {
            r.id: (r.unread_count, r.last_message_preview)
            for r in conn.execute(select(conversations))
        }
        names = {r.name for r in conn.execute(select(conversations.c.title.label("name")))}
        cursor = read_cursor(conn)
        meta = get_meta(conn)
        contacts = conn.exec_driver_sql("SELECT id FROM contacts").scalars().all()
    assert items == {
        pending.outbox_id: "pending",
        orphan.outbox_id: "pending",
        refused.outbox_id: "failed",
        answered.outbox_id: "pending",
        read_mark: "pending",
        late.outbox_id: "pending",
    }  # the finished item went with the old server's copy of its message
    assert set(convs) == {"c1", "c2", "c3", "c4"}  # c3 stays: an unsent message is in it
    assert convs["c2"][0] == 0  # the read mark not yet sent still shows
    assert convs["c1"][1] == "pending in c1"  # the newest activity is the pending send
    assert "Gone" in names
    assert (cursor.cursor, cursor.last_sync_at) == ("new.4", at(40))
    assert meta[GENERATION_KEY] == "1"
    assert contacts == ["k_new"]


def test_an_unfinished_generation_is_cleaned_up(cache: Cache) -> None:
    first = open_new_generation(cache)
    first.close()
    assert first.path.exists()
    second = open_new_generation(cache)  # a crash left the first one behind
    second.close()
    assert not first.path.exists()
    assert second.path.exists()


# -- the whole story, against real backends ------------------------------------------------------


def backup(db: Path, to: Path) -> None:
    """A consistent copy of a live SQLite database (what a backup tool takes)."""
    with sqlite3.connect(db) as source, sqlite3.connect(to) as target:
        source.backup(target)
    source.close()
    target.close()


def replace_database(db: Path, with_copy: Path | None) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    if with_copy is not None:
        shutil.copyfile(with_copy, db)


def assert_cache_is_server(ws: Workspace, server: httpx.Client) -> None:
    """Every conversation and every synced message of the server, and nothing else."""
    listed = server.get("/v1/conversations", params={"limit": 500}).json()["items"]
    assert {r.id for r in ws.conversations.list_conversations()} == {c["id"] for c in listed}
    for conversation_id in (c["id"] for c in listed):
        cached = ws.conversations.messages(conversation_id, limit=500)
        local = sorted((m.server_id, m.body) for m in cached if m.server_id is not None)
        remote = sorted((m["id"], m["body"]) for m in server_messages(server, conversation_id))
        assert local == remote, conversation_id


@pytest.mark.parametrize("how", ["replaced", "restored"])
def test_a_replaced_server_database_is_resynced_and_the_outbox_goes_out_once(
    how: str,
    tmp_path: Path,
    live_backend: BackendProcess,
    proxy: FaultProxy,
    login: LoginResult,
    open_live: OpenLive,
) -> None:
    """replaced: a new, re-seeded database (new feed epoch; the token is gone too, so the user
    signs in again). restored: a backup from before the latest changes (same epoch, the feed
    now behind the console's cursor). Either way the server says 410 cursor_invalid."""
    db = Path(live_backend.db_url.removeprefix("sqlite:///"))
    ws = open_live(login, proxy.url, poll=0.2)
    wait_for(lambda: ws.sync.status.live, what="the live stream")
    backup(db, tmp_path / "backup.db")  # the token is in it: signed in before
    with live_backend.client(login.token) as old:
        target = direct_conversation(old)
        other = next(
            c
            for c in old.get("/v1/conversations", params={"limit": 500}).json()["items"]
            if c["kind"] == "direct" and c["id"] != target["id"]
        )
        old_reply = post_inbound(old, target, "a reply only the old database had")
    sent_old = ws.conversations.send(target["id"], "sent to the old database")
    wait_for(
        lambda: ws.conversations.messages_by_key(target["id"], [sent_old.key])[0].server_id,
        what="the send on the old server",
    )
    wait_for(
        lambda: any(m.body == old_reply for m in ws.conversations.messages(target["id"])),
        what="the reply in the cache",
    )
    resets: list[ChangeSet] = []
    ws.conversations.changes.connect(lambda c: resets.append(c) if c.reset else None)

    proxy.fail_posts = True  # what is composed now stays unsent until after the resync
    live_backend.stop()
    wait_for(lambda: ws.sync.status.state is SyncState.OFFLINE, what="offline")
    bodies = [f"composed while the server was away {n} {uuid.uuid4().hex[:6]}" for n in range(3)]
    ws.conversations.send(target["id"], bodies[0])
    ws.conversations.send(target["id"], bodies[1])
    ws.conversations.send(other["id"], bodies[2])
    assert ws.sync.status.pending_outbox == 3

    replace_database(db, tmp_path / "backup.db" if how == "restored" else None)
    replaced = start_backend(db, port=live_backend.port)
    try:
        token = replaced.login(DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD)
        if how == "replaced":
            wait_for(
                lambda: ws.sync.status.detail.code is DetailCode.SIGNED_OUT,
                timeout=15,
                what="the old token refused",
            )
            again = AuthService().login(replaced.url, DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD)
            ws.sync.set_token(again.token)
        wait_for(lambda: resets, timeout=15, what="the resync")
        with replaced.client(token) as new:
            # The cache is the new server's data, plus the three unsent messages.
            assert_cache_is_server(ws, new)
            assert ws.sync.status.pending_outbox == 3
            shown = [m.body for m in ws.conversations.messages(target["id"], limit=500)]
            assert old_reply not in shown
            assert "sent to the old database" not in shown
            unsent = [m for m in ws.conversations.messages(target["id"]) if m.server_id is None]
            assert [(m.body, m.status) for m in unsent] == [
                (bodies[1], "pending"),
                (bodies[0], "pending"),
            ]

            proxy.fail_posts = False
            wait_for(lambda: ws.sync.status.pending_outbox == 0, timeout=15, what="the sends")
            for body, cid in zip(bodies, [target["id"], target["id"], other["id"]], strict=True):
                on_server = [m for m in server_messages(new, cid) if m["body"] == body]
                assert len(on_server) == 1, f"{body!r} is on the server {len(on_server)} times"
            wait_for(
                lambda: all(m.server_id for m in ws.conversations.messages(target["id"])),
                what="the sends' rows filled in",
            )
            assert_cache_is_server(ws, new)
        assert len(resets) >= 1
        assert ws.sync.status.live or ws.sync.status.state is SyncState.ONLINE
    finally:
        replaced.stop()
