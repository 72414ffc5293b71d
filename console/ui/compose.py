"""Compose: a multi-line editor, a Send button, a live SMS counter and an inline error line.

Ctrl+Enter (or Ctrl+Return) sends, Ctrl+Shift+Enter (or the clock button) schedules it for
later; plain Enter makes a new line. The text is cleared only
after the send handler accepted it; a DomainError's detail is shown inline and the text stays.
Drafts are kept per conversation while switching between them.

What the counter says and what may be sent depends on the conversation (`set_context`, which
the conversation panel keeps current): SMS segments as a carrier cuts them (domain/sms.py) or
"In-app message"; Send is off over the length limit; a group send that costs more than
CONFIRM_ABOVE_SEGMENTS segments in all (segments x participants) asks first; a chat that is
blocked, or whose number this user may not send from, can be read but not written to, and says
why (compose is disabled and takes no focus).

Note mode (`noteToggle`, or Ctrl+Shift+N in the box) writes an internal note for the team
instead: sent to nobody, so no SMS count, schedule or quiet-hours question, and allowed where
sending is blocked. It ends after each note added.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from dataclasses import dataclass, replace

from console.domain.conversations import ConversationKind
from console.domain.errors import DomainError
from console.domain.messages import NOTE_MAX_CHARS
from console.domain.opt_out_hint import with_hint
from console.domain.sms import MAX_BODY_CHARS, segment_info
from console.ui.error_texts import error_text
from console.ui.i18n import translate
from console.ui.qt import (
    QEvent,
    QFontMetricsF,
    QFrame,
    QHBoxLayout,
    QKeyEvent,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSize,
    QSizePolicy,
    Qt,
    QTimer,
    QToolButton,
    QVBoxLayout,
    QWidget,
    Signal,
    Slot,
)
from console.ui.theme import icon

log = logging.getLogger("console.ui.compose")

SendHandler = Callable[..., object]  # (text, *, quiet_hours_override=False)
# Asked before a send: True lets it go; False holds it (the guard asks the user, then calls
# send_anyway or schedules it); the text stays in the box meanwhile.
SendGuard = Callable[[str], bool]
# Adds an internal note (text) to the open conversation: for the team, sent to nobody.
NoteHandler = Callable[[str], object]

MIN_LINES = 2
MAX_LINES = 8
# A group send costing more SMS than this in all (segments x participants) asks first: each
# participant gets every segment, so 2 segments to 9 people are 18 messages billed.
CONFIRM_ABOVE_SEGMENTS = 3


@dataclass(frozen=True, slots=True)
class ComposeContext:
    """What compose needs to know about a conversation besides its send handler."""

    kind: ConversationKind = ConversationKind.DIRECT
    recipients: int = 1  # a group chat's participants: each gets every segment
    # Why nothing can be sent here (blocked, or the number is not this user's to send from).
    read_only_reason: str | None = None
    # What the server adds to the first text here (the number's opt-out hint), counted too.
    opt_out_hint: str = ""

    @property
    def is_sms(self) -> bool:
        return self.kind != ConversationKind.IN_APP


def counter_text(text: str, context: ComposeContext) -> str:
    """ "42 chars - 1 SMS segment (GSM-7)", "12 chars - In-app message", or with the total of
    a group send: "200 chars - 2 SMS segments (GSM-7) x 3 participants = 6 SMS". A first text
    is counted with the opt-out hint the server adds, and says so."""
    body = sent_text(text, context)
    chars = len(body)
    chars_text = translate("ComposeWidget", "%n char(s)", None, chars)
    if not context.is_sms:
        counter = translate("ComposeWidget", "{chars} - In-app message").format(chars=chars_text)
    else:
        info = segment_info(body)
        segments = translate("ComposeWidget", "%n SMS segment(s)", None, info.segments)
        counter = translate("ComposeWidget", "{chars} - {segments} ({encoding})").format(
            chars=chars_text, segments=segments, encoding=info.encoding
        )
        if context.kind == ConversationKind.GROUP_SMS and context.recipients > 1 and info.segments:
            counter = translate(
                "ComposeWidget", "{counter} x %n participants = {total} SMS", None,
                context.recipients,
            ).format(counter=counter, total=info.segments * context.recipients)
    if context.opt_out_hint and context.is_sms:
        counter = translate("ComposeWidget", "{counter} - with the opt-out hint").format(
            counter=counter)
    if chars > MAX_BODY_CHARS:
        counter = translate("ComposeWidget", "{counter} - over the {limit}-character limit").format(
            counter=counter, limit=MAX_BODY_CHARS
        )
    return counter


def sent_text(text: str, context: ComposeContext) -> str:
    """What goes out for `text`: with the opt-out hint when it is the first text here."""
    body = text.strip()
    return with_hint(body, context.opt_out_hint) if body and context.is_sms else body


def group_send_cost(text: str, context: ComposeContext) -> tuple[int, int]:
    """(segments of the message, SMS billed in all) for a group chat; (0, 0) otherwise."""
    if context.kind != ConversationKind.GROUP_SMS:
        return 0, 0
    segments = segment_info(sent_text(text, context)).segments
    return segments, segments * max(context.recipients, 1)


def note_counter_text(text: str) -> str:
    """What the counter says in note mode: no SMS segments, a note goes to nobody."""
    counter = translate("ComposeWidget", "Internal note · not sent")
    if len(text.strip()) > NOTE_MAX_CHARS:
        counter = translate("ComposeWidget", "{counter} - over the {limit}-character limit").format(
            counter=counter, limit=NOTE_MAX_CHARS
        )
    return counter


class ComposeEdit(QPlainTextEdit):
    """objectName `composeEdit`. Emits submitted on Ctrl+Enter instead of inserting a line."""

    submitted = Signal()
    scheduleWanted = Signal()  # Ctrl+Shift+Enter
    templateWanted = Signal()  # Ctrl+T
    noteWanted = Signal()  # Ctrl+Shift+N: note mode on or off

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("composeEdit")
        self.setAccessibleName(translate("ComposeEdit", "Message text"))
        self.setAccessibleDescription(translate("ComposeEdit", "Type a message. Ctrl+Enter sends."))
        self.setPlaceholderText(
            translate("ComposeWidget", "Write a message…  (Ctrl+Enter to send)")
        )
        self.setTabChangesFocus(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.document().documentLayout().documentSizeChanged.connect(self._fit_height)
        self._fit_height()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if (event.key() == Qt.Key.Key_T
                and event.modifiers() == Qt.KeyboardModifier.ControlModifier):
            event.accept()
            self.templateWanted.emit()
            return
        if (event.key() == Qt.Key.Key_N and event.modifiers() == (
                Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)):
            event.accept()
            self.noteWanted.emit()
            return
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if enter and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            event.accept()
            if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                self.scheduleWanted.emit()
            else:
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
    # Schedule… (or Ctrl+Shift+Enter): the text to schedule in the open conversation. The
    # owner asks when, and calls take_scheduled() once it is kept.
    scheduleRequested = Signal(str)
    # Templates… (or Ctrl+T): the owner opens the picker and calls insert_text() with the
    # template as it reads in this conversation.
    templateRequested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("compose")
        self._handler: SendHandler | None = None
        self._conversation_id = ""
        self._drafts: dict[str, str] = {}
        self._blocked_reason: str | None = None  # set_blocked: the chat is blocked
        self._contexts: dict[str, ComposeContext] = {}
        self._context = ComposeContext()
        self.confirm_box: QMessageBox | None = None  # the open "send to N people?" question
        self._guard: SendGuard | None = None
        self._reason_shown = False  # the error line holds read_only_reason(), not an error
        # Internal notes (set_conversation's `note_handler`): note mode writes one instead of
        # sending. It is off again after each note, so a note is always a deliberate choice.
        self._note_handler: NoteHandler | None = None
        self._note_mode = False

        self.edit = ComposeEdit(self)
        self.send_button = QPushButton(translate("ComposeWidget", "Send"), self)
        self.send_button.setObjectName("sendButton")
        self.send_button.setAccessibleName(translate("ComposeWidget", "Send message"))
        self.send_button.setToolTip(translate("ComposeWidget", "Send (Ctrl+Enter)"))
        self.send_button.setIcon(icon("send"))
        self.send_button.setIconSize(QSize(16, 16))
        self.send_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.schedule_button = QToolButton(self)
        self.schedule_button.setObjectName("scheduleButton")
        self.schedule_button.setIcon(icon("clock"))
        self.schedule_button.setIconSize(QSize(18, 18))
        self.schedule_button.setAutoRaise(True)
        self.schedule_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.schedule_button.setToolTip(
            translate("ComposeWidget", "Schedule for later… (Ctrl+Shift+Enter)")
        )
        self.schedule_button.setAccessibleName(translate("ComposeWidget", "Schedule message"))
        self.schedule_button.setAccessibleDescription(translate(
            "ComposeWidget", "Choose a date and time; the server sends the message then."
        ))
        self.template_button = QToolButton(self)
        self.template_button.setObjectName("templateButton")
        self.template_button.setIcon(icon("template"))
        self.template_button.setIconSize(QSize(18, 18))
        self.template_button.setAutoRaise(True)
        self.template_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.template_button.setToolTip(translate("ComposeWidget", "Insert a template… (Ctrl+T)"))
        self.template_button.setAccessibleName(translate("ComposeWidget", "Insert template"))
        self.template_button.setAccessibleDescription(translate(
            "ComposeWidget", "Pick a saved text; names and numbers fill in for this conversation."
        ))
        self.note_toggle = QToolButton(self)
        self.note_toggle.setObjectName("noteToggle")
        self.note_toggle.setCheckable(True)
        self.note_toggle.setIcon(icon("note"))
        self.note_toggle.setIconSize(QSize(18, 18))
        self.note_toggle.setAutoRaise(True)
        self.note_toggle.setCursor(Qt.CursorShape.PointingHandCursor)
        self.note_toggle.setToolTip(translate("ComposeWidget", "Internal note (Ctrl+Shift+N)"))
        self.note_toggle.setAccessibleName(translate("ComposeWidget", "Internal note"))
        self.note_toggle.setAccessibleDescription(translate(
            "ComposeWidget", "Write a note only your team sees; it is sent to nobody."
        ))
        self.counter = QLabel(self)
        self.counter.setObjectName("composeCounter")
        self.counter.setAccessibleName(translate("ComposeWidget", "Message size"))
        self.counter.setMinimumHeight(16)  # keeps its line while empty: compose does not jump
        self.error = QLabel(self)
        self.error.setObjectName("composeError")
        self.error.setAccessibleName(translate("ComposeWidget", "Send error"))
        self.error.setWordWrap(True)
        self.error.hide()

        row = QHBoxLayout()
        row.setSpacing(10)
        row.addWidget(self.edit, 1)
        row.addWidget(self.note_toggle, 0, Qt.AlignmentFlag.AlignBottom)
        row.addWidget(self.template_button, 0, Qt.AlignmentFlag.AlignBottom)
        row.addWidget(self.schedule_button, 0, Qt.AlignmentFlag.AlignBottom)
        row.addWidget(self.send_button, 0, Qt.AlignmentFlag.AlignBottom)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 10, 16, 10)
        layout.setSpacing(6)
        layout.addWidget(self.error)
        layout.addLayout(row)
        layout.addWidget(self.counter)

        self.edit.textChanged.connect(self._on_text_changed)
        self.edit.submitted.connect(self.submit)
        self.edit.scheduleWanted.connect(self.request_schedule)
        self.edit.templateWanted.connect(self.request_template)
        self.template_button.clicked.connect(self.request_template)
        self.note_toggle.toggled.connect(self.set_note_mode)
        self.edit.noteWanted.connect(self.toggle_note_mode)
        self.send_button.clicked.connect(self.submit)
        self.schedule_button.clicked.connect(self.request_schedule)
        self._on_text_changed()

    # -- public -------------------------------------------------------------------------------
    @property
    def conversation_id(self) -> str:
        return self._conversation_id

    def text(self) -> str:
        return self.edit.toPlainText()

    @property
    def context(self) -> ComposeContext:
        return self._context

    def set_conversation(
        self, conversation_id: str, handler: SendHandler | None,
        note_handler: NoteHandler | None = None,
    ) -> None:
        """Point compose at a conversation (its draft comes back), or at none (disabled).
        `note_handler`: adds an internal note there (None: no note mode)."""
        if conversation_id == self._conversation_id and handler is self._handler:
            self._note_handler = note_handler if conversation_id else None
            if self._note_handler is None:
                self._leave_note_mode()
            self.note_toggle.setEnabled(self._note_handler is not None)
            return
        # Note mode never carries over to another chat: a reply meant for the person there
        # would quietly become a note nobody outside the team sees.
        self._note_handler = note_handler if conversation_id else None
        self._leave_note_mode()
        if self._conversation_id:
            self._drafts[self._conversation_id] = self.text()
        self._close_confirm()
        self._conversation_id = conversation_id
        self._handler = handler if conversation_id else None
        self._blocked_reason = None
        self._context = self._contexts.get(conversation_id, ComposeContext())
        self.clear_error()
        self.edit.setPlainText(self._drafts.pop(conversation_id, "") if conversation_id else "")
        self._apply_state()
        self._on_text_changed()

    def set_context(self, conversation_id: str, context: ComposeContext) -> None:
        """What `conversation_id` is (kind, participants, whether this user may write in it).

        Kept per conversation, so it may come before or after `set_conversation`."""
        self._contexts[conversation_id] = context
        if conversation_id == self._conversation_id and context != self._context:
            self._context = context
            self._apply_state()
            self._on_text_changed()

    def set_blocked(self, reason: str | None) -> None:
        """A blocked conversation can be read but not written to; say why instead."""
        if reason == self._blocked_reason:
            return
        self._blocked_reason = reason
        self._apply_state()

    def read_only_reason(self) -> str | None:
        """Why nothing can be sent in the current conversation (None: it can)."""
        return self._blocked_reason or self._context.read_only_reason

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def clear_error(self) -> None:
        self.error.clear()
        self.error.hide()

    def submit(self) -> bool:
        """Send the text through the handler; True if it was accepted (and cleared).

        A group send over CONFIRM_ABOVE_SEGMENTS SMS in all asks first (False for now; the
        answer sends it)."""
        if self._note_mode:
            return self._add_note_now()
        if not self.send_button.isEnabled() or self._handler is None:
            return False
        segments, total = group_send_cost(self.text(), self._context)
        if total > CONFIRM_ABOVE_SEGMENTS:
            self._ask_before_sending(segments, total)
            return False
        return self._send_now()

    def request_schedule(self) -> bool:
        """Ask the owner to schedule the text (it opens the schedule dialog); False when there
        is nothing that could be sent here (nor in note mode: a note is never scheduled)."""
        if self._note_mode or not self.send_button.isEnabled() or self._handler is None:
            return False
        self.scheduleRequested.emit(self.text())
        return True

    def request_template(self) -> bool:
        """Ask the owner for a template to insert; False when nothing can be written here."""
        if not self.edit.isEnabled() or self._handler is None:
            return False
        self.templateRequested.emit()
        return True

    def insert_text(self, text: str) -> None:
        """Put `text` where the cursor is (over a selection), as typing it would."""
        if not self.edit.isEnabled():
            return
        self.edit.insertPlainText(text)
        self.edit.setFocus()

    def take_scheduled(self, conversation_id: str, text: str) -> None:
        """`text` was kept for later in `conversation_id`: clear it from the box (or from
        that conversation's draft) unless something else was typed since."""
        if conversation_id == self._conversation_id:
            if self.text().strip() == text.strip():
                self.clear_error()
                self.edit.clear()
                self.edit.setFocus()
        elif self._drafts.get(conversation_id, "").strip() == text.strip():
            self._drafts.pop(conversation_id, None)

    def set_send_guard(self, guard: SendGuard | None) -> None:
        """What is asked before each send (quiet hours: console/ui/scheduled_sends.py)."""
        self._guard = guard

    def send_anyway(self, conversation_id: str, text: str) -> bool:
        """Send `text` as the user chose after a warning (recorded as sent anyway), if that
        conversation is still open with that text."""
        if conversation_id != self._conversation_id or self.text().strip() != text.strip():
            return False
        return self._send_now(guarded=False)

    def _ask_before_sending(self, segments: int, total: int) -> None:
        if self.confirm_box is not None:
            return
        people = self._context.recipients
        box = QMessageBox(self)
        box.setObjectName("groupSendConfirm")
        box.setWindowTitle(translate("ComposeWidget", "Send to the whole group?"))
        box.setIcon(QMessageBox.Icon.Question)
        parts = translate("ComposeWidget", "%n SMS segment(s)", None, segments)
        box.setText(
            translate(
                "ComposeWidget", "This message goes out as {total} SMS: {parts} to each of %n "
                "participants.", None, people,
            ).format(total=total, parts=parts)
        )
        box.setInformativeText(translate(
            "ComposeWidget", "Every participant gets every segment, and each is billed. Send it?"
        ))
        send = box.addButton(translate("ComposeWidget", "Send"), QMessageBox.ButtonRole.AcceptRole)
        send.setObjectName("groupSendConfirmSend")
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        conversation_id = self._conversation_id

        def answered() -> None:
            self.confirm_box = None
            clicked = box.clickedButton()
            accepted = clicked is not None and (
                box.buttonRole(clicked) == QMessageBox.ButtonRole.AcceptRole
            )
            if accepted and conversation_id == self._conversation_id:
                self._send_now()
            elif self.edit.isEnabled():
                self.edit.setFocus()

        box.finished.connect(answered)
        self.confirm_box = box
        box.open()  # not exec(): no nested event loop

    def _close_confirm(self) -> None:
        box, self.confirm_box = self.confirm_box, None
        if box is not None:
            box.reject()

    def _send_now(self, *, guarded: bool = True) -> bool:
        if not self.send_button.isEnabled() or self._handler is None:
            return False
        text = self.text()
        if guarded and self._guard is not None and not self._guard(text):
            return False  # held: the guard asks the user what to do
        try:
            result = (self._handler(text) if guarded
                      else self._handler(text, quiet_hours_override=True))
        except DomainError as error:
            # A rule the user can fix: keep the text.
            self.show_error(error_text(error.code, error.detail))
            return False
        except Exception:
            log.exception("sending failed")
            self.show_error(translate(
                "ComposeWidget", "The message could not be saved. Your text is kept; try again."
            ))
            return False
        self.clear_error()
        self.edit.clear()
        self.edit.setFocus()
        if self._context.opt_out_hint:  # the first text went with it: the next ones do not
            self._context = replace(self._context, opt_out_hint="")
            self._contexts[self._conversation_id] = self._context
            self._on_text_changed()
        self.sent.emit(result)
        return True

    # -- internal notes -----------------------------------------------------------------------
    @property
    def note_mode(self) -> bool:
        return self._note_mode

    @Slot(bool)
    def set_note_mode(self, on: bool, *, focus: bool = True) -> None:
        """Write an internal note (for the team, sent to nobody) instead of a message.
        `focus`: the user asked (button, shortcut), so the box takes the focus to write in."""
        on = on and self._note_handler is not None
        if on == self._note_mode:
            self.note_toggle.setChecked(on)
            return
        self._note_mode = on
        self.note_toggle.setChecked(on)
        self._close_confirm()
        # The edit looks different in note mode (style.qss #composeEdit[note="true"]).
        self.edit.setProperty("note", on)
        self.edit.style().unpolish(self.edit)
        self.edit.style().polish(self.edit)
        self.send_button.setText(
            translate("ComposeWidget", "Add note") if on else translate("ComposeWidget", "Send")
        )
        self.send_button.setAccessibleName(
            translate("ComposeWidget", "Add internal note") if on
            else translate("ComposeWidget", "Send message")
        )
        self.send_button.setToolTip(
            translate("ComposeWidget", "Add note (Ctrl+Enter)") if on
            else translate("ComposeWidget", "Send (Ctrl+Enter)")
        )
        self._apply_state()
        self._on_text_changed()
        if focus and self.edit.isEnabled() and self.isVisible():
            self.edit.setFocus()

    def toggle_note_mode(self) -> None:
        self.set_note_mode(not self._note_mode)

    def _leave_note_mode(self) -> None:
        # Not asked by the user (a note added, another chat opened): the focus stays put,
        # e.g. in the conversation list while arrow keys browse it.
        if self._note_mode:
            self.set_note_mode(False, focus=False)

    def _add_note_now(self) -> bool:
        if not self.send_button.isEnabled() or self._note_handler is None:
            return False
        try:
            result = self._note_handler(self.text())
        except DomainError as error:
            self.show_error(error_text(error.code, error.detail))
            return False
        except Exception:
            log.exception("adding a note failed")
            self.show_error(translate(
                "ComposeWidget", "The note could not be saved. Your text is kept; try again."
            ))
            return False
        self.clear_error()
        self.edit.clear()
        self._leave_note_mode()  # each note is deliberate: the next text is a message again
        if self.edit.isEnabled():
            self.edit.setFocus()
        self.sent.emit(result)
        return True

    # -- internals ----------------------------------------------------------------------------
    def _on_text_changed(self) -> None:
        text = self.text()
        # Nothing typed, nothing to count: the line stays quiet until there is text.
        counted = note_counter_text(text) if self._note_mode else counter_text(text, self._context)
        self.counter.setText(counted if text.strip() else "")
        if self.error.isVisible() and self.read_only_reason() is None:
            self.clear_error()  # the user is fixing it
        self._update_send_enabled()

    def _apply_state(self) -> None:
        """Enable the editor for a conversation that can be written to; else say why."""
        reason = self.read_only_reason() if self._handler is not None else None
        # A note is not a send: a blocked chat (or one whose number is not this user's)
        # still takes one, so the reason only stops real sends.
        noting = self._note_mode and self._note_handler is not None
        if noting:
            reason = None
        writable = self._handler is not None and reason is None
        self.note_toggle.setEnabled(self._note_handler is not None)
        self.edit.setEnabled(writable)
        self.template_button.setEnabled(writable)
        # A chat that cannot be written to takes no focus (Tab and clicks pass it by).
        self.edit.setFocusPolicy(
            Qt.FocusPolicy.StrongFocus if writable else Qt.FocusPolicy.NoFocus
        )
        self.edit.setPlaceholderText(
            translate("ComposeWidget", "Write an internal note — only your team sees it")
            if noting
            else translate("ComposeWidget", "Write a message…  (Ctrl+Enter to send)")
            if writable or self._handler is None
            else translate("ComposeWidget", "Sending is not possible in this conversation.")
        )
        if reason is not None:
            self.show_error(reason)
            self._close_confirm()
        elif self._reason_shown:
            self.clear_error()
        self._reason_shown = reason is not None
        self._update_send_enabled()

    def _update_send_enabled(self) -> None:
        body = self.text().strip()
        can_send = (
            bool(body)
            and len(sent_text(body, self._context)) <= MAX_BODY_CHARS
            and self._handler is not None
            and self.read_only_reason() is None
        )
        if self._note_mode:
            can_send = (
                bool(body) and len(body) <= NOTE_MAX_CHARS and self._note_handler is not None
            )
        self.send_button.setEnabled(can_send)
        self.schedule_button.setEnabled(can_send and not self._note_mode)
