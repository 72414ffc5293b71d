"""Contact import in the window, against a real backend: the Contacts page's Import button opens
the dialog (`contactImportDialog`); a CSV with one row of each bad kind is read on the worker,
its columns guessed, every row reported in words with a summary; the good rows go through the
outbox as one import, reach the server (a DND row with DND on) and the cache through the feed;
Undo (asked first) removes exactly them. A vCard file imports too, from File > Import contacts.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import httpx
from pytestqt.qtbot import QtBot

from console.domain.contact_import import PhoneKind, RowCode, Target
from console.domain.contact_import_history import ImportRecord, ImportStatus
from console.services.workspace import Workspace
from console.ui.contact_import_dialog import ContactImportDialog
from console.ui.contact_import_model import ImportReportModel
from console.ui.main_window import MainWindow
from console.ui.qt import QAction, QComboBox, QDialog, QMessageBox, QPushButton
from tests.backend.group_chat_support import PhonePool, new_contact
from tests.support.backend_process import BackendProcess
from tests.ui.conftest import MainWindowFactory, WorkspaceFactory, api, wait_first_sync

WAIT_MS = 20_000
phone = PhonePool("458", "463")  # numbers no other module uses


def _local(e164: str) -> str:
    """+14585550101 as a spreadsheet writes it: (458) 555-0101."""
    return f"({e164[2:5]}) {e164[5:8]}-{e164[8:]}"


def _name(prefix: str) -> str:
    return f"{prefix} {uuid.uuid4().hex[:6].translate(str.maketrans('0123456789', 'ghijklmnop'))}"


def _on_server(http: httpx.Client, name: str) -> dict[str, Any] | None:
    items: list[dict[str, Any]] = http.get("/v1/contacts", params={"q": name}).json()["items"]
    found = [c for c in items if c["name"] == name and not c.get("deleted")]
    return found[0] if found else None


def _record(dialog: ContactImportDialog) -> ImportRecord | None:
    return dialog.shown_record()


def _open(qtbot: QtBot, module_backend: BackendProcess, make_workspace: WorkspaceFactory,
          window_for: MainWindowFactory) -> tuple[Workspace, MainWindow]:
    workspace = make_workspace(module_backend)
    wait_first_sync(qtbot, workspace)
    return workspace, window_for(workspace)


def _done(qtbot: QtBot, dialog: ContactImportDialog, status: ImportStatus) -> ImportRecord:
    def reached() -> bool:
        record = _record(dialog)
        return record is not None and record.status is status

    qtbot.waitUntil(reached, timeout=WAIT_MS)
    record = _record(dialog)
    assert record is not None
    return record


def _wait_owner(qtbot: QtBot, workspace: Workspace, number: str, *, present: bool) -> None:
    """Until the cache has (or no longer has) a live contact with `number`."""
    qtbot.waitUntil(lambda: (workspace.contacts.number_owner(number) is not None) == present,
                    timeout=WAIT_MS)


def test_a_csv_is_checked_imported_and_undone(
    qtbot: QtBot, tmp_path: Path, module_backend: BackendProcess,
    make_workspace: WorkspaceFactory, window_for: MainWindowFactory,
) -> None:
    http = api(module_backend)
    taken = phone()
    new_contact(http, taken, name=_name("Taken"))
    good, quiet, pair_mobile, pair_work = phone(), phone(), phone(), phone()
    names = {k: _name(k) for k in ("Good", "Bad", "Abroad", "Again", "Twice", "Quiet", "Pair")}
    csv = tmp_path / "people.csv"
    csv.write_text(
        "Full Name,Mobile Phone,Work Phone,E-mail,Do not disturb\n"
        f"{names['Good']},{_local(good)},,good@example.com,\n"  # 2
        f"{names['Bad']},12345,,,\n"  # 3 invalid number
        f"{names['Abroad']},+44 20 7946 0958,,,\n"  # 4 outside US/Canada
        f"{names['Again']},{_local(taken)},,,\n"  # 5 already a contact
        f"{names['Twice']},{_local(good)},,,\n"  # 6 Good's number again
        ",,,only@example.com,\n"  # 7 no name or number
        f"{names['Quiet']},{_local(quiet)},,,yes\n"  # 8 DND
        f"{names['Pair']},{_local(pair_mobile)},{_local(pair_work)},,\n",  # 9 two numbers
        encoding="utf-8",
    )
    workspace, window = _open(qtbot, module_backend, make_workspace, window_for)
    qtbot.waitUntil(lambda: workspace.contacts.number_owner(taken) is not None, timeout=WAIT_MS)
    window.show_contacts()
    page = window.contacts_page
    assert page is not None
    button = page.findChild(QPushButton, "contactsImportButton")
    assert button is not None
    assert button.isEnabled()
    button.click()
    dialog = page.imports.dialog
    assert dialog is not None
    assert window.findChild(QDialog, "contactImportDialog") is dialog
    assert dialog.step() == dialog.CHOOSE

    # 1 -> 2: read on the worker; the columns guessed from their headers.
    dialog.choose_path(csv)
    qtbot.waitUntil(lambda: dialog.step() == dialog.MAPPING, timeout=WAIT_MS)
    assert dialog.mapping_table.rowCount() == 5
    header, sample = dialog.mapping_table.item(1, 0), dialog.mapping_table.item(1, 1)
    assert header is not None
    assert header.text() == "Mobile Phone"
    assert sample is not None
    assert sample.text() == _local(good)  # a sample value
    assert [(m.target, m.label) for m in dialog.mapping()] == [
        (Target.NAME, None), (Target.PHONE, PhoneKind.MOBILE), (Target.PHONE, PhoneKind.WORK),
        (Target.EMAIL, None), (Target.DND, None)]
    work = dialog.findChild(QComboBox, "importMapping_2")
    assert work is not None
    assert work.currentData() == Target.PHONE
    label = dialog.findChild(QComboBox, "importLabel_2")
    assert label is not None
    assert label.currentData() == PhoneKind.WORK
    assert label.isEnabled()
    email_label = dialog.findChild(QComboBox, "importLabel_3")
    assert email_label is not None
    assert not email_label.isEnabled()

    # 2 -> 3: every row checked, in words; the summary counts each kind of problem.
    dialog.next_button.click()
    qtbot.waitUntil(lambda: dialog.step() == dialog.PREVIEW, timeout=WAIT_MS)
    model = dialog.model
    assert dialog.findChild(ImportReportModel) is model
    rows = [
        (model.index(r, 0).data(ImportReportModel.RowRole),
         model.index(r, 0).data(ImportReportModel.ResultRole),
         model.index(r, 0).data(ImportReportModel.ProblemRole))
        for r in range(model.rowCount())
    ]
    assert rows == [
        (2, "Will be imported", False), (3, "Not a phone number", True),
        (4, "Not a US or Canada number", True), (5, "Already a contact", True),
        (6, "Same number as an earlier row", True), (7, "No name or number", True),
        (8, "Will be imported, Do Not Disturb on", False), (9, "Will be imported", False)]
    assert model.index(1, ImportReportModel.NUMBERS).data() == "12345"  # as the file has it
    assert model.index(7, ImportReportModel.NUMBERS).data() == f"{pair_mobile}, {pair_work}"
    assert dialog.summary.text() == (
        "3 to import · 1 invalid number · 2 duplicates · 1 outside US/Canada · "
        "1 without name or number · 1 DND")
    dialog.problems_only.setChecked(True)
    assert [model.index(r, 0).data(ImportReportModel.RowRole)
            for r in range(model.rowCount())] == [3, 4, 5, 6, 7]
    assert all(model.index(r, 0).data(ImportReportModel.CodeRole) != RowCode.OK
               for r in range(model.rowCount()))
    dialog.problems_only.setChecked(False)

    # Import: one outbox item, the server's answer, the contacts through the feed.
    assert dialog.start_button.text() == "Import 3 contacts"
    dialog.start_button.click()
    record = _done(qtbot, dialog, ImportStatus.DONE)
    assert (record.source, record.created_count, record.skipped) == ("people.csv", 3, ())
    assert dialog.result_title.text() == "Imported 3 contacts."
    assert dialog.undo_button.isVisible()
    made = [names["Good"], names["Quiet"], names["Pair"]]
    on_server = {n: _on_server(http, n) for n in made}
    assert all(on_server.values()), on_server
    assert on_server[names["Quiet"]]["dnd"] is True  # type: ignore[index]
    assert on_server[names["Good"]]["dnd"] is False  # type: ignore[index]
    assert [p["number"] for p in on_server[names["Pair"]]["phones"]] == [  # type: ignore[index]
        pair_mobile, pair_work]
    for skipped in ("Bad", "Abroad", "Again", "Twice"):
        assert _on_server(http, names[skipped]) is None
    for number in (good, quiet, pair_mobile):
        _wait_owner(qtbot, workspace, number, present=True)
    cached = workspace.contacts.number_owner(quiet)
    assert cached is not None
    assert cached.name == names["Quiet"]
    assert cached.dnd
    imports = http.get("/v1/contact-imports").json()["items"]
    assert imports[0]["id"] == record.id
    assert imports[0]["created_count"] == 3
    qtbot.waitUntil(lambda: record.id in dialog.history_undo_buttons, timeout=WAIT_MS)

    # Undo, asked first: exactly the three go, the contact that was there before stays.
    dialog.undo_button.click()
    confirm = dialog.findChild(QMessageBox, "importUndoConfirm")
    assert confirm is not None
    assert confirm is dialog.confirm
    assert confirm.text() == "Delete the 3 contacts imported from people.csv?"
    yes = confirm.findChild(QPushButton, "importUndoConfirmButton")
    assert yes is not None
    yes.click()
    undone = _done(qtbot, dialog, ImportStatus.UNDONE)
    assert undone.id == record.id
    qtbot.waitUntil(lambda: all(_on_server(http, n) is None for n in made), timeout=WAIT_MS)
    assert http.get("/v1/contacts", params={"q": taken}).json()["items"], "taken was kept"
    for number in (good, quiet, pair_mobile):
        _wait_owner(qtbot, workspace, number, present=False)
    assert workspace.contacts.number_owner(taken) is not None
    qtbot.waitUntil(lambda: record.id not in dialog.history_undo_buttons, timeout=WAIT_MS)
    dialog.reject()


def test_a_vcard_file_imports_from_the_file_menu(
    qtbot: QtBot, tmp_path: Path, module_backend: BackendProcess,
    make_workspace: WorkspaceFactory, window_for: MainWindowFactory,
) -> None:
    http = api(module_backend)
    first, second = phone(), phone()
    names = [_name("Card"), _name("Card")]
    vcf = tmp_path / "phone.vcf"
    vcf.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\n"
        f"FN:{names[0]}\r\nTEL;TYPE=CELL:{_local(first)}\r\nEMAIL:card@example.com\r\n"
        "END:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:2.1\r\n"
        f"N:{names[1].split()[1]};{names[1].split()[0]};;;\r\nTEL;WORK;VOICE:{second}\r\n"
        "END:VCARD\r\n",
        encoding="utf-8",
    )
    workspace, window = _open(qtbot, module_backend, make_workspace, window_for)
    action = window.findChild(QAction, "importContactsAction")
    assert action is not None
    action.trigger()
    assert window.current_page() == "contacts"
    page = window.contacts_page
    assert page is not None
    dialog = page.imports.dialog
    assert dialog is not None
    dialog.choose_path(vcf)
    qtbot.waitUntil(lambda: dialog.step() == dialog.MAPPING, timeout=WAIT_MS)
    assert [m.target for m in dialog.mapping()] == [
        Target.NAME, Target.PHONE, Target.PHONE, Target.EMAIL]
    dialog.next_button.click()
    qtbot.waitUntil(lambda: dialog.step() == dialog.PREVIEW, timeout=WAIT_MS)
    assert dialog.summary.text() == "2 to import"
    dialog.start_button.click()
    record = _done(qtbot, dialog, ImportStatus.DONE)
    assert (record.source, record.created_count) == ("phone.vcf", 2)
    card = _on_server(http, names[0])
    assert card is not None
    assert card["email"] == "card@example.com"
    assert _on_server(http, names[1]) is not None
    qtbot.waitUntil(lambda: workspace.contacts.number_owner(second) is not None,
                    timeout=WAIT_MS)


def test_an_unreadable_file_is_named_and_nothing_is_queued(
    qtbot: QtBot, tmp_path: Path, module_backend: BackendProcess,
    make_workspace: WorkspaceFactory, window_for: MainWindowFactory,
) -> None:
    sheet = tmp_path / "people.xlsx"
    sheet.write_bytes(b"PK\x03\x04\x00\x00not a csv")
    workspace, window = _open(qtbot, module_backend, make_workspace, window_for)
    window.show_contacts()
    page = window.contacts_page
    assert page is not None
    dialog = page.import_contacts()
    assert dialog is not None
    dialog.choose_path(sheet)  # at once: the recent imports are still being read
    qtbot.waitUntil(lambda: not dialog.error.isHidden(), timeout=WAIT_MS)
    assert dialog.error.text().startswith("This file could not be read.")
    assert dialog.step() == dialog.CHOOSE
    assert not dialog.is_busy()
    assert workspace.outbox.pending_count() == 0
    # The recent imports (this module's earlier tests') arrived all the same.
    records = workspace.contact_imports.imports()
    qtbot.waitUntil(lambda: dialog.history.count() == min(len(records), 10), timeout=WAIT_MS)
    assert dialog.history_empty.isHidden() == bool(records)
    assert all(r.status is not ImportStatus.IMPORTING
               for r in workspace.contact_imports.imports())
