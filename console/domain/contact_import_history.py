"""A contact import as the console shows it: pending in the outbox, answered by the server
(what it created and skipped), refused, or undone. Pure data: the store builds these, the
services hand them on, the ui words them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

LOCAL_IMPORT_PREFIX = "local-imp-"  # + the import's idempotency key, until the server answers


class ImportStatus(StrEnum):
    IMPORTING = "importing"  # in the outbox, not answered yet
    DONE = "done"  # the server made its contacts
    UNDOING = "undoing"  # an undo is in the outbox
    UNDONE = "undone"  # its contacts were deleted again
    REFUSED = "refused"  # the server refused the whole request (Refused changes lists it)


@dataclass(frozen=True, slots=True)
class SkippedRow:
    row: int  # the file's row number when known, else the position in the request (1-based)
    code: str  # a RowCode value (console.domain.contact_import), or a newer server's code
    detail: str  # the server's English words


@dataclass(frozen=True, slots=True)
class ImportRecord:
    id: str  # the server's id, or LOCAL_IMPORT_PREFIX + key while pending or refused
    source: str  # the file's name
    status: ImportStatus
    created_at: datetime
    row_count: int = 0  # rows sent (pending); rows the server considered (answered)
    created_count: int = 0
    skipped: tuple[SkippedRow, ...] = ()
    undone_at: datetime | None = None
    error: str = ""  # why the server refused it (status REFUSED), its English words

    @property
    def local(self) -> bool:
        return self.id.startswith(LOCAL_IMPORT_PREFIX)

    @property
    def may_undo(self) -> bool:
        return self.status is ImportStatus.DONE


class ImportProblem(StrEnum):
    """Why the console refused an import step (DomainError.hint), for the ui to word."""

    UNREADABLE = "unreadable"  # not a file we can read as text (missing, binary, a spreadsheet)
    EMPTY = "empty"  # no header or no rows
    TOO_MANY = "too_many"  # more rows than one import takes
    NOTHING_TO_IMPORT = "nothing_to_import"  # no row is good
    NOT_UNDOABLE = "not_undoable"  # still on its way, refused, or undone already
