"""Per-recipient delivery of outbound group chat messages (Message.deliveries), end to end on
the real backend process, SQLite and PostgreSQL: the simulator's unreachable handsets, Twilio's
status callbacks copy by copy, the `message.upserted` event each copy's change sends, the
history page carrying them (loaded in one query, not one per message), and the message's own
status summing its copies up (console.domain.delivery)."""

from __future__ import annotations

import itertools
import uuid
from typing import Any, cast

import httpx
import pytest
from sqlalchemy import event, select

from console.backend import jobs, models
from console.backend.auth import Caller
from console.backend.carrier.twilio import TwilioCarrier, TwilioConfig
from console.backend.db import Database
from console.backend.ops import visibility
from console.backend.routes.conversations import list_messages
from console.backend.settings import Settings
from console.backend.state import Backend
from console.backend.views import actor_of, user_view
from tests.backend.conftest import ADMIN, Api, sync_all, wait_for
from tests.backend.group_chat_support import PhonePool, create_chat, new_contact, outbox, send
from tests.backend.test_feed_visibility import new_staff
from tests.backend.test_twilio import Setup, twilio_setup  # noqa: F401 (the fixture)
from tests.backend.twilio_standin import ACCOUNT, PUBLIC, TOKEN

phone = PhonePool("385", "386")
# Area codes for the simulator's failing handsets (555-0194 .. 555-0198, see its module doc):
# one per number, since the tests share a backend and a number belongs to one contact.
_AREAS = itertools.cycle(["385", "386", "435", "801", "802", "803", "804", "805"])


def unreachable(code: int = 30003) -> str:
    """A handset the simulator cannot reach: its copy fails with `code` (30003..30007)."""
    return f"+1{next(_AREAS)}55501{code - 30003 + 94}"


def _default_number(client: httpx.Client) -> dict[str, Any]:
    return next(n for n in client.get("/v1/numbers").json()["items"] if n["is_default"])


def _chat(client: httpx.Client, phones: list[str]) -> str:
    people = [(new_contact(client, p, name=f"Person {p[-4:]}"), p) for p in phones]
    response = create_chat(client, _default_number(client)["id"], people)
    assert response.status_code == 201, response.text
    chat_id: str = response.json()["id"]
    return chat_id


def _history(client: httpx.Client, chat_id: str) -> dict[str, dict[str, Any]]:
    items = client.get(f"/v1/conversations/{chat_id}/messages", params={"limit": 100})
    assert items.status_code == 200, items.text
    return {m["id"]: m for m in items.json()["items"]}


def _final(client: httpx.Client, chat_id: str, message_id: str) -> dict[str, Any]:
    def probe() -> dict[str, Any] | None:
        message = _history(client, chat_id)[message_id]
        return message if message["status"] not in ("queued", "sent") else None

    return wait_for(probe, timeout=10)


def _by_number(message: dict[str, Any]) -> dict[str, tuple[str, str | None]]:
    return {d["to"]: (d["status"], d["error_code"]) for d in message["deliveries"]}


def _message_events(client: httpx.Client, since: str, message_id: str) -> list[dict[str, Any]]:
    events, _ = sync_all(client, since)
    return [e["data"] for e in events
            if e["type"] == "message.upserted" and e["data"]["id"] == message_id]


# -- the simulator ---------------------------------------------------------------------------

def test_one_unreachable_participant_fails_while_the_others_are_delivered(api: Api) -> None:
    reachable = [phone(), phone()]
    lost = unreachable()
    chat_id = _chat(api.admin, [reachable[0], lost, reachable[1]])
    _, cursor = sync_all(api.admin)
    body = f"Offer accepted {uuid.uuid4().hex[:6]}"
    sent = send(api.admin, chat_id, body)
    assert sent.status_code == 201, sent.text

    message = _final(api.admin, chat_id, sent.json()["id"])
    # Not "delivered": someone did not get it (the deliveries say who), with that copy's code.
    assert (message["status"], message["error_code"]) == ("undelivered", "30003")
    assert _by_number(message) == {
        reachable[0]: ("delivered", None),
        lost: ("failed", "30003"),
        reachable[1]: ("delivered", None),
    }
    assert [d["to"] for d in message["deliveries"]] == [reachable[0], lost, reachable[1]]
    # Only the reachable handsets have it.
    assert [m["body"] for m in outbox(api.admin, lost)] == []
    for number in reachable:
        assert [m["body"] for m in outbox(api.admin, number)] == [body]

    # The feed told every step, each event with every copy: queued, all sent, then final.
    seen = _message_events(api.admin, cursor, message["id"])
    assert [m["status"] for m in seen] == ["queued", "sent", "undelivered"]
    assert [sorted(d["status"] for d in m["deliveries"]) for m in seen] == [
        [], ["sent", "sent", "sent"], ["delivered", "delivered", "failed"],
    ]
    assert seen[-1]["deliveries"] == message["deliveries"]


