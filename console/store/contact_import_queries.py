"""Reading contact imports: the synced rows with the open and refused outbox items laid over
them (an import made here shows at once as importing, one the server refused as refused, an
undo on its way as undoing); and the numbers an import must not add again."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy import Connection, select

from console.domain.contact_import_history import ImportRecord, ImportStatus, SkippedRow
from console.store import outbox as ob
from console.store.contact_import_writes import import_item, local_id
from console.store.models import contact_imports, contact_phones, contacts


def live_numbers(conn: Connection) -> set[str]:
    """Every number on a live contact (one made here and not yet sent too): one query."""
    rows = conn.execute(
        select(contact_phones.c.number)
        .join(contacts, contacts.c.id == contact_phones.c.contact_id)
        .where(contacts.c.deleted.is_(False))
    )
    return {number for (number,) in rows}


def _skipped(text: str, file_rows: Sequence[int] | None) -> tuple[SkippedRow, ...]:
    out: list[SkippedRow] = []
    for entry in json.loads(text or "[]"):
        row = int(entry.get("row", 0))
        if file_rows is not None and 1 <= row <= len(file_rows):
            row = int(file_rows[row - 1])  # the request's position -> the file's row
        out.append(SkippedRow(row, str(entry.get("code", "")), str(entry.get("detail", ""))))
    return tuple(out)


def _synced(row: Any, file_rows: Sequence[int] | None = None) -> ImportRecord:
    return ImportRecord(
        id=row.id,
        source=row.source,
        status=ImportStatus.UNDONE if row.undone_at is not None else ImportStatus.DONE,
        created_at=row.created_at,
        row_count=row.created_count + row.skipped_count,
        created_count=row.created_count,
        skipped=_skipped(row.skipped_json, file_rows),
        undone_at=row.undone_at,
    )


def _pending(item: ob.OutboxItem) -> ImportRecord | None:
    """An import the server has not made: on its way, or refused."""
    if item.state is ob.OutboxState.DONE:
        return None
    refused = item.state is ob.OutboxState.FAILED
    rows = item.payload.get("rows")
    return ImportRecord(
        id=local_id(item.idempotency_key),
        source=str(item.payload.get("source") or ""),
        status=ImportStatus.REFUSED if refused else ImportStatus.IMPORTING,
        created_at=item.created_at,
        row_count=len(rows) if isinstance(rows, list) else 0,
        error=(item.last_error or item.last_error_code or "") if refused else "",
    )


def _undoing(conn: Connection) -> set[str]:
    return {
        str(i.payload.get("import_id"))
        for i in ob.open_of_kind(conn, ob.OutboxKind.CONTACT_IMPORT_UNDO)
    }


def _with_undo(record: ImportRecord, undoing: set[str]) -> ImportRecord:
    if record.status is ImportStatus.DONE and record.id in undoing:
        return replace(record, status=ImportStatus.UNDOING)
    return record


def all_imports(conn: Connection) -> list[ImportRecord]:
    """The user's imports, newest first: pending and refused ones from the outbox included."""
    undoing = _undoing(conn)
    records = [
        _with_undo(_synced(row), undoing)
        for row in conn.execute(select(contact_imports))
    ]
    waiting = ob.open_of_kind(conn, ob.OutboxKind.CONTACT_IMPORT)
    waiting += [i for i in ob.failed_items(conn) if i.kind == ob.OutboxKind.CONTACT_IMPORT]
    records += [r for r in map(_pending, waiting) if r is not None]
    return sorted(records, key=lambda r: (r.created_at, r.id), reverse=True)


def find_import(conn: Connection, import_id: str) -> ImportRecord | None:
    """One import, by the server's id or the local one it showed under; skipped rows named by
    the file's row numbers when it was made here."""
    item = import_item(conn, import_id)  # once: a pending one's payload is the whole file
    result = item.payload.get("result_id") if item is not None else None
    found = result if isinstance(result, str) and result else import_id
    if item is not None and found == import_id:  # not answered: on its way, or refused
        return _pending(item)
    row = conn.execute(select(contact_imports).where(contact_imports.c.id == found)).first()
    if row is None:
        return None
    file_rows = item.payload.get("file_rows") if item is not None else None
    record = _synced(row, file_rows if isinstance(file_rows, list) else None)
    return _with_undo(record, _undoing(conn))
