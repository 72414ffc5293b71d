"""A cache file that cannot be used is moved aside and rebuilt; its outbox is salvaged.

The cache is a copy of the server plus the outbox (writes not sent yet). When the file is
truncated, garbage, of a schema this console does not know, or unreadable (permissions), the
copy part is simply pulled again; the outbox part is the only thing that exists nowhere else, so
as much of it as can still be read is carried over into the new file. The old file is kept
(renamed `<name>.corrupt-<UTC timestamp>`, with its -wal/-shm) for the user or support to look
at, never deleted, and the caller tells the user what happened and where it went.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, insert, inspect, select
from sqlalchemy.exc import SQLAlchemyError

from console.store.cache import Cache
from console.store.cache_problem import CacheProblem
from console.store.coltypes import utcnow
from console.store.models import Base, conversations, messages, outbox

log = logging.getLogger("console.store.recovery")

SQLITE_MAGIC = b"SQLite format 3\x00"
HEADER_SIZE = 100
_SIDE_FILES = ("-wal", "-shm", "-journal")
OPEN_STATES = ("pending", "sending", "failed")


class CacheUnusable(Exception):
    """The cache file cannot be used as it is; `problem` names why, `reason` says it in
    English with the details (for the log)."""

    def __init__(self, reason: str, problem: CacheProblem = CacheProblem.DAMAGED) -> None:
        super().__init__(reason)
        self.reason = reason
        self.problem = problem


@dataclass
class Salvage:
    """What could be read back from the old file's outbox."""

    conversations: list[dict[str, Any]] = field(default_factory=list)
    messages: list[dict[str, Any]] = field(default_factory=list)
    items: list[dict[str, Any]] = field(default_factory=list)
    readable: bool = False  # False: the outbox could not be read at all


@dataclass(frozen=True, slots=True)
class Recovery:
    """A cache that was moved aside and rebuilt."""

    reason: str  # in English, for the log
    moved_to: Path | None  # None if the old file could not even be renamed (then it is gone)
    salvaged: int  # outbox items carried over
    outbox_readable: bool
    problem: CacheProblem = CacheProblem.DAMAGED

    def describe(self, path: Path) -> str:
        """In English, for the log (the ui words the notice from its values)."""
        where = (
            f"The old file was kept as {self.moved_to}."
            if self.moved_to is not None
            else "The old file could not be kept."
        )
        if not self.outbox_readable:
            outbox_text = "Changes that were not sent yet could not be read from it."
        elif self.salvaged:
            outbox_text = f"{self.salvaged} change(s) not sent yet were recovered and will be sent."
        else:
            outbox_text = "It held no unsent changes."
        return (
            f"The local cache {path} could not be used ({self.reason}); it is being rebuilt "
            f"from the server. {outbox_text} {where}"
        )


def check_header(path: Path) -> None:
    """Cheap checks before SQLite sees the file: readable, SQLite's magic, not cut short."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return
    if size == 0:
        return  # SQLite treats an empty file as a new database
    try:
        with path.open("rb") as handle:
            header = handle.read(HEADER_SIZE)
    except PermissionError:
        raise CacheUnusable("permission denied", CacheProblem.PERMISSION_DENIED) from None
    except OSError as exc:
        raise CacheUnusable(
            f"it cannot be read: {exc.strerror or exc}", CacheProblem.UNREADABLE
        ) from None
    if len(header) < HEADER_SIZE or not header.startswith(SQLITE_MAGIC):
        raise CacheUnusable("it is not a SQLite database", CacheProblem.NOT_SQLITE)
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    page_count = int.from_bytes(header[28:32], "big")
    change_counter = header[24:28]
    valid_for = header[92:96]
    wal = Path(f"{path}-wal")
    wal_has_frames = wal.exists() and wal.stat().st_size > 0
    # The in-header size is only trustworthy when it was written with the last change, and
    # with no WAL still holding pages a checkpoint has not copied in yet.
    if (
        change_counter == valid_for
        and page_count > 0
        and not wal_has_frames
        and size < page_count * page_size
    ):
        raise CacheUnusable(
            f"it is truncated ({size} of {page_count * page_size} bytes are there)",
            CacheProblem.TRUNCATED,
        )


def verify_schema(conn: Connection) -> None:
    """Every table and column this console's models name is there (after migration)."""
    inspector = inspect(conn)
    present = set(inspector.get_table_names())
    for table in Base.metadata.sorted_tables:
        if table.name not in present:
            raise CacheUnusable(
                f"its schema is not this console's (no table {table.name!r})",
                CacheProblem.FOREIGN_SCHEMA,
            )
        columns = {c["name"] for c in inspector.get_columns(table.name)}
        missing = {c.name for c in table.columns} - columns
        if missing:
            raise CacheUnusable(
                f"its schema is not this console's ({table.name} lacks {sorted(missing)})",
                CacheProblem.FOREIGN_SCHEMA,
            )