def test_the_fail_marker_fails_every_copy_and_the_message(api: Api) -> None:
    chat_id = _chat(api.admin, [phone(), phone()])
    sent = send(api.admin, chat_id, "This one bounces #fail")
    message = _final(api.admin, chat_id, sent.json()["id"])
    assert (message["status"], message["error_code"]) == ("failed", "30006")
    assert {status for status, _ in _by_number(message).values()} == {"failed"}
    assert {code for _, code in _by_number(message).values()} == {"30006"}


def test_every_copy_unreachable_fails_the_message_with_the_first_code(api: Api) -> None:
    lost, blocked = unreachable(30003), unreachable(30004)
    chat_id = _chat(api.admin, [lost, blocked])
    sent = send(api.admin, chat_id, "Nobody gets this one")
    message = _final(api.admin, chat_id, sent.json()["id"])
    assert (message["status"], message["error_code"]) == ("failed", "30003")
    assert _by_number(message) == {lost: ("failed", "30003"), blocked: ("failed", "30004")}


def test_a_direct_message_carries_no_deliveries(api: Api) -> None:
    number = phone()
    contact = new_contact(api.admin, number)
    opened = api.admin.post("/v1/conversations", json={
        "kind": "direct", "contact_id": contact["id"], "phone": number,
        "number_id": _default_number(api.admin)["id"]})
    assert opened.status_code == 201, opened.text
    sent = send(api.admin, opened.json()["id"], "Just you")
    message = _final(api.admin, opened.json()["id"], sent.json()["id"])
    assert (message["status"], message["deliveries"]) == ("delivered", [])


def test_the_history_page_loads_every_messages_copies_in_one_query(api: Api) -> None:
    """The route itself, in this process against the backend's database, with its SQL
    counted: a page of 2 and a page of 8 group messages cost the same number of statements."""
    chat_id = _chat(api.admin, [phone(), unreachable(30005), phone()])
    ids = [send(api.admin, chat_id, f"Update {n}").json()["id"] for n in range(8)]
    for message_id in ids:
        _final(api.admin, chat_id, message_id)

    db = Database(api.backend.db_url)
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, sql: str, *_args: Any) -> None:
        statements.append(sql)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        with db.reading() as session:
            admin = session.scalars(select(models.User).where(models.User.email == ADMIN)).one()
            caller = Caller(user=user_view(admin), actor=actor_of(admin), token_hash="")
        backend = Backend(settings=Settings(db_url=db.url), db=db, carrier=cast(Any, None))
        cost: dict[int, int] = {}
        for limit in (2, 8):
            statements.clear()
            page = list_messages(chat_id, caller, backend, None, limit, None)
            assert [m.id for m in page.items] == ids[::-1][:limit]
            assert all(len(m.deliveries) == 3 for m in page.items)
            cost[limit] = len(statements)
        assert cost[2] == cost[8], statements
        assert sum("carrier_sends" in sql for sql in statements) == 1
    finally:
        db.dispose()


# -- Twilio ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def twilio_chat(twilio_setup: Setup) -> tuple[Setup, str, list[str]]:  # noqa: F811
    numbers = ["+14355550150", "+14355550151", "+14355550152"]
    return twilio_setup, _chat(twilio_setup.admin, numbers), numbers


def test_twilio_callbacks_for_two_of_three_copies_show_per_recipient(
    twilio_chat: tuple[Setup, str, list[str]],
) -> None:
    s, chat_id, numbers = twilio_chat
    _, cursor = sync_all(s.admin)
    sent = s.send(chat_id, "Keys are at the front desk")

    def sids() -> dict[str, str] | None:
        found = {m["To"]: m["Sid"] for p in numbers for m in s.twilio.to(p)
                 if m["Body"] == sent["body"] and m.get("Sid")}
        return found if len(found) == len(numbers) else None

    sid = wait_for(sids, timeout=10)
    first, second, third = numbers
    wait_for(lambda: len(_by_number(s.message(chat_id, sent["id"]))) == 3, timeout=10)

    s.status(sid[first], "delivered")
    s.status(sid[second], "undelivered", "30003")
    message = s.message(chat_id, sent["id"])
    # The third copy has not moved: the message waits for it; the failure is visible in the
    # deliveries, the message's own code waits for the message to be final.
    assert (message["status"], message["error_code"]) == ("queued", None)
    assert _by_number(message) == {
        first: ("delivered", None), second: ("undelivered", "30003"), third: ("queued", None),
    }
    # Each callback sent the message's event with the copy it moved, though its status stayed.
    seen = _message_events(s.admin, cursor, sent["id"])
    after_first = next(m for m in seen if _by_number(m).get(first) == ("delivered", None))
    assert after_first["status"] == "queued"
    assert _by_number(after_first)[second] != ("undelivered", "30003")
    assert _by_number(seen[-1]) == _by_number(message)

    s.status(sid[third], "sent")
    assert s.message(chat_id, sent["id"])["status"] == "sent"
    s.status(sid[third], "delivered")
    final = s.message(chat_id, sent["id"])
    assert (final["status"], final["error_code"]) == ("undelivered", "30003")
    assert _by_number(final)[third] == ("delivered", None)
    s.status(sid[second], "delivered")  # late and out of order: a failed copy stays failed
    assert _by_number(s.message(chat_id, sent["id"]))[second] == ("undelivered", "30003")


