"""The group message composer: sender, group, title, body and a live preview of what the
customer sees in their Message Center (the sender's name and the body; never the title).

It only gathers what to send. The page asks for the confirmation (group_message_confirm.py)
and sends through GroupService; `sendRequested` says the form is complete and Send was pressed.
"""

from __future__ import annotations

from dataclasses import dataclass

from console.services.group_reads import GroupRow
from console.services.groups import MAX_GROUP_BODY, MAX_TITLE
from console.ui.qt import (
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)

PREVIEW_PLACEHOLDER = "Your message appears here, as the customer will see it."

STYLE = """
#groupMessageComposer { background: #f7f8fa; }
#composerHeading { font-size: 13pt; font-weight: 600; color: #1d2330; }
#composerNote, #titleNote, #bodyCounter { color: #6b7385; font-size: 9pt; }
#previewHeading { color: #6b7385; font-size: 9pt; font-weight: 600; }
#customerPreview {
    background: #ffffff; border: 1px solid #e2e5ea; border-radius: 10px;
}
#previewSender { font-weight: 600; color: #1d2330; }
#previewBody {
    background: #eef2f8; border-radius: 10px; padding: 8px 10px; color: #1d2330;
}
#previewBody[empty="true"] { color: #8a92a1; font-style: italic; }
#composerStatus { color: #3a4254; }
#composerStatus[level="error"] { color: #b42318; }
#groupMessageSendButton {
    background: #2f6fde; color: #ffffff; border: none; border-radius: 6px;
    padding: 6px 18px; font-weight: 600;
}
#groupMessageSendButton:hover { background: #2a63c8; }
#groupMessageSendButton:disabled { background: #c9d3e4; color: #f4f6fa; }
"""


@dataclass(frozen=True, slots=True)
class Draft:
    sender_user_id: str
    sender_name: str
    group_id: str
    group_name: str
    title: str
    body: str


