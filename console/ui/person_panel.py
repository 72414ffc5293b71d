"""The person panel (`personPanel`): beside a 1:1 or in-app conversation, who the person is
(their numbers, email, Do Not Disturb, the agent they are assigned to) and their audience
groups (`personGroups`), with add to an existing group (`personGroupChooser` +
`addToGroupButton`), add to a new one (`addToNewGroupButton`: name it) and remove
(`removeFromGroupButton`), without leaving the conversation.

It sits in the conversation's right-panel slot, where a group chat shows its participants, and
opens and closes with the same chevron. Every change goes through GroupService (the outbox):
the row shows Adding… / Removing… at once; a refusal reaches the refused-changes list.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from console.domain.errors import DomainError
from console.services.types import ChangeSet
from console.ui.error_texts import error_text
from console.ui.group_name_dialog import GroupNameDialog
from console.ui.i18n import translate
from console.ui.participant_panel import PANEL_WIDTH, ROW_PAD_X
from console.ui.person_groups_model import PersonGroupModel
from console.ui.qt import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
)
from console.ui.theme import set_themed_style

if TYPE_CHECKING:
    from console.services.workspace import Workspace

log = logging.getLogger("console.ui.person_panel")

CHOOSER_LIMIT = 200  # groups offered in the chooser (a team has tens)
LIST_MAX_HEIGHT = 220  # beyond it, `personGroups` scrolls

STYLE = """
#personPanel { background: $surface; border: none; border-left: 1px solid $border; }
#personName { font-size: 11pt; font-weight: 600; color: $text; }
#personFacts { color: $text_secondary; font-size: 9pt; }
#personDnd {
    color: $danger_text; background: $danger_soft; border-radius: 6px; padding: 2px 8px;
    font-size: 8.5pt; font-weight: 600;
}
#personGroupsTitle { font-size: 10pt; font-weight: 600; color: $text; }
#personGroups { background: $surface; border: 1px solid $border; border-radius: 6px; outline: none;
    selection-background-color: $accent_soft; selection-color: $text; }
