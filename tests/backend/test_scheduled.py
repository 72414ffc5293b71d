"""Scheduled sends against a real backend: kept until their time, then sent once with the rules
checked again; edited and cancelled until they go; the author's alone."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import httpx
import pytest

from console.protocol.demo import DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD
from tests.backend.conftest import (
    ADMIN,
    USER_ASSIGNED,
    Api,
    assert_problem,
    numbers_by_label,
    sync_all,
    wait_for,
)
from tests.backend.group_chat_support import (
    PhonePool,
    create_chat,
    messages,
    new_contact,
    outbox,
)
from tests.backend.pg import fresh_database, skip_without_postgres
from tests.support.backend_process import BackendProcess, sqlite_url

phone = PhonePool("469", "470")  # numbers no other module uses: the backend is shared
FAST = {"CONSOLE_JOB_POLL_S": "0.05", "CONSOLE_RETRY_BASE_S": "0.05"}


def _at(seconds: float, zone: timezone = UTC) -> str:
    return (datetime.now(UTC) + timedelta(seconds=seconds)).astimezone(zone).isoformat()


def _direct(client: httpx.Client, number: str | None = None) -> tuple[str, str]:
    """A new contact's 1:1 thread from the main number: (conversation id, their number)."""
    number = number or phone()
    contact = new_contact(client, number)
    main = numbers_by_label(client)["Main office"]["id"]
    opened = client.post("/v1/conversations", json={
        "kind": "direct", "contact_id": contact["id"], "phone": number, "number_id": main})
    assert opened.status_code in (200, 201), opened.text
    return opened.json()["id"], number


def _schedule(client: httpx.Client, conversation_id: str, body: str, send_at: str,
              key: str | None = None) -> httpx.Response:
    return client.post(
        f"/v1/conversations/{conversation_id}/messages", json={"body": body, "send_at": send_at},
        headers={"Idempotency-Key": key or str(uuid.uuid4())},
    )


def _get(client: httpx.Client, scheduled_id: str) -> dict[str, Any]:
    response = client.get(f"/v1/scheduled/{scheduled_id}")
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()
    return data


def _settled(client: httpx.Client, scheduled_id: str, timeout: float = 25) -> dict[str, Any]:
    def probe() -> dict[str, Any] | None:
        row = _get(client, scheduled_id)
        return row if row["status"] != "scheduled" else None

    return wait_for(probe, timeout=timeout)


def test_a_scheduled_message_waits_for_its_time_then_goes_once(api: Api) -> None:
    conversation, number = _direct(api.admin)
    eastern = timezone(timedelta(hours=-5))
    made = _schedule(api.admin, conversation, "  See you at the open house  ", _at(5, eastern))
    assert made.status_code == 201, made.text
    kept = made.json()
    assert kept["status"] == "scheduled"
    assert kept["kind"] == "message"
    assert kept["body"] == "See you at the open house"
    assert kept["conversation_id"] == conversation
    assert datetime.fromisoformat(kept["send_at"]).utcoffset() == timedelta(0)  # kept as UTC
    listed = api.admin.get("/v1/scheduled", params={"conversation_id": conversation}).json()
    assert [item["id"] for item in listed["items"]] == [kept["id"]]
    # Nothing is in the thread or on the handset before its time.
    assert messages(api.admin, conversation) == []
    assert outbox(api.admin, number) == []

    done = _settled(api.admin, kept["id"])
    assert done["status"] == "sent", done
    assert datetime.now(UTC) >= datetime.fromisoformat(kept["send_at"])
    sent = messages(api.admin, conversation)
    assert [(m["id"], m["body"], m["author_user_id"]) for m in sent] == [
        (done["result_id"], "See you at the open house", kept["user_id"])]
    wait_for(lambda: outbox(api.admin, number) or None, timeout=10)
    assert [m["body"] for m in outbox(api.admin, number)] == ["See you at the open house"]
    # It left the list of what is still to go, and the answer to a retry is the same.
    assert api.admin.get("/v1/scheduled", params={"conversation_id": conversation}
                         ).json()["items"] == []
    all_of_it = api.admin.get("/v1/scheduled", params={"status": "all",
                                                       "conversation_id": conversation})
    assert [item["status"] for item in all_of_it.json()["items"]] == ["sent"]


