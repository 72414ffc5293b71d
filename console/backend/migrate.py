"""Create or upgrade the schema with the Alembic migrations kept in this package."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, text

from console.backend.db import immediate

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
    with immediate(engine).begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


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
