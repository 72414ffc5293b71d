"""The open conversation: a header (title, subtitle) over the message list.

The list shows a window of the newest messages, starts at the bottom and stays at the bottom
when a message arrives while the user is there. Scrolling towards either end of the loaded rows
reads the next page on a worker and brings it in a little at a time (console/ui/
message_pager.py); the model keeps at most MAX_ROWS rows, dropping as many at the other end,
so scrolling back down pages the newer ones in again. What the user was looking at stays in
place through every insert and drop (the top row shown is the anchor, by key).
A jump to a message outside the loaded rows (History's "open", the find bar) reads a window
around it the same way, which pages in both ways as the user scrolls and goes back to the
newest on a send.

Ctrl+F opens the find bar over the messages (`conversationSearch` and its buttons:
console/ui/conversation_search.py); F3 / Shift+F3 step through its matches.

A group chat adds, inside this panel (the main window needs none of it): its participants as
chips in the header with a search over them (`participantChips`, `participantSearch`), a chevron
(`participantPanelToggle`) opening the participant panel on the right (`participantPanel`,
remembered open or closed), authors with their numbers on the messages, and, while blocked,
`blockedBanner` whose `newGroupWithoutButton` emits `newGroupWithout`. A chat started that way
and the blocked one link to each other in their headers (`continuesLink`: "Continues ...",
`replacedByLink`: "Replaced by ..."); a click emits `openConversation(id)`.

Wiring by the window that holds it:

    panel.set_workspace(workspace)   # or set_service(conversations, chat_details)
    panel.bind_compose(compose)      # kind, participants and send permission reach compose
    panel.set_settings(settings)     # where "participant panel open" is remembered
    panel.newGroupWithout.connect(...)  # (number_id, [(contact_id, e164)...], blocked chat id)
    panel.openConversation.connect(...)  # a "Continues" / "Replaced by" link: that chat's id
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import TYPE_CHECKING

from console.domain.conversations import ConversationKind, ConversationStatus
from console.domain.errors import DomainError
from console.services.types import ChangeSet, ConversationRow, OptOutAction
from console.timing import MESSAGE_PREFETCH_ROWS
from console.ui.blocked_banner import BlockedBanner, replacement_of
from console.ui.compose import ComposeContext, ComposeWidget
from console.ui.conversation_list import blocked_reason_text, subtitle_text
from console.ui.conversation_search import ConversationSearch
from console.ui.elided_label import ElidedLabel
from console.ui.gui_thread import assert_gui_thread
from console.ui.i18n import translate
from console.ui.labels import kind_tag, status_tag
from console.ui.message_delegate import MessageDelegate
from console.ui.message_model import MessageListModel
from console.ui.message_pager import MessagePager
from console.ui.message_pages import MAX_ROWS, NewestRequest
from console.ui.no_messages import NoMessages, send_denied_text
from console.ui.opt_out_review import OptOutBanner
from console.ui.participant_chips import ParticipantChips
from console.ui.participant_panel import ParticipantPanel
from console.ui.person_panel import PersonPanel
from console.ui.preferences import PARTICIPANT_PANEL_OPEN, read_bool
from console.ui.qt import (
    QAbstractItemView,
    QAction,
    QContextMenuEvent,
    QEvent,
    QFocusEvent,
    QFrame,
    QGuiApplication,
    QHBoxLayout,
    QKeyEvent,
    QKeySequence,
    QLabel,
    QLineEdit,
    QListView,
    QMenu,
    QModelIndex,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPoint,
    QPointF,
    QPushButton,
    QResizeEvent,
    QSettings,
    Qt,
    QTimer,
    QToolButton,
    QVBoxLayout,
    QWidget,
    Signal,
)
from console.ui.theme import set_themed_style

if TYPE_CHECKING:  # importing the services pulls in SQLAlchemy and httpx: not before first paint
    from console.services.chat_details import ChatDetails, ChatDetailService
    from console.services.conversations import ConversationService
    from console.services.workspace import Workspace

log = logging.getLogger("console.ui.conversation")

_BOTTOM_SLACK = 4  # pixels from the bottom that still count as "at the bottom"
PREFETCH_ROWS = MESSAGE_PREFETCH_ROWS  # console/timing.py
PANEL_OPEN_KEY = PARTICIPANT_PANEL_OPEN  # console/ui/preferences.py names every key
# The messages keep at least this much width: below it an open participant panel steps aside
# (and comes back when there is room) rather than crushing the header and the bubbles.
MIN_CONVERSATION_WIDTH = 440

HEADER_STYLE = """
#participantSearch {
    border: 1px solid $control_border; border-radius: 8px;
    padding: 4px 8px; background: $surface_alt;
    font-size: 9pt;
}
#participantSearch:focus { border-color: $accent; background: $surface; }
#participantPanelToggle {
    border: 1px solid $control_border; border-radius: 8px; padding: 3px; background: $surface;
}
#participantPanelToggle:hover { background: $hover; }
#participantPanelToggle:checked { background: $accent_soft; border-color: $info_border; }
#participantSearchEmpty { color: $separator_text; font-size: 9pt; }
#replacedByLink, #continuesLink {
    border: none; background: transparent; color: $accent; padding: 0; text-align: left;
    font-size: 9pt; text-decoration: underline;
}
"""


class MessageListView(QListView):
    """objectName `conversationView`: chat bubbles, newest at the bottom.

    A message the server refused carries Retry and Discard: as buttons under it, in its context
    menu, and from the keyboard (Tab into the list, arrows to pick, Ctrl+R / Delete, or the
    menu key / Shift+F10 for the menu).
    """

    retryRequested = Signal(str)  # message key
    discardRequested = Signal(str)  # message key

    def __init__(self, model: MessageListModel, parent: QWidget | None = None):
        super().__init__(parent)
        self._stick_to_bottom = True
        # The top row shown and its offset, kept in place through the next layout.
        self._anchor: tuple[str, int] | None = None
        self._restoring = False  # moving the bar back to the anchor: not the user scrolling
        self._last_value = 0
        self._direction = 0  # the way the user last scrolled: -1 up, 1 down
        # A read of the newest rows on its way (follow_burst), and the arrivals it stands for.
        self._following = False
        self._follow_again = False
        self._follow_keys: set[str] = set()
        self._follow_serial = 0  # bumped when a follow ends early: its late answer is ignored
        self.setObjectName("conversationView")
        self.setAccessibleName(translate("MessageListView", "Messages"))
        self.setAccessibleDescription(translate(
            "MessageListView",
            "The chat's messages, oldest at the top. The context menu copies one or retries "
            "a refused one.",
        ))
        self.setModel(model)
        self._model = model
        self._delegate = MessageDelegate(self, model)
        self.setItemDelegate(self._delegate)
        self.setUniformItemSizes(False)  # bubbles differ in height; the window keeps this cheap
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        # Reached by Tab (a click on a bubble leaves the focus in the compose box).
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.verticalScrollBar().setSingleStep(24)
        self.viewport().setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
        self.pager = MessagePager(
            model,
            warm=self._delegate.warm,
            settle=self.doItemsLayout,
            keep=self.visible_rows,
            next_page=self.prefetch,
            parent=self,
        )

        bar = self.verticalScrollBar()
        bar.rangeChanged.connect(self._on_range_changed)
        bar.valueChanged.connect(self._on_value_changed)
        model.modelReset.connect(self._on_reset)
        model.rowsAboutToBeInserted.connect(self._before_insert)
        model.rowsAboutToBeRemoved.connect(self._before_remove)
        model.dataChanged.connect(self._on_data_changed)

    # -- public -------------------------------------------------------------------------------
    def at_bottom(self) -> bool:
        """At the newest message (not merely the end of a window around an old one)."""
        if self._model.has_newer:
            return False
        bar = self.verticalScrollBar()
        return bar.value() >= bar.maximum() - _BOTTOM_SLACK

    def stick_to_bottom(self) -> None:
        """Scroll to the newest message and follow new ones (after a send, or on open)."""
        if self._model.has_newer:  # a window that ends before the newest: back to it
            self._model.open(self._model.conversation_id)
        self._stick_to_bottom = True
        self._anchor = None
        self.scrollToBottom()

    def follow_burst(self, changes: ChangeSet) -> bool:
        """While the view follows the newest message, bring a burst of arrivals (a catch-up
        names hundreds per change set) in off the GUI thread: the newest rows are read on the
        pager's worker and measured a few per turn before they replace the window. Reading
        and measuring them here cost ~20 ms of GUI thread per change set during a sync
        (tests/bench/bench_gui_stall.py). True when `changes`' messages are taken care of
        (also when a read under way will cover them); False: apply them at once."""
        conversation_id = self._model.conversation_id
        keys = changes.messages.get(conversation_id, frozenset()) if conversation_id else ()
        if changes.reset:
            return False  # the window is read again whole (its reset ends a follow: _on_reset)
        if self._following:
            if not keys:
                return False
            self._follow_keys.update(keys)  # the read that lands next, or one more, has them
            self._follow_again = True
            return True
        if not self.at_bottom():
            return False
        request = self._model.newest_request(changes, follow=True)
        if request is None or not self._read_newest(request):
            return False
        self._follow_keys = set(keys)
        return True

    def _read_newest(self, request: NewestRequest) -> bool:
        serial = self._follow_serial

        def done(shown: bool) -> None:
            if serial == self._follow_serial:
                self._followed(shown)

        # After: a read this one overtakes reports (at once) before it counts as on its way.
        self._following = self.pager.newest(request, done, still=self.at_bottom)
        return self._following

    def _end_follow(self) -> None:
        """The window was replaced (another chat opened, a reset, a jump): it holds what the
        follow stood for, or does not want it; the read on its way is stale."""
        if self._following:
            self._follow_serial += 1
        self._following, self._follow_again = False, False
        self._follow_keys = set()

    def _followed(self, shown: bool) -> None:
        self._following = False
        again, self._follow_again = self._follow_again, False
        conversation_id = self._model.conversation_id
        if shown:
            self.stick_to_bottom()
            request = self._model.follow_request() if again else None
            # More came while that read was on its way: read the newest once more.
            if request is not None and self._read_newest(request):
                return
        keys, self._follow_keys = self._follow_keys, set()
        if keys and conversation_id and (again or not shown) and not self._model.has_newer:
            # The user scrolled away (or a jump took over), or no second read could start:
            # what the reads stood for goes in the ordinary way, so no arrival is missing.
            self._model.apply_changes(
                ChangeSet(conversations=frozenset({conversation_id}),
                          messages={conversation_id: frozenset(keys)}),
                follow=self.at_bottom(),
            )

    @property
    def message_delegate(self) -> MessageDelegate:
        return self._delegate

    def reveal(self, row: int) -> None:
        """Put `row` in the middle (History's jump to a message) and stop following the newest
        message: arrivals then keep what the user is reading in place."""
        self._stick_to_bottom = False
        self._anchor = None
        self.doItemsLayout()  # rows just prepended have no geometry before the delayed layout
        self.scrollTo(self._model.index(row, 0), QAbstractItemView.ScrollHint.PositionAtCenter)

    # -- Retry / Discard ------------------------------------------------------------------------
    def _retryable_key(self, index: QModelIndex) -> str | None:
        if not index.isValid() or not index.data(MessageListModel.RetryableRole):
            return None
        key = index.data(MessageListModel.KeyRole)
        return key if isinstance(key, str) else None

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        point = event.position().toPoint()
        index = self.indexAt(point)
        key = self._retryable_key(index)
        if key is not None and event.button() == Qt.MouseButton.LeftButton:
            rect = self.visualRect(index)
            action = self._delegate.action_at(index, QPointF(point - rect.topLeft()))
            if action == "retry":
                self.retryRequested.emit(key)
                return
            if action == "discard":
                self.discardRequested.emit(key)
                return
        super().mouseReleaseEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        if event.reason() == QContextMenuEvent.Reason.Keyboard:
            index = self.currentIndex()
            where = self.visualRect(index).center()
        else:
            index = self.indexAt(event.pos())
            where = event.pos()
        menu = self.message_menu(index)
        if menu is None:
            event.ignore()
            return
        menu.popup(self.viewport().mapToGlobal(where))

    def message_menu(self, index: QModelIndex) -> QMenu | None:
        """A message's context menu: Copy text, and for a refused one Retry and Discard
        (objectName `messageMenu`, or `messageFailureMenu` for a refused message); None off
        any message."""
        if not index.isValid():
            return None
        key = self._retryable_key(index)
        menu = self.failure_menu(key) if key is not None else self._menu("messageMenu")
        copy = QAction(translate("MessageListView", "&Copy text"), menu)
        copy.setShortcut(QKeySequence(QKeySequence.StandardKey.Copy))
        copy.triggered.connect(lambda: self.copy_message(index))
        actions = menu.actions()
        if actions:  # Retry and Discard below it
            menu.insertAction(actions[0], copy)
            menu.insertSeparator(actions[0])
        else:
            menu.addAction(copy)
        return menu

    def copy_message(self, index: QModelIndex) -> bool:
        """Put the message's text on the clipboard (Ctrl+C on the message picked, or its
        menu's Copy text); False off any message."""
        body = index.data(MessageListModel.BodyRole) if index.isValid() else None
        if not isinstance(body, str):
            return False
        clipboard = QGuiApplication.clipboard()
        clipboard.setText(body)
        return True

    def _menu(self, name: str) -> QMenu:
        menu = QMenu(self)
        menu.setObjectName(name)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        return menu

    def failure_menu(self, key: str) -> QMenu:
        """Retry and Discard for a refused message (objectName `messageFailureMenu`);
        message_menu adds Copy text above them."""
        menu = self._menu("messageFailureMenu")
        retry = QAction(translate("MessageListView", "&Retry sending"), menu)
        retry.setShortcut(QKeySequence("Ctrl+R"))
        retry.triggered.connect(lambda: self.retryRequested.emit(key))
        discard = QAction(translate("MessageListView", "&Discard"), menu)
        discard.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        discard.triggered.connect(lambda: self.discardRequested.emit(key))
        menu.addAction(retry)
        menu.addAction(discard)
        return menu

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Copy) and self.copy_message(self.currentIndex()):
            return
        key = self._retryable_key(self.currentIndex())
        if key is not None:
            if event.matches(QKeySequence.StandardKey.Delete):
                self.discardRequested.emit(key)
                return
            if (
                event.key() == Qt.Key.Key_R
                and event.modifiers() == Qt.KeyboardModifier.ControlModifier
            ):
                self.retryRequested.emit(key)
                return
        if (
            event.key() == Qt.Key.Key_F10
            and event.modifiers() == Qt.KeyboardModifier.ShiftModifier
            and (menu := self.message_menu(self.currentIndex())) is not None
        ):
            where = self.visualRect(self.currentIndex()).center()
            menu.popup(self.viewport().mapToGlobal(where))
            return
        super().keyPressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        if not self.currentIndex().isValid() and self._model.rowCount() > 0:
            # Start on the newest refused message if there is one, else the newest message.
            rows = range(self._model.rowCount() - 1, -1, -1)
            target = next(
                (r for r in rows if self._model.index(r, 0).data(MessageListModel.RetryableRole)),
                self._model.rowCount() - 1,
            )
            self.setCurrentIndex(self._model.index(target, 0))
        self.viewport().update()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.viewport().update()

    # -- scrolling rules ----------------------------------------------------------------------
    def _on_reset(self) -> None:
        self._end_follow()
        self._anchor = None
        self._direction = 0
        self._stick_to_bottom = True
        self.scrollToBottom()

    def visible_rows(self) -> tuple[int, int] | None:
        """(first, last) row in the viewport; None when there are no rows."""
        count = self._model.rowCount()
        if count == 0:
            return None
        x = self.viewport().width() // 2
        top = self.indexAt(QPoint(x, 0))
        bottom = self.indexAt(QPoint(x, self.viewport().height() - 1))
        first = top.row() if top.isValid() else 0
        last = bottom.row() if bottom.isValid() else count - 1
        return first, max(first, last)

    def _before_insert(self, _parent: QModelIndex, _first: int, _last: int) -> None:
        self._capture_anchor(None)

    def _before_remove(self, _parent: QModelIndex, first: int, last: int) -> None:
        self._capture_anchor((first, last))

    def _capture_anchor(self, going: tuple[int, int] | None) -> None:
        """Before rows go in or out (`going`: first, last of those removed): remember the top
        row shown, or the nearest one that stays, and where it is, so that the next layout
        puts it back there and nothing the user reads jumps."""
        if self._stick_to_bottom or self._anchor is not None:
            return
        shown = self.visible_rows()
        if shown is None:
            return
        top = shown[0]
        if going is not None and going[0] <= top <= going[1]:
            top = going[1] + 1 if going[1] + 1 < self._model.rowCount() else going[0] - 1
        row = self._model.message_at(top)
        if row is not None:
            self._anchor = (row.key, self.visualRect(self._model.index(top, 0)).top())

    def updateGeometries(self) -> None:
        super().updateGeometries()
        anchor, self._anchor = self._anchor, None
        if anchor is None or self._stick_to_bottom:
            return
        row = self._model.row_of(anchor[0])
        if row < 0:
            return
        moved = self.visualRect(self._model.index(row, 0)).top() - anchor[1]
        bar = self.verticalScrollBar()
        if moved:
            self._restoring = True
            try:
                bar.setValue(bar.value() + moved)
            finally:
                self._restoring = False
        self._last_value = bar.value()

    def _on_data_changed(self, *_args: object) -> None:
        # A status change can change a bubble's size; QListView only re-asks on a layout.
        self.scheduleDelayedItemsLayout()

    def _on_range_changed(self, _minimum: int, maximum: int) -> None:
        if self._stick_to_bottom:
            self.verticalScrollBar().setValue(maximum)

    def _on_value_changed(self, value: int) -> None:
        bar = self.verticalScrollBar()
        at_end = value >= bar.maximum() - _BOTTOM_SLACK
        # Below a window that ends before the newest there is more: not the newest to follow.
        self._stick_to_bottom = at_end and not self._model.has_newer
        moved, self._last_value = value - self._last_value, value
        if self._restoring:
            return
        if moved:
            self._direction = -1 if moved < 0 else 1
        self.prefetch()

    def prefetch(self) -> None:
        """Read the next page when the user nears an end of the loaded rows: only the end
        they scroll towards (a page at one end drops rows at the other, which must not ask
        for them back at once)."""
        model = self._model
        if self.pager.busy or not (model.has_older or model.has_newer):
            return
        shown = self.visible_rows()
        if shown is None:
            return
        first, last = shown
        bar = self.verticalScrollBar()
        up = self._direction < 0 or bar.value() <= bar.minimum()
        down = self._direction > 0 or bar.value() >= bar.maximum()
        if up and model.has_older and first < PREFETCH_ROWS:
            self.pager.older()
        elif down and model.has_newer and model.rowCount() - 1 - last < PREFETCH_ROWS:
            self.pager.newer()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.FontChange:
            self._delegate.clear_cache()  # every bubble was measured with the old font
        super().changeEvent(event)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Hide:
            # Out of sight (another page, the window closed): nothing to page in, and the
            # worker ends.
            self.pager.stop(wait=False)
        return super().event(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        # The viewport is opaque (WA_OpaquePaintEvent, so that a scroll moves the pixels
        # already painted and repaints only the strip it uncovers, instead of every row shown
        # each frame): its background is painted here, not by the style sheet.
        viewport = self.viewport()
        painter = QPainter(viewport)
        painter.fillRect(event.rect(), viewport.palette().color(viewport.backgroundRole()))
        painter.end()
        super().paintEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        # Also called when only the viewport changed (a scroll bar came or went).
        width = self._delegate.width
        self._delegate.set_width(self.viewport().width())
        was_at_bottom = self._stick_to_bottom
        if self._delegate.width != width:
            # QListView lays out again only when the height changes (its flow direction);
            # bubbles wrap to the width, so their heights change with it. Keep the top row
            # shown where it is.
            self._capture_anchor(None)
            self.scheduleDelayedItemsLayout()
        super().resizeEvent(event)
        if was_at_bottom:
            self._stick_to_bottom = True
            self.scrollToBottom()


class ConversationHeader(QFrame):
    # A "Continues ..." / "Replaced by ..." link was clicked: the linked chat's id.
    linkClicked = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("conversationHeader")
        set_themed_style(self, HEADER_STYLE)
        self.title = ElidedLabel(parent=self)
        self.title.setObjectName("conversationTitle")
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.subtitle = ElidedLabel(parent=self)  # cut with …, not pushing the splitter
        self.subtitle.setObjectName("conversationSubtitle")
        self.subtitle.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.tag = QLabel(self)
        self.tag.setObjectName("conversationTag")
        self.tag.hide()
        # A group chat's people: chips, a search over them, and the chevron of the right panel.
        self.chips = ParticipantChips(self)
        self.no_match = QLabel(translate("ConversationHeader", "No participant matches."), self)
        self.no_match.setObjectName("participantSearchEmpty")
        self.no_match.hide()
        self.search = QLineEdit(self)
        self.search.setObjectName("participantSearch")
        self.search.setAccessibleName(translate("ConversationHeader", "Search participants"))
        self.search.setPlaceholderText(translate("ConversationHeader", "Search participants"))
        self.search.setToolTip(
            translate(
                "ConversationHeader", "Filter the participants by name or by part of their number"
            )
        )
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(110)
        self.search.setMaximumWidth(200)
        self.search.textChanged.connect(self._filter)
        self.toggle = QToolButton(self)
        self.toggle.setObjectName("participantPanelToggle")
        self.toggle.setCheckable(True)
        self.toggle.setCursor(Qt.CursorShape.PointingHandCursor)
        self.toggle.setAutoRaise(False)
        self.toggle.toggled.connect(self.show_chevron)
        self.show_chevron(False)

        text = QVBoxLayout()
        text.setSpacing(2)
        text.addWidget(self.title)
        text.addWidget(self.subtitle)
        # A group chat started instead of a blocked one, and the blocked one: each links on.
        self.replaced_by_link = self._link("replacedByLink")
        self.continues_link = self._link("continuesLink")
        text.addWidget(self.replaced_by_link, 0, Qt.AlignmentFlag.AlignLeft)
        text.addWidget(self.continues_link, 0, Qt.AlignmentFlag.AlignLeft)
        self.title.setMinimumWidth(60)
        top = QHBoxLayout()
        top.setSpacing(10)
        # Stretch 2 to the search's 1: short of room the search gives up width before the title
        # (stretched items share by their factors, whatever their hints).
        top.addLayout(text, 2)
        top.addWidget(self.tag, 0, Qt.AlignmentFlag.AlignVCenter)
        top.addWidget(self.search, 1, Qt.AlignmentFlag.AlignVCenter)
        top.addWidget(self.toggle, 0, Qt.AlignmentFlag.AlignVCenter)
        # The chips get the full width under the title.
        people = QHBoxLayout()
        people.setSpacing(8)
        people.addWidget(self.chips, 1)
        people.addWidget(self.no_match, 1)
        self.people_row = QWidget(self)
        self.people_row.setObjectName("participantRow")
        self.people_row.setLayout(people)
        people.setContentsMargins(0, 0, 0, 0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 12, 20, 12)
        layout.setSpacing(8)
        layout.addLayout(top)
        layout.addWidget(self.people_row)
        self.people_row.hide()
        self.search.hide()
        self.toggle.hide()

    def _link(self, name: str) -> QPushButton:
        link = QPushButton(self)
        link.setObjectName(name)
        link.setFlat(True)
        link.setCursor(Qt.CursorShape.PointingHandCursor)
        link.clicked.connect(lambda: self.linkClicked.emit(str(link.property("target") or "")))
        link.hide()
        return link

    def show_links(
        self, replaces: tuple[str, str] | None, replaced_by: tuple[str, str] | None
    ) -> None:
        """(id, title) of the chat this one continues and of the one that replaced it."""
        for link, target, text, name in (
            (
                self.continues_link, replaces,
                translate("ConversationHeader", "Continues \u201c{title}\u201d"),
                translate("ConversationHeader", "Continues {title}: open it"),
            ),
            (
                self.replaced_by_link, replaced_by,
                translate("ConversationHeader", "Replaced by \u201c{title}\u201d"),
                translate("ConversationHeader", "Replaced by {title}: open it"),
            ),
        ):
            if target is None:
                link.setProperty("target", "")
                link.hide()
                continue
            link.setProperty("target", target[0])
            link.setText(text.format(title=target[1]))
            link.setToolTip(
                translate("ConversationHeader", "Open \u201c{title}\u201d").format(title=target[1])
            )
            link.setAccessibleName(name.format(title=target[1]))
            link.show()

    def show_chevron(self, open_: bool) -> None:
        # Pointing where the panel goes: right (closed, it would open there), left to close.
        self.toggle.setArrowType(Qt.ArrowType.RightArrow if open_ else Qt.ArrowType.LeftArrow)
        tip = (
            translate("ConversationHeader", "Hide participants")
            if open_
            else translate("ConversationHeader", "Show participants")
        )
        self.toggle.setToolTip(tip)
        self.toggle.setAccessibleName(tip)

    def _filter(self, text: str) -> None:
        shown = self.chips.set_filter(text)
        empty = bool(text.strip()) and shown == 0 and bool(self.chips.chips())
        self.no_match.setVisible(empty)

    def show_conversation(
        self, row: ConversationRow | None, details: ChatDetails | None = None
    ) -> None:
        if row is None:
            self.title.setText("")
            self.subtitle.setText("")
            self.tag.hide()
            self._show_people(None)
            return
        self.title.setText(row.title)
        parts = [part for part in (subtitle_text(row), self._via(row)) if part]
        self.subtitle.setText("  ·  ".join(parts))
        if row.status is ConversationStatus.BLOCKED:
            self.tag.setText(status_tag(row.status))
            self.tag.setProperty("tone", "danger")
            self.tag.setToolTip(blocked_reason_text(row))
        else:
            self.tag.setText(kind_tag(row.kind))
            self.tag.setProperty("tone", "neutral")
            self.tag.setToolTip("")
        self.tag.style().unpolish(self.tag)
        self.tag.style().polish(self.tag)
        self.tag.show()
        self._show_people(details if row.kind is ConversationKind.GROUP_SMS else None)

    def _show_people(self, details: ChatDetails | None) -> None:
        group = details is not None and details.is_group
        for widget in (self.people_row, self.search, self.toggle):
            widget.setVisible(group)
        if details is None or not group:
            self.chips.set_participants(())
            return
        self.chips.set_participants(details.participants)
        self._filter(self.search.text())

    @staticmethod
    def _via(row: ConversationRow) -> str:
        if not row.number_label:
            return ""
        return translate("ConversationHeader", "via {number}").format(number=row.number_label)


class ConversationPanel(QWidget):
    """Header + messages of the open conversation; marks it read while it is shown.

    For a group chat also the participant chips and panel, the authors' numbers, and the
    blocked banner (see the module doc for the wiring)."""

    conversationUpdated = Signal(object)  # ConversationRow | None, after open or a change
    # A blocked group chat's "New group chat without ...": (number_id, the others as
    # [(contact_id, e164), ...], the blocked chat's id).
    newGroupWithout = Signal(str, list, str)
    participantPanelToggled = Signal(bool)
    # A "Continues ..." / "Replaced by ..." link: open that conversation.
    openConversation = Signal(str)

    def __init__(
        self,
        service: ConversationService | None = None,
        parent: QWidget | None = None,
        *,
        details: ChatDetailService | None = None,
        settings: QSettings | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("conversationPanel")
        self._service = service
        self._details_service = details
        self._row: ConversationRow | None = None
        self._details: ChatDetails | None = None
        self._compose: ComposeWidget | None = None
        self._settings = settings
        self._panel_open = False
        self._panel_open = self._remembered_open()
        self.header = ConversationHeader(self)
        self.banner = BlockedBanner(self)
        self.banner.newGroupWithout.connect(self.request_new_group_without)
        self.banner.openReplacement.connect(self.openConversation.emit)
        # A suspected opt-out: the message, its age as a tone, confirm or dismiss.
        self.opt_out_banner = OptOutBanner(self)
        self.opt_out_banner.confirmRequested.connect(
            lambda cid: self._answer_opt_out(cid, OptOutAction.CONFIRM)
        )
        self.opt_out_banner.dismissRequested.connect(
            lambda cid: self._answer_opt_out(cid, OptOutAction.DISMISS)
        )
        self.model = MessageListModel(service, self)
        self.view = MessageListView(self.model, self)
        self.view.retryRequested.connect(self.retry)
        self.view.discardRequested.connect(self.discard)
        self.participant_panel = ParticipantPanel(self)
        self.participant_panel.hide()
        # A 1:1 or in-app conversation's right panel: the person and their groups.
        self.person_panel = PersonPanel(self)
        self.person_panel.hide()
        self.header.toggle.setChecked(self._panel_open)
        self.header.toggle.toggled.connect(self.set_participant_panel_open)
        self.header.chips.participantClicked.connect(self._show_participant)
        self.header.linkClicked.connect(self.openConversation.emit)
        # A conversation with no messages yet says what sending there will do.
        self.no_messages = NoMessages(self)
        # Ctrl+F: find in this conversation (the bar sits over the messages).
        self.search = ConversationSearch(
            self, self.model, lambda key: self.reveal_message(key, flash=False)
        )
        self.search.set_service(service)

        column = QWidget(self)
        column.setObjectName("conversationColumn")
        column_layout = QVBoxLayout(column)
        column_layout.setContentsMargins(0, 0, 0, 0)
        column_layout.setSpacing(0)
        column_layout.addWidget(self.header)
        column_layout.addWidget(self.banner)
        column_layout.addWidget(self.opt_out_banner)
        column_layout.addWidget(self.search.bar)
        column_layout.addWidget(self.view, 1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(column, 1)
        layout.addWidget(self.participant_panel)
        layout.addWidget(self.person_panel)

    @property
    def conversation_id(self) -> str:
        return self.model.conversation_id

    @property
    def conversation(self) -> ConversationRow | None:
        return self._row

    @property
    def details(self) -> ChatDetails | None:
        """What the open conversation shows besides messages (participants, send permission)."""
        return self._details

    # -- wiring -------------------------------------------------------------------------------
    def set_service(
        self, service: ConversationService | None, details: ChatDetailService | None = None
    ) -> None:
        self._service = service
        self._details_service = details
        self.search.set_service(service)
        self.view.pager.stop()  # a read under way ends before its service may close
        self.model.set_service(service)
        self._set_row(None)

    def set_workspace(self, workspace: Workspace | None) -> None:
        """Read conversations and their participants from `workspace` (None: nothing)."""
        if workspace is None:
            self.set_service(None)
        else:
            self.set_service(workspace.conversations, workspace.chat_details)
        self.person_panel.set_workspace(workspace)

    def bind_compose(self, compose: ComposeWidget | None) -> None:
        """Keep `compose` told what the open conversation is: SMS or in-app, how many people
        a group send reaches, and whether this user may write in it (and why not)."""
        self._compose = compose
        self._push_compose()

    def set_settings(self, settings: QSettings | None) -> None:
        """Where the participant panel's open/closed state is remembered."""
        self._settings = settings
        self.set_participant_panel_open(self._remembered_open())

    # -- participant panel --------------------------------------------------------------------
    def participant_panel_open(self) -> bool:
        """Whether the user wants the panel open (it shows in group chats only)."""
        return self._panel_open

    def set_participant_panel_open(self, open_: bool) -> None:
        changed = open_ != self._panel_open
        self._panel_open = open_
        if self.header.toggle.isChecked() != open_:
            self.header.toggle.setChecked(open_)  # comes back here, with nothing changed
        if self._settings is not None and changed:
            self._settings.setValue(PANEL_OPEN_KEY, open_)
        self._show_participant_panel()
        if changed:
            self.participantPanelToggled.emit(open_)

    def _remembered_open(self) -> bool:
        if self._settings is None:
            return self._panel_open  # nowhere to remember: as it is
        return read_bool(self._settings, PANEL_OPEN_KEY, False)

    def _show_participant_panel(self) -> None:
        details = self._details
        group = details is not None and details.is_group
        room = self.width() - self.participant_panel.width() >= MIN_CONVERSATION_WIDTH
        self.participant_panel.setVisible(group and self._panel_open and room)
        person = not group and self.person_panel.has_person()
        self.person_panel.setVisible(person and self._panel_open and room)
        if self._panel_open and not room:
            self.header.toggle.setToolTip(
                translate("ConversationPanel", "No room for the participants: widen the window")
            )
        else:
            self.header.show_chevron(self._panel_open)
        if person:
            tip = (
                translate("ConversationPanel", "Hide the person panel") if self._panel_open
                else translate("ConversationPanel", "Show the person and groups")
            )
            self.header.toggle.setToolTip(tip)
            self.header.toggle.setAccessibleName(tip)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._show_participant_panel()

    def _show_participant(self, phone: str) -> None:
        self.set_participant_panel_open(True)
        self.participant_panel.select_phone(phone)

    # -- blocked chats ------------------------------------------------------------------------
    def request_new_group_without(self) -> None:
        """Emit newGroupWithout for the open blocked group chat (its button's action)."""
        details = self._details
        if details is None or not details.is_group or details.number_id is None:
            return
        self.newGroupWithout.emit(
            details.number_id, details.others_for_new_chat(), details.conversation_id
        )

    # -- suspected opt-outs -------------------------------------------------------------------
    def _answer_opt_out(self, conversation_id: str, action: OptOutAction) -> None:
        """The banner's Confirm / Not an opt-out: queued on the service's writer thread; the
        banner turns pending when the change comes back."""
        if self._service is not None and conversation_id == self.conversation_id:
            self._service.answer_opt_out_soon(conversation_id, action)

    # -- conversation -------------------------------------------------------------------------
    def open(self, conversation_id: str) -> None:
        assert_gui_thread()
        row = None
        if self._service is not None and conversation_id:
            row = self._service.conversation(conversation_id)
        if (row.id if row is not None else "") != self.conversation_id:
            self.header.search.clear()  # a search is about one chat's people
        self.model.open(conversation_id if row is not None else "")
        self.search.conversation_opened(self.model.conversation_id)
        self._set_row(row)
        self.view.stick_to_bottom()
        self._kept_unread = None  # opened (again): read, even if it was marked unread
        self.mark_read_if_shown()

    def reveal_message(self, message_key: str, *, flash: bool = True) -> bool:
        """Scroll to the open conversation's message `message_key` and flash it (History's
        "open", the find bar's next/previous). A message outside the loaded rows, however far
        back, replaces them with a window around it (a hundred rows, read by key on a worker:
        MessagePager.around) that pages in both ways as the user scrolls; it is scrolled to
        and flashed once that window is shown. False when it is not a message of this
        conversation (one row read by key tells)."""
        assert_gui_thread()
        model = self.model
        self._revealing = message_key
        if model.row_of(message_key) >= 0:
            self.view.pager.cancel_around()  # an earlier jump on its way must not land after
            self._show_message(message_key, flash)
            return True
        if not model.has_message(message_key):
            return False
        flasher = self.view.message_delegate.flash
        if flash:
            flasher.expect(message_key)

        def shown(found: bool) -> None:
            if found and self._revealing == message_key:
                self._show_message(message_key, flash)
            elif flasher.key == message_key:
                flasher.stop()  # it never came (another chat opened meanwhile)

        return self.view.pager.around(message_key, shown)

    _revealing = ""  # the message the last reveal_message asked for

    def _show_message(self, message_key: str, flash: bool) -> None:
        row = self.model.row_of(message_key)
        if row < 0:
            return
        self.view.reveal(row)
        # Once more after the layouts a page switch queues (the view may just have been shown).
        QTimer.singleShot(0, self.view, lambda: self._center(message_key))
        if flash:
            self.view.message_delegate.flash.start(message_key)

    def _center(self, message_key: str) -> None:
        row = self.model.row_of(message_key)
        if row >= 0:
            self.view.reveal(row)

    def apply_changes(self, changes: ChangeSet) -> None:
        assert_gui_thread()
        conversation_id = self.conversation_id
        if not conversation_id or self._service is None:
            return
        was_at_bottom = self.view.at_bottom()
        # Following the newest message, the model keeps only the newest rows loaded; reading
        # further up, arrivals may take it past MAX_ROWS: rows far from the user's go.
        deferred = self.view.follow_burst(changes)
        if not deferred:
            self.model.apply_changes(changes, follow=was_at_bottom)
        if not was_at_bottom and self.model.rowCount() > MAX_ROWS:
            self.model.bound(self.view.visible_rows())
        touched = changes.reset or self._touches(changes)
        if touched or conversation_id in changes.conversations:
            row = self._service.conversation(conversation_id)
            if not touched and conversation_id in changes.messages and _moved_only(self._row, row):
                # Messages came and went: the chat, its people and its number are as they were
                # (re-reading them cost ~8 ms of GUI thread per change set during a sync).
                self._row = row
                self.opt_out_banner.show_for(row)
            else:
                self._set_row(row)
        self.person_panel.apply_changes(changes)  # their groups (changes.groups)
        if was_at_bottom and not deferred and conversation_id in changes.messages:
            self.view.stick_to_bottom()
        if changes.reset or conversation_id in changes.messages:
            self.search.messages_changed()  # the count follows new and removed messages
        self.mark_read_if_shown()

    def _touches(self, changes: ChangeSet) -> bool:
        """Whether `changes` alter what the open chat shows of its people or its number."""
        details = self._details
        if details is None:
            return False
        if changes.numbers and details.number_id in changes.numbers:
            return True
        return any(p.contact_id in changes.contacts for p in details.participants)

    def retry(self, key: str) -> None:
        """Send a refused message again (through the services; the row updates in place)."""
        if self._service is None:
            return
        try:
            self._service.retry(key)
        except DomainError as exc:  # e.g. it was retried or discarded meanwhile
            log.info("retry(%s) refused: %s", key, exc.detail)

    def discard(self, key: str) -> None:
        """Drop a refused message: its row and its outbox item go together."""
        if self._service is None:
            return
        try:
            self._service.discard(key)
        except DomainError as exc:
            log.info("discard(%s) refused: %s", key, exc.detail)

    def _set_row(self, row: ConversationRow | None) -> None:
        self._row = row
        self._details = (
            self._details_service.details(row.id)
            if row is not None and self._details_service is not None
            else None
        )
        self.header.show_conversation(row, self._details)
        self.header.show_links(
            self._linked(row.replaces if row else None),
            self._linked(row.replaced_by if row else None),
        )
        self.banner.show_for(self._details, replacement_of(self._service, row))
        self.opt_out_banner.show_for(row)
        self.model.set_chat(self._details)
        if self._details is not None and self._details.is_group:
            self.participant_panel.set_participants(
                self._details.participants, self._details.number_display
            )
        group = self._details is not None and self._details.is_group
        self.person_panel.show_conversation(row.id if row is not None and not group else "")
        if not group:  # the chevron opens the person panel in a 1:1 or in-app chat
            self.header.toggle.setVisible(self.person_panel.has_person())
        self._show_participant_panel()
        self._push_compose()
        self.conversationUpdated.emit(row)

    def _linked(self, conversation_id: str | None) -> tuple[str, str] | None:
        """(id, title) of a linked chat this user has in the cache; None otherwise."""
        if not conversation_id or self._service is None:
            return None
        other = self._service.conversation(conversation_id)
        return (other.id, other.title) if other is not None else None

    def _push_compose(self) -> None:
        compose, row = self._compose, self._row
        if compose is None or row is None:
            return
        compose.set_context(row.id, compose_context(row, self._details))

    # (conversation id, unread count) the user marked unread while it was open: it stays
    # unread until opened again or until more comes in (the count rises above this).
    _kept_unread: tuple[str, int] | None = None

    def keep_unread(self, conversation_id: str) -> None:
        """The user marked `conversation_id` unread ("Mark as unread"): if it is the open one,
        do not read it again at once (only when it is opened again or a new message comes)."""
        if conversation_id and conversation_id == self.conversation_id:
            row = self._row
            self._kept_unread = (conversation_id, max(row.unread_count if row else 0, 1))

    def read_again(self) -> None:
        """The user clicked the open chat's row: read it, even if they marked it unread."""
        self._kept_unread = None
        self.mark_read_if_shown()

    def mark_read_if_shown(self) -> None:
        # The user is looking at it: inbound messages are read. Only while shown, so a hidden
        # window does not swallow unread badges.
        row = self._row
        if row is None or row.unread_count <= 0 or self._service is None or not self.isVisible():
            return
        kept = self._kept_unread
        if kept is not None:
            if kept[0] == row.id and row.unread_count <= kept[1]:
                return  # the user marked it unread: nothing new since
            self._kept_unread = None
        # Not on this thread: the write may queue behind a sync batch (mark_read_soon says).
        self._service.mark_read_soon(row.id)


def _moved_only(old: ConversationRow | None, new: ConversationRow | None) -> bool:
    """Whether `new` differs from `old` only in what a message changes: its newest message
    and the unread count (not its person, number or participants: `identity`)."""
    if old is None or new is None or old.identity != new.identity:
        return False
    return replace(
        old, preview=new.preview, last_message_at=new.last_message_at,
        unread_count=new.unread_count,
    ) == new


def compose_context(row: ConversationRow, details: ChatDetails | None) -> ComposeContext:
    """What compose needs to know of a conversation: its kind, how many people a group send
    reaches, and why it cannot be written to (blocked, or the number is not this user's)."""
    reason = None
    if row.status is ConversationStatus.BLOCKED:
        why = blocked_reason_text(row) or translate(
            "ConversationPanel", "this chat cannot be texted"
        )
        reason = translate("ConversationPanel", "Sending is blocked: {reason}.").format(reason=why)
    else:
        reason = send_denied_text(details)
    recipients = len(details.participants) if details is not None and details.is_group else 1
    return ComposeContext(
        kind=row.kind, recipients=max(recipients, 1), read_only_reason=reason,
        opt_out_hint=details.opt_out_hint if details is not None else "",
    )
