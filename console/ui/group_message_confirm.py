"""`groupMessageConfirm`: the last stop before a group message goes out, because nothing
stops it after. It states the count at this moment and what sending means, in plain words
(the vendor's "Important Notes": seeds/group-messages-in-app.txt). Opened with open()."""

from __future__ import annotations

import html

from console.domain.merge_fields import FIELDS
from console.services.group_send_check import MergePreview
from console.ui.i18n import translate
from console.ui.merge_preview_model import MergePreviewModel
from console.ui.qt import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    Qt,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from console.ui.template_picker import field_word
from console.ui.theme import set_themed_style

STYLE = """
#confirmHeadline { font-size: 12pt; font-weight: 600; color: $text; }
#confirmPoints { color: $text_secondary; }
#confirmCountNote { color: $muted; font-size: 9pt; }
#mergePreviewHeading { color: $text_secondary; font-weight: 600; margin-top: 4px; }
#mergePreviewTable { border: 1px solid $border; border-radius: 6px; }
#mergeEmptyError { color: $danger_text; }
#mergeMissingWarning { color: $warning_text; background: $warning_soft;
                       border: 1px solid $warning_border; border-radius: 6px; padding: 6px 8px; }
"""


_CONTEXT = "GroupMessageConfirm"


def grouped(text: str, count: int) -> str:
    """`text`, a translation whose %n Qt filled in with `count`, with the count's thousands
    grouped as before ("1,234 people")."""
    return text.replace(str(count), f"{count:,}") if abs(count) >= 1000 else text


def people(count: int) -> str:
    return grouped(translate(_CONTEXT, "%n (person|people)", None, count), count)


def confirm_points() -> list[str]:
    """What sending means, each a promise the backend keeps."""
    return [
        translate(_CONTEXT, "It cannot be cancelled, changed or deleted once sent."),
        translate(_CONTEXT, "People added to the group later will not get it."),
        translate(_CONTEXT, "Notifications (email, push) go out as configured for your app."),
        translate(
            _CONTEXT,
            "Integrations (e.g. your help desk) will not receive it; replies to it will.",
        ),
    ]


def headline_text(count: int, group_name: str, *, offline: bool) -> str:
    if offline:
        # Nothing leaves while offline: who gets it is decided when it reaches the server.
        return grouped(
            translate(
                _CONTEXT,
                "It goes when the connection is back, to the members of {group} at that "
                "moment (%n (person|people) now).",
                None,
                count,
            ),
            count,
        ).format(group=group_name)
    return grouped(
        translate(
            _CONTEXT,
            "It goes now to %n (person|people): the members of {group} at this moment.",
            None,
            count,
        ),
        count,
    ).format(group=group_name)


