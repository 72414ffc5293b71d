"""The contact import dialog (`contactImportDialog`): choose a file, say what its columns are,
see what will happen to every row, import, and undo.

    1. choose (`importChooseFileButton`, or drop a file; `choose_path` for tests), with the
       recent imports (`importHistoryList`, Undo on each not undone)
    2. columns (`importMappingTable`: header, two samples, `importMapping_<n>`, `importLabel_<n>`)
    3. preview (`importReportTable`, `importSummary`, `importProblemsOnly`), then
       `importStartButton` "Import N contacts"
    4. the result: importing…, then what the server made and skipped (`importUndoButton`,
       asking first: `importUndoConfirm`)

Opened with open(), never exec(). It never touches the cache nor reads the file: its owner
(console/ui/contact_import.py) does that on its worker, hands the results in, and acts on the
signals here.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from console.domain.contact_import import (
    ColumnTarget,
    Mapping,
    PhoneKind,
    RowCode,
    RowReport,
    Table,
    Target,
)
from console.domain.contact_import_history import ImportRecord, ImportStatus
from console.ui.contact_import_model import ImportReportModel, code_text
from console.ui.formatting import list_time
from console.ui.i18n import translate
from console.ui.qt import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDragEnterEvent,
    QDropEvent,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    Qt,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    Signal,
)
from console.ui.theme import set_themed_style

_CONTEXT = "ContactImport"
SAMPLES = 2  # sample values shown per column
HISTORY_SHOWN = 10

STYLE = """
#contactImportDialog { background: $surface; }
#contactImportDialog #dialogHeading { font-size: 12pt; font-weight: 600; color: $text; }
#importNote, #importHistoryEmpty { color: $text_secondary; }
#importError { color: $danger_text; }
#importSummary { color: $text; font-weight: 600; }
#importResultTitle { color: $text; font-weight: 600; font-size: 11pt; }
#importResultDetail { color: $text_secondary; }
#importDropArea { border: 1px dashed $border; border-radius: 8px; padding: 18px; }
"""


def grouped(count: int) -> str:
    return f"{count:,}"


def _counted(text: str, count: int) -> str:
    """A translated %n text with its count grouped ("1,204 to import")."""
    return text.replace(str(count), grouped(count), 1) if count >= 1000 else text


def summary_text(reports: Sequence[RowReport]) -> str:
    """"1,204 to import · 12 invalid numbers · 3 duplicates · 2 outside US/Canada · 5 DND";
    a kind of problem no row has is left out."""
    codes = Counter(r.code for r in reports)
    good = codes[RowCode.OK]
    dnd = sum(1 for r in reports if r.ok and r.dnd)
    duplicates = codes[RowCode.DUPLICATE_EXISTING] + codes[RowCode.DUPLICATE_IN_FILE]
    parts = [_counted(translate(_CONTEXT, "%n to import", None, good), good)]
    for count, text in (
        (codes[RowCode.INVALID_NUMBER],
         translate(_CONTEXT, "%n invalid number(s)", None, codes[RowCode.INVALID_NUMBER])),
        (duplicates, translate(_CONTEXT, "%n duplicate(s)", None, duplicates)),
        (codes[RowCode.OUTSIDE_NANP],
         translate(_CONTEXT, "%n outside US/Canada", None, codes[RowCode.OUTSIDE_NANP])),
        (codes[RowCode.NO_NAME_OR_NUMBER],
         translate(_CONTEXT, "%n without name or number", None,
                   codes[RowCode.NO_NAME_OR_NUMBER])),
        (dnd, translate(_CONTEXT, "%n DND", None, dnd)),
    ):
        if count:
            parts.append(_counted(text, count))
    return " · ".join(parts)


def target_texts() -> list[tuple[Target, str]]:
    return [
        (Target.NAME, translate(_CONTEXT, "Full name")),
        (Target.FIRST_NAME, translate(_CONTEXT, "First name")),
        (Target.LAST_NAME, translate(_CONTEXT, "Last name")),
        (Target.PHONE, translate(_CONTEXT, "Phone number")),
        (Target.EMAIL, translate(_CONTEXT, "Email")),
        (Target.DND, translate(_CONTEXT, "Do Not Disturb (yes/no)")),
        (Target.IGNORE, translate(_CONTEXT, "Don't import")),
    ]


def label_texts() -> list[tuple[PhoneKind, str]]:
    return [
        (PhoneKind.MOBILE, translate(_CONTEXT, "Mobile")),
        (PhoneKind.WORK, translate(_CONTEXT, "Work")),
        (PhoneKind.HOME, translate(_CONTEXT, "Home")),
        (PhoneKind.OTHER, translate(_CONTEXT, "Other")),
    ]


def status_text(record: ImportRecord) -> str:
    return {
        ImportStatus.IMPORTING: translate(_CONTEXT, "Importing…"),
        ImportStatus.DONE: translate(_CONTEXT, "Imported"),
        ImportStatus.UNDOING: translate(_CONTEXT, "Undoing…"),
        ImportStatus.UNDONE: translate(_CONTEXT, "Undone"),
        ImportStatus.REFUSED: translate(_CONTEXT, "Refused"),
    }[record.status]


def history_text(record: ImportRecord) -> str:
    """One recent import: "people.csv · 14:05 · 1,204 contacts · Imported"."""
    count = record.created_count if record.status is not ImportStatus.IMPORTING \
        else record.row_count
    contacts = _counted(translate(_CONTEXT, "%n contact(s)", None, count), count)
    return " · ".join(
        (record.source, list_time(record.created_at), contacts, status_text(record))
    )


class ContactImportDialog(QDialog):
    fileChosen = Signal(str)  # a path to read (the owner reads it, then calls set_table)
    checkRequested = Signal()  # check every row as mapping() says (then set_reports)
    importRequested = Signal()  # import the good rows of the last check
    undoRequested = Signal(str)  # an import's id, once the user said yes

    CHOOSE, MAPPING, PREVIEW, RESULT = range(4)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("contactImportDialog")
        self.setWindowTitle(translate(_CONTEXT, "Import contacts"))
        set_themed_style(self, STYLE)
        self.setAcceptDrops(True)
        self.source = ""  # the chosen file's name: the import's `source`
        self._table: Table | None = None
        self._reports: list[RowReport] = []
        self._record: ImportRecord | None = None
        self.file_dialog: QFileDialog | None = None
        self.confirm: QMessageBox | None = None
        self.target_boxes: list[QComboBox] = []
        self.label_boxes: list[QComboBox] = []
        self.history_undo_buttons: dict[str, QPushButton] = {}

        self.heading = QLabel(self)
        self.heading.setObjectName("dialogHeading")
        self.steps = QStackedWidget(self)
        self.steps.setObjectName("importSteps")
        self.steps.addWidget(self._choose_page())
        self.steps.addWidget(self._mapping_page())
        self.steps.addWidget(self._preview_page())
        self.steps.addWidget(self._result_page())

        self.busy = QProgressBar(self)
        self.busy.setObjectName("importBusy")
        self.busy.setRange(0, 0)  # busy: how long a read or a check takes is not known
        self.busy.setTextVisible(False)
        self.busy.setMaximumHeight(6)
        self.busy_label = QLabel(self)
        self.busy_label.setObjectName("importBusyLabel")
        self.error = QLabel(self)
        self.error.setObjectName("importError")
        self.error.setWordWrap(True)
        self.error.hide()

        self.back_button = QPushButton(translate(_CONTEXT, "Back"), self)
        self.back_button.setObjectName("importBackButton")
        self.back_button.setAccessibleDescription(
            translate(_CONTEXT, "Goes back a step; nothing is imported."))
        self.back_button.clicked.connect(self.back)
        self.next_button = QPushButton(translate(_CONTEXT, "Check rows"), self)
        self.next_button.setObjectName("importNextButton")
        self.next_button.setAccessibleDescription(translate(
            _CONTEXT, "Reads every row as the columns say and shows what will be imported."))
        self.next_button.clicked.connect(self._check)
        self.start_button = QPushButton(self)
        self.start_button.setObjectName("importStartButton")
        self.start_button.setAccessibleDescription(translate(
            _CONTEXT, "Imports the rows that can be imported; the others are left out."))
        self.start_button.clicked.connect(self._start)
        self.close_button = QPushButton(translate(_CONTEXT, "Close"), self)
        self.close_button.setObjectName("importCloseButton")
        self.close_button.setAccessibleDescription(translate(
            _CONTEXT, "Closes the dialog; nothing is imported unless you started it."))
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.next_button)
        buttons.addWidget(self.start_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 14)
        layout.setSpacing(10)
        layout.addWidget(self.heading)
        layout.addWidget(self.steps, 1)
        layout.addWidget(self.busy_label)
        layout.addWidget(self.busy)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self.resize(760, 520)
        self.hide_busy()
        self._go(self.CHOOSE)

    # -- pages -------------------------------------------------------------------------------

    def _choose_page(self) -> QWidget:
        page = QWidget(self)
        page.setObjectName("importChoosePage")
        drop = QWidget(page)
        drop.setObjectName("importDropArea")
        note = QLabel(translate(
            _CONTEXT, "A CSV file (from a spreadsheet or another app, saved as CSV) or a vCard "
            "file (.vcf) from a phone or address book. Nothing is imported until you have seen "
            "every row."), drop)
        note.setObjectName("importNote")
        note.setWordWrap(True)
        self.choose_button = QPushButton(translate(_CONTEXT, "Choose file…"), drop)
        self.choose_button.setObjectName("importChooseFileButton")
        self.choose_button.setAccessibleDescription(
            translate(_CONTEXT, "Opens a file dialog to choose a CSV or vCard file."))
        self.choose_button.setDefault(True)
        self.choose_button.clicked.connect(self.choose_file)
        drop_note = QLabel(translate(_CONTEXT, "or drop the file here"), drop)
        drop_note.setObjectName("importNote")
        drop_layout = QVBoxLayout(drop)
        drop_layout.addWidget(note)
        row = QHBoxLayout()
        row.addWidget(self.choose_button)
        row.addWidget(drop_note)
        row.addStretch(1)
        drop_layout.addLayout(row)

        history_heading = QLabel(translate(_CONTEXT, "Recent imports"), page)
        history_heading.setObjectName("importHistoryHeading")
        self.history = QListWidget(page)
        self.history.setObjectName("importHistoryList")
        self.history.setAccessibleName(translate(_CONTEXT, "Recent imports"))
        self.history.setAccessibleDescription(translate(
            _CONTEXT, "The latest imports: their file, when, how many contacts and how each "
            "ended."))
        self.history.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.history_empty = QLabel(translate(_CONTEXT, "No imports yet."), page)
        self.history_empty.setObjectName("importHistoryEmpty")
        self.history_empty.hide()  # until the imports are read
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(drop)
        layout.addWidget(history_heading)
        layout.addWidget(self.history, 1)
        layout.addWidget(self.history_empty)
        return page

    def _mapping_page(self) -> QWidget:
        page = QWidget(self)
        page.setObjectName("importMappingPage")
        self.mapping_note = QLabel(page)
        self.mapping_note.setObjectName("importNote")
        self.mapping_note.setWordWrap(True)
        self.mapping_table = QTableWidget(0, 5, page)
        self.mapping_table.setObjectName("importMappingTable")
        self.mapping_table.setAccessibleName(translate(_CONTEXT, "Columns of the file"))
        self.mapping_table.setAccessibleDescription(translate(
            _CONTEXT, "Each column of the file with examples from it, what it is imported as "
            "and the label its numbers get."))
        self.mapping_table.setHorizontalHeaderLabels([
            translate(_CONTEXT, "Column"), translate(_CONTEXT, "Example"),
            translate(_CONTEXT, "Example"), translate(_CONTEXT, "Import as"),
            translate(_CONTEXT, "Number label"),
        ])
        self.mapping_table.verticalHeader().hide()
        self.mapping_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.mapping_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        header = self.mapping_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.mapping_note)
        layout.addWidget(self.mapping_table, 1)
        return page

    def _preview_page(self) -> QWidget:
        page = QWidget(self)
        page.setObjectName("importPreviewPage")
        self.summary = QLabel(page)
        self.summary.setObjectName("importSummary")
        self.summary.setWordWrap(True)
        self.problems_only = QCheckBox(translate(_CONTEXT, "Show only rows with a problem"), page)
        self.problems_only.setObjectName("importProblemsOnly")
        self.problems_only.setAccessibleDescription(
            translate(_CONTEXT, "Lists only the rows that will not be imported, and why."))
        self.model = ImportReportModel(self)
        self.problems_only.toggled.connect(self.model.set_problems_only)
        self.report_table = QTableView(page)
        self.report_table.setObjectName("importReportTable")
        self.report_table.setAccessibleName(translate(_CONTEXT, "Rows of the file"))
        self.report_table.setAccessibleDescription(translate(
            _CONTEXT, "Each row of the file: its name, numbers and what happens to it."))
        self.report_table.setModel(self.model)
        self.report_table.verticalHeader().hide()
        self.report_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.report_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.report_table.setWordWrap(False)
        header = self.report_table.horizontalHeader()
        # Fixed widths, never ResizeToContents: that would measure all 10,000 rows.
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in ((0, 56), (1, 200), (2, 220)):
            self.report_table.setColumnWidth(column, width)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.problems_only)
        layout.addWidget(self.report_table, 1)
        return page

    def _result_page(self) -> QWidget:
        page = QWidget(self)
        page.setObjectName("importResultPage")
        self.result_title = QLabel(page)
        self.result_title.setObjectName("importResultTitle")
        self.result_title.setWordWrap(True)
        self.result_detail = QLabel(page)
        self.result_detail.setObjectName("importResultDetail")
        self.result_detail.setWordWrap(True)
        self.server_skipped = QListWidget(page)
        self.server_skipped.setObjectName("importServerSkipped")
        self.server_skipped.setAccessibleName(translate(_CONTEXT, "Rows the server skipped"))
        self.server_skipped.setAccessibleDescription(translate(
            _CONTEXT, "The rows the server did not import, each with why."))
        self.undo_button = QPushButton(translate(_CONTEXT, "Undo this import"), page)
        self.undo_button.setObjectName("importUndoButton")
        self.undo_button.setAccessibleDescription(translate(
            _CONTEXT, "Deletes every contact this import made (asks first)."))
        self.undo_button.clicked.connect(self._undo_shown)
        row = QHBoxLayout()
        row.addWidget(self.undo_button)
        row.addStretch(1)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.result_title)
        layout.addWidget(self.result_detail)
        layout.addWidget(self.server_skipped, 1)
        layout.addLayout(row)
        # With nothing skipped the list is hidden and this takes the room (show_record), so
        # the words stay together at the top rather than spread down the page.
        layout.addStretch(0)
        self._result_layout = layout
        return page

    # -- steps -------------------------------------------------------------------------------

    def step(self) -> int:
        return self.steps.currentIndex()

    def _go(self, step: int) -> None:
        self.steps.setCurrentIndex(step)
        self.heading.setText({
            self.CHOOSE: translate(_CONTEXT, "Import contacts: choose a file"),
            self.MAPPING: translate(_CONTEXT, "Import contacts: what is in each column"),
            self.PREVIEW: translate(_CONTEXT, "Import contacts: check the rows"),
            self.RESULT: translate(_CONTEXT, "Import contacts"),
        }[step])
        self.back_button.setVisible(step in (self.MAPPING, self.PREVIEW))
        self.next_button.setVisible(step == self.MAPPING)
        self.start_button.setVisible(step == self.PREVIEW)
        # Enter does the step's own thing (never Close).
        self.choose_button.setDefault(step == self.CHOOSE)
        self.next_button.setDefault(step == self.MAPPING)
        self.start_button.setDefault(step == self.PREVIEW)
        self.error.hide()

    def back(self) -> None:
        if self.step() == self.PREVIEW:
            self._go(self.MAPPING)
        elif self.step() == self.MAPPING:
            self._go(self.CHOOSE)

    def show_busy(self, text: str) -> None:
        """A read or a check is running on the owner's worker: the buttons wait for it."""
        self.busy_label.setText(text)
        self.busy_label.show()
        self.busy.show()
        for button in (self.choose_button, self.next_button, self.start_button,
                       self.back_button):
            button.setEnabled(False)

    def hide_busy(self) -> None:
        self.busy_label.hide()
        self.busy.hide()
        for button in (self.choose_button, self.next_button, self.back_button):
            button.setEnabled(True)
        self.start_button.setEnabled(any(r.ok for r in self._reports))

    def is_busy(self) -> bool:
        return not self.busy.isHidden()

    def show_error(self, text: str) -> None:
        self.hide_busy()
        self.error.setText(text)
        self.error.show()

    # -- 1. the file -------------------------------------------------------------------------

    def choose_file(self) -> QFileDialog:
        dialog = QFileDialog(self, translate(_CONTEXT, "Choose a file of contacts"))
        dialog.setObjectName("importFileDialog")
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setNameFilters([
            translate(_CONTEXT, "Contacts (*.csv *.vcf *.vcard *.txt)"),
            translate(_CONTEXT, "All files (*)"),
        ])
        dialog.fileSelected.connect(self.choose_path)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.file_dialog = dialog
        dialog.open()
        return dialog

    def choose_path(self, path: str | Path) -> None:
        """Read `path` (through the owner): the file dialog, a drop, or a test."""
        if not str(path) or self.is_busy():
            return
        self.source = Path(path).name
        self._reports = []
        self.show_busy(translate(_CONTEXT, "Reading {file}…").format(file=self.source))
        self.fileChosen.emit(str(path))

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        urls = event.mimeData().urls()
        if self.step() == self.CHOOSE and len(urls) == 1 and urls[0].isLocalFile():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        urls = event.mimeData().urls()
        if len(urls) == 1 and urls[0].isLocalFile():
            event.acceptProposedAction()
            self.choose_path(urls[0].toLocalFile())

    def set_history(self, records: Sequence[ImportRecord]) -> None:
        """The recent imports, newest first, each not undone with its Undo."""
        self.history.clear()
        self.history_undo_buttons = {}
        shown = list(records)[:HISTORY_SHOWN]
        for record in shown:
            item = QListWidgetItem(self.history)
            row = QWidget(self.history)
            label = QLabel(history_text(record), row)
            label.setObjectName("importHistoryText")
            row_layout = QHBoxLayout(row)
            row_layout.setContentsMargins(6, 2, 6, 2)
            row_layout.addWidget(label, 1)
            if record.may_undo:
                undo = QPushButton(translate(_CONTEXT, "Undo…"), row)
                undo.setObjectName(f"importHistoryUndo_{record.id}")
                undo.setAccessibleDescription(translate(
                    _CONTEXT, "Deletes every contact this import made (asks first)."))
                undo.setAccessibleName(
                    translate(_CONTEXT, "Undo the import of {file}").format(file=record.source))
                undo.clicked.connect(lambda _=False, r=record: self.ask_undo(r))
                row_layout.addWidget(undo)
                self.history_undo_buttons[record.id] = undo
            item.setSizeHint(row.sizeHint())
            item.setData(Qt.ItemDataRole.UserRole, record.id)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, history_text(record))
            self.history.setItemWidget(item, row)
        self.history.setVisible(bool(shown))
        self.history_empty.setVisible(not shown)

    # -- 2. the columns ----------------------------------------------------------------------

    def set_table(self, table: Table, mapping: Mapping) -> None:
        """The file read: one row per column, with the owner's guess of what it is."""
        self.hide_busy()
        self._table = table
        self.mapping_note.setText(_counted(translate(
            _CONTEXT, "{file}: %n row(s). Say what each column holds; the guesses come from "
            "the headers.", None, len(table.rows)), len(table.rows)).format(file=self.source))
        self.mapping_table.setRowCount(len(table.columns))
        self.target_boxes, self.label_boxes = [], []
        samples = [row.cells for row in table.rows[: SAMPLES * 20]]
        for n, header in enumerate(table.columns):
            filled = [cells[n] for cells in samples if n < len(cells) and cells[n]][:SAMPLES]
            self.mapping_table.setItem(n, 0, QTableWidgetItem(header))
            for k in range(SAMPLES):
                self.mapping_table.setItem(
                    n, 1 + k, QTableWidgetItem(filled[k] if k < len(filled) else ""))
            guess = mapping[n] if n < len(mapping) else ColumnTarget(Target.IGNORE)
            target = QComboBox(self.mapping_table)
            target.setObjectName(f"importMapping_{n}")
            target.setAccessibleDescription(
                translate(_CONTEXT, "What the column holds; Ignore leaves it out."))
            target.setAccessibleName(
                translate(_CONTEXT, "Import column “{column}” as").format(column=header))
            for value, text in target_texts():
                target.addItem(text, value.value)
            target.setCurrentIndex(max(0, target.findData(guess.target.value)))
            label = QComboBox(self.mapping_table)
            label.setObjectName(f"importLabel_{n}")
            label.setAccessibleDescription(
                translate(_CONTEXT, "The label the numbers in this column get."))
            label.setAccessibleName(
                translate(_CONTEXT, "Label of the numbers in “{column}”").format(column=header))
            for kind, text in label_texts():
                label.addItem(text, kind.value)
            label.setCurrentIndex(
                max(0, label.findData((guess.label or PhoneKind.OTHER).value)))
            label.setEnabled(guess.target == Target.PHONE)
            target.currentIndexChanged.connect(
                lambda _i, t=target, lab=label: lab.setEnabled(t.currentData() == Target.PHONE))
            self.mapping_table.setCellWidget(n, 3, target)
            self.mapping_table.setCellWidget(n, 4, label)
            self.target_boxes.append(target)
            self.label_boxes.append(label)
        self._go(self.MAPPING)

    def mapping(self) -> Mapping:
        """What the user says each column is."""
        out: list[ColumnTarget] = []
        for target, label in zip(self.target_boxes, self.label_boxes, strict=True):
            chosen = Target(str(target.currentData()))
            kind = PhoneKind(str(label.currentData())) if chosen == Target.PHONE else None
            out.append(ColumnTarget(chosen, kind))
        return tuple(out)

    def _check(self) -> None:
        if self._table is None or self.is_busy():
            return
        self.show_busy(_counted(translate(
            _CONTEXT, "Checking %n row(s)…", None, len(self._table.rows)), len(self._table.rows)))
        self.checkRequested.emit()

    # -- 3. the preview ----------------------------------------------------------------------

    def set_reports(self, reports: Sequence[RowReport], raw_numbers: dict[int, str]) -> None:
        """Every row checked: what will happen to each (`raw_numbers`: the file's numbers by
        row, shown for the rows that cannot be imported)."""
        self._reports = list(reports)
        self.model.set_reports(reports, raw_numbers)
        self.summary.setText(summary_text(reports))
        good = sum(1 for r in reports if r.ok)
        self.start_button.setText(
            _counted(translate(_CONTEXT, "Import %n contact(s)", None, good), good))
        self._go(self.PREVIEW)
        self.hide_busy()

    def reports(self) -> list[RowReport]:
        return list(self._reports)

    def _start(self) -> None:
        if not any(r.ok for r in self._reports) or self.is_busy():
            return
        self.start_button.setEnabled(False)  # once: the owner answers with show_record
        self.importRequested.emit()

    # -- 4. the result -----------------------------------------------------------------------

    def show_record(self, record: ImportRecord | None) -> None:
        """The import as it stands: on its way, made (what the server skipped), refused or
        undone."""
        self.hide_busy()
        self._record = record
        self._go(self.RESULT)
        self.server_skipped.clear()
        listed = record is not None and bool(record.skipped)
        self.server_skipped.setVisible(listed)
        self._result_layout.setStretch(self._result_layout.count() - 1, 0 if listed else 1)
        self.undo_button.setVisible(record is not None and record.may_undo)
        if record is None:
            self.result_title.setText(translate(_CONTEXT, "This import is no longer here."))
            self.result_detail.setText("")
            return
        count = record.row_count
        if record.status is ImportStatus.IMPORTING:
            self.result_title.setText(_counted(translate(
                _CONTEXT, "Importing %n contact(s)…", None, count), count))
            self.result_detail.setText(translate(
                _CONTEXT, "The server checks every row again. You may close this window: the "
                "import goes on, and shows in Recent imports."))
        elif record.status is ImportStatus.REFUSED:
            self.result_title.setText(translate(_CONTEXT, "The server refused this import."))
            self.result_detail.setText(translate(
                _CONTEXT, "{reason} Nothing was imported. Refused changes lists it, to try "
                "again or discard.").format(reason=record.error))
        else:
            made = record.created_count
            self.result_title.setText(_counted(translate(
                _CONTEXT, "Imported %n contact(s).", None, made), made))
            skipped = len(record.skipped)
            detail = [_counted(translate(
                _CONTEXT, "The server skipped %n row(s):", None, skipped), skipped)
                if skipped else translate(_CONTEXT, "The server skipped no row.")]
            if record.status is ImportStatus.UNDOING:
                detail.append(translate(_CONTEXT, "Undoing: its contacts are being deleted…"))
            elif record.status is ImportStatus.UNDONE:
                detail.append(translate(_CONTEXT, "Undone: the contacts it made were deleted."))
            self.result_detail.setText(" ".join(detail))
            for row in record.skipped:
                QListWidgetItem(translate(_CONTEXT, "Row {row}: {result}").format(
                    row=row.row, result=code_text(row.code)), self.server_skipped)

    def shown_record(self) -> ImportRecord | None:
        return self._record

    def _undo_shown(self) -> None:
        if self._record is not None and self._record.may_undo:
            self.ask_undo(self._record)

    def ask_undo(self, record: ImportRecord) -> QMessageBox:
        """Ask first (`importUndoConfirm`); yes emits undoRequested."""
        if self.confirm is not None:
            self.confirm.reject()
        box = QMessageBox(self)
        box.setObjectName("importUndoConfirm")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(translate(_CONTEXT, "Undo import?"))
        box.setText(_counted(translate(
            _CONTEXT, "Delete the %n contact(s) imported from {file}?", None,
            record.created_count), record.created_count).format(file=record.source))
        box.setInformativeText(translate(
            _CONTEXT, "Contacts it made that were deleted since stay deleted. Conversations "
            "with them stay readable."))
        undo = box.addButton(translate(_CONTEXT, "Undo import"),
                             QMessageBox.ButtonRole.DestructiveRole)
        undo.setObjectName("importUndoConfirmButton")
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(cancel)
        import_id = record.id

        def answered(_result: int) -> None:
            if self.confirm is box:
                self.confirm = None
            if box.clickedButton() is undo:
                self.undo_button.setEnabled(False)
                self.undoRequested.emit(import_id)
            box.deleteLater()

        box.finished.connect(answered)
        self.confirm = box
        box.open()
        return box

    def undo_answered(self) -> None:
        """The owner queued the undo or was refused: the button may be used again."""
        self.undo_button.setEnabled(True)
