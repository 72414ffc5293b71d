"""Migration 0006 on a database with a feed written before it: every event gets its scope and
the owner its scope has today, so a full sync stops handing out what a user lost sight of."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa

from console.backend.db import Database
from console.backend.migrate import upgrade

T0 = datetime(2026, 1, 1)  # naive UTC, as stored

# The tables as they are at revision 0005 (the models describe the newest schema).
USERS = sa.table(
    "users", sa.column("id"), sa.column("email"), sa.column("name"), sa.column("role"),
    sa.column("data_access"), sa.column("password_hash"), sa.column("created_at"),
    sa.column("updated_at"),
)
CONTACTS = sa.table(
    "contacts", sa.column("id"), sa.column("name"), sa.column("name_key"), sa.column("dnd"),
    sa.column("assigned_user_id"), sa.column("created_at"), sa.column("updated_at"),
)
CONVERSATIONS = sa.table(
    "conversations", sa.column("id"), sa.column("kind"), sa.column("title"),
    sa.column("contact_id"), sa.column("phone"), sa.column("status"),
    sa.column("last_message_preview"), sa.column("unread_count"), sa.column("created_at"),
    sa.column("updated_at"),
)
PARTICIPANTS = sa.table(
    "group_chat_participants", sa.column("conversation_id"), sa.column("position"),
    sa.column("contact_id"), sa.column("phone"),
)
MESSAGES = sa.table(
    "messages", sa.column("id"), sa.column("conversation_id"), sa.column("direction"),
    sa.column("body"), sa.column("status"), sa.column("from_number"), sa.column("to_number"),
    sa.column("created_at"), sa.column("updated_at"),
)
EVENTS = sa.table(
    "events", sa.column("seq"), sa.column("type"), sa.column("entity_id"),
    sa.column("data", sa.JSON), sa.column("contact_id"), sa.column("owner_user_id"),
    sa.column("admin_only"), sa.column("only_user_id"), sa.column("created_at"),
)


def _event(
    connection: sa.Connection, type_: str, entity_id: str, data: dict[str, Any],
    contact_id: str | None, owner: str | None, only: str | None = None,
) -> None:
    connection.execute(sa.insert(EVENTS).values(
        type=type_, entity_id=entity_id, data=data, contact_id=contact_id, owner_user_id=owner,
        admin_only=False, only_user_id=only, created_at=T0,
    ))


def _old_feed(connection: sa.Connection) -> None:
    """Ann's contact moved from A to B after the events were written; one group chat is all
    B's now, the other mixed; A still holds a "you lost it" notice carrying the whole card."""
    for user in ("usr_a", "usr_b"):
        connection.execute(sa.insert(USERS).values(
            id=user, email=f"{user}@x.example", name=user, role="user", data_access="assigned",
            password_hash="-", created_at=T0, updated_at=T0,
        ))
    for contact, owner in (("con_ann", "usr_b"), ("con_bo", "usr_b"), ("con_cy", None)):
        connection.execute(sa.insert(CONTACTS).values(
            id=contact, name=contact, name_key=contact, dnd=False, assigned_user_id=owner,
            created_at=T0, updated_at=T0,
        ))
    chats = {"cnv_direct": ("direct", "con_ann", []),
             "cnv_all_b": ("group_sms", None, ["con_ann", "con_bo"]),
             "cnv_mixed": ("group_sms", None, ["con_ann", "con_cy"])}
    for chat, (kind, chat_contact, people) in chats.items():
        connection.execute(sa.insert(CONVERSATIONS).values(
            id=chat, kind=kind, title=chat, contact_id=chat_contact, phone=None, status="active",
            last_message_preview="", unread_count=0, created_at=T0, updated_at=T0,
        ))
        for position, person in enumerate(people):
            connection.execute(sa.insert(PARTICIPANTS).values(
                conversation_id=chat, position=position, contact_id=person,
                phone=f"+1415555010{position}",
            ))
        connection.execute(sa.insert(MESSAGES).values(
            id=f"msg_{chat}", conversation_id=chat, direction="out", body="hi", status="sent",
            from_number="+14155550100", to_number="+14155550101", created_at=T0, updated_at=T0,
        ))
        first = chat_contact or people[0]
        _event(connection, "conversation.upserted", chat, {"id": chat}, first, "usr_a")
        _event(connection, "message.upserted", f"msg_{chat}",
               {"id": f"msg_{chat}", "conversation_id": chat}, first, "usr_a")
    card = {"id": "con_ann", "name": "Ann", "phones": [{"number": "+14155550100"}]}
    _event(connection, "contact.upserted", "con_ann", card, "con_ann", "usr_a")
    _event(connection, "group.member_added", "grp_1", {"group_id": "grp_1"}, "con_ann", "usr_a")
    _event(connection, "contact.deleted", "con_ann", {**card, "deleted": True}, "con_ann",
           "usr_a", only="usr_a")
    _event(connection, "group_message.upserted", "gms_1", {"id": "gms_1"}, None, None)
    _event(connection, "user.upserted", "usr_a", {"id": "usr_a"}, None, None)


def test_old_events_get_their_scope_and_todays_owner(empty_database: Database) -> None:
    upgrade(empty_database.engine, "0005")
    with empty_database.engine.begin() as connection:
        _old_feed(connection)
    upgrade(empty_database.engine, "0006")

    events = sa.table(
        "events", sa.column("type"), sa.column("entity_id"), sa.column("data", sa.JSON),
        sa.column("owner_user_id"), sa.column("only_user_id"), sa.column("scope_id"),
    )
    with empty_database.engine.connect() as connection:
        rows = connection.execute(sa.select(events)).all()
    shared = {(r.type, r.entity_id): (r.scope_id, r.owner_user_id)
              for r in rows if r.only_user_id is None}
    assert shared == {
        ("conversation.upserted", "cnv_direct"): ("cnv_direct", "usr_b"),
        ("message.upserted", "msg_cnv_direct"): ("cnv_direct", "usr_b"),
        ("conversation.upserted", "cnv_all_b"): ("cnv_all_b", "usr_b"),
        ("message.upserted", "msg_cnv_all_b"): ("cnv_all_b", "usr_b"),
        ("conversation.upserted", "cnv_mixed"): ("cnv_mixed", None),
        ("message.upserted", "msg_cnv_mixed"): ("cnv_mixed", None),
        ("contact.upserted", "con_ann"): ("con_ann", "usr_b"),
        ("group.member_added", "grp_1"): ("con_ann", "usr_b"),
        ("group_message.upserted", "gms_1"): ("gms_1", None),
        ("user.upserted", "usr_a"): (None, None),
    }
    [notice] = [r for r in rows if r.only_user_id is not None]
    assert (notice.scope_id, notice.owner_user_id) == ("con_ann", "usr_a")
    assert notice.data == {"id": "con_ann", "deleted": True, "out_of_sight": True}


def test_consoles_synced_under_the_old_rules_sync_again(empty_database: Database) -> None:
    """Their caches hold what the old rules gave them: a new feed epoch refuses their cursors."""
    meta = sa.table("meta", sa.column("key"), sa.column("value"))
    upgrade(empty_database.engine, "0005")
    with empty_database.engine.begin() as connection:
        connection.execute(sa.insert(meta).values(key="feed_epoch", value="old0epoch0"))
    upgrade(empty_database.engine, "0006")
    with empty_database.engine.connect() as connection:
        epoch = connection.execute(
            sa.select(meta.c.value).where(meta.c.key == "feed_epoch")
        ).scalar_one()
    assert epoch != "old0epoch0"
    assert len(epoch) == 12
