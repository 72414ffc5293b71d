"""Who sees and uses what: admin, user with all data, user with assigned data only.

Every list, every GET by id and the change feed agree: an assigned-only user sees their
contacts, the conversations with them, and the group chats whose contacts are all theirs;
404 for anything else; never an event about it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

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
from tests.backend.group_chat_support import (
    PhonePool,
    create_chat,
    inbound,
    new_contact,
    send,
)

phone = PhonePool("240", "248", "251")
MAIN = "+14155550100"
EVERYONE = (ADMIN, USER_ALL, USER_ASSIGNED)


@dataclass
class World:
    """Data made for these tests: Diego's own chat, a mixed chat, and their contacts."""

    diego_id: str
    mine: list[dict[str, Any]]  # contacts assigned to Diego
    others: list[dict[str, Any]]  # unassigned contacts
    diego_chat: dict[str, Any]  # all contacts Diego's
    mixed_chat: dict[str, Any]  # one of Diego's contacts, one not
    other_thread: str  # a 1:1 thread with an unassigned contact


@pytest.fixture(scope="module")
def world(api: Api) -> World:
    diego_id = api.me(USER_ASSIGNED)["id"]
    mine = [new_contact(api.admin, phone(), assigned_user_id=diego_id) for _ in range(3)]
    others = [new_contact(api.admin, phone()) for _ in range(2)]
    line = numbers_by_label(api.admin)["Diego's line"]["id"]
    pick = [(c, c["phones"][0]["number"]) for c in mine]
    made = create_chat(api.as_(USER_ASSIGNED), line, pick[:2])
    assert made.status_code == 201, made.text
    mixed = create_chat(api.admin, line, [pick[2], (others[0], others[0]["phones"][0]["number"])])
    assert mixed.status_code == 201, mixed.text
    thread = inbound(api.admin, others[1]["phones"][0]["number"], [MAIN], "hello").json()
    # Messages in both chats, and a suspected opt-out in the mixed one.
    assert send(api.as_(USER_ASSIGNED), made.json()["id"], "Hi both").status_code == 201
    inbound(api.admin, others[0]["phones"][0]["number"],
            [MAIN.replace("0100", "0101"), mine[2]["phones"][0]["number"]],
            "please stop texting me")
    return World(diego_id, mine, others, made.json(), mixed.json(), thread["conversation_id"])


def _ids(client: Any, path: str, **params: Any) -> set[str]:
    return {item["id"] for item in page_all(client, path, limit=500, **params)}


def test_numbers_report_can_send_per_caller(api: Api) -> None:
    expected = {
        ADMIN: {"Main office": True, "Diego's line": True, "Listings hotline": True},
        USER_ALL: {"Main office": True, "Diego's line": False, "Listings hotline": True},
        USER_ASSIGNED: {"Main office": True, "Diego's line": True, "Listings hotline": True},
    }
    for who in EVERYONE:
        numbers = numbers_by_label(api.as_(who))
        assert {label: numbers[label]["can_send"] for label in expected[who]} == expected[who]
        diego_line = numbers["Diego's line"]["id"]
        assert api.as_(who).get(f"/v1/numbers/{diego_line}").json()["can_send"] is (
            expected[who]["Diego's line"]
        )


def test_the_access_matrix_over_lists_and_get_by_id(api: Api, world: World) -> None:
    mine = {c["id"] for c in world.mine}
    others = {c["id"] for c in world.others}
    chats = {world.diego_chat["id"], world.mixed_chat["id"]}
    for who in EVERYONE:
        client = api.as_(who)
        contacts = _ids(client, "/v1/contacts")
        conversations = _ids(client, "/v1/conversations")
        groups = _ids(client, "/v1/conversations", kind="group_sms")
        if who == USER_ASSIGNED:
            assert mine <= contacts
            assert not contacts & others
            assert all(c["assigned_user_id"] == world.diego_id
                       for c in page_all(client, "/v1/contacts", limit=500))
            assert chats & conversations == {world.diego_chat["id"]}
            assert world.other_thread not in conversations
            assert chats & groups == {world.diego_chat["id"]}
            hidden_contacts, hidden_chats = others, {world.mixed_chat["id"], world.other_thread}
        else:
            assert mine | others <= contacts
            assert chats | {world.other_thread} <= conversations
            assert chats <= groups
            hidden_contacts, hidden_chats = set(), set()
        for contact_id in mine | others:
            for path in (f"/v1/contacts/{contact_id}", f"/v1/contacts/{contact_id}/dnd-history"):
                response = client.get(path)
                if contact_id in hidden_contacts:
                    assert_problem(response, 404, "not_found")
                else:
                    assert response.status_code == 200, (who, path, response.text)
        for conversation_id in chats | {world.other_thread}:
            paths = [f"/v1/conversations/{conversation_id}",
                     f"/v1/conversations/{conversation_id}/messages"]
            if conversation_id in chats:
                paths.append(f"/v1/group-chats/{conversation_id}")
            for path in paths:
                response = client.get(path)
                if conversation_id in hidden_chats:
                    assert_problem(response, 404, "not_found")
                else:
                    assert response.status_code == 200, (who, path, response.text)
        # Changing or sending in what one cannot see: 404 as well, never a hint.
        if who == USER_ASSIGNED:
            mixed = world.mixed_chat["id"]
            assert_problem(send(client, mixed, "hi"), 404, "not_found")
            assert_problem(client.patch(f"/v1/group-chats/{mixed}", json={}), 404, "not_found")
            assert_problem(client.post(f"/v1/conversations/{mixed}/opt-out/dismiss"), 404,
                           "not_found")
            assert_problem(client.patch(f"/v1/contacts/{world.others[0]['id']}",
                                        json={"dnd": True}), 404, "not_found")


