"""The person's side (customer app): fetching marks delivered, reading marks read, a reply lands
as inbound in their in-app conversation and counts for the latest group message."""

from __future__ import annotations

import uuid
from typing import Any

from tests.backend.conftest import (
    USER_ALL,
    Api,
    assert_problem,
    contact_named,
    sync_all,
)
from tests.backend.test_group_messages import group_with, in_app_thread, send


def _stats(api: Api, group_message_id: str) -> dict[str, int]:
    """The counts that move as people fetch, read and reply (no notifications here: none
    fail)."""
    stats: dict[str, int] = api.admin.get(f"/v1/group-messages/{group_message_id}").json()[
        "stats"]
    assert stats.pop("notification_failures") == 0
    return stats


def test_stats_move_as_people_fetch_read_and_reply(api: Api) -> None:
    names = ["Stella Kowalski", "Isaac Romero", "Violet Hughes"]
    group = group_with(api.admin, names)
    sent = send(api.admin, group["id"], "Our new listings are live", title="Listings").json()
    stella, isaac, _ = (contact_named(api.admin, n) for n in names)

    inbox = api.admin.get(f"/v1/people/{stella['id']}/messages")
    assert inbox.status_code == 200, inbox.text
    newest = inbox.json()["items"][0]
    assert (newest["body"], newest["title"], newest["group_message_id"]) == (
        "Our new listings are live", "Listings", sent["id"])
    assert newest["from_person"] is False
    assert newest["sender_name"] == "Ava Thompson"
    assert _stats(api, sent["id"]) == {"recipients": 3, "delivered": 1, "read": 0, "replied": 0}
    api.admin.get(f"/v1/people/{stella['id']}/messages")  # fetching again changes nothing
    assert _stats(api, sent["id"])["delivered"] == 1

    read = api.admin.post(f"/v1/people/{stella['id']}/read", json={})
    assert read.status_code == 200
    assert read.json()["marked"] >= 1
    assert _stats(api, sent["id"]) == {"recipients": 3, "delivered": 1, "read": 1, "replied": 0}

    # Replying without having fetched still counts as delivered and read: they saw it.
    reply = api.admin.post(f"/v1/people/{isaac['id']}/replies", json={"body": "Is #4 pet-free?"})
    assert reply.status_code == 201, reply.text
    assert reply.json()["from_person"] is True
    assert _stats(api, sent["id"]) == {"recipients": 3, "delivered": 2, "read": 2, "replied": 1}
    # A second reply is still one person who replied.
    api.admin.post(f"/v1/people/{isaac['id']}/replies", json={"body": "And parking?"})
    assert _stats(api, sent["id"])["replied"] == 1

    staff_message = api.admin.get(
        f"/v1/conversations/{reply.json()['conversation_id']}/messages").json()["items"]
    assert [(m["direction"], m["body"]) for m in staff_message[:2]] == [
        ("in", "And parking?"), ("in", "Is #4 pet-free?")]
    delivered = next(m for m in staff_message if m["body"] == "Our new listings are live")
    assert delivered["status"] == "delivered"


def test_a_reply_counts_for_the_latest_group_message_only(api: Api) -> None:
    group = group_with(api.admin, ["Gabriel Costa"])
    older = send(api.admin, group["id"], "First news").json()
    newer = send(api.admin, group["id"], "Second news").json()
    gabriel = contact_named(api.admin, "Gabriel Costa")
    api.admin.post("/v1/simulator/app-reply", json={"contact_id": gabriel["id"], "body": "Thx"})
    assert _stats(api, newer["id"])["replied"] == 1
    assert _stats(api, older["id"])["replied"] == 0


def test_simulator_app_reply_lands_as_inbound_in_the_in_app_conversation(api: Api) -> None:
    group = group_with(api.admin, ["Elijah Ward"])
    sent = send(api.admin, group["id"], "Survey: how did we do?").json()
    elijah = contact_named(api.admin, "Elijah Ward")
    thread = in_app_thread(api.admin, elijah["id"])
    assert thread is not None
    _, cursor = sync_all(api.admin)

    key = str(uuid.uuid4())
    response = api.admin.post(
        "/v1/simulator/app-reply", json={"contact_id": elijah["id"], "body": " 5 stars! "},
        headers={"Idempotency-Key": key},
    )
    assert response.status_code == 201, response.text
    result = response.json()
    assert result["conversation_id"] == thread["id"]
    repeat = api.admin.post(
        "/v1/simulator/app-reply", json={"contact_id": elijah["id"], "body": " 5 stars! "},
        headers={"Idempotency-Key": key},
    )
    assert repeat.json() == result  # the same reply, not a second one

    after = api.admin.get(f"/v1/conversations/{thread['id']}").json()
    assert after["unread_count"] == thread["unread_count"] + 1
    assert after["last_message_preview"] == "5 stars!"
    newest = api.admin.get(f"/v1/conversations/{thread['id']}/messages").json()["items"][0]
    assert (newest["id"], newest["direction"], newest["status"], newest["author_contact_id"]) \
        == (result["message_id"], "in", "received", elijah["id"])
    assert _stats(api, sent["id"])["replied"] == 1

    events, _ = sync_all(api.admin, cursor)
    kinds = [(e["type"], e["data"]["id"]) for e in events]
    assert ("conversation.upserted", thread["id"]) in kinds
    assert ("message.upserted", result["message_id"]) in kinds
    assert ("group_message.upserted", sent["id"]) in kinds


def test_someone_never_messaged_can_still_write_in(api: Api) -> None:
    fresh = api.admin.post("/v1/contacts", json={"name": f"App User {uuid.uuid4().hex[:6]}"})
    contact: dict[str, Any] = fresh.json()
    assert api.admin.get(f"/v1/people/{contact['id']}/messages").json()["items"] == []
    reply = api.admin.post("/v1/simulator/app-reply",
                           json={"contact_id": contact["id"], "body": "Hello?"})
    assert reply.status_code == 201, reply.text
    thread = in_app_thread(api.admin, contact["id"])
    assert thread is not None
    assert thread["id"] == reply.json()["conversation_id"]
    inbox = api.admin.get(f"/v1/people/{contact['id']}/messages").json()["items"]
    assert [(m["body"], m["from_person"]) for m in inbox] == [("Hello?", True)]


def test_person_routes_refuse_what_they_should(api: Api) -> None:
    maria = contact_named(api.admin, "Maria Gonzalez")
    assert_problem(api.admin.get("/v1/people/con_nope/messages"), 404, "not_found")
    assert_problem(api.admin.post("/v1/simulator/app-reply",
                                  json={"contact_id": "con_nope", "body": "hi"}), 404, "not_found")
    assert_problem(api.admin.post(f"/v1/people/{maria['id']}/replies", json={"body": "  "}), 422,
                   "validation_error")
    assert_problem(api.admin.post(f"/v1/people/{maria['id']}/read",
                                  json={"up_to_message_id": "msg_nope"}), 422, "validation_error")
    priya = api.as_(USER_ALL)
    assert_problem(priya.get(f"/v1/people/{maria['id']}/messages"), 403, "forbidden")
    assert_problem(api.anonymous().get(f"/v1/people/{maria['id']}/messages"), 401,
                   "unauthorized")
