"""Write filtered history to CSV or PDF, page by page, on a worker thread (no Qt widgets).

    rows = write_history_csv(path, source, flt, cancel=event, progress=report)

Rows are read from the service by keyset cursor EXPORT_PAGE at a time, so a million messages
cost one page of memory; `cancel` (a services Cancellation) is looked at between pages and stops
the export with Cancelled; the file is written beside its name first and only replaces it
when complete, so a cancelled or failed export leaves nothing half-written. Cells that a
spreadsheet would run as a formula get a leading ' (recipients_csv's rule, reused).
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from pathlib import Path

from console.services.cancel import Cancellation
from console.services.history import HistoryFilter, HistoryRow, HistoryService
from console.ui.formatting import local
from console.ui.history_query import channel_text, state_text, title_text
from console.ui.labels import sender_name
from console.ui.recipients_csv import formula_safe

EXPORT_PAGE = 1000
PDF_MAX_ROWS = 5000  # a PDF past this is not read; CSV is the format for all of them

HEADER = (
    "time", "channel", "conversation", "business_number", "author", "direction", "status",
    "body", "conversation_id", "message_key",
)

Progress = Callable[[int], None]  # rows written so far


class Cancelled(Exception):
    """The user cancelled the export (nothing was written)."""


def history_rows(
    source: HistoryService, flt: HistoryFilter, cancel: Cancellation, limit: int | None = None,
    *, include_notes: bool = False,
) -> Iterator[HistoryRow]:
    """Every row `flt` finds, newest first, a page at a time (Cancelled once `cancel` is set).
    Internal notes are left out unless `include_notes`: they are for the team, and an export
    is a file that may leave it."""
    after = None
    given = 0
    while True:
        if cancel.is_set():
            raise Cancelled
        page = source.page(flt, after=after, limit=EXPORT_PAGE)
        for row in page.rows:
            if row.note and not include_notes:
                continue
            if limit is not None and given >= limit:
                return
            given += 1
            yield row
        if page.next_cursor is None or not page.rows:
            return
        after = page.next_cursor


def row_cells(row: HistoryRow) -> tuple[str, ...]:
    return (
        local(row.created_at).isoformat(timespec="seconds"),
        channel_text(row.channel),
        title_text(row),
        row.number_label,
        sender_name(row.author, row.author_kind),
        "note" if row.note else "received" if row.direction.value == "in" else "sent",
        state_text(row),
        row.body,
        row.conversation_id or "",
        row.message_key or row.group_message_id or "",
    )


def _finish(part: Path, path: Path) -> None:
    part.replace(path)


def write_history_csv(
    path: Path, source: HistoryService, flt: HistoryFilter, *, cancel: Cancellation,
    progress: Progress, include_notes: bool = False,
) -> int:
    """Write what `flt` finds to `path` (replacing it once complete); how many rows.
    UTF-8 with a BOM: Excel on Windows otherwise reads names as the local code page."""
    part = path.with_name(path.name + ".part")
    written = 0
    try:
        with part.open("w", newline="", encoding="utf-8-sig") as handle:
            writer = csv.writer(handle)
            writer.writerow(HEADER)
            for row in history_rows(source, flt, cancel, include_notes=include_notes):
                writer.writerow(tuple(formula_safe(v) for v in row_cells(row)))
                written += 1
                if written % EXPORT_PAGE == 0:
                    progress(written)
        if cancel.is_set():
            raise Cancelled
        _finish(part, path)
    finally:
        part.unlink(missing_ok=True)
    progress(written)
    return written
