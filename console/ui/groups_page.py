"""The Groups page (`groupsPage`): audience groups, the people in them, and every change to
them through the outbox.

    page = GroupsPage(parent)
    page.set_workspace(workspace)     # the main window does this, and routes
    page.apply_changes(change_set)    # every change set here
    page.new_group()                  # Ctrl+N on this page, and `newGroupButton`

List column: `groupSearch` over `groupList` (name, member count, Creating… / Saving… /
Deleting… / Not saved). Main column: the selected group (name, description, Rename, Delete,
asking first) over `groupMemberList` (name, number, email, added at, Adding… / Removing…),
searchable, multi-select, with Add members (the picker, console/ui/add_members_dialog.py) and
Remove for the selection. Every write goes through GroupService, which shows it at once; a
refusal reaches the refused-changes list. While hidden, change sets only mark it stale.
"""

from __future__ import annotations

import html
import logging
from typing import TYPE_CHECKING

from console.domain.errors import DomainError
from console.services.types import ChangeSet
from console.ui.add_members_dialog import AddMembersDialog
from console.ui.delete_confirm import delete_confirm
from console.ui.empty_state import EmptyState
from console.ui.error_texts import error_text
from console.ui.flat_table import configure_flat_table, flat_table_style
from console.ui.group_member_model import GroupMemberModel, MemberColumn
from console.ui.group_message_confirm import grouped
from console.ui.group_model import GroupDelegate, GroupListModel, members_text, state_tip
from console.ui.group_name_dialog import GroupNameDialog
from console.ui.gui_thread import assert_gui_thread
from console.ui.i18n import QT_TRANSLATE_NOOP, translate
from console.ui.qt import (
    QAbstractItemView,
    QAction,
    QFrame,
    QHBoxLayout,
    QKeyEvent,
    QKeySequence,
    QLabel,
    QLineEdit,
    QListView,
    QMessageBox,
    QPushButton,
    QShowEvent,
    QStackedWidget,
    Qt,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
    Signal,
)
from console.ui.theme import icon, set_themed_style

if TYPE_CHECKING:
    from console.services.group_reads import GroupRow
    from console.services.groups import GroupService
    from console.services.workspace import Workspace

log = logging.getLogger("console.ui.groups_page")

LIST_WIDTH = 300
MEMBER_ROW_HEIGHT = 32
MEMBER_COLUMN_WIDTHS = {
    MemberColumn.NAME: 220,
    MemberColumn.NUMBER: 150,
    MemberColumn.EMAIL: 230,
    MemberColumn.ADDED: 100,
}

STYLE = (
    """
#groupsPage { background: $surface_alt; }
#groupsListColumn { background: $surface; border-right: 1px solid $border; }
#groupsTitle { font-size: 13pt; font-weight: 600; color: $text; }
#newGroupButton {
    border: 1px solid $control_border; border-radius: 8px; padding: 4px; background: $surface;
}
#newGroupButton:hover { background: $hover; }
#groupList { background: $surface; border: none; outline: none; }
#groupHeader { background: $surface; border-bottom: 1px solid $border; }
#groupName { font-size: 14pt; font-weight: 600; color: $text; }
#groupDescription, #groupMemberCount { color: $muted; font-size: 9pt; }
#groupState { color: $warning_text; font-size: 9pt; }
#groupState[tone="danger"] { color: $danger_text; }
#addMembersButton {
    background: $accent; color: $accent_text; border: none; border-radius: 6px;
    padding: 6px 14px; font-weight: 600;
}
#addMembersButton:hover { background: $accent_hover; }
#addMembersButton:disabled { background: $accent_disabled; color: $accent_disabled_text; }
#renameGroupButton, #removeMembersButton {
    border: 1px solid $control_border; border-radius: 6px; padding: 5px 12px; background: $surface;
}
#deleteGroupButton {
    color: $danger_text; border: 1px solid $danger_border; border-radius: 6px;
    padding: 5px 12px; background: $surface;
}
#deleteGroupButton:hover { background: $danger_soft; }
#removeMembersButton:disabled, #renameGroupButton:disabled, #deleteGroupButton:disabled {
    color: $faint; border-color: $border;
}
"""
    + flat_table_style("groupMemberList")
    + """#groupsEmptyAction, #membersEmptyAction {
    background: $accent; color: $accent_text; border: none; border-radius: 6px;
    padding: 7px 16px; font-weight: 600;
}
#emptyStateTitle { font-size: 13pt; font-weight: 600; color: $text_secondary; }
#emptyStateDetail { color: $separator_text; }
"""
)

