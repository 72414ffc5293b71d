"""Internal notes against a real backend: written in a conversation for the team, sent to
nobody (carrier, Message Center, integrations), seen by exactly who sees the conversation, and
leaving the thread's unread count, preview and time alone."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from console.protocol.demo import DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD
from tests.backend.conftest import (
    ADMIN,
    USER_ALL,
    USER_ASSIGNED,
    Api,
    assert_problem,
    numbers_by_label,
    page_all,
    sync_all,
    wait_for,
)
from tests.backend.group_chat_support import (
    PhonePool,
    create_chat,
    inbound,
    messages,
    new_contact,
    outbox,
    send,
    wait_outbox,
)
from tests.backend.receivers import HttpSink, http_sink
from tests.support.backend_process import BackendProcess, sqlite_url

phone = PhonePool("505", "507")  # numbers no other module uses: the backend is shared
MAIN = "+14155550100"


def note(
    client: httpx.Client, conversation_id: str, body: str, key: str | None = None
) -> httpx.Response:
    return client.post(
        f"/v1/conversations/{conversation_id}/notes",
        json={"body": body},
        headers={"Idempotency-Key": key or str(uuid.uuid4())},
    )


def _direct(
    client: httpx.Client, number_label: str = "Main office", **fields: Any
) -> tuple[str, str, dict[str, Any]]:
    """A new contact's 1:1 thread: (conversation id, their number, the contact)."""
    number = phone()
    contact = new_contact(client, number, **fields)
    number_id = numbers_by_label(client)[number_label]["id"]
    opened = client.post(
        "/v1/conversations",
        json={
            "kind": "direct",
            "contact_id": contact["id"],
            "phone": number,
            "number_id": number_id,
        },
    )
    assert opened.status_code in (200, 201), opened.text
    return opened.json()["id"], number, contact


def _about(conversation_id: str, events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        e
        for e in events
        if conversation_id in (e["data"].get("id"), e["data"].get("conversation_id"))
    ]


def _thread(client: httpx.Client, conversation_id: str) -> dict[str, Any]:
    response = client.get(f"/v1/conversations/{conversation_id}")
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()
    return data


def _list_entry(client: httpx.Client, conversation_id: str) -> tuple[int, dict[str, Any]]:
    """The thread's place in the conversation list and its entry there."""
    listed = page_all(client, "/v1/conversations", limit=500)
    for place, item in enumerate(listed):
        if item["id"] == conversation_id:
            return place, item
    raise AssertionError(f"{conversation_id} is not listed")


def test_a_note_in_a_1to1_sms_chat_reaches_the_team_and_no_handset(api: Api) -> None:
    handset = phone()
    thread = inbound(api.admin, handset, [MAIN], "Is the house still for sale?").json()[
        "conversation_id"
    ]
    before = _thread(api.admin, thread)
    assert before["unread_count"] == 1
    _, cursor = sync_all(api.admin)

    made = note(api.admin, thread, "  Called them back, they want a viewing Friday.  ")
    assert made.status_code == 201, made.text
    written = made.json()
    assert written["note"] is True
    assert (
        written["conversation_id"],
        written["direction"],
        written["status"],
        written["body"],
    ) == (thread, "out", "sent", "Called them back, they want a viewing Friday.")
    assert written["author_user_id"] == api.me(ADMIN)["id"]
    assert written["author_contact_id"] is None
    assert written["deliveries"] == []

    # The thread does not move: same unread count, preview, time, place in the list.
    after = _thread(api.admin, thread)
    for field in ("unread_count", "last_message_preview", "last_message_at", "status"):
        assert after[field] == before[field], field
    # In its history, in order, marked as a note; the inbound message stays a message.
    history = messages(api.admin, thread)
    assert [(m["id"], m["note"]) for m in history] == [
        (written["id"], True),
        (history[1]["id"], False),
    ]
    assert history[0] == written

    # The feed: the note as message.upserted, and no thread event (nothing about it changed).
    events, _ = sync_all(api.admin, cursor)
    events = _about(thread, events)
    assert [(e["type"], e["data"]["id"]) for e in events] == [("message.upserted", written["id"])]
    assert events[0]["data"]["note"] is True
    assert events[0]["data"] == written

    # Nothing went to the carrier: a text sent after it reaches the handset alone.
    sent = send(api.admin, thread, "Friday at 10 works!")
    assert sent.status_code == 201, sent.text
    wait_outbox(api.admin, handset, "Friday at 10 works!")
    assert [m["body"] for m in outbox(api.admin, handset)] == ["Friday at 10 works!"]
    handed = page_all(api.admin, "/v1/simulator/outbox", limit=500)
    assert written["body"] not in {m["body"] for m in handed}
    # The note never changes status (no carrier reports on it).
    wait_for(lambda: messages(api.admin, thread)[0]["status"] == "delivered", timeout=10)
    assert [m["status"] for m in messages(api.admin, thread) if m["note"]] == ["sent"]


