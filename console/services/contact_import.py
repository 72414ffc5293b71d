"""Importing contacts from a file: read it (CSV or vCard), guess what each column is, check
every row against the cache, and queue the good rows as ONE import through the outbox; list
the user's imports and undo one.

Every call here reads the disk or the cache: the ui runs them on its worker, never on the GUI
thread. The server checks every row again (it is authoritative): what it skips comes back in
its answer (ImportRecord.skipped), the contacts it makes arrive through the feed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from console.domain.contact_import import (
    MAX_ROWS,
    Mapping,
    RowReport,
    Table,
    check_rows,
    guess_mapping,
    parse_csv,
    parse_vcard,
)
from console.domain.contact_import_history import ImportProblem, ImportRecord, ImportStatus
from console.domain.errors import DomainError, ErrorCode
from console.store import contact_import_queries, contact_import_writes
from console.store.cache import Cache
from console.store.changes import Changes
from console.store.coltypes import utcnow

VCARD_SUFFIXES = (".vcf", ".vcard")
CSV_SUFFIXES = (".csv", ".tsv", ".txt")
MAX_FILE_BYTES = 64 * 1024 * 1024  # far above 20,000 rows of anything a person would keep
SOURCE_MAX = 200  # ContactImportCreate.source
_SNIFF_CHARS = 4096


def _refused(problem: ImportProblem, detail: str) -> DomainError:
    return DomainError(ErrorCode.VALIDATION_ERROR, detail, hint=problem.value)


def decode(data: bytes) -> str:
    """UTF-8 (a BOM dropped), else Windows-1252: what spreadsheet programs write."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise _refused(
            ImportProblem.UNREADABLE, "not text in UTF-8 or Windows-1252: save it as CSV (UTF-8)"
        ) from None


def is_vcard(path: Path, text: str) -> bool:
    suffix = path.suffix.lower()
    if suffix in VCARD_SUFFIXES:
        return True
    if suffix in CSV_SUFFIXES:
        return False
    return "BEGIN:VCARD" in text[:_SNIFF_CHARS].upper()


def wire_row(report: RowReport) -> dict[str, Any]:
    """One good row as POST /v1/contact-imports takes it (ContactImportRow)."""
    contact = report.contact
    return {
        "name": contact.name,
        "phones": [{"number": n, "label": label} for n, label in contact.contact_phones()],
        "email": contact.email,
        "dnd": contact.dnd,
    }


class ContactImportService:
    def __init__(
        self,
        cache: Cache,
        *,
        publish: Callable[[Changes], None],
        wake_sync: Callable[[], None],
    ) -> None:
        self._cache = cache
        self._publish = publish
        self._wake_sync = wake_sync

    # -- the file ----------------------------------------------------------------------------

    @staticmethod
    def read_file(path: str | Path) -> Table:
        """The file as a table: vCard by its extension (.vcf, .vcard) or its first card, else
        CSV (comma, semicolon or tab). A DomainError (hint: ImportProblem) for a file that
        cannot be read, holds no rows, or holds more than one import takes."""
        path = Path(path)
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                raise _refused(ImportProblem.TOO_MANY, f"{path.name} is too large to import")
            data = path.read_bytes()
        except OSError as exc:
            raise _refused(
                ImportProblem.UNREADABLE, f"{path.name} could not be read: {exc.strerror or exc}"
            ) from None
        if b"\x00" in data[:_SNIFF_CHARS]:  # a spreadsheet (.xlsx, .numbers) or UTF-16
            raise _refused(ImportProblem.UNREADABLE, f"{path.name} is not a CSV or vCard file")
        text = decode(data)
        table = parse_vcard(text) if is_vcard(path, text) else parse_csv(text)
        if not table.rows or not any(table.columns):
            raise _refused(ImportProblem.EMPTY, f"{path.name} has no contacts to import")
        if len(table.rows) > MAX_ROWS:
            raise _refused(
                ImportProblem.TOO_MANY,
                f"{path.name} has {len(table.rows):,} rows; one import takes at most {MAX_ROWS:,}",
            )
        return table

    @staticmethod
    def guess(table: Table) -> Mapping:
        return guess_mapping(table.columns)

    def check(self, table: Table, mapping: Mapping) -> list[RowReport]:
        """Every row's report; a number already on a live contact (in the cache) is a
        duplicate. One query for those numbers, however long the file."""
        with self._cache.read() as conn:
            existing = contact_import_queries.live_numbers(conn)
        return check_rows(table, mapping, existing_numbers=existing)

    # -- writes ------------------------------------------------------------------------------

    def queue_import(self, source: str, reports: Sequence[RowReport]) -> str:
        """Queue the good rows of `reports` as one import; returns the id it shows under until
        the server answers (find() follows it there)."""
        good = [r for r in reports if r.ok]
        if not good:
            raise _refused(ImportProblem.NOTHING_TO_IMPORT, "no row can be imported")
        if len(good) > MAX_ROWS:
            raise _refused(ImportProblem.TOO_MANY, f"one import takes at most {MAX_ROWS:,} rows")
        name = " ".join(source.split())[:SOURCE_MAX] or "import"
        with self._cache.write() as conn:
            import_id, changes = contact_import_writes.queue_import(
                conn,
                source=name,
                rows=[wire_row(r) for r in good],
                file_rows=[r.row for r in good],
                now=utcnow(),
            )
        self._done(changes)
        return import_id

    def undo(self, import_id: str) -> None:
        """Undo an import: every contact it made that is still live is deleted. One that never
        left this machine is simply dropped."""
        with self._cache.write() as conn:
            if contact_import_writes.drop_import(conn, import_id):
                changes = Changes(contact_imports={import_id}, outbox=True)
            else:
                record = contact_import_queries.find_import(conn, import_id)
                if record is None or record.status is not ImportStatus.DONE:
                    state = record.status.value if record is not None else "gone"
                    raise _refused(ImportProblem.NOT_UNDOABLE, f"this import is {state}")
                changes = contact_import_writes.queue_undo(
                    conn, import_id=record.id, source=record.source, now=utcnow()
                )
                changes.contact_imports.add(import_id)
        self._done(changes)

    # -- reads -------------------------------------------------------------------------------

    def imports(self) -> list[ImportRecord]:
        """The user's imports, newest first (those on their way and refused ones included)."""
        with self._cache.read() as conn:
            return contact_import_queries.all_imports(conn)

    def find(self, import_id: str) -> ImportRecord | None:
        """One import, by the id queue_import returned (followed to the server's) or the
        server's own."""
        with self._cache.read() as conn:
            return contact_import_queries.find_import(conn, import_id)

    def _done(self, changes: Changes) -> None:
        self._publish(changes)
        self._wake_sync()
