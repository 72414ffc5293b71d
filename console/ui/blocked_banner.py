"""The banner across a blocked chat (`blockedBanner`): who blocks it and why, and the way on:
`newGroupWithoutButton` (a new group chat from the same number without them), or, once such a
chat exists, `openReplacementButton` (open it).

A group chat is blocked while a participant has Do Not Disturb on (by an edit, or by texting
STOP); one a carrier started outside the group chat rules is blocked for good. Reading works,
sending does not.

Why a replaced chat offers no second "New group chat without ...": the conversation goes on in
the replacement, and the way on from there is the replacement's own banner (if it is blocked
too, its "without ..." drops its own blockers and keeps the chain: each chat replaced by the
next). A second replacement of this chat would fork the thread, and the server keeps only the
newest as `replaced_by`, so the first would lose its "Replaced by" link. Who really wants
another chat from this one still has the row menu's "New group chat with these people" (the
button's tooltip says so).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING

from console.domain.conversations import ConversationStatus
from console.domain.errors import ErrorCode
from console.ui.error_texts import error_text
from console.ui.i18n import translate
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
from console.ui.theme import icon, set_themed_style

if TYPE_CHECKING:
    from console.services.chat_details import ChatDetails, ParticipantRow
    from console.services.conversations import ConversationService
    from console.services.types import ConversationRow

BANNER_STYLE = """
#blockedBanner { background: $danger_soft; border: none; border-bottom: 1px solid $danger_border; }
#blockedBannerText { color: $text; }
#newGroupWithoutButton, #openReplacementButton {
    background: $surface; color: $danger_text; border: 1px solid $danger_border; border-radius: 8px;
    padding: 6px 12px; font-weight: 600;
}
#newGroupWithoutButton:hover, #openReplacementButton:hover { background: $danger_soft; }
#newGroupWithoutButton:disabled { color: $danger_border; border-color: $danger_border; }
"""


@dataclass(frozen=True, slots=True)
class Replacement:
    """The chat started instead of a blocked one, as far as this user's cache knows it."""

    conversation_id: str
    title: str
    blocked: bool  # blocked too (someone in it has Do Not Disturb on)


def replacement_of(
    service: ConversationService | None, row: ConversationRow | None
) -> Replacement | None:
    """The replacement of `row`, if it names one this user has in the cache (a pending one
    counts: it opens like any other)."""
    if service is None or row is None or not row.replaced_by:
        return None
    other = service.conversation(row.replaced_by)
    if other is None:
        return None
    return Replacement(other.id, other.title, other.status is ConversationStatus.BLOCKED)


def _names(people: Sequence[ParticipantRow]) -> str:
    names = list(dict.fromkeys(short_name(p) for p in people))  # in twice: named once
    if len(names) <= 1:
        return "".join(names)
    return translate("BlockedBanner", "{names} and {last}").format(
        names=", ".join(names[:-1]), last=names[-1]
    )


def reason_text(details: ChatDetails) -> str:
    """Why the chat is blocked, in the user's language (the server's words in English)."""
    if not details.blocked_reason:
        return ""
    code = ErrorCode.GROUP_CHAT_BLOCKED if details.is_group else ErrorCode.PARTICIPANT_DND
    return error_text(code, details.blocked_reason)


def banner_text(details: ChatDetails, replacement: Replacement | None = None) -> str:
    """Who and why, in words; what to do next."""
    blocking = details.blocking
    if blocking:
        who = _names(blocking)
        if len({short_name(p) for p in blocking}) == 1:
            why = translate(
                "BlockedBanner",
                "<b>Sending is blocked:</b> {who} has Do Not Disturb on (for example after "
                "replying STOP), and a group chat cannot text anyone who opted out.",
            )
        else:
            why = translate(
                "BlockedBanner",
                "<b>Sending is blocked:</b> {who} have Do Not Disturb on (for example after "
                "replying STOP), and a group chat cannot text anyone who opted out.",
            )
        if replacement is None:
            then = translate(
                "BlockedBanner",
                "You can still read it; to keep texting the others, start a new group chat "
                "without them.",
            )
        elif replacement.blocked:
            then = translate(
                "BlockedBanner",
                "You can still read it; the conversation went on in \u201c{title}\u201d, which is "
                "blocked too: open it to start a new chat from there.",
            )
        else:
            then = translate(
                "BlockedBanner",
                "You can still read it; the conversation goes on in \u201c{title}\u201d, started "
                "instead of this one.",
            )
        title = escape(replacement.title) if replacement is not None else ""
        return why.format(who=who) + " " + then.format(title=title)
    reason = reason_text(details) or translate("BlockedBanner", "This chat cannot be texted.")
    blocked = translate("BlockedBanner", "<b>Sending is blocked:</b> {reason}").format(
        reason=reason
    )
    if replacement is None:
        return blocked
    return blocked + " " + _continues(replacement)


