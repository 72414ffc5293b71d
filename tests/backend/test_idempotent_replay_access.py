"""A create replayed with its Idempotency-Key answers as a GET by that caller would now.

Found by hand: an assigned-only user created a contact with a key; an admin gave it to someone
else and renamed it; the user's GET was 404, but replaying the POST returned 201 with the new
name, email and owner. The replay re-read the row without the visibility check. Every route
that replays through `create_once` re-reads through the GET's finder: 404 `not_found` for what
the caller may no longer see (reassigned, deleted), the same view as GET otherwise.
Real backend on loopback, SQLite and PostgreSQL (fixture `api`).
"""

from __future__ import annotations

import random
import uuid
from typing import Any

import httpx

from tests.backend.conftest import USER_ASSIGNED, Api, assert_problem


def _key() -> str:
    return str(uuid.uuid4())


def _phone() -> str:
    return f"+1415555{random.randrange(10**4):04d}"


def _post(client: httpx.Client, path: str, body: dict[str, Any], key: str) -> httpx.Response:
    return client.post(path, json=body, headers={"Idempotency-Key": key})


def _id_of(api: Api, email: str) -> str:
    user_id: str = api.me(email)["id"]
    return user_id


def _diegos_contact(api: Api, key: str, phone: str | None = None) -> tuple[dict[str, Any], Any]:
    diego = api.as_(USER_ASSIGNED)
    body: dict[str, Any] = {"name": f"Replay {uuid.uuid4().hex[:8]}",
                            "email": "first@example.com"}
    if phone:
        body["phones"] = [{"number": phone}]
    created = _post(diego, "/v1/contacts", body, key)
    assert created.status_code == 201, created.text
    assert created.json()["assigned_user_id"] == _id_of(api, USER_ASSIGNED)
    return created.json(), body


def test_a_replayed_contact_create_is_404_once_the_contact_is_reassigned(api: Api) -> None:
    diego = api.as_(USER_ASSIGNED)
    key = _key()
    contact, body = _diegos_contact(api, key)
    replay = _post(diego, "/v1/contacts", body, key)
    assert (replay.status_code, replay.json()) == (201, contact)  # still theirs: same answer
    priya = _id_of(api, "priya.agent@demo.example")
    moved = api.admin.patch(f"/v1/contacts/{contact['id']}",
                            json={"assigned_user_id": priya, "name": "Renamed by admin",
                                  "email": "secret@example.com"})
    assert moved.status_code == 200, moved.text
    assert_problem(diego.get(f"/v1/contacts/{contact['id']}"), 404, "not_found")
    replay = _post(diego, "/v1/contacts", body, key)
    problem = assert_problem(replay, 404, "not_found")
    assert "Renamed" not in replay.text, problem
    assert "secret@" not in replay.text, problem


def test_a_replayed_contact_create_is_404_once_the_contact_is_deleted(api: Api) -> None:
    key = _key()
    contact, body = _diegos_contact(api, key)
    assert api.admin.delete(f"/v1/contacts/{contact['id']}").status_code == 204
    assert_problem(_post(api.as_(USER_ASSIGNED), "/v1/contacts", body, key), 404, "not_found")


def test_a_replayed_group_create_is_404_once_the_group_is_deleted(api: Api) -> None:
    key = _key()
    body = {"name": f"Replay group {uuid.uuid4().hex[:8]}"}
    created = _post(api.admin, "/v1/groups", body, key)
    assert created.status_code == 201, created.text
    assert api.admin.delete(f"/v1/groups/{created.json()['id']}").status_code == 204
    assert_problem(api.admin.get(f"/v1/groups/{created.json()['id']}"), 404, "not_found")
    assert_problem(_post(api.admin, "/v1/groups", body, key), 404, "not_found")


def test_a_replayed_message_send_is_404_once_its_conversation_is_out_of_sight(api: Api) -> None:
    diego = api.as_(USER_ASSIGNED)
    phone = _phone()
    contact, _body = _diegos_contact(api, _key(), phone)
    numbers = diego.get("/v1/numbers").json()["items"]
    number = next(n for n in numbers if n["is_default"])
    opened = diego.post("/v1/conversations", json={
        "kind": "direct", "contact_id": contact["id"], "phone": phone, "number_id": number["id"]})
    assert opened.status_code == 201, opened.text
    conversation = opened.json()["id"]
    key, message = _key(), {"body": "Still interested in the condo?"}
    sent = _post(diego, f"/v1/conversations/{conversation}/messages", message, key)
    assert sent.status_code == 201, sent.text
    priya = _id_of(api, "priya.agent@demo.example")
    assert api.admin.patch(f"/v1/contacts/{contact['id']}",
                           json={"assigned_user_id": priya}).status_code == 200
    assert_problem(diego.get(f"/v1/conversations/{conversation}"), 404, "not_found")
    replay = _post(diego, f"/v1/conversations/{conversation}/messages", message, key)
    assert_problem(replay, 404, "not_found")


def test_a_replayed_group_message_is_404_once_it_reaches_none_of_the_callers_contacts(
    api: Api,
) -> None:
    diego = api.as_(USER_ASSIGNED)
    contact, _body = _diegos_contact(api, _key())
    group = _post(diego, "/v1/groups", {"name": f"Replay audience {uuid.uuid4().hex[:8]}"},
                  _key())
    assert group.status_code == 201, group.text
    group_id = group.json()["id"]
    added = diego.put(f"/v1/groups/{group_id}/members/{contact['id']}")
    assert added.status_code == 201, added.text
    key = _key()
    message = {"group_id": group_id, "sender_user_id": _id_of(api, USER_ASSIGNED),
               "title": "Open house", "body": "Sunday 1-4pm"}
    sent = _post(diego, "/v1/group-messages", message, key)
    assert sent.status_code == 201, sent.text
    priya = _id_of(api, "priya.agent@demo.example")
    assert api.admin.patch(f"/v1/contacts/{contact['id']}",
                           json={"assigned_user_id": priya}).status_code == 200
    assert_problem(diego.get(f"/v1/group-messages/{sent.json()['id']}"), 404, "not_found")
    assert_problem(_post(diego, "/v1/group-messages", message, key), 404, "not_found")


def test_a_replayed_person_reply_is_404_once_the_person_is_deleted(api: Api) -> None:
    person = api.admin.post("/v1/contacts", json={"name": f"Replay person {uuid.uuid4().hex[:8]}"})
    assert person.status_code == 201, person.text
    path, key, body = f"/v1/people/{person.json()['id']}/replies", _key(), {"body": "Yes please"}
    first = _post(api.admin, path, body, key)
    assert first.status_code == 201, first.text
    assert _post(api.admin, path, body, key).json() == first.json()
    assert api.admin.delete(f"/v1/contacts/{person.json()['id']}").status_code == 204
    assert_problem(api.admin.get(f"{path.rsplit('/', 1)[0]}/messages"), 404, "not_found")
    assert_problem(_post(api.admin, path, body, key), 404, "not_found")
