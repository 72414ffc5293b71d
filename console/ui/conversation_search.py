"""Find in the open conversation (Ctrl+F): a bar over the messages, like a browser's.

    search = ConversationSearch(panel)      # ConversationPanel owns one; it adds `search.bar`
    search.open()                           # Ctrl+F: show, focus, select what was typed
    search.next() / search.previous()       # Enter / Shift+Enter, F3 / Shift+F3, the arrows
    search.close()                          # Esc or the x: marks go, focus goes back

It searches the whole conversation, not the loaded rows: ConversationService.find (History's
index and query rules) runs on a worker for each pause in typing; an answer to older text is
dropped. Matches run newest first: the first is the newest, Next goes further back, and the
ends wrap with a hint. The current match is revealed (a far one opens a window around it:
ConversationPanel.reveal_message) and painted more strongly than the others.

Kept correct as messages arrive (the search runs again, keeping the current match) and closed
when another conversation opens (its words were about this one; Ctrl+F there starts afresh).

Object names: `conversationSearchBar` (the bar), `conversationSearch` (QLineEdit),
`conversationSearchNext`, `conversationSearchPrevious`, `conversationSearchCount` ("3 of 17",
"No matches"), `conversationSearchClose`, `conversationSearchHint` (wrapped, or a failure).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from console.services.cancel import Cancellation
from console.timing import FIND_TYPING_PAUSE_MS
from console.ui.i18n import QT_TRANSLATE_NOOP, translate
from console.ui.qt import (
    QAction,
    QApplication,
    QFrame,
    QHBoxLayout,
    QKeyEvent,
    QKeySequence,
    QLabel,
    QLineEdit,
    QObject,
    Qt,
    QTimer,
    QToolButton,
    QWidget,
    Signal,
)
from console.ui.tasks import TaskRunner
from console.ui.theme import set_themed_style

if TYPE_CHECKING:
    from console.services.conversations import ConversationMatches, ConversationService
    from console.ui.message_model import MessageListModel

log = logging.getLogger("console.ui.conversation_search")

TYPING_PAUSE_MS = FIND_TYPING_PAUSE_MS  # console/timing.py
HINT_MS = 2500  # how long "wrapped" stays up
# Shown through translate("ConversationSearch", ...).
WRAP_TO_NEWEST = QT_TRANSLATE_NOOP(
    "ConversationSearch", "Reached the oldest match \u2014 continued from the newest"
)
WRAP_TO_OLDEST = QT_TRANSLATE_NOOP(
    "ConversationSearch", "Reached the newest match \u2014 continued from the oldest"
)
FAILED = QT_TRANSLATE_NOOP(
    "ConversationSearch", "Search failed \u2014 try again, or use History (Ctrl+5)"
)

BAR_STYLE = """
#conversationSearchBar { background: $surface_alt; border-bottom: 1px solid $control_border; }
#conversationSearch {
    border: 1px solid $control_border; border-radius: 6px; padding: 4px 8px; background: $surface;
}
#conversationSearch:focus { border-color: $accent; }
#conversationSearchCount { color: $text_secondary; font-size: 9pt; min-width: 70px; }
#conversationSearchCount[empty="true"] { color: $danger_text; }
#conversationSearchHint { color: $warning_text; font-size: 9pt; }
#conversationSearchBar QToolButton {
    border: 1px solid transparent; border-radius: 6px; padding: 3px 6px; background: transparent;
}
#conversationSearchBar QToolButton:hover { background: $inbound; border-color: $control_border; }
#conversationSearchBar QToolButton:disabled { color: $faint; }
"""


class _Field(QLineEdit):
    """The search field: Enter / Shift+Enter step through matches, Esc closes."""

    step = Signal(int)  # +1 next (older), -1 previous (newer)
    escape = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
            self.step.emit(-1 if shift else 1)
            return
        if event.key() == Qt.Key.Key_Escape:
            self.escape.emit()
            return
        super().keyPressEvent(event)


class ConversationSearchBar(QFrame):
    """The widgets; ConversationSearch gives them their behaviour."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conversationSearchBar")
        set_themed_style(self, BAR_STYLE)
        self.field = _Field(self)
        self.field.setObjectName("conversationSearch")
        self.field.setAccessibleName(translate("ConversationSearchBar", "Find in conversation"))
        self.field.setPlaceholderText(translate("ConversationSearchBar", "Find in conversation"))
        self.field.setToolTip(translate(
            "ConversationSearchBar",
            "Words in this conversation's messages (all of it, not only what is loaded). "
            "Enter: older match, Shift+Enter: newer; Esc closes.",
        ))
        self.field.setClearButtonEnabled(True)
        self.count = QLabel("", self)
        self.count.setObjectName("conversationSearchCount")
        self.count.setAccessibleName(translate("ConversationSearchBar", "Matches"))
        self.hint = QLabel("", self)
        self.hint.setObjectName("conversationSearchHint")
        self.hint.hide()
        self.previous = self._button(
            "conversationSearchPrevious", "\u25b2",
            translate("ConversationSearchBar", "Newer match (Shift+Enter, Shift+F3)"),
            translate("ConversationSearchBar", "Newer match"),
        )
        self.next = self._button(
            "conversationSearchNext", "\u25bc",
            translate("ConversationSearchBar", "Older match (Enter, F3)"),
            translate("ConversationSearchBar", "Older match"),
        )
        self.close_button = self._button(
            "conversationSearchClose", "\u2715",
            translate("ConversationSearchBar", "Close (Esc)"),
            translate("ConversationSearchBar", "Close"),
        )
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 8, 6)
        layout.setSpacing(6)
        layout.addWidget(self.field, 1)
        layout.addWidget(self.count)
        layout.addWidget(self.previous)
        layout.addWidget(self.next)
        layout.addWidget(self.hint)
        layout.addWidget(self.close_button)

    def _button(self, name: str, text: str, tip: str, accessible: str) -> QToolButton:
        button = QToolButton(self)
        button.setObjectName(name)
        button.setText(text)
        button.setToolTip(tip)
        button.setAccessibleName(accessible)
        button.setAutoRaise(True)
        return button

    def show_count(self, text: str, *, empty: bool = False) -> None:
        self.count.setText(text)
        self.count.setProperty("empty", "true" if empty else "false")
        self.count.style().unpolish(self.count)
        self.count.style().polish(self.count)


