"""The sent group messages table (`sentGroupMessages`): a window over the cache, filled lazily.

rowCount is one COUNT of the search; data() reads the 50-row block a row falls in the first
time the view paints it, so 1,000 (or 100,000) sent messages cost one screenful to open. Sorting
is done by the cache (GroupReads.sent_page's `sort`), never here. A change set naming group
messages (statistics moved, one was sent) re-reads the blocks in memory: rows that kept their
places change in place (the selection stays), otherwise the model resets and the page puts the
selection back by key.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import IntEnum
from typing import TYPE_CHECKING, Any, ClassVar

from console.services.group_reads import SentSort, SentState
from console.services.types import ChangeSet
from console.ui.block_cache import BlockCache
from console.ui.formatting import list_time, local
from console.ui.gui_thread import assert_gui_thread
from console.ui.i18n import QT_TRANSLATE_NOOP, in_source_language, translate
from console.ui.named_roles_table import NamedRolesTableModel
from console.ui.qt import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

if TYPE_CHECKING:
    from console.services.group_reads import GroupMessageRow, GroupReads

ModelIndex = QModelIndex | QPersistentModelIndex

BLOCK = 50  # rows per read: a screenful or two (the first paint reads one block)
MAX_BLOCKS = 40


class Column(IntEnum):
    TITLE = 0
    GROUP = 1
    SENDER = 2
    SENT_AT = 3
    RECIPIENTS = 4
    DELIVERED = 5
    READ = 6
    REPLIED = 7
    FAILURES = 8


# Short headers: nine columns share the list's pane at the default window size. The whole
# word is in each header's tooltip and in what a screen reader says for each cell (NAMES).
# (Texts marked for translation, context "SentGroupMessagesModel": shown through tr_text.)
HEADERS = {
    Column.TITLE: QT_TRANSLATE_NOOP("SentGroupMessagesModel", "Title"),
    Column.GROUP: QT_TRANSLATE_NOOP("SentGroupMessagesModel", "Group"),
    Column.SENDER: QT_TRANSLATE_NOOP("SentGroupMessagesModel", "Sender"),
    Column.SENT_AT: QT_TRANSLATE_NOOP("SentGroupMessagesModel", "Sent"),
    Column.RECIPIENTS: QT_TRANSLATE_NOOP("SentGroupMessagesModel", "Sent to"),
    Column.DELIVERED: QT_TRANSLATE_NOOP("SentGroupMessagesModel", "Deliv."),
    Column.READ: QT_TRANSLATE_NOOP("SentGroupMessagesModel", "Read"),
    Column.REPLIED: QT_TRANSLATE_NOOP("SentGroupMessagesModel", "Replied"),
    Column.FAILURES: QT_TRANSLATE_NOOP("SentGroupMessagesModel", "Failed"),
}

NAMES = {
    **HEADERS,
    Column.SENT_AT: QT_TRANSLATE_NOOP("SentGroupMessagesModel", "Sent at"),
    Column.RECIPIENTS: QT_TRANSLATE_NOOP("SentGroupMessagesModel", "Recipients"),
    Column.DELIVERED: QT_TRANSLATE_NOOP("SentGroupMessagesModel", "Delivered"),
    Column.FAILURES: QT_TRANSLATE_NOOP("SentGroupMessagesModel", "Notification failures"),
}

HEADER_TIPS = {
    Column.SENT_AT: QT_TRANSLATE_NOOP(
        "SentGroupMessagesModel", "Sent at: when it went to the group"),
    Column.RECIPIENTS: QT_TRANSLATE_NOOP(
        "SentGroupMessagesModel", "Recipients: the members of the group when it was sent"),
    Column.DELIVERED: QT_TRANSLATE_NOOP(
        "SentGroupMessagesModel", "Delivered: recipients whose app has fetched it"),
    Column.READ: QT_TRANSLATE_NOOP("SentGroupMessagesModel", "Read: recipients who have opened it"),
    Column.REPLIED: QT_TRANSLATE_NOOP(
        "SentGroupMessagesModel", "Replied: recipients who replied (in their own conversation)"),
    Column.FAILURES: QT_TRANSLATE_NOOP(
        "SentGroupMessagesModel",
        "Notification failures: email and push notifications about it that could not be "
        "delivered"),
}

SORTS = {
    Column.TITLE: SentSort.TITLE,
    Column.GROUP: SentSort.GROUP,
    Column.SENDER: SentSort.SENDER,
    Column.SENT_AT: SentSort.SENT_AT,
    Column.RECIPIENTS: SentSort.RECIPIENTS,
    Column.DELIVERED: SentSort.DELIVERED,
    Column.READ: SentSort.READ,
    Column.REPLIED: SentSort.REPLIED,
    Column.FAILURES: SentSort.NOTIFICATION_FAILURES,
}

_NUMERIC = frozenset(int(c) for c in (
    Column.RECIPIENTS, Column.DELIVERED, Column.READ, Column.REPLIED, Column.FAILURES
))

COLUMNS = len(Column)
_DISPLAY = Qt.ItemDataRole.DisplayRole
_ALIGNMENT = Qt.ItemDataRole.TextAlignmentRole
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_FIRST_ROLE = Qt.ItemDataRole.UserRole + 1
_ANSWERED = frozenset({
    _DISPLAY, _ALIGNMENT, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole,
    *(_FIRST_ROLE + i for i in range(5)),
})

_STATE_TEXT = {
    SentState.SENDING: QT_TRANSLATE_NOOP("SentGroupMessagesModel", "Sending…"),
    SentState.REFUSED: QT_TRANSLATE_NOOP("SentGroupMessagesModel", "Not sent"),
}


def tr_text(text: str) -> str:
    """One of this module's texts, translated ("" stays "")."""
    return translate("SentGroupMessagesModel", text) if text else ""


