"""Alembic environment for the cache: always handed a live connection by console.store.migrate."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from console.store.models import Base

connection = context.config.attributes.get("connection")
if not isinstance(connection, Connection):
    raise RuntimeError("cache migrations run through console.store.migrate.upgrade_to_head()")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things: later migrations copy tables
)
with context.begin_transaction():
    context.run_migrations()
