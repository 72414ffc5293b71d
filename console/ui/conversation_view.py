"""The open conversation: a header (title, subtitle) over the message list.

The list shows a window of the newest messages, starts at the bottom, stays at the bottom when
a message arrives while the user is there, and prepends older pages when the user scrolls to
the top (keeping what they were looking at in place).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from console.domain.errors import DomainError
from console.services.types import ChangeSet, ConversationRow
from console.ui.gui_thread import assert_gui_thread
from console.ui.message_delegate import MessageDelegate
from console.ui.message_model import MessageListModel
from console.ui.qt import (
    QAbstractItemView,
    QAction,
    QContextMenuEvent,
    QFocusEvent,
    QFrame,
    QHBoxLayout,
    QKeyEvent,
    QKeySequence,
    QLabel,
    QListView,
    QMenu,
    QModelIndex,
    QMouseEvent,
    QPointF,
    QResizeEvent,
    Qt,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
)

if TYPE_CHECKING:  # importing the services pulls in SQLAlchemy and httpx: not before first paint
    from console.services.conversations import ConversationService

log = logging.getLogger("console.ui.conversation")

_BOTTOM_SLACK = 4  # pixels from the bottom that still count as "at the bottom"


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
        self.setObjectName("conversationView")
        self.setAccessibleName("Messages")
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
        self._stick_to_bottom = True
        self._anchor_from_bottom: int | None = None
        self._fetch_scheduled = False

        bar = self.verticalScrollBar()
        bar.rangeChanged.connect(self._on_range_changed)
        bar.valueChanged.connect(self._on_value_changed)
        model.modelReset.connect(self._on_reset)
        model.rowsAboutToBeInserted.connect(self._on_rows_about_to_be_inserted)
        model.dataChanged.connect(self._on_data_changed)

    # -- public -------------------------------------------------------------------------------
    def at_bottom(self) -> bool:
        bar = self.verticalScrollBar()
        return bar.value() >= bar.maximum() - _BOTTOM_SLACK

    def stick_to_bottom(self) -> None:
        """Scroll to the newest message and follow new ones (after a send, or on open)."""
        self._stick_to_bottom = True
        self._anchor_from_bottom = None
        self.scrollToBottom()

    @property
    def message_delegate(self) -> MessageDelegate:
        return self._delegate

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
        key = self._retryable_key(index)
        if key is None:
            event.ignore()
            return
        self.failure_menu(key).popup(self.viewport().mapToGlobal(where))

    def failure_menu(self, key: str) -> QMenu:
        """The context menu of a refused message (objectName `messageFailureMenu`)."""
        menu = QMenu(self)
        menu.setObjectName("messageFailureMenu")
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        retry = QAction("&Retry sending", menu)
        retry.setShortcut(QKeySequence("Ctrl+R"))
        retry.triggered.connect(lambda: self.retryRequested.emit(key))
        discard = QAction("&Discard", menu)
        discard.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        discard.triggered.connect(lambda: self.discardRequested.emit(key))
        menu.addAction(retry)
        menu.addAction(discard)
        return menu

    def keyPressEvent(self, event: QKeyEvent) -> None:
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
            ):
                where = self.visualRect(self.currentIndex()).center()
                self.failure_menu(key).popup(self.viewport().mapToGlobal(where))
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
        self._delegate.clear_cache()
        self._anchor_from_bottom = None
        self._stick_to_bottom = True
        self.scrollToBottom()

    def _on_rows_about_to_be_inserted(self, _parent: QModelIndex, first: int, _last: int) -> None:
        if first == 0 and self._model.rowCount() > 0 and not self._stick_to_bottom:
            # Older rows go on top: keep the same distance from the bottom, so nothing jumps.
            bar = self.verticalScrollBar()
            self._anchor_from_bottom = bar.maximum() - bar.value()

    def _on_data_changed(self, *_args: object) -> None:
        # A status change can change a bubble's size; QListView only re-asks on a layout.
        self.scheduleDelayedItemsLayout()

    def _on_range_changed(self, _minimum: int, maximum: int) -> None:
        bar = self.verticalScrollBar()
        if self._stick_to_bottom:
            bar.setValue(maximum)
        elif self._anchor_from_bottom is not None:
            bar.setValue(maximum - self._anchor_from_bottom)
            self._anchor_from_bottom = None

    def _on_value_changed(self, value: int) -> None:
        bar = self.verticalScrollBar()
        self._stick_to_bottom = value >= bar.maximum() - _BOTTOM_SLACK
        if value <= bar.minimum() and bar.maximum() > 0 and self._model.has_older:
            self._schedule_fetch()

    def _schedule_fetch(self) -> None:
        if not self._fetch_scheduled:
            self._fetch_scheduled = True
            # Not from inside the scroll bar's signal: the model change relayouts the view.
            QTimer.singleShot(0, self, self._fetch_older)

    def _fetch_older(self) -> None:
        self._fetch_scheduled = False
        added = self._model.fetch_older()
        log.debug("fetched %d older messages", added)

    def resizeEvent(self, event: QResizeEvent) -> None:
        # Also called when only the viewport changed (a scroll bar came or went).
        self._delegate.set_width(self.viewport().width())
        was_at_bottom = self._stick_to_bottom
        super().resizeEvent(event)
        if was_at_bottom:
            self._stick_to_bottom = True
            self.scrollToBottom()


class ConversationHeader(QFrame):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("conversationHeader")
        self.title = QLabel(self)
        self.title.setObjectName("conversationTitle")
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.subtitle = QLabel(self)
        self.subtitle.setObjectName("conversationSubtitle")
        self.subtitle.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.tag = QLabel(self)
        self.tag.setObjectName("conversationTag")
        self.tag.hide()
        text = QVBoxLayout()
        text.setSpacing(2)
        text.addWidget(self.title)
        text.addWidget(self.subtitle)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(20, 12, 20, 12)
        layout.addLayout(text, 1)
        layout.addWidget(self.tag, 0, Qt.AlignmentFlag.AlignVCenter)

    def show_conversation(self, row: ConversationRow | None) -> None:
        if row is None:
            self.title.setText("")
            self.subtitle.setText("")
            self.tag.hide()
            return
        self.title.setText(row.title)
        parts = [part for part in (row.subtitle, self._via(row)) if part]
        self.subtitle.setText("  ·  ".join(parts))
        kind_tags = {"group_sms": "Group SMS", "in_app": "In-app", "direct": "SMS"}
        if row.status == "blocked":
            self.tag.setText("Blocked")
            self.tag.setProperty("tone", "danger")
            self.tag.setToolTip(row.blocked_reason or "")
        else:
            self.tag.setText(kind_tags.get(row.kind, row.kind))
            self.tag.setProperty("tone", "neutral")
            self.tag.setToolTip("")
        self.tag.style().unpolish(self.tag)
        self.tag.style().polish(self.tag)
        self.tag.show()

    @staticmethod
    def _via(row: ConversationRow) -> str:
        return f"via {row.number_label}" if row.number_label else ""


class ConversationPanel(QWidget):
    """Header + messages of the open conversation; marks it read while it is shown."""

    conversationUpdated = Signal(object)  # ConversationRow | None, after open or a change

    def __init__(self, service: ConversationService | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("conversationPanel")
        self._service = service
        self._row: ConversationRow | None = None
        self.header = ConversationHeader(self)
        self.model = MessageListModel(service, self)
        self.view = MessageListView(self.model, self)
        self.view.retryRequested.connect(self.retry)
        self.view.discardRequested.connect(self.discard)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.header)
        layout.addWidget(self.view, 1)

    @property
    def conversation_id(self) -> str:
        return self.model.conversation_id

    @property
    def conversation(self) -> ConversationRow | None:
        return self._row

    def set_service(self, service: ConversationService | None) -> None:
        self._service = service
        self.model.set_service(service)
        self._set_row(None)

    def open(self, conversation_id: str) -> None:
        assert_gui_thread()
        row = None
        if self._service is not None and conversation_id:
            row = self._service.conversation(conversation_id)
        self.model.open(conversation_id if row is not None else "")
        self._set_row(row)
        self.view.stick_to_bottom()
        self.mark_read_if_shown()

    def apply_changes(self, changes: ChangeSet) -> None:
        assert_gui_thread()
        conversation_id = self.conversation_id
        if not conversation_id or self._service is None:
            return
        was_at_bottom = self.view.at_bottom()
        # Following the newest message, the model keeps only the newest rows loaded.
        self.model.apply_changes(changes, follow=was_at_bottom)
        if changes.reset or conversation_id in changes.conversations:
            self._set_row(self._service.conversation(conversation_id))
        if was_at_bottom and conversation_id in changes.messages:
            self.view.stick_to_bottom()
        self.mark_read_if_shown()

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
        self.header.show_conversation(row)
        self.conversationUpdated.emit(row)

    def mark_read_if_shown(self) -> None:
        # The user is looking at it: inbound messages are read. Only while shown, so a hidden
        # window does not swallow unread badges.
        row = self._row
        if row is None or row.unread_count <= 0 or self._service is None or not self.isVisible():
            return
        # Not on this thread: the write may queue behind a sync batch (mark_read_soon says).
        self._service.mark_read_soon(row.id)