def count_text(n: int) -> str:
    """ "9,999", then "12.3k" and "123k": the count columns stay as narrow as their headers
    (the tooltip has the exact figure)."""
    if n < 10_000:
        return f"{n:,}"
    return f"{n / 1000:.1f}k" if n < 100_000 else f"{n // 1000:,}k"


# What a count column holds at its widest (the page sizes them to hold these whole).
COUNT_SAMPLES = ("9,999", "99.9k", "999k")


def _failures(row: GroupMessageRow) -> str:
    # None: the server reported no figure (not "no failures"): a dash, explained in the tooltip.
    return "—" if row.notification_failures is None else count_text(row.notification_failures)


def sent_time(moment: datetime, now: datetime | None = None) -> str:
    """As other lists ("14:05", "Yesterday", "Mon", "12 Nov"), but "Nov 2023" for an earlier
    year: the column stays narrow, and the tooltip has the exact time."""
    text = list_time(moment, now)
    when = local(moment)
    if when.year != local(now or datetime.now(UTC)).year:
        return f"{when.strftime('%b')} {when.year}"
    return text


def _texts(row: GroupMessageRow) -> tuple[str, ...]:
    """What each column shows, formatted once per fetch (painting asks many times)."""
    state = tr_text(_STATE_TEXT.get(row.state, ""))
    sent = row.recipient_count is not None
    return (
        f"{row.title}  ·  {state}" if state else row.title,
        row.group_name or translate("SentGroupMessagesModel", "(deleted group)"),
        row.sender_name or translate("SentGroupMessagesModel", "Someone else"),
        sent_time(row.sent_at),
        count_text(row.recipient_count) if row.recipient_count is not None else "",
        count_text(row.delivered) if sent else "",
        count_text(row.read) if sent else "",
        count_text(row.replied) if sent else "",
        _failures(row) if sent else "",
    )


