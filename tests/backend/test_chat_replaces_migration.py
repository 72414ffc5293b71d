"""Migration 0013 on a database with chats: rows stay, no chat replaces another yet, and the
new column is a real reference (SQLite rebuilds the table for it)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from console.backend.db import Database
from console.backend.migrate import upgrade
from tests.backend.test_feed_scope_migration import CONVERSATIONS, MESSAGES, T0


def test_0013_keeps_chats_and_links_only_existing_ones(empty_database: Database) -> None:
    upgrade(empty_database.engine, "0012")
    with empty_database.engine.begin() as connection:
        for chat in ("cnv_old", "cnv_new"):
            connection.execute(sa.insert(CONVERSATIONS).values(
                id=chat, kind="group_sms", title=chat, contact_id=None, phone=None,
                status="active", last_message_preview="", unread_count=0, created_at=T0,
                updated_at=T0,
            ))
        connection.execute(sa.insert(MESSAGES).values(
            id="msg_1", conversation_id="cnv_old", direction="out", body="hi", status="sent",
            from_number="+14155550100", to_number="", created_at=T0, updated_at=T0,
        ))

    upgrade(empty_database.engine)

    with empty_database.engine.begin() as connection:
        rows = connection.execute(
            sa.text("SELECT id, replaces_id FROM conversations ORDER BY id")
        ).all()
        assert [tuple(r) for r in rows] == [("cnv_new", None), ("cnv_old", None)]
        assert connection.execute(sa.text("SELECT count(*) FROM messages")).scalar_one() == 1
        connection.execute(
            sa.text("UPDATE conversations SET replaces_id = 'cnv_old' WHERE id = 'cnv_new'")
        )
    indexes = {i["name"] for i in sa.inspect(empty_database.engine).get_indexes("conversations")}
    assert "ix_conversations_replaces_id" in indexes
    with pytest.raises(sa.exc.IntegrityError), empty_database.engine.begin() as connection:
        connection.execute(
            sa.text("UPDATE conversations SET replaces_id = 'cnv_nope' WHERE id = 'cnv_old'")
        )