Search = Callable[[str, str], "ConversationMatches"]  # (conversation id, text) -> matches
Reveal = Callable[[str], bool]  # message key -> whether it was shown


class ConversationSearch(QObject):
    """The find bar's state: the matches (newest first), the current one, the pending search."""

    changed = Signal()  # the count or the current match changed (tests and the panel wait)

    def __init__(self, host: QWidget, model: MessageListModel, reveal: Reveal) -> None:
        super().__init__(host)
        self._host = host
        self._model = model
        self._reveal = reveal
        self._service: ConversationService | None = None
        self.bar = ConversationSearchBar(host)
        self.bar.hide()
        self._runner: TaskRunner | None = None
        self._in_flight = False
        self._cancel: Cancellation | None = None  # set: the search under way stops
        self._again: str | None = None  # a search waiting for the one under way (its `keep`)
        self._conversation = ""
        self._text = ""
        self._words: tuple[str, ...] = ()
        self._keys: tuple[str, ...] = ()
        self._current = -1
        self._return_focus: QWidget | None = None
        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(TYPING_PAUSE_MS)
        self._pause.timeout.connect(self._run)
        self._hint_timer = QTimer(self)
        self._hint_timer.setSingleShot(True)
        self._hint_timer.timeout.connect(self.bar.hint.hide)

        bar = self.bar
        bar.field.textChanged.connect(self._typed)
        bar.field.step.connect(self._step)
        bar.field.escape.connect(lambda: self.close())
        bar.next.clicked.connect(self.next)
        bar.previous.clicked.connect(self.previous)
        bar.close_button.clicked.connect(lambda: self.close())
        # Ctrl+F wherever the focus is in this window (often the compose box, outside the
        # panel); a hidden panel takes no shortcut, so the Contacts page keeps its own Ctrl+F.
        self._shortcuts = [
            self._shortcut(QKeySequence.StandardKey.Find, self.open),
            self._shortcut(QKeySequence(Qt.Key.Key_F3), self.next),
            self._shortcut(QKeySequence(Qt.Modifier.SHIFT | Qt.Key.Key_F3), self.previous),
        ]
        escape = QAction(translate("ConversationSearch", "Close find"), bar)
        escape.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        escape.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        escape.triggered.connect(lambda: self.close())
        bar.addAction(escape)
        self._update_buttons()

    def _shortcut(
        self, keys: QKeySequence | QKeySequence.StandardKey, slot: Callable[[], None]
    ) -> QAction:
        action = QAction(self._host)
        action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda: slot())
        self._host.addAction(action)
        return action

    # -- state (tests and the panel read it) --------------------------------------------------
    @property
    def keys(self) -> tuple[str, ...]:
        """The matches' message keys, newest first."""
        return self._keys

    @property
    def current_key(self) -> str:
        return self._keys[self._current] if 0 <= self._current < len(self._keys) else ""

    @property
    def searching(self) -> bool:
        """Typed text not yet answered, or a search (or recount) under way."""
        return self._in_flight or self._pause.isActive()

    def is_open(self) -> bool:
        return not self.bar.isHidden()

    # -- wiring -------------------------------------------------------------------------------
    def set_service(self, service: ConversationService | None) -> None:
        self.close()
        self._stop(wait=True)  # its cache may be about to close
        self._service = service

    def conversation_opened(self, conversation_id: str) -> None:
        """Another conversation opened: the bar closes (its words were about the last one)."""
        if conversation_id != self._conversation:
            self.close(restore_focus=False)
        self._conversation = conversation_id

    def messages_changed(self) -> None:
        """Messages of the open conversation arrived or changed: count again."""
        if self.is_open() and self._text:
            self._run(keep=self.current_key, typed=False)

    # -- the user's actions -------------------------------------------------------------------
    def open(self) -> None:
        if not self._conversation or self._service is None:
            return
        focus = QApplication.focusWidget()
        if not self.is_open():
            inside = focus is not None and (focus is self.bar or self.bar.isAncestorOf(focus))
            self._return_focus = focus if focus is not None and not inside else None
            self.bar.show()
            self._update_buttons()
        self.bar.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.bar.field.selectAll()
        if self._text and not self._keys:
            self._run()

    def close(self, *, restore_focus: bool = True) -> None:
        if not self.is_open():
            return
        if self._cancel is not None:
            self._cancel.set()
        self._in_flight, self._again, self._cancel = False, None, None
        self._pause.stop()
        self._stop(wait=False)  # an answer on its way is dropped with the runner
        self.bar.hide()
        self._keys, self._current, self._words = (), -1, ()
        self._model.set_matches((), "")
        self._update_buttons()
        back, self._return_focus = self._return_focus, None
        if restore_focus and back is not None:
            try:
                if back.isVisible():
                    back.setFocus(Qt.FocusReason.OtherFocusReason)
            except RuntimeError:  # deleted meanwhile (its C++ side is gone): nowhere to go back
                pass
        self.changed.emit()

    def next(self) -> None:
        """The next older match (wrapping to the newest)."""
        self._step(1)

    def previous(self) -> None:
        """The next newer match (wrapping to the oldest)."""
        self._step(-1)

    def _step(self, direction: int) -> None:
        if not self.is_open():
            return
        if self._pause.isActive():  # Enter right after typing: search now, then move
            self._pause.stop()
            self._run()
            return
        count = len(self._keys)
        if count == 0:
            return
        target = self._current + direction
        if target >= count:
            target = 0
            self._show_hint(translate("ConversationSearch", WRAP_TO_NEWEST))
        elif target < 0:
            target = count - 1
            self._show_hint(translate("ConversationSearch", WRAP_TO_OLDEST))
        self._go(target)

    # -- searching ----------------------------------------------------------------------------
    def _typed(self, text: str) -> None:
        self._text = text
        self.bar.hint.hide()
        if not text.strip():
            self._again = None  # an answer on its way no longer matches the text: dropped
            if self._cancel is not None:
                self._cancel.set()
            self._pause.stop()
            self._keys, self._current, self._words = (), -1, ()
            self._model.set_matches((), "")
            self._show_count()
            return
        self._pause.start()

    def _run(self, keep: str = "", *, typed: bool = True) -> None:
        """Search the text as it is now; `keep`: the match to stay on (a recount), "" to go
        to the newest (new text)."""
        if self._service is None or not self._conversation or not self._text.strip():
            return
        if self._in_flight:
            # One search at a time: a short prefix over a big cache can take a second, and a
            # queue of them would make the last keystroke wait for all of them. The newest
            # text runs when the one under way ends; new text also stops that one (its answer
            # would be stale), a recount lets it finish (arrivals during a sync would
            # otherwise stop every one).
            if typed:
                self._again = ""
                if self._cancel is not None:
                    self._cancel.set()
            elif self._again is None:
                self._again = keep
        else:
            self._submit(keep)
        self._show_count()

    def _submit(self, keep: str) -> None:
        service, conversation, text = self._service, self._conversation, self._text
        if service is None or not conversation or not text.strip():
            return
        if self._runner is None:
            self._runner = TaskRunner(self, max_workers=1)
        self._in_flight = True
        cancel = self._cancel = Cancellation()
        self._runner.submit(
            lambda: service.find(conversation, text, cancelled=cancel.is_set),
            on_success=lambda found: self._found(conversation, found, keep),
            on_failure=lambda exc: self._failed(conversation, text, exc),
        )

    def _settle(self) -> None:
        """A search ended: start the one that waited, if any."""
        self._in_flight, self._cancel = False, None
        again, self._again = self._again, None
        if again is not None and self.is_open():
            self._submit(again)

    def _found(self, conversation: str, found: ConversationMatches, keep: str) -> None:
        self._settle()
        if conversation != self._conversation or found.text != self._text:
            self._show_count()
            return  # typed on (its search is under way), or another chat
        self._keys, self._words = found.keys, found.words
        if not self._keys:
            self._current = -1
            self._model.set_matches(self._words, "")
            self._show_count()
            return
        if keep and keep in found.keys:  # a recount: stay on the match shown
            self._current = found.keys.index(keep)
            self._model.set_matches(self._words, keep)
            self._show_count()
            return
        self._go(0)

    def _failed(self, conversation: str, text: str, exc: BaseException) -> None:
        from console.services.conversations import SearchCancelled  # loaded by now

        self._settle()
        stale = conversation != self._conversation or text != self._text
        if stale or isinstance(exc, SearchCancelled):
            self._show_count()
            return  # stopped for newer text, or about other text
        log.warning("conversation search failed: %r", exc)
        self._keys, self._current = (), -1
        self._show_count()
        self._show_hint(translate("ConversationSearch", FAILED))

    def _go(self, position: int) -> None:
        self._current = position
        key = self._keys[position]
        self._model.set_matches(self._words, key)
        if not self._reveal(key):
            self._show_hint(
                translate("ConversationSearch", "That message is no longer in this conversation")
            )
        self._show_count()

    # -- showing ------------------------------------------------------------------------------
    def _show_count(self) -> None:
        bar = self.bar
        if not self._text.strip():
            bar.show_count("")
        elif self.searching and not self._keys:
            bar.show_count(translate("ConversationSearch", "Searching…"))
        elif not self._words:
            bar.show_count(translate("ConversationSearch", "Type 2+ letters"), empty=True)
        elif not self._keys:
            bar.show_count(translate("ConversationSearch", "No matches"), empty=True)
        else:
            bar.show_count(
                translate("ConversationSearch", "{current} of {total}").format(
                    current=f"{self._current + 1:,}", total=f"{len(self._keys):,}"
                )
            )
        self._update_buttons()
        self.changed.emit()

    def _update_buttons(self) -> None:
        some = len(self._keys) > 0
        self.bar.next.setEnabled(some)
        self.bar.previous.setEnabled(some)
        for shortcut in self._shortcuts[1:]:
            shortcut.setEnabled(self.is_open())

    def _show_hint(self, text: str) -> None:
        self.bar.hint.setText(text)
        self.bar.hint.show()
        self._hint_timer.start(HINT_MS)

    def _stop(self, *, wait: bool) -> None:
        if self._runner is not None:
            self._runner.shutdown(wait=wait)
            self._runner.deleteLater()
            self._runner = None
