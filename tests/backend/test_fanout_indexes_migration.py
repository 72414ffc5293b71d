"""Migration 0016 makes two group-chat-only indexes of `conversations` partial and drops the
unused `ix_messages_status` (a group message writes thousands of threads and messages, each an
entry in every such index): the rows stay, a group SMS chat's set stays unique, and the
threads without one (NULL) still pass side by side."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from console.backend.db import Database
from console.backend.migrate import upgrade
from tests.backend.test_feed_scope_migration import T0

NUMBERS = sa.table(
    "business_numbers", sa.column("id"), sa.column("e164"), sa.column("label"),
    sa.column("is_default"), sa.column("created_at"), sa.column("updated_at"),
)
# As it is at revision 0015.
CONVERSATIONS = sa.table(
    "conversations", sa.column("id"), sa.column("kind"), sa.column("title"),
    sa.column("number_id"), sa.column("status"), sa.column("last_message_preview"),
    sa.column("unread_count"), sa.column("created_at"), sa.column("updated_at"),
    sa.column("participant_key"), sa.column("replaces_id"),
)


def _thread(id_: str, kind: str, key: str | None, replaces: str | None = None) -> sa.Insert:
    return sa.insert(CONVERSATIONS).values(
        id=id_, kind=kind, title=id_, number_id="num_1", status="active",
        last_message_preview="", unread_count=0, created_at=T0, updated_at=T0,
        participant_key=key, replaces_id=replaces,
    )


def test_the_fan_out_indexes_keep_rows_and_group_chat_uniqueness(
    empty_database: Database,
) -> None:
    upgrade(empty_database.engine, "0015")
    with empty_database.engine.begin() as connection:
        connection.execute(sa.insert(NUMBERS).values(
            id="num_1", e164="+14155550100", label="Main", is_default=True, created_at=T0,
            updated_at=T0,
        ))
        connection.execute(_thread("cnv_chat_a", "group_sms", "key-a"))
        connection.execute(_thread("cnv_chat_b", "group_sms", "key-b", replaces="cnv_chat_a"))
        connection.execute(_thread("cnv_app_1", "in_app", None))

    upgrade(empty_database.engine)

    indexes = {
        index["name"]: index
        for index in sa.inspect(empty_database.engine).get_indexes("conversations")
    }
    for name, column in (
        ("ix_conversations_replaces_id", "replaces_id"),
        ("uq_conversations_group_set", "participant_key"),
    ):
        # Partial: only the rows that hold a value have an entry.
        where = next(v for k, v in indexes[name]["dialect_options"].items() if k.endswith("_where"))
        assert column in str(where)
        assert "NOT NULL" in str(where).upper()
    message_indexes = sa.inspect(empty_database.engine).get_indexes("messages")
    assert "ix_messages_status" not in {index["name"] for index in message_indexes}
    with empty_database.engine.begin() as connection:
        ids = connection.execute(sa.select(CONVERSATIONS.c.id).order_by(CONVERSATIONS.c.id))
        assert ids.scalars().all() == ["cnv_app_1", "cnv_chat_a", "cnv_chat_b"]
        # Threads with no participant set pass side by side, as before.
        connection.execute(_thread("cnv_app_2", "in_app", None))
        replaced = connection.execute(
            sa.select(CONVERSATIONS.c.id).where(CONVERSATIONS.c.replaces_id == "cnv_chat_a")
        )
        assert replaced.scalars().all() == ["cnv_chat_b"]
    # One chat per participant set and number, still.
    with pytest.raises(sa.exc.IntegrityError), empty_database.engine.begin() as connection:
        connection.execute(_thread("cnv_chat_c", "group_sms", "key-a"))
