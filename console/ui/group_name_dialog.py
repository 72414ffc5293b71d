"""The group name dialog (`groupNameDialog`): a new group's name and description, or a
group's new ones (rename). Opened with open(), never exec(); sized to its content.

It never touches the cache: `save(name, description)` is the owner's (a GroupService call
that shows the change at once and queues it). A DomainError it raises ("There is already a
group named …") shows under the name field and the dialog stays open.
"""

from __future__ import annotations

from collections.abc import Callable

from console.domain.errors import DomainError
from console.ui.error_texts import error_text
from console.ui.i18n import translate
from console.ui.qt import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)
from console.ui.theme import set_themed_style

Save = Callable[[str, str], None]  # (name, description); raises DomainError to refuse

STYLE = """
#groupNameDialog { background: $surface; }
#groupNameDialog #dialogHeading { font-size: 12pt; font-weight: 600; color: $text; }
#groupNameDialog #fieldLabel { color: $text_secondary; font-weight: 600; }
#groupNameDialog #fieldHint { color: $muted; font-size: 8.5pt; }
#groupNameError { color: $danger_text; font-size: 8.5pt; }
#groupDescriptionEdit { border: 1px solid $control_border; border-radius: 6px; }
"""


class GroupNameDialog(QDialog):
    def __init__(
        self,
        save: Save,
        parent: QWidget | None = None,
        *,
        title: str = "",  # "" -> "New group"
        action: str = "",  # "" -> "Create group"
        name: str = "",
        description: str = "",
        hint: str = "",
    ) -> None:
        super().__init__(parent)
        title = title or translate("GroupNameDialog", "New group")
        action = action or translate("GroupNameDialog", "Create group")
        self.setObjectName("groupNameDialog")
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        set_themed_style(self, STYLE)
        self._save = save

        heading = QLabel(title, self)
        heading.setObjectName("dialogHeading")
        name_label = QLabel(translate("GroupNameDialog", "Name"), self)
        name_label.setObjectName("fieldLabel")
        self.name_edit = QLineEdit(name, self)
        self.name_edit.setObjectName("groupNameEdit")
        self.name_edit.setAccessibleName(translate("GroupNameDialog", "Group name"))
        self.name_edit.setAccessibleDescription(
            translate("GroupNameDialog", "The name the group is listed by.")
        )
        self.name_edit.setPlaceholderText(translate("GroupNameDialog", "e.g. Spring buyers"))
        self.name_edit.setMinimumWidth(340)
        self.error = QLabel(self)
        self.error.setObjectName("groupNameError")
        self.error.setWordWrap(True)
        self.error.hide()
        about_label = QLabel(
            translate("GroupNameDialog", "Description (optional, for your team)"), self
        )
        about_label.setObjectName("fieldLabel")
        self.description_edit = QPlainTextEdit(description, self)
        self.description_edit.setObjectName("groupDescriptionEdit")
        self.description_edit.setAccessibleName(translate("GroupNameDialog", "Group description"))
        self.description_edit.setAccessibleDescription(translate(
            "GroupNameDialog", "What the group is for, for your team. Optional."
        ))
        self.description_edit.setTabChangesFocus(True)
        self.description_edit.setFixedHeight(64)
        self.hint = QLabel(hint, self)
        self.hint.setObjectName("fieldHint")
        self.hint.setWordWrap(True)
        self.hint.setVisible(bool(hint))

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(action)
        self.save_button.setObjectName("groupNameSave")
        self.save_button.setDefault(True)
        self.save_button.setAccessibleDescription(
            translate("GroupNameDialog", "Keeps this name and description for the group.")
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleDescription(
            translate("GroupNameDialog", "Closes this window without changing anything.")
        )
        self.buttons.accepted.connect(self.try_save)
        self.buttons.rejected.connect(self.reject)
        self.name_edit.textChanged.connect(self._edited)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 16)
        layout.setSpacing(6)
        layout.addWidget(heading)
        layout.addSpacing(6)
        layout.addWidget(name_label)
        layout.addWidget(self.name_edit)
        layout.addWidget(self.error)
        layout.addSpacing(4)
        layout.addWidget(about_label)
        layout.addWidget(self.description_edit)
        layout.addWidget(self.hint)
        layout.addSpacing(6)
        layout.addWidget(self.buttons)
        self._edited(self.name_edit.text())
        self.name_edit.setFocus()

    @property
    def name(self) -> str:
        return self.name_edit.text()

    @property
    def description(self) -> str:
        return self.description_edit.toPlainText()

    def _edited(self, text: str) -> None:
        self.error.hide()
        self.save_button.setEnabled(bool(text.strip()))

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
        self.name_edit.setFocus()
        self.adjustSize()

    def try_save(self) -> None:
        if not self.name.strip():
            self.show_error(translate("GroupNameDialog", "Give the group a name."))
            return
        try:
            self._save(self.name, self.description)
        except DomainError as exc:
            self.show_error(error_text(exc.code, exc.detail))
            return
        self.accept()

    @classmethod
    def start(cls, parent: QWidget, save: Save, **texts: str) -> GroupNameDialog:
        """Open it (open(), not exec()); it deletes itself when closed."""
        dialog = cls(save, parent, **texts)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog
