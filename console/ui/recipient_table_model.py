"""The recipients of one sent group message, as fetched from the server (a plain list: the
detail view holds one message's recipients at a time, fetched off the GUI thread)."""

from __future__ import annotations

from datetime import datetime
from enum import IntEnum
from typing import Any, ClassVar

from console.services.group_message_recipients import Outcome, RecipientRow
from console.ui.formatting import list_time, local
from console.ui.qt import (
    QAbstractTableModel,
    QByteArray,
    QColor,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

ModelIndex = QModelIndex | QPersistentModelIndex

LINK_TEXT = "Open"
FAILED_COLOR = QColor("#b42318")
LINK_COLOR = QColor("#2f6fde")


class Column(IntEnum):
    NAME = 0
    DELIVERED = 1
    READ = 2
    REPLIED = 3
    NOTIFIED = 4  # email and push in one: which failed says the text, why says the tooltip
    CONVERSATION = 5


# Short headers: the detail shares the page with the sent list. Whole words are in the
# headers' tooltips and in what a screen reader says for each cell (NAMES).
HEADERS = {
    Column.NAME: "Recipient",
    Column.DELIVERED: "Deliv.",
    Column.READ: "Read",
    Column.REPLIED: "Replied",
    Column.NOTIFIED: "Notified",
    Column.CONVERSATION: "",  # each cell says "Open"; the tooltip says what it opens
}

NAMES = {
    **HEADERS,
    Column.DELIVERED: "Delivered",
    Column.NOTIFIED: "Notifications",
    Column.CONVERSATION: "Conversation",
}

HEADER_TIPS = {
    Column.DELIVERED: "Delivered: when their app fetched it",
    Column.READ: "Read: when they opened it",
    Column.REPLIED: "Replied: when they replied (in their own conversation)",
    Column.NOTIFIED: "Email and push notifications about it; point at one to see each "
    "outcome and why one failed",
    Column.CONVERSATION: "Their conversation: replies to this message land there",
}

# Every text the Notified column can show (the detail sizes the column to hold them whole).
NOTIFIED_TEXTS = ("—", "Sent", "Sending…", "Failed")
NONE_DUE = "none was due (not configured for your app, no address, or do not disturb)"


def notified(email: Outcome, push: Outcome) -> str:
    """One word for both channels, a failure first (it is what someone must act on); which
    channel and why are in the tooltip (notified_tip)."""
    states = {email.state, push.state}
    if "failed" in states:
        return "Failed"
    if "pending" in states:
        return "Sending…"
    return "Sent" if states != {""} else "—"


def notified_tip(email: Outcome, push: Outcome) -> str:
    return "\n".join(
        f"{name}: {outcome.label if outcome.state else NONE_DUE}"
        for name, outcome in (("Email", email), ("Push", push))
    )


def when(moment: datetime | None) -> str:
    """Short, as the lists show times ("14:05", "Yesterday", "12 Nov"); the tooltip is exact."""
    return list_time(moment) if moment is not None else "—"


def exact(moment: datetime | None) -> str:
    return local(moment).strftime("%Y-%m-%d %H:%M") if moment is not None else ""


def _texts(row: RecipientRow) -> tuple[str, ...]:
    return (
        row.name,
        when(row.delivered_at),
        when(row.read_at),
        when(row.replied_at),
        notified(row.email, row.push),
        LINK_TEXT,
    )


class RecipientTableModel(QAbstractTableModel):
    ContactIdRole = Qt.ItemDataRole.UserRole + 1
    ConversationIdRole = Qt.ItemDataRole.UserRole + 2
    RowRole = Qt.ItemDataRole.UserRole + 3  # the whole RecipientRow
    NameRole = Qt.ItemDataRole.UserRole + 4

    _ROLE_NAMES: ClassVar[dict[int, bytes]] = {
        ContactIdRole: b"contactId",
        ConversationIdRole: b"conversationId",
        RowRole: b"row",
        NameRole: b"name",
    }

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[RecipientRow, tuple[str, ...]]] = []

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(Column)

    def roleNames(self) -> dict[int, QByteArray]:
        names = dict(super().roleNames())
        names.update({role: QByteArray(name) for role, name in self._ROLE_NAMES.items()})
        return names

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(Column):
            if role == Qt.ItemDataRole.DisplayRole:
                return HEADERS[Column(section)]
            if role == Qt.ItemDataRole.ToolTipRole and section in HEADER_TIPS:
                return HEADER_TIPS[Column(section)]
        return super().headerData(section, orientation, role)

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row, texts = self._rows[index.row()]
        column = Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return texts[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == Column.CONVERSATION:
                return f"Open {row.name}'s conversation: replies to this message land there"
            if column == Column.NOTIFIED:
                return notified_tip(row.email, row.push)
            moment = {Column.DELIVERED: row.delivered_at, Column.READ: row.read_at,
                      Column.REPLIED: row.replied_at}.get(column)
            return exact(moment) or texts[column]
        if role == Qt.ItemDataRole.AccessibleTextRole:
            if column == Column.NOTIFIED:
                return f"{NAMES[column]}: {notified_tip(row.email, row.push)}"
            return f"{NAMES[column]}: {texts[column]}"
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == Column.CONVERSATION:
                return LINK_COLOR
            if column == Column.NOTIFIED and texts[column] == "Failed":
                return FAILED_COLOR
            return None
        if role == self.ContactIdRole:
            return row.contact_id
        if role == self.ConversationIdRole:
            return row.conversation_id
        if role == self.RowRole:
            return row
        if role == self.NameRole:
            return row.name
        return None

    def set_rows(self, rows: list[RecipientRow]) -> None:
        self.beginResetModel()
        self._rows = [(r, _texts(r)) for r in rows]
        self.endResetModel()

    def rows(self) -> list[RecipientRow]:
        return [r for r, _ in self._rows]
