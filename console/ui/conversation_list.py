"""Conversation list: an id-keyed model that re-reads only the rows a change set names.

Rows keep the services' order (newest activity first; a chat with no messages yet counts from
when it was made). When a conversation gets new activity its row moves with beginMoveRows, so
the view's selection (a persistent index) follows it.

The filter chips (All, 1:1, Group SMS, In-app, Blocked) narrow the rows inside the model rather
than in a proxy: the rows a change set names are re-read and then shown or not, so the view,
its selection and every caller keep working in one set of row numbers. Hidden conversations
still count in the unread total. The chips and their words are the label table's
(console/ui/labels.py), re-exported here for the sidebar that shows them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from console.domain.conversations import ConversationKind, ConversationStatus
from console.domain.errors import ErrorCode
from console.services.types import ChangeSet, ConversationRow
from console.ui.error_texts import error_text
from console.ui.gui_thread import assert_gui_thread
from console.ui.i18n import translate
from console.ui.labels import FILTER_EMPTY as FILTER_EMPTY
from console.ui.labels import FILTER_LABELS as FILTER_LABELS
from console.ui.labels import ConversationFilter as ConversationFilter
from console.ui.labels import status_tag
from console.ui.named_roles import NamedRolesListModel
from console.ui.qt import (
    QAbstractItemView,
    QContextMenuEvent,
    QItemSelectionModel,
    QListView,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    Qt,
    QWidget,
    Signal,
)

if TYPE_CHECKING:  # importing the services pulls in SQLAlchemy and httpx: not before first paint
    from console.services.conversations import ConversationService, ListCursor

ModelIndex = QModelIndex | QPersistentModelIndex

_EPOCH = datetime.min.replace(tzinfo=UTC)
# Rows read per page: the first page paints at once, the rest as the list scrolls (a cache can
# hold 100,000 conversations; reading them all took 11 s, tests/bench/bench_scale.py).
PAGE_SIZE = 100
# A first page read from the cache file before the services load (console/app_startup.py):
# (limit, kind=, status=) -> rows, as ConversationService.list_page narrows them.
CachedFirstPage = Callable[..., list[ConversationRow]]


def activity_key(row: ConversationRow) -> datetime:
    moment = row.last_message_at
    if moment is None:
        return _EPOCH
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def matches(row: ConversationRow, wanted: ConversationFilter) -> bool:
    """Whether `row` shows under the filter chip `wanted`."""
    if wanted is ConversationFilter.ALL:
        return True
    if wanted is ConversationFilter.BLOCKED:
        return row.status is ConversationStatus.BLOCKED
    return row.kind == wanted.value


def subtitle_text(row: ConversationRow) -> str:
    """The row's second line, in the user's language: a 1:1 chat's number, a group chat's
    "3 participants" ("Group SMS" when the count is not known), "In-app messages"."""
    if row.kind is ConversationKind.DIRECT:
        return row.subtitle
    if row.kind is ConversationKind.GROUP_SMS:
        if row.participant_count is not None:
            return translate(
                "ConversationListModel", "%n participant(s)", None, row.participant_count
            )
        return translate("ConversationListModel", "Group SMS")
    return translate("ConversationListModel", "In-app messages")


def blocked_reason_text(row: ConversationRow) -> str:
    """Why the chat is blocked, in the user's language (the server's words in English)."""
    if not row.blocked_reason:
        return ""
    code = (
        ErrorCode.GROUP_CHAT_BLOCKED if row.kind is ConversationKind.GROUP_SMS
        else ErrorCode.PARTICIPANT_DND
    )
    return error_text(code, row.blocked_reason)


def _tooltip(row: ConversationRow) -> str:
    lines = [row.title]
    subtitle = subtitle_text(row)
    if subtitle:
        lines.append(subtitle)
    if row.status is ConversationStatus.BLOCKED:
        reason = blocked_reason_text(row) or translate(
            "ConversationListModel", "sending is not possible here"
        )
        lines.append(
            translate("ConversationListModel", "{status}: {reason}.").format(
                status=status_tag(row.status), reason=reason.rstrip(".")
            )
        )
    if row.pending:
        lines.append(
            translate("ConversationListModel", "Pending: it goes live when the server confirms it.")
        )
    preview = " ".join(row.preview.split())
    if preview:  # the row shows one line of it, elided
        shown = preview if len(preview) <= TOOLTIP_PREVIEW else preview[:TOOLTIP_PREVIEW] + "…"
        lines.append(f"\u201c{shown}\u201d")
    return "\n".join(lines)


def _accessible_text(row: ConversationRow) -> str:
    if row.unread_count:
        return translate(
            "ConversationListModel", "{title}, %n unread: {preview}", None, row.unread_count
        ).format(title=row.title, preview=row.preview)
    return f"{row.title}: {row.preview}"


TOOLTIP_PREVIEW = 160  # characters of the newest message in a row's tooltip (one line)


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

    filterChanged = Signal(str)  # ConversationFilter value, after the rows changed with it
    totalsChanged = Signal()  # unread total or count may have changed (shown rows or not)

    def __init__(self, service: ConversationService | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self._service = service
        # The rows read so far (the filter's, in order): a prefix of the whole list, which is
        # read a page at a time as the view scrolls (canFetchMore / fetchMore).
        self._rows: list[ConversationRow] = []
        self._positions: dict[str, int] = {}
        self._next: ListCursor | None = None  # where the next page starts; None: all read
        self._fetching = False
        # Every known conversation with unread messages, read or not yet, shown or not.
        self._unread: dict[str, int] = {}
        self._filter = ConversationFilter.ALL
        self.page_size = PAGE_SIZE
        self._cached: CachedFirstPage | None = None  # show_cached(), until set_service()
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
            return subtitle_text(row)
        if role == self.KindRole:
            return row.kind
        if role == self.StatusRole:
            return row.status
        if role == self.BlockedReasonRole:
            return blocked_reason_text(row) or None
        if role == self.NumberLabelRole:
            return row.number_label
        if role == self.RowRole:
            return row
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return _accessible_text(row)
        if role == Qt.ItemDataRole.ToolTipRole:
            return _tooltip(row)
        return None

    def canFetchMore(self, parent: ModelIndex = QModelIndex()) -> bool:
        # Not while a page goes in: a view (or the model tester) asking again from inside
        # rowsAboutToBeInserted would put the page after it first.
        return (not parent.isValid() and self._next is not None and self._service is not None
                and not self._fetching)

    def fetchMore(self, parent: ModelIndex = QModelIndex()) -> None:
        """The next page, below the rows read so far (Qt asks as the view nears the end)."""
        if not self.canFetchMore(parent):
            return
        assert self._service is not None
        page = self._service.list_page(after=self._next, limit=self.page_size,
                                       **self._narrowing())
        self._next = page.next
        # A row a change set already placed is not read twice.
        fresh = [row for row in page.rows if row.id not in self._positions]
        if not fresh:
            return
        first = len(self._rows)
        self._fetching = True
        try:
            self.beginInsertRows(QModelIndex(), first, first + len(fresh) - 1)
            self._rows.extend(fresh)
            for position, row in enumerate(fresh, start=first):
                self._positions[row.id] = position
            self.endInsertRows()
        finally:
            self._fetching = False

    def fetch_all(self) -> None:
        """Read every remaining page (tests and small caches; a big list reads as it scrolls)."""
        while self.canFetchMore():
            self.fetchMore()

    def _narrowing(self) -> dict[str, Any]:
        if self._filter is ConversationFilter.ALL:
            return {}
        if self._filter is ConversationFilter.BLOCKED:
            return {"status": ConversationStatus.BLOCKED}
        return {"kind": ConversationKind(self._filter.value)}

    # -- lookups ------------------------------------------------------------------------------
    def row_of(self, conversation_id: str) -> int:
        """Row of `conversation_id`, or -1 (also when its page is not read yet)."""
        return self._positions.get(conversation_id, -1)

    def index_of(self, conversation_id: str) -> QModelIndex:
        row = self.row_of(conversation_id)
        return self.index(row, 0) if row >= 0 else QModelIndex()

    def conversation_at(self, row: int) -> ConversationRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def total_unread(self) -> int:
        """Over every conversation, the filtered-out and not yet read ones too."""
        return sum(self._unread.values())

    def conversation_ids(self) -> list[str]:
        """The shown ones read so far, in order."""
        return [row.id for row in self._rows]

    def contains(self, conversation_id: str) -> bool:
        """Whether the conversation is known (shown, filtered out or not read yet)."""
        return self.known(conversation_id) is not None

    def known(self, conversation_id: str) -> ConversationRow | None:
        row = self.row_of(conversation_id)
        if row >= 0:
            return self._rows[row]
        return self._service.conversation(conversation_id) if self._service is not None else None

    def total_count(self) -> int:
        """Every known conversation (one count in the cache: ask only when it matters)."""
        return self._service.count() if self._service is not None else 0

    def successor(self, conversation_id: str) -> str | None:
        """The server's id of a chat made here under `conversation_id`, once it exists."""
        return self._service.successor(conversation_id) if self._service is not None else None

    # -- filter ---------------------------------------------------------------------------------
    @property
    def filter(self) -> ConversationFilter:
        return self._filter

    def set_filter(self, wanted: ConversationFilter | str) -> None:
        """Show only the conversations of one chip (a reset: the view keeps its selection)."""
        wanted = ConversationFilter(wanted)
        if wanted is self._filter:
            return
        self._filter = wanted
        self._read_first_page(unread=False)
        self.filterChanged.emit(wanted.value)
        self.totalsChanged.emit()

    # -- updates ------------------------------------------------------------------------------
    def set_service(self, service: ConversationService | None) -> None:
        handing_over = self._cached is not None and service is not None
        self._service = service
        self._cached = None
        if handing_over and self._same_first_page():
            return
        self.reload()

    def _same_first_page(self) -> bool:
        """The services' first page is the one read from the cache file (the usual case at
        start-up): keep the rows, and with them the view's scroll position and selection; only
        the pages after it and the unread counts come from the services now."""
        assert self._service is not None
        page = self._service.list_page(limit=self.page_size, **self._narrowing())
        if page.rows != self._rows:
            return False
        self._next = page.next
        self._unread = self._service.unread_counts()
        self.totalsChanged.emit()
        return True

    def show_cached(self, first_page: CachedFirstPage, unread: dict[str, int]) -> None:
        """Before the services exist: the first page (of any filter chip) as `first_page` reads
        it from the cache file, and the unread counts of every conversation. No more pages until
        set_service(): the services read the list from then on."""
        self._cached = first_page
        self._service = None
        self._read_first_page(unread=False)
        self._unread = dict(unread)
        self.totalsChanged.emit()

    def reload(self) -> None:
        """Re-read the list from its first page (first load, or a change set with reset)."""
        self._read_first_page(unread=True)
        self.totalsChanged.emit()

    def _read_first_page(self, *, unread: bool) -> None:
        assert_gui_thread()
        rows: list[ConversationRow] = []
        cursor: ListCursor | None = None
        if self._service is not None:
            page = self._service.list_page(limit=self.page_size, **self._narrowing())
            rows, cursor = page.rows, page.next
            if unread:
                self._unread = self._service.unread_counts()
        elif self._cached is not None:
            rows = self._cached(limit=self.page_size, **self._narrowing())
        elif unread:
            self._unread = {}
        self.beginResetModel()
        self._rows = rows
        self._next = cursor
        self._reindex()
        self.endResetModel()

    def apply_changes(self, changes: ChangeSet) -> list[ConversationRow]:
        """Re-read the conversations `changes` names (a reset re-reads all). Returns those
        whose unread count went up: something came in (a reset returns none: a first sync
        or a resync is not news)."""
        assert_gui_thread()
        if self._service is None:
            return []
        if changes.reset:
            self.reload()
            return []
        # A new message bumps its conversation even if the change set forgot to name it.
        ids = set(changes.conversations) | set(changes.messages)
        return self.refresh(ids)

    def refresh(self, conversation_ids: Iterable[str]) -> list[ConversationRow]:
        """Re-read these conversations; returns those whose unread count went up."""
        assert self._service is not None
        wanted = sorted(set(conversation_ids))
        found = self._service.conversations(wanted) if wanted else {}
        risen: list[ConversationRow] = []
        for conversation_id in wanted:
            fresh = found.get(conversation_id)
            if fresh is None:
                self._unread.pop(conversation_id, None)
                self._remove(conversation_id)
                continue
            if fresh.unread_count > self._unread.get(conversation_id, 0):
                risen.append(fresh)
            if fresh.unread_count:
                self._unread[conversation_id] = fresh.unread_count
            else:
                self._unread.pop(conversation_id, None)
            if matches(fresh, self._filter) and self._within_read(fresh):
                self._upsert(fresh)
            else:  # e.g. unblocked while the Blocked chip is on, or moved below the rows read
                self._remove(conversation_id)
        if wanted:
            self.totalsChanged.emit()
        return risen

    def _within_read(self, fresh: ConversationRow) -> bool:
        """Whether `fresh` sorts above where the next page starts (else that page brings it).
        When in doubt it is shown: a page never adds a row twice."""
        cursor = self._next
        if cursor is None or cursor.activity_at is None:
            return True
        bound = cursor.activity_at
        return activity_key(fresh) >= (bound if bound.tzinfo else bound.replace(tzinfo=UTC))

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
    """The list view (objectName `conversationList`); tells which conversation is current.

    The current conversation is kept by id. When its row leaves the list (filtered out, or
    gone) the view selects nothing rather than the neighbour Qt would pick: a filter chip never
    opens another conversation. A filtered-out conversation stays open; one that is gone is
    followed to the server's id when it was a chat created here and the server has made it,
    and otherwise the view announces "" (nothing selected).
    """

    conversationSelected = Signal(str)  # "" when nothing is selected
    # Right click or the menu key on a row: (conversation id, global position for the menu).
    menuRequested = Signal(str, QPoint)

    def __init__(self, model: ConversationListModel, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("conversationList")
        self.setAccessibleName(translate("ConversationListView", "Conversations"))
        self.setAccessibleDescription(translate(
            "ConversationListView",
            "Your conversations, newest first. Enter opens one; the context menu has more.",
        ))
        self.setUniformItemSizes(True)  # every row has one height: layout stays O(visible)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setMouseTracking(True)
        self._model = model
        self._current_id = ""
        self._restoring = ""
        self._quiet = False  # selection changes the view makes itself announce nothing
        # Before setModel: this must run ahead of the view's and the selection model's own
        # handlers, which would make the neighbour of a removed current row current.
        model.rowsAboutToBeRemoved.connect(self._before_rows_removed)
        self.setModel(model)
        model.modelAboutToBeReset.connect(self._remember_before_reset)
        model.modelReset.connect(self._restore_after_reset)
        model.rowsRemoved.connect(self._after_rows_removed)
        model.rowsInserted.connect(self._after_rows_inserted)
        selection = self.selectionModel()
        selection.currentChanged.connect(self._on_current_changed)

    def current_conversation_id(self) -> str:
        """The open conversation (it may be filtered out of the list)."""
        return self._current_id

    def select_conversation(self, conversation_id: str) -> bool:
        """Make `conversation_id` current (showing every conversation if a chip hides it).
        One whose page is not read yet opens at once; its row is selected when it is read."""
        if self._model.row_of(conversation_id) < 0:
            row = self._model.known(conversation_id)
            if row is None:
                return False
            if not matches(row, self._model.filter):
                self._model.set_filter(ConversationFilter.ALL)
        index = self._model.index_of(conversation_id)
        if not index.isValid():
            self._select_quietly("")
            if conversation_id != self._current_id:
                self._current_id = conversation_id
                self.conversationSelected.emit(conversation_id)
            return True
        self.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
        )
        self.scrollTo(index)
        return True

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        if event.reason() == QContextMenuEvent.Reason.Keyboard:
            index = self.currentIndex()
            where = self.visualRect(index).center()
        else:
            index = self.indexAt(event.pos())
            where = event.pos()
        conversation_id = index.data(ConversationListModel.IdRole) if index.isValid() else None
        if not isinstance(conversation_id, str) or not conversation_id:
            event.ignore()
            return
        self.menuRequested.emit(conversation_id, self.viewport().mapToGlobal(where))

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._quiet:
            return
        conversation_id = str(current.data(ConversationListModel.IdRole) or "")
        if not conversation_id and self._current_id and self._model.contains(self._current_id):
            # The selection was cleared while the conversation still exists: it stays open.
            return
        if conversation_id != self._current_id:
            self._current_id = conversation_id
            self.conversationSelected.emit(conversation_id)

    def _select_quietly(self, conversation_id: str) -> None:
        index = self._model.index_of(conversation_id)
        self._quiet = True
        try:
            if index.isValid():
                self.selectionModel().setCurrentIndex(
                    index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                )
            else:
                self.selectionModel().clear()
        finally:
            self._quiet = False

    def _remember_before_reset(self) -> None:
        self._restoring = self._current_id

    def _restore_after_reset(self) -> None:
        # A reset forgets the selection; put it back on the same conversation id.
        wanted, self._restoring = self._restoring, ""
        if not wanted:
            return
        if self._model.contains(wanted):
            self._select_quietly(wanted)  # same conversation (maybe filtered out): no signal
        else:
            self._lost(wanted)

    def _before_rows_removed(self, parent: QModelIndex, first: int, last: int) -> None:
        selection = self.selectionModel()
        current = selection.currentIndex() if selection is not None else QModelIndex()
        if current.isValid() and not parent.isValid() and first <= current.row() <= last:
            self._select_quietly("")

    def _after_rows_inserted(self, _parent: QModelIndex, first: int, last: int) -> None:
        # The open conversation's row came with a page (or came back): select it again.
        current = self._model.row_of(self._current_id) if self._current_id else -1
        selection = self.selectionModel()
        if first <= current <= last and not selection.currentIndex().isValid():
            self._select_quietly(self._current_id)

    def _after_rows_removed(self, *_args: object) -> None:
        if self._current_id and not self._model.contains(self._current_id):
            self._lost(self._current_id)

    def _lost(self, conversation_id: str) -> None:
        """The open conversation is gone: follow it to its server id, or select nothing."""
        successor = self._model.successor(conversation_id)
        self._current_id = ""
        if successor and self.select_conversation(successor):
            return
        self._select_quietly("")
        self.conversationSelected.emit("")