def open_checked(path: Path) -> Cache:
    """Cache.open plus the checks above; raises CacheUnusable for a file it cannot use."""
    check_header(path)
    try:
        cache = Cache.open(path)
    except CacheUnusable:
        raise
    except (SQLAlchemyError, sqlite3.Error) as exc:
        raise CacheUnusable(*_reason(exc)) from exc
    except Exception as exc:  # alembic: an unknown revision (a newer console's file), etc.
        raise CacheUnusable(
            f"its schema is not this console's ({exc})", CacheProblem.FOREIGN_SCHEMA
        ) from exc
    try:
        with cache.read() as conn:
            verify_schema(conn)
            # Touch the tables the console reads first, so a file damaged further in fails
            # here rather than in the middle of the UI.
            conn.execute(select(outbox.c.id).limit(1)).all()
            conn.execute(select(messages.c.id).order_by(messages.c.id.desc()).limit(1)).all()
    except CacheUnusable:
        cache.close()
        raise
    except (SQLAlchemyError, sqlite3.Error) as exc:
        cache.close()
        raise CacheUnusable(*_reason(exc)) from exc
    return cache


def _reason(exc: BaseException) -> tuple[str, CacheProblem]:
    text = str(getattr(exc, "orig", None) or exc).lower()
    if "not a database" in text:
        return "it is not a SQLite database", CacheProblem.NOT_SQLITE
    if "malformed" in text or "corrupt" in text:
        return (
            "it is damaged (SQLite says the database disk image is malformed)",
            CacheProblem.DAMAGED,
        )
    if "unable to open" in text or "permission" in text or "readonly" in text:
        return "permission denied", CacheProblem.PERMISSION_DENIED
    if "already exists" in text or "no such" in text:
        return "its schema is not this console's", CacheProblem.FOREIGN_SCHEMA
    return f"SQLite refused it: {getattr(exc, 'orig', None) or exc}", CacheProblem.DAMAGED


def move_aside(path: Path, now: datetime | None = None) -> Path:
    """Rename the file (and its -wal/-shm) to `<name>.corrupt-<timestamp>`; returns the new path."""
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%S%fZ")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    os.replace(path, target)
    for suffix in _SIDE_FILES:
        side = Path(f"{path}{suffix}")
        if side.exists():
            with contextlib.suppress(OSError):
                os.replace(side, Path(f"{target}{suffix}"))
    return target


def salvage(path: Path) -> Salvage:
    """Read what can be read of the unsent outbox in the (moved) file at `path`."""
    found = Salvage()
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return found
    db.row_factory = sqlite3.Row
    try:
        try:
            rows = db.execute(
                "SELECT * FROM outbox WHERE state IN (?, ?, ?) ORDER BY id", OPEN_STATES
            ).fetchall()
        except sqlite3.Error as exc:
            log.warning("salvage: the outbox of %s cannot be read: %s", path.name, exc)
            return found
        found.readable = True
        wanted_messages = {r["message_id"] for r in rows if r["message_id"] is not None}
        wanted_conversations = {r["conversation_id"] for r in rows if r["conversation_id"]}
        for message_id in sorted(wanted_messages):
            with contextlib.suppress(sqlite3.Error):
                row = db.execute("SELECT * FROM messages WHERE id = ?", (message_id,)).fetchone()
                if row is not None:
                    found.messages.append(dict(row))
                    wanted_conversations.add(row["conversation_id"])
        for conversation_id in sorted(wanted_conversations):
            with contextlib.suppress(sqlite3.Error):
                row = db.execute(
                    "SELECT * FROM conversations WHERE id = ?", (conversation_id,)
                ).fetchone()
                found.conversations.append(
                    dict(row) if row is not None else {"id": conversation_id}
                )
        kept_messages = {m["id"] for m in found.messages}
        for row in rows:
            item = dict(row)
            if item["message_id"] is not None and item["message_id"] not in kept_messages:
                continue  # its message is unreadable: nothing to send
            try:
                json.loads(item["payload"])
            except (TypeError, ValueError):
                continue
            found.items.append(item)
    finally:
        db.close()
    return found


