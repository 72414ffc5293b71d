"""The message area of a conversation with no messages yet (a group chat just made): instead of
a blank pane, what a first message will do ("No messages yet. Messages you send go to all 3
participants from Listings hotline, (415) 555-0102.").

objectName `noMessagesState` (an EmptyState laid over the message list's viewport, so the list
and its scrolling rules stay as they are). The conversation panel makes one:

    self.no_messages = NoMessages(self)   # follows the panel's model and open conversation
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING

from console.domain.conversations import ConversationKind, ConversationStatus
from console.services.types import SendDenied
from console.ui.empty_state import EmptyState
from console.ui.i18n import QT_TRANSLATE_NOOP, translate
from console.ui.qt import QEvent, QObject, Qt

if TYPE_CHECKING:
    from console.services.chat_details import ChatDetails
    from console.services.types import ConversationRow
    from console.ui.conversation_view import ConversationPanel

TITLE = QT_TRANSLATE_NOOP("NoMessages", "No messages yet")
MEASURE = 440  # the text's widest line, in pixels: readable in a wide pane
SIDE_MARGIN = 24


def send_denied_text(details: ChatDetails | None) -> str | None:
    """Why this user may not write in the chat though nothing blocks it (None: they may)."""
    if details is None or details.send_denied is None:
        return None
    if details.send_denied is SendDenied.NUMBER_NOT_ALLOWED:
        return translate(
            "NoMessages",
            "You may not send from {number}, the number this chat uses. You can still read "
            "it; ask an admin for access to the number to reply.",
        ).format(number=details.denied_number)
    return translate(
        "NoMessages",
        "You cannot send here: this chat's business number is not available to you. You can "
        "still read it.",
    )


def no_messages_text(row: ConversationRow, details: ChatDetails | None) -> str:
    """What the first message will do in `row`, or why there will be none."""
    if row.status is ConversationStatus.BLOCKED:
        return translate(
            "NoMessages",
            "Nothing was sent or received here, and sending is blocked (see above).",
        )
    reason = send_denied_text(details)
    if reason:
        return translate("NoMessages", "Nothing was sent or received here. {reason}").format(
            reason=reason
        )
    number = details.number_display if details is not None else ""
    number = number or row.number_label
    if row.kind is ConversationKind.GROUP_SMS:
        count = len(details.participants) if details is not None else 0
        if count > 1 and number:
            text = translate(
                "NoMessages",
                "Messages you send go to all %n participants from {number}, each as a text "
                "message; their replies show here with who wrote them.",
                None,
                count,
            )
        elif count > 1:
            text = translate(
                "NoMessages",
                "Messages you send go to all %n participants, each as a text message; their "
                "replies show here with who wrote them.",
                None,
                count,
            )
        elif number:
            text = translate(
                "NoMessages",
                "Messages you send go to every participant from {number}, each as a text "
                "message; their replies show here with who wrote them.",
            )
        else:
            text = translate(
                "NoMessages",
                "Messages you send go to every participant, each as a text message; their "
                "replies show here with who wrote them.",
            )
        return text.format(number=number)
    if row.kind is ConversationKind.IN_APP:
        return translate(
            "NoMessages", "Messages you send reach {name} in the app; their replies show here."
        ).format(name=row.title)
    if number:
        return translate(
            "NoMessages",
            "Messages you send go to {name} by SMS from {number}; their replies show here.",
        ).format(name=row.title, number=number)
    return translate(
        "NoMessages", "Messages you send go to {name} by SMS; their replies show here."
    ).format(name=row.title)


class NoMessages(EmptyState):
    def __init__(self, panel: ConversationPanel) -> None:
        viewport = panel.view.viewport()
        super().__init__(
            translate("NoMessages", TITLE), "", viewport, name="noMessagesState", picture_size=56
        )
        # Weakly: a cycle between the panel and this child would leave the panel to the cycle
        # collector, which then destroys it while tearing down its wrappers (a segfault).
        self._panel = weakref.ref(panel)
        # Over the list, not in its way: the list keeps its clicks and its menu.
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        viewport.installEventFilter(self)
        model = panel.model
        for signal in (model.modelReset, model.rowsInserted, model.rowsRemoved):
            signal.connect(self.refresh)
        panel.conversationUpdated.connect(self.refresh)
        self.hide()

    def refresh(self, *_args: object) -> None:
        """Shown while the open conversation has no messages (none loaded means none: the
        model loads the newest window at once)."""
        panel = self._panel()
        if panel is None:
            return
        row = panel.conversation
        empty = row is not None and bool(panel.conversation_id) and panel.model.rowCount() == 0
        if empty and row is not None:
            self.set_text(translate("NoMessages", TITLE), no_messages_text(row, panel.details))
            self._fit()
        self.setVisible(empty)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and watched is self.parentWidget():
            self._fit()
        return False

    def _fit(self) -> None:
        """Cover the viewport, the text kept to a readable measure. By margins, not a maximum
        width on the label: a word-wrapped label with one is given the height of the lines it
        would need at the full width, and its last lines are cut off."""
        viewport = self.parentWidget()
        if viewport is None:
            return
        rect = viewport.rect()
        side = max(SIDE_MARGIN, (rect.width() - MEASURE) // 2)
        layout = self.layout()
        if layout is not None:
            layout.setContentsMargins(side, 0, side, 0)
        self.setGeometry(rect)