def _copies_in_db(db: Database, message_id: str) -> list[models.CarrierSend]:
    with db.reading() as session:
        return list(session.scalars(
            select(models.CarrierSend).where(models.CarrierSend.message_id == message_id)
            .order_by(models.CarrierSend.id)
        ).all())


def test_a_twilio_send_to_three_numbers_without_callbacks_is_one_event(
    twilio_chat: tuple[Setup, str, list[str]],
) -> None:
    """Each copy Twilio accepts as `queued` is what a reader was told already (a copy not
    handed over yet counts as queued): only the message's acceptance is an event."""
    s, chat_id, numbers = twilio_chat
    _, cursor = sync_all(s.admin)
    sent = s.send(chat_id, f"Three copies, no callbacks {uuid.uuid4().hex[:6]}")
    db = Database(s.backend.db_url)
    try:
        wait_for(lambda: [c.status for c in _copies_in_db(db, sent["id"])] == ["queued"] * 3,
                 timeout=10)
    finally:
        db.dispose()
    assert sorted(m["To"] for p in numbers for m in s.twilio.to(p)
                  if m["Body"] == sent["body"]) == sorted(numbers)
    seen = _message_events(s.admin, cursor, sent["id"])
    assert [(m["status"], m["deliveries"]) for m in seen] == [("queued", [])]

    # A callback that moves nothing a reader sees ("sending" is still queued) is no event
    # either; one that does is one event.
    sid = next(m["Sid"] for m in s.twilio.to(numbers[0]) if m["Body"] == sent["body"])
    _, cursor = sync_all(s.admin)
    s.status(sid, "sending")
    s.status(sid, "sent")
    seen = _message_events(s.admin, cursor, sent["id"])
    assert [(m["status"], _by_number(m)[numbers[0]]) for m in seen] == [
        ("queued", ("sent", None))
    ]


def test_giving_up_on_a_twilio_send_is_one_event(
    twilio_chat: tuple[Setup, str, list[str]],
) -> None:
    """The job given up while its first copy was mid-request: that copy is unconfirmed, the
    others never handed over, and the message fails - told once, not once per step."""
    s, chat_id, numbers = twilio_chat
    first = numbers[0]
    s.twilio.hold.add(first)
    db = Database(s.backend.db_url)
    try:
        _, cursor = sync_all(s.admin)
        sent = s.send(chat_id, f"Given up on {uuid.uuid4().hex[:6]}")
        wait_for(lambda: [m for m in s.twilio.to(first) if m["Body"] == sent["body"]],
                 timeout=10)
        assert [c.status for c in _copies_in_db(db, sent["id"])] == ["submitting"]
        carrier = TwilioCarrier(db, TwilioConfig(ACCOUNT, TOKEN, PUBLIC))
        carrier.gave_up(jobs.Job(0, "sms.send", {"message_id": sent["id"]}, 5, 5), "test")
        s.twilio.hold.discard(first)
        # The held request's late answer only records Twilio's sid on the failed copy.
        wait_for(lambda: _copies_in_db(db, sent["id"])[0].sid, timeout=10)
        copies = _copies_in_db(db, sent["id"])
    finally:
        s.twilio.hold.discard(first)
        db.dispose()
    assert [(c.status, c.error_code) for c in copies] == [
        ("failed", "unconfirmed"), ("failed", "not_sent"), ("failed", "not_sent")
    ]
    seen = _message_events(s.admin, cursor, sent["id"])
    assert [(m["status"], m["error_code"]) for m in seen] == [
        ("queued", None), ("failed", "unconfirmed")
    ]
    assert _by_number(seen[-1]) == {
        first: ("failed", "unconfirmed"), numbers[1]: ("failed", "not_sent"),
        numbers[2]: ("failed", "not_sent"),
    }


# -- a reassignment's replay -----------------------------------------------------------------

class _Rollback(Exception):
    pass