def test_bad_times_and_todays_refusals_are_clear_errors(api: Api) -> None:
    conversation, _ = _direct(api.admin)
    naive = (datetime.now(UTC) + timedelta(hours=1)).replace(tzinfo=None).isoformat()
    problem = assert_problem(_schedule(api.admin, conversation, "Hi", naive), 422,
                             "validation_error")
    assert "offset" in problem["detail"]
    problem = assert_problem(_schedule(api.admin, conversation, "Hi", _at(-60)), 422,
                             "validation_error")
    assert "passed" in problem["detail"]
    for far in (_at(400 * 86400), "9999-12-31T23:00:00-05:00", "0001-01-01T00:30:00+01:00"):
        assert_problem(_schedule(api.admin, conversation, "Hi", far), 422, "validation_error")
    assert_problem(_schedule(api.admin, "cnv_nope", "Hi", _at(3600)), 404, "not_found")
    # A rule that refuses a send now refuses its schedule now, not at 9:00 tomorrow.
    quiet = new_contact(api.admin, phone())
    assert api.admin.post(f"/v1/contacts/{quiet['id']}/dnd", json={"dnd": True}).is_success
    main = numbers_by_label(api.admin)["Main office"]["id"]
    opened = api.admin.post("/v1/conversations", json={
        "kind": "direct", "contact_id": quiet["id"], "phone": quiet["phones"][0]["number"],
        "number_id": main}).json()
    assert_problem(_schedule(api.admin, opened["id"], "Hi", _at(3600)), 422, "participant_dnd")
    # None of the refusals left anything behind: not a schedule, not a message.
    for thread in (conversation, opened["id"]):
        assert api.admin.get("/v1/scheduled", params={
            "status": "all", "conversation_id": thread}).json()["items"] == []
        assert messages(api.admin, thread) == []


def test_edits_and_cancels_until_it_goes_and_only_by_its_author(api: Api) -> None:
    conversation, number = _direct(api.admin)
    kept = _schedule(api.admin, conversation, "First draft", _at(4)).json()
    # Moved later with new words: the first time passes and nothing goes.
    later = _at(8)
    edited = api.admin.patch(f"/v1/scheduled/{kept['id']}",
                             json={"body": "Second draft", "send_at": later})
    assert edited.status_code == 200, edited.text
    assert edited.json()["body"] == "Second draft"
    assert edited.json()["send_at"] != kept["send_at"]
    assert_problem(api.admin.patch(f"/v1/scheduled/{kept['id']}", json={"title": "T"}), 422,
                   "validation_error")  # a message has no title
    wait_for(lambda: datetime.now(UTC) > datetime.fromisoformat(kept["send_at"])
             + timedelta(seconds=1), timeout=15)
    assert _get(api.admin, kept["id"])["status"] == "scheduled"
    assert messages(api.admin, conversation) == []
    done = _settled(api.admin, kept["id"])
    assert done["status"] == "sent"
    assert [m["body"] for m in messages(api.admin, conversation)] == ["Second draft"]
    wait_for(lambda: outbox(api.admin, number) or None, timeout=10)
    assert [m["body"] for m in outbox(api.admin, number)] == ["Second draft"]
    # Once it went it cannot change or be cancelled.
    assert_problem(api.admin.patch(f"/v1/scheduled/{kept['id']}", json={"body": "x"}), 409,
                   "not_cancellable")
    assert_problem(api.admin.delete(f"/v1/scheduled/{kept['id']}"), 409, "not_cancellable")

    # Cancelled: it never goes; a second cancel answers the same; an edit is refused.
    other = _schedule(api.admin, conversation, "Never mind", _at(4)).json()
    # Not another agent's to see, edit or cancel.
    colleague = api.as_(USER_ASSIGNED)
    assert_problem(colleague.get(f"/v1/scheduled/{other['id']}"), 404, "not_found")
    assert_problem(colleague.delete(f"/v1/scheduled/{other['id']}"), 404, "not_found")
    assert other["id"] not in [i["id"] for i in colleague.get(
        "/v1/scheduled", params={"status": "all"}).json()["items"]]
    cancelled = api.admin.delete(f"/v1/scheduled/{other['id']}")
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"
    assert api.admin.delete(f"/v1/scheduled/{other['id']}").json()["status"] == "cancelled"
    assert_problem(api.admin.patch(f"/v1/scheduled/{other['id']}", json={"body": "y"}), 409,
                   "not_cancellable")
    wait_for(lambda: datetime.now(UTC) > datetime.fromisoformat(other["send_at"])
             + timedelta(seconds=1), timeout=15)
    assert [m["body"] for m in messages(api.admin, conversation)] == ["Second draft"]


def test_a_retried_schedule_replays_and_only_its_author_hears_of_it(api: Api) -> None:
    conversation, _ = _direct(api.admin)
    key, at = str(uuid.uuid4()), _at(3600)
    first = _schedule(api.admin, conversation, "Tomorrow then", at, key)
    again = _schedule(api.admin, conversation, "Tomorrow then", at, key)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert_problem(_schedule(api.admin, conversation, "Other words", at, key), 409,
                   "idempotency_conflict")
    mine = api.admin.get("/v1/scheduled", params={"conversation_id": conversation}).json()
    assert len(mine["items"]) == 1
    # The feed: the author's alone (an admin colleague does not see it either).
    events, _ = sync_all(api.admin)
    ours = [e for e in events if e["type"] == "scheduled.upserted"
            and e["data"]["id"] == first.json()["id"]]
    assert [e["data"]["status"] for e in ours] == ["scheduled"]
    theirs, _ = sync_all(api.as_(USER_ASSIGNED))
    assert all(e["data"].get("id") != first.json()["id"] for e in theirs)
    api.admin.delete(f"/v1/scheduled/{first.json()['id']}")


