"""The History list's model (`historyList`): every message the user may see, newest first,
read off the GUI thread a page at a time and never all at once.

    model = HistoryModel()
    model.set_source(workspace.history)
    model.set_filter(history_filter)   # a new query: its first page and its count, on workers
    model.refresh()                    # the same query again (the cache changed)

A query's first page (DEFAULT_PAGE_SIZE rows) resets the model when it arrives; the view asks
for more at its end (canFetchMore / fetchMore) and the next page is read by keyset cursor and
appended. Rows live in blocks (one page each) of which at most MAX_BLOCKS stay in memory: a
block scrolled out of memory keeps only its start cursor, and is read again (on a worker)
when the view paints one of its rows; until then the row paints as "Loading…". So a million
matches cost what was scrolled through, at most MAX_BLOCKS pages of it.

Every answer carries the query's generation; an answer for an older query is dropped (a newer
keystroke wins), and a task whose query is already stale when a worker picks it up does not
run at all, so a burst of keystrokes never queues a burst of searches.
"""

from __future__ import annotations

import logging
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from console.services.history import (
    DEFAULT_COUNT_CAP,
    DEFAULT_PAGE_SIZE,
    HistoryCount,
    HistoryCursor,
    HistoryFilter,
    HistoryPage,
    HistoryRow,
)
from console.ui.formatting import list_time, local
from console.ui.gui_thread import assert_gui_thread
from console.ui.history_query import channel_text, snippet, spans, state_text, title_text
from console.ui.i18n import translate
from console.ui.labels import sender_name
from console.ui.named_roles import NamedRolesListModel
from console.ui.qt import QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from console.ui.tasks import TaskRunner
from console.ui.window_model import ROW_FLAGS

if TYPE_CHECKING:
    from console.services.history import HistoryService

log = logging.getLogger("console.ui.history_model")

ModelIndex = QModelIndex | QPersistentModelIndex
T = TypeVar("T")

BLOCK = DEFAULT_PAGE_SIZE
MAX_BLOCKS = 40  # rows in memory: at most 4,000 (a few screens either side of any position)
COUNT_CAP = DEFAULT_COUNT_CAP
ENTRY_CACHE = 2000  # formatted rows kept (a few screens' worth many times over)

_Spans = tuple[tuple[int, int], ...]
_CONTEXT = "HistoryModel"


@dataclass(frozen=True, slots=True)
class Entry:
    """A row as the list paints it, formatted once when its page arrives."""

    row: HistoryRow
    time: str
    channel: str
    state: str
    body: str  # one line, starting near the first match
    body_spans: _Spans
    title_spans: _Spans
    author_spans: _Spans
    author: str  # who wrote it, worded ("You"; "Unknown sender" when the service cannot tell)
    title: str  # the conversation's (or group's) name, worded when it has none


def entry(row: HistoryRow) -> Entry:
    body, body_spans = snippet(row.body, row.body_highlights)
    return Entry(
        row=row, time=list_time(row.created_at), channel=channel_text(row.channel),
        state=state_text(row), body=body, body_spans=body_spans,
        title_spans=spans(row.title_highlights), author_spans=spans(row.author_highlights),
        author=sender_name(row.author, row.author_kind), title=title_text(row),
    )


def _tooltip(found: Entry) -> str:
    row = found.row
    when = local(row.created_at).strftime("%Y-%m-%d %H:%M")
    body = row.body if len(row.body) <= 600 else row.body[:600] + "…"
    template = (
        translate(_CONTEXT, "{when} · {channel} via {number}\n{author} · {state}\n\n{body}")
        if row.number_label
        else translate(_CONTEXT, "{when} · {channel}\n{author} · {state}\n\n{body}")
    )
    return template.format(
        when=when, channel=found.channel, number=row.number_label, author=found.author,
        state=found.state, body=body,
    )


def _accessible_text(found: Entry) -> str:
    row = found.row
    template = translate(_CONTEXT, "{time}, {channel}, {conversation}, {author}, {state}: {body}")
    return template.format(
        time=found.time, channel=found.channel, conversation=found.title,
        author=found.author, state=found.state, body=row.body,
    )


