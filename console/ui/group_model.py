"""`groupList`'s model: audience groups by name (new ones made here first), searchable, with
their member counts and what is still on its way to the server (Creating…, Saving…,
Deleting…, Not saved), read lazily from the cache (console/ui/row_window.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from console.services.types import ChangeSet
from console.ui.i18n import QT_TRANSLATE_NOOP, in_source_language, translate
from console.ui.labels import pending_state_text, pending_state_tip
from console.ui.named_roles import NamedRolesListModel
from console.ui.qt import (
    QFont,
    QFontMetrics,
    QModelIndex,
    QObject,
    QPainter,
    QPersistentModelIndex,
    QRect,
    QSize,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    Qt,
)
from console.ui.row_window import RowWindow
from console.ui.theme import Colors
from console.ui.window_model import can_fetch_more, fetch_more, recount, row_flags, search

if TYPE_CHECKING:  # the services pull in SQLAlchemy: not before first paint
    from console.services.group_reads import GroupRow
    from console.services.groups import GroupService

ModelIndex = QModelIndex | QPersistentModelIndex

ROW_PAD_X = 14
ROW_PAD_Y = 8

_CONTEXT = "GroupListModel"

CREATING_TIP = QT_TRANSLATE_NOOP("GroupListModel", "This new group is on its way to the server.")


def members_text(count: int) -> str:
    return translate(_CONTEXT, "%n member(s)", None, count)


def state_text(row: GroupRow) -> str:
    """The row's state label ("Saving…"; "" when saved), in the user's language."""
    return pending_state_text(row.state.value)


def detail_text(row: GroupRow) -> str:
    """The second line: "9 members · Saving…"."""
    parts = [members_text(row.member_count)]
    if row.state.value:
        parts.append(state_text(row))
    return "  ·  ".join(parts)


def state_tip(row: GroupRow) -> str:
    if row.refusal or row.state.value == "refused":
        # The server's reason is English: shown as it is in an English console only.
        if row.refusal and in_source_language():
            return translate(
                _CONTEXT, "Not saved: {reason}. See View > Refused changes to retry or discard it."
            ).format(reason=row.refusal)
        return translate(
            _CONTEXT,
            "Not saved: the server refused it. See View > Refused changes to retry or discard it.",
        )
    if row.state.value == "creating":
        return translate(_CONTEXT, CREATING_TIP)
    return pending_state_tip(row.state.value) or row.description or row.name


class GroupListModel(NamedRolesListModel):
    IdRole = Qt.ItemDataRole.UserRole + 1
    NameRole = Qt.ItemDataRole.UserRole + 2
    MemberCountRole = Qt.ItemDataRole.UserRole + 3
    StateRole = Qt.ItemDataRole.UserRole + 4  # GroupState value ("" when saved)
    DetailRole = Qt.ItemDataRole.UserRole + 5  # "9 members · Saving…"
    RowRole = Qt.ItemDataRole.UserRole + 6  # the GroupRow

    _ROLE_NAMES = {
        IdRole: b"groupId",
        NameRole: b"name",
        MemberCountRole: b"memberCount",
        StateRole: b"pendingState",
        DetailRole: b"detail",
        RowRole: b"row",
    }

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._service: GroupService | None = None
        self._window: RowWindow[GroupRow] = RowWindow()

    # -- Qt model API -------------------------------------------------------------------------
    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else self._window.count

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        return row_flags(index)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.column() != 0:
            return None
        row = self._window.row(index.row())
        if row is None:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, self.NameRole):
            return row.name
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return translate(_CONTEXT, "{name}, {detail}").format(
                name=row.name, detail=detail_text(row)
            )
        if role == Qt.ItemDataRole.ToolTipRole:
            return state_tip(row)
        if role == self.IdRole:
            return row.id
        if role == self.MemberCountRole:
            return row.member_count
        if role == self.StateRole:
            return row.state.value
        if role == self.DetailRole:
            return detail_text(row)
        if role == self.RowRole:
            return row
        return None

    def canFetchMore(self, parent: ModelIndex) -> bool:
        return can_fetch_more(self._window, parent)

    def fetchMore(self, parent: ModelIndex) -> None:
        fetch_more(self, self._window, parent)

    # -- lookups and updates ------------------------------------------------------------------
    def group_at(self, row: int) -> GroupRow | None:
        return self._window.row(row)

    def row_of(self, group_id: str) -> int:
        """The row of `group_id` (reads the pages until it is found; groups are few)."""
        for row in range(self._window.count):
            found = self._window.row(row)
            if found is not None and found.id == group_id:
                return row
        return -1

    @property
    def search_text(self) -> str:
        return self._window.text

    def set_service(self, service: GroupService | None) -> None:
        self._service = service
        if service is None:
            self._window.bind(None, None)
        else:
            self._window.bind(
                lambda text, _cap: service.count_groups(text), service.groups_page
            )
        self.reload()

    def set_search(self, text: str) -> None:
        search(self, self._window, text)

    def reload(self) -> None:
        recount(self, self._window)

    def apply_changes(self, changes: ChangeSet) -> bool:
        """Re-read when groups changed; True when it did (the page restores its selection)."""
        if self._service is None or not (changes.groups or changes.reset):
            return False
        self.reload()
        return True


class GroupDelegate(QStyledItemDelegate):
    """The name over "9 members · Saving…" (a refused one in the danger colour)."""

    @staticmethod
    def _fonts(base: QFont) -> tuple[QFont, QFont]:
        name = QFont(base)
        name.setWeight(QFont.Weight.DemiBold)
        small = QFont(base)
        small.setPointSizeF(base.pointSizeF() * 0.9)
        return name, small

    def sizeHint(self, option: QStyleOptionViewItem, index: ModelIndex) -> QSize:
        name, small = self._fonts(option.font)
        height = QFontMetrics(name).height() + 3 + QFontMetrics(small).height()
        return QSize(200, height + 2 * ROW_PAD_Y)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: ModelIndex) -> None:
        painter.save()
        rect = option.rect
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        hovered = bool(option.state & QStyle.StateFlag.State_MouseOver)
        if selected:
            painter.fillRect(rect, Colors.accent_soft)
            painter.fillRect(QRect(rect.left(), rect.top(), 3, rect.height()), Colors.accent)
        elif hovered:
            painter.fillRect(rect, Colors.hover)
        name_font, small = self._fonts(option.font)
        width = rect.width() - 2 * ROW_PAD_X
        name_metrics = QFontMetrics(name_font)
        y = rect.top() + ROW_PAD_Y
        painter.setFont(name_font)
        painter.setPen(Colors.text)
        name = name_metrics.elidedText(
            str(index.data(GroupListModel.NameRole) or ""), Qt.TextElideMode.ElideRight, width
        )
        painter.drawText(
            QRect(rect.left() + ROW_PAD_X, y, width, name_metrics.height()),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), name,
        )
        y += name_metrics.height() + 3
        state = index.data(GroupListModel.StateRole)
        painter.setFont(small)
        painter.setPen(Colors.danger if state == "refused" else Colors.muted)
        small_metrics = QFontMetrics(small)
        detail = small_metrics.elidedText(
            str(index.data(GroupListModel.DetailRole) or ""), Qt.TextElideMode.ElideRight, width
        )
        painter.drawText(
            QRect(rect.left() + ROW_PAD_X, y, width, small_metrics.height()),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), detail,
        )
        painter.setPen(Colors.border)
        painter.drawLine(rect.left() + ROW_PAD_X, rect.bottom(), rect.right(), rect.bottom())
        painter.restore()
