"""Group SMS chats over HTTP: creation rules (atomic), frozen participants, fan-out, blocking."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

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
from tests.backend.flows import group_chat_fan_out_stop_and_start
from tests.backend.group_chat_support import (
    PhonePool,
    create_chat,
    inbound,
    messages,
    new_contact,
    outbox,
    send,
    wait_delivered,
    wait_outbox,
)

phone = PhonePool("207", "208", "209")
MAIN = "+14155550100"


def _main(api: Api) -> str:
    number_id: str = numbers_by_label(api.admin)["Main office"]["id"]
    return number_id


def _trio(api: Api) -> list[tuple[dict[str, Any], str]]:
    """Three fresh contacts; the first joins with its secondary number."""
    first = new_contact(api.admin, phone(), phone())
    return [(first, first["phones"][1]["number"]),
            *[(c, c["phones"][0]["number"]) for c in
              (new_contact(api.admin, phone()), new_contact(api.admin, phone()))]]


def _group_ids(api: Api) -> set[str]:
    return {c["id"] for c in page_all(api.admin, "/v1/conversations", limit=500,
                                      kind="group_sms")}


def test_creating_a_group_chat(api: Api) -> None:
    people = _trio(api)
    _, cursor = sync_all(api.admin)
    key = str(uuid.uuid4())
    response = create_chat(api.admin, _main(api), people, key=key)
    assert response.status_code == 201, response.text
    chat = response.json()
    assert chat["kind"] == "group_sms"
    assert chat["status"] == "active"
    assert chat["number_id"] == _main(api)
    assert chat["blocked_reason"] is None
    assert chat["participants"] == [
        {"contact_id": c["id"], "name": c["name"], "phone": p, "tags": [],
         # The contact as it was at creation, which `updated` compares with.
         "name_then": c["name"], "phones_then": [n["number"] for n in c["phones"]]}
        for c, p in people
    ]
    assert chat["title"] == ", ".join(c["name"] for c, _ in people)
    # The same key replays; the same set without a key finds the same chat (200).
    again = create_chat(api.admin, _main(api), people, key=key)
    assert (again.status_code, again.json()["id"]) == (201, chat["id"])
    reordered = create_chat(api.admin, _main(api), people[::-1])
    assert (reordered.status_code, reordered.json()["id"]) == (200, chat["id"])
    assert_problem(
        create_chat(api.admin, _main(api), people[:2], key=key), 409, "idempotency_conflict"
    )
    # Everywhere a conversation shows: GET by id (both routes), the list, the feed.
    assert api.admin.get(f"/v1/group-chats/{chat['id']}").json() == chat
    assert api.admin.get(f"/v1/conversations/{chat['id']}").json() == chat
    assert chat["id"] in _group_ids(api)
    events, _ = sync_all(api.admin, cursor)
    upserts = [e for e in events if e["type"] == "conversation.upserted"]
    assert [e["data"]["id"] for e in upserts] == [chat["id"]]
    assert upserts[0]["data"]["participants"] == chat["participants"]


def test_a_user_may_use_its_numbers_and_admins_any(api: Api) -> None:
    numbers = numbers_by_label(api.as_(USER_ALL))
    people = _trio(api)
    denied = create_chat(api.as_(USER_ALL), numbers["Diego's line"]["id"], people)
    assert_problem(denied, 403, "number_access_denied")
    ok = create_chat(api.as_(USER_ALL), numbers["Listings hotline"]["id"], people)
    assert ok.status_code == 201, ok.text
    assert create_chat(api.admin, numbers["Diego's line"]["id"], people).status_code == 201


def _rule_cases(api: Api) -> list[tuple[str, list[tuple[dict[str, Any], str]], str, int, str]]:
    """(caller email, participants, number label, expected status, code)."""
    a, b = new_contact(api.admin, phone()), new_contact(api.admin, phone())
    ok = [(a, a["phones"][0]["number"]), (b, b["phones"][0]["number"])]
    uk = new_contact(api.admin, "+442079460177", phone())
    dnd = new_contact(api.admin, phone(), dnd=True)
    gone = new_contact(api.admin, phone())
    api.admin.delete(f"/v1/contacts/{gone['id']}")
    diego_own = new_contact(api.admin, phone(), assigned_user_id=api.me(USER_ASSIGNED)["id"])
    ghost = {"id": "con_nope"}
    many = [(c, c["phones"][0]["number"]) for c in (new_contact(api.admin, phone())
                                                    for _ in range(8))]
    return [
        ("admin", ok[:1], "Main office", 422, "participant_count"),
        ("admin", [*ok, *many], "Main office", 422, "participant_count"),
        ("admin", [*ok, (ghost, phone())], "Main office", 404, "not_found"),
        ("admin", [*ok, (gone, gone["phones"][0]["number"])], "Main office", 404, "not_found"),
        ("admin", [*ok, (a, "555-12")], "Main office", 422, "invalid_phone"),
        ("admin", [*ok, (uk, phone())], "Main office", 422, "phone_not_on_contact"),
        ("admin", [*ok, (uk, "+44 20 7946 0177")], "Main office", 422, "region_not_supported"),
        ("admin", [*ok, (dnd, dnd["phones"][0]["number"])], "Main office", 422,
         "participant_dnd"),
        ("admin", [*ok, (a, a["phones"][0]["number"])], "Main office", 422,
         "duplicate_participant"),
        (USER_ASSIGNED, [(diego_own, diego_own["phones"][0]["number"]), *ok], "Diego's line",
         403, "contact_not_assigned"),
        (USER_ALL, ok, "Diego's line", 403, "number_access_denied"),
    ]


def test_every_rule_has_its_code_names_the_participant_and_creates_nothing(api: Api) -> None:
    cases = _rule_cases(api)
    numbers = numbers_by_label(api.admin)
    before = _group_ids(api)
    history, cursor = sync_all(api.admin)
    sent_before = {e["data"]["id"] for e in history if e["type"] == "message.upserted"}
    for who, people, label, status, code in cases:
        client = api.admin if who == "admin" else api.as_(who)
        body = assert_problem(create_chat(client, numbers[label]["id"], people), status, code)
        if code not in {"participant_count", "number_access_denied"}:
            # Which participant: the last one of the list in these cases (Diego: the second).
            index = 1 if who == USER_ASSIGNED else len(people) - 1
            assert body["errors"][0]["index"] == index, body
            assert body["detail"].startswith(f"participants[{index}]: ")
    assert_problem(
        create_chat(api.admin, "num_nope", cases[0][1] * 2), 404, "not_found"
    )
    assert_problem(api.admin.post("/v1/group-chats", json={"number_id": "x"}), 422,
                   "validation_error")
    # Atomic: no chat, no participant, no event of any kind came of any of it. The backend is
    # shared: the carrier may still report on messages other tests sent before the cursor.
    assert _group_ids(api) == before
    events, _ = sync_all(api.admin, cursor)
    made = [e for e in events
            if not (e["type"] == "message.upserted" and e["data"]["id"] in sent_before)]
    assert made == []


def test_outbound_messages_reach_every_participant_at_the_frozen_numbers(api: Api) -> None:
    people = _trio(api)
    chat = create_chat(api.admin, _main(api), people).json()
    first, second, third = (c for c, _ in people)
    frozen = [p for _, p in people]
    # The first moves to a new number, the second is deleted: tags show it, sends don't care.
    new_number = phone()
    patched = api.admin.patch(f"/v1/contacts/{first['id']}",
                              json={"phones": [{"number": new_number}]})
    assert patched.status_code == 200, patched.text
    assert api.admin.delete(f"/v1/contacts/{second['id']}").status_code == 204
    now = api.admin.get(f"/v1/group-chats/{chat['id']}").json()
    assert [(p["phone"], p["tags"]) for p in now["participants"]] == [
        (frozen[0], ["updated"]), (frozen[1], ["deleted"]), (frozen[2], []),
    ]
    assert now["status"] == "active"
    for method in ("patch", "put"):
        assert_problem(api.admin.request(method.upper(), f"/v1/group-chats/{chat['id']}",
                                         json={"participants": []}), 409, "immutable")
        assert_problem(api.admin.request(method.upper(), f"/v1/group-chats/{chat['id']}/number",
                                         json={"number_id": "x"}), 409, "immutable")
    assert_problem(api.admin.post(f"/v1/group-chats/{chat['id']}/participants",
                                  json={"contact_id": third["id"]}), 409, "immutable")
    assert_problem(api.admin.delete(f"/v1/group-chats/{chat['id']}/participants/"
                                    f"{third['id']}"), 409, "immutable")
    assert_problem(api.admin.patch("/v1/group-chats/cnv_nope", json={}), 404, "not_found")

    body = f"Closing moved to 11am {uuid.uuid4().hex[:4]}"
    sent = send(api.admin, chat["id"], body)
    assert sent.status_code == 201, sent.text
    wait_delivered(api.admin, chat["id"], sent.json()["id"])
    for number in frozen:
        copies = wait_outbox(api.admin, number, body)
        assert [(m["from"], m["conversation_id"]) for m in copies] == [(MAIN, chat["id"])]
    assert [m for m in outbox(api.admin, new_number) if m["body"] == body] == []


def test_inbound_group_mms_lands_once_and_reaches_every_other_participant(api: Api) -> None:
    people = _trio(api)
    chat = create_chat(api.admin, _main(api), people).json()
    a, b, c = (p for _, p in people)
    body = f"Can we push to Saturday? {uuid.uuid4().hex[:4]}"
    response = inbound(api.admin, b, [c, MAIN, a], body, key=str(uuid.uuid4()))
    assert response.status_code == 201, response.text
    assert response.json()["conversation_id"] == chat["id"]
    recorded = [m for m in messages(api.admin, chat["id"]) if m["body"] == body]
    assert len(recorded) == 1
    assert recorded[0]["direction"] == "in"
    assert recorded[0]["author_contact_id"] == people[1][0]["id"]
    for other in (a, c):
        assert [m["from"] for m in wait_outbox(api.admin, other, body)] == [b]
    assert [m for m in outbox(api.admin, b) if m["body"] == body] == []
    assert api.admin.get(f"/v1/group-chats/{chat['id']}").json()["unread_count"] == 1

    # 1:1 inbound still lands in the sender's own thread.
    direct = inbound(api.admin, a, [MAIN], "Just me this time").json()
    thread = api.admin.get(f"/v1/conversations/{direct['conversation_id']}").json()
    assert (thread["kind"], thread["phone"]) == ("direct", a)

    # A set no chat has yet (a person started a group text with us): a new chat, nothing lost.
    stranger = phone()
    fresh = inbound(api.admin, stranger, [MAIN, a], "Hi both, new buyer here").json()
    started = api.admin.get(f"/v1/group-chats/{fresh['conversation_id']}").json()
    assert sorted(p["phone"] for p in started["participants"]) == sorted([stranger, a])
    assert fresh["conversation_id"] != chat["id"]


def test_a_group_text_started_outside_the_rules_is_kept_but_never_texted(api: Api) -> None:
    """A person may start a group MMS with us and nine others, or with a UK number: nothing they
    send is lost, but the chat it makes is blocked for good (the seed's 2..9, US/Canada)."""
    sender, others = phone(), [phone() for _ in range(9)]
    body = f"Big family viewing {uuid.uuid4().hex[:4]}"
    crowd = inbound(api.admin, sender, [MAIN, *others], body)
    assert crowd.status_code == 201, crowd.text
    chat = api.admin.get(f"/v1/group-chats/{crowd.json()['conversation_id']}").json()
    assert len(chat["participants"]) == 10
    assert chat["status"] == "blocked"
    assert chat["blocked_reason"].startswith("This group text has 10 participants")
    assert [m["body"] for m in messages(api.admin, chat["id"])] == [body]
    assert_problem(send(api.admin, chat["id"], "Hi all"), 409, "group_chat_blocked")

    uk = "+442071838750"
    abroad = inbound(api.admin, phone(), [MAIN, uk], "Visiting from London")
    assert abroad.status_code == 201, abroad.text
    chat = api.admin.get(f"/v1/group-chats/{abroad.json()['conversation_id']}").json()
    assert chat["status"] == "blocked"
    assert chat["blocked_reason"] == (
        f"{uk} is not a US or Canada number; group chats text only those."
    )
    assert_problem(send(api.admin, chat["id"], "Welcome"), 409, "group_chat_blocked")
    # A DND change elsewhere in it does not make it sendable when cleared again.
    contact_id = chat["participants"][0]["contact_id"]
    api.admin.post(f"/v1/contacts/{contact_id}/dnd", json={"dnd": True})
    api.admin.post(f"/v1/contacts/{contact_id}/dnd", json={"dnd": False})
    again = api.admin.get(f"/v1/group-chats/{chat['id']}").json()
    assert (again["status"], again["blocked_reason"]) == ("blocked", chat["blocked_reason"])


def test_dnd_blocks_the_chat_naming_who_until_no_participant_has_it(api: Api) -> None:
    people = _trio(api)
    chat = create_chat(api.admin, _main(api), people).json()
    first, second = people[0][0], people[1][0]
    _, cursor = sync_all(api.admin)
    api.admin.patch(f"/v1/contacts/{first['id']}", json={"dnd": True})
    api.admin.post(f"/v1/contacts/{second['id']}/dnd", json={"dnd": True})
    blocked = api.admin.get(f"/v1/group-chats/{chat['id']}").json()
    assert blocked["status"] == "blocked"
    assert blocked["blocked_reason"] == f"{first['name']}, {second['name']} have Do Not Disturb on"
    assert [p["tags"] for p in blocked["participants"]] == [["dnd"], ["dnd"], []]
    assert_problem(send(api.admin, chat["id"], "anyone?"), 409, "group_chat_blocked")
    assert messages(api.admin, chat["id"]) == []  # reading works; nothing was queued
    events, cursor = sync_all(api.admin, cursor)
    states = [e["data"]["status"] for e in events
              if e["type"] == "conversation.upserted" and e["data"]["id"] == chat["id"]]
    assert states == ["blocked", "blocked"]

    api.admin.patch(f"/v1/contacts/{first['id']}", json={"dnd": False})
    still = api.admin.get(f"/v1/group-chats/{chat['id']}").json()
    assert (still["status"], still["blocked_reason"]) == (
        "blocked", f"{second['name']} has Do Not Disturb on"
    )
    api.admin.post(f"/v1/contacts/{second['id']}/dnd", json={"dnd": False})
    assert api.admin.get(f"/v1/group-chats/{chat['id']}").json()["status"] == "active"
    assert send(api.admin, chat["id"], "back on").status_code == 201

    history = api.admin.get(f"/v1/contacts/{first['id']}/dnd-history").json()["items"]
    admin_id = api.admin.get("/v1/me").json()["id"]
    assert [(h["old_dnd"], h["new_dnd"], h["source"], h["user_id"], h["message_id"])
            for h in history] == [
        (True, False, "user", admin_id, None), (False, True, "user", admin_id, None),
    ]


def test_the_seeded_chats(api: Api) -> None:
    chats = {c["title"]: c for c in page_all(api.admin, "/v1/conversations", limit=500,
                                             kind="group_sms")}
    maple = chats["42 Maple Ave offer"]
    assert maple["status"] == "blocked"
    assert maple["blocked_reason"] == "Harper Lewis has Do Not Disturb on"
    harper = contact_named(api.admin, "Harper Lewis")
    history = api.admin.get(f"/v1/contacts/{harper['id']}/dnd-history").json()["items"]
    assert [h["source"] for h in history] == ["inbound_keyword"]
    stop = [m for m in messages(api.admin, maple["id"]) if m["id"] == history[0]["message_id"]]
    assert [m["body"] for m in stop] == ["STOP"]
    assert chats["Oak Street closing"]["status"] == "active"
    diego = {c["title"] for c in page_all(api.as_(USER_ASSIGNED), "/v1/conversations",
                                          limit=500, kind="group_sms")}
    # (Other tests add chats of Diego's own contacts: look at the seeded ones.)
    assert diego & {"Oak Street closing", "Johnson inspection", "42 Maple Ave offer"} == {
        "Johnson inspection"
    }


@pytest.mark.parametrize("count", [2, 9])
def test_the_bounds_are_allowed(api: Api, count: int) -> None:
    people = [(c, c["phones"][0]["number"])
              for c in (new_contact(api.admin, phone()) for _ in range(count))]
    response = create_chat(api.admin, _main(api), people)
    assert response.status_code == 201, response.text
    assert len(response.json()["participants"]) == count
    wait_for(lambda: response.json()["id"] in _group_ids(api))


def test_the_shared_flow_on_sqlite(api: Api) -> None:
    group_chat_fan_out_stop_and_start(api.admin, [phone(), phone(), phone()])
