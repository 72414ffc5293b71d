"""Create or upgrade the schema with the Alembic migrations kept in this package."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, text

from console.backend.db import immediate, is_sqlite

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
_STARTUP_LOCK_KEY = 0x6D696772  # shared by every backend process on the database


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("path_separator", "os")
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("version_locations", str(MIGRATIONS_DIR / "versions"))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    config = alembic_config(engine)
    # One transaction. On SQLite it starts IMMEDIATE, so a second process starting at the same
    # time waits for the first to finish and then finds nothing to do; PostgreSQL callers hold
    # `startup_lock` (DDL there does not wait for a concurrent CREATE TABLE to commit).
    with (
        immediate(engine).connect() as connection,
        _sqlite_foreign_keys_off(connection),
        connection.begin(),
    ):
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
        _check_foreign_keys(connection)


@contextmanager
def _sqlite_foreign_keys_off(connection: Connection) -> Iterator[None]:
    """SQLite changes a column by copying its table and dropping the old one (Alembic's batch
    mode). With foreign keys on, that drop cascade-deletes or refuses every row pointing at the
    table (a contact's phones, conversations), so they are off while migrating. The pragma does
    nothing inside a transaction: it is set on the raw connection before BEGIN."""
    if not is_sqlite(connection):
        yield
        return
    raw = connection.connection.driver_connection
    assert raw is not None
    raw.execute("PRAGMA foreign_keys=OFF")
    try:
        yield
    finally:
        raw.execute("PRAGMA foreign_keys=ON")


def _check_foreign_keys(connection: Connection) -> None:
    """With SQLite's checks off during the migration, check every reference before commit."""
    if not is_sqlite(connection):
        return
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
    if broken:
        raise RuntimeError(f"migration left {len(broken)} broken references, e.g. {broken[0]}")


@contextmanager
def startup_lock(engine: Engine) -> Iterator[None]:
    """Held while a process migrates and sets up a database, so several `serve` processes
    starting together on one fresh PostgreSQL do it one after the other."""
    if engine.dialect.name != "postgresql":
        yield
        return
    with engine.connect() as connection:
        connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _STARTUP_LOCK_KEY})
        connection.commit()
        try:
            yield
        finally:
            try:
                connection.execute(
                    text("SELECT pg_advisory_unlock(:key)"), {"key": _STARTUP_LOCK_KEY}
                )
                connection.commit()
            except Exception:
                # A session lock must not go back to the pool with the connection.
                connection.invalidate()
                raise
