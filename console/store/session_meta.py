"""Session meta of a profile (server, user, last opened) and the sync cursor. Never secrets."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Connection, create_engine, delete, select, update
from sqlalchemy.dialects.sqlite import insert
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

from console.protocol.auth import User
from console.store.models import meta, sync_state, users

SERVER_URL = "server_url"
EMAIL = "email"
USER_ID = "user_id"
LAST_OPENED_AT = "last_opened_at"


def set_meta(conn: Connection, values: dict[str, str]) -> None:
    if not values:
        return
    stmt = insert(meta)
    stmt = stmt.on_conflict_do_update(
        index_elements=[meta.c.key], set_={"value": stmt.excluded.value}
    )
    conn.execute(stmt, [{"key": k, "value": v} for k, v in values.items()])


def get_meta(conn: Connection) -> dict[str, str]:
    return {row.key: row.value for row in conn.execute(select(meta.c.key, meta.c.value))}


def upsert_users(conn: Connection, records: list[User]) -> None:
    if not records:
        return
    stmt = insert(users)
    stmt = stmt.on_conflict_do_update(
        index_elements=[users.c.id],
        set_={c: stmt.excluded[c] for c in ("email", "name", "role", "data_access")},
    )
    conn.execute(
        stmt,
        [u.model_dump(include={"id", "email", "name", "role", "data_access"}) for u in records],
    )


def get_user(conn: Connection, user_id: str) -> User | None:
    row = conn.execute(select(users).where(users.c.id == user_id)).mappings().first()
    return User.model_validate(dict(row)) if row else None


@dataclass(frozen=True, slots=True)
class SessionInfo:
    server_url: str
    email: str
    user: User
    last_opened_at: datetime | None


def save_session(conn: Connection, server_url: str, user: User, opened_at: datetime) -> None:
    upsert_users(conn, [user])
    set_meta(
        conn,
        {
            SERVER_URL: server_url,
            EMAIL: user.email,
            USER_ID: user.id,
            LAST_OPENED_AT: opened_at.isoformat(),
        },
    )


def load_session(conn: Connection) -> SessionInfo | None:
    values = get_meta(conn)
    user_id = values.get(USER_ID)
    if not user_id or SERVER_URL not in values:
        return None
    user = get_user(conn, user_id)
    if user is None:
        return None
    opened = values.get(LAST_OPENED_AT)
    return SessionInfo(
        server_url=values[SERVER_URL],
        email=values.get(EMAIL, user.email),
        user=user,
        last_opened_at=datetime.fromisoformat(opened) if opened else None,
    )


@dataclass(frozen=True, slots=True)
class CursorState:
    cursor: str | None
    last_sync_at: datetime | None


def read_cursor(conn: Connection) -> CursorState:
    row = conn.execute(
        select(sync_state.c.cursor, sync_state.c.last_sync_at).where(sync_state.c.id == 1)
    ).first()
    if row is None:
        return CursorState(None, None)
    return CursorState(row.cursor, row.last_sync_at)


# How far a catch-up batch written in steps got (console/store/feed.py); any new cursor,
# including none at all (the cache cleared), makes it stale, so storing one drops it.
FEED_PARTIAL_KEY = "feed_partial"


def save_cursor(conn: Connection, cursor: str | None, synced_at: datetime | None) -> None:
    conn.execute(delete(meta).where(meta.c.key == FEED_PARTIAL_KEY))
    values: dict[str, object] = {"cursor": cursor}
    if synced_at is not None:
        values["last_sync_at"] = synced_at
    result = conn.execute(update(sync_state).where(sync_state.c.id == 1).values(**values))
    if result.rowcount == 0:
        conn.execute(insert(sync_state).values(id=1, **values))


def peek_session(cache_path: Path) -> SessionInfo | None:
    """Read a cache file's session meta without migrating or writing it (None if unreadable)."""
    if not cache_path.is_file():
        return None
    uri = f"{cache_path.resolve().as_uri()}?mode=ro"  # read-only: peeking never migrates
    engine = create_engine(
        "sqlite+pysqlite://",
        creator=lambda: sqlite3.connect(uri, uri=True),
        poolclass=NullPool,
    )
    try:
        with engine.connect() as conn:
            return load_session(conn)
    except SQLAlchemyError:
        return None
    finally:
        engine.dispose()
