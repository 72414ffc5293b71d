"""The contact editor (`contactEditor`): name, primary and secondary number, email, DND, and
the assigned user (admins only). New or existing contact; opened with open(), never exec().
An existing contact's Do Not Disturb history (`dndHistory`, ui/dnd_history.py) is read from
the server off the GUI thread when the editor opens.

Every field is checked as it is typed, with the same rules the service applies before it
queues the write (services/contacts.py: phonenumbers for numbers, one plain address for
email), and the error shows under the field that caused it; Save is enabled only when every
field is acceptable. Saving hands the values to ContactService, which shows the change at once
and queues it in the outbox; a refusal by the server later reaches the refused-changes list.
The dialog never touches the cache.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from console.domain.errors import DomainError, ErrorCode
from console.domain.phones import SMS_GROUP_REGIONS, format_display, region_of
from console.services.contacts import MAX_NAME, MAX_PHONES, ContactProblem
from console.ui.dnd_history import STYLE as DND_HISTORY_STYLE
from console.ui.dnd_history import DndHistorySection
from console.ui.error_texts import error_text
from console.ui.i18n import translate
from console.ui.qt import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from console.ui.theme import set_themed_style

if TYPE_CHECKING:
    from console.services.contacts import ContactRow, ContactService
    from console.services.dnd_history import DndHistoryService

log = logging.getLogger("console.ui.contact_editor")

STYLE = """
#contactEditor { background: $surface; }
#contactEditor #dialogHeading { font-size: 12pt; font-weight: 600; color: $text; }
#contactEditor #fieldHint { color: $muted; font-size: 8.5pt; }
#contactEditor #fieldError { color: $danger_text; font-size: 8.5pt; }
#contactEditor #dialogError {
    color: $danger_text; background: $danger_soft; border: 1px solid $danger_border;
    border-radius: 6px; padding: 6px 10px;
}
#contactEditor QLineEdit[invalid="true"] { border: 1px solid $danger; }
#contactEditorDelete {
    color: $danger_text; border: 1px solid $danger_border; border-radius: 6px;
    padding: 6px 14px; background: $surface;
}
#contactEditorDelete:hover { background: $danger_soft; }
"""


class _Field:
    """A line edit with the hint or error shown under it."""

    def __init__(self, edit: QLineEdit, message: QLabel) -> None:
        self.edit = edit
        self.message = message
        self.ok = True
        self.description = edit.accessibleDescription()  # what the field holds

    def show(self, error: str | None, hint: str = "") -> None:
        self.ok = error is None
        self.message.setText(error or hint)
        self.message.setObjectName("fieldError" if error else "fieldHint")
        self.message.setVisible(bool(error or hint))
        self.message.setToolTip(error or "")
        self.edit.setToolTip(error or "")
        # A screen reader reads the description, not the tooltip, once there is one: the
        # error or hint goes first in it.
        self.edit.setAccessibleDescription(
            " ".join(part for part in (error or hint, self.description) if part)
        )
        self.edit.setProperty("invalid", error is not None)
        for widget in (self.message, self.edit):
            widget.style().unpolish(widget)
            widget.style().polish(widget)


def phone_hint(e164: str) -> str:
    """How a checked number reads back: "(415) 555-0111 · US", and a word when group SMS
    cannot use it, in the user's language (the facts are the domain's: region_of,
    SMS_GROUP_REGIONS)."""
    region = region_of(e164)
    hint = translate("ContactEditor", "{number} · {region}").format(
        number=format_display(e164),
        region=region or translate("ContactEditor", "unknown region"),
    )
    if region not in SMS_GROUP_REGIONS:
        hint = translate(
            "ContactEditor", "{hint} (group SMS chats take US and Canada numbers only)"
        ).format(hint=hint)
    return hint


def problem_text(exc: DomainError) -> str:
    """What to fix, in the user's language: the contact checks name it by `exc.hint`
    (ContactProblem); any other refusal by its code (error_text)."""
    hint = exc.hint
    if hint == ContactProblem.NAME_MISSING:
        return translate("ContactEditor", "A contact needs a name.")
    if hint == ContactProblem.NAME_TOO_LONG:
        return translate("ContactEditor", "A name has at most %n character(s).", None, MAX_NAME)
    if hint == ContactProblem.PHONE_MISSING:
        return translate("ContactEditor", "Type a number.")
    if hint == ContactProblem.PHONE_LETTERS:
        return translate("ContactEditor", "Use digits only (a + first for another country).")
    if hint == ContactProblem.PHONE_NEEDS_COUNTRY_CODE:
        return translate(
            "ContactEditor",
            "For a number outside the US and Canada, start with + and the country code.",
        )
    if hint == ContactProblem.PHONE_TOO_SHORT:
        return translate("ContactEditor", "Too short: a US or Canada number has 10 digits.")
    if hint == ContactProblem.PHONE_NOT_VALID:
        return translate("ContactEditor", "This is not a valid number; check the area code.")
    if hint == ContactProblem.EMAIL_NOT_VALID:
        return translate(
            "ContactEditor", "Not an email address: give one address like name@example.com."
        )
    if hint == ContactProblem.TOO_MANY_PHONES:
        return translate("ContactEditor", "A contact has at most %n number(s).", None, MAX_PHONES)
    if hint == ContactProblem.PHONE_TWICE:
        return translate("ContactEditor", "The same number is listed twice.")
    if hint == ContactProblem.NOTHING_TO_CHANGE:
        return translate("ContactEditor", "Nothing to change.")
    return error_text(exc.code, exc.detail)


class ContactEditor(QDialog):
    saved = Signal(str)  # the contact's id (a local id for a new contact until the server's)

    def __init__(
        self,
        service: ContactService,
        contact: ContactRow | None = None,
        parent: QWidget | None = None,
        *,
        on_delete: Callable[[str], object] | None = None,
        history: DndHistoryService | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("contactEditor")
        self.setAccessibleName(translate("ContactEditor", "Contact editor"))
        set_themed_style(self, STYLE + DND_HISTORY_STYLE)
        self.setModal(True)
        self._service = service
        self._contact = contact
        self._on_delete = on_delete
        self.setWindowTitle(
            translate("ContactEditor", "Edit contact")
            if contact
            else translate("ContactEditor", "New contact")
        )

        heading = QLabel(
            contact.name if contact else translate("ContactEditor", "New contact"), self
        )
        heading.setObjectName("dialogHeading")

        self.name_edit = self._line("contactName", translate("ContactEditor", "Full name"), 200)
        self.primary_edit = self._line("contactPrimaryPhone", "(415) 555-0111", 64)
        self.secondary_edit = self._line(
            "contactSecondaryPhone", translate("ContactEditor", "Optional"), 64
        )
        self.email_edit = self._line(
            "contactEmail", translate("ContactEditor", "name@example.com (optional)"), 254
        )
        self.dnd_check = QCheckBox(
            translate("ContactEditor", "Do Not Disturb: send this contact no messages"), self
        )
        self.dnd_check.setObjectName("contactDnd")
        self.dnd_check.setAccessibleDescription(translate(
            "ContactEditor", "When on, the console sends this contact no message at all."
        ))
        self.assignee_combo = QComboBox(self)
        self.assignee_combo.setObjectName("contactAssignee")
        self.assignee_combo.setAccessibleName(translate("ContactEditor", "Assigned user"))
        self.assignee_combo.setAccessibleDescription(
            translate("ContactEditor", "The user on your team who looks after this contact.")
        )
        # Named as their labels say (the pseudo-locale test asks each control for its name).
        for line, name, description in (
            (self.name_edit, translate("ContactEditor", "Name"),
             translate("ContactEditor", "Their name, as the lists show it.")),
            (self.primary_edit, translate("ContactEditor", "Primary number"),
             translate("ContactEditor", "The number messages to them go to.")),
            (self.secondary_edit, translate("ContactEditor", "Secondary number"),
             translate("ContactEditor", "Another number of theirs, if any.")),
            (self.email_edit, translate("ContactEditor", "Email"),
             translate("ContactEditor", "Their email address, if you have it.")),
        ):
            line.setAccessibleName(name)
            line.setAccessibleDescription(description)

        self.name_field = _Field(self.name_edit, self._message())
        self.primary_field = _Field(self.primary_edit, self._message())
        self.secondary_field = _Field(self.secondary_edit, self._message())
        self.email_field = _Field(self.email_edit, self._message())

        form = QFormLayout()
        form.setHorizontalSpacing(14)
        form.setVerticalSpacing(8)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        for text, field in (
            (translate("ContactEditor", "&Name"), self.name_field),
            (translate("ContactEditor", "&Primary number"), self.primary_field),
            (translate("ContactEditor", "&Secondary number"), self.secondary_field),
            (translate("ContactEditor", "&Email"), self.email_field),
        ):
            label = QLabel(text, self)
            label.setBuddy(field.edit)
            column = QVBoxLayout()
            column.setSpacing(2)
            column.addWidget(field.edit)
            column.addWidget(field.message)
            form.addRow(label, column)
        form.addRow("", self.dnd_check)
        self.assignee_label = QLabel(translate("ContactEditor", "&Assigned to"), self)
        self.assignee_label.setBuddy(self.assignee_combo)
        form.addRow(self.assignee_label, self.assignee_combo)

        # An existing contact's DND history, from the server (a new one has none yet).
        self.dnd_history: DndHistorySection | None = None
        if contact is not None and history is not None:
            self.dnd_history = DndHistorySection(history, contact.id, self)

        self.problem = QLabel(self)
        self.problem.setObjectName("dialogError")
        self.problem.setWordWrap(True)
        self.problem.hide()

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setObjectName("contactEditorSave")
        self.save_button.setDefault(True)
        self.save_button.setAccessibleDescription(
            translate("ContactEditor", "Saves the contact and closes this window.")
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleDescription(
            translate("ContactEditor", "Closes this window without saving.")
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.delete_button = QPushButton(translate("ContactEditor", "&Delete contact…"), self)
        self.delete_button.setObjectName("contactEditorDelete")
        self.delete_button.setAccessibleDescription(
            translate("ContactEditor", "Deletes this contact, after asking you to confirm.")
        )
        self.delete_button.clicked.connect(self._delete)
        self.buttons.addButton(self.delete_button, QDialogButtonBox.ButtonRole.ResetRole)
        self.delete_button.setVisible(contact is not None and on_delete is not None)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 14)
        layout.setSpacing(10)
        layout.addWidget(heading)
        layout.addLayout(form)
        if self.dnd_history is not None:
            layout.addWidget(self.dnd_history)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)

        self._fill()
        for edit in (self.name_edit, self.primary_edit, self.secondary_edit, self.email_edit):
            edit.textChanged.connect(self.validate)
        self.validate()
        self.setMinimumWidth(460)
        self.adjustSize()
        if self.dnd_history is not None:
            self.dnd_history.refresh()

    # -- building -----------------------------------------------------------------------------
    def _line(self, name: str, placeholder: str, length: int) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setObjectName(name)
        edit.setPlaceholderText(placeholder)
        edit.setMaxLength(length)
        edit.setClearButtonEnabled(True)
        return edit

    def _message(self) -> QLabel:
        label = QLabel(self)
        label.setObjectName("fieldHint")
        label.setWordWrap(True)
        label.hide()
        return label

    def _fill(self) -> None:
        contact = self._contact
        can_assign = self._service.can_assign
        self.assignee_combo.setVisible(can_assign)
        self.assignee_label.setVisible(can_assign)
        if can_assign:
            self.assignee_combo.addItem(translate("ContactEditor", "Unassigned"), "")
            for user in self._service.assignable_users():
                self.assignee_combo.addItem(user.name, user.id)
        if contact is None:
            return
        self.name_edit.setText(contact.name)
        primary = contact.phone("primary")
        secondary = contact.phone("secondary")
        self.primary_edit.setText(primary.display if primary else "")
        self.secondary_edit.setText(secondary.display if secondary else "")
        self.email_edit.setText(contact.email or "")
        self.dnd_check.setChecked(contact.dnd)
        if can_assign:
            at = self.assignee_combo.findData(contact.assigned_user_id or "")
            if at < 0 and contact.assigned_user_id:
                self.assignee_combo.addItem(
                    contact.assigned_name or translate("ContactEditor", "Another user"),
                    contact.assigned_user_id,
                )
                at = self.assignee_combo.count() - 1
            self.assignee_combo.setCurrentIndex(max(at, 0))

    # -- checks as the user types -------------------------------------------------------------
    def validate(self) -> bool:
        """Check every field now; show each one's error under it. True when all are fine."""
        from console.services.contacts import check_email, check_name

        try:
            check_name(self.name_edit.text())
            self.name_field.show(None)
        except DomainError as exc:
            # No nagging before the user typed anything into an empty new contact.
            untouched = self._contact is None and not self.name_edit.isModified()
            self.name_field.show(None if untouched else problem_text(exc))
            self.name_field.ok = False
        primary = self._check_phone(self.primary_field, required=False)
        secondary = self._check_phone(self.secondary_field, required=False)
        if primary and secondary and primary == secondary:
            self.secondary_field.show(
                translate("ContactEditor", "The same number as the primary one.")
            )
        if secondary and not self.primary_edit.text().strip():
            self.primary_field.show(
                translate("ContactEditor", "Give a primary number before a secondary one.")
            )
        try:
            check_email(self.email_edit.text())
            self.email_field.show(None)
        except DomainError as exc:
            self.email_field.show(problem_text(exc))
        fine = all(
            f.ok
            for f in (self.name_field, self.primary_field, self.secondary_field, self.email_field)
        )
        self.save_button.setEnabled(fine)
        return fine

    def _check_phone(self, field: _Field, *, required: bool) -> str | None:
        from console.services.contacts import check_phone

        text = field.edit.text()
        if not text.strip() and not required:
            field.show(None)
            return None
        try:
            e164 = check_phone(text)
        except DomainError as exc:
            field.show(problem_text(exc))
            return None
        besides = self._contact.id if self._contact else None
        owner = self._service.number_owner(e164, besides=besides)
        if owner is not None:
            field.show(translate(
                "ContactEditor", "{name} already has this number; a number belongs to one contact."
            ).format(name=owner.name))
            return None
        field.show(None, phone_hint(e164))
        return e164

    # -- actions ------------------------------------------------------------------------------
    def phones(self) -> list[tuple[str, str]]:
        """(number as typed, label) of the filled number fields."""
        phones: list[tuple[str, str]] = []
        if self.primary_edit.text().strip():
            phones.append((self.primary_edit.text(), "primary"))
        if self.secondary_edit.text().strip():
            phones.append((self.secondary_edit.text(), "secondary"))
        return phones

    def save(self) -> None:
        """Queue the new contact or the change (shown at once as pending) and close."""
        from console.services.contacts import UNSET

        self.name_edit.setModified(True)
        if not self.validate():
            return
        name = self.name_edit.text()
        email = self.email_edit.text().strip() or None
        dnd = self.dnd_check.isChecked()
        assigned = UNSET
        if self._service.can_assign:
            assigned = self.assignee_combo.currentData() or None
        try:
            if self._contact is None:
                row = self._service.create(
                    name=name, phones=self.phones(), email=email, dnd=dnd,
                    assigned_user_id=assigned,
                )
            else:
                changed = self._changed(name, email, dnd, assigned)
                if not changed:  # nothing to send: closing is all Save means
                    self.accept()
                    return
                row = self._service.edit(self._contact.id, **changed)
        except DomainError as exc:
            self._show_refusal(exc)
            return
        self.saved.emit(row.id)
        self.accept()

    def _changed(self, name: str, email: str | None, dnd: bool, assigned: Any) -> dict[str, Any]:
        """Only the fields the user changed (a PATCH of the rest would be noise)."""
        from console.services.contacts import UNSET, check_name, check_phone

        contact = self._contact
        assert contact is not None
        changed: dict[str, Any] = {}
        if check_name(name) != contact.name:
            changed["name"] = name
        phones = self._keep_other_phones(self.phones())
        if [(check_phone(n), label) for n, label in phones] != [
            (p.number, p.label) for p in contact.phones
        ]:
            changed["phones"] = phones
        if email != (contact.email or None):
            changed["email"] = email
        if dnd != contact.dnd:
            changed["dnd"] = dnd
        if assigned is not UNSET and assigned != contact.assigned_user_id:
            changed["assigned_user_id"] = assigned
        return changed

    def _keep_other_phones(self, phones: list[tuple[str, str]]) -> list[tuple[str, str]]:
        """The editor shows the first primary and secondary number; any further numbers the
        contact has (the API allows ten) are kept as they are."""
        contact = self._contact
        if contact is None:
            return phones
        shown = {contact.phone("primary"), contact.phone("secondary")}
        chosen = {number for number, _ in phones}
        extra = [
            (p.number, p.label) for p in contact.phones if p not in shown and p.number not in chosen
        ]
        return phones + extra

    def _show_refusal(self, exc: DomainError) -> None:
        if exc.code == ErrorCode.INVALID_PHONE:
            self.primary_field.show(problem_text(exc))
        self.problem.setText(
            translate("ContactEditor", "Not saved: {reason}").format(
                reason=problem_text(exc)
            )
        )
        self.problem.show()
        self.save_button.setEnabled(True)

    def done(self, result: int) -> None:
        if self.dnd_history is not None:
            self.dnd_history.stop()  # its worker thread ends with the dialog
        super().done(result)

    def _delete(self) -> None:
        if self._contact is None or self._on_delete is None:
            return
        contact_id = self._contact.id
        self.reject()
        self._on_delete(contact_id)

    @classmethod
    def start(
        cls,
        parent: QWidget,
        service: ContactService,
        contact: ContactRow | None = None,
        *,
        on_saved: Callable[[str], None] | None = None,
        on_delete: Callable[[str], object] | None = None,
        history: DndHistoryService | None = None,
    ) -> ContactEditor:
        """Open the editor (open(), not exec()): a new contact, or `contact` to change (with
        its DND history from `history`)."""
        editor = cls(service, contact, parent, on_delete=on_delete, history=history)
        if on_saved is not None:
            editor.saved.connect(on_saved)
        editor.finished.connect(editor.deleteLater)
        editor.open()
        return editor