def test_a_note_reaches_exactly_who_sees_the_conversation(api: Api) -> None:
    diego = api.me(USER_ASSIGNED)["id"]
    his, _, _ = _direct(api.admin, assigned_user_id=diego)
    not_his, _, _ = _direct(api.admin)
    _, diego_cursor = sync_all(api.as_(USER_ASSIGNED))
    _, priya_cursor = sync_all(api.as_(USER_ALL))

    mine = note(api.admin, his, "VIP: handle with care").json()
    other = note(api.admin, not_his, "Asked about the Elm St listing").json()

    diego_events, _ = sync_all(api.as_(USER_ASSIGNED), diego_cursor)
    seen = {e["data"]["id"]: e for e in diego_events if e["type"] == "message.upserted"}
    assert mine["id"] in seen
    assert seen[mine["id"]]["data"]["note"] is True
    assert other["id"] not in seen
    assert other["body"] not in json.dumps(diego_events)
    priya_events, _ = sync_all(api.as_(USER_ALL), priya_cursor)
    assert {mine["id"], other["id"]} <= {
        e["data"]["id"] for e in priya_events if e["type"] == "message.upserted"
    }

    # The REST views agree: he reads his thread's note and cannot see (or write in) the other.
    assert [m["id"] for m in messages(api.as_(USER_ASSIGNED), his)] == [mine["id"]]
    assert_problem(
        api.as_(USER_ASSIGNED).get(f"/v1/conversations/{not_his}/messages"), 404, "not_found"
    )
    assert_problem(note(api.as_(USER_ASSIGNED), not_his, "Sneaky"), 404, "not_found")
    assert_problem(note(api.admin, "cnv_nope", "Nowhere"), 404, "not_found")
    assert [m["id"] for m in messages(api.admin, not_his)] == [other["id"]]
    # He may write in his.
    his_note = note(api.as_(USER_ASSIGNED), his, "Spoke to them today")
    assert his_note.status_code == 201, his_note.text
    assert his_note.json()["author_user_id"] == diego


def test_a_note_is_allowed_where_sending_is_not(api: Api) -> None:
    # Do Not Disturb: a text is refused, a note is not.
    blocked, handset, _ = _direct(api.admin, dnd=True)
    assert _thread(api.admin, blocked)["status"] == "blocked"
    assert_problem(send(api.admin, blocked, "Hello?"), 422, "participant_dnd")
    made = note(api.admin, blocked, "They asked us not to text; call instead.")
    assert made.status_code == 201, made.text
    assert made.json()["note"] is True
    assert outbox(api.admin, handset) == []

    # A number the agent may not send from: a note is still theirs to write.
    line, _, _ = _direct(api.admin, number_label="Diego's line")
    assert_problem(send(api.as_(USER_ALL), line, "Hi"), 403, "number_access_denied")
    made = note(api.as_(USER_ALL), line, "Diego's customer; leave it to him.")
    assert made.status_code == 201, made.text
    assert made.json()["author_user_id"] == api.me(USER_ALL)["id"]


def test_a_note_is_idempotent_and_validated(api: Api) -> None:
    thread, _, _ = _direct(api.admin)
    key = str(uuid.uuid4())
    first = note(api.admin, thread, "Follow up Monday", key)
    again = note(api.admin, thread, "Follow up Monday", key)
    assert (first.status_code, again.status_code) == (201, 201), again.text
    assert again.json() == first.json()
    assert first.json()["client_key"] == key
    assert [m["id"] for m in messages(api.admin, thread)] == [first.json()["id"]]
    assert_problem(note(api.admin, thread, "Something else", key), 409, "idempotency_conflict")

    for body in ("", "   \n\t "):
        assert_problem(note(api.admin, thread, body), 422, "validation_error")
    assert_problem(note(api.admin, thread, "x" * 4001), 422, "validation_error")
    missing = api.admin.post(f"/v1/conversations/{thread}/notes", json={})
    assert_problem(missing, 422, "validation_error")
    longest = note(api.admin, thread, "y" * 4000)
    assert longest.status_code == 201, longest.text
    assert len(messages(api.admin, thread)) == 2


