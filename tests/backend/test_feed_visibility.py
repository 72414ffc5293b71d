"""The change feed gives what a user may see *now* (API.md, Sync).

When a contact changes hands, the user who lost it is told to drop it and a full sync no longer
hands it out; the user who gained it gets its whole history, full sync or incremental. Group
messages reach an assigned-only user's feed only when they reached one of their contacts, and
colleagues appear by name only to non-admins. Checked against REST, over `/v1/sync` (full and
incremental) and `/v1/events`, for admin, all-data and assigned-only users.
"""

from __future__ import annotations

import itertools
import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from console.protocol.demo import DEMO_PASSWORD
from tests.backend.conftest import (
    ADMIN,
    PASSWORDS,
    USER_ALL,
    USER_ASSIGNED,
    Api,
    assert_problem,
    numbers_by_label,
    page_all,
    sync_all,
)
from tests.backend.feed_views import ConsoleCache, rest_view
from tests.backend.group_chat_support import PhonePool, create_chat, new_contact, send
from tests.backend.sse_client import open_stream

phone = PhonePool("301", "304", "307", "308", "309")
PASSWORD = "feed-visibility-pw"
_people = itertools.count()
DROPS = {"contact.deleted", "conversation.deleted", "group_message.deleted"}
BARE = {"id", "kind", "deleted", "out_of_sight"}


@dataclass
class Staff:
    id: str
    email: str
    token: str
    client: httpx.Client


def new_staff(api: Api, *, data_access: str) -> Staff:
    email = f"feed-{uuid.uuid4().hex[:8]}@demo.example"
    made = api.admin.post("/v1/users", json={
        "email": email, "name": f"Agent {next(_people)}", "password": PASSWORD,
        "role": "user", "data_access": data_access,
    })
    assert made.status_code == 201, made.text
    token = api.backend.login(email, PASSWORD)
    return Staff(made.json()["id"], email, token, api.backend.client(token))


@pytest.fixture
def pair(api: Api) -> Iterator[tuple[Staff, Staff]]:
    a, b = new_staff(api, data_access="assigned"), new_staff(api, data_access="assigned")
    yield a, b
    a.client.close()
    b.client.close()


def open_thread(api: Api, contact: dict[str, Any]) -> str:
    main = numbers_by_label(api.admin)["Main office"]["id"]
    made = api.admin.post("/v1/conversations", json={
        "kind": "direct", "contact_id": contact["id"], "phone": contact["phones"][0]["number"],
        "number_id": main,
    })
    assert made.status_code in (200, 201), made.text
    return str(made.json()["id"])


def new_group(api: Api, *members: dict[str, Any]) -> str:
    made = api.admin.post("/v1/groups", json={"name": f"Feed group {uuid.uuid4().hex[:8]}"})
    assert made.status_code == 201, made.text
    group_id = str(made.json()["id"])
    for member in members:
        added = api.admin.put(f"/v1/groups/{group_id}/members/{member['id']}")
        assert added.status_code in (200, 201), added.text
    return group_id


def send_group_message(api: Api, group_id: str, body: str) -> dict[str, Any]:
    me = api.me(ADMIN)["id"]
    sent = api.admin.post("/v1/group-messages", json={
        "group_id": group_id, "sender_user_id": me, "title": "Notice", "body": body,
    })
    assert sent.status_code == 201, sent.text
    result: dict[str, Any] = sent.json()
    return result


def mentions(events: list[dict[str, Any]], *needles: str) -> list[dict[str, Any]]:
    """Events whose JSON names any of `needles` (an id or a message body)."""
    return [e for e in events if any(n in json.dumps(e) for n in needles)]