class GroupMessageConfirm(QDialog):
    def __init__(
        self,
        *,
        count: int,
        group_name: str,
        sender_name: str,
        title: str,
        count_note: str = "",
        offline: bool = False,
        merge: MergePreview | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """`merge`: the text uses merge fields; each person's own text is listed."""
        super().__init__(parent)
        self.setObjectName("groupMessageConfirm")
        self.setWindowTitle(translate(_CONTEXT, "Send group message?"))
        set_themed_style(self, STYLE)
        self.count = count
        headline = QLabel(headline_text(count, group_name, offline=offline), self)
        headline.setObjectName("confirmHeadline")
        headline.setTextFormat(Qt.TextFormat.PlainText)  # the group's name is user data
        headline.setWordWrap(True)
        detail = QLabel(
            translate(
                _CONTEXT, "“{title}” from {sender}, in each person's in-app Message Center."
            ).format(title=title, sender=sender_name),
            self,
        )
        detail.setWordWrap(True)
        detail.setTextFormat(Qt.TextFormat.PlainText)
        points = QLabel(self)
        points.setObjectName("confirmPoints")
        points.setTextFormat(Qt.TextFormat.RichText)
        points.setWordWrap(True)
        items = "".join(f"<li>{html.escape(p)}</li>" for p in confirm_points())
        points.setText(f"<ul style='margin-left:-20px'>{items}</ul>")
        self.text_label = headline
        self.points_label = points

        buttons = QDialogButtonBox(self)
        self.send_button = QPushButton(
            grouped(translate(_CONTEXT, "Send to %n (person|people)", None, count), count),
            self,
        )
        self.send_button.setObjectName("groupMessageConfirmSend")
        self.send_button.setAccessibleDescription(
            translate(_CONTEXT, "Sends the message to everyone listed. It cannot be taken back.")
        )
        self.send_button.setDefault(False)
        self.send_button.setAutoDefault(False)
        buttons.addButton(self.send_button, QDialogButtonBox.ButtonRole.AcceptRole)
        back = buttons.addButton(
            translate(_CONTEXT, "Back to editing"), QDialogButtonBox.ButtonRole.RejectRole
        )
        back.setObjectName("groupMessageConfirmBack")
        back.setAccessibleDescription(
            translate(_CONTEXT, "Closes this window without sending, to change the message.")
        )
        back.setDefault(True)  # Enter must not send something that cannot be taken back
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 14)
        layout.setSpacing(10)
        layout.addWidget(headline)
        layout.addWidget(detail)
        layout.addWidget(points)
        if count_note:
            note = QLabel(count_note, self)
            note.setObjectName("confirmCountNote")
            note.setTextFormat(Qt.TextFormat.PlainText)
            note.setWordWrap(True)
            layout.addWidget(note)
        self.merge_table: QTableView | None = None
        self.missing_warning: QLabel | None = None
        if merge is not None:
            self._add_merge_preview(layout, merge)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)
        self.setMaximumWidth(560)
        self.adjustSize()

    def _add_merge_preview(self, layout: QVBoxLayout, merge: MergePreview) -> None:
        heading = QLabel(grouped(translate(
            _CONTEXT, "Each person gets their own text (%n shown):", None, len(merge.rows)),
            len(merge.rows)), self)
        heading.setObjectName("mergePreviewHeading")
        table = QTableView(self)
        table.setObjectName("mergePreviewTable")
        table.setAccessibleName(translate(_CONTEXT, "Each person's text"))
        table.setModel(MergePreviewModel(merge.rows, table))
        table.verticalHeader().hide()
        table.verticalHeader().setDefaultSectionSize(24)
        table.setShowGrid(False)
        table.setAlternatingRowColors(True)
        table.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        table.setSelectionMode(QTableView.SelectionMode.NoSelection)
        table.setWordWrap(False)
        table.horizontalHeader().setStretchLastSection(True)
        table.setColumnWidth(0, 150)
        table.setMinimumHeight(120)
        table.setMaximumHeight(190)
        layout.addWidget(heading)
        layout.addWidget(table)
        self.merge_table = table
        if merge.people_empty:
            empty = QLabel(grouped(translate(
                _CONTEXT, "%n (person|people) would get an empty text: the fields are all "
                "their text, and they have no value for them. Go back and add some words.",
                None, merge.people_empty), merge.people_empty), self)
            empty.setObjectName("mergeEmptyError")
            empty.setWordWrap(True)
            layout.addWidget(empty)
            self.send_button.setEnabled(False)  # the server would refuse it whole
        if merge.people_missing:
            counts = ", ".join(
                f"{field_word(name)} ({merge.missing[name]:,})" for name in FIELDS
                if merge.missing.get(name))
            warning = QLabel(grouped(translate(
                _CONTEXT, "%n (person has|people have) no value for a field: {fields}. Their "
                "text leaves it out; go back to change the message if it reads oddly.", None,
                merge.people_missing), merge.people_missing).format(fields=counts), self)
            warning.setObjectName("mergeMissingWarning")
            warning.setWordWrap(True)
            warning.setTextFormat(Qt.TextFormat.PlainText)
            layout.addWidget(warning)
            self.missing_warning = warning

    def text(self) -> str:
        """Everything the dialog states, as plain text (for tests and screen readers)."""
        return " ".join([self.text_label.text(), *confirm_points()])
