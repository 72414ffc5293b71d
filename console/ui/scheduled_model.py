"""The scheduled sends list's model: one row per send still to go, soonest first (a few rows:
a conversation's, or all of the user's, with where each goes)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from console.domain.scheduled import ScheduledItem
from console.ui.i18n import translate
from console.ui.named_roles import NamedRolesListModel
from console.ui.qt import QModelIndex, QObject, QPersistentModelIndex, Qt
from console.ui.schedule_times import now_here, when_text

ModelIndex = QModelIndex | QPersistentModelIndex
PREVIEW_CHARS = 80


def row_text(item: ScheduledItem, now: datetime, where: str = "") -> str:
    """ "Tomorrow 09:00 · Keys are at the desk", with where it goes when listing them all."""
    body = " ".join(item.body.split())
    if len(body) > PREVIEW_CHARS:
        body = body[: PREVIEW_CHARS - 1] + "…"
    when = when_text(item.send_at.astimezone(now.tzinfo), now)
    if where:
        return translate("ScheduledListModel", "{when} · {where} · {body}").format(
            when=when, where=where, body=body)
    return translate("ScheduledListModel", "{when} · {body}").format(when=when, body=body)


class ScheduledListModel(NamedRolesListModel):
    IdRole = Qt.ItemDataRole.UserRole + 1
    SendAtRole = Qt.ItemDataRole.UserRole + 2  # aware UTC datetime
    BodyRole = Qt.ItemDataRole.UserRole + 3
    ConversationRole = Qt.ItemDataRole.UserRole + 4  # conversation id ("" for group messages)
    SavingRole = Qt.ItemDataRole.UserRole + 5  # not yet accepted by the server

    _ROLE_NAMES = {
        IdRole: b"scheduledId",
        SendAtRole: b"sendAt",
        BodyRole: b"body",
        ConversationRole: b"conversationId",
        SavingRole: b"saving",
    }

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        where: Callable[[ScheduledItem], str] | None = None,
        now: Callable[[], datetime] | None = None,
    ) -> None:
        super().__init__(parent)
        self._items: list[ScheduledItem] = []
        self._where = where  # set: list them all, naming each one's conversation
        self._now = now or now_here

    def set_items(self, items: Sequence[ScheduledItem]) -> None:
        if list(items) == self._items:
            return
        self.beginResetModel()
        self._items = list(items)
        self.endResetModel()

    def items(self) -> list[ScheduledItem]:
        return list(self._items)

    def item(self, row: int) -> ScheduledItem | None:
        return self._items[row] if 0 <= row < len(self._items) else None

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._items)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        item = self.item(index.row()) if index.isValid() else None
        if item is None:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            where = self._where(item) if self._where is not None else ""
            text = row_text(item, self._now(), where)
            if item.local and role == Qt.ItemDataRole.AccessibleTextRole:
                text = translate("ScheduledListModel", "{text} (saving)").format(text=text)
            return text
        if role == Qt.ItemDataRole.ToolTipRole:
            return item.body
        if role == self.IdRole:
            return item.id
        if role == self.SendAtRole:
            return item.send_at
        if role == self.BodyRole:
            return item.body
        if role == self.ConversationRole:
            return item.conversation_id or ""
        if role == self.SavingRole:
            return item.local
        return None