def test_a_reassigned_contact_leaves_the_old_owners_feed_and_brings_its_history(
    api: Api, pair: tuple[Staff, Staff], tmp_path: Path
) -> None:
    a, b = pair
    person = new_contact(api.admin, phone(), assigned_user_id=a.id)
    thread = open_thread(api, person)
    before = f"before the move {uuid.uuid4().hex[:6]}"
    assert send(api.admin, thread, before).status_code == 201
    group = new_group(api, person)
    notice = send_group_message(api, group, f"group notice {uuid.uuid4().hex[:6]}")
    in_app = api.admin.get(f"/v1/group-messages/{notice['id']}")
    assert in_app.status_code == 200
    caches = {who.email: ConsoleCache(tmp_path, who.client) for who in (a, b)}
    for cache in caches.values():
        cache.sync()
    assert person["id"] in caches[a.email].visible().contacts
    _, cursor_a = sync_all(a.client)
    _, cursor_b = sync_all(b.client)

    moved = api.admin.patch(f"/v1/contacts/{person['id']}", json={"assigned_user_id": b.id})
    assert moved.status_code == 200, moved.text
    after = f"after the move {uuid.uuid4().hex[:6]}"
    assert send(api.admin, thread, after).status_code == 201

    # A: REST refuses; a full sync names nothing of the person; the increment drops it all.
    assert a.client.get(f"/v1/contacts/{person['id']}").status_code == 404
    assert a.client.get(f"/v1/conversations/{thread}/messages").status_code == 404
    full_a, _ = sync_all(a.client)
    assert mentions(full_a, before, after, person["name"], person["phones"][0]["number"]) == []
    # Only the notices that made A's console drop it name it, by id alone.
    for event in mentions(full_a, person["id"], thread, notice["id"]):
        assert event["type"] in DROPS, event
        assert set(event["data"]) <= BARE, event
    increment_a, _ = sync_all(a.client, cursor_a)
    assert mentions(increment_a, before, after, person["name"]) == []
    dropped = {(e["type"], e["data"]["id"]) for e in increment_a}
    assert ("conversation.deleted", thread) in dropped
    assert ("contact.deleted", person["id"]) in dropped
    assert ("group_message.deleted", notice["id"]) in dropped
    caches[a.email].sync()
    assert caches[a.email].visible() == rest_view(a.client)
    assert person["id"] not in caches[a.email].held().contacts

    # B: everything, from a full sync and from the increment alike.
    full_b, _ = sync_all(b.client)
    increment_b, _ = sync_all(b.client, cursor_b)
    for events in (full_b, increment_b):
        bodies = {e["data"].get("body") for e in events if e["type"] == "message.upserted"}
        assert {before, after, notice["body"]} <= bodies
        assert notice["id"] in {e["data"]["id"] for e in events
                                if e["type"] == "group_message.upserted"}
        assert thread in {e["data"]["id"] for e in events
                          if e["type"] == "conversation.upserted"}
    caches[b.email].sync()
    assert caches[b.email].visible() == rest_view(b.client)
    assert caches[b.email].held() == _fresh(tmp_path, b.client).held()
    assert caches[a.email].held() == _fresh(tmp_path, a.client).held()

    # The live stream from A's old cursor says the same as the incremental sync.
    synced, head = sync_all(a.client, cursor_a)
    streamed = stream_until(api, a.token, cursor_a, head)
    assert [e["seq"] for e in streamed] == [e["seq"] for e in synced]
    assert mentions(streamed, before, after, person["name"]) == []

    # Admin and all-data users keep seeing it all, as REST shows.
    for email in (ADMIN, USER_ALL):
        client = api.as_(email)
        full, _ = sync_all(client)
        assert {before, after} <= {e["data"].get("body") for e in full}
        assert client.get(f"/v1/contacts/{person['id']}").status_code == 200
        assert not [e for e in full if e["type"] in ("contact.deleted", "conversation.deleted")
                    and e["data"]["id"] in (person["id"], thread)]


def test_moving_back_and_forth_leaves_no_stale_personal_history(
    api: Api, pair: tuple[Staff, Staff], tmp_path: Path
) -> None:
    a, b = pair
    person = new_contact(api.admin, phone(), assigned_user_id=a.id)
    thread = open_thread(api, person)
    said = f"first words {uuid.uuid4().hex[:6]}"
    assert send(api.admin, thread, said).status_code == 201
    caches = {who.email: ConsoleCache(tmp_path, who.client) for who in (a, b)}
    for owner in (b.id, a.id, None, b.id):
        patched = api.admin.patch(f"/v1/contacts/{person['id']}",
                                  json={"assigned_user_id": owner})
        assert patched.status_code == 200, patched.text
        for who in (a, b):
            caches[who.email].sync()
            assert caches[who.email].visible() == rest_view(who.client)
    full_a, _ = sync_all(a.client)
    assert mentions(full_a, said, person["name"]) == []
    for who in (a, b):
        assert caches[who.email].held() == _fresh(tmp_path, who.client).held()


