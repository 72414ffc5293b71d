"""The simulator carrier's inbound hook and handset outbox."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from console.backend import models
from tests.backend.conftest import (
    ADMIN,
    OTHER_ADMIN,
    USER_ALL,
    USER_ASSIGNED,
    Api,
    assert_problem,
    contact_named,
    page_all,
    sync_all,
    wait_for,
)
from tests.backend.group_chat_support import PhonePool, new_contact

phone = PhonePool("276", "278")
MAIN = "+14155550100"


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


# -- who may drive the simulator ------------------------------------------------------------------

def _simulator_calls(number: str, contact_id: str) -> list[tuple[str, str, dict[str, Any]]]:
    """One request per simulator route: a forged STOP, handset reads, a forged in-app reply."""
    return [
        ("POST", "/v1/simulator/inbound", {"json": {"from": number, "to": [MAIN], "body": "STOP"}}),
        ("GET", "/v1/simulator/outbox", {"params": {"to": number}}),
        ("GET", "/v1/simulator/outbox", {}),
        ("POST", "/v1/simulator/app-reply",
         {"json": {"contact_id": contact_id, "body": "Forged reply"}}),
        ("POST", "/v1/simulator/app-reply", {"json": {"contact_id": "con_nope", "body": "x"}}),
    ]


@pytest.mark.parametrize("who", [USER_ALL, USER_ASSIGNED])
def test_simulator_routes_are_forbidden_to_staff_who_are_not_admins(api: Api, who: str) -> None:
    # A contact assigned to the caller: even their own people cannot be impersonated.
    me = api.me(who)
    number = phone()
    contact = new_contact(api.admin, number, assigned_user_id=me["id"])
    _, cursor = sync_all(api.as_(who))
    for method, path, kwargs in _simulator_calls(number, contact["id"]):
        refused = api.as_(who).request(method, path, **kwargs)
        assert_problem(refused, 403, "forbidden")
    # Their feed carries nothing about the person: no DND change, no thread, no message.
    events, _ = sync_all(api.as_(who), cursor)
    assert not [e for e in events if contact["id"] in (e["data"].get("id"),
                                                       e["data"].get("contact_id"))]
    # Nothing happened: no DND, no audit entry, no message in any of their threads.
    assert api.admin.get(f"/v1/contacts/{contact['id']}").json()["dnd"] is False
    assert api.admin.get(f"/v1/contacts/{contact['id']}/dnd-history").json()["items"] == []
    conversations = page_all(api.admin, "/v1/conversations", limit=500)
    assert not [c for c in conversations if c["contact_id"] == contact["id"]
                and c["last_message_at"] is not None]
    assert page_all(api.admin, f"/v1/people/{contact['id']}/messages", limit=100) == []


def test_simulator_routes_work_for_admins_and_the_audit_names_who_drove_them(api: Api) -> None:
    ava, marcus = api.me(ADMIN), api.me(OTHER_ADMIN)
    number = phone()
    contact = new_contact(api.admin, number)
    calls = _simulator_calls(number, contact["id"])
    stop = api.admin.request(calls[0][0], calls[0][1], **calls[0][2])
    assert stop.status_code == 201, stop.text
    # The DND change the simulated STOP caused says which admin drove it.
    [change] = api.admin.get(f"/v1/contacts/{contact['id']}/dnd-history").json()["items"]
    assert (change["new_dnd"], change["source"], change["message_id"]) == (
        True, "inbound_keyword", stop.json()["message_id"]
    )
    assert change["simulated_by_user_id"] == ava["id"]
    assert change["user_id"] is None  # the person's keyword, not an edit by staff
    # Another admin reads the handsets (the STOP's confirmation arrives) and forges a reply.
    outbox = api.as_(OTHER_ADMIN)
    wait_for(lambda: outbox.get("/v1/simulator/outbox", params={"to": number}).json()["items"])
    assert outbox.get("/v1/simulator/outbox").status_code == 200
    reply = api.as_(OTHER_ADMIN).request(calls[3][0], calls[3][1], **calls[3][2])
    assert reply.status_code == 201, reply.text
    assert_problem(api.admin.request(calls[4][0], calls[4][1], **calls[4][2]), 404, "not_found")
    # The customer app's gateway route speaks for the person too: on record as well.
    gateway = api.admin.post(f"/v1/people/{contact['id']}/replies", json={"body": "Via the app"})
    assert gateway.status_code == 201, gateway.text
    # Every made-up inbound message is on record with the admin who made it up.
    made_up = [stop.json()["message_id"], reply.json()["message_id"], gateway.json()["id"]]
    assert _audit(api, made_up) == {
        made_up[0]: (ava["id"], "simulator_inbound"),
        made_up[1]: (marcus["id"], "simulator_app_reply"),
        made_up[2]: (ava["id"], "people_reply"),
    }


def _audit(api: Api, message_ids: list[str]) -> dict[str, tuple[str | None, str]]:
    """The inbound audit rows of these messages, read from the backend's own database."""
    engine = create_engine(api.backend.db_url)
    try:
        with Session(engine) as session:
            rows = session.scalars(
                select(models.InboundAudit).where(models.InboundAudit.message_id.in_(message_ids))
            ).all()
            return {row.message_id: (row.user_id, row.route) for row in rows}
    finally:
        engine.dispose()
