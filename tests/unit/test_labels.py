"""The views' one label table names every kind and status, and the services hand the views
the domain's enums, reading a value a newer server may send as a safe fallback."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import update

from console.domain.conversations import ConversationKind, ConversationStatus
from console.domain.messages import Direction, MessageStatus
from console.protocol.auth import User
from console.services import mapping
from console.services.workspace import Workspace, open_workspace
from console.store.apply import apply_sync_page
from console.store.cache import Cache
from console.store.models import conversations, messages
from console.ui import labels
from tests.unit.cache_factories import at, conversation, message, number, page

ME = User(id="u-me", email="me@example.com", name="Me Myself", role="admin", data_access="all")
NOWHERE = "http://127.0.0.1:9"  # nothing listens there: the workspace stays offline


# -- the label table -------------------------------------------------------------------------


def test_every_kind_and_status_has_its_label() -> None:
    assert set(labels.KIND_TAGS) == set(ConversationKind)
    assert all(labels.KIND_TAGS.values())
    assert set(labels.STATUS_TAGS) == set(ConversationStatus)
    assert labels.STATUS_TAGS[ConversationStatus.BLOCKED] == "Blocked"
    assert labels.STATUS_TAGS[ConversationStatus.ACTIVE] == ""  # an active chat needs no tag
    assert set(labels.MESSAGE_STATUS_LABELS) == set(MessageStatus)
    # Only an inbound message goes without a status word.
    assert [s for s, text in labels.MESSAGE_STATUS_LABELS.items() if not text] == [
        MessageStatus.RECEIVED
    ]
    assert set(labels.DIRECTION_LABELS) == set(Direction)
    assert all(labels.DIRECTION_LABELS.values())


def test_every_filter_chip_has_a_name_and_an_empty_text() -> None:
    assert list(labels.FILTER_LABELS) == list(labels.ConversationFilter)
    assert set(labels.FILTER_EMPTY) == set(labels.ConversationFilter)
    assert list(labels.FILTER_LABELS.values()) == ["All", "1:1", "Group SMS", "In-app", "Blocked"]
    # One chip per kind, and one for the blocked status, under the domain's own values.
    kinds = {f.value for f in labels.ConversationFilter} - {"all", "blocked"}
    assert kinds == {k.value for k in ConversationKind}
    assert labels.ConversationFilter.BLOCKED.value == ConversationStatus.BLOCKED.value


def test_list_tags_leave_plain_sms_untagged() -> None:
    assert labels.list_kind_tag(ConversationKind.DIRECT) == ""
    assert labels.list_kind_tag(ConversationKind.GROUP_SMS) == "Group SMS"
    assert labels.list_kind_tag(ConversationKind.IN_APP) == "In-app"
    assert labels.KIND_TAGS[ConversationKind.DIRECT] == "SMS"  # the header names it


def test_message_state_words() -> None:
    assert labels.message_state(Direction.IN, MessageStatus.RECEIVED) == "received"
    assert labels.message_state(Direction.OUT, MessageStatus.PENDING) == "Sending…"
    assert labels.message_state(Direction.OUT, MessageStatus.DELIVERED) == "Delivered"
    reason = "Not delivered: the handset is unreachable (carrier error 30003)."
    assert labels.message_state(Direction.OUT, MessageStatus.FAILED, reason) == reason
    assert labels.status_label("scheduled") == "Scheduled"  # a status from a newer server


# -- the service/UI boundary -----------------------------------------------------------------


def test_known_values_become_the_domain_enums() -> None:
    assert mapping.conversation_kind("group_sms") is ConversationKind.GROUP_SMS
    assert mapping.conversation_status("blocked") is ConversationStatus.BLOCKED
    assert mapping.message_direction("out") is Direction.OUT
    assert mapping.message_status("delivered", Direction.OUT) is MessageStatus.DELIVERED


def test_unknown_values_fall_back_and_are_told_once(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(mapping, "_told_unknown", set())  # whatever other tests told
    with caplog.at_level(logging.WARNING, logger="console.services.mapping"):
        assert mapping.conversation_kind("broadcast") is ConversationKind.DIRECT
        assert mapping.conversation_kind("broadcast") is ConversationKind.DIRECT
        assert mapping.conversation_status("archived") is ConversationStatus.ACTIVE
        assert mapping.message_direction("sideways") is Direction.IN
        assert mapping.message_status("read", Direction.OUT) is MessageStatus.SENT
        assert mapping.message_status("read", Direction.IN) is MessageStatus.RECEIVED
    told = [r.getMessage() for r in caplog.records]
    assert sum("'broadcast'" in line for line in told) == 1  # once per value, not per row
    assert any("'archived'" in line for line in told)


def _seed(path: Path) -> None:
    cache = Cache.open(path)
    apply_sync_page(
        cache,
        page(
            number("n1", "+14155550100", "Main office"),
            conversation("c-new", "From a newer server", last=at(10), number_id="n1"),
            conversation("c-ok", "Ann Lee", last=at(5), number_id="n1"),
            message("m1", "c-new", "hello", when=at(1)),
            message("m2", "c-new", "hi back", when=at(2), direction="out", status="sent"),
        ),
    )
    # What a newer server's values look like once in the cache: the console reads them.
    with cache.write() as conn:
        conn.execute(
            update(conversations)
            .where(conversations.c.id == "c-new")
            .values(kind="broadcast", status="archived")
        )
        conn.execute(update(messages).where(messages.c.body == "hello").values(direction="x"))
        conn.execute(update(messages).where(messages.c.body == "hi back").values(status="read"))
    cache.close()


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    path = tmp_path / "profile" / "cache.db"
    _seed(path)
    opened = open_workspace(path, NOWHERE, None, ME, poll_interval=0.1)
    yield opened
    opened.close()


def test_rows_with_unknown_values_still_show(ws: Workspace) -> None:
    rows = {row.id: row for row in ws.conversations.list_conversations()}
    assert set(rows) == {"c-new", "c-ok"}
    odd, ok = rows["c-new"], rows["c-ok"]
    assert (odd.kind, odd.status) == (ConversationKind.DIRECT, ConversationStatus.ACTIVE)
    assert type(odd.kind) is ConversationKind
    assert type(odd.status) is ConversationStatus
    assert odd.title == "From a newer server"
    assert (ok.kind, ok.status) == (ConversationKind.DIRECT, ConversationStatus.ACTIVE)
    # Every view can name it.
    assert labels.KIND_TAGS[odd.kind] == "SMS"
    assert labels.STATUS_TAGS[odd.status] == ""

    details = ws.chat_details.details("c-new")
    assert details is not None
    assert (details.kind, details.status) == (ConversationKind.DIRECT, ConversationStatus.ACTIVE)
    assert not details.is_group
    assert not details.is_blocked

    by_body = {m.body: m for m in ws.conversations.messages("c-new")}
    assert (by_body["hello"].direction, by_body["hello"].status) == (
        Direction.IN,
        MessageStatus.RECEIVED,
    )
    assert (by_body["hi back"].direction, by_body["hi back"].status) == (
        Direction.OUT,
        MessageStatus.SENT,
    )
    assert type(by_body["hi back"].direction) is Direction
