"""The template editor (`templateEditor`): a template's name, its text with merge fields put in
by button, and (admins) whether everyone shares it. A `{token}` that is not a merge field is
named as it is typed, and Save waits until it is fixed.

Opened with open(), never exec(). It never touches the cache: `save(name, body, shared)` is the
owner's; a DomainError it reports (`show_error`) keeps the dialog open with what was typed.
"""

from __future__ import annotations

from collections.abc import Callable

from console.domain.merge_fields import FIELDS, unknown_fields
from console.domain.templates import BODY_MAX, NAME_MAX, TemplateItem
from console.ui.i18n import translate
from console.ui.qt import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    Qt,
    QToolButton,
    QVBoxLayout,
    QWidget,
)
from console.ui.template_picker import field_word
from console.ui.theme import set_themed_style

Save = Callable[[str, str, bool], None]  # (name, body, shared): the owner's

STYLE = """
#templateEditor { background: $surface; }
#templateEditor #dialogHeading { font-size: 12pt; font-weight: 600; color: $text; }
#templateFieldHint { color: $muted; font-size: 8.5pt; }
#templateEditorError { color: $danger_text; }
#templateEditor QToolButton { border: 1px solid $control_border; border-radius: 10px;
                              padding: 2px 8px; color: $text_secondary; }
#templateEditor QToolButton:hover { background: $hover; }
"""

_CONTEXT = "TemplateEditor"


def unknown_text(unknown: tuple[str, ...]) -> str:
    names = ", ".join("{" + name + "}" for name in unknown)
    known = " ".join("{" + name + "}" for name in FIELDS)
    return translate(
        _CONTEXT, "{names} is not a merge field. The fields are {known}; write {{{{ and }}}} "
        "for a brace.").format(names=names, known=known)


class TemplateEditor(QDialog):
    def __init__(
        self,
        save: Save,
        parent: QWidget | None = None,
        *,
        item: TemplateItem | None = None,
        may_share: bool = False,
        body: str = "",
    ) -> None:
        """`item`: the template to change (None: a new one, starting with `body`)."""
        super().__init__(parent)
        self.setObjectName("templateEditor")
        self.setWindowTitle(translate(_CONTEXT, "Edit template") if item is not None
                            else translate(_CONTEXT, "New template"))
        set_themed_style(self, STYLE)
        self._save = save
        self.item = item

        heading = QLabel(self.windowTitle(), self)
        heading.setObjectName("dialogHeading")
        self.name = QLineEdit(item.name if item is not None else "", self)
        self.name.setObjectName("templateNameEdit")
        self.name.setMaxLength(NAME_MAX)
        self.name.setPlaceholderText(translate(_CONTEXT, "e.g. Showing confirmation"))
        self.name.setAccessibleName(translate(_CONTEXT, "Template name"))
        self.name.setAccessibleDescription(
            translate(_CONTEXT, "What the template is called in the list of templates."))
        self.body = QPlainTextEdit(item.body if item is not None else body, self)
        self.body.setObjectName("templateBodyEdit")
        self.body.setAccessibleName(translate(_CONTEXT, "Template text"))
        self.body.setAccessibleDescription(translate(
            _CONTEXT, "The template's text; merge fields in braces fill in for each person."))
        self.body.setPlaceholderText(translate(
            _CONTEXT, "Hi {first_name}, this is {agent_name}. Your showing is confirmed."))
        self.body.setTabChangesFocus(True)
        self.body.setMinimumHeight(110)

        fields = QHBoxLayout()
        fields.setSpacing(6)
        fields.addWidget(QLabel(translate(_CONTEXT, "Insert:"), self))
        self.field_buttons: dict[str, QToolButton] = {}
        for name in FIELDS:
            button = QToolButton(self)
            button.setObjectName(f"templateField_{name}")
            button.setText(field_word(name))
            button.setToolTip("{" + name + "}")
            button.setAccessibleName(translate(_CONTEXT, "Insert the {field} field").format(
                field=field_word(name)))
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.clicked.connect(lambda _checked=False, n=name: self.insert_field(n))
            fields.addWidget(button)
            self.field_buttons[name] = button
        fields.addStretch(1)
        hint = QLabel(translate(
            _CONTEXT, "Fields fill in for each person when you insert the template or send a "
            "group message; one with no value is left out, and you are told first."), self)
        hint.setObjectName("templateFieldHint")
        hint.setWordWrap(True)

        self.shared = QCheckBox(translate(_CONTEXT, "Shared with everyone on the team"), self)
        self.shared.setObjectName("templateSharedCheck")
        self.shared.setChecked(item.shared if item is not None else False)
        self.shared.setEnabled(may_share)
        if not may_share:
            self.shared.setToolTip(translate(_CONTEXT, "Only admins share templates."))
        else:
            self.shared.setAccessibleDescription(translate(
                _CONTEXT, "Everyone on the team can insert it; only admins change it."))
        self.error = QLabel(self)
        self.error.setObjectName("templateEditorError")
        self.error.setWordWrap(True)
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.hide()

        buttons = QDialogButtonBox(self)
        self.save_button = QPushButton(translate(_CONTEXT, "Save"), self)
        self.save_button.setObjectName("templateSaveButton")
        self.save_button.setAccessibleDescription(translate(_CONTEXT, "Saves the template."))
        self.save_button.setDefault(True)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleDescription(
            translate(_CONTEXT, "Closes the editor; nothing is saved."))
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow(translate(_CONTEXT, "Name"), self.name)
        form.addRow(translate(_CONTEXT, "Text"), self.body)
        form.addRow("", fields)
        form.addRow("", hint)
        form.addRow("", self.shared)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 14)
        layout.setSpacing(10)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)

        self.name.textChanged.connect(self._check)
        self.body.textChanged.connect(self._check)
        self._check()

    def insert_field(self, name: str) -> None:
        self.body.insertPlainText("{" + name + "}")
        self.body.setFocus()

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
        self.save_button.setEnabled(True)

    def submit(self) -> None:
        if not self.save_button.isEnabled():
            return
        self.save_button.setEnabled(False)  # until the owner answers: one save at a time
        self._save(self.name.text(), self.body.toPlainText(), self.shared.isChecked())

    def _check(self) -> None:
        body = self.body.toPlainText()
        unknown = unknown_fields(body)
        too_long = len(body.strip()) > BODY_MAX
        if unknown:
            self.error.setText(unknown_text(unknown))
        elif too_long:
            self.error.setText(translate(
                _CONTEXT, "At most {count} characters.").format(count=f"{BODY_MAX:,}"))
        else:
            self.error.setText("")
        self.error.setVisible(bool(self.error.text()))
        self.save_button.setEnabled(
            bool(self.name.text().strip()) and bool(body.strip()) and not unknown
            and not too_long
        )
