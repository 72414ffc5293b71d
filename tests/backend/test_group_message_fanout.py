"""A group message's fan-out is written by the database (INSERT ... SELECT): what it writes must
be what the row-at-a-time code wrote, read back through the real views; a person's reply comes
back into their own conversation marked with the group message it answers."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import literal_column, select

from console.backend.db import Database
from console.backend.ops.in_app import conversation_id_for, conversation_id_sql
from tests.backend.conftest import Api, contact_named, page_all, sync_all
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


def test_the_feed_holds_what_the_views_show_for_new_and_existing_threads(api: Api) -> None:
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
    _, cursor = sync_all(api.admin)
    sent = send(api.admin, group["id"], 'Open "house" \u2013 Sunday \\ 1-4pm', title="Fan").json()
    events, _ = sync_all(api.admin, cursor)

    for name in names:
        contact = contact_named(api.admin, name)
        thread = in_app_thread(api.admin, contact["id"])
        assert thread is not None
        shown = [e["data"] for e in events
                 if e["type"] == "conversation.upserted" and e["data"]["id"] == thread["id"]]
        assert shown, name
        _same(shown[-1], thread)
        newest = api.admin.get(f"/v1/conversations/{thread['id']}/messages").json()["items"][0]
        assert newest["body"] == sent["body"]
        copies = [e["data"] for e in events
                  if e["type"] == "message.upserted" and e["data"]["id"] == newest["id"]]
        assert len(copies) == 1, name
        _same(copies[0], newest)
    grace_thread = in_app_thread(api.admin, grace["id"])
    assert grace_thread is not None and grace_thread["unread_count"] >= 1
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
    assert thread is not None and thread["id"] == reply.json()["conversation_id"]
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
    assert about_first and about_first[-1]["reply_to_group_message_id"] == sent["id"]
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