def test_a_group_chat_leaves_its_owner_when_one_participant_moves(
    api: Api, pair: tuple[Staff, Staff], tmp_path: Path
) -> None:
    a, b = pair
    people = [new_contact(api.admin, phone(), assigned_user_id=a.id) for _ in range(2)]
    line = numbers_by_label(api.admin)["Main office"]["id"]
    chat = create_chat(api.admin, line, [(p, p["phones"][0]["number"]) for p in people])
    assert chat.status_code == 201, chat.text
    chat_id = chat.json()["id"]
    said = f"to both {uuid.uuid4().hex[:6]}"
    assert send(api.admin, chat_id, said).status_code == 201
    caches = {who.email: ConsoleCache(tmp_path, who.client) for who in (a, b)}
    for cache in caches.values():
        cache.sync()
    assert chat_id in caches[a.email].visible().conversations
    for step, owner in enumerate((b.id, b.id, a.id)):
        moved = api.admin.patch(f"/v1/contacts/{people[step % 2]['id']}",
                                json={"assigned_user_id": owner})
        assert moved.status_code == 200, moved.text
        for who in (a, b):
            caches[who.email].sync()
            assert caches[who.email].visible() == rest_view(who.client), (step, who.email)
            assert caches[who.email].held() == _fresh(tmp_path, who.client).held()
    # Both participants went to B and then one came back to A: nobody but staff with all data.
    for who in (a, b):
        assert chat_id not in caches[who.email].visible().conversations
        assert mentions(sync_all(who.client)[0], said) == []


def test_assigned_only_users_get_only_group_messages_that_reached_their_contacts(
    api: Api, pair: tuple[Staff, Staff]
) -> None:
    a, _ = pair
    theirs = new_contact(api.admin, phone(), assigned_user_id=a.id)
    other = new_contact(api.admin, phone())
    reached = send_group_message(api, new_group(api, theirs, other), f"to yours {uuid.uuid4()}")
    missed = send_group_message(api, new_group(api, other), f"not to yours {uuid.uuid4()}")
    full_a, cursor = sync_all(a.client)
    ids = {e["data"]["id"] for e in full_a if e["type"] == "group_message.upserted"}
    assert reached["id"] in ids
    assert mentions(full_a, missed["id"], missed["body"]) == []
    # The stream filters the same way.
    streamed = stream_until(api, a.token, None, cursor)
    assert mentions(streamed, missed["id"], missed["body"]) == []
    assert reached["id"] in {e["data"]["id"] for e in streamed
                             if e["type"] == "group_message.upserted"}
    # REST agrees: the list and the message itself.
    listed = {m["id"] for m in page_all(a.client, "/v1/group-messages", limit=500)}
    assert reached["id"] in listed
    assert missed["id"] not in listed
    assert a.client.get(f"/v1/group-messages/{reached['id']}").status_code == 200
    assert_problem(a.client.get(f"/v1/group-messages/{missed['id']}"), 404, "not_found")
    assert_problem(a.client.post(f"/v1/group-messages/{missed['id']}/cancel"), 404, "not_found")
    for email in (ADMIN, USER_ALL):
        full, _ = sync_all(api.as_(email))
        got = {e["data"]["id"] for e in full if e["type"] == "group_message.upserted"}
        assert {reached["id"], missed["id"]} <= got
        listed = {m["id"] for m in page_all(api.as_(email), "/v1/group-messages", limit=500)}
        assert {reached["id"], missed["id"]} <= listed


def test_non_admins_see_colleagues_by_name_only(api: Api, pair: tuple[Staff, Staff]) -> None:
    a, _ = pair
    staff = {u["id"]: u for u in api.admin.get("/v1/users", params={"limit": 500}).json()["items"]}
    emails = {u["email"] for u in staff.values()}
    for email in (USER_ASSIGNED, USER_ALL):
        client = api.as_(email)
        me = api.me(email)
        assert client.get("/v1/users").status_code == 403
        full, cursor = sync_all(client)
        seen = [e["data"] for e in full if e["type"] == "user.upserted"]
        assert seen, "colleagues' names still travel"
        for user in seen:
            if user["id"] == me["id"]:
                assert user["email"] == me["email"]  # their own account, as GET /v1/me
                continue
            assert set(user) == {"id", "name"}, user
        # Older events carry older names (other tests rename staff); the last one is current.
        latest = {user["id"]: user["name"] for user in seen}
        assert all(latest[i] == staff[i]["name"] for i in latest if i != me["id"])
        others = [e for e in full if e["type"] == "user.upserted" and e["data"]["id"] != me["id"]]
        assert not [e for e in others if any(m in json.dumps(e) for m in emails)]
        token = api.backend.login(email, PASSWORDS.get(email, DEMO_PASSWORD))
        streamed = [e["data"] for e in stream_until(api, token, None, cursor)
                    if e["type"] == "user.upserted"]
        assert [u for u in streamed if u["id"] != me["id"] and set(u) != {"id", "name"}] == []
    full_admin, _ = sync_all(api.admin)
    admin_seen = {e["data"]["id"]: e["data"] for e in full_admin if e["type"] == "user.upserted"}
    assert admin_seen[a.id]["email"] == a.email
    assert admin_seen[a.id]["role"] == "user"


