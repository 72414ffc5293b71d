"""`personGroups`' model: the audience groups one person is in (and those they are being added
to or removed from here), by name."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from console.ui.group_model import members_text
from console.ui.labels import pending_state_text, pending_state_tip
from console.ui.named_roles import NamedRolesListModel
from console.ui.qt import QModelIndex, QObject, QPersistentModelIndex, Qt
from console.ui.theme import Colors

if TYPE_CHECKING:
    from console.services.group_reads import PersonGroupRow

ModelIndex = QModelIndex | QPersistentModelIndex



def person_group_text(row: PersonGroupRow) -> str:
    """ "Spring buyers  ·  Adding…" """
    label = pending_state_text(row.state.value)
    return f"{row.group.name}  ·  {label}" if label else row.group.name


class PersonGroupModel(NamedRolesListModel):
    GroupIdRole = Qt.ItemDataRole.UserRole + 1
    NameRole = Qt.ItemDataRole.UserRole + 2
    StateRole = Qt.ItemDataRole.UserRole + 3  # MemberState value ("" when saved)

    _ROLE_NAMES = {GroupIdRole: b"groupId", NameRole: b"name", StateRole: b"pendingState"}

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[PersonGroupRow] = []

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.column() != 0 or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return person_group_text(row)
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = pending_state_tip(row.state.value)
            if tip:
                return tip
            return f"{row.group.name}: {members_text(row.group.member_count)}"
        if role == Qt.ItemDataRole.ForegroundRole and row.state.value:
            return Colors.muted
        if role == self.GroupIdRole:
            return row.group.id
        if role == self.NameRole:
            return row.group.name
        if role == self.StateRole:
            return row.state.value
        return None

    def rows(self) -> list[PersonGroupRow]:
        return list(self._rows)

    def set_rows(self, rows: Sequence[PersonGroupRow]) -> None:
        rows = list(rows)
        if rows == self._rows:
            return
        if [r.group.id for r in rows] == [r.group.id for r in self._rows]:
            self._rows = rows  # same groups: states moved; the selection stays
            self.dataChanged.emit(self.index(0, 0), self.index(len(rows) - 1, 0))
            return
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()