class GroupMessageComposer(QWidget):
    sendRequested = Signal()
    # The refused copy of what this composer holds: send it again / drop it (never both a
    # refused copy and an enabled Send: that would send it twice).
    retryRequested = Signal()
    discardRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("groupMessageComposer")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        if parent is None:  # on a page, the page's one stylesheet holds STYLE (one polish)
            self.setStyleSheet(STYLE)
        self._busy = False

        heading = QLabel("New group message", self)
        heading.setObjectName("composerHeading")
        note = QLabel(
            "Sent at once, in the app, to everyone in the group at that moment. It cannot be "
            "cancelled.",
            self,
        )
        note.setObjectName("composerNote")
        note.setWordWrap(True)

        self.sender_choice = QComboBox(self)
        self.sender_choice.setObjectName("groupMessageSender")
        self.sender_choice.setAccessibleName("Sender")
        self.sender_choice.setToolTip("The staff member the customers see the message from")
        self.group_choice = QComboBox(self)
        self.group_choice.setObjectName("groupMessageGroup")
        self.group_choice.setAccessibleName("Group")
        self.group_choice.setMinimumContentsLength(24)
        self.title = QLineEdit(self)
        self.title.setObjectName("groupMessageTitle")
        self.title.setAccessibleName("Title")
        self.title.setMaxLength(MAX_TITLE)
        self.title.setPlaceholderText("e.g. Spring open house follow-up")
        title_note = QLabel(
            "For your team's reference only: customers never see the title.", self
        )
        title_note.setObjectName("titleNote")
        title_note.setWordWrap(True)
        self.body = QPlainTextEdit(self)
        self.body.setObjectName("groupMessageBody")
        self.body.setAccessibleName("Message")
        self.body.setPlaceholderText("Write the message the customers will read")
        self.body.setTabChangesFocus(True)
        self.body.setMinimumHeight(90)
        self.body.setMaximumHeight(180)
        self.counter = QLabel(self)
        self.counter.setObjectName("bodyCounter")

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("From", self.sender_choice)
        form.addRow("To group", self.group_choice)
        form.addRow("Title", self.title)
        form.addRow("", title_note)
        form.addRow("Message", self.body)
        form.addRow("", self.counter)

        # What the customer sees: the sender's name over the message, as Message Center shows.
        preview_heading = QLabel("What the customer sees", self)
        preview_heading.setObjectName("previewHeading")
        self.preview = QFrame(self)
        self.preview.setObjectName("customerPreview")
        self.preview.setAccessibleName("Preview in the customer's Message Center")
        self.preview_sender = QLabel(self.preview)
        self.preview_sender.setObjectName("previewSender")
        self.preview_sender.setTextFormat(Qt.TextFormat.PlainText)  # user data, never markup
        self.preview_body = QLabel(self.preview)
        self.preview_body.setObjectName("previewBody")
        self.preview_body.setWordWrap(True)
        self.preview_body.setTextFormat(Qt.TextFormat.PlainText)
        self.preview_body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        preview_layout = QVBoxLayout(self.preview)
        preview_layout.setContentsMargins(14, 12, 14, 14)
        preview_layout.setSpacing(6)
        preview_layout.addWidget(self.preview_sender)
        preview_layout.addWidget(self.preview_body)

        self.status = QLabel(self)
        self.status.setObjectName("composerStatus")
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.send_button = QPushButton("Send…", self)
        self.send_button.setObjectName("groupMessageSendButton")
        self.send_button.setAccessibleName("Send group message")
        self.send_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.send_button.setToolTip("Shows who it goes to before anything is sent")
        self.send_button.clicked.connect(self._send_clicked)
        self.retry_button = QPushButton("Retry", self)
        self.retry_button.setObjectName("groupMessageRetryRefused")
        self.retry_button.setAccessibleName("Retry the refused group message")
        self.retry_button.clicked.connect(self.retryRequested)
        self.discard_button = QPushButton("Discard", self)
        self.discard_button.setObjectName("groupMessageDiscardRefused")
        self.discard_button.setAccessibleName("Discard the refused group message")
        self.discard_button.clicked.connect(self.discardRequested)
        self.show_refused(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.retry_button, 0, Qt.AlignmentFlag.AlignTop)
        buttons.addWidget(self.discard_button, 0, Qt.AlignmentFlag.AlignTop)
        buttons.addWidget(self.send_button, 0, Qt.AlignmentFlag.AlignTop)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 18, 24, 18)
        layout.setSpacing(10)
        layout.addWidget(heading)
        layout.addWidget(note)
        layout.addLayout(form)
        layout.addWidget(preview_heading)
        layout.addWidget(self.preview)
        layout.addLayout(buttons)
        layout.addStretch(1)

        self.sender_choice.currentIndexChanged.connect(self._update)
        self.group_choice.currentIndexChanged.connect(self._update)
        self.title.textChanged.connect(self._update)
        self.body.textChanged.connect(self._update)
        self._update()

    # -- choices ------------------------------------------------------------------------------
    def set_senders(self, senders: list[tuple[str, str]], default_id: str) -> None:
        """Staff to send as: (user id, name); `default_id` (the signed-in user) first chosen."""
        current = self.sender_choice.currentData() or default_id
        self.sender_choice.blockSignals(True)
        self.sender_choice.clear()
        for user_id, name in senders:
            self.sender_choice.addItem(name, user_id)
        self.sender_choice.blockSignals(False)
        at = self.sender_choice.findData(current)
        self.sender_choice.setCurrentIndex(at if at >= 0 else 0)
        self._update()

    def set_groups(self, groups: list[GroupRow]) -> None:
        """The groups to send to, each with its member count; the choice is kept by id."""
        current = self.group_choice.currentData()
        self.group_choice.blockSignals(True)
        self.group_choice.clear()
        self.group_choice.addItem("Choose a group…", "")
        for row in groups:
            people = "person" if row.member_count == 1 else "people"
            self.group_choice.addItem(f"{row.name}  ({row.member_count} {people})", row.id)
        self.group_choice.blockSignals(False)
        at = self.group_choice.findData(current) if current else -1
        self.group_choice.setCurrentIndex(at if at >= 0 else 0)
        self._update()

    def choose_group(self, group_id: str) -> bool:
        at = self.group_choice.findData(group_id)
        if at >= 0:
            self.group_choice.setCurrentIndex(at)
        return at >= 0

    def choose_sender(self, user_id: str) -> bool:
        at = self.sender_choice.findData(user_id)
        if at >= 0:
            self.sender_choice.setCurrentIndex(at)
        return at >= 0

    # -- state --------------------------------------------------------------------------------
    def draft(self) -> Draft | None:
        """What would be sent, or None while something is missing."""
        sender_id = self.sender_choice.currentData()
        group_id = self.group_choice.currentData()
        title = self.title.text().strip()
        body = self.body.toPlainText().strip()
        if not (sender_id and group_id and title and body) or len(body) > MAX_GROUP_BODY:
            return None
        group_name = self.group_choice.currentText().rsplit("  (", 1)[0]
        return Draft(str(sender_id), self.sender_choice.currentText(), str(group_id), group_name,
                     title, body)

    def missing(self) -> str:
        """What to do next to be able to send ("" when complete)."""
        if not self.sender_choice.currentData():
            return "Choose who it is from."
        if not self.group_choice.currentData():
            return "Choose a group."
        if not self.title.text().strip():
            return "Give it a title (for your team)."
        body = self.body.toPlainText().strip()
        if not body:
            return "Write the message."
        if len(body) > MAX_GROUP_BODY:
            return f"Shorten the message to {MAX_GROUP_BODY} characters."
        return ""

    def show_status(self, text: str, *, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setProperty("level", "error" if error else "")
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)

    def clear_message(self) -> None:
        """After a send: a fresh title and body (sender and group stay for the next one)."""
        self.title.clear()
        self.body.clear()

    def set_busy(self, busy: bool) -> None:
        """Busy while a copy of the draft is on its way or refused: the draft is locked, so
        what the user sees is what went (or waits to go again)."""
        self._busy = busy
        for field in (self.title, self.body):
            field.setReadOnly(busy)
        for choice in (self.sender_choice, self.group_choice):
            choice.setEnabled(not busy)
        self._update()

    def show_refused(self, refused: bool) -> None:
        """Offer Retry and Discard for the refused copy of this draft."""
        self.retry_button.setVisible(refused)
        self.discard_button.setVisible(refused)
        self.send_button.setVisible(not refused)

    def _update(self, *_args: object) -> None:
        body = self.body.toPlainText().strip()
        self.preview_sender.setText(self.sender_choice.currentText() or "Sender")
        self.preview_body.setText(body or PREVIEW_PLACEHOLDER)
        self.preview_body.setProperty("empty", "true" if not body else "false")
        self.preview_body.style().unpolish(self.preview_body)
        self.preview_body.style().polish(self.preview_body)
        self.counter.setText(f"{len(body)} / {MAX_GROUP_BODY} characters")
        missing = self.missing()
        self.send_button.setEnabled(not missing and not self._busy)
        self.send_button.setToolTip(missing or "Shows who it goes to before anything is sent")

    def _send_clicked(self) -> None:
        if self.draft() is not None:
            self.sendRequested.emit()