def test_assigned_only_users_create_chats_only_with_their_contacts(
    api: Api, world: World
) -> None:
    diego = api.as_(USER_ASSIGNED)
    line = numbers_by_label(diego)["Diego's line"]["id"]
    own = new_contact(api.admin, phone(), assigned_user_id=world.diego_id)
    foreign = world.others[1]
    response = create_chat(diego, line, [(own, own["phones"][0]["number"]),
                                         (foreign, foreign["phones"][0]["number"])])
    body = assert_problem(response, 403, "contact_not_assigned")
    assert body["errors"][0]["contact_id"] == foreign["id"]
    assert world.others[1]["name"] not in body["detail"]  # no hint about someone else's contact
    # A user with all data may, from a number they can send from.
    priya = api.as_(USER_ALL)
    main = numbers_by_label(priya)["Main office"]["id"]
    ok = create_chat(priya, main, [(own, own["phones"][0]["number"]),
                                   (foreign, foreign["phones"][0]["number"])])
    assert ok.status_code == 201, ok.text


def _visible_events(api: Api, who: str) -> list[dict[str, Any]]:
    events, _ = sync_all(api.as_(who))
    return events


def test_the_feed_follows_the_same_rules(api: Api, world: World) -> None:
    diego_events = _visible_events(api, USER_ASSIGNED)
    visible_conversations = _ids(api.as_(USER_ASSIGNED), "/v1/conversations")
    hidden = {world.mixed_chat["id"], world.other_thread}
    mine = _ids(api.as_(USER_ASSIGNED), "/v1/contacts")
    # Contacts of his deleted since (by other tests on this shared backend): their earlier
    # events stay in his feed, followed by the tombstone.
    deleted = {e["data"]["id"] for e in diego_events if e["type"] == "contact.deleted"}
    for event in diego_events:
        data = event["data"]
        if event["type"].startswith("contact."):
            # His now (its history too, whoever had it then), or a tombstone.
            assert data["id"] in mine | deleted or data.get("deleted"), event
        if event["type"] == "conversation.upserted":
            assert data["id"] not in hidden, event
        if event["type"] == "message.upserted":
            assert data["conversation_id"] not in hidden, event
        if event["type"] == "opt_out_suspected":
            assert data["conversation_id"] in visible_conversations, event
    seen = {e["data"]["id"] for e in diego_events if e["type"] == "conversation.upserted"}
    assert world.diego_chat["id"] in seen
    for who in (ADMIN, USER_ALL):
        events = _visible_events(api, who)
        types = {(e["type"], e["data"].get("conversation_id") or e["data"].get("id"))
                 for e in events}
        assert ("conversation.upserted", world.mixed_chat["id"]) in types
        assert ("opt_out_suspected", world.mixed_chat["id"]) in types


def _about(event: dict[str, Any], ids: set[str]) -> bool:
    """The event is about one of these contacts or conversations, or a message in one."""
    data = event["data"]
    return data["id"] in ids or data.get("conversation_id") in ids


def test_reassignment_takes_a_chat_out_of_sight_and_out_of_the_feed(api: Api) -> None:
    diego = api.as_(USER_ASSIGNED)
    diego_id = api.me(USER_ASSIGNED)["id"]
    people = [new_contact(api.admin, phone(), assigned_user_id=diego_id) for _ in range(2)]
    line = numbers_by_label(diego)["Diego's line"]["id"]
    chat = create_chat(diego, line, [(c, c["phones"][0]["number"]) for c in people]).json()
    _, diego_cursor = sync_all(diego)
    _, admin_cursor = sync_all(api.admin)
    moved = api.admin.patch(f"/v1/contacts/{people[1]['id']}", json={"assigned_user_id": None})
    assert moved.status_code == 200, moved.text
    assert send(api.admin, chat["id"], "Diego is off this one").status_code == 201
    inbound(api.admin, people[0]["phones"][0]["number"],
            ["+14155550101", people[1]["phones"][0]["number"]], "ok")
    events, _ = sync_all(diego, diego_cursor)
    ours = {chat["id"], *(p["id"] for p in people)}
    assert [(e["type"], e["data"]["id"]) for e in events if _about(e, ours)] == [
        ("contact.deleted", people[1]["id"]), ("conversation.deleted", chat["id"]),
    ]
    # Anything else in the window is Diego's own business: the carrier's status steps of
    # messages sent earlier in his chats (the shared backend's other tests) may land in it.
    for event in events:
        if not _about(event, ours):
            assert event["type"] == "message.upserted", event
            seen = diego.get(f"/v1/conversations/{event['data']['conversation_id']}")
            assert seen.status_code == 200, event
    assert_problem(diego.get(f"/v1/group-chats/{chat['id']}"), 404, "not_found")
    # Admins keep seeing it, and never get the notice meant for Diego.
    admin_events, _ = sync_all(api.admin, admin_cursor)
    assert "conversation.deleted" not in {e["type"] for e in admin_events}
    assert "contact.deleted" not in {e["type"] for e in admin_events}
    assert any(e["type"] == "message.upserted" and e["data"]["conversation_id"] == chat["id"]
               for e in admin_events)
    # Given back: Diego hears of the chat again.
    _, diego_cursor = sync_all(diego)
    api.admin.patch(f"/v1/contacts/{people[1]['id']}", json={"assigned_user_id": diego_id})
    events, _ = sync_all(diego, diego_cursor)
    assert ("conversation.upserted", chat["id"]) in {(e["type"], e["data"]["id"])
                                                     for e in events}
    assert diego.get(f"/v1/group-chats/{chat['id']}").status_code == 200
