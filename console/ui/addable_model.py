"""The add-member picker's model: contacts not in the group, one checkable row each (name,
number, email), read lazily over up to 50,000 contacts (console/ui/row_window.py).

A search's count and first page are read by the owner off the GUI thread and handed in with
`show_search` (the exclusion of members makes some searches slower than the contact list's);
later pages are single indexed LIMIT reads, done here when the view asks. Which rows are
checked is kept by contact id, so the choice survives a new search.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from console.ui.named_roles import NamedRolesListModel
from console.ui.qt import QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from console.ui.row_window import Count, Page, RowWindow
from console.ui.window_model import can_fetch_more, fetch_more, row_flags

if TYPE_CHECKING:
    from console.services.group_reads import AddableContactRow

ModelIndex = QModelIndex | QPersistentModelIndex


def addable_text(row: AddableContactRow) -> str:
    """"Maria Gonzalez · (415) 555-0111 · maria@example.com" """
    parts = [row.name or row.display_phone]
    if row.name and row.display_phone:
        parts.append(row.display_phone)
    if row.email:
        parts.append(row.email)
    return "  ·  ".join(parts)


class AddableContactModel(NamedRolesListModel):
    ContactIdRole = Qt.ItemDataRole.UserRole + 1
    NameRole = Qt.ItemDataRole.UserRole + 2
    PhoneRole = Qt.ItemDataRole.UserRole + 3  # for display
    EmailRole = Qt.ItemDataRole.UserRole + 4

    _ROLE_NAMES = {
        ContactIdRole: b"contactId",
        NameRole: b"name",
        PhoneRole: b"phone",
        EmailRole: b"email",
    }

    chosenChanged = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._window: RowWindow[AddableContactRow] = RowWindow()
        self._chosen: dict[str, str] = {}  # contact id -> name, in the order chosen

    # -- Qt model API -------------------------------------------------------------------------
    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else self._window.count

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        # Not ItemIsUserCheckable: the picker toggles a row on any click (AddableList), and
        # the view would toggle the box a second time.
        return row_flags(index)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.column() != 0:
            return None
        row = self._window.row(index.row())
        if row is None:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return addable_text(row)
        if role == Qt.ItemDataRole.CheckStateRole:
            chosen = row.contact_id in self._chosen
            return Qt.CheckState.Checked if chosen else Qt.CheckState.Unchecked
        if role == self.ContactIdRole:
            return row.contact_id
        if role == self.NameRole:
            return row.name
        if role == self.PhoneRole:
            return row.display_phone
        if role == self.EmailRole:
            return row.email or ""
        return None

    def setData(self, index: ModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.CheckStateRole or not index.isValid():
            return False
        row = self._window.row(index.row())
        if row is None:
            return False
        checked = value in (Qt.CheckState.Checked, Qt.CheckState.Checked.value, 2, True)
        self.set_chosen(row.contact_id, row.name, checked)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        return True

    def canFetchMore(self, parent: ModelIndex) -> bool:
        return can_fetch_more(self._window, parent)

    def fetchMore(self, parent: ModelIndex) -> None:
        fetch_more(self, self._window, parent)

    # -- the choice ---------------------------------------------------------------------------
    def chosen(self) -> list[str]:
        return list(self._chosen)

    def chosen_names(self) -> list[str]:
        return list(self._chosen.values())

    def set_chosen(self, contact_id: str, name: str, checked: bool) -> None:
        if checked:
            self._chosen.setdefault(contact_id, name)
        else:
            self._chosen.pop(contact_id, None)
        self.chosenChanged.emit()

    def toggle(self, row: int) -> None:
        index = self.index(row, 0)
        checked = index.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
        target = Qt.CheckState.Unchecked if checked else Qt.CheckState.Checked
        self.setData(index, target, Qt.ItemDataRole.CheckStateRole)

    # -- rows ---------------------------------------------------------------------------------
    @property
    def search_text(self) -> str:
        return self._window.text

    @property
    def fetches(self) -> int:
        return self._window.fetches

    def bind(self, count_rows: Count | None, read_page: Page[AddableContactRow] | None) -> None:
        """Where further counts and pages come from (the service, for one group)."""
        self._window.bind(count_rows, read_page)

    def show_search(
        self, text: str, count: int, cap: int | None, first: Sequence[AddableContactRow]
    ) -> None:
        """Show a search whose count (up to `cap`) and first page were read elsewhere."""
        self.beginResetModel()
        self._window.text = text
        self._window.preset(count, cap, first)
        self.endResetModel()
