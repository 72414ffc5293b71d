"""Messages of one conversation: a window of the newest rows, older pages prepended on demand.

The view is never handed the whole history (PERFORMANCE.md: a Python model asked about 100k
rows costs seconds). Rows are keyed by MessageRow.key, which survives the pending -> server
copy swap, so a status change updates its row in place instead of adding a second one.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from console.services.types import ChangeSet, MessageRow
from console.ui.formatting import local, status_label
from console.ui.gui_thread import assert_gui_thread
from console.ui.qt import (
    QAbstractListModel,
    QByteArray,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

if TYPE_CHECKING:  # importing the services pulls in SQLAlchemy and httpx: not before first paint
    from console.services.conversations import ConversationService

ModelIndex = QModelIndex | QPersistentModelIndex

WINDOW_SIZE = 200  # newest rows loaded when a conversation opens
PAGE_SIZE = 100  # older rows per fetch when the user scrolls to the top
AUTHOR_GAP = timedelta(minutes=10)  # a pause this long repeats the author line


def is_retryable(row: MessageRow) -> bool:
    """Refused by the server before it took the message (it has no server id): the outbox
    keeps it for the user's Retry / Discard. A carrier failure (has a server id) is final."""
    return row.direction == "out" and row.status == "failed" and row.server_id is None


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class MessageListModel(QAbstractListModel):
    KeyRole = Qt.ItemDataRole.UserRole + 1
    ServerIdRole = Qt.ItemDataRole.UserRole + 2
    BodyRole = Qt.ItemDataRole.UserRole + 3
    AuthorRole = Qt.ItemDataRole.UserRole + 4
    TimeRole = Qt.ItemDataRole.UserRole + 5
    StatusRole = Qt.ItemDataRole.UserRole + 6
    StatusTextRole = Qt.ItemDataRole.UserRole + 7
    DirectionRole = Qt.ItemDataRole.UserRole + 8
    ErrorRole = Qt.ItemDataRole.UserRole + 9
    ShowDayRole = Qt.ItemDataRole.UserRole + 10  # first message of its (local) day
    ShowAuthorRole = Qt.ItemDataRole.UserRole + 11  # first of a run by the same author
    RowRole = Qt.ItemDataRole.UserRole + 12  # the whole MessageRow, for the delegate
    # The server refused it (not a carrier failure): Retry / Discard apply.
    RetryableRole = Qt.ItemDataRole.UserRole + 13

    _ROLE_NAMES = {
        KeyRole: b"key",
        ServerIdRole: b"serverId",
        BodyRole: b"body",
        AuthorRole: b"author",
        TimeRole: b"createdAt",
        StatusRole: b"status",
        StatusTextRole: b"statusText",
        DirectionRole: b"direction",
        ErrorRole: b"error",
        ShowDayRole: b"showDay",
        ShowAuthorRole: b"showAuthor",
        RowRole: b"row",
        RetryableRole: b"retryable",
    }

    def __init__(self, service: ConversationService | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self._service = service
        self._conversation_id = ""
        self._rows: list[MessageRow] = []
        self._positions: dict[str, int] = {}
        self._has_older = False
        # Where the next older page starts: the oldest row of the last page, in the services'
        # own order (rows[0] may differ once a late arrival was placed by its timestamp).
        self._oldest_key: str | None = None

    # -- Qt model API -------------------------------------------------------------------------
    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def roleNames(self) -> dict[int, QByteArray]:
        names = dict(super().roleNames())
        names.update({role: QByteArray(name) for role, name in self._ROLE_NAMES.items()})
        return names

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows) or index.column() != 0:
            return None
        position = index.row()
        row = self._rows[position]
        if role == self.RowRole:
            return row
        if role in (Qt.ItemDataRole.DisplayRole, self.BodyRole):
            return row.body
        if role == self.KeyRole:
            return row.key
        if role == self.StatusRole:
            return row.status
        if role == self.ShowDayRole:
            return self._starts_day(position)
        if role == self.ShowAuthorRole:
            return self._starts_run(position)
        if role == self.StatusTextRole:
            return status_label(row.status, row.error) if row.direction == "out" else ""
        if role == self.DirectionRole:
            return row.direction
        if role == self.AuthorRole:
            return row.author
        if role == self.TimeRole:
            return row.created_at
        if role == self.ErrorRole:
            return row.error
        if role == self.ServerIdRole:
            return row.server_id
        if role == self.RetryableRole:
            return is_retryable(row)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            state = status_label(row.status, row.error) if row.direction == "out" else "received"
            text = f"{row.author}: {row.body} ({state})"
            if is_retryable(row):
                text += ". Press Ctrl+R to retry sending, or Delete to discard it."
            return text
        return None

    # -- neighbours decide separators ---------------------------------------------------------
    def _starts_day(self, position: int) -> bool:
        if position == 0:
            return True
        here = local(self._rows[position].created_at).date()
        return here != local(self._rows[position - 1].created_at).date()

    def _starts_run(self, position: int) -> bool:
        if self._starts_day(position):
            return True
        row, previous = self._rows[position], self._rows[position - 1]
        if row.direction != previous.direction or row.author != previous.author:
            return True
        return _aware(row.created_at) - _aware(previous.created_at) > AUTHOR_GAP

    # -- lookups ------------------------------------------------------------------------------
    @property
    def conversation_id(self) -> str:
        return self._conversation_id

    @property
    def has_older(self) -> bool:
        """Whether older messages exist beyond the loaded window (as far as we know)."""
        return self._has_older

    def row_of(self, key: str) -> int:
        return self._positions.get(key, -1)

    def message_at(self, position: int) -> MessageRow | None:
        return self._rows[position] if 0 <= position < len(self._rows) else None

    def keys(self) -> list[str]:
        return [row.key for row in self._rows]

    # -- loading ------------------------------------------------------------------------------
    def set_service(self, service: ConversationService | None) -> None:
        self._service = service
        self.open("")

    def open(self, conversation_id: str) -> None:
        """Show `conversation_id` ("" = none): its newest WINDOW_SIZE messages."""
        assert_gui_thread()
        rows: list[MessageRow] = []
        if conversation_id and self._service is not None:
            rows = self._service.messages(conversation_id, limit=WINDOW_SIZE)
        self.beginResetModel()
        self._conversation_id = conversation_id
        self._rows = list(reversed(rows))  # the service answers newest first; we show oldest on top
        self._has_older = len(rows) >= WINDOW_SIZE
        self._oldest_key = rows[-1].key if rows else None
        self._reindex()
        self.endResetModel()

    def fetch_older(self, limit: int = PAGE_SIZE) -> int:
        """Prepend the next page of older messages; returns how many were added."""
        assert_gui_thread()
        if not (self._has_older and self._oldest_key and self._service is not None):
            return 0
        older = self._service.messages(
            self._conversation_id, before_key=self._oldest_key, limit=limit
        )
        self._has_older = len(older) >= limit
        if older:
            self._oldest_key = older[-1].key
        fresh = [row for row in reversed(older) if row.key not in self._positions]
        if not fresh:
            return 0
        self.beginInsertRows(QModelIndex(), 0, len(fresh) - 1)
        self._rows[0:0] = fresh
        self._reindex()
        self.endInsertRows()
        self._touch(len(fresh))  # the old first row may lose its day/author header
        return len(fresh)

    # -- updates ------------------------------------------------------------------------------
    def apply_changes(self, changes: ChangeSet) -> None:
        assert_gui_thread()
        if not self._conversation_id or self._service is None:
            return
        if changes.reset:
            self.open(self._conversation_id)
            return
        keys = changes.messages.get(self._conversation_id)
        if not keys:
            return
        rows = self._service.messages_by_key(self._conversation_id, keys)
        found = {row.key for row in rows}
        for key in sorted(set(keys) - found):
            self._remove(key)  # gone from the cache: deleted (or never ours)
        self.upsert(rows)

    def upsert(self, rows: Iterable[MessageRow]) -> None:
        """Add or update rows of the open conversation, in place by key."""
        assert_gui_thread()
        for row in sorted(rows, key=lambda r: (_aware(r.created_at), r.key)):
            if row.conversation_id != self._conversation_id:
                continue
            position = self.row_of(row.key)
            if position >= 0:
                self._update(position, row)
            else:
                self._insert(row)

    def _update(self, position: int, row: MessageRow) -> None:
        old = self._rows[position]
        if old == row:
            return
        self._rows[position] = row
        if _aware(old.created_at) != _aware(row.created_at) and not self._in_order(position):
            # The server's timestamp replaced the local one and changed the order: move it.
            del self._rows[position]
            target = self._sorted_position(row)
            self._rows.insert(position, row)
            if target != position:
                destination = target if target < position else target + 1
                self.beginMoveRows(QModelIndex(), position, position, QModelIndex(), destination)
                del self._rows[position]
                self._rows.insert(target, row)
                self._reindex()
                self.endMoveRows()
                self._touch(min(position, target), max(position, target) + 1)
                return
        index = self.index(position, 0)
        self.dataChanged.emit(index, index)
        self._touch(position + 1)

    def _insert(self, row: MessageRow) -> None:
        if (
            self._rows
            and self._has_older
            and _aware(row.created_at) < _aware(self._rows[0].created_at)
        ):
            return  # older than the window: paging will bring it
        target = self._sorted_position(row)
        self.beginInsertRows(QModelIndex(), target, target)
        self._rows.insert(target, row)
        self._reindex()
        self.endInsertRows()
        self._touch(target + 1)

    def _remove(self, key: str) -> None:
        position = self.row_of(key)
        if position < 0:
            return
        self.beginRemoveRows(QModelIndex(), position, position)
        del self._rows[position]
        self._reindex()
        self.endRemoveRows()
        self._touch(position)

    def _in_order(self, position: int) -> bool:
        moment = _aware(self._rows[position].created_at)
        before = position == 0 or _aware(self._rows[position - 1].created_at) <= moment
        after = (
            position == len(self._rows) - 1 or _aware(self._rows[position + 1].created_at) >= moment
        )
        return before and after

    def _sorted_position(self, row: MessageRow) -> int:
        # Oldest first; new messages almost always belong at the end, so search from there.
        moment = _aware(row.created_at)
        position = len(self._rows)
        while position > 0 and _aware(self._rows[position - 1].created_at) > moment:
            position -= 1
        return position

    def _touch(self, first: int, last: int | None = None) -> None:
        """Tell the view rows [first, last] may have gained or lost their header lines."""
        last = first if last is None else last
        first, last = max(first, 0), min(last, len(self._rows) - 1)
        if first <= last:
            roles = [self.ShowDayRole, self.ShowAuthorRole]
            self.dataChanged.emit(self.index(first, 0), self.index(last, 0), roles)

    def _reindex(self) -> None:
        self._positions = {row.key: position for position, row in enumerate(self._rows)}
