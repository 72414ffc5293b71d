"""Full resync: a fresh cache generation built aside, then swapped in with the outbox kept.

When the server no longer knows the stored cursor (410 cursor_invalid: its database was replaced
or restored, the feed was compacted), the cache cannot be brought up to date event by event: it
may hold rows the server never had. So the sync side:

1. builds a new generation: a cache file next to the live one (`<name>.resync-<hex>.db`),
   filled from the whole feed, while the live cache goes on serving the UI and taking local
   writes;
2. swaps it in (swap_in): ONE write transaction on the live cache, with the new file attached,
   replaces every synced row by the new generation's and stores its cursor, keeping every unsent
   outbox item (pending, sending, failed) and the local rows it shows (its message and that
   message's conversation); then the new file is deleted.

Why not rename the new file over the live one: SQLite files must not be renamed or replaced
under open connections (the GUI thread and the sync engine hold pooled ones, and in WAL mode
the -wal/-shm files go by name), so a rename would need every reader stopped and reopened. The
swap transaction is just as atomic (a reader sees the old generation or the new one, never a
mix) and nobody has to stop.

Message rows keep their local ids (the UI's MessageRow.key) where the new generation has the
same message (same server id, or same client key for a send the server got): views and outbox
items that point at them stay valid. Every other synced table is replaced whole; tables added
later are covered as long as they do not point at local message ids.
"""

from __future__ import annotations

import contextlib
import logging
import secrets
from datetime import datetime
from pathlib import Path

from sqlalchemy import Connection, Table

from console.store import search_index
from console.store.apply import QUIET_HOURS_KEY
from console.store.cache import Cache
from console.store.changes import Changes
from console.store.models import Base, conversations, messages, meta, outbox, sync_state
from console.store.session_meta import save_cursor, set_meta

log = logging.getLogger("console.store.generations")

GENERATION_KEY = "cache_generation"
RESYNCED_AT_KEY = "resynced_at"
_SCHEMA = "resync_gen"
_SPECIAL = {t.name for t in (meta, sync_state, outbox, messages, conversations)}
_SUFFIXES = ("", "-wal", "-shm", "-journal", "-writelock")  # writelock: process_lock.py


def _generation_glob(cache_path: Path) -> str:
    return f"{cache_path.stem}.resync-*{cache_path.suffix}"


def remove_generation_files(path: Path) -> None:
    for suffix in _SUFFIXES:
        with contextlib.suppress(FileNotFoundError):
            Path(f"{path}{suffix}").unlink()


def open_new_generation(cache: Cache) -> Cache:
    """An empty cache file next to `cache` (migrated, ready to fill). Files of an earlier
    resync that never finished (the console was closed or crashed) are removed first."""
    for leftover in cache.path.parent.glob(_generation_glob(cache.path)):
        if leftover.suffix == cache.path.suffix:
            log.info("removing an unfinished resync generation: %s", leftover.name)
            remove_generation_files(leftover)
    path = cache.path.with_name(
        f"{cache.path.stem}.resync-{secrets.token_hex(4)}{cache.path.suffix}"
    )
    return Cache.open(path)


def swap_in(cache: Cache, generation: Path, *, now: datetime) -> Changes:
    """Replace the synced contents of `cache` by the (closed) generation file at `generation`,
    keeping every unsent outbox item and what it shows; one transaction. The generation file
    is deleted afterwards. Returns changes marked reset (views reload everything)."""
    with cache.write_attached(generation, _SCHEMA) as conn:
        # Checked at COMMIT instead of per statement: rows move in whatever order is simplest.
        conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
        kept = _swap(conn)
        # History search: the index is of local message ids, rebuilt over the new rows.
        search_index.rebuild(conn)
        _copy_cursor(conn, now)
        # The server's quiet hours rules as the new generation read them (a meta row).
        conn.exec_driver_sql(
            f"INSERT OR REPLACE INTO main.meta (key, value) SELECT key, value FROM {_SCHEMA}.meta "
            "WHERE key = ?", (QUIET_HOURS_KEY,)
        )
        previous = conn.exec_driver_sql(
            "SELECT value FROM main.meta WHERE key = ?", (GENERATION_KEY,)
        ).scalar_one_or_none()
        number = int(previous) + 1 if previous and str(previous).isdigit() else 1
        set_meta(conn, {GENERATION_KEY: str(number), RESYNCED_AT_KEY: now.isoformat()})
    remove_generation_files(generation)
    log.info("resync: generation %d swapped in, %d unsent outbox item(s) kept", number, kept)
    return Changes(outbox=True, reset=True)