class SentGroupMessagesModel(NamedRolesTableModel):
    KeyRole = Qt.ItemDataRole.UserRole + 1
    RowRole = Qt.ItemDataRole.UserRole + 2  # the whole GroupMessageRow
    StateRole = Qt.ItemDataRole.UserRole + 3  # SentState value ("" when sent)
    TitleRole = Qt.ItemDataRole.UserRole + 4
    RecipientsRole = Qt.ItemDataRole.UserRole + 5  # int, -1 until the server answered

    _ROLE_NAMES: ClassVar[dict[int, bytes]] = {
        KeyRole: b"key",
        RowRole: b"row",
        StateRole: b"sentState",
        TitleRole: b"title",
        RecipientsRole: b"recipients",
    }

    def __init__(self, service: GroupReads | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self._service = service
        self._text = ""
        self._sort = SentSort.SENT_AT
        self._descending = True
        self._count = 0
        # (row, column texts), a block at a time
        self._blocks: BlockCache[tuple[GroupMessageRow, tuple[str, ...]]] = BlockCache(
            self._read, block=BLOCK, max_blocks=MAX_BLOCKS
        )
        if service is not None:
            self.reload()

    # -- Qt model API -------------------------------------------------------------------------
    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else COLUMNS

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(Column):
            if role == Qt.ItemDataRole.DisplayRole:
                return tr_text(HEADERS[Column(section)])
            if role == Qt.ItemDataRole.ToolTipRole and section in HEADER_TIPS:
                return tr_text(HEADER_TIPS[Column(section)])
            if role == _ALIGNMENT and section in _NUMERIC:  # over their right-aligned counts
                return _RIGHT
        return super().headerData(section, orientation, role)

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Painting asks ~10 roles per cell: the ones this model never answers return before
        # any lookup, and columns stay plain ints (IntEnum calls cost on this path).
        if role not in _ANSWERED or not index.isValid():
            return None
        column = index.column()
        if not 0 <= column < COLUMNS:
            return None
        entry = self._entry(index.row())
        if entry is None:
            return None
        row, texts = entry
        if role == _DISPLAY:
            return texts[column]
        if role == _ALIGNMENT:
            return _RIGHT if column in _NUMERIC else None
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, Column(column), texts)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            value = texts[column] or translate("SentGroupMessagesModel", "none")
            return f"{tr_text(NAMES[Column(column)])}: {value}"
        if role == self.KeyRole:
            return row.key
        if role == self.RowRole:
            return row
        if role == self.StateRole:
            return row.state.value
        if role == self.TitleRole:
            return row.title
        if role == self.RecipientsRole:
            return -1 if row.recipient_count is None else row.recipient_count
        return None

    @staticmethod
    def _tooltip(row: GroupMessageRow, column: Column, texts: tuple[str, ...]) -> str:
        if column == Column.TITLE:
            if row.state is SentState.REFUSED:
                reason = (
                    row.error
                    if row.error and in_source_language()  # the server's words, in English
                    else translate("SentGroupMessagesModel", "the server refused it")
                )
                return translate(
                    "SentGroupMessagesModel",
                    "Not sent: {reason}. See View > Refused changes to retry or discard it.",
                ).format(reason=reason)
            if row.state is SentState.SENDING:
                return translate(
                    "SentGroupMessagesModel",
                    "On its way to the server: it goes to the members when it arrives.",
                )
            return f"{row.title}\n\n{row.body}"
        if column == Column.SENT_AT:
            return local(row.sent_at).strftime("%Y-%m-%d %H:%M")
        if column == Column.FAILURES and row.notification_failures is None:
            return translate(
                "SentGroupMessagesModel",
                "The server reports no notification failure count for this message; the "
                "recipients' detail shows each email and push outcome",
            )
        exact = {
            Column.RECIPIENTS: row.recipient_count, Column.DELIVERED: row.delivered,
            Column.READ: row.read, Column.REPLIED: row.replied,
            Column.FAILURES: row.notification_failures,
        }.get(column)
        if exact is not None and row.recipient_count is not None:
            return f"{tr_text(NAMES[column])}: {exact:,}"
        return texts[column]

    # -- lookups ------------------------------------------------------------------------------
    @property
    def search_text(self) -> str:
        return self._text

    @property
    def sort_order(self) -> tuple[SentSort, bool]:
        return self._sort, self._descending

    def message_at(self, row: int) -> GroupMessageRow | None:
        entry = self._entry(row)
        return entry[0] if entry is not None else None

    def row_of(self, key: str) -> int:
        """Row of `key` among the blocks in memory, or -1 (never reads the cache)."""
        for place, (row, _) in self._blocks.loaded():
            if row.key == key or (row.id is not None and row.id == key):
                return place
        return -1

    @property
    def fetches(self) -> int:
        """Blocks read from the cache (tests and the benchmark look)."""
        return self._blocks.fetches

    # -- updates ------------------------------------------------------------------------------
    def set_service(self, service: GroupReads | None) -> None:
        self._service = service
        self.reload()

    def set_search(self, text: str) -> None:
        text = " ".join(text.split())
        if text != self._text:
            self._text = text
            self.reload()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Qt's sort: the cache orders (SentSort), the model only asks again."""
        if not 0 <= column < len(Column):
            return
        self.layoutAboutToBeChanged.emit()
        self._sort = SORTS[Column(column)]
        self._descending = order == Qt.SortOrder.DescendingOrder
        self._blocks.clear()
        self.layoutChanged.emit()

    def reload(self) -> None:
        assert_gui_thread()
        self.beginResetModel()
        self._blocks.clear()
        self._count = self._service.count_sent(self._text) if self._service is not None else 0
        self.endResetModel()

    def apply_changes(self, changes: ChangeSet) -> bool:
        """Follow `changes`; True when the model was reset (rows came, went or moved)."""
        assert_gui_thread()
        if self._service is None or not (changes.group_messages or changes.reset):
            return False
        if changes.reset or self._service.count_sent(self._text) != self._count:
            self.reload()
            return True
        for block in self._blocks.blocks():
            changed = self._blocks.reread(block, key=lambda e: e[0].key, value=lambda e: e[0])
            if changed is None:
                self.reload()
                return True
            for row in changed:
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(Column) - 1))
        return False

    # -- the lazy part ------------------------------------------------------------------------
    def _entry(self, row: int) -> tuple[GroupMessageRow, tuple[str, ...]] | None:
        return self._blocks.item(row) if 0 <= row < self._count else None

    def _read(
        self, offset: int, limit: int
    ) -> list[tuple[GroupMessageRow, tuple[str, ...]]] | None:
        if self._service is None:
            return None
        rows = self._service.sent_page(
            self._text, offset, limit, sort=self._sort, descending=self._descending
        )
        return [(r, _texts(r)) for r in rows]
