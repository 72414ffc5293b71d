"""A thread belongs to its contact: when a number moves to another contact, its texts follow.

Diego (assigned-only) had customer X on number N; X is deleted, or N is taken off X's card, and
Priya's customer Y gets N. Y's texts must land in Y's thread (never X's old one, which Diego
still reads), Priya opening a thread with Y gets Y's, and Diego cannot text N from X's old
thread (N is Y's handset now). Same for a group MMS: a chat's frozen participants are
(contact, number) pairs, so a text from a set whose holders changed starts a new chat.
"""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from tests.backend.conftest import (
    USER_ALL,
    USER_ASSIGNED,
    Api,
    assert_problem,
    numbers_by_label,
    page_all,
    sync_all,
)
from tests.backend.feed_views import ids_in, streamed
from tests.backend.group_chat_support import PhonePool, create_chat, new_contact, send

phone = PhonePool("320", "321")
MAIN = "+14155550100"



def _inbound(api: Api, sender: str, to: list[str], body: str) -> dict[str, Any]:
    response = api.admin.post("/v1/simulator/inbound", json={"from": sender, "to": to,
                                                             "body": body})
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


def _open(client: httpx.Client, api: Api, contact_id: str, number: str) -> httpx.Response:
    return client.post("/v1/conversations", json={
        "kind": "direct", "contact_id": contact_id, "phone": number,
        "number_id": numbers_by_label(api.admin)["Main office"]["id"]})


def _move(api: Api, diego: httpx.Client, x: dict[str, Any], how: str) -> None:
    """Free X's number: delete X, or take the number off X's card."""
    if how == "delete":
        assert diego.delete(f"/v1/contacts/{x['id']}").status_code == 204
    else:
        patched = diego.patch(f"/v1/contacts/{x['id']}", json={"phones": [{"number": phone()}]})
        assert patched.status_code == 200, patched.text


@pytest.mark.parametrize("how", ["delete", "patch"])
def test_a_moved_number_texts_into_the_new_holders_thread(api: Api, how: str) -> None:
    diego, priya = api.as_(USER_ASSIGNED), api.as_(USER_ALL)
    number = phone()
    x = new_contact(diego, number)
    opened = _open(diego, api, x["id"], number)
    assert opened.status_code == 201, opened.text
    old_thread = opened.json()["id"]
    before = _inbound(api, number, [MAIN], f"Hi from X {uuid.uuid4().hex[:4]}")
    assert before["conversation_id"] == old_thread

    _move(api, diego, x, how)
    y = new_contact(api.admin, number, assigned_user_id=api.me(USER_ALL)["id"])
    _, diego_cursor = sync_all(diego)
    _, priya_cursor = sync_all(priya)

    landed = _inbound(api, number, [MAIN], f"Hi from Y {uuid.uuid4().hex[:4]}")
    new_thread = landed["conversation_id"]
    assert new_thread != old_thread
    thread = api.admin.get(f"/v1/conversations/{new_thread}").json()
    assert (thread["contact_id"], thread["phone"]) == (y["id"], number)
    hidden = {landed["message_id"], new_thread}

    # Diego: nothing of it over REST, full and incremental sync, and the event stream.
    assert_problem(diego.get(f"/v1/conversations/{new_thread}"), 404, "not_found")
    assert_problem(diego.get(f"/v1/conversations/{new_thread}/messages"), 404, "not_found")
    assert new_thread not in {c["id"] for c in page_all(diego, "/v1/conversations", limit=200)}
    old_history = page_all(diego, f"/v1/conversations/{old_thread}/messages", limit=100)
    assert [m["id"] for m in old_history] == [before["message_id"]]  # his history stays his
    assert not ids_in(sync_all(diego)[0]) & hidden
    assert not ids_in(sync_all(diego, diego_cursor)[0]) & hidden
    marker = new_contact(diego, phone())
    assert not ids_in(streamed(api, diego, diego_cursor, marker["id"])) & hidden

    # Priya: sees it everywhere; opening a thread with Y gives Y's thread.
    assert priya.get(f"/v1/conversations/{new_thread}").status_code == 200
    messages = page_all(priya, f"/v1/conversations/{new_thread}/messages", limit=100)
    assert [m["id"] for m in messages] == [landed["message_id"]]
    assert landed["message_id"] in ids_in(sync_all(priya, priya_cursor)[0])
    assert landed["message_id"] in ids_in(streamed(api, priya, priya_cursor,
                                                     landed["message_id"]))
    reopened = _open(priya, api, y["id"], number)
    assert reopened.status_code in (200, 201), reopened.text
    assert reopened.json()["id"] == new_thread

    # Diego cannot text Y's handset from X's old thread: refused, saying what to do.
    body = f"From the old thread {uuid.uuid4().hex[:6]}"
    refused = assert_problem(send(diego, old_thread, body), 422, "phone_not_on_contact")
    assert "open" in refused["detail"].lower()
    assert [m for m in page_all(api.admin, "/v1/simulator/outbox", limit=200, to=number)
            if m["body"] == body] == []
    assert [m["id"] for m in page_all(diego, f"/v1/conversations/{old_thread}/messages",
                                      limit=100)] == [before["message_id"]]


