"""Staff answer a person in their in-app conversation (`POST /v1/conversations/{id}/messages`).

The answer is outbound in that conversation, `sent` at once and `delivered` when the person's
app fetches it; it never goes through the SMS carrier; an Idempotency-Key sends it once; who may
answer is who may see the conversation (no business number is involved).
"""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from tests.backend.conftest import (
    ADMIN,
    USER_ALL,
    USER_ASSIGNED,
    Api,
    assert_problem,
    numbers_by_label,
    page_all,
    sync_all,
)
from tests.backend.group_chat_support import PhonePool, inbound, new_contact, wait_outbox
from tests.backend.test_group_messages import in_app_thread

phone = PhonePool("260", "262")
MAIN = "+14155550100"


def _person_writes_in(api: Api, body: str, **fields: Any) -> tuple[dict[str, Any], str]:
    """A new person writes in their Message Center: (the contact, their in-app thread's id)."""
    person = new_contact(api.admin, phone(), **fields)
    reply = api.admin.post(f"/v1/people/{person['id']}/replies", json={"body": body})
    assert reply.status_code == 201, reply.text
    return person, reply.json()["conversation_id"]


def _answer(client: httpx.Client, thread_id: str, body: str, key: str | None = None
            ) -> httpx.Response:
    return client.post(
        f"/v1/conversations/{thread_id}/messages", json={"body": body},
        headers={"Idempotency-Key": key or str(uuid.uuid4())},
    )


def _messages(client: httpx.Client, thread_id: str) -> list[dict[str, Any]]:
    return page_all(client, f"/v1/conversations/{thread_id}/messages", limit=100)


def _about(thread_id: str, events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The feed events about this thread and its messages. (The backend is shared: the carrier
    may still be moving other tests' SMS along, and an admin hears of those too.)"""
    return [e for e in events if thread_id in (e["data"]["id"], e["data"].get("conversation_id"))]


def test_an_answer_reaches_the_person_in_app_and_is_delivered_when_they_fetch(api: Api) -> None:
    person, thread_id = _person_writes_in(api, "Where is my order?")
    thread = in_app_thread(api.admin, person["id"])
    assert thread is not None
    assert thread["id"] == thread_id
    _, cursor = sync_all(api.admin)

    response = _answer(api.admin, thread_id, "  It ships today.  ")
    assert response.status_code == 201, response.text
    answer = response.json()
    assert (answer["conversation_id"], answer["direction"], answer["body"], answer["status"]) == (
        thread_id, "out", "It ships today.", "sent")
    assert answer["author_user_id"] == api.me(ADMIN)["id"]

    thread = api.admin.get(f"/v1/conversations/{thread_id}").json()
    assert (thread["kind"], thread["last_message_preview"]) == ("in_app", "It ships today.")
    assert [(m["direction"], m["body"]) for m in _messages(api.admin, thread_id)] == [
        ("out", "It ships today."), ("in", "Where is my order?")]
    events, cursor = sync_all(api.admin, cursor)
    events = _about(thread_id, events)
    assert [(e["type"], e["data"]["id"]) for e in events] == [
        ("conversation.upserted", thread_id), ("message.upserted", answer["id"])]
    assert events[1]["data"]["status"] == "sent"

    # The person's app shows it, from the staff member, and fetching it delivers it.
    inbox = api.admin.get(f"/v1/people/{person['id']}/messages").json()["items"]
    assert [(m["body"], m["from_person"]) for m in inbox] == [
        ("It ships today.", False), ("Where is my order?", True)]
    assert inbox[0]["id"] == answer["id"]
    assert inbox[0]["sender_name"] == "Ava Thompson"
    assert _messages(api.admin, thread_id)[0]["status"] == "delivered"
    events, _ = sync_all(api.admin, cursor)
    assert [(e["type"], e["data"]["id"], e["data"]["status"])
            for e in _about(thread_id, events)] == [
        ("message.upserted", answer["id"], "delivered")]


def test_an_answer_never_goes_through_the_sms_carrier(api: Api) -> None:
    _, thread_id = _person_writes_in(api, "Can I change my address?")
    answer = _answer(api.admin, thread_id, "Yes, reply with the new one.").json()
    # An SMS handed to the carrier after the answer: once it has reached the handset, the
    # carrier would have handled the earlier answer too, had it been given it.
    handset = phone()
    sms_thread = inbound(api.admin, handset, [MAIN], "Hi from a phone").json()["conversation_id"]
    sms = _answer(api.admin, sms_thread, "Hello phone")
    assert sms.status_code == 201, sms.text
    assert sms.json()["status"] == "queued", sms.text
    wait_outbox(api.admin, handset, "Hello phone")

    handed = page_all(api.admin, "/v1/simulator/outbox", limit=500)
    assert not [m for m in handed if m["conversation_id"] == thread_id]
    assert "Yes, reply with the new one." not in {m["body"] for m in handed}
    # Untouched by any carrier: still `sent` until the person's app fetches it.
    assert _messages(api.admin, thread_id)[0] == {**answer, "status": "sent"}


def test_the_same_key_answers_once(api: Api) -> None:
    _, thread_id = _person_writes_in(api, "Is the store open on Sunday?")
    key = str(uuid.uuid4())
    first = _answer(api.admin, thread_id, "Yes, 10 to 4.", key)
    assert first.status_code == 201, first.text
    again = _answer(api.admin, thread_id, "Yes, 10 to 4.", key)
    assert again.status_code in (200, 201)
    assert again.json() == first.json()
    assert [m["body"] for m in _messages(api.admin, thread_id)] == [
        "Yes, 10 to 4.", "Is the store open on Sunday?"]
    assert_problem(_answer(api.admin, thread_id, "Something else", key), 409,
                   "idempotency_conflict")
    assert_problem(_answer(api.admin, thread_id, "   "), 422, "validation_error")


def test_who_may_answer_is_who_may_see_the_conversation(api: Api) -> None:
    diego, priya = api.as_(USER_ASSIGNED), api.as_(USER_ALL)
    diego_id = api.me(USER_ASSIGNED)["id"]
    _, diegos_thread = _person_writes_in(api, "Diego, a question", assigned_user_id=diego_id)
    _, others_thread = _person_writes_in(api, "Anyone there?")

    # An assigned-only user answers their own people, and only them (404: never a hint).
    assert _answer(diego, diegos_thread, "Diego here.").status_code == 201
    assert_problem(_answer(diego, others_thread, "Diego here."), 404, "not_found")
    # No business number is involved: a user who may not send from Diego's line still answers
    # in-app (and DND, an SMS rule, does not stop an in-app answer either).
    assert numbers_by_label(priya)["Diego's line"]["can_send"] is False
    assert _answer(priya, diegos_thread, "Priya here too.").status_code == 201
    dnd, dnd_thread = _person_writes_in(api, "No texts please, app only", dnd=True)
    assert dnd["dnd"] is True
    assert _answer(priya, dnd_thread, "Understood, in the app only.").status_code == 201
    assert [m["author_user_id"] for m in _messages(api.admin, diegos_thread)[:2]] == [
        api.me(USER_ALL)["id"], diego_id]


def test_a_deleted_person_cannot_be_answered(api: Api) -> None:
    person, thread_id = _person_writes_in(api, "Please close my account")
    assert api.admin.delete(f"/v1/contacts/{person['id']}").status_code in (200, 204)
    assert_problem(_answer(api.admin, thread_id, "Done."), 404, "not_found")
    assert [m["body"] for m in _messages(api.admin, thread_id)] == ["Please close my account"]
