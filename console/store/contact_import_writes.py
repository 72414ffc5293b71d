"""Contact imports written here: a whole file's good rows as ONE outbox item (one POST, its
idempotency key sent, so a retry never imports twice), and the undo of one the server made.

Until the server answers, an import shows under LOCAL_IMPORT_PREFIX + its key
(contact_import_queries.py lays the open and refused items over the synced table). The table
itself is the server's alone: written from the POST's answer and from the feed's
`contact_import.upserted`; the contacts arrive through the feed as usual.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, update
from sqlalchemy.dialects.sqlite import insert

from console.domain.contact_import_history import LOCAL_IMPORT_PREFIX
from console.protocol.contact_imports import ContactImport
from console.store import outbox as ob
from console.store.changes import Changes
from console.store.models import contact_imports, outbox


def local_id(key: str) -> str:
    return f"{LOCAL_IMPORT_PREFIX}{key}"


def is_local(import_id: str) -> bool:
    return import_id.startswith(LOCAL_IMPORT_PREFIX)


def import_item(conn: Connection, import_id: str) -> ob.OutboxItem | None:
    """The outbox item of an import made here (by its local id), if it is still there."""
    if not is_local(import_id):
        return None
    item = ob.by_key(conn, import_id[len(LOCAL_IMPORT_PREFIX) :])
    return item if item is not None and item.kind == ob.OutboxKind.CONTACT_IMPORT else None


def server_id(conn: Connection, import_id: str) -> str:
    """`import_id`, or the server's id once the import made here under it was answered."""
    item = import_item(conn, import_id)
    result = item.payload.get("result_id") if item is not None else None
    return result if isinstance(result, str) and result else import_id


def queue_import(
    conn: Connection,
    *,
    source: str,
    rows: Sequence[Mapping[str, Any]],
    file_rows: Sequence[int],
    now: datetime,
) -> tuple[str, Changes]:
    """Queue one import of `rows` (wire dicts: ContactImportRow); `file_rows` is each row's
    number in the file, so what the server skips (by position) is named as the file names it.
    Returns the local id it shows under."""
    key = ob.new_idempotency_key()
    ob.enqueue(
        conn,
        ob.OutboxKind.CONTACT_IMPORT,
        now=now,
        payload={"source": source, "rows": list(rows), "file_rows": list(file_rows)},
        idempotency_key=key,
    )
    return local_id(key), Changes(contact_imports={local_id(key)}, outbox=True)


def queue_undo(conn: Connection, *, import_id: str, source: str, now: datetime) -> Changes:
    """Undo an import the server made (`source`: for the refused list should it refuse)."""
    ob.enqueue(
        conn,
        ob.OutboxKind.CONTACT_IMPORT_UNDO,
        now=now,
        payload={"import_id": import_id, "source": source},
    )
    return Changes(contact_imports={import_id}, outbox=True)


def drop_import(conn: Connection, import_id: str) -> bool:
    """Discard an import that never left (nothing for the server to undo); False when there is
    none or it was tried already (the server may hold it: it must be answered, then undone)."""
    item = import_item(conn, import_id)
    if item is None or item.state not in ob.OPEN_STATES:
        return False
    try:
        ob.discard(conn, item.id)
    except ob.InvalidTransition:
        return False
    return True


def complete_import(
    conn: Connection, item: ob.OutboxItem, made: ContactImport, now: datetime
) -> None:
    """Done: the item keeps the server's id and the file's row numbers, not the rows (a done
    item stays in the outbox, and a large file's rows are megabytes)."""
    ob.complete(conn, item.id, now, result_id=made.id)
    kept = {
        "source": item.payload.get("source"),
        "file_rows": item.payload.get("file_rows"),
        "row_count": len(item.payload.get("rows") or ()),
        "result_id": made.id,
    }
    conn.execute(update(outbox).where(outbox.c.id == item.id).values(payload=json.dumps(kept)))


def upsert_imports(conn: Connection, records: Sequence[ContactImport]) -> Changes:
    """The server's descriptions. An undo is final: an answer older than it never brings the
    import back (the POST's answer may land after the feed's undo)."""
    if not records:
        return Changes()
    rows = [
        {
            "id": r.id,
            "source": r.source,
            "created_count": r.created_count,
            "skipped_count": len(r.skipped),
            "skipped_json": json.dumps([s.model_dump(mode="json") for s in r.skipped]),
            "created_at": r.created_at,
            "undone_at": r.undone_at,
        }
        for r in records
    ]
    statement = insert(contact_imports)
    new = statement.excluded
    statement = statement.on_conflict_do_update(
        index_elements=[contact_imports.c.id],
        set_={
            "source": new.source,
            "created_count": new.created_count,
            "skipped_count": new.skipped_count,
            "skipped_json": new.skipped_json,
            "created_at": new.created_at,
            "undone_at": func.coalesce(contact_imports.c.undone_at, new.undone_at),
        },
    )
    conn.execute(statement, rows)
    return Changes(contact_imports={r.id for r in records})
