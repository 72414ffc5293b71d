"""The group message composer: sender, group, title, body and a live preview of what the
customer sees in their Message Center (the sender's name and the body; never the title).

It only gathers what to send. The page asks for the confirmation (group_message_confirm.py)
and sends through GroupService; `sendRequested` says the form is complete and Send was pressed.
"""

from __future__ import annotations

from dataclasses import dataclass

from console.domain.merge_fields import FIELDS, render, unknown_fields, uses_fields
from console.services.group_reads import GroupRow
from console.services.groups import MAX_GROUP_BODY, MAX_TITLE
from console.ui.i18n import QT_TRANSLATE_NOOP, translate
from console.ui.qt import (
    QAction,
    QComboBox,
    QEvent,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QKeyEvent,
    QKeySequence,
    QLabel,
    QLineEdit,
    QObject,
    QPlainTextEdit,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from console.ui.template_picker import field_word
from console.ui.theme import icon, set_themed_style

_CONTEXT = "GroupMessageComposer"

PREVIEW_PLACEHOLDER = QT_TRANSLATE_NOOP(
    "GroupMessageComposer", "Your message appears here, as the customer will see it."
)
_GROUP_NAME_ROLE = Qt.ItemDataRole.UserRole + 1

STYLE = """
#groupMessageComposer { background: $surface_alt; }
#composerHeading { font-size: 13pt; font-weight: 600; color: $text; }
#composerNote, #titleNote, #bodyCounter { color: $muted; font-size: 9pt; }
#previewHeading { color: $muted; font-size: 9pt; font-weight: 600; }
#customerPreview {
    background: $surface; border: 1px solid $border; border-radius: 10px;
}
#previewSender { font-weight: 600; color: $text; }
#previewBody {
    background: $accent_soft; border-radius: 10px; padding: 8px 10px; color: $text;
}
#previewBody[empty="true"] { color: $separator_text; font-style: italic; }
#composerStatus { color: $text_secondary; }
#composerStatus[level="error"] { color: $danger_text; }
#groupMessageSendButton {
    background: $accent; color: $accent_text; border: none; border-radius: 6px;
    padding: 6px 18px; font-weight: 600;
}
#groupMessageSendButton:hover { background: $accent_hover; }
#groupMessageSendButton:disabled { background: $accent_disabled; color: $accent_disabled_text; }
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
    scheduleRequested = Signal()  # Schedule…: the page asks when
    templateRequested = Signal()  # Template… (Ctrl+T in the message): the page's picker
    # The refused copy of what this composer holds: send it again / drop it (never both a
    # refused copy and an enabled Send: that would send it twice).
    retryRequested = Signal()
    discardRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("groupMessageComposer")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        if parent is None:  # on a page, the page's one stylesheet holds STYLE (one polish)
            set_themed_style(self, STYLE)
        self._busy = False

        heading = QLabel(translate(_CONTEXT, "New group message"), self)
        heading.setObjectName("composerHeading")
        note = QLabel(
            translate(
                _CONTEXT,
                "Sent at once, in the app, to everyone in the group at that moment. It cannot be "
                "cancelled.",
            ),
            self,
        )
        note.setObjectName("composerNote")
        note.setWordWrap(True)

        self.sender_choice = QComboBox(self)
        self.sender_choice.setObjectName("groupMessageSender")
        self.sender_choice.setAccessibleName(translate(_CONTEXT, "Sender"))
        self.sender_choice.setToolTip(
            translate(_CONTEXT, "The staff member the customers see the message from")
        )
        self.group_choice = QComboBox(self)
        self.group_choice.setObjectName("groupMessageGroup")
        self.group_choice.setAccessibleName(translate(_CONTEXT, "Group"))
        self.group_choice.setAccessibleDescription(
            translate(_CONTEXT, "The group whose members get the message.")
        )
        self.group_choice.setMinimumContentsLength(24)
        self.title = QLineEdit(self)
        self.title.setObjectName("groupMessageTitle")
        self.title.setAccessibleName(translate(_CONTEXT, "Title"))
        self.title.setAccessibleDescription(translate(
            _CONTEXT, "A name your team finds the message by. Customers never see the title."
        ))
        self.title.setMaxLength(MAX_TITLE)
        self.title.setPlaceholderText(translate(_CONTEXT, "e.g. Spring open house follow-up"))
        title_note = QLabel(
            translate(_CONTEXT, "For your team's reference only: customers never see the title."),
            self,
        )
        title_note.setObjectName("titleNote")
        title_note.setWordWrap(True)
        self.body = QPlainTextEdit(self)
        self.body.setObjectName("groupMessageBody")
        self.body.setAccessibleName(translate(_CONTEXT, "Message"))
        self.body.setAccessibleDescription(translate(
            _CONTEXT, "The text each member of the group reads in the app, under the sender."
        ))
        self.body.setPlaceholderText(
            translate(_CONTEXT, "Write the message the customers will read")
        )
        self.body.setTabChangesFocus(True)
        self.body.setMinimumHeight(90)
        self.body.setMaximumHeight(180)
        self.counter = QLabel(self)
        self.counter.setObjectName("bodyCounter")
        self.template_button = QPushButton(translate(_CONTEXT, "Template…"), self)
        self.template_button.setObjectName("groupMessageTemplateButton")
        self.template_button.setIcon(icon("template"))
        self.template_button.setToolTip(translate(_CONTEXT, "Insert a template (Ctrl+T)"))
        self.template_button.setAccessibleDescription(translate(
            _CONTEXT, "Pick a saved text; {first_name} and the other fields fill in for each "
            "person when it is sent."))
        self.template_button.clicked.connect(self.templateRequested)
        template_action = QAction(self)
        template_action.setShortcut(QKeySequence("Ctrl+T"))
        template_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        template_action.triggered.connect(self.templateRequested)
        self.addAction(template_action)
        # A key press the shortcut map did not take (the message box has focus in a window
        # not yet active, a test's key click): the box itself answers Ctrl+T.
        self.body.installEventFilter(self)
        counter_row = QHBoxLayout()
        counter_row.addWidget(self.counter, 1)
        counter_row.addWidget(self.template_button)

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(translate(_CONTEXT, "From"), self.sender_choice)
        form.addRow(translate(_CONTEXT, "To group"), self.group_choice)
        form.addRow(translate(_CONTEXT, "Title"), self.title)
        form.addRow("", title_note)
        form.addRow(translate(_CONTEXT, "Message"), self.body)
        form.addRow("", counter_row)

        # What the customer sees: the sender's name over the message, as Message Center shows.
        preview_heading = QLabel(translate(_CONTEXT, "What the customer sees"), self)
        preview_heading.setObjectName("previewHeading")
        self.preview = QFrame(self)
        self.preview.setObjectName("customerPreview")
        self.preview.setAccessibleName(
            translate(_CONTEXT, "Preview in the customer's Message Center")
        )
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
        self.send_button = QPushButton(translate(_CONTEXT, "Send…"), self)
        self.send_button.setObjectName("groupMessageSendButton")
        self.send_button.setAccessibleName(translate(_CONTEXT, "Send group message"))
        self.send_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.send_button.setToolTip(
            translate(_CONTEXT, "Shows who it goes to before anything is sent")
        )
        self.send_button.clicked.connect(self._send_clicked)
        self.schedule_button = QPushButton(translate(_CONTEXT, "Schedule…"), self)
        self.schedule_button.setObjectName("groupMessageScheduleButton")
        self.schedule_button.setAccessibleName(translate(_CONTEXT, "Schedule group message"))
        self.schedule_button.setAccessibleDescription(translate(
            _CONTEXT, "Choose when the server sends it, to the group's members of that moment."
        ))
        self.schedule_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.schedule_button.clicked.connect(self._schedule_clicked)
        self.retry_button = QPushButton(translate(_CONTEXT, "Retry"), self)
        self.retry_button.setObjectName("groupMessageRetryRefused")
        self.retry_button.setAccessibleName(
            translate(_CONTEXT, "Retry the refused group message")
        )
        self.retry_button.setAccessibleDescription(
            translate(_CONTEXT, "Sends the message the server refused once more.")
        )
        self.retry_button.clicked.connect(self.retryRequested)
        self.discard_button = QPushButton(translate(_CONTEXT, "Discard"), self)
        self.discard_button.setObjectName("groupMessageDiscardRefused")
        self.discard_button.setAccessibleName(
            translate(_CONTEXT, "Discard the refused group message")
        )
        self.discard_button.setAccessibleDescription(
            translate(_CONTEXT, "Drops the message the server refused; it is not sent.")
        )
        self.discard_button.clicked.connect(self.discardRequested)
        self.show_refused(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.retry_button, 0, Qt.AlignmentFlag.AlignTop)
        buttons.addWidget(self.discard_button, 0, Qt.AlignmentFlag.AlignTop)
        buttons.addWidget(self.schedule_button, 0, Qt.AlignmentFlag.AlignTop)
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
        self.group_choice.addItem(translate(_CONTEXT, "Choose a group…"), "")
        for row in groups:
            self.group_choice.addItem(
                translate(_CONTEXT, "{name}  (%n (person|people))", None, row.member_count).format(
                    name=row.name
                ),
                row.id,
            )
            self.group_choice.setItemData(
                self.group_choice.count() - 1, row.name, _GROUP_NAME_ROLE
            )
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
        group_name = str(self.group_choice.currentData(_GROUP_NAME_ROLE) or "")
        return Draft(str(sender_id), self.sender_choice.currentText(), str(group_id), group_name,
                     title, body)

    def missing(self) -> str:
        """What to do next to be able to send ("" when complete)."""
        if not self.sender_choice.currentData():
            return translate(_CONTEXT, "Choose who it is from.")
        if not self.group_choice.currentData():
            return translate(_CONTEXT, "Choose a group.")
        if not self.title.text().strip():
            return translate(_CONTEXT, "Give it a title (for your team).")
        body = self.body.toPlainText().strip()
        if not body:
            return translate(_CONTEXT, "Write the message.")
        if len(body) > MAX_GROUP_BODY:
            return translate(_CONTEXT, "Shorten the message to {limit} characters.").format(
                limit=MAX_GROUP_BODY
            )
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

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.body and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if (event.key() == Qt.Key.Key_T
                    and event.modifiers() == Qt.KeyboardModifier.ControlModifier):
                self.templateRequested.emit()
                return True
        return super().eventFilter(watched, event)

    def insert_text(self, text: str) -> None:
        """Put `text` where the cursor is in the message (over a selection)."""
        self.body.insertPlainText(text)
        self.body.setFocus()

    def set_busy(self, busy: bool) -> None:
        """Busy while a copy of the draft is on its way or refused: the draft is locked, so
        what the user sees is what went (or waits to go again)."""
        self._busy = busy
        for field in (self.title, self.body):
            field.setReadOnly(busy)
        for choice in (self.sender_choice, self.group_choice):
            choice.setEnabled(not busy)
        self.template_button.setEnabled(not busy)
        self._update()

    def show_refused(self, refused: bool) -> None:
        """Offer Retry and Discard for the refused copy of this draft."""
        self.retry_button.setVisible(refused)
        self.discard_button.setVisible(refused)
        self.send_button.setVisible(not refused)
        self.schedule_button.setVisible(not refused)

    def _update(self, *_args: object) -> None:
        body = self.body.toPlainText().strip()
        self.preview_sender.setText(
            self.sender_choice.currentText() or translate(_CONTEXT, "Sender")
        )
        # Merge fields show as what each person gets there ("‹first name›"): the
        # confirmation lists everyone's own text before anything goes.
        shown = render(body, {name: f"‹{field_word(name)}›" for name in FIELDS}).text \
            if body and unknown_fields(body) == () and uses_fields(body) else body
        self.preview_body.setText(shown or translate(_CONTEXT, PREVIEW_PLACEHOLDER))
        self.preview_body.setProperty("empty", "true" if not body else "false")
        self.preview_body.style().unpolish(self.preview_body)
        self.preview_body.style().polish(self.preview_body)
        self.counter.setText(
            translate(_CONTEXT, "{length} / {limit} characters").format(
                length=len(body), limit=MAX_GROUP_BODY
            )
        )
        missing = self.missing()
        self.send_button.setEnabled(not missing and not self._busy)
        self.schedule_button.setEnabled(not missing and not self._busy)
        self.send_button.setToolTip(
            missing or translate(_CONTEXT, "Shows who it goes to before anything is sent")
        )

    def _send_clicked(self) -> None:
        if self.draft() is not None:
            self.sendRequested.emit()

    def _schedule_clicked(self) -> None:
        if self.draft() is not None:
            self.scheduleRequested.emit()
