"""The recipients of one sent group message, as fetched from the server (a plain list: the
detail view holds one message's recipients at a time, fetched off the GUI thread)."""

from __future__ import annotations

from datetime import datetime
from enum import IntEnum
from typing import Any, ClassVar

from console.services.group_message_recipients import Outcome, RecipientRow
from console.ui.formatting import list_time, local
from console.ui.i18n import QT_TRANSLATE_NOOP, in_source_language, translate
from console.ui.qt import (
    QAbstractTableModel,
    QByteArray,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from console.ui.theme import Colors

ModelIndex = QModelIndex | QPersistentModelIndex

# The texts here are marked for translation (context "RecipientTableModel") and translated
# where shown: `tr_text(HEADERS[column])`, `link_text()`, `notified_texts()`.
LINK_TEXT = QT_TRANSLATE_NOOP("RecipientTableModel", "Open")


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
    Column.NAME: QT_TRANSLATE_NOOP("RecipientTableModel", "Recipient"),
    Column.DELIVERED: QT_TRANSLATE_NOOP("RecipientTableModel", "Deliv."),
    Column.READ: QT_TRANSLATE_NOOP("RecipientTableModel", "Read"),
    Column.REPLIED: QT_TRANSLATE_NOOP("RecipientTableModel", "Replied"),
    Column.NOTIFIED: QT_TRANSLATE_NOOP("RecipientTableModel", "Notified"),
    Column.CONVERSATION: "",  # each cell says "Open"; the tooltip says what it opens
}

NAMES = {
    **HEADERS,
    Column.DELIVERED: QT_TRANSLATE_NOOP("RecipientTableModel", "Delivered"),
    Column.NOTIFIED: QT_TRANSLATE_NOOP("RecipientTableModel", "Notifications"),
    Column.CONVERSATION: QT_TRANSLATE_NOOP("RecipientTableModel", "Conversation"),
}

HEADER_TIPS = {
    Column.DELIVERED: QT_TRANSLATE_NOOP(
        "RecipientTableModel", "Delivered: when their app fetched it"),
    Column.READ: QT_TRANSLATE_NOOP("RecipientTableModel", "Read: when they opened it"),
    Column.REPLIED: QT_TRANSLATE_NOOP(
        "RecipientTableModel", "Replied: when they replied (in their own conversation)"),
    Column.NOTIFIED: QT_TRANSLATE_NOOP(
        "RecipientTableModel",
        "Email and push notifications about it; point at one to see each outcome and why one "
        "failed"),
    Column.CONVERSATION: QT_TRANSLATE_NOOP(
        "RecipientTableModel", "Their conversation: replies to this message land there"),
}

# Every text the Notified column can show (the detail sizes the column to hold them whole).
NOTIFIED_TEXTS = (
    "—",
    QT_TRANSLATE_NOOP("RecipientTableModel", "Sent"),
    QT_TRANSLATE_NOOP("RecipientTableModel", "Sending…"),
    QT_TRANSLATE_NOOP("RecipientTableModel", "Failed"),
)
NONE_DUE = QT_TRANSLATE_NOOP(
    "RecipientTableModel",
    "none was due (not configured for your app, no address, or do not disturb)")
# A channel's outcome in a word, by its state.
OUTCOME_WORDS = {
    "pending": QT_TRANSLATE_NOOP("RecipientTableModel", "Sending…"),
    "delivered": QT_TRANSLATE_NOOP("RecipientTableModel", "Sent"),
    "failed": QT_TRANSLATE_NOOP("RecipientTableModel", "Failed"),
}


def tr_text(text: str) -> str:
    """One of this module's texts, translated ("" and "—" stay as they are)."""
    return translate("RecipientTableModel", text) if text and text != "—" else text


def link_text() -> str:
    return tr_text(LINK_TEXT)


def notified_texts() -> tuple[str, ...]:
    """Every text the Notified column can show, translated."""
    return tuple(tr_text(text) for text in NOTIFIED_TEXTS)


def notified(email: Outcome, push: Outcome) -> str:
    """One word for both channels, a failure first (it is what someone must act on); which
    channel and why are in the tooltip (notified_tip)."""
    states = {email.state, push.state}
    if "failed" in states:
        return tr_text(OUTCOME_WORDS["failed"])
    if "pending" in states:
        return tr_text(OUTCOME_WORDS["pending"])
    return tr_text(OUTCOME_WORDS["delivered"]) if states != {""} else "—"


def outcome_text(outcome: Outcome) -> str:
    """"Sent", "Failed: mailbox full" (the server's reason, shown in an English console)."""
    if not outcome.state:
        return tr_text(NONE_DUE)
    word = OUTCOME_WORDS.get(outcome.state)
    if word is None:
        return outcome.label  # a state from a newer server: its own words
    if outcome.error and in_source_language():
        return f"{tr_text(word)}: {outcome.error}"
    return tr_text(word)


def notified_tip(email: Outcome, push: Outcome) -> str:
    return "\n".join([
        translate("RecipientTableModel", "Email: {outcome}").format(outcome=outcome_text(email)),
        translate("RecipientTableModel", "Push: {outcome}").format(outcome=outcome_text(push)),
    ])


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
        link_text(),
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
                return tr_text(HEADERS[Column(section)])
            if role == Qt.ItemDataRole.ToolTipRole and section in HEADER_TIPS:
                return tr_text(HEADER_TIPS[Column(section)])
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
                return translate(
                    "RecipientTableModel",
                    "Open {name}'s conversation: replies to this message land there",
                ).format(name=row.name)
            if column == Column.NOTIFIED:
                return notified_tip(row.email, row.push)
            moment = {Column.DELIVERED: row.delivered_at, Column.READ: row.read_at,
                      Column.REPLIED: row.replied_at}.get(column)
            return exact(moment) or texts[column]
        if role == Qt.ItemDataRole.AccessibleTextRole:
            if column == Column.NOTIFIED:
                return f"{tr_text(NAMES[column])}: {notified_tip(row.email, row.push)}"
            return f"{tr_text(NAMES[column])}: {texts[column]}"
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == Column.CONVERSATION:
                return Colors.accent
            if column == Column.NOTIFIED and "failed" in (row.email.state, row.push.state):
                return Colors.danger_text
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