def test_a_scheduled_group_chat_message_fails_when_a_participant_went_dnd(api: Api) -> None:
    people_phones = [phone(), phone()]
    people = [new_contact(api.admin, p) for p in people_phones]
    main = numbers_by_label(api.admin)["Main office"]["id"]
    chat = create_chat(api.admin, main, list(zip(people, people_phones, strict=True))).json()
    kept = _schedule(api.admin, chat["id"], "Both of you: the offer is in", _at(5)).json()
    # Meanwhile one of them turns Do Not Disturb on.
    assert api.admin.post(f"/v1/contacts/{people[1]['id']}/dnd", json={"dnd": True}).is_success
    done = _settled(api.admin, kept["id"])
    assert done["status"] == "failed"
    assert done["error_code"] == "group_chat_blocked"
    assert people[1]["name"] in done["error_detail"]
    assert done["result_id"] is None
    assert messages(api.admin, chat["id"]) == []
    for number in people_phones:
        assert outbox(api.admin, number) == []
    # Its author's feed says so (the console tells them).
    events, _ = sync_all(api.admin)
    told = [e["data"] for e in events if e["type"] == "scheduled.upserted"
            and e["data"]["id"] == kept["id"]]
    assert [(t["status"], t["error_code"]) for t in told] == [
        ("scheduled", None), ("failed", "group_chat_blocked")]


def test_a_scheduled_group_message_goes_to_the_members_of_its_time(api: Api) -> None:
    me = api.me(ADMIN)
    group = api.admin.post("/v1/groups", json={"name": f"Later {uuid.uuid4().hex[:6]}"}).json()
    first = new_contact(api.admin, phone())
    assert api.admin.put(f"/v1/groups/{group['id']}/members/{first['id']}").is_success
    made = api.admin.post("/v1/group-messages", json={
        "group_id": group["id"], "sender_user_id": me["id"], "title": "Open house",
        "body": "Saturday at 10", "send_at": _at(6)}, headers={"Idempotency-Key": "gm-later"})
    assert made.status_code == 201, made.text
    kept = made.json()
    assert (kept["kind"], kept["status"], kept["title"]) == ("group_message", "scheduled",
                                                            "Open house")
    # Someone who joins before its time gets it too (the members of the moment it goes).
    second = new_contact(api.admin, phone())
    assert api.admin.put(f"/v1/groups/{group['id']}/members/{second['id']}").is_success
    retitled = api.admin.patch(f"/v1/scheduled/{kept['id']}", json={"title": "Open house!"})
    assert retitled.status_code == 200, retitled.text
    done = _settled(api.admin, kept["id"])
    assert done["status"] == "sent", done
    sent = api.admin.get(f"/v1/group-messages/{done['result_id']}").json()
    assert (sent["title"], sent["body"], sent["recipient_count"]) == (
        "Open house!", "Saturday at 10", 2)
    # A group with nobody in it is refused when scheduling.
    empty = api.admin.post("/v1/groups", json={"name": f"Empty {uuid.uuid4().hex[:6]}"}).json()
    assert_problem(api.admin.post("/v1/group-messages", json={
        "group_id": empty["id"], "sender_user_id": me["id"], "title": "T", "body": "B",
        "send_at": _at(3600)}), 422, "validation_error")


def _login(backend: BackendProcess) -> httpx.Client:
    return backend.client(backend.login(DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD))


def test_a_schedule_due_while_the_backend_was_down_goes_once_it_is_back(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "backend.db")
    backend = BackendProcess(url, args=["--seed", "demo"], env=FAST).start()
    try:
        with _login(backend) as client:
            conversation, number = _direct(client)
            kept = _schedule(client, conversation, "Sent after the restart", _at(3)).json()
    finally:
        backend.stop()
    wait_for(lambda: datetime.now(UTC) > datetime.fromisoformat(kept["send_at"])
             + timedelta(seconds=0.5), timeout=15)
    again = BackendProcess(url, env=FAST).start()
    try:
        with _login(again) as client:
            assert _settled(client, kept["id"])["status"] == "sent"
            assert [m["body"] for m in messages(client, conversation)] == [
                "Sent after the restart"]
            wait_for(lambda: outbox(client, number) or None, timeout=10)
            assert len(outbox(client, number)) == 1
    finally:
        again.stop()


@pytest.mark.postgres
@skip_without_postgres
def test_two_serve_processes_on_postgres_send_each_schedule_once() -> None:
    with fresh_database() as url:
        first = BackendProcess(url, args=["--seed", "demo"], env=FAST).start()
        second = BackendProcess(url, env=FAST).start()
        try:
            with _login(first) as one, _login(second) as two:
                threads = [_direct(one) for _ in range(6)]
                at = _at(8)  # all due at the same instant, scheduled through both
                kept = [
                    _schedule(one if i % 2 else two, conversation, f"At once {i}", at).json()
                    for i, (conversation, _) in enumerate(threads)
                ]
                for item in kept:
                    assert _settled(one, item["id"])["status"] == "sent"
                for i, (conversation, number) in enumerate(threads):
                    assert [m["body"] for m in messages(two, conversation)] == [f"At once {i}"]
                    wait_for(lambda n=number: outbox(one, n) or None, timeout=10)  # type: ignore[misc]
                    assert len(outbox(one, number)) == 1
        finally:
            second.stop()
            first.stop()