def test_a_note_in_an_in_app_chat_never_reaches_the_person(api: Api) -> None:
    person = new_contact(api.admin, phone())
    # They are sent a group message, so a reply from them would count for it.
    group = api.admin.post("/v1/groups", json={"name": f"Notes {uuid.uuid4().hex[:8]}"}).json()
    assert api.admin.put(f"/v1/groups/{group['id']}/members/{person['id']}").status_code == 201
    me = api.me(ADMIN)["id"]
    sent = api.admin.post(
        "/v1/group-messages",
        json={
            "group_id": group["id"],
            "sender_user_id": me,
            "title": "Open house",
            "body": "Open house Sunday",
            "quiet_hours_override": True,
        },
        headers={"Idempotency-Key": str(uuid.uuid4())},
    )
    assert sent.status_code == 201, sent.text
    group_message = sent.json()
    copy_id = wait_for(
        lambda: [
            m["id"] for m in page_all(api.admin, f"/v1/people/{person['id']}/messages", limit=50)
        ],
        timeout=10,
    )[0]
    threads = [
        c
        for c in page_all(api.admin, "/v1/conversations", limit=500, kind="in_app")
        if c["contact_id"] == person["id"]
    ]
    assert len(threads) == 1
    thread_id = threads[0]["id"]
    before = _thread(api.admin, thread_id)

    made = note(api.admin, thread_id, "Prefers email; do not push")
    assert made.status_code == 201, made.text
    written = made.json()
    after = _thread(api.admin, thread_id)
    for field in ("unread_count", "last_message_preview", "last_message_at"):
        assert after[field] == before[field], field

    # The person's Message Center: no note, and fetching it delivers nothing of it.
    inbox = page_all(api.admin, f"/v1/people/{person['id']}/messages", limit=50)
    assert [m["id"] for m in inbox] == [copy_id]
    assert written["body"] not in json.dumps(inbox)
    read = api.admin.post(f"/v1/people/{person['id']}/read", json={})
    assert read.status_code == 200, read.text
    assert read.json()["marked"] == 1  # their copy, not the note
    assert_problem(
        api.admin.post(f"/v1/people/{person['id']}/read", json={"up_to_message_id": written["id"]}),
        422,
        "validation_error",
    )
    history = {m["id"]: m for m in messages(api.admin, thread_id)}
    assert (history[written["id"]]["note"], history[written["id"]]["status"]) == (True, "sent")

    # A note is no reply: the group message's replied count stays 0 until the person writes.
    def stats() -> dict[str, Any]:
        found: dict[str, Any] = api.admin.get(f"/v1/group-messages/{group_message['id']}").json()[
            "stats"
        ]
        return found

    assert stats()["replied"] == 0
    reply = api.admin.post(f"/v1/people/{person['id']}/replies", json={"body": "Thanks!"})
    assert reply.status_code == 201, reply.text
    assert stats()["replied"] == 1


def test_a_note_in_a_group_chat_reaches_no_participant(api: Api) -> None:
    main = numbers_by_label(api.admin)["Main office"]["id"]
    people = [(new_contact(api.admin, number), number) for number in (phone(), phone())]
    made = create_chat(api.admin, main, people)
    assert made.status_code == 201, made.text
    chat = made.json()
    before = _thread(api.admin, chat["id"])

    written = note(api.admin, chat["id"], "Both are co-buyers")
    assert written.status_code == 201, written.text
    assert (written.json()["note"], written.json()["deliveries"]) == (True, [])
    after = _thread(api.admin, chat["id"])
    for field in ("unread_count", "last_message_preview", "last_message_at"):
        assert after[field] == before[field], field

    # A text after it reaches each handset alone.
    sent = send(api.admin, chat["id"], "Welcome both!")
    assert sent.status_code == 201, sent.text
    for _, number in people:
        wait_outbox(api.admin, number, "Welcome both!")
        assert [m["body"] for m in outbox(api.admin, number)] == ["Welcome both!"]
    listed = messages(api.admin, chat["id"])
    assert [(m["body"], m["note"]) for m in listed] == [
        ("Welcome both!", False),
        ("Both are co-buyers", True),
    ]
    assert listed[1]["deliveries"] == []

    # A blocked chat (a participant turned Do Not Disturb on) still takes notes.
    dnd = api.admin.post(f"/v1/contacts/{people[0][0]['id']}/dnd", json={"dnd": True})
    assert dnd.status_code == 200, dnd.text
    assert_problem(send(api.admin, chat["id"], "Hello?"), 409, "group_chat_blocked")
    assert note(api.admin, chat["id"], "One of them opted out").status_code == 201


# --- integrations: a backend of their own, whose webhooks may reach loopback ---


@pytest.fixture(scope="module")
def hooked_backend(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BackendProcess]:
    db = sqlite_url(tmp_path_factory.mktemp("notes-integrations") / "backend.db")
    process = BackendProcess(
        db,
        args=["--seed", "demo", "--allow-private-webhooks"],
        env={"CONSOLE_RETRY_BASE_S": "0.05", "CONSOLE_JOB_POLL_S": "0.05"},
    ).start()
    yield process
    process.stop()


@pytest.fixture
def sink() -> Iterator[HttpSink]:
    with http_sink() as receiver:
        yield receiver


def test_a_note_is_never_forwarded_to_integrations(
    hooked_backend: BackendProcess, sink: HttpSink
) -> None:
    with hooked_backend.client(
        hooked_backend.login(DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD)
    ) as admin:
        hook = admin.post(
            "/v1/integrations",
            json={"url": f"{sink.url}/hook", "secret": f"whsec_{uuid.uuid4().hex}"},
        )
        assert hook.status_code == 201, hook.text
        handset = phone()
        thread = inbound(admin, handset, [MAIN], "Hi there").json()["conversation_id"]
        written = note(admin, thread, "Internal only").json()
        assert written["note"] is True
        sent = send(admin, thread, "Hello!").json()

        def forwarded() -> list[str] | None:
            ids = [json.loads(r.body)["data"]["message"]["id"] for r in sink.ok()]
            return ids if sent["id"] in ids else None

        ids = wait_for(forwarded, timeout=10)
        assert written["id"] not in ids
        assert "Internal only" not in {r.body.decode() for r in sink.ok()}
