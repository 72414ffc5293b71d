"""Audience groups through the real backend: the feed fills the cache (groups, members, sent
group messages), the pages' reads keep working with the backend stopped, an assigned-only user
holds only their own people, and create / rename / delete / add / remove go through the outbox,
refusals included."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import httpx
from alembic import command

from console.protocol.demo import DEMO_PASSWORD
from console.services.auth import AuthService, LoginResult
from console.services.group_reads import GroupRow, GroupState, MemberState, SentState
from console.services.types import SyncState
from console.services.workspace import Workspace
from console.store import local_writes
from console.store.cache import Cache
from console.store.coltypes import utcnow
from console.store.group_writes import NOT_CREATED_CODE
from console.store.migrate import alembic_config
from console.store.session_meta import read_cursor
from tests.support.backend_process import BackendProcess
from tests.sync.conftest import wait_for

OpenWs = Callable[..., Workspace]
DIEGO = "diego.agent@demo.example"  # the demo's assigned-only agent


def online(ws: Workspace) -> None:
    wait_for(lambda: ws.sync.status.state is SyncState.ONLINE, what="the first sync")


def drained(ws: Workspace) -> None:
    wait_for(lambda: ws.outbox.pending_count() == 0, timeout=15, what="the outbox to drain")


def contacts(http: httpx.Client) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = http.get("/v1/contacts", params={"limit": 500}).json()["items"]
    return items


def new_group(http: httpx.Client, name: str, people: list[dict[str, Any]]) -> str:
    made = http.post("/v1/groups", json={"name": name})
    assert made.status_code == 201, made.text
    group_id: str = made.json()["id"]
    for person in people:
        added = http.put(f"/v1/groups/{group_id}/members/{person['id']}")
        assert added.status_code == 201, added.text
    return group_id


def send(http: httpx.Client, group_id: str, title: str) -> dict[str, Any]:
    me = http.get("/v1/me").json()["id"]
    sent = http.post(
        "/v1/group-messages",
        json={"group_id": group_id, "sender_user_id": me, "title": title, "body": "See you"},
        headers={"Idempotency-Key": str(uuid.uuid4())},
    )
    assert sent.status_code == 201, sent.text
    answer: dict[str, Any] = sent.json()
    return answer


def test_groups_members_and_sent_messages_are_read_offline(
    fresh_backend: BackendProcess, session: LoginResult, open_ws: OpenWs,
    admin_http: httpx.Client,
) -> None:
    people = contacts(admin_http)[:3]
    name = f"Offline buyers {uuid.uuid4().hex[:6]}"
    group_id = new_group(admin_http, name, people)
    message = send(admin_http, group_id, "Open house Saturday")

    ws = open_ws(session)
    wait_for(lambda: ws.groups.sent_message(message["id"]) is not None
             and ws.groups.count_members(group_id) == 3, what="the group in the cache")
    ws.close()
    fresh_backend.stop()

    offline = open_ws(session, None)
    listed = {g.name: g for g in offline.groups.groups_page("", 0, 50)}
    assert listed[name].member_count == 3
    assert {"Spring buyers", "Landlords", "Open house RSVPs"} <= set(listed)  # the demo's
    assert listed["Spring buyers"].member_count == 9
    assert [g.name for g in offline.groups.groups_page(name[:12].upper(), 0, 50)] == [name]
    members = offline.groups.members_page(group_id, "", 0, 50)
    assert [m.contact_id for m in members] == [
        p["id"] for p in sorted(people, key=lambda p: (p["name"].casefold(), p["id"]))
    ]
    assert [m.name for m in offline.groups.members_page(group_id, people[0]["name"], 0, 50)] \
        == [people[0]["name"]]
    assert offline.groups.count_addable(group_id) == len(contacts_cached(offline)) - 3
    assert name in [p.group.name for p in offline.groups.groups_of_contact(people[1]["id"])]
    assert offline.groups.recipients_now(group_id).count == 3

    sent = offline.groups.sent_message(message["id"])
    assert sent is not None
    assert (sent.title, sent.group_name, sent.recipient_count, sent.state) == (
        "Open house Saturday", name, 3, SentState.SENT
    )
    titles = [m.title for m in offline.groups.sent_page("", 0, 10)]
    assert titles[0] == "Open house Saturday"
    assert "Spring open houses" in titles
    demo = next(m for m in offline.groups.sent_page("spring", 0, 10))
    assert demo.replied >= 1
    assert demo.recipient_count == 9  # the seed's replies

    # A write made offline shows at once and waits.
    offline.groups.add_member(group_id, contacts_cached(offline)[-1])
    assert offline.groups.count_members(group_id) == 4
    assert offline.sync.status.state is not SyncState.ONLINE


def contacts_cached(ws: Workspace) -> list[str]:
    return [c.id for c in ws.contacts.page("", 0, 10_000)]


def test_an_assigned_only_users_cache_holds_only_their_members(
    fresh_backend: BackendProcess, admin_http: httpx.Client, open_ws: OpenWs
) -> None:
    login = AuthService().login(fresh_backend.url, DIEGO, DEMO_PASSWORD)
    everyone = contacts(admin_http)
    theirs = [c for c in everyone if c["assigned_user_id"] == login.user.id][:2]
    others = [c for c in everyone if c["assigned_user_id"] != login.user.id][:2]
    assert len(theirs) == 2
    assert len(others) == 2
    group_id = new_group(admin_http, f"Mixed {uuid.uuid4().hex[:6]}", theirs + others)

    ws = open_ws(login)
    wait_for(lambda: (g := ws.groups.group(group_id)) is not None and g.member_count == 4
             and ws.groups.count_members(group_id) == 2, what="Diego's view of the group")
    shown = {m.contact_id for m in ws.groups.members_page(group_id, "", 0, 50)}
    assert shown == {c["id"] for c in theirs}
    with fresh_backend.client(login.token) as diego:
        served = diego.get(f"/v1/groups/{group_id}/members").json()["items"]
    assert {m["contact_id"] for m in served} == shown  # the same rule as the server's
    count = ws.groups.recipients_now(group_id)
    assert (count.count, count.cached_members, count.complete) == (4, 2, False)
    assert all(ws.groups.groups_of_contact(c["id"]) == [] for c in others)


def test_group_writes_go_through_the_outbox_and_reach_the_server(
    session: LoginResult, open_ws: OpenWs, admin_http: httpx.Client
) -> None:
    ws = open_ws(session)
    online(ws)
    people = contacts(admin_http)[:3]
    name = f"Outbox group {uuid.uuid4().hex[:6]}"

    made = ws.groups.create_group(name, "From the console")
    assert made.state is GroupState.CREATING
    assert made.id.startswith("local-group-")
    ws.groups.add_members(made.id, [p["id"] for p in people])
    queued = ws.groups.send_group_message(made.id, "First notice", "Welcome")
    assert queued.state == "pending"

    drained(ws)
    server_id = ws.groups.current_id(made.id)
    assert server_id != made.id
    on_server = admin_http.get(f"/v1/groups/{server_id}").json()
    assert (on_server["name"], on_server["member_count"]) == (name, 3)
    done = ws.groups.write(queued.key)
    assert done is not None
    result_id = done.result_id
    assert result_id
    sent = admin_http.get(f"/v1/group-messages/{result_id}").json()
    assert sent["recipient_count"] == 3  # the members went before the message
    # The outbox is drained when the server has answered; the cache has the server's side
    # once the feed brings it (the members' events may come a moment later).

    def with_its_members() -> GroupRow | None:
        found = ws.groups.group(server_id)
        return found if found is not None and found.member_count == 3 else None

    row = wait_for(with_its_members, what="the members in the cache")
    assert row.state is GroupState.NONE
    assert ws.groups.count_members(server_id) == 3
    cached = wait_for(lambda: ws.groups.sent_message(result_id), what="the sent message")
    assert cached.recipient_count == 3
    assert cached.group_name == name

    renamed = ws.groups.rename_group(server_id, name + " (renamed)")
    assert renamed.state is GroupState.SAVING
    removed = ws.groups.remove_member(server_id, people[0]["id"])
    assert {m.contact_id: m.state for m in ws.groups.members_page(server_id, "", 0, 10)}[
        people[0]["id"]] is MemberState.REMOVING
    drained(ws)
    assert ws.groups.write(removed.key) is not None
    on_server = admin_http.get(f"/v1/groups/{server_id}").json()
    assert (on_server["name"], on_server["member_count"]) == (name + " (renamed)", 2)
    wait_for(lambda: ws.groups.count_members(server_id) == 2, what="the removal in the cache")

    deleting = ws.groups.delete_group(server_id)
    assert deleting is not None
    assert deleting.state is GroupState.DELETING
    drained(ws)
    assert admin_http.get(f"/v1/groups/{server_id}").status_code == 404
    assert server_id not in {g.id for g in ws.groups.groups_page("", 0, 100)}
    # The sent message keeps its recipients and the name it went out under.
    kept = ws.groups.sent_message(result_id)
    assert kept is not None
    assert (kept.group_name, kept.recipient_count) == (name, 3)
    assert ws.outbox.failed() == []


def test_a_refused_create_lands_in_the_refused_list_with_what_waited_behind_it(
    session: LoginResult, open_ws: OpenWs, admin_http: httpx.Client
) -> None:
    name = f"Taken {uuid.uuid4().hex[:6]}"
    person = contacts(admin_http)[0]
    offline = open_ws(session, None)
    made = offline.groups.create_group(name)
    behind = offline.groups.add_member(made.id, person["id"])
    offline.close()
    # Meanwhile someone else takes the name on the server.
    assert admin_http.post("/v1/groups", json={"name": name}).status_code == 201

    ws = open_ws(session)
    wait_for(lambda: len(ws.outbox.failed()) == 2, what="both writes refused")
    failed = ws.outbox.failed()
    assert [(f.key, f.code) for f in failed] == [
        (made.pending_key, "conflict"), (behind.key, NOT_CREATED_CODE)
    ]
    assert (failed[0].kind, failed[0].subject) == ("create_group", name)
    assert "already a group" in failed[0].reason
    shown = ws.groups.group(made.id)
    assert shown is not None
    assert shown.state is GroupState.REFUSED
    assert shown.refusal
    ws.outbox.discard(made.pending_key or "")
    assert ws.groups.group(made.id) is None


def test_a_cache_upgraded_from_before_groups_refills_them_by_a_full_resync(
    session: LoginResult, open_ws: OpenWs, admin_http: httpx.Client
) -> None:
    ws = open_ws(session)
    wait_for(lambda: ws.groups.count_groups() >= 3, what="the demo's groups")
    ws.close()
    old = Cache.open(session.cache_path)
    with old.write() as conn:
        command.downgrade(alembic_config(conn), "0004")  # as a console of the release before
    old.close()

    ws = open_ws(session)  # migrates: the cursor is one no server knows
    wait_for(lambda: ws.groups.count_groups() >= 3 and ws.groups.count_sent() >= 1,
             what="groups back after the resync")
    check = Cache.open(session.cache_path)
    try:
        with check.read() as conn:
            cursor = read_cursor(conn).cursor
    finally:
        check.close()
    assert cursor
    assert "resync" not in cursor


def test_writes_with_a_created_groups_local_id_reach_the_server(
    session: LoginResult, open_ws: OpenWs, admin_http: httpx.Client
) -> None:
    """A picker or confirmation opened while the group was being created keeps its local id:
    what it queues after the create is done still goes to the server's group."""
    ws = open_ws(session)
    online(ws)
    people = contacts(admin_http)[:2]
    made = ws.groups.create_group(f"Late picker {uuid.uuid4().hex[:6]}")
    drained(ws)
    server_id = ws.groups.current_id(made.id)
    assert server_id != made.id

    ws.groups.add_members(made.id, [p["id"] for p in people])
    queued = ws.groups.send_group_message(made.id, "Late notice", "Welcome")
    drained(ws)
    assert ws.outbox.failed() == []
    assert admin_http.get(f"/v1/groups/{server_id}").json()["member_count"] == 2
    done = ws.groups.write(queued.key)
    assert done is not None
    result_id = done.result_id
    assert result_id
    sent = admin_http.get(f"/v1/group-messages/{result_id}").json()
    assert (sent["group_id"], sent["recipient_count"]) == (server_id, 2)

    # An item that still names the local id (queued by an older build, or failed and retried)
    # is sent to the server's id by the pusher.
    with ws._cache.write() as conn:
        local_writes.queue_group_member(
            conn, group_id=made.id, contact_id=people[0]["id"], add=False, now=utcnow()
        )
    ws.groups._wake_sync()
    drained(ws)
    assert ws.outbox.failed() == []
    assert admin_http.get(f"/v1/groups/{server_id}").json()["member_count"] == 1
