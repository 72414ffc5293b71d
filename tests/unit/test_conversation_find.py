"""ConversationService.find (the find bar's search) and the window read around a message
(messages_around / messages_after), on a real SQLite cache filled through the sync apply."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from console.protocol.auth import User
from console.services.conversations import ConversationService, SearchCancelled
from console.services.session import Session
from console.store import history_queries as hq
from console.store.apply import apply_sync_page
from console.store.cache import Cache
from tests.unit.cache_factories import at, contact, conversation, message, number, page

ME = "u1"
COUNT = 60


@pytest.fixture
def service(tmp_path: Path) -> Iterator[ConversationService]:
    cache = Cache.open(tmp_path / "cache.db")
    events = [
        number("n1", "+14155550100", "Main"),
        contact("k1", "Rosa Parkinson", "+14155550111"),
        contact("k2", "Ann Lee", "+16285550122"),
        conversation("c1", "Rosa Parkinson", phone="+14155550111", number_id="n1",
                     contact_id="k1"),
        conversation("c2", "Ann Lee", phone="+16285550122", number_id="n1", contact_id="k2"),
    ]
    for n in range(COUNT):
        body = f"Parking permit {n}" if n % 10 == 3 else f"Note {n} about José's lease"
        events.append(message(f"m{n}", "c1", body, when=at(n), author_contact_id="k1"))
    events.append(message("x1", "c2", "Parking in the other chat", when=at(1),
                          author_contact_id="k2"))
    apply_sync_page(cache, page(*events))
    user = User(id=ME, email="me@example.com", name="Me", role="admin", data_access="all")
    found = ConversationService(cache, Session(user, "http://x", "p", cache.path),
                                wake_sync=lambda: None)
    yield found
    found.close()
    cache.close()


def all_rows(service: ConversationService) -> list[str]:
    """c1's keys, oldest first, and their bodies by key (for checking)."""
    return [r.key for r in reversed(service.messages("c1", limit=1000))]


def test_find_is_this_conversation_newest_first_and_in_the_text_only(
    service: ConversationService,
) -> None:
    bodies = {r.key: r.body for r in service.messages("c1", limit=1000)}
    found = service.find("c1", "park")
    assert found.words == ("park",)
    expected = [k for k in reversed(all_rows(service)) if bodies[k].startswith("Parking")]
    assert list(found.keys) == expected
    assert len(expected) == COUNT // 10
    # The chat's title ("Rosa Parkinson") is in the index on every message: not a match.
    assert len(service.find("c1", "parkinson").keys) == 0
    assert len(service.find("c1", "rosa").keys) == 0
    # Accents and case do not count; every word must be there.
    assert len(service.find("c1", "JOSE lease").keys) == COUNT - COUNT // 10
    assert service.find("c1", "jose parking").keys == ()


@pytest.mark.parametrize("odd", ['"', "*", "a", "NEAR(", '") OR (', "  ", "-", "^x"])
def test_odd_input_finds_nothing_and_never_raises(
    service: ConversationService, odd: str
) -> None:
    assert service.find("c1", odd).keys == ()


def test_a_cancelled_search_stops(
    service: ConversationService, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(SearchCancelled):
        service.find("c1", "note", cancelled=lambda: True)
    # Told to stop while the statement runs (SQLite's progress handler asks as it goes).
    monkeypatch.setattr(hq, "CANCEL_CHECK_OPS", 10)
    asked: list[bool] = []

    def cancelled() -> bool:
        asked.append(True)
        return len(asked) > 3

    with pytest.raises(SearchCancelled):
        service.find("c1", "note", cancelled=cancelled)
    assert len(asked) > 3
    assert hq.SearchCancelled is SearchCancelled
    # The connection is left without the handler: the next read runs to its end.
    assert len(service.find("c1", "note").keys) == COUNT - COUNT // 10


def test_window_around_a_message_and_pages_towards_the_newest(
    service: ConversationService,
) -> None:
    keys = all_rows(service)
    anchor = keys[20]
    around = service.messages_around("c1", anchor, before=5, after=7)
    assert [r.key for r in reversed(around)] == keys[15:28]
    after = service.messages_after("c1", after_key=keys[27], limit=10)
    assert [r.key for r in after] == keys[28:38]
    assert service.messages_after("c1", after_key=keys[-1], limit=10) == []
    # At the ends, fewer; another conversation's key gives nothing.
    assert [r.key for r in reversed(service.messages_around("c1", keys[1], before=5))] == (
        keys[0:52]
    )
    other = service.messages("c2", limit=1)[0].key
    assert service.messages_around("c1", other) == []
