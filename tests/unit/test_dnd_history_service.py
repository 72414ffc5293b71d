"""The DND history service: wire rows mapped for the contact editor (kind, agent's name from the
wire or else the cache, the words, the number for display), and why it is unavailable."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from console.protocol.group_chats import DndChange
from console.services.dnd_history import (
    DndHistoryProblem,
    DndHistoryRow,
    DndHistoryService,
    DndHistoryUnavailable,
    DndSourceKind,
    row_of,
)
from console.store.cache import Cache
from console.store.models import users
from console.sync.api_client import ApiClient

AT = datetime(2026, 12, 3, 14, 5, tzinfo=UTC)


def wire(**fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"id": 1, "contact_id": "c1", "old_dnd": False, "new_dnd": True,
                            "source": "user", "at": AT.isoformat()}
    return {**base, **fields}


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[Cache]:
    opened = Cache.open(tmp_path / "cache.db")
    with opened.write() as conn:
        conn.execute(users.insert(), [
            {"id": "u_ava", "email": "ava@example.com", "name": "Ava Thompson", "role": "admin",
             "data_access": "all"},
            {"id": "u_nameless", "email": "n@example.com", "name": "", "role": "user",
             "data_access": "all"},
        ])
    yield opened
    opened.close()


def served(pages: list[list[dict[str, Any]]], seen: list[httpx.Request]) -> ApiClient:
    """A client whose server answers the history in `pages` (cursor = page index)."""
    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        index = int(request.url.params.get("cursor") or 0)
        more = index + 1 < len(pages)
        body = {"items": pages[index], "next_cursor": str(index + 1) if more else None}
        return httpx.Response(200, content=json.dumps(body),
                              headers={"content-type": "application/json"})

    return ApiClient("http://server.test", "token", transport=httpx.MockTransport(handle))


def test_each_kind_maps_to_its_row() -> None:
    names = {"u_ava": "Ava Thompson"}
    stop = row_of(DndChange.model_validate(wire(
        source="inbound_keyword", message_id="m1", keyword=" STOP ",
        from_phone="+14155550111")), names)
    assert stop == DndHistoryRow(on=True, at=AT, source=DndSourceKind.INBOUND_KEYWORD,
                                 keyword="STOP", from_phone="(415) 555-0111",
                                 from_phone_e164="+14155550111")
    confirmed = row_of(DndChange.model_validate(wire(
        source="opt_out_confirmed", user_id="u_maria", user_name="Maria Lopez",
        keyword="please stop texting me", from_phone="+442079460000")), names)
    assert (confirmed.source, confirmed.user_name, confirmed.keyword, confirmed.from_phone) == (
        DndSourceKind.OPT_OUT_CONFIRMED, "Maria Lopez", "please stop texting me",
        "+44 20 7946 0000",
    )
    # An older server sends no name: the cache's users name the agent.
    edit = row_of(DndChange.model_validate(wire(user_id="u_ava", new_dnd=False)), names)
    assert (edit.on, edit.source, edit.user_name, edit.keyword, edit.from_phone) == (
        False, DndSourceKind.USER, "Ava Thompson", None, ""
    )
    seed = row_of(DndChange.model_validate(wire(source="seed")), names)
    assert (seed.source, seed.user_name) == (DndSourceKind.SEED, "")
    # A kind from a newer server is shown without a reason, not refused.
    newer = DndChange.model_construct(**{**DndChange.model_validate(wire()).__dict__,
                                         "source": "carrier_report"})
    assert row_of(newer, names).source is DndSourceKind.OTHER


def test_the_service_reads_every_page_and_names_agents_from_the_cache(cache: Cache) -> None:
    seen: list[httpx.Request] = []
    client = served([
        [wire(id=3, user_id="u_ava", new_dnd=False, at="2026-12-03T15:00:00Z"),
         wire(id=2, source="inbound_keyword", keyword="STOP", from_phone="+14155550111",
              at="2026-12-03T14:05:00Z")],
        [wire(id=1, user_id="u_nameless", at="2026-12-01T09:00:00Z"),
         wire(id=0, user_id="u_gone", source="opt_out_confirmed", keyword="stop it",
              at="2026-11-01T09:00:00Z")],
    ], seen)
    with client:
        rows = DndHistoryService(client, cache).history("c1")
    assert [request.url.path for request in seen] == ["/v1/contacts/c1/dnd-history"] * 2
    assert [(r.on, r.source.value, r.user_name, r.keyword, r.from_phone) for r in rows] == [
        (False, "user", "Ava Thompson", None, ""),
        (True, "inbound_keyword", "", "STOP", "(415) 555-0111"),
        (True, "user", "n@example.com", None, ""),
        (True, "opt_out_confirmed", "", "stop it", ""),
    ]


def test_unreachable_signed_out_and_unknown_contacts_say_why(cache: Cache) -> None:
    # Nothing listens on port 9 of loopback: the connection is refused.
    with (ApiClient("http://127.0.0.1:9", "token", timeout=2.0) as client,
          pytest.raises(DndHistoryUnavailable) as offline):
        DndHistoryService(client, cache).history("c1")
    assert (offline.value.offline, offline.value.problem) == (True, DndHistoryProblem.OFFLINE)
    with (ApiClient("http://127.0.0.1:9") as signed_out,
          pytest.raises(DndHistoryUnavailable) as no_token):
        DndHistoryService(signed_out, cache).history("c1")
    assert no_token.value.offline

    def missing(request: httpx.Request) -> httpx.Response:
        return httpx.Response(404, json={"title": "Not found", "status": 404, "code": "not_found"},
                              headers={"content-type": "application/problem+json"})

    with (ApiClient("http://server.test", "token",
                    transport=httpx.MockTransport(missing)) as client,
          pytest.raises(DndHistoryUnavailable) as unknown):
        DndHistoryService(client, cache).history("c1")
    assert (unknown.value.offline, unknown.value.problem) == (False, DndHistoryProblem.NOT_FOUND)
