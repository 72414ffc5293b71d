"""ConversationService over a real cache file, offline (no backend needed: reads are local)."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError

from console.domain.errors import DomainError, ErrorCode
from console.protocol.auth import User
from console.services.types import (
    LOCAL_WRITE_FAILED,
    AuthorKind,
    ChangeSet,
    DetailCode,
    Refusal,
    SyncState,
    SyncStatus,
)
from console.services.workspace import Workspace, open_workspace
from console.store import local_writes
from console.store.apply import apply_sync_page
from console.store.cache import Cache
from tests.unit.cache_factories import at, contact, conversation, event, message, number, page

ME = User(id="u-me", email="me@example.com", name="Me Myself", role="admin", data_access="all")
NOWHERE = "http://127.0.0.1:9"  # nothing listens there: the workspace stays offline


def seed(path: Path) -> None:
    cache = Cache.open(path)
    apply_sync_page(
        cache,
        page(
            event(
                "user.upserted",
                {
                    "id": "u-other",
                    "email": "o@example.com",
                    "name": "Olga",
                    "role": "user",
                    "data_access": "all",
                },
            ),
            number("n1", "+14155550100", "Main office"),
            number("n2", "+14155550102", ""),
            contact("k1", "Ann Lee", "+14155550111"),
            conversation(
                "c-ann",
                "Ann Lee",
                phone="+14155550111",
                last=at(30),
                preview="line one\nline two",
                unread=2,
                number_id="n1",
            ),
            conversation("c-uk", "Uma Patel", phone="+442071838750", last=at(20), number_id="n2"),
            conversation(
                "c-group",
                "Open house crew",
                phone=None,
                last=at(10),
                kind="group_sms",
                participants=[
                    {"contact_id": f"k{i}", "name": f"P{i}", "phone": "+14155550111"}
                    for i in range(3)
                ],
            ),
            conversation(
                "c-blocked",
                "Blocked chat",
                phone=None,
                last=at(5),
                kind="group_sms",
                status="blocked",
                blocked_reason="Ann turned on Do Not Disturb.",
            ),
            conversation("c-quiet", "No messages yet"),
            message("m1", "c-ann", "Hi, is it available?", when=at(1), author_contact_id="k1"),
            message(
                "m2",
                "c-ann",
                "Yes it is",
                when=at(2),
                direction="out",
                author_user_id="u-me",
                status="delivered",
            ),
            message(
                "m3",
                "c-ann",
                "I can cover Thursday",
                when=at(3),
                direction="out",
                author_user_id="u-other",
                status="sent",
            ),
            message("m4", "c-ann", "Great", when=at(4)),  # contact unknown to the cache
            message(
                "m5",
                "c-ann",
                "Not delivered",
                when=at(5),
                direction="out",
                author_user_id="u-me",
                status="failed",
                error_code="30006",
            ),
        ),
    )
    cache.close()


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    path = tmp_path / "profile" / "cache.db"
    seed(path)
    opened = open_workspace(path, NOWHERE, None, ME, poll_interval=0.1)
    yield opened
    opened.close()


def test_list_is_newest_first_with_display_fields(ws: Workspace) -> None:
    rows = ws.conversations.list_conversations()
    assert [r.id for r in rows] == ["c-ann", "c-uk", "c-group", "c-blocked", "c-quiet"]
    ann, uk, group, blocked, quiet = rows
    assert (ann.subtitle, ann.number_label, ann.preview, ann.unread_count) == (
        "(415) 555-0111",
        "Main office",
        "line one line two",
        2,
    )
    assert uk.subtitle == "+44 20 7183 8750"
    assert uk.number_label == "(415) 555-0102"  # no label: the number itself
    # A group chat's second line is worded by the views: the service gives the count.
    assert (group.subtitle, group.participant_count) == ("", 3)
    assert (ann.participant_count, uk.participant_count) == (None, None)
    assert (blocked.status, blocked.blocked_reason) == ("blocked", "Ann turned on Do Not Disturb.")
    assert quiet.last_message_at is None
    assert ws.conversations.conversation("c-uk") == uk
    assert ws.conversations.conversation("nope") is None
    # Several at once (a sync batch names several): the same rows, unknown ids left out.
    assert ws.conversations.conversations(["c-uk", "nope", "c-ann", "c-uk"]) == {
        "c-uk": uk,
        "c-ann": ann,
    }
    assert ws.conversations.conversations([]) == {}


def test_messages_are_newest_first_with_authors_and_reasons(ws: Workspace) -> None:
    rows = ws.conversations.messages("c-ann")
    # Who wrote each as data (the views word "You"): this user has no name here.
    assert [(m.body, m.author_kind, m.author) for m in rows] == [
        ("Not delivered", AuthorKind.ME, ""),
        ("Great", AuthorKind.CONTACT, "Ann Lee"),  # not in the contacts cache: the title
        ("I can cover Thursday", AuthorKind.COLLEAGUE, "Olga"),
        ("Yes it is", AuthorKind.ME, ""),
        ("Hi, is it available?", AuthorKind.CONTACT, "Ann Lee"),
    ]
    assert rows[0].error is not None
    assert "30006" in rows[0].error
    assert all(m.error is None for m in rows[1:])


def test_a_sender_nobody_can_tell_is_left_to_the_views(tmp_path: Path) -> None:
    """An inbound group chat message whose contact the cache does not know: no name (""), and
    the views say "Unknown sender" in the user's language."""
    path = tmp_path / "profile" / "cache.db"
    seed(path)
    cache = Cache.open(path)
    apply_sync_page(cache, page(message("m9", "c-group", "Who is this?", when=at(11))))
    cache.close()
    opened = open_workspace(path, NOWHERE, None, ME, poll_interval=0.1)
    try:
        rows = opened.conversations.messages("c-group")
        assert [(m.body, m.author_kind, m.author) for m in rows] == [
            ("Who is this?", AuthorKind.CONTACT, "")]
    finally:
        opened.close()


