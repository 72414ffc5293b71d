"""The History page (`historyPage`, Ctrl+5): every message this user may see, newest first,
searched (`historySearch`) and filtered from the cache, so it works with or without a backend.

    page = HistoryPage(open_message=window.show_message, open_group_message=...)
    page.set_workspace(workspace)       # reads workspace.history
    page.apply_changes(change_set)      # new messages: the list reads its first page again
    page.set_sync_status(status)        # offline: says the list is this console's copy

The list (`historyList`, history_model.py) reads a page at a time on a worker. Typing is
debounced by the search itself rather than by a fixed delay: a keystroke searches at once
when no search is out; while one is, the newest text waits and goes when it returns (at most
one search in flight, the ones typed meanwhile collapsed into the newest). A fixed 150 ms
debounce alone would put every result past the issue's 50 ms keystroke-to-paint target
(tests/bench/bench_history_ui.py over 1,000,000 messages, keys 180 ms apart: p50 211 ms with
it; this way p50 26 ms, p95 46 ms, the service's page 7 / 13 ms of that). A newer query's
answer always wins over an older one. Opening a
result (Enter or a double-click) shows it in its conversation, scrolled to and flashed; a
sent group message opens on the Group messages page. `historyExportButton` writes what the
filters show to CSV or PDF (history_export.py).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from console.services.history import FilterOptions, HistoryChannel, HistoryCount, HistoryRow
from console.services.types import ChangeSet, SyncState, SyncStatus
from console.timing import HISTORY_CHANGES_DEBOUNCE_MS, HISTORY_SEARCH_DEBOUNCE_MS
from console.ui.formatting import list_time
from console.ui.gui_thread import assert_gui_thread
from console.ui.history_delegate import HistoryDelegate
from console.ui.history_export import HistoryExporter
from console.ui.history_filter_bar import HistoryFilterBar
from console.ui.history_model import HistoryModel
from console.ui.history_query import choices, count_text, grouped, to_filter
from console.ui.i18n import translate
from console.ui.qt import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QModelIndex,
    QPushButton,
    QShowEvent,
    QStackedWidget,
    Qt,
    QTimer,
    QVBoxLayout,
    QWidget,
)
from console.ui.tasks import TaskRunner
from console.ui.theme import set_themed_style

if TYPE_CHECKING:
    from console.services.history import HistoryService
    from console.services.workspace import Workspace

log = logging.getLogger("console.ui.history_page")

SEARCH_DEBOUNCE_MS = HISTORY_SEARCH_DEBOUNCE_MS  # console/timing.py
CHANGES_DEBOUNCE_MS = HISTORY_CHANGES_DEBOUNCE_MS

STYLE = """
#historyPage { background: $surface_alt; }
#historyHeader { background: $surface; border-bottom: 1px solid $border; }
#historyTitle { font-size: 13pt; font-weight: 600; color: $text; }
#historyCount { color: $muted; font-size: 9pt; }
#historySearch {
    border: 1px solid $control_border; border-radius: 8px;
    padding: 6px 10px; background: $surface_alt;
}
#historySearch:focus { border-color: $accent; background: $surface; }
#historyFilterChip { background: $accent_soft; border: 1px solid $info_border; border-radius: 9px; }
#historyClearFilters {
    border: none; background: transparent; color: $accent; text-decoration: underline;
}
#historyOffline {
    background: $warning_soft; color: $warning_text;
    border-bottom: 1px solid $warning_border; padding: 6px 16px;
}
#historyStatus { color: $text_secondary; padding: 4px 16px; }
#historyStatus[level="error"] { color: $danger; }
#historyList { background: $surface; border: none; }
#historyEmpty { background: $surface; }
#historyEmptyTitle { font-size: 11pt; font-weight: 600; color: $text; }
#historyEmptyDetail { color: $muted; }
#historyRefresh, #historyEmptyClear {
    border: none; background: transparent; color: $accent; text-decoration: underline;
    padding: 0 4px;
}
"""


class HistoryEmpty(QWidget):
    """What an empty list says, and (when filters emptied it) the button that clears them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("historyEmpty")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.title = QLabel(self)
        self.title.setObjectName("historyEmptyTitle")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.detail = QLabel(self)
        self.detail.setObjectName("historyEmptyDetail")
        self.detail.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.detail.setWordWrap(True)
        self.clear_button = QPushButton(translate("HistoryEmpty", "Clear filters and search"), self)
        self.clear_button.setObjectName("historyEmptyClear")
        self.clear_button.setAccessibleDescription(
            translate("HistoryEmpty", "Empties the search and turns every filter off.")
        )
        self.clear_button.setCursor(Qt.CursorShape.PointingHandCursor)
        layout = QVBoxLayout(self)
        layout.addStretch(2)
        layout.addWidget(self.title)
        layout.addWidget(self.detail)
        layout.addWidget(self.clear_button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(3)

    def show_text(self, title: str, detail: str, *, can_clear: bool) -> None:
        self.title.setText(title)
        self.detail.setText(detail)
        self.clear_button.setVisible(can_clear)


class HistoryPage(QWidget):
    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        open_message: Callable[[str, str], bool] | None = None,
        open_group_message: Callable[[str], bool] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("historyPage")
        self.setAccessibleName(translate("HistoryPage", "History"))
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        set_themed_style(self, STYLE)
        self._open_message = open_message
        self._open_group_message = open_group_message
        self._workspace: Workspace | None = None
        self._source: HistoryService | None = None
        self._options_runner: TaskRunner | None = None
        self._options_request = 0
        self._stale = False  # the cache changed while the list was scrolled or hidden
        self._typed_meanwhile = False  # text changed while a search was out: it goes next
        self._options_stale = False  # people, numbers or groups changed: re-read the choices

        header = QWidget(self)
        header.setObjectName("historyHeader")
        header.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        title = QLabel(translate("HistoryPage", "History"), header)
        title.setObjectName("historyTitle")
        self.count_label = QLabel(header)
        self.count_label.setObjectName("historyCount")
        self.refresh_button = QPushButton(
            translate("HistoryPage", "Newer messages: show them"), header
        )
        self.refresh_button.setObjectName("historyRefresh")
        self.refresh_button.setAccessibleDescription(translate(
            "HistoryPage", "Messages arrived since the search ran; this adds them to the list."
        ))
        self.refresh_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.refresh_button.clicked.connect(self.refresh)
        self.refresh_button.hide()
        self.export_button = QPushButton(translate("HistoryPage", "Export…"), header)
        self.export_button.setObjectName("historyExportButton")
        self.export_button.setToolTip(
            translate("HistoryPage", "Save the messages the filters show as CSV or PDF")
        )
        # Internal notes are for the team: an export (which may leave the team) has them only
        # when asked for, each time (off by default).
        self.include_notes = QCheckBox(translate("HistoryPage", "Include internal notes"), header)
        self.include_notes.setObjectName("exportIncludeNotes")
        self.include_notes.setToolTip(translate(
            "HistoryPage", "Exports leave internal notes out unless this is ticked"
        ))
        self.search = QLineEdit(header)
        self.search.setObjectName("historySearch")
        self.search.setAccessibleName(translate("HistoryPage", "Search history"))
        self.search.setAccessibleDescription(translate(
            "HistoryPage", "Finds the messages whose text, names or numbers have these words."
        ))
        self.search.setPlaceholderText(
            translate("HistoryPage", "Search messages, names and numbers")
        )
        self.search.setClearButtonEnabled(True)
        self.filters = HistoryFilterBar(header)
        top = QHBoxLayout()
        top.addWidget(title)
        top.addWidget(self.count_label, 0, Qt.AlignmentFlag.AlignBottom)
        top.addWidget(self.refresh_button, 0, Qt.AlignmentFlag.AlignBottom)
        top.addStretch(1)
        top.addWidget(self.include_notes)
        top.addWidget(self.export_button)
        header_layout = QVBoxLayout(header)
        header_layout.setContentsMargins(16, 12, 16, 10)
        header_layout.setSpacing(8)
        header_layout.addLayout(top)
        header_layout.addWidget(self.search)
        header_layout.addWidget(self.filters)

        self.offline = QLabel(self)
        self.offline.setObjectName("historyOffline")
        self.offline.setWordWrap(True)
        self.offline.hide()
        self.status = QLabel(self)
        self.status.setObjectName("historyStatus")
        self.status.setWordWrap(True)
        self.status.hide()

        self.model = HistoryModel(self)
        self.view = QListView(self)
        self.view.setObjectName("historyList")
        self.view.setAccessibleName(translate("HistoryPage", "Messages found"))
        self.view.setAccessibleDescription(translate(
            "HistoryPage", "The messages the search and filters found. Enter opens one in its chat."
        ))
        self.view.setModel(self.model)
        self.view.setItemDelegate(HistoryDelegate(self.model, self.view))
        self.view.setUniformItemSizes(True)  # one row height: the view never measures each row
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setMouseTracking(True)
        self.view.activated.connect(self.open_index)
        self.empty = HistoryEmpty(self)
        self.empty.clear_button.clicked.connect(self.clear_all)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.view)
        self.stack.addWidget(self.empty)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(header)
        layout.addWidget(self.offline)
        layout.addWidget(self.status)
        layout.addWidget(self.stack, 1)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DEBOUNCE_MS)
        self._search_timer.timeout.connect(self.run_query)
        self._changes_timer = QTimer(self)
        self._changes_timer.setSingleShot(True)
        self._changes_timer.setInterval(CHANGES_DEBOUNCE_MS)
        self._changes_timer.timeout.connect(self._changes_settled)
        self.search.textChanged.connect(self._typed)
        self.search.returnPressed.connect(self._to_list)  # Enter: to the results, then Enter opens
        self.filters.changed.connect(self.run_query)
        self.model.loaded.connect(self._search_returned)
        self.model.failed.connect(self._search_returned)
        self.model.loaded.connect(self._show_state)
        self.model.counted.connect(self._show_state)
        self.model.modelReset.connect(self._show_state)
        self.model.failed.connect(self.say)

        self.exporter = HistoryExporter(
            self, self.model, self.export_button, include_notes=self.include_notes
        )
        self.exporter.exported.connect(
            lambda path, rows: self.say(
                grouped(
                    translate("HistoryPage", "Saved %n message(s) to {path}.", None, rows), rows
                ).format(path=path),
                error=False,
            )
        )
        self.exporter.failed.connect(self.say)
        self._show_state()

    # -- workspace ----------------------------------------------------------------------------
    def set_workspace(self, workspace: Workspace | None) -> None:
        assert_gui_thread()
        self._workspace = workspace
        # The workspace holds its HistoryService as `history` (none: the page says so).
        self.set_source(getattr(workspace, "history", None))
        if workspace is not None:
            self.set_sync_status(workspace.sync.status)
        self._show_state()

    def set_source(self, source: HistoryService | None) -> None:
        """Read from `source` (set_workspace does this; a benchmark gives one directly)."""
        assert_gui_thread()
        self._source = source
        self._stale = False
        self.refresh_button.hide()
        self.exporter.set_source(source)
        self.model.set_source(source, to_filter(self.search.text(), self.filters.values()))
        if source is None:
            self.model.stop()
            self._stop_options()
        else:
            self._load_options()
        self._show_state()

    def stop(self) -> None:
        """Stop the page's workers (the window is closing)."""
        self.model.stop()
        self.exporter.stop()
        self._stop_options()

    def set_sync_status(self, status: SyncStatus) -> None:
        """Offline: the list is what this console last received, and says since when."""
        offline = status.state is SyncState.OFFLINE
        if offline:
            since = list_time(status.last_sync_at) if status.last_sync_at else ""
            if since:
                text = translate(
                    "HistoryPage",
                    "Offline: showing this console's copy (last synced {since}). Search, "
                    "filters and export work as usual; newer messages appear once the server "
                    "is back.",
                ).format(since=since)
            else:
                text = translate(
                    "HistoryPage",
                    "Offline: showing this console's copy. Search, filters and export "
                    "work as usual; newer messages appear once the server is back.",
                )
            self.offline.setText(text)
        self.offline.setVisible(offline)

    def apply_changes(self, changes: ChangeSet) -> None:
        """New or changed messages: read the first page again while the user is at the top;
        otherwise offer to (their place in the list stays put)."""
        if self._source is None or changes.is_empty():
            return
        if changes.reset or changes.contacts or changes.numbers or changes.groups:
            self._options_stale = True  # new people, numbers or groups to filter by
        self._changes_timer.start()

    def _changes_settled(self) -> None:
        if self._options_stale:  # read off the GUI thread: ~0.8 s at 1,000,000 messages
            self._options_stale = False
            self._load_options()
        at_top = self.view.verticalScrollBar().value() == 0 and not self.view.selectionModel(
        ).hasSelection()
        if self.isVisible() and at_top:
            self.refresh()
        else:
            self._stale = True
            self.refresh_button.setVisible(self.isVisible())

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale and self.view.verticalScrollBar().value() == 0:
            self.refresh()
        self.refresh_button.setVisible(self._stale)

    # -- queries ------------------------------------------------------------------------------
    def _typed(self, _text: str = "") -> None:
        if self.model.searching:
            self._typed_meanwhile = True  # goes when the search out returns
        else:
            self._search_timer.start()

    def _to_list(self) -> None:
        if self.model.rowCount() == 0:
            return
        self.view.setFocus(Qt.FocusReason.ShortcutFocusReason)
        if not self.view.currentIndex().isValid():
            self.view.setCurrentIndex(self.model.index(0, 0))

    def _search_returned(self, *_args: object) -> None:
        if self._typed_meanwhile:
            self._typed_meanwhile = False
            self.run_query()

    def run_query(self) -> None:
        """Search with what the field and the filters say now (after the debounce)."""
        self._search_timer.stop()
        self._typed_meanwhile = False
        self.status.hide()
        self.model.set_filter(to_filter(self.search.text(), self.filters.values()))
        self._show_state()

    def refresh(self) -> None:
        self._stale = False
        self.refresh_button.hide()
        self.model.refresh()

    def clear_all(self) -> None:
        self.search.clear()
        self.filters.clear()
        self.run_query()

    def filtered(self) -> bool:
        return bool(self.search.text().strip()) or self.filters.values().active()

    def _show_state(self) -> None:
        if self._source is None:
            self.count_label.setText("")
            self.empty.show_text(
                translate("HistoryPage", "History is not available"),
                translate("HistoryPage", "Sign in to an account to search its messages.")
                if self._workspace is None
                else translate(
                    "HistoryPage",
                    "This console's copy has no search index yet: restart the console.",
                ),
                can_clear=False,
            )
            self.stack.setCurrentWidget(self.empty)
            self.export_button.setEnabled(False)
            return
        total = self.model.total
        filtered = self.filtered()
        if self.model.searching:
            # The last answer's count stays until the new one comes (no flicker per key).
            if not self.count_label.text():
                self.count_label.setText(translate("HistoryPage", "Searching…"))
        elif total is None:  # the rows came; their count is on its way
            shown = self.model.rowCount()
            self.count_label.setText(
                count_text(HistoryCount(shown, at_least=self.model.has_more()), filtered)
            )
        else:
            self.count_label.setText(count_text(total, filtered))
        empty = not self.model.searching and self.model.rowCount() == 0
        if empty and filtered:
            self.empty.show_text(
                translate("HistoryPage", "No messages match"),
                translate(
                    "HistoryPage",
                    "Nothing in this console's copy matches the search and filters. Clear them "
                    "to see every message again.",
                ),
                can_clear=True,
            )
        elif empty:
            self.empty.show_text(
                translate("HistoryPage", "No messages yet"),
                translate(
                    "HistoryPage",
                    "Every message sent and received shows here, newest first, searchable even "
                    "without a connection.",
                ),
                can_clear=False,
            )
        self.stack.setCurrentWidget(self.empty if empty else self.view)
        self.export_button.setEnabled(self.model.rowCount() > 0 and not self.exporter.busy)

    def say(self, text: str, *, error: bool = True) -> None:
        """One line under the header: what went wrong and what to do (or what was saved)."""
        self.status.setText(text)
        self.status.setProperty("level", "error" if error else "")
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)
        self.status.setVisible(bool(text))

    # -- filter options -----------------------------------------------------------------------
    def _load_options(self) -> None:
        source = self._source
        if source is None:
            return
        if self._options_runner is None:
            self._options_runner = TaskRunner(self, max_workers=1)
        self._options_request += 1
        request = self._options_request
        self._options_runner.submit(
            source.filter_options,
            on_success=lambda options: self._options_loaded(request, options),
            on_failure=lambda exc: log.warning("history filter options: %r", exc),
        )

    def _options_loaded(self, request: int, options: FilterOptions) -> None:
        if request == self._options_request:
            found, more = choices(options)
            self.filters.set_choices(**found, more_authors=more)

    def _stop_options(self) -> None:
        self._options_request += 1
        if self._options_runner is not None:
            self._options_runner.shutdown(wait=True)
            self._options_runner.deleteLater()
            self._options_runner = None

    # -- opening a result ---------------------------------------------------------------------
    def open_index(self, index: QModelIndex) -> bool:
        row = self.model.row_at(index.row()) if index.isValid() else None
        return self.open_row(row) if row is not None else False

    def open_row(self, row: HistoryRow) -> bool:
        """Show `row` where it lives: its conversation scrolled to it (flashed), or a sent
        group message on the Group messages page."""
        target = row.target
        opened = False
        if row.channel is HistoryChannel.GROUP_MESSAGE or target.group_message_id:
            key = target.group_message_id or row.group_message_id or ""
            opened = bool(key) and self._open_group_message is not None and \
                self._open_group_message(key)
        elif target.conversation_id and target.message_key and self._open_message is not None:
            opened = self._open_message(target.conversation_id, target.message_key)
        if not opened:
            self.say(
                translate(
                    "HistoryPage",
                    "That message could not be shown in its conversation (it may be further "
                    "back than the conversation loads at once). Its text is in this row's "
                    "tooltip.",
                )
            )
        return opened
