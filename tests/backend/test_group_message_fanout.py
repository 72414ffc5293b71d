"""A group message's fan-out is written by the database (INSERT ... SELECT): what it writes must
be what the row-at-a-time code wrote, read back through the real views; a person's reply comes
back into their own conversation marked with the group message it answers."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import literal_column, select

from console.backend.db import Database
from console.backend.ops.in_app import conversation_id_for, conversation_id_sql
from console.store.models import conversations
from tests.backend.conftest import Api, contact_named, page_all, sync_all
from tests.backend.feed_views import ConsoleCache
from tests.backend.group_chat_support import PhonePool
from tests.backend.test_group_messages import group_with, in_app_thread, send

# Wire fields holding RFC 3339 times: equal instants may be spelled with or without ".000000".
_TIMES = {"created_at", "last_message_at"}


phone = PhonePool("458")  # numbers no other module uses: the backend is shared


def _same(feed: dict[str, Any], rest: dict[str, Any]) -> None:
    assert feed.keys() == rest.keys()
    for key, value in rest.items():
        if key in _TIMES and value is not None:
            assert datetime.fromisoformat(feed[key]) == datetime.fromisoformat(value), key
        else:
            assert feed[key] == value, key


def test_the_feed_holds_what_the_views_show_for_new_and_existing_threads(
    api: Api, tmp_path: Path
) -> None:
    # A name the database must escape in the thread's JSON (quotes, a backslash, non-ASCII).
    tricky = 'Zo\u00eb "Z" O\'Brien \\ \u6771'
    created = api.admin.post("/v1/contacts", json={"name": tricky,
                                                  "phones": [{"number": phone()}]})
    assert created.status_code == 201, created.text
    names = ["Grace Liu", tricky]
    group = group_with(api.admin, names, "Fanout")
    grace = contact_named(api.admin, "Grace Liu")
    # Grace has written in before: her thread exists, with an unread message and its own age.
    assert api.admin.post(f"/v1/people/{grace['id']}/replies",
                          json={"body": "Hello there"}).status_code == 201
    console = ConsoleCache(tmp_path, api.admin)  # the real console.store code, synced before
    console.sync()
    body = 'Open "house" \u2013 Sunday \\ 1-4pm, with a long line ' + "and more words " * 10
    sent = send(api.admin, group["id"], body, title="Fan").json()
    events = console.sync()

    for name in names:
        contact = contact_named(api.admin, name)
        thread = in_app_thread(api.admin, contact["id"])
        assert thread is not None
        shown = [e["data"] for e in events
                 if e["type"] == "conversation.upserted" and e["data"]["id"] == thread["id"]]
        if name == tricky:  # the send made this thread: its event is the view
            assert len(shown) == 1, name
            _same(shown[0], thread)
        else:  # Grace's existed: only its activity moved, which her copy's event carries
            assert shown == [], name
        newest = api.admin.get(f"/v1/conversations/{thread['id']}/messages").json()["items"][0]
        assert newest["body"] == sent["body"]
        copies = [e["data"] for e in events
                  if e["type"] == "message.upserted" and e["data"]["id"] == newest["id"]]
        assert len(copies) == 1, name
        _same(copies[0], newest)
        # Either way the console's thread shows what REST shows.
        with console.cache.read() as conn:
            row = conn.execute(
                select(conversations).where(conversations.c.id == thread["id"])
            ).one()
        assert row.title == thread["title"]
        assert row.last_message_preview == thread["last_message_preview"]
        assert len(row.last_message_preview) < len(body)  # the preview, not the body
        server_at = datetime.fromisoformat(thread["last_message_at"])
        assert row.activity_at == row.last_message_at == server_at, name
    console.close()
    grace_thread = in_app_thread(api.admin, grace["id"])
    assert grace_thread is not None
    assert grace_thread["unread_count"] >= 1
    # Her thread keeps its age (not the send's instant).
    assert datetime.fromisoformat(grace_thread["created_at"]) < datetime.fromisoformat(
        sent["sent_at"])

    # Each recipient's copy has its own id, and the recipients are exactly those copies.
    person_ids = set()
    for name in names:
        contact = contact_named(api.admin, name)
        mine = [m for m in api.admin.get(f"/v1/people/{contact['id']}/messages").json()["items"]
                if m["group_message_id"] == sent["id"]]
        assert len(mine) == 1
        person_ids.add(mine[0]["id"])
    assert len(person_ids) == 2


def test_a_reply_lands_in_the_persons_thread_marked_as_the_reply_to_the_group_message(
    api: Api,
) -> None:
    group = group_with(api.admin, ["Stella Kowalski", "Violet Hughes"], "Replies")
    sent = send(api.admin, group["id"], "Tour at 5?", title="Tour invite").json()
    ella = contact_named(api.admin, "Stella Kowalski")
    before = in_app_thread(api.admin, ella["id"])
    unread_before = before["unread_count"] if before else 0
    _, cursor = sync_all(api.admin)
    reply = api.admin.post(f"/v1/people/{ella['id']}/replies", json={"body": "Yes please"})
    assert reply.status_code == 201, reply.text
    again = api.admin.post(f"/v1/people/{ella['id']}/replies", json={"body": "And my wife"})
    assert again.status_code == 201, again.text

    thread = in_app_thread(api.admin, ella["id"])
    assert thread is not None
    assert thread["id"] == reply.json()["conversation_id"]
    assert thread["unread_count"] == unread_before + 2
    history = page_all(api.admin, f"/v1/conversations/{thread['id']}/messages", limit=50)
    by_body = {m["body"]: m for m in history}
    first = by_body["Yes please"]
    assert (first["direction"], first["reply_to_group_message_id"], first["reply_to_title"]) == (
        "in", sent["id"], "Tour invite")
    # Only the reply that counts for the group message is marked; the talk goes on unmarked.
    assert (by_body["And my wife"]["reply_to_group_message_id"],
            by_body["And my wife"]["reply_to_title"]) == (None, None)
    assert by_body["Tour at 5?"]["reply_to_group_message_id"] is None

    events, _ = sync_all(api.admin, cursor)
    about_first = [e["data"] for e in events
                   if e["type"] == "message.upserted" and e["data"]["id"] == first["id"]]
    assert about_first
    assert about_first[-1]["reply_to_group_message_id"] == sent["id"]
    assert about_first[-1]["reply_to_title"] == "Tour invite"
    stats = api.admin.get(f"/v1/group-messages/{sent['id']}").json()["stats"]
    assert stats["replied"] == 1


def test_the_database_spells_the_in_app_thread_id_as_python_does(
    empty_database: Database,
) -> None:
    contacts = ["con_00000000000000000000", "con_9f86d081884c7d659a2f", "ünïcode-id"]
    with empty_database.writing() as session:
        for contact_id in contacts:
            expression = conversation_id_sql(session, literal_column(f"'{contact_id}'"))
            assert session.scalar(select(expression)) == conversation_id_for(contact_id)


def test_a_renamed_person_s_in_app_thread_takes_the_new_name_at_once(api: Api) -> None:
    # A group message no longer refreshes thread titles: the rename itself must.
    made = api.admin.post("/v1/contacts", json={"name": "Hana Sato", "phones": [
        {"number": phone()}]})
    assert made.status_code == 201, made.text
    group = group_with(api.admin, ["Hana Sato"], "Rename")
    hana = made.json()
    send(api.admin, group["id"], "Before the rename")
    _, cursor = sync_all(api.admin)
    renamed = api.admin.patch(f"/v1/contacts/{hana['id']}", json={"name": "Hana Sato-Reyes"})
    assert renamed.status_code == 200, renamed.text
    events, _ = sync_all(api.admin, cursor)
    thread = in_app_thread(api.admin, hana["id"])
    assert thread is not None
    assert thread["title"] == "Hana Sato-Reyes"
    shown = [e["data"] for e in events
             if e["type"] == "conversation.upserted" and e["data"]["id"] == thread["id"]]
    assert [t["title"] for t in shown] == ["Hana Sato-Reyes"]
