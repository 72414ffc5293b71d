"""Importing contacts in a window: opens the import dialog (contact_import_dialog.py) and does
its work: reading the file, checking every row against the cache, queuing the import, following
it to the server's answer, and undoing one.

Every file read, check and cache read or write runs on one worker (TaskRunner), in the order
asked: the GUI thread never waits on the disk or the cache, so a 10,000-row file keeps the
window responsive (the dialog shows a busy bar meanwhile).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from console.domain.contact_import import Mapping as ColumnMapping
from console.domain.contact_import import RowReport, Table
from console.domain.contact_import_history import ImportProblem, ImportRecord
from console.domain.errors import DomainError
from console.services.types import ChangeSet
from console.ui.contact_import_dialog import ContactImportDialog
from console.ui.contact_import_model import phone_cells
from console.ui.error_texts import error_text
from console.ui.gui_thread import assert_gui_thread
from console.ui.i18n import translate
from console.ui.qt import QObject, QWidget
from console.ui.tasks import TaskRunner

if TYPE_CHECKING:  # the services pull in SQLAlchemy: not before first paint
    from console.services.contact_import import ContactImportService
    from console.services.workspace import Workspace

log = logging.getLogger("console.ui.contact_import")
_CONTEXT = "ContactImport"
T = TypeVar("T")


def problem_text(error: BaseException) -> str:
    """Why a step was refused, in words the user can act on."""
    if not isinstance(error, DomainError):
        return translate(_CONTEXT, "That did not work here. Nothing changed; try again.")
    words = {
        ImportProblem.UNREADABLE: translate(
            _CONTEXT, "This file could not be read. Choose a CSV file (in a spreadsheet app: "
            "Save as CSV) or a vCard file (.vcf)."),
        ImportProblem.EMPTY: translate(
            _CONTEXT, "There are no contacts in this file: it needs a header row and at least "
            "one row under it."),
        ImportProblem.TOO_MANY: translate(
            _CONTEXT, "This file has more than 20,000 rows. Split it into smaller files and "
            "import each."),
        ImportProblem.NOTHING_TO_IMPORT: translate(
            _CONTEXT, "No row can be imported. Fix the file, or say differently what its "
            "columns hold."),
        ImportProblem.NOT_UNDOABLE: translate(
            _CONTEXT, "This import cannot be undone now: it is still on its way, was refused, "
            "or was undone already."),
    }
    try:
        return words[ImportProblem(error.hint)]
    except ValueError:
        return error_text(error.code, error.detail)


class ContactImportController(QObject):
    def __init__(self, dialog_parent: QWidget) -> None:
        super().__init__(dialog_parent)
        self._parent = dialog_parent
        self._workspace: Workspace | None = None
        self._runner: TaskRunner | None = None
        self._generation = 0  # the dialog closed: every older answer is dropped
        self._file = 0  # a new file chosen: the older file's read and check are dropped
        self._table: Table | None = None
        self._following = ""  # the import the dialog's result page shows
        self.dialog: ContactImportDialog | None = None

    # -- wiring -----------------------------------------------------------------------------

    def attach(self, workspace: Workspace | None) -> None:
        assert_gui_thread()
        self.stop()
        self._workspace = workspace
        if workspace is not None:
            self._runner = TaskRunner(self, max_workers=1)

    def stop(self) -> None:
        assert_gui_thread()
        self._generation += 1
        if self.dialog is not None:
            self.dialog.reject()
        self.dialog = None
        if self._runner is not None:
            self._runner.shutdown(wait=True)
            self._runner.deleteLater()
            self._runner = None
        self._workspace = None

    @property
    def _service(self) -> ContactImportService | None:
        return self._workspace.contact_imports if self._workspace is not None else None

    def on_changes(self, changes: ChangeSet) -> None:
        """An import answered, refused or undone (here or by the feed): show it."""
        if self.dialog is not None and (changes.contact_imports or changes.reset):
            self._reload_history()
            if self._following:
                self._follow()

    # -- the dialog -------------------------------------------------------------------------

    def open_dialog(self) -> ContactImportDialog | None:
        if self._service is None:
            return None
        if self.dialog is not None:
            self.dialog.raise_()
            self.dialog.activateWindow()
            return self.dialog
        dialog = ContactImportDialog(self._parent)
        dialog.fileChosen.connect(self._read)
        dialog.checkRequested.connect(self._check)
        dialog.importRequested.connect(self._import)
        dialog.undoRequested.connect(self._undo)
        dialog.finished.connect(lambda _result: self._closed(dialog))
        self.dialog = dialog
        self._table = None
        self._following = ""
        dialog.open()
        dialog.choose_button.setFocus()
        self._reload_history()
        return dialog

    def _closed(self, dialog: ContactImportDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
            self._generation += 1
            self._table = None
            self._following = ""
        dialog.deleteLater()

    def _submit(
        self,
        work: Callable[[ContactImportService], T],
        done: Callable[[ContactImportDialog, T], None],
        *,
        what: str,
        of_file: bool = False,
    ) -> None:
        """Run `work` on the worker; `done` with the open dialog, unless it closed meanwhile
        (or, `of_file`, another file was chosen since). A refusal is shown in the dialog."""
        service, runner, dialog = self._service, self._runner, self.dialog
        if service is None or runner is None or dialog is None:
            return
        generation, file = self._generation, self._file

        def current() -> bool:
            return (
                generation == self._generation
                and self.dialog is dialog
                and (not of_file or file == self._file)
            )

        def success(result: T) -> None:
            if current():
                done(dialog, result)

        def failure(error: BaseException) -> None:
            if not isinstance(error, DomainError):
                log.error("could not %s", what, exc_info=error)
            if current():
                dialog.show_error(problem_text(error))
                dialog.undo_answered()

        runner.submit(lambda: work(service), on_success=success, on_failure=failure)

    def _read(self, path: str) -> None:
        self._file += 1  # an older file's answer no longer counts

        def read(service: ContactImportService) -> tuple[Table, ColumnMapping]:
            table = service.read_file(Path(path))
            return table, service.guess(table)

        def show(dialog: ContactImportDialog, result: tuple[Table, ColumnMapping]) -> None:
            table, mapping = result
            self._table = table
            dialog.set_table(table, mapping)

        self._submit(read, show, what="read a contacts file", of_file=True)

    def _check(self) -> None:
        dialog, table = self.dialog, self._table
        if dialog is None or table is None:
            return
        mapping = dialog.mapping()

        def check(service: ContactImportService) -> tuple[list[RowReport], dict[int, str]]:
            return service.check(table, mapping), phone_cells(table, mapping)

        def show(
            dialog: ContactImportDialog, result: tuple[list[RowReport], dict[int, str]]
        ) -> None:
            reports, raw = result
            dialog.set_reports(reports, raw)

        self._submit(check, show, what="check the rows", of_file=True)

    def _import(self) -> None:
        dialog = self.dialog
        if dialog is None:
            return
        source, reports = dialog.source, dialog.reports()

        def queued(dialog: ContactImportDialog, result: str) -> None:
            self._following = result
            self._follow()
            self._reload_history()

        self._submit(lambda service: service.queue_import(source, reports), queued,
                     what="queue an import")

    def _follow(self) -> None:
        import_id = self._following

        def show(dialog: ContactImportDialog, record: ImportRecord | None) -> None:
            dialog.show_record(record)

        self._submit(lambda service: service.find(import_id), show, what="read an import")

    def _undo(self, import_id: str) -> None:
        def queued(dialog: ContactImportDialog, _result: None) -> None:
            dialog.undo_answered()
            self._reload_history()
            if self._following:
                self._follow()

        self._submit(lambda service: service.undo(import_id), queued, what="undo an import")

    def _reload_history(self) -> None:
        def show(dialog: ContactImportDialog, records: list[ImportRecord]) -> None:
            dialog.set_history(records)

        self._submit(lambda service: service.imports(), show, what="read the imports")