def _assign_and_roll_back(
    db: Database, contact_id: str, staff_id: str, ids: list[str], statements: list[str],
    replayed: list[dict[str, Any]],
) -> None:
    """Assign the contact to the staff user and follow it, as the route does, collecting the
    replayed message events into `replayed` (and the SQL from the follow on into
    `statements`); then roll it all back with _Rollback."""
    with db.writing() as session:
        contact = session.get_one(models.Contact, contact_id)
        contact.assigned_user_id = staff_id
        session.flush()
        statements.clear()
        visibility.follow_contact(session, contact)
        session.flush()
        replayed[:] = [e.data for e in session.scalars(
            select(models.Event).where(models.Event.only_user_id == staff_id,
                                       models.Event.type == "message.upserted",
                                       models.Event.entity_id.in_(ids)))]
        raise _Rollback  # the real change is the route's; this one is a probe


def test_a_replayed_chat_loads_its_messages_copies_in_one_query(api: Api) -> None:
    """An assigned-only user who gains a group chat (its last participant's contact assigned
    to them) gets the thread replayed with every message's deliveries: the copies of 2 or 8
    messages cost one query, not one per message, inside the feed's write turn."""
    staff = new_staff(api, data_access="assigned")
    staff.client.close()
    db = Database(api.backend.db_url)
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, sql: str, *_args: Any) -> None:
        statements.append(sql)

    cost: dict[int, tuple[int, int]] = {}
    try:
        for messages in (2, 8):
            theirs = [new_contact(api.admin, phone(), assigned_user_id=staff.id)
                      for _ in range(2)]
            last_number = unreachable(30004)
            last = new_contact(api.admin, last_number)
            people = [(c, c["phones"][0]["number"]) for c in (*theirs, last)]
            made = create_chat(api.admin, _default_number(api.admin)["id"], people)
            assert made.status_code == 201, made.text
            chat_id = made.json()["id"]
            ids = [send(api.admin, chat_id, f"Replayed {n}").json()["id"]
                   for n in range(messages)]
            for message_id in ids:
                _final(api.admin, chat_id, message_id)

            replayed: list[dict[str, Any]] = []
            event.listen(db.engine, "before_cursor_execute", count)
            try:
                with pytest.raises(_Rollback):
                    _assign_and_roll_back(db, last["id"], staff.id, ids, statements, replayed)
            finally:
                event.remove(db.engine, "before_cursor_execute", count)
            assert sorted(e["id"] for e in replayed) == sorted(ids)
            for data in replayed:
                assert _by_number(data)[last_number] == ("failed", "30004")
                assert len(data["deliveries"]) == 3
            carrier_sends = sum("carrier_sends" in sql for sql in statements)
            cost[messages] = (carrier_sends, len(statements))
    finally:
        db.dispose()
    assert cost[2][0] == cost[8][0] == 1, cost
    assert cost[2][1] == cost[8][1], cost


def test_integrations_hear_of_a_message_once_not_of_its_copies(
    twilio_chat: tuple[Setup, str, list[str]],
) -> None:
    """A copy delivered while the message is still queued sends consoles its event, but no
    webhook: an integration made after the message was accepted gets no late
    "message.outbound" for it (webhooks.py: once, when accepted)."""
    s, chat_id, numbers = twilio_chat
    sent = s.send(chat_id, f"Accepted before the hook {uuid.uuid4().hex[:6]}")
    db = Database(s.backend.db_url)
    made = s.admin.post("/v1/integrations", json={
        "url": "https://hooks.example.com/late", "secret": "s" * 24,
        "events": ["message.outbound"]})
    assert made.status_code == 201, made.text
    hook = made.json()["id"]

    def about(message_id: str) -> list[str]:
        with db.reading() as session:
            return list(session.scalars(select(models.Delivery.event_type).where(
                models.Delivery.integration_id == hook,
                models.Delivery.dedupe_key.contains(message_id))).all())

    try:
        wait_for(lambda: [c.status for c in _copies_in_db(db, sent["id"])] == ["queued"] * 3,
                 timeout=10)
        _, cursor = sync_all(s.admin)
        sid = next(m["Sid"] for m in s.twilio.to(numbers[0]) if m["Body"] == sent["body"])
        s.status(sid, "delivered")
        seen = _message_events(s.admin, cursor, sent["id"])
        assert [(m["status"], _by_number(m)[numbers[0]]) for m in seen] == [
            ("queued", ("delivered", None))
        ]
        assert about(sent["id"]) == []
        # A message accepted now is the integration's to hear of.
        later = s.send(chat_id, f"Accepted after the hook {uuid.uuid4().hex[:6]}")
        assert about(later["id"]) == ["message.outbound"]
    finally:
        assert s.admin.delete(f"/v1/integrations/{hook}").status_code == 204
        db.dispose()
