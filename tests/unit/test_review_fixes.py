"""What a review of issue 14 found, each pinned, without a server: a scheduled group message
edited to use merge fields says so (and a misspelt field is refused, not sent as written); a
template's name is held to the fields rule as the server holds it; a first text the server
refused before it had it does not take away the opt-out hint of the next one."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from console.domain.errors import DomainError
from console.protocol.auth import User
from console.services.chat_details import ChatDetailService
from console.services.scheduled import ScheduledService
from console.services.session import Session
from console.services.templates import TemplateService
from console.store import local_writes
from console.store import outbox as ob
from console.store.apply import apply_events
from console.store.cache import Cache
from console.store.changes import Changes
from tests.unit.cache_factories import at, conversation, event, number

HINT = "Reply STOP to opt out."


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[Cache]:
    c = Cache.open(tmp_path / "cache.db")
    yield c
    c.close()


def _quiet(_changes: Changes) -> None:
    return None


def _session(cache_path: Path, role: str = "user") -> Session:
    user = User(id="u1", email="u1@example.com", name="Una", role=role, data_access="all")
    return Session(user=user, server_url="http://127.0.0.1:1", profile="p",
                   cache_path=cache_path)


def test_an_edit_to_a_scheduled_group_message_says_whether_it_merges(cache: Cache) -> None:
    with cache.write() as conn:
        apply_events(conn, [event("scheduled.upserted", {
            "id": "s1", "kind": "group_message", "status": "scheduled", "user_id": "u1",
            "body": "Sale tomorrow", "send_at": at(10_000).isoformat(), "group_id": "g1",
            "sender_user_id": "u1", "title": "Sale", "created_at": at(0).isoformat(),
            "updated_at": at(0).isoformat(),
        })])
    service = ScheduledService(cache, publish=_quiet, wake_sync=lambda: None)
    with pytest.raises(DomainError):
        service.reschedule("s1", body="Hi {firstname}")  # misspelt: refused here
    service.reschedule("s1", body="Hi {first_name}, sale tomorrow")
    with cache.read() as conn:
        (edit,) = ob.open_of_kind(conn, ob.OutboxKind.SCHEDULE_EDIT)
    assert edit.payload["patch"] == {"body": "Hi {first_name}, sale tomorrow",
                                     "merge_fields": True}


def test_a_template_name_with_a_field_token_is_refused_as_the_server_does(
    cache: Cache, tmp_path: Path
) -> None:
    service = TemplateService(cache, _session(tmp_path / "cache.db"), publish=_quiet,
                              wake_sync=lambda: None)
    with pytest.raises(DomainError) as refused:
        service.create("Promo {50% off}", "Half price today")
    assert refused.value.hint == "unknown_field"
    with cache.read() as conn:
        assert ob.open_items(conn) == []  # nothing queued that the server would refuse
    assert service.create("Promo {{50% off}}", "Half price today").startswith("local-tpl-")


def test_a_refused_first_text_leaves_the_hint_for_the_next(cache: Cache) -> None:
    with cache.write() as conn:
        apply_events(conn, [number("n1", "+12065550100", opt_out_hint=HINT),
                            conversation("c1", "Olive", number_id="n1")])
    details = ChatDetailService(cache)
    found = details.details("c1")
    assert found is not None
    assert found.opt_out_hint == HINT  # nothing sent yet: the first text gets it
    with cache.write() as conn:
        queued, _ = local_writes.queue_send(conn, conversation_id="c1", body="Hello",
                                            author_user_id="u1", now=at(1))
    found = details.details("c1")
    assert found is not None
    assert found.opt_out_hint == ""  # on its way: it is the first text now
    with cache.write() as conn:
        item = ob.by_key(conn, queued.client_key)
        assert item is not None
        ob.claim(conn, item.id, at(2))
        ob.fail(conn, item.id, code="forbidden", error="not your number", now=at(2))
    found = details.details("c1")
    assert found is not None
    assert found.opt_out_hint == HINT  # refused before the server had it: never went


def test_the_windows_note_limit_is_the_wires() -> None:
    from console.domain import messages
    from console.protocol import conversations

    assert messages.NOTE_MAX_CHARS == conversations.NOTE_MAX_CHARS