def _continues(replacement: Replacement) -> str:
    title = escape(replacement.title)
    if replacement.blocked:
        return translate(
            "BlockedBanner",
            "The conversation went on in \u201c{title}\u201d, which is blocked too: open it "
            "to start a new chat from there.",
        ).format(title=title)
    return translate(
        "BlockedBanner",
        "The conversation goes on in \u201c{title}\u201d, started instead of this one.",
    ).format(title=title)


def button_text(details: ChatDetails) -> str:
    blocking = details.blocking
    if not blocking:
        return translate("BlockedBanner", "New group chat")
    names = list(dict.fromkeys(short_name(p) for p in blocking))
    if len(names) == 1:
        return translate("BlockedBanner", "New group chat without {name}").format(name=names[0])
    return translate("BlockedBanner", "New group chat without these %n", None, len(names))


def open_text(replacement: Replacement) -> str:
    if replacement.blocked:
        return translate("BlockedBanner", "Open \u201c{title}\u201d (blocked too)").format(
            title=replacement.title
        )
    return translate("BlockedBanner", "Open \u201c{title}\u201d").format(title=replacement.title)


class BlockedBanner(QFrame):
    """objectName `blockedBanner`; emits `newGroupWithout` when its button is pressed, or, for a
    chat already replaced, `openReplacement(id)` from `openReplacementButton`."""

    newGroupWithout = Signal()
    openReplacement = Signal(str)  # the replacement's conversation id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("blockedBanner")
        set_themed_style(self, BANNER_STYLE)
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
        self.open_button = QPushButton(self)
        self.open_button.setObjectName("openReplacementButton")
        self.open_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.open_button.clicked.connect(self._open_replacement)
        self.open_button.hide()
        # The button goes under the text: beside it, a word-wrapped label is squeezed into a
        # narrow column (it reports a small minimum width and the layout takes it at that).
        column = QVBoxLayout()
        column.setSpacing(8)
        column.addWidget(self.text)
        column.addWidget(self.button, 0, Qt.AlignmentFlag.AlignLeft)
        column.addWidget(self.open_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(20, 10, 20, 10)
        layout.setSpacing(10)
        layout.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(column, 1)
        self.hide()

    def show_for(
        self, details: ChatDetails | None, replacement: Replacement | None = None
    ) -> None:
        """Show the banner for a blocked chat (hidden for any other); `replacement`: the chat
        started instead of it, offered in place of starting one."""
        if details is None or not details.is_blocked:
            self.hide()
            return
        text = banner_text(details, replacement)
        self.text.setText(text)
        plain = self.text.text().replace("<b>", "").replace("</b>", "")
        self.setAccessibleName(plain)
        self.setToolTip(reason_text(details))
        self._show_open(replacement)
        # A group chat offers a new one from the same number; a blocked 1:1 has nothing to offer.
        offer = details.is_group and details.number_id is not None and replacement is None
        self.button.setVisible(offer)
        if offer:
            self.button.setText(button_text(details))
            others = len(details.others_for_new_chat())
            self.button.setAccessibleName(button_text(details))
            self.button.setToolTip(translate(
                "BlockedBanner",
                "Opens a new group chat from the same number with the %n other participant(s) "
                "who can still be texted; you can add people there.",
                None, others,
            ))
        self.show()

    def _open_replacement(self) -> None:
        target = self.open_button.property("target")
        if target:
            self.openReplacement.emit(str(target))

    def _show_open(self, replacement: Replacement | None) -> None:
        self.open_button.setVisible(replacement is not None)
        if replacement is None:
            self.open_button.setProperty("target", "")
            return
        self.open_button.setProperty("target", replacement.conversation_id)
        self.open_button.setText(open_text(replacement))
        self.open_button.setAccessibleName(open_text(replacement))
        self.open_button.setToolTip(translate(
            "BlockedBanner",
            "Opens the group chat started instead of this one. To start yet another from this "
            "chat, right-click it in the list: New group chat with these people.",
        ))