def _swap(conn: Connection) -> int:
    """The row moves (inside the caller's transaction); returns how many outbox items stay."""
    g = _SCHEMA
    exec_ = conn.exec_driver_sql
    # Unsent outbox items (pending, sending, failed) and what they point at stay.
    exec_("DROP TABLE IF EXISTS temp.resync_keep")
    exec_(
        "CREATE TEMP TABLE resync_keep AS SELECT id, message_id, conversation_id, state "
        "FROM main.outbox WHERE state != 'done'"
    )
    kept = int(exec_("SELECT count(*) FROM temp.resync_keep").scalar_one())

    # Local message row <-> new generation row: by server id, then by client key (a send the
    # new server has, whose answer this console never saw).
    exec_("DROP TABLE IF EXISTS temp.resync_match")
    exec_("CREATE TEMP TABLE resync_match (gen_id INTEGER PRIMARY KEY, main_id INTEGER UNIQUE)")
    exec_(
        "INSERT INTO temp.resync_match (gen_id, main_id) "
        f"SELECT g.id, m.id FROM {g}.messages AS g JOIN main.messages AS m "
        "ON m.server_id = g.server_id"
    )
    exec_(
        "INSERT OR IGNORE INTO temp.resync_match (gen_id, main_id) "
        f"SELECT g.id, m.id FROM {g}.messages AS g JOIN main.messages AS m "
        "ON m.client_key = g.client_key WHERE g.client_key IS NOT NULL"
    )
    # Synced rows the new generation does not have go (their finished outbox items with them).
    exec_(
        "DELETE FROM main.messages WHERE id NOT IN (SELECT main_id FROM temp.resync_match) "
        "AND id NOT IN (SELECT message_id FROM temp.resync_keep WHERE message_id IS NOT NULL)"
    )
    # A kept row the new server does not have is a send still to make: clear the old server's
    # id (the answer fills it in place), and show it pending again unless it failed for good.
    exec_(
        "UPDATE main.messages SET server_id = NULL "
        "WHERE id NOT IN (SELECT main_id FROM temp.resync_match) AND server_id IS NOT NULL"
    )
    exec_(
        "UPDATE main.messages SET status = 'pending', error_code = NULL, error_detail = NULL "
        "WHERE id NOT IN (SELECT main_id FROM temp.resync_match) AND id IN "
        "(SELECT message_id FROM temp.resync_keep WHERE state IN ('pending', 'sending'))"
    )
    columns = [c.name for c in messages.columns if c.name not in ("id", "client_key")]
    assignments = ", ".join(f"{c} = src.{c}" for c in columns)
    exec_(
        f"UPDATE main.messages AS m SET {assignments}, "
        # Our own client key wins; take the server's only where it clashes with no other row.
        "client_key = coalesce(m.client_key, CASE WHEN NOT EXISTS "
        "(SELECT 1 FROM main.messages AS x WHERE x.client_key = src.client_key) "
        "THEN src.client_key END) "
        f"FROM (SELECT g.*, r.main_id FROM {g}.messages AS g "
        "JOIN temp.resync_match AS r ON r.gen_id = g.id) AS src "
        "WHERE m.id = src.main_id"
    )
    listed = ", ".join(columns)
    exec_(
        f"INSERT INTO main.messages ({listed}, client_key) "
        f"SELECT {', '.join('g.' + c for c in columns)}, CASE WHEN EXISTS "
        "(SELECT 1 FROM main.messages AS x WHERE x.client_key = g.client_key) "
        "THEN NULL ELSE g.client_key END "
        f"FROM {g}.messages AS g WHERE g.id NOT IN (SELECT gen_id FROM temp.resync_match) "
        "ORDER BY g.id"
    )

    # Conversations: the new generation's, plus the ones kept rows still point at.
    exec_(
        f"DELETE FROM main.conversations WHERE id NOT IN (SELECT id FROM {g}.conversations) "
        "AND id NOT IN (SELECT conversation_id FROM main.messages) "
        "AND id NOT IN (SELECT conversation_id FROM temp.resync_keep "
        "WHERE conversation_id IS NOT NULL)"
    )
    conv_columns = [c.name for c in conversations.columns]
    updates = ", ".join(f"{c} = excluded.{c}" for c in conv_columns if c != "id")
    exec_(
        f"INSERT INTO main.conversations ({', '.join(conv_columns)}) "
        f"SELECT {', '.join(conv_columns)} FROM {g}.conversations WHERE true "
        f"ON CONFLICT (id) DO UPDATE SET {updates}"
    )
    _show_local_writes(conn)

    # Everything else that is synced: replaced whole (children first out, parents first in),
    # except that a scheduled send's failure, once told, is not told again.
    exec_("DROP TABLE IF EXISTS temp.resync_told")
    exec_("CREATE TEMP TABLE resync_told AS SELECT id FROM main.scheduled_sends "
          "WHERE failure_told")
    others = [t for t in Base.metadata.sorted_tables if t.name not in _SPECIAL]
    for table in reversed(others):
        exec_(f"DELETE FROM main.{table.name}")
    for table in others:
        _copy_table(conn, table)
    exec_("UPDATE main.scheduled_sends SET failure_told = 1 "
          "WHERE id IN (SELECT id FROM temp.resync_told)")
    exec_("DROP TABLE temp.resync_told")
    exec_("DROP TABLE temp.resync_match")
    exec_("DROP TABLE temp.resync_keep")
    return kept


