"""Migration 0018 on PostgreSQL: the references of messages and group message recipients,
checked per statement by triggers instead of per row by foreign keys, refuse and allow exactly
what the foreign keys did (inserts, updates, deletes, cascades, concurrent deletes), and a
downgrade puts the foreign keys back."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any, cast

import psycopg
import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.exc import DBAPIError, IntegrityError

from console.backend import models
from console.backend.db import Database
from console.backend.migrate import alembic_config, upgrade
from console.backend.seed import seed_demo
from tests.backend.pg import fresh_database, needs_postgres

pytestmark = needs_postgres

MESSAGES = cast(sa.Table, models.Message.__table__)
RECIPIENTS = cast(sa.Table, models.GroupMessageRecipient.__table__)
T0 = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
REPLACED = {
    ("messages", "conversation_id"), ("messages", "author_user_id"),
    ("messages", "author_contact_id"), ("group_message_recipients", "group_message_id"),
}


@pytest.fixture(scope="module")
def db() -> Iterator[Database]:
    with fresh_database() as url:
        database = Database(url)
        upgrade(database.engine)
        seed_demo(database)  # users, contacts, threads, messages, a sent group message
        yield database
        database.dispose()


def _foreign_keys(db: Database) -> set[tuple[str, str]]:
    inspector = sa.inspect(db.engine)
    return {
        (table, column)
        for table in ("messages", "group_message_recipients")
        for fk in inspector.get_foreign_keys(table)
        for column in fk["constrained_columns"]
    }


def _any(db: Database, column: Any) -> str:
    with db.engine.connect() as connection:
        value = connection.execute(sa.select(column).limit(1)).scalar_one()
    assert isinstance(value, str)
    return value


def _message(conversation_id: str, author_user_id: str | None, n: int) -> dict[str, Any]:
    return {
        "id": f"msg_refs_{n:06d}", "conversation_id": conversation_id, "direction": "out",
        "author_user_id": author_user_id, "body": "hello", "status": "sent",
        "from_number": "", "to_number": "", "created_at": T0, "updated_at": T0,
    }


def _refused(db: Database, statement: Any, rows: Any = None) -> IntegrityError:
    with pytest.raises(IntegrityError) as refused, db.engine.begin() as connection:
        connection.execute(statement, rows) if rows is not None else connection.execute(statement)
    assert isinstance(refused.value.orig, psycopg.Error)
    assert refused.value.orig.sqlstate == "23503"  # foreign_key_violation, as before
    return refused.value


def _count(db: Database, statement: Any) -> int:
    with db.engine.connect() as connection:
        return int(connection.execute(statement).scalar_one())


def test_the_foreign_keys_are_triggers_and_the_schema_differs_by_nothing_else(db: Database) -> None:
    assert not _foreign_keys(db) & REPLACED
    with db.engine.connect() as connection:
        diffs = compare_metadata(
            MigrationContext.configure(connection, opts={"compare_type": True}),
            models.Base.metadata,
        )
    removed = {
        (diff[1].parent.name, diff[1].column_keys[0]) for diff in diffs if diff[0] == "add_fk"
    }
    assert removed == REPLACED
    assert len(diffs) == len(REPLACED), diffs


def test_inserts_naming_missing_rows_are_refused_whole(db: Database) -> None:
    thread, user = _any(db, models.Conversation.id), _any(db, models.User.id)
    before = _count(db, sa.select(sa.func.count()).select_from(MESSAGES))
    # One bad row among good ones: nothing of the statement is written.
    rows = [_message(thread, user, n) for n in range(5)] + [_message("cnv_nowhere", user, 5)]
    error = _refused(db, sa.insert(MESSAGES), rows)
    assert "conversations" in str(error.orig)
    _refused(db, sa.insert(MESSAGES), [_message(thread, "usr_nobody", 6)])
    _refused(db, sa.insert(MESSAGES), [{**_message(thread, None, 7), "author_contact_id": "ctc_x"}])
    assert _count(db, sa.select(sa.func.count()).select_from(MESSAGES)) == before

    with db.engine.begin() as connection:  # NULL authors name nothing: allowed, as before
        connection.execute(
            sa.insert(MESSAGES), [_message(thread, user, 8), _message(thread, None, 9)]
        )
    assert _count(db, sa.select(sa.func.count()).select_from(MESSAGES)) == before + 2


def test_updates_are_checked_only_when_a_reference_changes(db: Database) -> None:
    message = _any(db, MESSAGES.c.id)
    _refused(db, sa.update(MESSAGES).where(MESSAGES.c.id == message)
             .values(conversation_id="cnv_nowhere"))
    _refused(db, sa.update(MESSAGES).where(MESSAGES.c.id == message)
             .values(author_user_id="usr_nobody"))
    with db.engine.begin() as connection:
        changed = connection.execute(
            sa.update(MESSAGES).where(MESSAGES.c.id == message).values(status="read")
        ).rowcount
    assert changed == 1


def test_deleting_a_named_row_fails_and_a_group_message_takes_its_recipients(db: Database) -> None:
    named_thread = _any(db, MESSAGES.c.conversation_id)
    threads = cast(sa.Table, models.Conversation.__table__)
    _refused(db, sa.delete(threads).where(threads.c.id == named_thread))
    _refused(db, sa.update(threads).where(threads.c.id == named_thread).values(id="cnv_renamed"))
    users = cast(sa.Table, models.User.__table__)
    _refused(db, sa.delete(users).where(
        users.c.id == sa.select(MESSAGES.c.author_user_id)
        .where(MESSAGES.c.author_user_id.is_not(None)).limit(1).scalar_subquery()))

    group_messages = cast(sa.Table, models.GroupMessage.__table__)
    sent = _any(db, RECIPIENTS.c.group_message_id)
    of_it = sa.select(sa.func.count()).select_from(RECIPIENTS).where(
        RECIPIENTS.c.group_message_id == sent)
    assert _count(db, of_it) > 0
    with db.engine.begin() as connection:  # then rolled back: other tests keep the send
        connection.execute(sa.delete(group_messages).where(group_messages.c.id == sent))
        assert connection.execute(of_it).scalar_one() == 0
        connection.rollback()
    assert _count(db, of_it) > 0


def test_a_concurrent_delete_waits_for_the_insert_that_names_the_row(db: Database) -> None:
    """The insert's check locks the thread FOR KEY SHARE, as a foreign key's does: a delete of
    that thread from another transaction cannot slip between the check and the commit."""
    thread, user = _any(db, models.Conversation.id), _any(db, models.User.id)
    threads = cast(sa.Table, models.Conversation.__table__)
    with db.engine.connect() as inserting, db.engine.connect() as deleting:
        inserting.begin()
        inserting.execute(sa.insert(MESSAGES), [_message(thread, user, 20)])
        deleting.begin()
        deleting.execute(sa.text("SET LOCAL lock_timeout = '300ms'"))
        with pytest.raises(DBAPIError) as waited:
            deleting.execute(sa.delete(threads).where(threads.c.id == thread))
        assert isinstance(waited.value.orig, psycopg.Error)
        assert waited.value.orig.sqlstate == "55P03"  # lock_not_available: it had to wait
        deleting.rollback()
        inserting.rollback()


def test_a_downgrade_puts_the_foreign_keys_back() -> None:
    with fresh_database() as url:
        database = Database(url)
        try:
            upgrade(database.engine)
            config = alembic_config(database.engine)
            with database.engine.begin() as connection:
                config.attributes["connection"] = connection
                command.downgrade(config, "0017")
            assert _foreign_keys(database) >= REPLACED
            with database.engine.connect() as connection:
                triggers = connection.execute(sa.text(
                    "SELECT count(*) FROM pg_trigger WHERE tgname LIKE '%references%'"
                )).scalar_one()
            assert triggers == 0
            upgrade(database.engine)  # and up again
            assert not _foreign_keys(database) & REPLACED
        finally:
            database.dispose()
