"""Write a group message's recipients to a CSV file (run off the GUI thread: 10,000 rows)."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from console.services.group_message_recipients import RecipientRow

HEADER = (
    "name", "contact_id", "conversation_id", "sent_at", "delivered_at", "read_at", "replied_at",
    "email", "email_error", "push", "push_error",
)


# A cell starting with one of these is a formula to Excel / LibreOffice / Sheets: a customer's
# name like =HYPERLINK(...) would run on the agent's machine. A leading ' makes it text.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula_safe(value: str) -> str:
    """A cell a spreadsheet shows as text, never runs as a formula (CSV injection)."""
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def _iso(moment: datetime | None) -> str:
    return moment.isoformat() if moment is not None else ""


def write_recipients_csv(path: Path, rows: Sequence[RecipientRow]) -> int:
    """Write `rows` to `path` (replacing it); returns how many were written. UTF-8 with a BOM:
    Excel on Windows otherwise reads the names as the local code page."""
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for r in rows:
            writer.writerow(tuple(formula_safe(v) for v in (
                r.name, r.contact_id, r.conversation_id, _iso(r.sent_at), _iso(r.delivered_at),
                _iso(r.read_at), _iso(r.replied_at), r.email.state or "none", r.email.error,
                r.push.state or "none", r.push.error,
            )))
    return len(rows)
