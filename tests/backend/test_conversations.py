"""1:1 SMS conversations: opening, sending with Idempotency-Key, statuses, history, reading."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import httpx

from tests.backend.conftest import (
    USER_ALL,
    USER_ASSIGNED,
    Api,
    assert_problem,
    contact_named,
    numbers_by_label,
    page_all,
    sync_all,
    wait_for,
)
from tests.backend.flows import (
    concurrent_sends_are_exactly_once_and_the_feed_has_no_gaps,
    open_thread,
)
from tests.support.backend_process import BackendProcess


def _new_contact(api: Api, phone: str, **fields: Any) -> dict[str, Any]:
    body = {"name": f"Convo {uuid.uuid4().hex[:6]}", "phones": [{"number": phone}], **fields}
    response = api.admin.post("/v1/contacts", json=body)
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


def _open(client: httpx.Client, contact: dict[str, Any], number_id: str) -> httpx.Response:
    return client.post(
        "/v1/conversations",
        json={"kind": "direct", "contact_id": contact["id"],
              "phone": contact["phones"][0]["number"], "number_id": number_id},
    )


def _open_on_main(api: Api, contact: dict[str, Any]) -> dict[str, Any]:
    response = _open(api.admin, contact, numbers_by_label(api.admin)["Main office"]["id"])
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


def _send(client: httpx.Client, conversation_id: str, body: str, key: str | None = None
          ) -> httpx.Response:
    headers = {"Idempotency-Key": key} if key else {}
    return client.post(
        f"/v1/conversations/{conversation_id}/messages", json={"body": body}, headers=headers
    )


def _outbox(api: Api, to: str) -> list[dict[str, Any]]:
    return page_all(api.admin, "/v1/simulator/outbox", limit=100, to=to)


def _message_statuses(events: list[dict[str, Any]], message_id: str) -> list[str]:
    return [e["data"]["status"] for e in events
            if e["type"] == "message.upserted" and e["data"]["id"] == message_id]


def test_opening_a_direct_conversation_twice_gives_the_same_one(api: Api) -> None:
    contact = _new_contact(api, "+16175550170")
    main = numbers_by_label(api.admin)["Main office"]["id"]
    first = _open(api.admin, contact, main)
    assert first.status_code == 201, first.text
    conversation = first.json()
    assert conversation["kind"] == "direct"
    assert conversation["title"] == contact["name"]
    assert conversation["phone"] == "+16175550170"
    assert (conversation["number_id"], conversation["contact_id"]) == (main, contact["id"])
    assert conversation["status"] == "active"
    assert conversation["unread_count"] == 0
    again = _open(api.admin, contact, main)
    assert again.status_code == 200
    assert again.json()["id"] == conversation["id"]


def test_opening_checks_phone_number_access_and_assignment(api: Api) -> None:
    numbers = numbers_by_label(api.admin)
    contact = _new_contact(api, "+16175550171")
    wrong_phone = api.admin.post(
        "/v1/conversations",
        json={"kind": "direct", "contact_id": contact["id"], "phone": "+16175550172",
              "number_id": numbers["Main office"]["id"]},
    )
    assert_problem(wrong_phone, 422, "phone_not_on_contact")
    bad_phone = api.admin.post(
        "/v1/conversations",
        json={"kind": "direct", "contact_id": contact["id"], "phone": "12",
              "number_id": numbers["Main office"]["id"]},
    )
    assert_problem(bad_phone, 422, "invalid_phone")
    assert_problem(
        _open(api.as_(USER_ALL), contact, numbers["Diego's line"]["id"]),
        403,
        "number_access_denied",
    )
    assert_problem(
        _open(api.as_(USER_ASSIGNED), contact, numbers["Main office"]["id"]),
        403,
        "contact_not_assigned",
    )
    assert_problem(_open(api.admin, contact, "num_missing"), 404, "not_found")
    assert_problem(
        _open(api.admin, {**contact, "id": "con_missing"}, numbers["Main office"]["id"]),
        404,
        "not_found",
    )


def test_send_with_the_same_key_twice_sends_once(api: Api) -> None:
    contact = _new_contact(api, "+16175550173")
    conversation = _open_on_main(api, contact)
    key = str(uuid.uuid4())
    first = _send(api.admin, conversation["id"], "  Hello there  ", key)
    assert first.status_code == 201, first.text
    message = first.json()
    assert message["body"] == "Hello there"
    assert (message["direction"], message["status"]) == ("out", "queued")
    assert message["client_key"] == key
    assert message["author_user_id"] == api.me("ava.admin@demo.example")["id"]
    second = _send(api.admin, conversation["id"], "  Hello there  ", key)
    assert second.status_code in (200, 201)
    assert second.json()["id"] == message["id"]

    conflict = _send(api.admin, conversation["id"], "Something else", key)
    assert_problem(conflict, 409, "idempotency_conflict")

    delivered = wait_for(lambda: _outbox(api, "+16175550173"))
    history = api.admin.get(f"/v1/conversations/{conversation['id']}/messages").json()["items"]
    assert [m["id"] for m in history] == [message["id"]]
    assert len(delivered) == 1
    assert delivered[0]["from"] == "+14155550100"
    assert delivered[0]["body"] == "Hello there"
    assert delivered[0]["conversation_id"] == conversation["id"]


def test_status_moves_queued_sent_delivered_in_the_feed(api: Api) -> None:
    contact = _new_contact(api, "+16175550174")
    conversation = _open_on_main(api, contact)
    _, cursor = sync_all(api.admin)
    message = _send(api.admin, conversation["id"], "Status check", str(uuid.uuid4())).json()

    def delivered() -> list[dict[str, Any]] | None:
        events, _ = sync_all(api.admin, cursor)
        return events if "delivered" in _message_statuses(events, message["id"]) else None

    events = wait_for(delivered)
    assert _message_statuses(events, message["id"]) == ["queued", "sent", "delivered"]
    assert [e["seq"] for e in events] == sorted({e["seq"] for e in events})
    conversation_events = [e for e in events if e["type"] == "conversation.upserted"
                           and e["data"]["id"] == conversation["id"]]
    assert conversation_events[-1]["data"]["last_message_preview"] == "Status check"
    current = api.admin.get(f"/v1/conversations/{conversation['id']}/messages").json()["items"][0]
    assert current["status"] == "delivered"


def test_a_fail_marker_fails_with_carrier_error_30006(api: Api) -> None:
    contact = _new_contact(api, "+16175550175")
    conversation = _open_on_main(api, contact)
    message = _send(api.admin, conversation["id"], "This one will #fail").json()

    def final() -> dict[str, Any] | None:
        items = api.admin.get(f"/v1/conversations/{conversation['id']}/messages").json()["items"]
        return items[0] if items[0]["status"] == "failed" else None

    failed = wait_for(final)
    assert failed["id"] == message["id"]
    assert failed["error_code"] == "30006"
    assert _outbox(api, "+16175550175") == []


def test_sending_is_refused_clearly(api: Api) -> None:
    numbers = numbers_by_label(api.admin)
    contact = _new_contact(api, "+16175550176")
    conversation = _open(api.admin, contact, numbers["Diego's line"]["id"]).json()
    assert_problem(_send(api.as_(USER_ALL), conversation["id"], "hi"), 403, "number_access_denied")
    assert_problem(_send(api.admin, conversation["id"], "   "), 422, "validation_error")
    assert_problem(_send(api.admin, conversation["id"], "x" * 1601), 422, "validation_error")
    assert_problem(_send(api.admin, "cnv_missing", "hi"), 404, "not_found")
    # DND on: the thread is blocked and nothing goes out.
    api.admin.patch(f"/v1/contacts/{contact['id']}", json={"dnd": True})
    blocked = api.admin.get(f"/v1/conversations/{conversation['id']}").json()
    assert (blocked["status"], blocked["blocked_reason"]) == ("blocked", "dnd")
    assert_problem(_send(api.admin, conversation["id"], "hi"), 422, "participant_dnd")
    history = api.admin.get(f"/v1/conversations/{conversation['id']}/messages").json()
    assert history["items"] == []


def test_history_is_newest_first_and_pages_with_before_and_cursor(api: Api) -> None:
    contact = _new_contact(api, "+16175550177")
    conversation = _open_on_main(api, contact)
    sent = [_send(api.admin, conversation["id"], f"message {i}").json()["id"] for i in range(7)]
    path = f"/v1/conversations/{conversation['id']}/messages"
    paged = page_all(api.admin, path, limit=3)
    assert [m["id"] for m in paged] == sent[::-1]
    older = api.admin.get(path, params={"before": sent[4], "limit": 10}).json()
    assert [m["id"] for m in older["items"]] == sent[3::-1]
    assert older["next_cursor"] is None
    assert_problem(api.admin.get(path, params={"before": "msg_nope"}), 422, "validation_error")
    assert_problem(api.admin.get("/v1/conversations/cnv_nope/messages"), 404, "not_found")


def test_conversation_list_is_filtered_by_kind_and_access(api: Api) -> None:
    everything = page_all(api.admin, "/v1/conversations", limit=3)
    assert len(everything) >= 8
    assert len({c["id"] for c in everything}) == len(everything)
    # Newest activity first (threads never written in sort by their creation time).
    active = [datetime.fromisoformat(c["last_message_at"]) for c in everything
              if c["last_message_at"]]
    assert active == sorted(active, reverse=True)
    direct = page_all(api.admin, "/v1/conversations", limit=500, kind="direct")
    assert {c["id"] for c in direct} == {c["id"] for c in everything if c["kind"] == "direct"}
    groups = page_all(api.admin, "/v1/conversations", limit=50, kind="group_sms")
    assert {c["id"] for c in groups} == {c["id"] for c in everything if c["kind"] == "group_sms"}
    assert groups
    assert all(len(c["participants"]) >= 2 for c in groups)
    assert_problem(api.admin.get("/v1/conversations", params={"kind": "fax"}), 422,
                   "validation_error")
    diego = page_all(api.as_(USER_ASSIGNED), "/v1/conversations", limit=50)
    assert {c["title"] for c in diego} >= {"Hannah Kim", "Robert Johnson"}
    assert "Maria Gonzalez" not in {c["title"] for c in diego}
    maria = next(c for c in everything if c["title"] == "Maria Gonzalez")
    assert_problem(api.as_(USER_ASSIGNED).get(f"/v1/conversations/{maria['id']}"), 404,
                   "not_found")


def test_mark_read_clears_unread(api: Api) -> None:
    aisha = contact_named(api.admin, "Aisha Patel")
    conversation = next(
        c for c in page_all(api.admin, "/v1/conversations", limit=100)
        # Her SMS thread: group message tests on this shared backend give her in-app ones too.
        if c["contact_id"] == aisha["id"] and c["kind"] == "direct"
    )
    assert conversation["unread_count"] == 2  # seeded
    response = api.admin.post(f"/v1/conversations/{conversation['id']}/read")
    assert response.status_code == 200
    assert response.json() == {"unread_count": 0}
    assert api.admin.get(f"/v1/conversations/{conversation['id']}").json()["unread_count"] == 0
    assert_problem(api.admin.post("/v1/conversations/cnv_missing/read"), 404, "not_found")


def test_mark_unread_raises_the_count_once_and_tells_the_feed(api: Api) -> None:
    # A thread with no inbound message at all: marking it unread is a reminder, so it counts.
    conversation = _open_on_main(api, _new_contact(api, "+16175550181"))
    assert conversation["unread_count"] == 0
    path = f"/v1/conversations/{conversation['id']}"
    _, cursor = sync_all(api.admin)
    response = api.admin.post(f"{path}/unread")
    assert response.status_code == 200, response.text
    assert response.json() == {"unread_count": 1}
    assert api.admin.get(path).json()["unread_count"] == 1
    events, cursor = sync_all(api.admin, cursor)
    mine = [e for e in events if e["type"] == "conversation.upserted"
            and e["data"]["id"] == conversation["id"]]
    assert [e["data"]["unread_count"] for e in mine] == [1]
    # Idempotent: already unread, nothing changes and nothing more goes out.
    assert api.admin.post(f"{path}/unread").json() == {"unread_count": 1}
    events, cursor = sync_all(api.admin, cursor)
    assert not [e for e in events if e.get("data", {}).get("id") == conversation["id"]]
    # Opening the chat afterwards reads it again.
    assert api.admin.post(f"{path}/read").json() == {"unread_count": 0}
    assert api.admin.get(path).json()["unread_count"] == 0


def test_mark_unread_keeps_a_higher_count_and_needs_sight_of_the_conversation(api: Api) -> None:
    everything = page_all(api.admin, "/v1/conversations", limit=100)
    maria = next(c for c in everything if c["title"] == "Maria Gonzalez")
    # Diego (assigned-only) does not see Maria's thread: 404, as for /read, and no change.
    before = api.admin.get(f"/v1/conversations/{maria['id']}").json()["unread_count"]
    diego = api.as_(USER_ASSIGNED)
    assert_problem(diego.post(f"/v1/conversations/{maria['id']}/unread"), 404, "not_found")
    assert_problem(diego.post(f"/v1/conversations/{maria['id']}/read"), 404, "not_found")
    assert api.admin.get(f"/v1/conversations/{maria['id']}").json()["unread_count"] == before
    assert_problem(api.admin.post("/v1/conversations/cnv_missing/unread"), 404, "not_found")
    # Two texts in unread: marking it unread keeps 2 (it never lowers the count).
    conversation = _open_on_main(api, _new_contact(api, "+16175550182"))
    main = numbers_by_label(api.admin)["Main office"]["e164"]
    for body in ("First", "Second"):
        response = api.admin.post("/v1/simulator/inbound",
                                  json={"from": "+16175550182", "to": [main], "body": body})
        assert response.json()["conversation_id"] == conversation["id"], response.text
    path = f"/v1/conversations/{conversation['id']}"
    assert api.admin.post(f"{path}/unread").json() == {"unread_count": 2}
    assert api.admin.get(path).json()["unread_count"] == 2


def test_concurrent_sends_are_exactly_once_and_the_feed_has_no_gaps(api: Api) -> None:
    token = api.backend.login("ava.admin@demo.example", "demo-admin-pass")
    concurrent_sends_are_exactly_once_and_the_feed_has_no_gaps(
        lambda: api.backend.client(token), "+16175550178"
    )


def test_a_message_accepted_before_a_crash_is_delivered_after_restart(
    fresh_backend: BackendProcess,
) -> None:
    token = fresh_backend.login("ava.admin@demo.example", "demo-admin-pass")
    with fresh_backend.client(token) as http:
        conversation_id = open_thread(http, "+16175550179")
        message = _send(http, conversation_id, "Before the crash").json()
    fresh_backend.kill()  # no graceful stop: the status steps were pending
    fresh_backend.start()
    token = fresh_backend.login("ava.admin@demo.example", "demo-admin-pass")
    with fresh_backend.client(token) as http:
        path = f"/v1/conversations/{conversation_id}/messages"
        wait_for(lambda: http.get(path).json()["items"][0]["status"] == "delivered")
        assert [m["id"] for m in http.get(path).json()["items"]] == [message["id"]]
