"""The banner across a blocked chat (`blockedBanner`): who blocks it and why, and the way on,
`newGroupWithoutButton` (a new group chat from the same number without them).

A group chat is blocked while a participant has Do Not Disturb on (by an edit, or by texting
STOP); one a carrier started outside the group chat rules is blocked for good. Reading works,
sending does not.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from console.ui.participant_text import short_name
from console.ui.qt import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSize,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from console.ui.theme import icon

if TYPE_CHECKING:
    from console.services.chat_details import ChatDetails, ParticipantRow

BANNER_STYLE = """
#blockedBanner { background: #fdecea; border: none; border-bottom: 1px solid #f6c9c4; }
#blockedBannerText { color: #1d2330; }
#newGroupWithoutButton {
    background: #ffffff; color: #b3261e; border: 1px solid #e8a9a2; border-radius: 8px;
    padding: 6px 12px; font-weight: 600;
}
#newGroupWithoutButton:hover { background: #fff6f5; }
#newGroupWithoutButton:disabled { color: #c9a6a2; border-color: #f0d0cc; }
"""


def _names(people: Sequence[ParticipantRow]) -> str:
    names = list(dict.fromkeys(short_name(p) for p in people))  # in twice: named once
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def banner_text(details: ChatDetails) -> str:
    """Who and why, in words; what to do next."""
    blocking = details.blocking
    if blocking:
        who = _names(blocking)
        verb = "has" if len({short_name(p) for p in blocking}) == 1 else "have"
        return (
            f"<b>Sending is blocked:</b> {who} {verb} Do Not Disturb on (for example after "
            "replying STOP), and a group chat cannot text anyone who opted out. You can still "
            "read it; to keep texting the others, start a new group chat without them."
        )
    reason = details.blocked_reason or "This chat cannot be texted."
    return f"<b>Sending is blocked:</b> {reason}"


def button_text(details: ChatDetails) -> str:
    blocking = details.blocking
    if not blocking:
        return "New group chat"
    names = list(dict.fromkeys(short_name(p) for p in blocking))
    if len(names) == 1:
        return f"New group chat without {names[0]}"
    return f"New group chat without these {len(names)}"


class BlockedBanner(QFrame):
    """objectName `blockedBanner`; emits `newGroupWithout` when its button is pressed."""

    newGroupWithout = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("blockedBanner")
        self.setStyleSheet(BANNER_STYLE)
        self.icon = QLabel(self)
        self.icon.setPixmap(icon("warning").pixmap(QSize(18, 18)))
        self.icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.text = QLabel(self)
        self.text.setObjectName("blockedBannerText")
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.button = QPushButton(self)
        self.button.setObjectName("newGroupWithoutButton")
        self.button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.button.clicked.connect(self.newGroupWithout.emit)
        # The button goes under the text: beside it, a word-wrapped label is squeezed into a
        # narrow column (it reports a small minimum width and the layout takes it at that).
        column = QVBoxLayout()
        column.setSpacing(8)
        column.addWidget(self.text)
        column.addWidget(self.button, 0, Qt.AlignmentFlag.AlignLeft)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(20, 10, 20, 10)
        layout.setSpacing(10)
        layout.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(column, 1)
        self.hide()

    def show_for(self, details: ChatDetails | None) -> None:
        """Show the banner for a blocked chat (hidden for any other)."""
        if details is None or not details.is_blocked:
            self.hide()
            return
        text = banner_text(details)
        self.text.setText(text)
        plain = self.text.text().replace("<b>", "").replace("</b>", "")
        self.setAccessibleName(plain)
        self.setToolTip(details.blocked_reason or "")
        # A group chat offers a new one from the same number; a blocked 1:1 has nothing to offer.
        offer = details.is_group and details.number_id is not None
        self.button.setVisible(offer)
        if offer:
            self.button.setText(button_text(details))
            others = len(details.others_for_new_chat())
            self.button.setAccessibleName(button_text(details))
            self.button.setToolTip(
                f"Opens a new group chat from the same number with the {others} other "
                f"participant{'s' if others != 1 else ''} who can still be texted; you can add "
                "people there."
            )
        self.show()
