"""Throwaway PostgreSQL databases on the server CONSOLE_TEST_PG_URL names (tests skip without)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest
from sqlalchemy.engine import make_url

SERVER_URL = os.environ.get("CONSOLE_TEST_PG_URL", "")

skip_without_postgres = pytest.mark.skipif(
    not SERVER_URL, reason="set CONSOLE_TEST_PG_URL to test on PostgreSQL"
)
needs_postgres = [pytest.mark.postgres, skip_without_postgres]


@contextmanager
def fresh_database() -> Iterator[str]:
    """A new, empty database; its SQLAlchemy URL. Dropped afterwards."""
    server = make_url(SERVER_URL)
    name = f"console_test_{uuid.uuid4().hex[:10]}"
    admin_dsn = server.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin_dsn, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin_dsn, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
