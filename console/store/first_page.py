"""The conversation list's first page, read from a profile's cache file with the sqlite3 module
alone: the window shows it while SQLAlchemy and the services load (a cold start, PERFORMANCE.md).

    path = latest_cache(server_url=args.server, profile=args.profile)  # what start-up opens
    reader = FirstPageReader.open(path)          # None: not at this version's schema, unreadable
    views, unread = reader.first_page(limit=100), reader.unread_counts()
    reader.close()

Read-only: a peek never migrates or writes. The choices are those of services/profiles.py
`find_profile` and store/queries.py `conversation_page` / `unread_counts`, spelled in SQL here
because importing those costs most of a second (tests/unit/test_first_page.py holds them equal).
"""

from __future__ import annotations

import logging
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple

from console.store.conversation_views import ConversationView, conversation_view
from console.store.paths import CACHE_FILENAME, normalize_server_url, profile_dir, profiles_root
from console.store.schema_head import head_from_files

log = logging.getLogger("console.store.first_page")

_COLUMNS = (
    "c.id, c.kind, c.title, c.phone, c.participants_json, c.last_message_preview, "
    "c.activity_at, c.unread_count, c.status, c.blocked_reason, c.replaces, c.replaced_by, "
    "n.label, n.e164"
)
# Two reads, so each walks the activity_at index (as store/queries.py conversation_page).
_DATED = (
    f"SELECT {_COLUMNS} FROM conversations c LEFT JOIN business_numbers n ON n.id = c.number_id "
    "WHERE c.known IS 1 AND c.activity_at IS NOT NULL{narrow} "
    "ORDER BY c.activity_at DESC, c.title, c.id LIMIT ?"
)
_UNDATED = (
    f"SELECT {_COLUMNS} FROM conversations c LEFT JOIN business_numbers n ON n.id = c.number_id "
    "WHERE c.known IS 1 AND c.activity_at IS NULL{narrow} ORDER BY c.title, c.id LIMIT ?"
)
_UNREAD = "SELECT id, unread_count FROM conversations WHERE known IS 1 AND unread_count > 0"


class _Row(NamedTuple):
    id: str
    kind: str
    title: str
    phone: str | None
    participants_json: str | None
    last_message_preview: str
    activity_at: datetime | None
    unread_count: int
    status: str
    blocked_reason: str | None
    replaces: str | None
    replaced_by: str | None
    number_label: str | None
    number_e164: str | None


def _utc(stored: str | None) -> datetime | None:
    """The cache keeps UTC times as naive text (store/coltypes.py UtcDateTime)."""
    return datetime.fromisoformat(stored).replace(tzinfo=UTC) if stored else None


def _connect(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def _session(path: Path) -> tuple[str, datetime | None] | None:
    """(server URL, last opened) of a cache with a signed-in user, as store/session_meta.py
    `peek_session` finds it (None: not such a cache)."""
    if not path.is_file():
        return None
    try:
        conn = _connect(path)
        try:
            values = dict(conn.execute("SELECT key, value FROM meta").fetchall())
            user_id = values.get("user_id")
            if not user_id or "server_url" not in values:
                return None
            if conn.execute("SELECT 1 FROM users WHERE id = ?", (user_id,)).fetchone() is None:
                return None
        finally:
            conn.close()
        opened = values.get("last_opened_at")
        return str(values["server_url"]), datetime.fromisoformat(opened) if opened else None
    except (sqlite3.Error, ValueError):
        return None


def latest_cache(*, server_url: str | None, profile: str | None) -> Path | None:
    """The cache of the most recently opened profile matching `--server` / `--profile`, as
    services/profiles.py `find_profile(name=profile, server_url=server_url)` chooses it."""
    try:
        server = normalize_server_url(server_url) if server_url else None
        folder_name = profile_dir("", "", profile=profile).name if profile is not None else None
    except ValueError:
        return None
    root = profiles_root()
    if not root.is_dir():
        return None
    never = datetime.min.replace(tzinfo=UTC)
    best: tuple[datetime, Path] | None = None
    for folder in root.iterdir():
        if folder_name is not None and folder.name != folder_name:
            continue
        path = folder / CACHE_FILENAME
        found = _session(path)
        if found is None or (server is not None and found[0] != server):
            continue
        opened = found[1] or never
        if best is None or opened > best[0]:  # the first of equals, as a stable sort keeps it
            best = (opened, path)
    return best[1] if best is not None else None


class FirstPageReader:
    """A read-only connection to one cache file that is at this version's schema head."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    @classmethod
    def open(cls, path: Path) -> FirstPageReader | None:
        head = head_from_files()
        if head is None or not path.is_file():
            return None
        try:
            conn = _connect(path)
        except sqlite3.Error:
            return None
        try:
            stamp = conn.execute("SELECT version_num FROM alembic_version").fetchall()
        except sqlite3.Error:
            stamp = []
        if stamp != [(head,)]:  # to be migrated (or newer): the services read it, not this
            conn.close()
            return None
        return cls(conn)

    def first_page(
        self, *, limit: int, kind: str | None = None, status: str | None = None
    ) -> list[ConversationView]:
        """The list's first `limit` conversations, narrowed to a kind or a status (a chip)."""
        narrow = ""
        params: list[str] = []
        if kind is not None:
            narrow, params = narrow + " AND c.kind = ?", [*params, kind]
        if status is not None:
            narrow, params = narrow + " AND c.status = ?", [*params, status]
        found = self._conn.execute(_DATED.format(narrow=narrow), (*params, limit)).fetchall()
        if len(found) < limit:
            found += self._conn.execute(
                _UNDATED.format(narrow=narrow), (*params, limit - len(found))
            ).fetchall()
        views = []
        for raw in found:
            row = _Row._make(raw)
            views.append(conversation_view(row._replace(activity_at=_utc(raw[6]))))
        return views

    def unread_counts(self) -> dict[str, int]:
        """Every known conversation with unread messages (store/queries.py unread_counts)."""
        return {str(cid): int(count) for cid, count in self._conn.execute(_UNREAD)}

    def close(self) -> None:
        self._conn.close()
