"""`historyExportButton`'s work: ask where (a save dialog opened with open()), then write what
the filters show to CSV or PDF on a worker, with a progress dialog (`historyExportProgress`)
whose Cancel stops it between pages and leaves no file behind.

The filter is the one the list shows when the export starts; later keystrokes do not change
an export under way. The page hears `exported(path, rows)` or `failed(text)`.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from console.services.cancel import Cancellation
from console.ui.history_csv import Cancelled, write_history_csv
from console.ui.history_model import HistoryModel
from console.ui.history_query import filter_description, grouped
from console.ui.i18n import QT_TRANSLATE_NOOP, translate
from console.ui.qt import (
    QCheckBox,
    QFileDialog,
    QObject,
    QProgressDialog,
    QPushButton,
    Qt,
    QThread,
    QWidget,
    Signal,
)
from console.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from console.services.history import HistoryService

log = logging.getLogger("console.ui.history_export")

_CONTEXT = "HistoryExporter"
# Source texts: the dialog shows (and reports back) translate(_CONTEXT, ...) of them.
CSV_FILTER = QT_TRANSLATE_NOOP("HistoryExporter", "CSV files (*.csv)")
PDF_FILTER = QT_TRANSLATE_NOOP("HistoryExporter", "PDF files (*.pdf)")
PROGRESS_DELAY_MS = 300  # a quick export finishes before any dialog flashes up


class HistoryExporter(QObject):
    exported = Signal(str, int)  # path, rows written
    failed = Signal(str)  # what went wrong and what to do
    _progressed = Signal(int)  # from the worker: rows written so far

    def __init__(
        self, page: QWidget, model: HistoryModel, button: QPushButton,
        *, include_notes: QCheckBox | None = None,
    ) -> None:
        super().__init__(page)
        # `exportIncludeNotes`: internal notes go into an export only when it is ticked.
        self._include_notes = include_notes
        self._page = page
        self._model = model
        self._button = button
        self._source: HistoryService | None = None
        self._runner: TaskRunner | None = None
        self._pdf_job: QThread | None = None
        self._cancel = Cancellation()
        self.busy = False
        self.dialog: QFileDialog | None = None
        self.progress: QProgressDialog | None = None
        self._progressed.connect(self._show_progress, Qt.ConnectionType.QueuedConnection)
        button.clicked.connect(self.choose_file)

    def set_source(self, source: HistoryService | None) -> None:
        if source is not self._source:
            self.stop()
        self._source = source

    def stop(self) -> None:
        """Cancel an export under way and stop the worker."""
        self._cancel.set()
        if self._runner is not None:
            self._runner.shutdown(wait=True)
            self._runner.deleteLater()
            self._runner = None
        if self._pdf_job is not None:
            self._pdf_job.wait()  # cancelled: it stops at its next page
            self._pdf_job.deleteLater()
            self._pdf_job = None
        self._close_progress()
        self.busy = False

    # -- asking where -------------------------------------------------------------------------
    def choose_file(self) -> QFileDialog:
        dialog = QFileDialog(self._page, translate(_CONTEXT, "Export history"))
        dialog.setObjectName("historyExportDialog")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        pdf_filter = translate(_CONTEXT, PDF_FILTER)
        dialog.setNameFilters([translate(_CONTEXT, CSV_FILTER), pdf_filter])
        dialog.setDefaultSuffix("csv")
        dialog.selectFile(translate(_CONTEXT, "history.csv"))  # a file name
        dialog.filterSelected.connect(
            lambda chosen: dialog.setDefaultSuffix("pdf" if chosen == pdf_filter else "csv")
        )
        dialog.fileSelected.connect(lambda path: self.export_to(Path(path)))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.open()
        return dialog

    # -- writing ------------------------------------------------------------------------------
    def export_to(self, path: Path) -> bool:
        """Write what the list's filter finds to `path` (PDF for a .pdf name, else CSV)."""
        source = self._source
        if source is None or self.busy:
            return False
        flt = self._model.filter
        notes = self._include_notes is not None and self._include_notes.isChecked()
        pdf = path.suffix.lower() == ".pdf"
        total = self._model.total
        self._cancel = Cancellation()
        cancel = self._cancel
        self.busy = True
        self._button.setEnabled(False)
        progress = QProgressDialog(
            translate(_CONTEXT, "Exporting to {file}…").format(file=path.name),
            translate(_CONTEXT, "Cancel"), 0, 0, self._page,
        )
        progress.setObjectName("historyExportProgress")
        progress.setWindowTitle(translate(_CONTEXT, "Export history"))
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(PROGRESS_DELAY_MS)
        progress.setAutoClose(False)
        progress.setAutoReset(False)
        if total is not None and not total.at_least and total.count:
            progress.setMaximum(total.count)
        progress.canceled.connect(cancel.set)
        progress.setValue(0)
        self.progress = progress

        def report(rows: int) -> None:  # on the worker
            self._progressed.emit(rows)

        if pdf:
            from console.ui.history_pdf import PdfJob, write_history_pdf  # only when used

            # The filter stated on top, with the names of the number, group, author chosen.
            named = flt.number_ids or flt.group_id or flt.author
            described = filter_description(flt, source.filter_options() if named else None)
            job = PdfJob(
                lambda: write_history_pdf(path, source, flt, cancel=cancel, progress=report,
                                          described=described, include_notes=notes),
                self,
            )
            job.done.connect(lambda rows: self._done(path, rows))
            job.failed.connect(lambda exc: self._failed(path, exc))
            self._pdf_job = job
            job.start()
            return True

        def work() -> int:
            return write_history_csv(
                path, source, flt, cancel=cancel, progress=report, include_notes=notes
            )

        if self._runner is None:
            self._runner = TaskRunner(self, max_workers=1)
        self._runner.submit(
            work,
            on_success=lambda rows: self._done(path, rows),
            on_failure=lambda exc: self._failed(path, exc),
        )
        return True

    def cancel(self) -> None:
        """What the progress dialog's Cancel does."""
        self._cancel.set()

    def _show_progress(self, rows: int) -> None:
        progress = self.progress
        if progress is None:
            return
        if progress.maximum() and rows <= progress.maximum():
            progress.setValue(rows)
        progress.setLabelText(
            grouped(translate(_CONTEXT, "Exported %n message(s)…", None, rows), rows)
        )

    def _done(self, path: Path, rows: int) -> None:
        self._finish()
        self.exported.emit(str(path), rows)

    def _failed(self, path: Path, exc: BaseException) -> None:
        self._finish()
        if isinstance(exc, Cancelled):
            self.failed.emit(translate(_CONTEXT, "Export cancelled: no file was written."))
            return
        log.warning("history export to %s failed: %r", path, exc)
        reason = (
            exc.strerror if isinstance(exc, OSError) and exc.strerror
            else translate(_CONTEXT, "it failed")
        )
        self.failed.emit(
            translate(_CONTEXT, "Could not save {path}: {reason}. Choose another place.").format(
                path=path, reason=reason
            )
        )

    def _finish(self) -> None:
        if self._pdf_job is not None:
            self._pdf_job.wait()  # it has reported: only its return is left
            self._pdf_job.deleteLater()
            self._pdf_job = None
        self.busy = False
        self._button.setEnabled(self._model.rowCount() > 0)
        self._close_progress()

    def _close_progress(self) -> None:
        if self.progress is not None:
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None