def test_keyset_pages_walk_back_without_gaps_or_repeats(ws: Workspace) -> None:
    seen: list[str] = []
    before: str | None = None
    while page_rows := ws.conversations.messages("c-ann", before_key=before, limit=2):
        seen += [m.body for m in page_rows]
        before = page_rows[-1].key
    assert seen == [m.body for m in ws.conversations.messages("c-ann")]
    assert ws.conversations.messages("c-ann", before_key="999999") == []
    with pytest.raises(ValueError, match="is not a message key"):
        ws.conversations.messages("c-ann", before_key="not-a-key")


def test_send_writes_a_pending_row_and_bumps_the_conversation(ws: Workspace) -> None:
    changes: list[ChangeSet] = []
    statuses: list[SyncStatus] = []
    ws.conversations.changes.connect(changes.append)
    ws.sync.status_changed.connect(statuses.append)

    row = ws.conversations.send("c-quiet", "  First message\n")
    assert (row.status, row.body, row.author_kind, row.author, row.direction) == (
        "pending",
        "First message",
        AuthorKind.ME,
        "",
        "out",
    )
    assert ws.conversations.list_conversations()[0].id == "c-quiet"
    assert ws.conversations.list_conversations()[0].preview == "First message"
    assert changes == [
        ChangeSet(conversations=frozenset({"c-quiet"}), messages={"c-quiet": frozenset({row.key})})
    ]
    assert ws.conversations.messages_by_key("c-quiet", [row.key]) == [row]
    assert ws.sync.status.pending_outbox == 1
    assert statuses
    assert statuses[-1].pending_outbox == 1


@pytest.mark.parametrize(
    ("conversation_id", "body", "code"),
    [
        ("c-ann", "   ", ErrorCode.VALIDATION_ERROR),
        ("c-ann", "x" * 1601, ErrorCode.VALIDATION_ERROR),
        ("nope", "hello", ErrorCode.NOT_FOUND),
        ("c-blocked", "hello", ErrorCode.GROUP_CHAT_BLOCKED),
    ],
)
def test_send_refusals_write_nothing(
    ws: Workspace, conversation_id: str, body: str, code: ErrorCode
) -> None:
    before = ws.conversations.list_conversations()
    with pytest.raises(DomainError) as caught:
        ws.conversations.send(conversation_id, body)
    assert caught.value.code is code
    assert caught.value.detail
    assert ws.conversations.list_conversations() == before
    assert ws.sync.status.pending_outbox == 0


