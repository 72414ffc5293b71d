"""Conversation list: an id-keyed model that re-reads only the rows a change set names.

Rows keep the services' order (newest activity first). When a conversation gets new activity
its row moves with beginMoveRows, so the view's selection (a persistent index) follows it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from console.services.types import ChangeSet, ConversationRow
from console.ui.gui_thread import assert_gui_thread
from console.ui.named_roles import NamedRolesListModel
from console.ui.qt import (
    QAbstractItemView,
    QItemSelectionModel,
    QListView,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QWidget,
    Signal,
)

if TYPE_CHECKING:  # importing the services pulls in SQLAlchemy and httpx: not before first paint
    from console.services.conversations import ConversationService

ModelIndex = QModelIndex | QPersistentModelIndex

_EPOCH = datetime.min.replace(tzinfo=UTC)


def activity_key(row: ConversationRow) -> datetime:
    moment = row.last_message_at
    if moment is None:
        return _EPOCH
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class ConversationListModel(NamedRolesListModel):
    IdRole = Qt.ItemDataRole.UserRole + 1
    TitleRole = Qt.ItemDataRole.UserRole + 2
    SubtitleRole = Qt.ItemDataRole.UserRole + 3
    PreviewRole = Qt.ItemDataRole.UserRole + 4
    TimeRole = Qt.ItemDataRole.UserRole + 5
    UnreadRole = Qt.ItemDataRole.UserRole + 6
    KindRole = Qt.ItemDataRole.UserRole + 7
    StatusRole = Qt.ItemDataRole.UserRole + 8
    BlockedReasonRole = Qt.ItemDataRole.UserRole + 9
    NumberLabelRole = Qt.ItemDataRole.UserRole + 10
    RowRole = Qt.ItemDataRole.UserRole + 11  # the whole ConversationRow, for the delegate

    _ROLE_NAMES = {
        IdRole: b"conversationId",
        TitleRole: b"title",
        SubtitleRole: b"subtitle",
        PreviewRole: b"preview",
        TimeRole: b"lastMessageAt",
        UnreadRole: b"unreadCount",
        KindRole: b"kind",
        StatusRole: b"status",
        BlockedReasonRole: b"blockedReason",
        NumberLabelRole: b"numberLabel",
        RowRole: b"row",
    }

    def __init__(self, service: ConversationService | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self._service = service
        self._rows: list[ConversationRow] = []
        self._positions: dict[str, int] = {}
        if service is not None:
            self.reload()

    # -- Qt model API -------------------------------------------------------------------------
    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows) or index.column() != 0:
            return None
        row = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, self.TitleRole):
            return row.title
        if role == self.IdRole:
            return row.id
        if role == self.PreviewRole:
            return row.preview
        if role == self.TimeRole:
            return row.last_message_at
        if role == self.UnreadRole:
            return row.unread_count
        if role == self.SubtitleRole:
            return row.subtitle
        if role == self.KindRole:
            return row.kind
        if role == self.StatusRole:
            return row.status
        if role == self.BlockedReasonRole:
            return row.blocked_reason
        if role == self.NumberLabelRole:
            return row.number_label
        if role == self.RowRole:
            return row
        if role == Qt.ItemDataRole.AccessibleTextRole:
            unread = f", {row.unread_count} unread" if row.unread_count else ""
            return f"{row.title}{unread}: {row.preview}"
        return None

    # -- lookups ------------------------------------------------------------------------------
    def row_of(self, conversation_id: str) -> int:
        """Row of `conversation_id`, or -1."""
        return self._positions.get(conversation_id, -1)

    def index_of(self, conversation_id: str) -> QModelIndex:
        row = self.row_of(conversation_id)
        return self.index(row, 0) if row >= 0 else QModelIndex()

    def conversation_at(self, row: int) -> ConversationRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def total_unread(self) -> int:
        return sum(row.unread_count for row in self._rows)

    def conversation_ids(self) -> list[str]:
        return [row.id for row in self._rows]

    # -- updates ------------------------------------------------------------------------------
    def set_service(self, service: ConversationService | None) -> None:
        self._service = service
        self.reload()

    def reload(self) -> None:
        """Re-read the whole list (first load, or a change set with reset)."""
        assert_gui_thread()
        rows = self._service.list_conversations() if self._service is not None else []
        self.beginResetModel()
        self._rows = list(rows)
        self._reindex()
        self.endResetModel()

    def apply_changes(self, changes: ChangeSet) -> None:
        """Re-read the conversations `changes` names (a reset re-reads all)."""
        assert_gui_thread()
        if self._service is None:
            return
        if changes.reset:
            self.reload()
            return
        # A new message bumps its conversation even if the change set forgot to name it.
        ids = set(changes.conversations) | set(changes.messages)
        self.refresh(ids)

    def refresh(self, conversation_ids: Iterable[str]) -> None:
        assert self._service is not None
        wanted = sorted(set(conversation_ids))
        found = self._service.conversations(wanted) if wanted else {}
        for conversation_id in wanted:
            fresh = found.get(conversation_id)
            if fresh is None:
                self._remove(conversation_id)
            else:
                self._upsert(fresh)

    def _remove(self, conversation_id: str) -> None:
        row = self.row_of(conversation_id)
        if row < 0:
            return
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._rows[row]
        self._reindex()
        self.endRemoveRows()

    def _upsert(self, fresh: ConversationRow) -> None:
        row = self.row_of(fresh.id)
        if row < 0:
            target = self._insert_position(fresh)
            self.beginInsertRows(QModelIndex(), target, target)
            self._rows.insert(target, fresh)
            self._reindex()
            self.endInsertRows()
            return
        old = self._rows[row]
        self._rows[row] = fresh
        if not self._in_order(row):
            others = self._rows[:row] + self._rows[row + 1 :]
            target = self._insert_position(fresh, others)
            if target != row:
                # beginMoveRows wants the destination in pre-move coordinates.
                destination = target if target < row else target + 1
                self.beginMoveRows(QModelIndex(), row, row, QModelIndex(), destination)
                del self._rows[row]
                self._rows.insert(target, fresh)
                self._reindex()
                self.endMoveRows()
                row = target
        if fresh != old:
            index = self.index(row, 0)
            self.dataChanged.emit(index, index)

    def _in_order(self, row: int) -> bool:
        key = activity_key(self._rows[row])
        before_ok = row == 0 or activity_key(self._rows[row - 1]) >= key
        after_ok = row == len(self._rows) - 1 or activity_key(self._rows[row + 1]) <= key
        return before_ok and after_ok

    def _insert_position(
        self, fresh: ConversationRow, rows: list[ConversationRow] | None = None
    ) -> int:
        # Newest first; on a tie the newcomer goes first (it is the one with news).
        key = activity_key(fresh)
        rows = self._rows if rows is None else rows
        for position, existing in enumerate(rows):
            if activity_key(existing) <= key:
                return position
        return len(rows)

    def _reindex(self) -> None:
        self._positions = {row.id: position for position, row in enumerate(self._rows)}


class ConversationListView(QListView):
    """The list view (objectName `conversationList`); tells which conversation is current."""

    conversationSelected = Signal(str)  # "" when nothing is selected

    def __init__(self, model: ConversationListModel, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("conversationList")
        self.setAccessibleName("Conversations")
        self.setUniformItemSizes(True)  # every row has one height: layout stays O(visible)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setMouseTracking(True)
        self.setModel(model)
        self._model = model
        self._current_id = ""
        self._restoring = ""
        model.modelAboutToBeReset.connect(self._remember_before_reset)
        model.modelReset.connect(self._restore_after_reset)
        model.rowsRemoved.connect(self._check_current_still_there)
        selection = self.selectionModel()
        selection.currentChanged.connect(self._on_current_changed)

    def current_conversation_id(self) -> str:
        return self._current_id

    def select_conversation(self, conversation_id: str) -> bool:
        index = self._model.index_of(conversation_id)
        if not index.isValid():
            return False
        self.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
        )
        self.scrollTo(index)
        return True

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        conversation_id = str(current.data(ConversationListModel.IdRole) or "")
        if conversation_id != self._current_id:
            self._current_id = conversation_id
            self.conversationSelected.emit(conversation_id)

    def _remember_before_reset(self) -> None:
        self._restoring = self._current_id

    def _restore_after_reset(self) -> None:
        # A reset forgets the selection; put it back on the same conversation id.
        wanted, self._restoring = self._restoring, ""
        if not wanted:
            return
        if self._model.row_of(wanted) >= 0:
            self._current_id = wanted  # same conversation: no new selection signal
            self.select_conversation(wanted)
        else:
            self._current_id = ""
            self.conversationSelected.emit("")

    def _check_current_still_there(self) -> None:
        if self._current_id and self._model.row_of(self._current_id) < 0:
            self._current_id = ""
            self.conversationSelected.emit("")
