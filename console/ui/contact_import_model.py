"""The import preview's rows (`importReportTable`): one per row of the file, with what
happens to it in words. Every row of a 10,000-row file is held, but only those on screen are
ever asked for (a plain table model: no widget per row); "problems only" filters by index.

Roles by name (roleNames): row, name, numbers, result, problem, code.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from console.domain.contact_import import Mapping as ColumnMapping
from console.domain.contact_import import RowCode, RowReport, Table, Target
from console.ui.i18n import QT_TRANSLATE_NOOP, translate
from console.ui.named_roles_table import NamedRolesTableModel
from console.ui.qt import QModelIndex, QObject, QPersistentModelIndex, Qt
from console.ui.theme import Colors

_CONTEXT = "ContactImport"

# What happens to a row, by its code: the ui's words, never the domain's English detail.
CODE_TEXTS: dict[str, str] = {
    RowCode.OK: QT_TRANSLATE_NOOP("ContactImport", "Will be imported"),
    RowCode.INVALID_NUMBER: QT_TRANSLATE_NOOP("ContactImport", "Not a phone number"),
    RowCode.OUTSIDE_NANP: QT_TRANSLATE_NOOP("ContactImport", "Not a US or Canada number"),
    RowCode.DUPLICATE_EXISTING: QT_TRANSLATE_NOOP("ContactImport", "Already a contact"),
    RowCode.DUPLICATE_IN_FILE: QT_TRANSLATE_NOOP(
        "ContactImport", "Same number as an earlier row"
    ),
    RowCode.NO_NAME_OR_NUMBER: QT_TRANSLATE_NOOP("ContactImport", "No name or number"),
    RowCode.INVALID_EMAIL: QT_TRANSLATE_NOOP("ContactImport", "Not an email address"),
}


def code_text(code: str) -> str:
    """A row's result in words; a newer server's code (a row it skipped for a reason this
    console does not know) in general words, with the code for whoever looks into it."""
    text = CODE_TEXTS.get(code)
    if text is None:
        return translate(_CONTEXT, "Not imported ({code})").format(code=code)
    return translate(_CONTEXT, text)


def result_text(report: RowReport) -> str:
    words = code_text(report.code)
    if report.ok and report.dnd:
        return translate(_CONTEXT, "{result}, Do Not Disturb on").format(result=words)
    return words


def phone_cells(table: Table, mapping: ColumnMapping) -> dict[int, str]:
    """Each row's numbers as the file writes them (row number -> "a, b")."""
    columns = [i for i, m in enumerate(mapping) if m.target == Target.PHONE]
    out: dict[int, str] = {}
    for row in table.rows:
        cells = [row.cells[i] for i in columns if i < len(row.cells) and row.cells[i]]
        out[row.number] = ", ".join(cells)
    return out


class ImportReportModel(NamedRolesTableModel):
    FILE_ROW, NAME, NUMBERS, RESULT = range(4)
    RowRole = Qt.ItemDataRole.UserRole + 1  # the file's row number
    NameRole = Qt.ItemDataRole.UserRole + 2
    NumbersRole = Qt.ItemDataRole.UserRole + 3
    ResultRole = Qt.ItemDataRole.UserRole + 4  # in words
    ProblemRole = Qt.ItemDataRole.UserRole + 5  # True: this row is not imported
    CodeRole = Qt.ItemDataRole.UserRole + 6  # RowCode value
    _ROLE_NAMES: ClassVar[dict[int, bytes]] = {
        RowRole: b"row",
        NameRole: b"name",
        NumbersRole: b"numbers",
        ResultRole: b"result",
        ProblemRole: b"problem",
        CodeRole: b"code",
    }
    _HEADERS = (
        QT_TRANSLATE_NOOP("ContactImport", "Row"),
        QT_TRANSLATE_NOOP("ContactImport", "Name"),
        QT_TRANSLATE_NOOP("ContactImport", "Number(s)"),
        QT_TRANSLATE_NOOP("ContactImport", "Result"),
    )

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._reports: list[RowReport] = []
        self._raw: dict[int, str] = {}
        self._shown: list[int] = []  # indexes into _reports
        self._problems_only = False

    def set_reports(self, reports: Sequence[RowReport], raw_numbers: dict[int, str]) -> None:
        self.beginResetModel()
        self._reports = list(reports)
        self._raw = raw_numbers
        self._shown = self._filtered()
        self.endResetModel()

    def set_problems_only(self, on: bool) -> None:
        if on == self._problems_only:
            return
        self.beginResetModel()
        self._problems_only = on
        self._shown = self._filtered()
        self.endResetModel()

    def _filtered(self) -> list[int]:
        if not self._problems_only:
            return list(range(len(self._reports)))
        return [i for i, r in enumerate(self._reports) if not r.ok]

    def report(self, row: int) -> RowReport | None:
        return self._reports[self._shown[row]] if 0 <= row < len(self._shown) else None

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._shown)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self._HEADERS)
        ):
            return translate(_CONTEXT, self._HEADERS[section])
        return None

    def numbers(self, report: RowReport) -> str:
        """Good rows: the numbers as they will be saved; others: as the file writes them."""
        if report.ok and report.contact.phones:
            return ", ".join(n for n, _ in report.contact.phones)
        return self._raw.get(report.row, "")

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        report = self.report(index.row()) if index.isValid() else None
        if report is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            column = index.column()
            if column == self.FILE_ROW:
                return str(report.row)
            if column == self.NAME:
                return report.contact.name
            if column == self.NUMBERS:
                return self.numbers(report)
            return result_text(report)
        if role == Qt.ItemDataRole.ForegroundRole and not report.ok:
            return Colors.danger_text  # problem rows stand out
        if role == self.RowRole:
            return report.row
        if role == self.NameRole:
            return report.contact.name
        if role == self.NumbersRole:
            return self.numbers(report)
        if role == self.ResultRole:
            return result_text(report)
        if role == self.ProblemRole:
            return not report.ok
        if role == self.CodeRole:
            return report.code.value
        return None