def _copy_table(conn: Connection, table: Table) -> None:
    names = ", ".join(c.name for c in table.columns)
    conn.exec_driver_sql(
        f"INSERT INTO main.{table.name} ({names}) SELECT {names} FROM {_SCHEMA}.{table.name}"
    )


def _show_local_writes(conn: Connection) -> None:
    """What the kept outbox shows on conversations: a pending send is their newest activity
    (until the server reports something newer), a pending read mark zeroes the unread count
    and a pending unread mark raises it to 1."""
    conn.exec_driver_sql(
        # With max(), SQLite takes the bare `body` from the row holding the maximum.
        "UPDATE main.conversations AS c SET activity_at = k.created_at, "
        "last_message_preview = k.body "
        "FROM (SELECT conversation_id, max(created_at) AS created_at, body FROM main.messages "
        # A pending internal note moves no thread (store/apply.py _bump_conversations).
        "WHERE server_id IS NULL AND note = 0 AND id IN (SELECT message_id FROM temp.resync_keep) "
        "GROUP BY conversation_id) AS k "
        "WHERE c.id = k.conversation_id "
        "AND (c.activity_at IS NULL OR c.activity_at < k.created_at)"
    )
    # The newest open read/unread mark of a conversation decides its count (read: 0, unread:
    # at least 1), as store/apply.py's _keep_local_read_marks.
    newest_mark = (
        "(SELECT o.conversation_id FROM main.outbox AS o WHERE o.kind = '{kind}' "
        "AND o.id IN (SELECT max(id) FROM main.outbox "
        "WHERE kind IN ('mark_read', 'mark_unread') AND state IN ('pending', 'sending') "
        "GROUP BY conversation_id))"
    )
    conn.exec_driver_sql(
        "UPDATE main.conversations SET unread_count = 0 WHERE unread_count != 0 AND id IN "
        + newest_mark.format(kind="mark_read")
    )
    conn.exec_driver_sql(
        "UPDATE main.conversations SET unread_count = 1 WHERE unread_count = 0 AND id IN "
        + newest_mark.format(kind="mark_unread")
    )


def _copy_cursor(conn: Connection, now: datetime) -> None:
    cursor = conn.exec_driver_sql(
        f"SELECT cursor FROM {_SCHEMA}.sync_state WHERE id = 1"
    ).scalar_one_or_none()
    save_cursor(conn, cursor, now)  # unqualified names resolve to main before attached files
