"""Screenshots of the contacts import (issue 14): the column mapping guessed from a CSV's
headers, the per-row report before anything is imported, the result with its Undo, and the
question Undo asks. The import is undone at the end: later views show the demo data as it
was."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from console.domain.contact_import_history import ImportStatus
from console.ui.qt import QPushButton

ROWS = (
    "Full Name,Mobile Phone,Work Phone,E-mail,Do not disturb\n"
    "Grace Whitfield,(206) 555-0181,,grace.w@example.com,\n"
    "Marcus Lee,555-12,,,\n"
    "Ingrid Olsen,+44 20 7946 0958,,,\n"
    "Aisha Patel,(310) 555-0114,,,\n"
    "Paul Duarte,(206) 555-0182,(206) 555-0183,paul@example.com,\n"
    "Renee Castillo,(206) 555-0184,,,yes\n"
    "Tomas Berg,(206) 555-0181,,,\n"
)


def shoot_import(shooter: Any, window: Any) -> None:
    folder = Path(tempfile.mkdtemp(prefix="shots-import-"))
    csv = folder / "open-house-sign-ins.csv"
    csv.write_text(ROWS, encoding="utf-8")
    window.show_contacts()
    page = window.contacts_page
    dialog = page.import_contacts()
    dialog.choose_path(csv)
    shooter.wait_until(lambda: dialog.step() == dialog.MAPPING, 10, "the column mapping")
    shooter.settle()
    shooter.grab(dialog, "13c-import-mapping")
    dialog.next_button.click()
    shooter.wait_until(lambda: dialog.step() == dialog.PREVIEW, 10, "the report")
    shooter.settle()
    shooter.grab(dialog, "13d-import-report")
    dialog.start_button.click()

    def made() -> bool:
        record = dialog.shown_record()
        return record is not None and record.may_undo and dialog.undo_button.isVisible()

    shooter.wait_until(made, 20, "the import's result")
    shooter.settle()
    shooter.grab(dialog, "13e-import-result")
    dialog.undo_button.click()
    box = dialog.confirm
    shooter.wait_until(lambda: box is not None and box.isVisible(), 5, "the undo question")
    shooter.settle()
    shooter.grab(box, "13f-import-undo-confirm")
    box.findChild(QPushButton, "importUndoConfirmButton").click()

    def undone() -> bool:
        record = dialog.shown_record()
        return record is not None and record.status is ImportStatus.UNDONE

    shooter.wait_until(undone, 20, "the import undone")
    dialog.reject()
