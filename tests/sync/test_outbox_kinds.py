"""Every write kind through the outbox against the real backend: shown at once, sent once."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Any

import httpx

from console.services.auth import LoginResult
from console.services.types import SyncState
from console.services.workspace import Workspace
from tests.sync.conftest import wait_for

OpenWs = Callable[..., Workspace]


def online(ws: Workspace) -> None:
    wait_for(lambda: ws.sync.status.state is SyncState.ONLINE, what="the first sync")


def drained(ws: Workspace) -> None:
    wait_for(lambda: ws.outbox.pending_count() == 0, timeout=15, what="the outbox to drain")


def group_chat_people(http: httpx.Client) -> tuple[str, list[dict[str, Any]]]:
    """A business number we may send from and two contacts a group chat may have."""
    numbers = http.get("/v1/numbers").json()["items"]
    number = next(n for n in numbers if n["can_send"] and n["e164"].startswith("+1"))
    people = [
        c
        for c in http.get("/v1/contacts", params={"limit": 500}).json()["items"]
        if not c["dnd"] and c["phones"] and c["phones"][0]["number"].startswith("+1")
    ]
    return number["id"], people[:2]


def test_contact_edit_shows_at_once_and_reaches_the_server(
    session: LoginResult, open_ws: OpenWs, admin_http: httpx.Client
) -> None:
    ws = open_ws(session)
    online(ws)
    target = next(
        c
        for c in admin_http.get("/v1/contacts", params={"limit": 500}).json()["items"]
        if not c["dnd"]
    )
    new_name = f"Renamed {uuid.uuid4().hex[:6]}"
    shown = ws.contacts.edit(
        target["id"], name=new_name, phones=[("(415) 555-0188", "primary")], dnd=True
    )
    assert (shown.name, shown.dnd, shown.pending) == (new_name, True, True)
    assert [p.number for p in shown.phones] == ["+14155550188"]

    def on_server() -> bool:
        data = admin_http.get(f"/v1/contacts/{target['id']}").json()
        return bool(data["name"] == new_name and data["dnd"])

    wait_for(on_server, what="the edit on the server")
    drained(ws)
    final = ws.contacts.contact(target["id"])
    assert final is not None
    assert (final.name, final.dnd, final.pending) == (new_name, True, False)
    assert [p.number for p in final.phones] == ["+14155550188"]


def test_group_chat_is_usable_at_once_and_created_once_with_its_first_message(
    session: LoginResult, open_ws: OpenWs, admin_http: httpx.Client
) -> None:
    ws = open_ws(session)
    online(ws)
    number_id, people = group_chat_people(admin_http)
    row = ws.group_chats.create(number_id, [(p["id"], p["phones"][0]["number"]) for p in people])
    assert row.id.startswith("local-")
    assert row.kind == "group_sms"
    assert ws.conversations.list_conversations()[0].id == row.id
    body = f"Welcome both {uuid.uuid4().hex[:6]}"
    sent = ws.conversations.send(row.id, body)
    assert sent.status == "pending"

    def created() -> str | None:
        chats = admin_http.get(
            "/v1/conversations", params={"kind": "group_sms", "limit": 500}
        ).json()["items"]
        for chat in chats:
            items = admin_http.get(f"/v1/conversations/{chat['id']}/messages").json()["items"]
            if any(m["body"] == body for m in items):
                return str(chat["id"])
        return None

    server_id = wait_for(created, what="the chat and its message on the server")
    drained(ws)
    copies = [
        m
        for m in admin_http.get(f"/v1/conversations/{server_id}/messages").json()["items"]
        if m["body"] == body
    ]
    assert len(copies) == 1
    assert ws.conversations.conversation(row.id) is None  # the local id is gone ...
    (local,) = [m for m in ws.conversations.messages(server_id) if m.body == body]
    assert local.key == sent.key
    assert local.server_id == copies[0]["id"]  # ... moved, in place


def test_membership_edit_then_group_message_go_out_in_that_order(
    session: LoginResult, open_ws: OpenWs, admin_http: httpx.Client
) -> None:
    ws = open_ws(session)
    online(ws)
    group = admin_http.post("/v1/groups", json={"name": f"Buyers {uuid.uuid4().hex[:6]}"})
    assert group.status_code == 201, group.text
    group_id = group.json()["id"]
    person = admin_http.get("/v1/contacts", params={"limit": 1}).json()["items"][0]

    added = ws.groups.add_member(group_id, person["id"])
    message = ws.groups.send_group_message(group_id, "Open house", "Saturday 2pm")
    assert (added.state, message.state) == ("pending", "pending")
    assert [w.key for w in ws.groups.pending(group_id)] == [added.key, message.key]

    drained(ws)
    done = ws.groups.write(message.key)
    assert done is not None
    assert done.state == "done"
    assert done.result_id
    sent = admin_http.get(f"/v1/group-messages/{done.result_id}").json()
    # The member added just before was a member when it went out.
    assert sent["recipient_count"] == 1
    members = admin_http.get(f"/v1/groups/{group_id}/members").json()["items"]
    assert [m["contact_id"] for m in members] == [person["id"]]
    listed = admin_http.get("/v1/group-messages", params={"limit": 500}).json()["items"]
    assert len([m for m in listed if m["id"] == done.result_id]) == 1

    ws.groups.remove_member(group_id, person["id"])
    drained(ws)
    assert admin_http.get(f"/v1/groups/{group_id}/members").json()["items"] == []


def test_a_refused_write_keeps_the_server_reason_until_retried_or_discarded(
    session: LoginResult, open_ws: OpenWs, admin_http: httpx.Client
) -> None:
    ws = open_ws(session)
    online(ws)
    missing = ws.groups.add_member("grp_does_not_exist", "cnt_nobody")
    drained(ws)
    (failed,) = ws.outbox.failed()
    assert (failed.key, failed.code) == (missing.key, "not_found")
    assert failed.reason
    assert (failed.kind, failed.subject) == ("group_member_add", "")  # it names nothing
    ws.outbox.discard(missing.key)
    assert ws.outbox.failed() == []
    assert ws.groups.write(missing.key) is None



def test_mark_unread_reaches_the_server_and_a_later_read_wins(
    session: LoginResult, open_ws: OpenWs, admin_http: httpx.Client
) -> None:
    first = open_ws(session)
    online(first)
    read = next(
        c for c in admin_http.get("/v1/conversations", params={"limit": 100}).json()["items"]
        if c["unread_count"] == 0 and c["kind"] == "direct"
    )
    path = f"/v1/conversations/{read['id']}"
    first.close()

    # Offline (not started): the mark shows at once and waits in the conversation's lane.
    ws = open_ws(session, start=False)
    assert ws.conversations.mark_unread(read["id"])
    assert not ws.conversations.mark_unread(read["id"])  # unread already: nothing more
    shown = ws.conversations.conversation(read["id"])
    assert shown is not None
    assert shown.unread_count == 1
    ws.start()
    online(ws)
    drained(ws)
    assert admin_http.get(path).json()["unread_count"] == 1
    # The feed's copy (conversation.upserted, the server's count) keeps it unread.
    ws.sync.sync_now()
    time.sleep(0.5)
    row = ws.conversations.conversation(read["id"])
    assert row is not None
    assert row.unread_count == 1
    ws.close()

    # Read, unread, read again before any is sent: they go out in that order, the last wins.
    again = open_ws(session, start=False)
    again.conversations.mark_read(read["id"])
    assert again.conversations.mark_unread(read["id"])
    again.conversations.mark_read(read["id"])
    row = again.conversations.conversation(read["id"])
    assert row is not None
    assert row.unread_count == 0
    again.start()
    online(again)
    drained(again)
    assert admin_http.get(path).json()["unread_count"] == 0