def test_opening_a_thread_with_the_new_holder_before_any_text_is_theirs(api: Api) -> None:
    diego, priya = api.as_(USER_ASSIGNED), api.as_(USER_ALL)
    number = phone()
    x = new_contact(diego, number)
    old_thread = _open(diego, api, x["id"], number).json()["id"]
    _move(api, diego, x, "delete")
    y = new_contact(api.admin, number, assigned_user_id=api.me(USER_ALL)["id"])
    opened = _open(priya, api, y["id"], number)
    assert opened.status_code == 201, opened.text
    assert opened.json()["id"] != old_thread
    assert opened.json()["contact_id"] == y["id"]
    # Priya can use it; the next text from the number lands there.
    sent = send(priya, opened.json()["id"], "Hello Y")
    assert sent.status_code == 201, sent.text
    assert _inbound(api, number, [MAIN], "Hello back")["conversation_id"] == opened.json()["id"]


def test_a_group_text_from_numbers_with_new_holders_starts_a_new_chat(api: Api) -> None:
    diego = api.as_(USER_ASSIGNED)
    first, second = phone(), phone()
    x1, x2 = new_contact(diego, first), new_contact(diego, second)
    main_id = numbers_by_label(api.admin)["Main office"]["id"]
    made = create_chat(diego, main_id, [(x1, first), (x2, second)])
    assert made.status_code == 201, made.text
    old_chat = made.json()["id"]
    assert _inbound(api, first, [MAIN, second], "group hi")["conversation_id"] == old_chat

    assert diego.delete(f"/v1/contacts/{x1['id']}").status_code == 204
    y1 = new_contact(api.admin, first, assigned_user_id=api.me(USER_ALL)["id"])
    _, diego_cursor = sync_all(diego)
    landed = _inbound(api, first, [MAIN, second], "group hi from Y")
    assert landed["conversation_id"] != old_chat
    chat = api.admin.get(f"/v1/group-chats/{landed['conversation_id']}").json()
    assert {(p["contact_id"], p["phone"]) for p in chat["participants"]} == {
        (y1["id"], first), (x2["id"], second)}
    assert_problem(diego.get(f"/v1/conversations/{landed['conversation_id']}"), 404,
                   "not_found")
    assert not ids_in(sync_all(diego, diego_cursor)[0]) & {landed["message_id"]}
    # The same people starting a chat get that one again; the old chat keeps Diego's history.
    again = create_chat(api.admin, main_id, [(y1, first), (x2, second)])
    assert again.status_code == 200, again.text
    assert again.json()["id"] == landed["conversation_id"]
    old = page_all(diego, f"/v1/conversations/{old_chat}/messages", limit=100)
    assert [m["body"] for m in old] == ["group hi"]