def restore(cache: Cache, found: Salvage) -> int:
    """Write the salvaged outbox into the (new, empty) cache; returns how many items."""
    if not found.items:
        return 0
    now = utcnow()
    conversation_columns = {c.name for c in conversations.columns}
    message_columns = {c.name for c in messages.columns}
    with cache.write() as conn:
        for row in found.conversations:
            values = {k: v for k, v in row.items() if k in conversation_columns}
            values.setdefault("kind", "direct")
            values.setdefault("title", "")
            values.setdefault("status", "active")
            values.setdefault("last_message_preview", "")
            values.setdefault("unread_count", 0)
            values.setdefault("known", False)  # shown once the sync describes it
            values = _with_datetimes(values, conversations)
            conn.execute(insert(conversations).values(**values))
        new_message_ids: dict[int, int] = {}
        for row in found.messages:
            values = {k: v for k, v in row.items() if k in message_columns and k != "id"}
            values = _with_datetimes(values, messages)
            result = conn.execute(insert(messages).values(**values))
            pk = result.inserted_primary_key
            assert pk is not None
            new_message_ids[int(row["id"])] = int(pk[0])
        for row in found.items:
            message_id = row["message_id"]
            conn.execute(
                insert(outbox).values(
                    idempotency_key=row["idempotency_key"],
                    kind=row["kind"],
                    conversation_id=row["conversation_id"],
                    message_id=new_message_ids.get(message_id) if message_id else None,
                    payload=row["payload"],
                    # A request that was in flight is sent again with its key (replayed).
                    state="pending" if row["state"] == "sending" else row["state"],
                    attempts=row["attempts"] or 0,
                    next_attempt_at=now,
                    last_error_code=row["last_error_code"],
                    last_error=row["last_error"],
                    created_at=_parse_time(row["created_at"]) or now,
                    updated_at=now,
                )
            )
    return len(found.items)


def _with_datetimes(values: dict[str, Any], table: Any) -> dict[str, Any]:
    """Raw sqlite3 gives timestamps back as text: turn them into datetimes for the columns."""
    out = dict(values)
    for column in table.columns:
        name = column.name
        if name in out and isinstance(out[name], str) and "DateTime" in type(column.type).__name__:
            out[name] = _parse_time(out[name])
    return out


def _parse_time(value: object) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def open_or_rebuild(path: Path) -> tuple[Cache, Recovery | None]:
    """Open the cache at `path`; if it cannot be used, move it aside, salvage its outbox,
    and start a new one there. Returns the cache and, when that happened, what was done."""
    path = Path(path)
    try:
        return open_checked(path), None
    except CacheUnusable as exc:
        reason, problem = exc.reason, exc.problem
    log.warning("cache %s cannot be used (%s): moving it aside and rebuilding", path, reason)
    try:
        moved: Path | None = move_aside(path)
    except FileNotFoundError:
        moved = None
    except OSError as exc:
        # Not even renamable (e.g. a read-only folder): nothing we can do here.
        raise CacheUnusable(
            f"{reason}, and it cannot be moved aside ({exc.strerror})", problem
        ) from exc
    found = salvage(moved) if moved is not None else Salvage()
    cache = Cache.open(path)
    try:
        count = restore(cache, found)
    except (SQLAlchemyError, sqlite3.Error, KeyError, TypeError, ValueError):
        log.exception("salvaged outbox could not be restored")
        count = 0
        found.readable = False
    log.info("cache rebuilt at %s; %d outbox item(s) salvaged from %s", path, count, moved)
    return cache, Recovery(
        reason=reason,
        moved_to=moved,
        salvaged=count,
        outbox_readable=found.readable,
        problem=problem,
    )
