"""Scheduled sends through the real backend: shown at once, sent to the server through the
outbox, edited and cancelled in their lane (folded into the create while it has not left this
machine), sent by the server at their time into the cached conversation, and a failure at
that time told once."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from console.domain.errors import DomainError
from console.domain.scheduled import ScheduledItem, ScheduledStatus
from console.services.auth import LoginResult
from console.services.scheduled import ScheduleProblem
from console.services.types import SyncState
from console.services.workspace import Workspace
from console.store import outbox as ob
from console.store.scheduled_writes import is_local_scheduled
from tests.sync.conftest import wait_for

OpenWs = Callable[..., Workspace]


def online(ws: Workspace) -> None:
    wait_for(lambda: ws.sync.status.state is SyncState.ONLINE, what="the first sync")


def drained(ws: Workspace) -> None:
    wait_for(lambda: ws.outbox.pending_count() == 0, timeout=15, what="the outbox to drain")


def business(http: httpx.Client) -> dict[str, Any]:
    numbers: list[dict[str, Any]] = http.get("/v1/numbers").json()["items"]
    return next(n for n in numbers if n["label"] == "Main office")


def new_person(http: httpx.Client, name: str) -> tuple[str, str]:
    phone = f"+1803555{uuid.uuid4().int % 10_000:04d}"
    made = http.post("/v1/contacts", json={"name": name, "phones": [{"number": phone}]})
    assert made.status_code == 201, made.text
    return made.json()["id"], phone


def direct_thread(http: httpx.Client, name: str) -> str:
    contact_id, phone = new_person(http, name)
    opened = http.post("/v1/conversations", json={
        "kind": "direct", "contact_id": contact_id, "phone": phone,
        "number_id": business(http)["id"]})
    assert opened.status_code in (200, 201), opened.text
    conversation_id: str = opened.json()["id"]
    return conversation_id


def server_items(http: httpx.Client, conversation_id: str, status: str = "all") -> list[Any]:
    items: list[Any] = http.get(
        "/v1/scheduled", params={"conversation_id": conversation_id, "status": status}
    ).json()["items"]
    return items


def soon(seconds: float) -> datetime:
    return datetime.now(UTC) + timedelta(seconds=seconds)


def only(items: list[ScheduledItem]) -> ScheduledItem:
    assert len(items) == 1, items
    return items[0]


def test_a_schedule_shows_at_once_reaches_the_server_and_sends_into_the_cache(
    session: LoginResult, open_ws: OpenWs, admin_http: httpx.Client
) -> None:
    ws = open_ws(session)
    online(ws)
    conversation_id = direct_thread(admin_http, "Sam Scheduled")
    wait_for(lambda: ws.conversations.conversation(conversation_id), what="the thread cached")
    at = soon(6)
    local_id = ws.scheduled.schedule_message(conversation_id, "  Keys are at the desk ", at)
    shown = only(ws.scheduled.upcoming(conversation_id))
    assert (shown.id, shown.body, shown.send_at, shown.status) == (
        local_id, "Keys are at the desk", at, ScheduledStatus.SCHEDULED)
    assert is_local_scheduled(local_id)
    assert shown.local
    drained(ws)
    # Now the server's: same words and time, under the server's id, in the user's list.
    kept = only(ws.scheduled.upcoming(conversation_id))
    assert not is_local_scheduled(kept.id)
    assert (kept.body, kept.send_at, kept.local) == ("Keys are at the desk", at, False)
    assert [i["id"] for i in server_items(admin_http, conversation_id, "scheduled")] == [kept.id]
    assert ws.scheduled.upcoming() == [kept]

    # At its time the server sends it; the feed brings the message and the schedule's end.
    def sent_here() -> bool:
        rows = ws.conversations.messages(conversation_id)
        return any(r.body == "Keys are at the desk" for r in rows)

    wait_for(sent_here, timeout=25, what="the scheduled message in the cached thread")
    wait_for(lambda: ws.scheduled.upcoming(conversation_id) == [], what="the schedule ended")
    assert [i["status"] for i in server_items(admin_http, conversation_id)] == ["sent"]
    assert ws.outbox.failed() == []


def test_edits_and_cancels_written_before_the_create_left_fold_into_it(
    session: LoginResult, open_ws: OpenWs, admin_http: httpx.Client
) -> None:
    conversation_id = direct_thread(admin_http, "Fran Folded")
    first = open_ws(session)
    online(first)
    wait_for(lambda: first.conversations.conversation(conversation_id), what="the thread")
    first.close()
    ws = open_ws(session, start=False)  # offline: nothing leaves yet
    kept = ws.scheduled.schedule_message(conversation_id, "Draft one", soon(3600))
    later = soon(7200)
    ws.scheduled.reschedule(kept, body="Draft two", send_at=later)
    dropped = ws.scheduled.schedule_message(conversation_id, "Never mind", soon(3600))
    ws.scheduled.cancel(dropped)
    shown = only(ws.scheduled.upcoming(conversation_id))
    assert (shown.id, shown.body, shown.send_at) == (kept, "Draft two", later)
    # One item: the edit went into the create, the cancelled create is gone.
    assert ws.outbox.pending_count() == 1

    ws.start()
    drained(ws)
    on_server = server_items(admin_http, conversation_id)
    assert [(i["body"], i["status"]) for i in on_server] == [("Draft two", "scheduled")]
    assert datetime.fromisoformat(on_server[0]["send_at"]) == later


def test_edits_and_cancels_after_it_was_created_go_in_its_lane(
    session: LoginResult, open_ws: OpenWs, admin_http: httpx.Client
) -> None:
    ws = open_ws(session)
    online(ws)
    conversation_id = direct_thread(admin_http, "Lane Lopez")
    wait_for(lambda: ws.conversations.conversation(conversation_id), what="the thread cached")
    local_id = ws.scheduled.schedule_message(conversation_id, "Monday 9:00", soon(3600))
    # Queued behind the create while it may be on its way: moved to the server's id.
    ws.scheduled.reschedule(local_id, body="Monday 10:00")
    drained(ws)
    kept = only(ws.scheduled.upcoming(conversation_id))
    assert kept.body == "Monday 10:00"
    assert [i["body"] for i in server_items(admin_http, conversation_id)] == ["Monday 10:00"]

    ws.scheduled.cancel(kept.id)
    assert ws.scheduled.upcoming(conversation_id) == []  # hidden at once
    drained(ws)
    assert [i["status"] for i in server_items(admin_http, conversation_id)] == ["cancelled"]
    with pytest.raises(DomainError) as refused:
        ws.scheduled.reschedule(kept.id, body="again")
    assert refused.value.hint == ScheduleProblem.NOT_EDITABLE
    with pytest.raises(DomainError) as passed:
        ws.scheduled.schedule_message(conversation_id, "Too late", soon(-5))
    assert passed.value.hint == ScheduleProblem.PASSED
    assert ws.outbox.failed() == []


def test_a_failure_at_its_time_is_told_once(
    session: LoginResult, open_ws: OpenWs, admin_http: httpx.Client
) -> None:
    ws = open_ws(session)
    online(ws)
    people = [new_person(admin_http, name) for name in ("Gail Group", "Hal Group")]
    chat = admin_http.post("/v1/group-chats", json={
        "number_id": business(admin_http)["id"],
        "participants": [{"contact_id": c, "phone": p} for c, p in people]})
    assert chat.status_code == 201, chat.text
    chat_id = chat.json()["id"]
    wait_for(lambda: ws.conversations.conversation(chat_id), what="the group chat cached")
    ws.scheduled.schedule_message(chat_id, "Offer accepted!", soon(6))
    drained(ws)
    kept = only(ws.scheduled.upcoming(chat_id))
    # One of them turns Do Not Disturb on before its time: the chat is blocked then.
    assert admin_http.post(f"/v1/contacts/{people[1][0]}/dnd", json={"dnd": True}).is_success
    failed = wait_for(lambda: ws.scheduled.untold_failures() or None, timeout=25,
                      what="the failure in the cache")
    assert [(f.id, f.status, f.error_code) for f in failed] == [
        (kept.id, ScheduledStatus.FAILED, "group_chat_blocked")]
    assert ws.scheduled.upcoming(chat_id) == []
    ws.scheduled.mark_told([kept.id])
    assert ws.scheduled.untold_failures() == []
    with pytest.raises(DomainError):  # known here to have ended
        ws.scheduled.reschedule(kept.id, body="too late")
    assert ws.outbox.failed() == []


def test_an_edit_written_offline_after_it_went_is_a_refusal_not_lost(
    session: LoginResult, open_ws: OpenWs, admin_http: httpx.Client
) -> None:
    ws = open_ws(session)
    online(ws)
    conversation_id = direct_thread(admin_http, "Olive Offline")
    wait_for(lambda: ws.conversations.conversation(conversation_id), what="the thread cached")
    ws.scheduled.schedule_message(conversation_id, "On time", soon(5))
    drained(ws)
    kept = only(ws.scheduled.upcoming(conversation_id))
    ws.close()
    wait_for(lambda: [i["status"] for i in server_items(admin_http, conversation_id)]
             == ["sent"] or None, timeout=25, what="the server to send it")
    # This cache has not heard: the edit is accepted here, and the server refuses it.
    stale = open_ws(session, start=False)
    stale.scheduled.reschedule(kept.id, body="Changed my mind")
    stale.start()
    refused = wait_for(lambda: stale.outbox.failed() or None, timeout=15,
                       what="the refusal in Refused changes")
    assert [(r.kind, r.code, r.subject) for r in refused] == [
        (ob.OutboxKind.SCHEDULE_EDIT.value, "not_cancellable", "Changed my mind")]
    wait_for(lambda: stale.scheduled.upcoming(conversation_id) == [] or None,
             what="the schedule ended in the cache")


def test_a_group_message_scheduled_here_goes_to_the_members_of_its_time(
    session: LoginResult, open_ws: OpenWs, admin_http: httpx.Client
) -> None:
    ws = open_ws(session)
    online(ws)
    me = admin_http.get("/v1/me").json()
    group = admin_http.post("/v1/groups", json={"name": f"Later {uuid.uuid4().hex[:6]}"}).json()
    member, _ = new_person(admin_http, "Mo Member")
    assert admin_http.put(f"/v1/groups/{group['id']}/members/{member}").is_success
    wait_for(lambda: ws.groups.group(group["id"]), what="the group cached")
    local_id = ws.scheduled.schedule_group_message(
        group["id"], me["id"], "  Open house ", "Saturday at 10", soon(6))
    shown = only(ws.scheduled.upcoming())
    assert (shown.id, shown.kind.value, shown.group_id, shown.title, shown.conversation_id) == (
        local_id, "group_message", group["id"], "Open house", None)
    drained(ws)
    kept = only(ws.scheduled.upcoming())
    assert not is_local_scheduled(kept.id)
    late, _ = new_person(admin_http, "Lu Latecomer")  # joins before its time: gets it too
    assert admin_http.put(f"/v1/groups/{group['id']}/members/{late}").is_success

    def sent() -> Any:
        items = admin_http.get("/v1/scheduled", params={"status": "sent"}).json()["items"]
        return next((i for i in items if i["id"] == kept.id), None)

    done = wait_for(sent, timeout=25, what="the group message sent at its time")
    message = admin_http.get(f"/v1/group-messages/{done['result_id']}").json()
    assert (message["title"], message["body"], message["recipient_count"]) == (
        "Open house", "Saturday at 10", 2)
    wait_for(lambda: ws.scheduled.upcoming() == [] or None, what="the schedule ended here")
    with pytest.raises(DomainError) as refused:
        ws.scheduled.schedule_group_message(group["id"], me["id"], "T", "B", soon(-1))
    assert refused.value.hint == ScheduleProblem.PASSED
