"""The simulator carrier's inbound hook and handset outbox."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tests.backend.conftest import (
    Api,
    assert_problem,
    contact_named,
    page_all,
    sync_all,
    wait_for,
)


def _inbound(api: Api, sender: str, to: list[str], body: str) -> dict[str, Any]:
    response = api.admin.post(
        "/v1/simulator/inbound", json={"from": sender, "to": to, "body": body}
    )
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


def test_inbound_lands_in_the_direct_thread_and_bumps_unread(api: Api) -> None:
    maria = contact_named(api.admin, "Maria Gonzalez")
    before = next(c for c in page_all(api.admin, "/v1/conversations", limit=100)
                  if c["contact_id"] == maria["id"] and c["phone"] == "+14155550111")
    _, cursor = sync_all(api.admin)

    result = _inbound(api, "(415) 555-0111", ["415 555 0100"], "Is the garage included?")

    assert result["conversation_id"] == before["id"]
    after = api.admin.get(f"/v1/conversations/{before['id']}").json()
    assert after["unread_count"] == before["unread_count"] + 1
    assert after["last_message_preview"] == "Is the garage included?"
    assert datetime.fromisoformat(after["last_message_at"]) > datetime.fromisoformat(
        before["last_message_at"]
    )
    top = api.admin.get("/v1/conversations", params={"limit": 1}).json()["items"][0]
    assert top["id"] == before["id"]
    newest = api.admin.get(f"/v1/conversations/{before['id']}/messages").json()["items"][0]
    assert newest["id"] == result["message_id"]
    assert (newest["direction"], newest["status"]) == ("in", "received")
    assert newest["author_contact_id"] == maria["id"]

    events, _ = sync_all(api.admin, cursor)
    assert [(e["type"], e["data"]["id"]) for e in events] == [
        ("conversation.upserted", before["id"]),
        ("message.upserted", result["message_id"]),
    ]
    assert events[0]["data"]["unread_count"] == after["unread_count"]


def test_an_unknown_sender_gets_a_contact_and_a_thread(api: Api) -> None:
    _, cursor = sync_all(api.admin)
    result = _inbound(api, "+1 303 555 0188", ["+14155550102"], "Saw your sign on Pine St")
    conversation = api.admin.get(f"/v1/conversations/{result['conversation_id']}").json()
    assert conversation["title"] == "(303) 555-0188"
    assert conversation["phone"] == "+13035550188"
    assert conversation["unread_count"] == 1
    contact = api.admin.get(f"/v1/contacts/{conversation['contact_id']}").json()
    assert contact["phones"] == [{"number": "+13035550188", "label": "primary"}]
    types = [e["type"] for e in sync_all(api.admin, cursor)[0]]
    assert types == ["contact.upserted", "conversation.upserted", "message.upserted"]
    # A second text from them lands in the same thread.
    again = _inbound(api, "3035550188", ["+14155550102"], "Still available?")
    assert again["conversation_id"] == result["conversation_id"]


def test_inbound_input_is_checked(api: Api) -> None:
    def post(body: dict[str, Any]) -> Any:
        return api.admin.post("/v1/simulator/inbound", json=body)

    assert_problem(post({"from": "nope", "to": ["+14155550100"], "body": "x"}), 422,
                   "invalid_phone")
    assert_problem(post({"from": "+14155550111", "to": ["123"], "body": "x"}), 422,
                   "invalid_phone")
    assert_problem(post({"from": "+14155550111", "to": ["+12125550199"], "body": "x"}), 422,
                   "validation_error")
    assert_problem(post({"from": "+14155550111", "to": [], "body": "x"}), 422, "validation_error")
    assert_problem(post({"from": "+14155550111", "to": ["+14155550100"], "body": ""}), 422,
                   "validation_error")
    assert_problem(post({"to": ["+14155550100"], "body": "x"}), 422, "validation_error")


def test_outbox_filters_by_handset_and_time(api: Api) -> None:
    assert_problem(api.admin.get("/v1/simulator/outbox", params={"to": "x"}), 422, "invalid_phone")
    assert_problem(api.admin.get("/v1/simulator/outbox", params={"since": "yesterday"}), 422,
                   "validation_error")
    future = api.admin.get("/v1/simulator/outbox", params={"since": "2999-01-01T00:00:00Z"})
    assert future.json() == {"items": [], "next_cursor": None}
    # HELP gets the help reply by SMS: a few handset copies of this test's own.
    for sender in ("+16175550191", "+16175550192", "+16175550193"):
        _inbound(api, sender, ["415 555 0100"], "HELP")
    wait_for(lambda: len(page_all(api.admin, "/v1/simulator/outbox", limit=500)) >= 3)
    everything = page_all(api.admin, "/v1/simulator/outbox", limit=2)
    # Listed in the order the carrier recorded them; paging neither repeats nor drops any.
    # (Times are stamped before commit, so two concurrent writers on PostgreSQL may record
    # them a millisecond out of order: `since` is a filter, not the sort key.)
    assert len({m["id"] for m in everything}) == len(everything)
    # (the simulator may have recorded more since: they come after)
    again = page_all(api.admin, "/v1/simulator/outbox", limit=500)
    assert again[: len(everything)] == everything
    times = [datetime.fromisoformat(m["at"]) for m in everything]
    middle = sorted(times)[len(times) // 2]
    later = page_all(api.admin, "/v1/simulator/outbox", limit=3, since=middle.isoformat())
    assert all(datetime.fromisoformat(m["at"]) > middle for m in later)
    assert {m["id"] for m, t in zip(everything, times, strict=True) if t > middle} <= {
        m["id"] for m in later
    }
