"""`groupMemberList`'s model: one group's members (name, number, email, added at, pending
state), searched like the contact list, read lazily (console/ui/row_window.py) so a 50,000-
person group opens as fast as a small one. An assigned-only user's cache holds only their own
people's memberships, so they see exactly the members they may see."""

from __future__ import annotations

from enum import IntEnum
from typing import TYPE_CHECKING, Any, ClassVar

from console.ui.formatting import list_time
from console.ui.i18n import QT_TRANSLATE_NOOP, translate
from console.ui.labels import pending_state_text, pending_state_tip
from console.ui.named_roles_table import NamedRolesTableModel
from console.ui.qt import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from console.ui.row_window import RowWindow
from console.ui.theme import Colors
from console.ui.window_model import can_fetch_more, fetch_more, recount, row_flags, search

if TYPE_CHECKING:
    from console.services.group_reads import GroupMemberRow
    from console.services.groups import GroupService

ModelIndex = QModelIndex | QPersistentModelIndex


class MemberColumn(IntEnum):
    NAME = 0
    NUMBER = 1
    EMAIL = 2
    ADDED = 3
    STATE = 4


_CONTEXT = "GroupMemberModel"

HEADERS = {
    MemberColumn.NAME: QT_TRANSLATE_NOOP("GroupMemberModel", "Name"),
    MemberColumn.NUMBER: QT_TRANSLATE_NOOP("GroupMemberModel", "Number"),
    MemberColumn.EMAIL: QT_TRANSLATE_NOOP("GroupMemberModel", "Email"),
    MemberColumn.ADDED: QT_TRANSLATE_NOOP("GroupMemberModel", "Added"),
    MemberColumn.STATE: QT_TRANSLATE_NOOP("GroupMemberModel", "Status"),
}



def state_text(row: GroupMemberRow) -> str:
    return pending_state_text(row.state.value)


def header_text(column: MemberColumn) -> str:
    return translate(_CONTEXT, HEADERS[column])


def member_texts(row: GroupMemberRow) -> tuple[str, ...]:
    return (
        row.name,
        row.display_phone,
        row.email or "",
        list_time(row.added_at) if row.added_at is not None else "",
        state_text(row),
    )


class GroupMemberModel(NamedRolesTableModel):
    ContactIdRole = Qt.ItemDataRole.UserRole + 1
    NameRole = Qt.ItemDataRole.UserRole + 2
    StateRole = Qt.ItemDataRole.UserRole + 3  # MemberState value ("" when saved)
    RowRole = Qt.ItemDataRole.UserRole + 4

    _ROLE_NAMES: ClassVar[dict[int, bytes]] = {
        ContactIdRole: b"contactId",
        NameRole: b"name",
        StateRole: b"pendingState",
        RowRole: b"row",
    }

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._service: GroupService | None = None
        self._group_id = ""
        self._window: RowWindow[GroupMemberRow] = RowWindow()

    # -- Qt model API -------------------------------------------------------------------------
    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else self._window.count

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(MemberColumn)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(MemberColumn)
            and role == Qt.ItemDataRole.DisplayRole
        ):
            return header_text(MemberColumn(section))
        return super().headerData(section, orientation, role)

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        return row_flags(index)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.column() < len(MemberColumn):
            return None
        row = self._window.row(index.row())
        if row is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return member_texts(row)[column]
        if role == Qt.ItemDataRole.AccessibleTextRole:
            text = member_texts(row)[column]
            return translate(_CONTEXT, "{column}: {text}").format(
                column=header_text(MemberColumn(column)), text=text or translate(_CONTEXT, "none")
            )
        if role == Qt.ItemDataRole.ToolTipRole:
            if row.state.value:
                return pending_state_tip(row.state.value) or state_text(row)
            if column == MemberColumn.ADDED and row.added_at is not None:
                return row.added_at.astimezone().strftime("%Y-%m-%d %H:%M")
            return member_texts(row)[column]
        if role == Qt.ItemDataRole.ForegroundRole and row.state.value:
            return Colors.muted
        if role == self.ContactIdRole:
            return row.contact_id
        if role == self.NameRole:
            return row.name
        if role == self.StateRole:
            return row.state.value
        if role == self.RowRole:
            return row
        return None

    def canFetchMore(self, parent: ModelIndex) -> bool:
        return can_fetch_more(self._window, parent)

    def fetchMore(self, parent: ModelIndex) -> None:
        fetch_more(self, self._window, parent)

    # -- lookups and updates ------------------------------------------------------------------
    @property
    def group_id(self) -> str:
        return self._group_id

    @property
    def search_text(self) -> str:
        return self._window.text

    @property
    def has_more(self) -> bool:
        return self._window.has_more

    @property
    def fetches(self) -> int:
        return self._window.fetches

    def member_at(self, row: int) -> GroupMemberRow | None:
        return self._window.row(row)

    def set_group(self, service: GroupService | None, group_id: str) -> None:
        """Show `group_id`'s members ("" or no service: none)."""
        self._service, self._group_id = service, group_id
        if service is None or not group_id:
            self._window.bind(None, None)
        else:
            self._window.bind(
                lambda text, cap: service.count_members(group_id, text, cap=cap),
                lambda text, offset, limit: service.members_page(group_id, text, offset, limit),
            )
        self.reload()

    def set_search(self, text: str) -> None:
        search(self, self._window, text)

    def reload(self) -> None:
        recount(self, self._window)
