"""Migration 0017 on a database with feed events: the documents read back the same (on
PostgreSQL they move from jsonb to json), the recipients keep only their group message's
foreign key, and the unused activity index is gone; a downgrade puts all of it back."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import command

from console.backend.db import Database
from console.backend.migrate import alembic_config, upgrade
from tests.backend.test_feed_scope_migration import EVENTS, T0

DOCUMENTS: list[dict[str, Any]] = [
    {"id": "cnv_1", "title": 'Zo\u00eb "Z" O\'Brien \\ \u6771', "unread_count": 2,
     "participants": [{"name": "A", "tags": []}], "replaces": None},
    {"id": "msg_1", "body": "Line one\nline two \u2013 \U0001F600", "deliveries": []},
]


def _recipient_foreign_keys(db: Database) -> set[str]:
    found = sa.inspect(db.engine).get_foreign_keys("group_message_recipients")
    return {column for fk in found for column in fk["constrained_columns"]}


def _conversation_indexes(db: Database) -> set[str]:
    return {ix["name"] for ix in sa.inspect(db.engine).get_indexes("conversations") if ix["name"]}


def test_0017_keeps_every_document_and_lightens_the_fanout_rows(empty_database: Database) -> None:
    db = empty_database
    upgrade(db.engine, "0016")
    with db.engine.begin() as connection:
        for document in DOCUMENTS:
            connection.execute(sa.insert(EVENTS).values(
                type="conversation.upserted", entity_id=document["id"], data=document,
                admin_only=False, created_at=T0,
            ))
    assert _recipient_foreign_keys(db) == {
        "group_message_id", "contact_id", "conversation_id", "message_id"}
    assert "ix_conversations_activity" in _conversation_indexes(db)

    upgrade(db.engine, "0017")  # 0018 moves the last one to a trigger on PostgreSQL
    with db.engine.connect() as connection:
        assert list(connection.execute(sa.select(EVENTS.c.data).order_by(EVENTS.c.seq)).scalars()) \
            == DOCUMENTS
        if connection.dialect.name == "postgresql":
            kind = connection.execute(sa.text(
                "SELECT data_type FROM information_schema.columns "
                "WHERE table_name = 'events' AND column_name = 'data'")).scalar()
            assert kind == "json"
    assert _recipient_foreign_keys(db) == {"group_message_id"}
    assert "ix_conversations_activity" not in _conversation_indexes(db)

    config = alembic_config(db.engine)
    with db.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0016")
    assert _recipient_foreign_keys(db) == {
        "group_message_id", "contact_id", "conversation_id", "message_id"}
    assert "ix_conversations_activity" in _conversation_indexes(db)
    with db.engine.connect() as connection:
        assert list(connection.execute(sa.select(EVENTS.c.data).order_by(EVENTS.c.seq)).scalars()) \
            == DOCUMENTS