_CONTEXT = "GroupsPage"

GROUPS_PURPOSE = QT_TRANSLATE_NOOP(
    "GroupsPage",
    "Groups are lists of customers you send in-app group messages to, such as "
    "“Spring buyers”. Each person gets the message in their own conversation.",
)


def delete_consequences(row: GroupRow, unsent_messages: int = 0) -> str:
    """What deleting a group does, as rich text (the confirmation's informative text).
    `unsent_messages`: group messages queued for it that would be dropped unsent (a group
    not yet created on the server goes with everything queued for it)."""
    dropped = ""
    if unsent_messages:
        dropped = grouped(
            translate(
                _CONTEXT,
                "<p><b>%n group message(s) waiting to be sent to it will be dropped: "
                "never sent.</b> The group was not created on the server yet.</p>",
                None,
                unsent_messages,
            ),
            unsent_messages,
        )
    return dropped + translate(
        _CONTEXT,
        "<p>Group messages already sent to it keep their recipients and stay in the sent "
        "list; replies still arrive in each person's own conversation.</p>",
    ) + translate(
        _CONTEXT, "<p>Its %n member(s) stay in your contacts. No one is told.</p>", None,
        row.member_count,
    )


class MemberTable(QTableView):
    """`groupMemberList`: multi-select; Delete removes the selection (after the button's
    rule: only what is shown as a member)."""

    removeRequested = Signal()

    def __init__(self, model: GroupMemberModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        configure_flat_table(
            self,
            model,
            object_name="groupMemberList",
            accessible_name=translate("MemberTable", "Group members"),
            row_height=MEMBER_ROW_HEIGHT,
            multi_select=True,
            column_widths=MEMBER_COLUMN_WIDTHS,
        )
        self.setAccessibleDescription(translate(
            "MemberTable", "The contacts in this group. Delete removes the selected ones."
        ))
        self.setCornerButtonEnabled(False)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)

    def selected_ids(self) -> list[str]:
        ids = []
        for index in self.selectionModel().selectedRows(0):
            value = index.data(GroupMemberModel.ContactIdRole)
            if isinstance(value, str):
                ids.append(value)
        return ids

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and self.selected_ids():
            self.removeRequested.emit()
            event.accept()
            return
        super().keyPressEvent(event)