def _fresh(directory: Path, client: httpx.Client) -> ConsoleCache:
    cache = ConsoleCache(directory, client)
    cache.sync()
    return cache


def _seq(cursor: str) -> int:
    return int(cursor.rpartition(".")[2])


def stream_until(api: Api, token: str, since: str | None, head: str) -> list[dict[str, Any]]:
    """The `/v1/events` events from `since` up to the cursor `head` (later ones left out)."""
    with open_stream(api.backend.url, token, since=since) as stream:
        stream.wait_until(
            lambda s: any(i.id is not None and _seq(i.id) >= _seq(head) for i in s.items),
            timeout=15,
        )
        events = [item.json() for item in stream.events]
    return [e for e in events if e["seq"] <= _seq(head)]


def test_a_change_of_access_refuses_older_cursors_so_the_console_resyncs(api: Api) -> None:
    """From all data to assigned only, the console holds people it may no longer see; the other
    way it lacks their history. Either way its cursor is refused (410) and it starts over."""
    who = new_staff(api, data_access="all")
    try:
        elsewhere = new_contact(api.admin, phone(), name=f"Elsewhere {uuid.uuid4().hex[:6]}")
        _, cursor = sync_all(who.client)
        with open_stream(api.backend.url, who.token, since=cursor) as stream:
            stream.wait_until(lambda s: s.status == 200)
            changed = api.admin.patch(f"/v1/users/{who.id}", json={"data_access": "assigned"})
            assert changed.status_code == 200, changed.text
            stream.wait_ended(timeout=15)  # ends: the resume below is refused
        assert_problem(who.client.get("/v1/sync", params={"since": cursor}), 410,
                       "cursor_invalid")
        with open_stream(api.backend.url, who.token, since=cursor) as refused:
            refused.wait_ended()
            assert refused.status == 410
        events, fresh = _sync_in_small_pages(who.client)  # a resync reads many pages
        assert mentions(events, elsewhere["id"], elsewhere["name"]) == []
        assert sync_all(who.client, fresh)[0] == []  # the new cursor is good
        streamed = stream_until(api, who.token, None, fresh)
        assert [e["seq"] for e in streamed] == [e["seq"] for e in events]
        # Back to all data: refused again, and the fresh full sync has the person.
        assert api.admin.patch(f"/v1/users/{who.id}", json={"data_access": "all"}
                               ).status_code == 200
        assert_problem(who.client.get("/v1/sync", params={"since": fresh}), 410,
                       "cursor_invalid")
        assert mentions(_sync_in_small_pages(who.client)[0], elsewhere["id"])
        # A name change keeps the cursor.
        _, kept = sync_all(who.client)
        assert api.admin.patch(f"/v1/users/{who.id}", json={"name": "Renamed"}).status_code == 200
        assert who.client.get("/v1/sync", params={"since": kept}).status_code == 200
    finally:
        who.client.close()


def _sync_in_small_pages(client: httpx.Client) -> tuple[list[dict[str, Any]], str]:
    """A full sync 50 events a page: the cursors handed out on the way must all be good."""
    events: list[dict[str, Any]] = []
    since: str | None = None
    while True:
        page = client.get("/v1/sync", params={"limit": 50, **({"since": since} if since else {})})
        assert page.status_code == 200, page.text
        events += page.json()["events"]
        since = page.json()["next"]
        if not page.json()["has_more"]:
            assert since is not None
            return events, since


def test_wider_access_replays_no_old_drop_notices(
    api: Api, pair: tuple[Staff, Staff], tmp_path: Path
) -> None:
    """A lost sight of a thread (a "drop this" notice for A alone), then got all data: the full
    resync must bring the thread and its messages, not replay the notice that deletes them."""
    a, b = pair
    person = new_contact(api.admin, phone(), assigned_user_id=a.id)
    thread = open_thread(api, person)
    said = f"said to A's person {uuid.uuid4().hex[:6]}"
    assert send(api.admin, thread, said).status_code == 201
    moved = api.admin.patch(f"/v1/contacts/{person['id']}", json={"assigned_user_id": b.id})
    assert moved.status_code == 200, moved.text
    dropped = {(e["type"], e["data"]["id"]) for e in sync_all(a.client)[0]}
    assert ("conversation.deleted", thread) in dropped  # A was told to drop it

    widened = api.admin.patch(f"/v1/users/{a.id}", json={"data_access": "all"})
    assert widened.status_code == 200, widened.text

    console = _fresh(tmp_path, a.client)
    try:
        shown = console.visible({person["id"]})
        assert thread in shown.conversations
        assert said in {body for _, body in shown.messages.values()}
        assert shown == rest_view(a.client, {person["id"]})
    finally:
        console.close()