class _Stale(Exception):
    """The query changed before a worker got to this task: it is not run."""


class HistoryModel(NamedRolesListModel):
    KeyRole = Qt.ItemDataRole.UserRole + 1
    RowRole = Qt.ItemDataRole.UserRole + 2  # the whole HistoryRow (None while loading)
    BodyRole = Qt.ItemDataRole.UserRole + 3  # the one-line body shown
    BodyHighlightsRole = Qt.ItemDataRole.UserRole + 4  # [(start, end)] into BodyRole
    TitleRole = Qt.ItemDataRole.UserRole + 5  # the conversation (or group)
    TitleHighlightsRole = Qt.ItemDataRole.UserRole + 6
    AuthorRole = Qt.ItemDataRole.UserRole + 7
    AuthorHighlightsRole = Qt.ItemDataRole.UserRole + 8
    ChannelRole = Qt.ItemDataRole.UserRole + 9  # "SMS", "Group SMS", ...
    TimeRole = Qt.ItemDataRole.UserRole + 10  # list time ("14:05", "Yesterday", ...)
    StateRole = Qt.ItemDataRole.UserRole + 11  # "Received", "Sent · Delivered", ...
    LoadedRole = Qt.ItemDataRole.UserRole + 12  # False while its page is being read again

    _ROLE_NAMES: ClassVar[dict[int, bytes]] = {
        KeyRole: b"key",
        RowRole: b"row",
        BodyRole: b"body",
        BodyHighlightsRole: b"bodyHighlights",
        TitleRole: b"title",
        TitleHighlightsRole: b"titleHighlights",
        AuthorRole: b"author",
        AuthorHighlightsRole: b"authorHighlights",
        ChannelRole: b"channel",
        TimeRole: b"time",
        StateRole: b"state",
        LoadedRole: b"loaded",
    }

    # What data() answers for a loaded row, by role (LoadedRole and the placeholder aside).
    _ENTRY_VALUES: ClassVar[dict[int, Callable[[Entry], Any]]] = {
        Qt.ItemDataRole.DisplayRole: lambda found: f"{found.title}: {found.body}",
        BodyRole: lambda found: found.body,
        BodyHighlightsRole: lambda found: [list(span) for span in found.body_spans],
        TitleRole: lambda found: found.title,
        TitleHighlightsRole: lambda found: [list(span) for span in found.title_spans],
        AuthorRole: lambda found: found.author,
        AuthorHighlightsRole: lambda found: [list(span) for span in found.author_spans],
        ChannelRole: lambda found: found.channel,
        TimeRole: lambda found: found.time,
        StateRole: lambda found: found.state,
        KeyRole: lambda found: found.row.key,
        RowRole: lambda found: found.row,
        Qt.ItemDataRole.ToolTipRole: _tooltip,
        Qt.ItemDataRole.AccessibleTextRole: _accessible_text,
    }

    loaded = Signal()  # a query's first page is shown
    counted = Signal()  # its count arrived (`total`)
    failed = Signal(str)  # a read failed: what to tell the user

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._source: HistoryService | None = None
        self._runner: TaskRunner | None = None
        self._counter: TaskRunner | None = None  # counts queue apart: pages never wait on one
        self._filter = HistoryFilter()
        self._generation = 0
        self._rows = 0
        self._offsets: list[int] = []  # first row of each block
        self._starts: list[HistoryCursor | None] = []  # the cursor each block is read after
        self._next: HistoryCursor | None = None
        self._fetching_next = False
        self._blocks: OrderedDict[int, list[HistoryRow]] = OrderedDict()
        # Rows as painted, formatted the first time one is asked for (a page arrives with
        # 100 rows; a screen shows 13): by row key, for the current query only.
        self._entries: dict[str, Entry] = {}
        self._rereading: set[int] = set()
        self.total: HistoryCount | None = None
        self.searching = False  # the current query's first page has not arrived yet
        self.reads = 0  # pages and counts asked of the service (tests and benchmarks look)

    # -- source and queries -------------------------------------------------------------------
    def set_source(self, source: HistoryService | None, flt: HistoryFilter | None = None) -> None:
        """Read from `source` (None: nothing), with `flt` as the query if given."""
        assert_gui_thread()
        self._source = source
        if flt is not None:
            self._filter = flt
        self._generation += 1
        self.beginResetModel()
        self._forget()
        self.endResetModel()
        self.total = None
        if source is not None:
            self.refresh()

    @property
    def source(self) -> HistoryService | None:
        return self._source

    @property
    def filter(self) -> HistoryFilter:
        return self._filter

    def set_filter(self, flt: HistoryFilter) -> None:
        """Show what `flt` finds (the same filter again reads nothing)."""
        if flt != self._filter:
            self._filter = flt
            self.refresh()

    def refresh(self) -> None:
        """Read the current query again: its first page and its count."""
        assert_gui_thread()
        self._generation += 1
        source, flt, generation = self._source, self._filter, self._generation
        if source is None:
            return
        self.searching = True
        self._submit(
            self._tasks(), generation, lambda: source.page(flt, limit=BLOCK),
            lambda page: self._first_page(generation, page),
        )

    def stop(self) -> None:
        """Drop work in flight and stop the workers (before the workspace closes)."""
        self._generation += 1
        for runner in (self._runner, self._counter):
            if runner is not None:
                runner.shutdown(wait=True)
                runner.deleteLater()
        self._runner = self._counter = None
        self._fetching_next = False
        self._rereading.clear()

    # -- Qt model API -------------------------------------------------------------------------
    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else self._rows

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        return ROW_FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def canFetchMore(self, parent: ModelIndex = QModelIndex()) -> bool:
        return not parent.isValid() and self._next is not None and not self._fetching_next

    def fetchMore(self, parent: ModelIndex = QModelIndex()) -> None:
        if not self.canFetchMore(parent) or self._source is None:
            return
        self._fetching_next = True
        source, flt, after, generation = self._source, self._filter, self._next, self._generation
        self._submit(
            self._tasks(), generation, lambda: source.page(flt, after=after, limit=BLOCK),
            lambda page: self._next_page(generation, after, page),
        )

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.column() != 0:
            return None
        found = self.entry_at(index.row())
        if role == self.LoadedRole:
            return found is not None
        if found is None:
            # Its page is being read again: a quiet placeholder, never a wait.
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
                return translate(_CONTEXT, "Loading…")
            return None
        value = self._ENTRY_VALUES.get(role)
        return None if value is None else value(found)

    # -- lookups ------------------------------------------------------------------------------
    def entry_at(self, position: int) -> Entry | None:
        """The row at `position`, or None while its page is read again (asked for then)."""
        if not 0 <= position < self._rows:
            return None
        block = bisect_right(self._offsets, position) - 1
        rows = self._blocks.get(block)
        if rows is None:
            self._reread(block)
            return None
        self._blocks.move_to_end(block)
        offset = position - self._offsets[block]
        if offset >= len(rows):
            return None
        row = rows[offset]
        found = self._entries.get(row.key)
        if found is None or found.row is not row:
            if len(self._entries) > ENTRY_CACHE:
                self._entries.clear()
            found = self._entries[row.key] = entry(row)
        return found

    def row_at(self, position: int) -> HistoryRow | None:
        found = self.entry_at(position)
        return found.row if found is not None else None

    def has_more(self) -> bool:
        """Whether rows beyond the last one read exist (the view reads them at its end)."""
        return self._next is not None

    def blocks_in_memory(self) -> int:
        return len(self._blocks)

    # -- answers ------------------------------------------------------------------------------
    def _first_page(self, generation: int, page: HistoryPage) -> None:
        if generation != self._generation:
            return
        self.beginResetModel()
        self._forget()
        self._add_block(None, page)
        self.endResetModel()
        self.searching = False
        if page.next_cursor is None:  # it is all there is: counted already
            self.total = HistoryCount(len(page.rows))
        else:
            # Counted after the first page, not beside it: the rows come first (a capped
            # count of a one-letter prefix takes longer than the page, and would share the
            # interpreter with it).
            self.total = None
            source, flt = self._source, self._filter
            if source is not None:
                self._submit(
                    self._count_tasks(), generation, lambda: source.count(flt, cap=COUNT_CAP),
                    lambda count: self._counted(generation, count),
                )
        self.loaded.emit()
        self.counted.emit()

    def _next_page(
        self, generation: int, after: HistoryCursor | None, page: HistoryPage
    ) -> None:
        if generation != self._generation:
            return
        self._fetching_next = False
        if after != self._next:
            return
        if not page.rows:
            self._next = None
            return
        first = self._rows
        self.beginInsertRows(QModelIndex(), first, first + len(page.rows) - 1)
        self._add_block(after, page)
        self.endInsertRows()

    def _add_block(self, after: HistoryCursor | None, page: HistoryPage) -> None:
        block = len(self._offsets)
        self._offsets.append(self._rows)
        self._starts.append(after)
        self._keep(block, list(page.rows))
        self._rows += len(page.rows)
        self._next = page.next_cursor if page.rows else None

    def _reread(self, block: int) -> None:
        if block in self._rereading or self._source is None:
            return
        self._rereading.add(block)
        source, flt, generation = self._source, self._filter, self._generation
        after = self._starts[block]
        self._submit(
            self._tasks(), generation, lambda: source.page(flt, after=after, limit=BLOCK),
            lambda page: self._reread_done(generation, block, page),
        )

    def _reread_done(self, generation: int, block: int, page: HistoryPage) -> None:
        if generation != self._generation:
            return
        self._rereading.discard(block)
        first = self._offsets[block]
        size = (self._offsets[block + 1] if block + 1 < len(self._offsets) else self._rows) - first
        # Rows deleted meanwhile may shorten it: the missing ones stay "Loading…" until the
        # next refresh (a reset would throw the user's place away).
        self._keep(block, list(page.rows[:size]))
        self.dataChanged.emit(self.index(first, 0), self.index(first + size - 1, 0))

    def _counted(self, generation: int, count: HistoryCount) -> None:
        if generation != self._generation:
            return
        self.total = count
        self.counted.emit()

    def _keep(self, block: int, rows: list[HistoryRow]) -> None:
        self._blocks[block] = rows
        self._blocks.move_to_end(block)
        while len(self._blocks) > MAX_BLOCKS:
            self._blocks.popitem(last=False)

    def _forget(self) -> None:
        self._rows = 0
        self._offsets = []
        self._starts = []
        self._next = None
        self._fetching_next = False
        self._blocks.clear()
        self._entries.clear()
        self._rereading.clear()

    # -- workers ------------------------------------------------------------------------------
    def _tasks(self) -> TaskRunner:
        if self._runner is None:
            self._runner = TaskRunner(self, max_workers=1)
        return self._runner

    def _count_tasks(self) -> TaskRunner:
        if self._counter is None:
            self._counter = TaskRunner(self, max_workers=1)
        return self._counter

    def _submit(
        self, runner: TaskRunner, generation: int, work: Callable[[], T],
        done: Callable[[T], None],
    ) -> None:
        def run() -> T:
            if generation != self._generation:  # a newer query came while this one waited
                raise _Stale
            self.reads += 1
            return work()

        runner.submit(run, on_success=done, on_failure=lambda exc: self._failed(generation, exc))

    def _failed(self, generation: int, exc: BaseException) -> None:
        if isinstance(exc, _Stale) or generation != self._generation:
            return
        log.warning("history read failed: %r", exc)
        self._fetching_next = False
        self._rereading.clear()
        self.searching = False
        self.failed.emit(
            translate(
                _CONTEXT,
                "History could not be read from this console's copy. Try again; if it keeps "
                "failing, restart the console.",
            )
        )