#personGroups::item { padding: 5px 6px; }
#personGroupsEmpty, #personGroupsHint { color: $muted; font-size: 9pt; }
#personGroupsError { color: $danger_text; font-size: 9pt; }
#addToGroupButton, #addToNewGroupButton, #removeFromGroupButton {
    border: 1px solid $control_border; border-radius: 6px; padding: 4px 10px; background: $surface;
}
#addToGroupButton:disabled, #removeFromGroupButton:disabled { color: $faint; }
"""


class PersonPanel(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("personPanel")
        self.setAccessibleName(translate("PersonPanel", "Person"))
        set_themed_style(self, STYLE)
        self.setFixedWidth(PANEL_WIDTH)
        self._workspace: Workspace | None = None
        self._contact_id: str | None = None
        self._conversation_id: str | None = None  # None: nothing shown yet (or a new workspace)
        self.name_dialog: GroupNameDialog | None = None

        self.name = QLabel(self)
        self.name.setObjectName("personName")
        self.name.setTextFormat(Qt.TextFormat.PlainText)  # user data, never markup
        self.name.setWordWrap(True)
        self.facts = QLabel(self)
        self.facts.setObjectName("personFacts")
        self.facts.setTextFormat(Qt.TextFormat.PlainText)  # user data, never markup
        self.facts.setWordWrap(True)
        self.facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.dnd = QLabel(translate("PersonPanel", "Do Not Disturb"), self)
        self.dnd.setObjectName("personDnd")
        self.dnd.setToolTip(
            translate("PersonPanel", "Do Not Disturb is on: no SMS goes to this person")
        )
        self.dnd.hide()

        self.groups_title = QLabel(translate("PersonPanel", "Groups"), self)
        self.groups_title.setObjectName("personGroupsTitle")
        self.model = PersonGroupModel(self)
        self.list = QListView(self)
        self.list.setObjectName("personGroups")
        self.list.setAccessibleName(translate("PersonPanel", "Their groups"))
        self.list.setAccessibleDescription(translate(
            "PersonPanel", "The groups this person is in. Choose one to remove them from it."
        ))
        self.list.setModel(self.model)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.empty = QLabel(translate("PersonPanel", "Not in any group yet."), self)
        self.empty.setObjectName("personGroupsEmpty")
        self.remove_button = QPushButton(translate("PersonPanel", "Remove from group"), self)
        self.remove_button.setObjectName("removeFromGroupButton")
        self.remove_button.setAccessibleDescription(
            translate("PersonPanel", "Takes this person out of the group chosen above.")
        )
        self.remove_button.clicked.connect(self.remove_selected)

        self.chooser = QComboBox(self)
        self.chooser.setObjectName("personGroupChooser")
        self.chooser.setAccessibleName(translate("PersonPanel", "Group to add them to"))
        self.chooser.setAccessibleDescription(
            translate("PersonPanel", "The groups this person is not in yet.")
        )
        self.chooser.currentIndexChanged.connect(lambda _i: self._update_buttons())
        self.add_button = QPushButton(translate("PersonPanel", "Add"), self)
        self.add_button.setObjectName("addToGroupButton")
        self.add_button.setToolTip(translate("PersonPanel", "Add them to the chosen group"))
        self.add_button.clicked.connect(self.add_to_chosen)
        self.new_button = QPushButton(translate("PersonPanel", "Add to a new group…"), self)
        self.new_button.setObjectName("addToNewGroupButton")
        self.new_button.setAccessibleDescription(
            translate("PersonPanel", "Creates a group with this person in it.")
        )
        self.new_button.clicked.connect(lambda: self.add_to_new_group())
        self.error = QLabel(self)
        self.error.setObjectName("personGroupsError")
        self.error.setTextFormat(Qt.TextFormat.PlainText)  # user data, never markup
        self.error.setWordWrap(True)
        self.error.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(ROW_PAD_X, 14, ROW_PAD_X, 12)
        layout.setSpacing(6)
        layout.addWidget(self.name)
        layout.addWidget(self.facts)
        layout.addWidget(self.dnd, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addSpacing(10)
        layout.addWidget(self.groups_title)
        layout.addWidget(self.list)
        layout.addWidget(self.empty)
        layout.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addSpacing(6)
        add_row = QHBoxLayout()
        add_row.setSpacing(6)
        add_row.addWidget(self.chooser, 1)
        add_row.addWidget(self.add_button)
        layout.addLayout(add_row)
        layout.addWidget(self.new_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.error)
        layout.addStretch(1)
        self._update_buttons()

    # -- wiring -------------------------------------------------------------------------------
    @property
    def contact_id(self) -> str | None:
        return self._contact_id

    def set_workspace(self, workspace: Workspace | None) -> None:
        if self.name_dialog is not None:
            self.name_dialog.close()
        self._workspace = workspace
        self._conversation_id = None
        self.show_conversation("")

    def show_conversation(self, conversation_id: str) -> None:
        """Show the person of a direct or in-app conversation ("" or a group chat: no one)."""
        workspace = self._workspace
        contact_id = None
        if workspace is not None and conversation_id:
            contact_id = workspace.conversations.contact_of(conversation_id)
        if contact_id == self._contact_id and conversation_id == self._conversation_id:
            # The open chat changed (a message came): its person did not. apply_changes
            # reloads on their own changes; reloading per message cost ~13 ms of GUI thread
            # per change set during a sync (tests/bench/bench_gui_stall.py).
            return
        if contact_id != self._contact_id:
            self.error.hide()
        self._contact_id = contact_id
        self._conversation_id = conversation_id
        self.reload()

    def has_person(self) -> bool:
        return self._contact_id is not None

    def apply_changes(self, changes: ChangeSet) -> None:
        if self._workspace is None or self._contact_id is None:
            return
        if changes.reset or changes.groups or self._contact_id in changes.contacts:
            self.reload()

    # -- reading ------------------------------------------------------------------------------
    def reload(self) -> None:
        workspace, contact_id = self._workspace, self._contact_id
        if workspace is None or contact_id is None:
            self.name.setText("")
            self.facts.setText("")
            self.dnd.hide()
            self.model.set_rows([])
            self.chooser.clear()
            self._update_buttons()
            return
        contact = workspace.contacts.contact(contact_id)
        if contact is not None:
            self.name.setText(contact.name)
            lines = [f"{p.display}  ({p.label})" if p.label else p.display for p in contact.phones]
            if contact.email:
                lines.append(contact.email)
            if contact.assigned_name:
                assigned = translate("PersonPanel", "Assigned to {name}")
                lines.append(assigned.format(name=contact.assigned_name))
            elif contact.assigned_user_id:
                lines.append(translate("PersonPanel", "Assigned to a colleague"))
            else:
                lines.append(translate("PersonPanel", "Unassigned"))
            self.facts.setText("\n".join(lines))
            self.dnd.setVisible(contact.dnd)
        else:
            self.name.setText(translate("PersonPanel", "Unknown person"))
            self.facts.setText(
                translate("PersonPanel", "This contact is not in your contact list.")
            )
            self.dnd.hide()
        rows = workspace.groups.groups_of_contact(contact_id)
        self.model.set_rows(rows)
        self._fit_list()
        self.groups_title.setText(
            translate("PersonPanel", "Groups (%n)", None, len(rows))
            if rows
            else translate("PersonPanel", "Groups")
        )
        self._fill_chooser({r.group.id for r in rows})
        self._update_buttons()

    def _fit_list(self) -> None:
        """As tall as its rows (a person is in a handful of groups), up to LIST_MAX_HEIGHT."""
        rows = self.model.rowCount()
        if rows == 0:
            return
        height = rows * max(self.list.sizeHintForRow(0), 1) + 2 * self.list.frameWidth() + 2
        self.list.setFixedHeight(min(height, LIST_MAX_HEIGHT))

    def _fill_chooser(self, theirs: set[str]) -> None:
        workspace = self._workspace
        chosen = self.chooser.currentData()
        self.chooser.blockSignals(True)
        self.chooser.clear()
        if workspace is not None:
            for group in workspace.groups.groups_page("", 0, CHOOSER_LIMIT):
                if group.id in theirs or group.state.value in ("deleting", "refused"):
                    continue
                self.chooser.addItem(group.name, group.id)
        if self.chooser.count() == 0:
            self.chooser.setPlaceholderText(translate("PersonPanel", "No other group"))
        else:
            self.chooser.setPlaceholderText(translate("PersonPanel", "Choose a group"))
        position = self.chooser.findData(chosen) if chosen else -1
        self.chooser.setCurrentIndex(position)
        self.chooser.blockSignals(False)

    def _selected_group(self) -> str | None:
        index = self.list.currentIndex()
        if not index.isValid() or not self.list.selectionModel().isSelected(index):
            return None
        value = index.data(PersonGroupModel.GroupIdRole)
        state = index.data(PersonGroupModel.StateRole)
        return value if isinstance(value, str) and state != "removing" else None

    def _update_buttons(self) -> None:
        person = self._contact_id is not None
        has_rows = self.model.rowCount() > 0
        self.list.setVisible(has_rows)
        self.empty.setVisible(person and not has_rows)
        self.remove_button.setVisible(has_rows)
        self.remove_button.setEnabled(self._selected_group() is not None)
        self.chooser.setEnabled(person and self.chooser.count() > 0)
        self.add_button.setEnabled(person and isinstance(self.chooser.currentData(), str))
        self.new_button.setEnabled(person)

    # -- writing ------------------------------------------------------------------------------
    def _write(self, action: str, group_id: str) -> bool:
        workspace, contact_id = self._workspace, self._contact_id
        if workspace is None or contact_id is None:
            return False
        try:
            if action == "add":
                workspace.groups.add_member(group_id, contact_id)
            else:
                workspace.groups.remove_member(group_id, contact_id)
        except DomainError as exc:
            self.error.setText(error_text(exc.code, exc.detail))
            self.error.show()
            return False
        self.error.hide()
        self.reload()  # shown at once; the change set that follows changes nothing more
        return True

    def add_to_chosen(self) -> bool:
        group_id = self.chooser.currentData()
        return isinstance(group_id, str) and self._write("add", group_id)

    def remove_selected(self) -> bool:
        group_id = self._selected_group()
        return group_id is not None and self._write("remove", group_id)

    def add_to_new_group(self) -> GroupNameDialog | None:
        """Name a new group; it is made with this person in it."""
        workspace, contact_id = self._workspace, self._contact_id
        if workspace is None or contact_id is None:
            return None
        if self.name_dialog is not None:
            self.name_dialog.close()

        def save(name: str, description: str) -> None:
            group = workspace.groups.create_group(name, description)
            workspace.groups.add_member(group.id, contact_id)
            self.reload()

        dialog = GroupNameDialog.start(
            self, save, title=translate("PersonPanel", "New group"),
            action=translate("PersonPanel", "Create and add"),
            hint=(
                translate("PersonPanel", "{name} is added to it straight away.").format(
                    name=self.name.text()
                )
                if self.name.text()
                else translate("PersonPanel", "This person is added to it straight away.")
            ),
        )
        dialog.finished.connect(lambda _r, d=dialog: self._dialog_gone(d))
        self.name_dialog = dialog
        return dialog

    def _dialog_gone(self, dialog: GroupNameDialog) -> None:
        if self.name_dialog is dialog:
            self.name_dialog = None