def test_mark_read_is_immediate_and_queued_once(ws: Workspace) -> None:
    changes: list[ChangeSet] = []
    ws.conversations.changes.connect(changes.append)
    ws.conversations.mark_read("c-ann")
    row = ws.conversations.conversation("c-ann")
    assert row is not None
    assert row.unread_count == 0
    assert changes == [ChangeSet(conversations=frozenset({"c-ann"}))]
    ws.conversations.mark_read("c-ann")  # nothing unread: nothing more to tell the server
    assert len(changes) == 1
    assert ws.sync.status.pending_outbox == 1
    with pytest.raises(DomainError):
        ws.conversations.mark_read("nope")


def test_mark_read_soon_does_not_wait_for_a_write_in_progress(ws: Workspace) -> None:
    """The GUI thread asks; a sync batch holds the write lock; the call returns at once and the
    write lands after the batch, published once."""
    changes: list[ChangeSet] = []
    ws.conversations.changes.connect(changes.append)
    holding, release, returned_while_held = threading.Event(), threading.Event(), []

    def sync_batch() -> None:
        with ws._cache.write():
            holding.set()
            release.wait(10)  # bounded: a call that blocks fails the test, never hangs it

    batch = threading.Thread(target=sync_batch)
    batch.start()
    assert holding.wait(5)
    ws.conversations.mark_read_soon("c-ann")
    ws.conversations.mark_read_soon("c-ann")  # asked again meanwhile: one write
    ws.conversations.mark_read_soon("nope")  # gone meanwhile: logged, nothing raised here
    returned_while_held.append(not release.is_set())
    release.set()
    batch.join()
    assert returned_while_held == [True]
    deadline = time.monotonic() + 5
    while (row := ws.conversations.conversation("c-ann")) and row.unread_count and (
        time.monotonic() < deadline
    ):
        time.sleep(0.01)
    assert row is not None
    assert row.unread_count == 0
    ws.conversations.close()  # waits for the writer; later requests are dropped
    assert not [t for t in threading.enumerate() if t.name.startswith("console-local-write")]
    assert changes == [ChangeSet(conversations=frozenset({"c-ann"}))]
    assert ws.sync.status.pending_outbox == 1
    ws.conversations.mark_read_soon("c-uk")


def test_send_soon_does_not_wait_for_a_write_in_progress_and_keeps_order(
    ws: Workspace,
) -> None:
    """A send typed while a sync batch holds the write lock: the GUI thread's call returns at
    once; the sends land after the batch, in the order typed, each once; a send the cache
    refuses (a blocked chat, a chat gone) hands its text back, and a bad body is refused at
    once with nothing queued."""
    service = ws.conversations
    refused: list[tuple[str, Refusal]] = []
    holding, release, returned_while_held = threading.Event(), threading.Event(), []

    def sync_batch() -> None:
        with ws._cache.write():
            holding.set()
            release.wait(10)

    batch = threading.Thread(target=sync_batch)
    batch.start()
    assert holding.wait(5)
    before = [m.key for m in service.messages("c-ann")]
    began = time.monotonic()
    for n in range(3):
        service.send_soon("c-ann", f"typed during the sync {n}", lambda *a: refused.append(a))
    service.send_soon("c-blocked", "to a blocked chat", lambda *a: refused.append(a))
    service.send_soon("nope", "to a chat gone", lambda *a: refused.append(a))
    with pytest.raises(DomainError) as bad:
        service.send_soon("c-ann", "   ", lambda *a: refused.append(a))
    assert bad.value.code is ErrorCode.VALIDATION_ERROR
    returned_while_held.append(not release.is_set())
    elapsed = time.monotonic() - began
    release.set()
    batch.join()
    assert returned_while_held == [True]
    assert elapsed < 1.0
    service.close()  # waits for the writer: every send handed over is written
    rows = [m for m in service.messages("c-ann") if m.key not in before]
    assert [m.body for m in reversed(rows)] == [f"typed during the sync {n}" for n in range(3)]
    assert {m.status for m in rows} == {"pending"}
    assert ws.sync.status.pending_outbox == 3
    assert sorted(text for text, _ in refused) == ["to a blocked chat", "to a chat gone"]
    assert dict(refused)["to a blocked chat"] == Refusal(
        "group_chat_blocked", "Ann turned on Do Not Disturb.")
    assert dict(refused)["to a chat gone"].code == "not_found"
    with pytest.raises(DomainError):  # closed: nothing is taken that would not be written
        service.send_soon("c-ann", "too late", lambda *a: refused.append(a))


