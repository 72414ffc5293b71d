"""The opt-out hint on a conversation's first text: admins set it per number (it must say
STOP), the first text of each 1:1 and group chat sent from that number carries it, later texts
and notes do not count or carry it, and a first text too long with it is refused whole."""

from __future__ import annotations

import uuid

from tests.backend.conftest import USER_ALL, Api, assert_problem, sync_all
from tests.backend.group_chat_support import PhonePool, create_chat, messages, new_contact, send

phone = PhonePool("480", "484")  # numbers no other module uses: the backend is shared
HINT = "Reply STOP to opt out."


def _number(api: Api, hint: str) -> str:
    """A business number of this test's own (the shared ones stay as other tests expect)."""
    made = api.admin.post("/v1/numbers", json={"e164": phone(),
                                               "label": f"Hint {uuid.uuid4().hex[:4]}"})
    assert made.status_code == 201, made.text
    number_id: str = made.json()["id"]
    patched = api.admin.patch(f"/v1/numbers/{number_id}", json={"opt_out_hint": hint})
    assert patched.status_code == 200, patched.text
    return number_id


def test_admins_set_the_hint_and_it_must_say_stop(api: Api) -> None:
    number_id = _number(api, "  Reply   STOP to opt out. ")
    shown = api.admin.get(f"/v1/numbers/{number_id}").json()
    assert shown["opt_out_hint"] == HINT  # spaces tidied
    assert_problem(api.admin.patch(f"/v1/numbers/{number_id}",
                                   json={"opt_out_hint": "Text us any time"}),
                   422, "validation_error")
    assert_problem(api.admin.patch(f"/v1/numbers/{number_id}",
                                   json={"opt_out_hint": "STOP " + "x" * 160}),
                   422, "validation_error")
    assert_problem(api.as_(USER_ALL).patch(f"/v1/numbers/{number_id}",
                                           json={"opt_out_hint": ""}), 403, "forbidden")
    # Consoles learn it from the feed.
    events, _ = sync_all(api.admin)
    told = [e["data"] for e in events
            if e["type"] == "number.upserted" and e["data"]["id"] == number_id]
    assert told[-1]["opt_out_hint"] == HINT
    off = api.admin.patch(f"/v1/numbers/{number_id}", json={"opt_out_hint": ""})
    assert off.json()["opt_out_hint"] == ""


def test_the_first_text_of_each_chat_carries_it_and_no_later_one(api: Api) -> None:
    number_id = _number(api, HINT)
    number = phone()
    contact = new_contact(api.admin, number)
    thread = api.admin.post("/v1/conversations", json={
        "kind": "direct", "contact_id": contact["id"], "phone": number, "number_id": number_id,
    }).json()["id"]
    # A note first: sent to nobody, so the first text is still to come.
    note = api.admin.post(f"/v1/conversations/{thread}/notes", json={"body": "Met at the door"},
                          headers={"Idempotency-Key": str(uuid.uuid4())})
    assert note.status_code == 201, note.text
    first = send(api.admin, thread, "Welcome to Oak Realty!")
    second = send(api.admin, thread, "Your showing is at 10.")
    assert first.status_code == second.status_code == 201, second.text
    assert first.json()["body"] == f"Welcome to Oak Realty!\n\n{HINT}"
    assert second.json()["body"] == "Your showing is at 10."
    bodies = [m["body"] for m in messages(api.admin, thread) if not m.get("note")]
    assert f"Welcome to Oak Realty!\n\n{HINT}" in bodies
    # A group chat from the same number is a new conversation: its first text carries it too.
    people = [(new_contact(api.admin, p), p) for p in (phone(), phone())]
    chat = create_chat(api.admin, number_id, people)
    assert chat.status_code == 201, chat.text
    group_first = send(api.admin, chat.json()["id"], "Hi both!")
    assert group_first.json()["body"] == f"Hi both!\n\n{HINT}"
    assert send(api.admin, chat.json()["id"], "Again").json()["body"] == "Again"


def test_a_first_text_too_long_with_the_hint_is_refused_whole(api: Api) -> None:
    number_id = _number(api, HINT)
    number = phone()
    contact = new_contact(api.admin, number)
    thread = api.admin.post("/v1/conversations", json={
        "kind": "direct", "contact_id": contact["id"], "phone": number, "number_id": number_id,
    }).json()["id"]
    refused = send(api.admin, thread, "x" * 1590)
    assert_problem(refused, 422, "validation_error")
    assert "opt-out hint" in refused.json()["detail"]
    assert [m for m in messages(api.admin, thread) if not m.get("note")] == []  # nothing sent
    assert send(api.admin, thread, "x" * (1600 - len(HINT) - 2)).status_code == 201
