"""The Alembic migrations build exactly the schema the models describe, and re-run harmlessly."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from console.backend.db import Database
from console.backend.migrate import alembic_config, upgrade
from console.backend.models import Base


def test_migrations_match_the_models_and_are_idempotent(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'schema.db'}")
    try:
        upgrade(db.engine)
        upgrade(db.engine)  # a second start finds nothing to do
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
            head = ScriptDirectory.from_config(alembic_config(db.engine)).get_current_head()
            assert context.get_current_revision() == head
        assert set(inspect(db.engine).get_table_names()) >= {
            "users", "access_tokens", "business_numbers", "contacts", "contact_phones",
            "conversations", "messages", "events", "idempotency_records",
            "simulator_handset_messages", "alembic_version", "meta",
        }
    finally:
        db.dispose()


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'wal.db'}")
    try:
        with db.reading() as session:
            assert session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert (session.execute(text("PRAGMA busy_timeout")).scalar() or 0) >= 5000
            assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1
    finally:
        db.dispose()