class GroupsPage(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        assert_gui_thread()
        self.setObjectName("groupsPage")
        self.setAccessibleName(translate(_CONTEXT, "Groups"))
        set_themed_style(self, STYLE)
        self._workspace: Workspace | None = None
        self._stale = False
        self._group_id = ""
        self.name_dialog: GroupNameDialog | None = None
        self.add_dialog: AddMembersDialog | None = None
        self.confirm: QMessageBox | None = None

        # -- list column --
        list_column = QFrame(self)
        list_column.setObjectName("groupsListColumn")
        list_column.setFixedWidth(LIST_WIDTH)
        title = QLabel(translate(_CONTEXT, "Groups"), list_column)
        title.setObjectName("groupsTitle")
        self.new_button = QToolButton(list_column)
        self.new_button.setObjectName("newGroupButton")
        self.new_button.setIcon(icon("plus"))
        self.new_button.setAccessibleName(translate(_CONTEXT, "New group"))
        self.new_button.setToolTip(translate(_CONTEXT, "New group (Ctrl+N)"))
        self.new_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.new_button.clicked.connect(lambda: self.new_group())
        self.search = QLineEdit(list_column)
        self.search.setObjectName("groupSearch")
        self.search.setPlaceholderText(translate(_CONTEXT, "Search groups"))
        self.search.setAccessibleName(translate(_CONTEXT, "Search groups"))
        self.search.setAccessibleDescription(
            translate(_CONTEXT, "Shows only the groups whose name has these words.")
        )
        self.search.setClearButtonEnabled(True)
        self.model = GroupListModel(self)
        self.list = QListView(list_column)
        self.list.setObjectName("groupList")
        self.list.setAccessibleName(translate(_CONTEXT, "Groups"))
        self.list.setAccessibleDescription(
            translate(_CONTEXT, "Your groups. The chosen one shows its members beside the list.")
        )
        self.list.setModel(self.model)
        self.list.setItemDelegate(GroupDelegate(self.list))
        self.list.setUniformItemSizes(True)
        self.list.setMouseTracking(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.selectionModel().currentChanged.connect(lambda *_: self._current_changed())
        self.model.modelReset.connect(self._list_reset)
        self.no_groups = QLabel(list_column)
        self.no_groups.setObjectName("emptyStateDetail")
        self.no_groups.setWordWrap(True)
        self.no_groups.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.no_groups.hide()
        top = QHBoxLayout()
        top.addWidget(title, 1)
        top.addWidget(self.new_button)
        list_layout = QVBoxLayout(list_column)
        list_layout.setContentsMargins(0, 12, 1, 0)  # the column's right border shows
        list_layout.setSpacing(8)
        top.setContentsMargins(16, 0, 12, 0)
        list_layout.addLayout(top)
        search_row = QHBoxLayout()
        search_row.setContentsMargins(12, 0, 12, 0)
        search_row.addWidget(self.search)
        list_layout.addLayout(search_row)
        list_layout.addWidget(self.no_groups)
        list_layout.addWidget(self.list, 1)

        # -- main column: nothing selected / no groups, or the group --
        self.empty = EmptyState("", "", self, name="groupsEmpty")
        self.empty_action = QPushButton(translate(_CONTEXT, "New group"), self.empty)
        self.empty_action.setObjectName("groupsEmptyAction")
        self.empty_action.setAccessibleDescription(
            translate(_CONTEXT, "Creates a group of contacts, to message or manage together.")
        )
        self.empty_action.setCursor(Qt.CursorShape.PointingHandCursor)
        self.empty_action.clicked.connect(lambda: self.new_group())
        empty_layout = self.empty.layout()
        assert isinstance(empty_layout, QVBoxLayout)
        empty_layout.insertWidget(empty_layout.count() - 1, self.empty_action, 0,
                                  Qt.AlignmentFlag.AlignHCenter)
        self.detail = self._build_detail()
        self.main = QStackedWidget(self)
        self.main.setObjectName("groupsMain")
        self.main.addWidget(self.empty)
        self.main.addWidget(self.detail)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(list_column)
        layout.addWidget(self.main, 1)

        self.search.textChanged.connect(self.model.set_search)
        find = QAction(translate(_CONTEXT, "Find group"), self)
        find.setShortcut(QKeySequence(QKeySequence.StandardKey.Find))
        find.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        find.triggered.connect(self.focus_search)
        self.addAction(find)
        self.set_workspace(None)

    def _build_detail(self) -> QWidget:
        detail = QWidget(self)
        detail.setObjectName("groupDetail")
        header = QFrame(detail)
        header.setObjectName("groupHeader")
        self.name_label = QLabel(header)
        self.name_label.setObjectName("groupName")
        self.name_label.setTextFormat(Qt.TextFormat.PlainText)  # user data, never markup
        self.name_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.description_label = QLabel(header)
        self.description_label.setObjectName("groupDescription")
        self.description_label.setTextFormat(Qt.TextFormat.PlainText)  # user data, never markup
        self.description_label.setWordWrap(True)
        self.state_label = QLabel(header)
        self.state_label.setObjectName("groupState")
        self.state_label.setTextFormat(Qt.TextFormat.PlainText)  # user data, never markup
        self.member_count = QLabel(header)
        self.member_count.setObjectName("groupMemberCount")
        self.member_count.setTextFormat(Qt.TextFormat.PlainText)  # user data, never markup
        self.rename_button = QPushButton(translate(_CONTEXT, "Rename…"), header)
        self.rename_button.setObjectName("renameGroupButton")
        self.rename_button.setAccessibleDescription(
            translate(_CONTEXT, "Changes the name and description of this group.")
        )
        self.rename_button.clicked.connect(lambda: self.rename_group())
        self.delete_button = QPushButton(translate(_CONTEXT, "Delete…"), header)
        self.delete_button.setObjectName("deleteGroupButton")
        self.delete_button.setAccessibleDescription(
            translate(_CONTEXT, "Deletes this group, after asking you to confirm.")
        )
        self.delete_button.clicked.connect(lambda: self.delete_group())
        titles = QVBoxLayout()
        titles.setSpacing(2)
        titles.addWidget(self.name_label)
        titles.addWidget(self.description_label)
        titles.addWidget(self.state_label)
        top = QHBoxLayout()
        top.addLayout(titles, 1)
        top.addWidget(self.rename_button, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.delete_button, 0, Qt.AlignmentFlag.AlignTop)

        self.member_search = QLineEdit(header)
        self.member_search.setObjectName("groupMemberSearch")
        self.member_search.setPlaceholderText(translate(_CONTEXT, "Search members"))
        self.member_search.setToolTip(
            translate(_CONTEXT, "Search members by name, number or email")
        )
        self.member_search.setAccessibleName(translate(_CONTEXT, "Search members"))
        self.member_search.setClearButtonEnabled(True)
        self.member_search.setMaximumWidth(320)
        self.add_button = QPushButton(translate(_CONTEXT, "Add members…"), header)
        self.add_button.setObjectName("addMembersButton")
        self.add_button.setAccessibleDescription(
            translate(_CONTEXT, "Opens a list of contacts to add to this group.")
        )
        self.add_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.add_button.clicked.connect(lambda: self.add_members())
        self.remove_button = QPushButton(translate(_CONTEXT, "Remove"), header)
        self.remove_button.setObjectName("removeMembersButton")
        self.remove_button.setToolTip(
            translate(_CONTEXT, "Remove the selected members from the group (Delete)")
        )
        self.remove_button.clicked.connect(self.remove_selected)
        tools = QHBoxLayout()
        tools.setSpacing(8)
        tools.addWidget(self.member_count)
        tools.addStretch(1)
        tools.addWidget(self.member_search, 1)
        tools.addWidget(self.remove_button)
        tools.addWidget(self.add_button)
        header_layout = QVBoxLayout(header)
        header_layout.setContentsMargins(20, 14, 20, 12)
        header_layout.setSpacing(10)
        header_layout.addLayout(top)
        header_layout.addLayout(tools)

        self.member_model = GroupMemberModel(self)
        self.members = MemberTable(self.member_model, detail)
        self.members.removeRequested.connect(self.remove_selected)
        self.members.selectionModel().selectionChanged.connect(lambda *_: self._update_tools())
        self.member_model.modelReset.connect(self._update_tools)
        self.member_search.textChanged.connect(self._search_members)

        self.members_empty = EmptyState("", "", detail, name="membersEmpty", picture_size=48)
        self.members_empty_action = QPushButton(
            translate(_CONTEXT, "Add members…"), self.members_empty
        )
        self.members_empty_action.setObjectName("membersEmptyAction")
        self.members_empty_action.setAccessibleDescription(
            translate(_CONTEXT, "Opens a list of contacts to add to this group.")
        )
        self.members_empty_action.setCursor(Qt.CursorShape.PointingHandCursor)
        self.members_empty_action.clicked.connect(lambda: self.add_members())
        members_empty_layout = self.members_empty.layout()
        assert isinstance(members_empty_layout, QVBoxLayout)
        members_empty_layout.insertWidget(
            members_empty_layout.count() - 1, self.members_empty_action, 0,
            Qt.AlignmentFlag.AlignHCenter,
        )
        self.member_stack = QStackedWidget(detail)
        self.member_stack.addWidget(self.members)
        self.member_stack.addWidget(self.members_empty)

        layout = QVBoxLayout(detail)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(header)
        layout.addWidget(self.member_stack, 1)
        return detail

    # -- the interface the main window uses -----------------------------------------------------
    @property
    def service(self) -> GroupService | None:
        return self._workspace.groups if self._workspace is not None else None

    def set_workspace(self, workspace: Workspace | None) -> None:
        assert_gui_thread()
        for dialog in (self.name_dialog, self.add_dialog, self.confirm):
            if dialog is not None:
                dialog.close()
        self._workspace = workspace
        self._stale = False
        self._group_id = ""
        self.model.set_service(self.service)
        self.new_button.setEnabled(workspace is not None)
        self.search.setEnabled(workspace is not None)
        self._select_first()
        self._show_group()

    def apply_changes(self, changes: ChangeSet) -> None:
        assert_gui_thread()
        if self._workspace is None or not (changes.groups or changes.contacts or changes.reset):
            return
        if not self.isVisible():
            self._stale = True
            return
        self._refresh(changes)

    def new_group(self) -> GroupNameDialog | None:
        """Ask for a new group's name (Ctrl+N on this page, `newGroupButton`)."""
        service = self.service
        if service is None:
            return None

        def save(name: str, description: str) -> None:
            row = service.create_group(name, description)
            self._refresh(ChangeSet(groups=frozenset({row.id})))
            self.select_group(row.id)

        return self._open_name_dialog(
            GroupNameDialog.start(
                self, save, title=translate(_CONTEXT, "New group"),
                action=translate(_CONTEXT, "Create group"),
                hint=translate(
                    _CONTEXT,
                    "Add members once it is made: it is saved at once and sent to the server "
                    "as soon as you are online.",
                ),
            )
        )

    # -- selection ----------------------------------------------------------------------------
    @property
    def current_group_id(self) -> str:
        return self._group_id

    def select_group(self, group_id: str) -> bool:
        row = self.model.row_of(group_id)
        if row < 0:
            return False
        self.list.setCurrentIndex(self.model.index(row, 0))
        return True

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _select_first(self) -> None:
        if self.model.rowCount() > 0 and not self.list.currentIndex().isValid():
            self.list.setCurrentIndex(self.model.index(0, 0))

    def _current_changed(self) -> None:
        value = self.list.currentIndex().data(GroupListModel.IdRole)
        group_id = value if isinstance(value, str) else ""
        if group_id != self._group_id:
            self._group_id = group_id
            self.member_search.clear()
            self.member_model.set_group(self.service, group_id)
        self._show_group()

    def _list_reset(self) -> None:
        # The list was read again: keep the group shown if it is still listed.
        if self._group_id:
            service = self.service
            group_id = service.current_id(self._group_id) if service else self._group_id
            if self.select_group(group_id):
                return
        self._group_id = ""
        self.member_model.set_group(None, "")
        self._select_first()
        self._show_group()

    def _refresh(self, changes: ChangeSet) -> None:
        shown = self._group_id
        self.model.apply_changes(changes)  # a reset re-selects the group (_list_reset)
        if self._group_id and self._group_id == shown and (
            changes.contacts or shown in changes.groups or changes.reset
        ):
            self.member_model.reload()
        self._show_group()

    # -- the main column ----------------------------------------------------------------------
    def _group(self) -> GroupRow | None:
        service = self.service
        return service.group(self._group_id) if service and self._group_id else None

    def _show_group(self) -> None:
        row = self._group()
        self._update_list_empty()
        if row is None:
            self._show_empty()
            return
        self.main.setCurrentWidget(self.detail)
        self.name_label.setText(row.name)
        self.description_label.setText(row.description)
        self.description_label.setVisible(bool(row.description))
        refused = row.state.value == "refused"
        self.state_label.setText(state_tip(row) if row.state.value else "")
        self.state_label.setProperty("tone", "danger" if refused else "warning")
        self.state_label.style().unpolish(self.state_label)
        self.state_label.style().polish(self.state_label)
        self.state_label.setVisible(bool(row.state.value))
        deleting = row.state.value == "deleting"
        self.rename_button.setEnabled(not deleting and not refused)
        self.delete_button.setEnabled(not deleting)
        self.add_button.setEnabled(not deleting and not refused)
        self.members_empty_action.setEnabled(not deleting and not refused)
        self._update_tools()

    def _show_empty(self) -> None:
        if self._workspace is None:
            self.empty.set_text(
                translate(_CONTEXT, "Groups"), translate(_CONTEXT, "Sign in to see your groups.")
            )
            self.empty_action.hide()
        elif self.model.rowCount() == 0 and not self.model.search_text:
            self.empty.set_text(
                translate(_CONTEXT, "No groups yet"),
                translate(_CONTEXT, "{purpose} Create one to start.").format(
                    purpose=translate(_CONTEXT, GROUPS_PURPOSE)
                ),
            )
            self.empty_action.show()
        else:
            self.empty.set_text(
                translate(_CONTEXT, "Select a group"),
                translate(_CONTEXT, "Choose one on the left to see its members."),
            )
            self.empty_action.hide()
        self.main.setCurrentWidget(self.empty)

    def _update_list_empty(self) -> None:
        text = self.model.search_text
        if self._workspace is not None and self.model.rowCount() == 0 and text:
            self.no_groups.setText(
                translate(_CONTEXT, "No group is named like “{text}”.").format(text=text)
            )
            self.no_groups.show()
        else:
            self.no_groups.hide()

    def _search_members(self, text: str) -> None:
        self.member_model.set_search(text)

    def _update_tools(self) -> None:
        row_count = self.member_model.rowCount()
        text = self.member_model.search_text
        group = self._group()
        total = group.member_count if group is not None else 0
        if text:
            more = "+" if self.member_model.has_more else ""
            self.member_count.setText(
                translate(_CONTEXT, "{shown}{more} of %n member(s) match", None, total).format(
                    shown=row_count, more=more
                )
            )
        else:
            self.member_count.setText(members_text(total))
            if self._workspace is not None and self._workspace.groups.assigned_only:
                self.member_count.setText(
                    translate(
                        _CONTEXT, "%n member(s); you see the {shown} assigned to you", None, total
                    ).format(shown=row_count)
                )
        chosen = self.members.selected_ids()
        self.remove_button.setEnabled(bool(chosen))
        self.remove_button.setText(
            translate(_CONTEXT, "Remove {count}").format(count=len(chosen))
            if len(chosen) > 1 else translate(_CONTEXT, "Remove")
        )
        if row_count == 0 and group is not None:
            if text:
                self.members_empty.set_text(
                    translate(_CONTEXT, "No member matches"),
                    translate(_CONTEXT, "No one in this group matches “{text}”.").format(
                        text=text
                    ),
                )
                self.members_empty_action.hide()
            else:
                self.members_empty.set_text(
                    translate(_CONTEXT, "No members yet"),
                    translate(_CONTEXT, "Add the customers who should get this group's messages."),
                )
                self.members_empty_action.show()
            self.member_stack.setCurrentWidget(self.members_empty)
        else:
            self.member_stack.setCurrentWidget(self.members)

    # -- actions ------------------------------------------------------------------------------
    def _open_name_dialog(self, dialog: GroupNameDialog) -> GroupNameDialog:
        if self.name_dialog is not None:
            self.name_dialog.close()
        self.name_dialog = dialog
        dialog.finished.connect(lambda _r, d=dialog: self._name_dialog_gone(d))
        return dialog

    def _name_dialog_gone(self, dialog: GroupNameDialog) -> None:
        if self.name_dialog is dialog:
            self.name_dialog = None

    def rename_group(self) -> GroupNameDialog | None:
        service, row = self.service, self._group()
        if service is None or row is None:
            return None
        group_id = row.id

        def save(name: str, description: str) -> None:
            service.rename_group(group_id, name=name, description=description)
            self._refresh(ChangeSet(groups=frozenset({group_id})))

        return self._open_name_dialog(
            GroupNameDialog.start(
                self, save, title=translate(_CONTEXT, "Rename group"),
                action=translate(_CONTEXT, "Save"), name=row.name,
                description=row.description,
            )
        )

    def delete_group(self) -> QMessageBox | None:
        """Ask first, saying plainly what happens to the messages already sent."""
        service, row = self.service, self._group()
        if service is None or row is None:
            return None
        group_id = row.id
        unsent = service.dropped_with(group_id)

        def decided(delete: bool) -> None:
            self.confirm = None
            if delete:
                self._delete_now(group_id)

        box = delete_confirm(
            self,
            object_name="groupDeleteConfirm",
            title=translate(_CONTEXT, "Delete group"),
            text=translate(_CONTEXT, "Delete the group <b>{name}</b>?").format(
                name=html.escape(row.name)
            ),
            details=delete_consequences(row, unsent),
            button=translate(_CONTEXT, "Delete group"),
            button_object_name="confirmDeleteGroup",
            decided=decided,
        )
        self.confirm = box
        box.open()
        return box

    def _delete_now(self, group_id: str) -> None:
        service = self.service
        if service is None:
            return
        try:
            service.delete_group(group_id)
        except DomainError as exc:
            self._tell(error_text(exc.code, exc.detail))
            return
        self._refresh(ChangeSet(groups=frozenset({group_id})))

    def add_members(self) -> AddMembersDialog | None:
        """The contact picker for the selected group (multi-select)."""
        service, row = self.service, self._group()
        if service is None or row is None:
            return None
        group_id = row.id
        if self.add_dialog is not None:
            self.add_dialog.close()

        def add(contact_ids: list[str]) -> None:
            service.add_members(group_id, contact_ids)
            self._refresh(ChangeSet(groups=frozenset({group_id})))

        dialog = AddMembersDialog.start(self, service, group_id, row.name, add)
        dialog.finished.connect(lambda _r, d=dialog: self._add_dialog_gone(d))
        self.add_dialog = dialog
        return dialog

    def _add_dialog_gone(self, dialog: AddMembersDialog) -> None:
        if self.add_dialog is dialog:
            self.add_dialog = None

    def remove_selected(self) -> None:
        service, group_id = self.service, self._group_id
        chosen = self.members.selected_ids()
        if service is None or not group_id or not chosen:
            return
        try:
            service.remove_members(group_id, chosen)
        except DomainError as exc:
            self._tell(error_text(exc.code, exc.detail))
            return
        self.members.clearSelection()
        self._refresh(ChangeSet(groups=frozenset({group_id})))

    def _tell(self, text: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, translate(_CONTEXT, "Groups"), text,
                          QMessageBox.StandardButton.Ok, self)
        box.setObjectName("groupsNotice")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self._stale = False
            self._refresh(ChangeSet(reset=True))
