"""The group message confirmation's per-person preview: who, and the text they will read (a
row lacking a field is marked, and says which in its tooltip)."""

from __future__ import annotations

from typing import Any, ClassVar

from console.services.group_send_check import MergeRow
from console.ui.i18n import translate
from console.ui.qt import (
    QAbstractTableModel,
    QByteArray,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from console.ui.template_picker import field_word

ModelIndex = QModelIndex | QPersistentModelIndex


class MergePreviewModel(QAbstractTableModel):
    NameRole = Qt.ItemDataRole.UserRole + 1
    TextRole = Qt.ItemDataRole.UserRole + 2
    MissingRole = Qt.ItemDataRole.UserRole + 3  # the fields without a value (tuple)
    _ROLE_NAMES: ClassVar[dict[int, bytes]] = {
        NameRole: b"name", TextRole: b"text", MissingRole: b"missing",
    }

    def __init__(self, rows: tuple[MergeRow, ...], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows = rows

    def roleNames(self) -> dict[int, QByteArray]:
        names = dict(super().roleNames())
        names.update({role: QByteArray(name) for role, name in self._ROLE_NAMES.items()})
        return names

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else 2

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation is Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return (translate("MergePreviewModel", "Person") if section == 0
                    else translate("MergePreviewModel", "Their text"))
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            text = row.name if index.column() == 0 else " ".join(row.text.split())
            return f"⚠ {text}" if row.missing and index.column() == 0 else text
        if role == Qt.ItemDataRole.ToolTipRole:
            if row.missing:
                fields = ", ".join(field_word(name) for name in row.missing)
                return translate("MergePreviewModel", "No {fields}: left out of their text."
                                 ).format(fields=fields) + "\n\n" + row.text
            return row.text
        return {
            self.NameRole: row.name, self.TextRole: row.text, self.MissingRole: row.missing,
        }.get(role)
