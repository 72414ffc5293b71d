"""Compose: a multi-line editor, a Send button, a live SMS counter and an inline error line.

Ctrl+Enter (or Ctrl+Return) sends; plain Enter makes a new line. The text is cleared only
after the send handler accepted it; a DomainError's detail is shown inline and the text stays.
Drafts are kept per conversation while switching between them.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable

from console.domain.errors import DomainError
from console.ui.formatting import compose_counter
from console.ui.qt import (
    QEvent,
    QFontMetricsF,
    QFrame,
    QHBoxLayout,
    QKeyEvent,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSize,
    QSizePolicy,
    Qt,
    QTimer,
    QVBoxLayout,
    QWidget,
    Signal,
)
from console.ui.theme import icon

log = logging.getLogger("console.ui.compose")

SendHandler = Callable[[str], object]

MIN_LINES = 2
MAX_LINES = 8


class ComposeEdit(QPlainTextEdit):
    """objectName `composeEdit`. Emits submitted on Ctrl+Enter instead of inserting a line."""

    submitted = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("composeEdit")
        self.setAccessibleName("Message text")
        self.setPlaceholderText("Write a message…  (Ctrl+Enter to send)")
        self.setTabChangesFocus(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.document().documentLayout().documentSizeChanged.connect(self._fit_height)
        self._fit_height()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if enter and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            event.accept()
            self.submitted.emit()
            return
        super().keyPressEvent(event)

    def _fit_height(self, *_args: object) -> None:
        # Grow with the text from MIN_LINES to MAX_LINES, then scroll. The plain-text layout
        # measures its height in lines (wrapped ones included).
        lines = int(self.document().documentLayout().documentSize().height())
        lines = min(max(lines, MIN_LINES), MAX_LINES)
        margins = self.contentsMargins()  # frame and stylesheet padding, once polished
        chrome = int(self.document().documentMargin() * 2) + margins.top() + margins.bottom()
        line_height = math.ceil(QFontMetricsF(self.font()).lineSpacing())  # as the layout rounds
        self.setFixedHeight(lines * line_height + chrome + 2)

    def event(self, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.Polish, QEvent.Type.StyleChange, QEvent.Type.FontChange):
            QTimer.singleShot(0, self, self._fit_height)  # margins are known after polishing
        return super().event(event)


class ComposeWidget(QFrame):
    """Hand it a send handler per conversation; it reports each accepted send via `sent`."""

    sent = Signal(object)  # whatever the handler returned (the pending MessageRow)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("compose")
        self._handler: SendHandler | None = None
        self._conversation_id = ""
        self._drafts: dict[str, str] = {}
        self._blocked = False

        self.edit = ComposeEdit(self)
        self.send_button = QPushButton("Send", self)
        self.send_button.setObjectName("sendButton")
        self.send_button.setAccessibleName("Send message")
        self.send_button.setToolTip("Send (Ctrl+Enter)")
        self.send_button.setIcon(icon("send"))
        self.send_button.setIconSize(QSize(16, 16))
        self.send_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.counter = QLabel(self)
        self.counter.setObjectName("composeCounter")
        self.counter.setMinimumHeight(16)  # keeps its line while empty: compose does not jump
        self.error = QLabel(self)
        self.error.setObjectName("composeError")
        self.error.setAccessibleName("Send error")
        self.error.setWordWrap(True)
        self.error.hide()

        row = QHBoxLayout()
        row.setSpacing(10)
        row.addWidget(self.edit, 1)
        row.addWidget(self.send_button, 0, Qt.AlignmentFlag.AlignBottom)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 10, 16, 10)
        layout.setSpacing(6)
        layout.addWidget(self.error)
        layout.addLayout(row)
        layout.addWidget(self.counter)

        self.edit.textChanged.connect(self._on_text_changed)
        self.edit.submitted.connect(self.submit)
        self.send_button.clicked.connect(self.submit)
        self._on_text_changed()

    # -- public -------------------------------------------------------------------------------
    @property
    def conversation_id(self) -> str:
        return self._conversation_id

    def text(self) -> str:
        return self.edit.toPlainText()

    def set_conversation(self, conversation_id: str, handler: SendHandler | None) -> None:
        """Point compose at a conversation (its draft comes back), or at none (disabled)."""
        if conversation_id == self._conversation_id and handler is self._handler:
            return
        if self._conversation_id:
            self._drafts[self._conversation_id] = self.text()
        self._conversation_id = conversation_id
        self._handler = handler if conversation_id else None
        self._blocked = False
        self.clear_error()
        self.edit.setPlainText(self._drafts.pop(conversation_id, "") if conversation_id else "")
        self.edit.setEnabled(self._handler is not None)
        self._update_send_enabled()

    def set_blocked(self, reason: str | None) -> None:
        """A blocked conversation can be read but not written to; say why instead."""
        self._blocked = reason is not None
        self.edit.setReadOnly(self._blocked)
        if reason is not None:
            self.show_error(reason)
        else:
            self.clear_error()
        self._update_send_enabled()

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def clear_error(self) -> None:
        self.error.clear()
        self.error.hide()

    def submit(self) -> bool:
        """Send the text through the handler; True if it was accepted (and cleared)."""
        if not self.send_button.isEnabled() or self._handler is None:
            return False
        text = self.text()
        try:
            result = self._handler(text)
        except DomainError as error:
            self.show_error(error.detail)  # a rule the user can fix: keep the text
            return False
        except Exception:
            log.exception("sending failed")
            self.show_error("The message could not be saved. Your text is kept; try again.")
            return False
        self.clear_error()
        self.edit.clear()
        self.edit.setFocus()
        self.sent.emit(result)
        return True

    # -- internals ----------------------------------------------------------------------------
    def _on_text_changed(self) -> None:
        text = self.text()
        # Nothing typed, nothing to count: the line stays quiet until there is text.
        self.counter.setText(compose_counter(text) if text.strip() else "")
        if self.error.isVisible() and not self._blocked:
            self.clear_error()  # the user is fixing it
        self._update_send_enabled()

    def _update_send_enabled(self) -> None:
        has_text = bool(self.text().strip())
        self.send_button.setEnabled(has_text and self._handler is not None and not self._blocked)