def test_without_a_token_the_workspace_is_offline_and_closes_fast(ws: Workspace) -> None:
    statuses: list[SyncStatus] = []
    ws.sync.status_changed.connect(statuses.append)
    ws.start()
    deadline = time.monotonic() + 5
    while not statuses and time.monotonic() < deadline:
        time.sleep(0.01)
    assert ws.sync.status.state is SyncState.OFFLINE
    assert ws.sync.status.detail.code is DetailCode.NOT_SIGNED_IN
    ws.sync.sync_now()
    began = time.monotonic()
    ws.close()
    ws.close()  # idempotent
    assert time.monotonic() - began < 2.0


def test_reopening_for_another_account_starts_the_cache_afresh(tmp_path: Path) -> None:
    path = tmp_path / "profile" / "cache.db"
    seed(path)
    first = open_workspace(path, NOWHERE, None, ME)
    assert first.conversations.list_conversations()
    first.close()
    same = open_workspace(path, NOWHERE, None, ME)
    assert same.conversations.list_conversations()
    same.close()
    other = User(id="u-2", email="two@example.com", name="Two", role="user", data_access="all")
    second = open_workspace(path, NOWHERE, None, other)
    assert second.conversations.list_conversations() == []
    assert second.session.user == other
    assert second.session.profile == "profile"
    second.close()


def test_participants_are_kept_as_json(tmp_path: Path) -> None:
    path = tmp_path / "cache.db"
    seed(path)
    cache = Cache.open(path)
    with cache.read() as conn:
        raw = conn.exec_driver_sql(
            "SELECT participants_json FROM conversations WHERE id = 'c-group'"
        ).scalar_one()
    cache.close()
    assert [p["name"] for p in json.loads(raw)] == ["P0", "P1", "P2"]


def test_a_write_that_fails_on_this_computer_gives_the_text_back_with_the_problem_named(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A send whose cache write hits a full disk, and a note whose write fails for no known
    reason: each text comes back with a code the window words (what to do next), never an
    exception's English. The failures are raised as SQLAlchemy raises them: a full disk cannot
    be made here."""
    full = OperationalError(
        "INSERT INTO messages", {}, sqlite3.OperationalError("database or disk is full")
    )

    def disk_full(*_args: object, **_kwargs: object) -> None:
        raise full

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(local_writes, "queue_send", disk_full)
    monkeypatch.setattr(local_writes, "queue_note", broken)
    refused: list[tuple[str, Refusal]] = []
    ws.conversations.send_soon("c-ann", "kept when the disk is full",
                               lambda *a: refused.append(a))
    ws.conversations.add_note_soon("c-ann", "kept when saving fails",
                                   lambda *a: refused.append(a))
    ws.conversations.close()  # waits for the writer
    assert [(text, reason.code) for text, reason in refused] == [
        ("kept when the disk is full", "disk_full"),
        ("kept when saving fails", LOCAL_WRITE_FAILED),
    ]
    assert ws.sync.status.pending_outbox == 0


def test_a_send_to_a_blocked_one_to_one_is_refused_as_the_server_refuses_it(
    ws: Workspace,
) -> None:
    """A 1:1 is blocked by its person's Do Not Disturb: participant_dnd, the server's code for
    that send (group_chat_blocked is a group chat's), so a translation words it rightly."""
    apply_sync_page(ws._cache, page(
        conversation("c-dnd", "Dana Ruiz", phone="+14155550133", last=at(1), number_id="n1",
                     status="blocked", blocked_reason="Dana Ruiz turned on Do Not Disturb."),
    ))
    with pytest.raises(DomainError) as caught:
        ws.conversations.send("c-dnd", "hello")
    assert caught.value.code is ErrorCode.PARTICIPANT_DND
    assert caught.value.detail == "Dana Ruiz turned on Do Not Disturb."
    assert ws.sync.status.pending_outbox == 0
