"""The Contacts page (`contactsPage`): every contact this user may see, searchable, editable.

    page = ContactsPage(parent)
    page.set_workspace(workspace)     # the main window does this, and routes
    page.apply_changes(change_set)    # every change set here
    page.new_contact()                # Ctrl+N on this page, and the `newContactButton`

The table (`contactList`) is a lazily filled window over the cache (contact_model.py): the
search runs in SQL on each keystroke and only the rows on screen are ever read. An assigned-
only user's cache holds only their contacts (the server sends no others), so the page shows
exactly what they may see without filtering anything here.

Edits, new contacts and deletes go through ContactService (the outbox): the row shows
"Saving…", "Creating…" or "Deleting…" at once, and a refusal reaches the refused-changes list.
While the page is hidden, change sets only mark it stale; it re-reads when shown again.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

from console.domain.errors import DomainError
from console.services.types import ChangeSet
from console.ui.contact_editor import ContactEditor
from console.ui.contact_import import ContactImportController
from console.ui.contact_import_dialog import ContactImportDialog
from console.ui.contact_model import Column, ContactTableModel
from console.ui.delete_confirm import delete_confirm
from console.ui.error_texts import error_text
from console.ui.flat_table import configure_flat_table, flat_table_style
from console.ui.gui_thread import assert_gui_thread
from console.ui.i18n import in_source_language, translate
from console.ui.qt import (
    QAbstractItemView,
    QAction,
    QHBoxLayout,
    QKeyEvent,
    QKeySequence,
    QLabel,
    QLineEdit,
    QLocale,
    QMenu,
    QMessageBox,
    QModelIndex,
    QPoint,
    QPushButton,
    QShowEvent,
    QStackedWidget,
    Qt,
    QTableView,
    QVBoxLayout,
    QWidget,
    Signal,
)
from console.ui.theme import set_themed_style

if TYPE_CHECKING:
    from console.services.contacts import ContactRow, ContactService
    from console.services.workspace import Workspace

log = logging.getLogger("console.ui.contacts_page")

ROW_HEIGHT = 32
COLUMN_WIDTHS = {
    Column.NAME: 230,
    Column.PRIMARY: 150,
    Column.SECONDARY: 150,
    Column.EMAIL: 230,
    Column.DND: 56,
    Column.ASSIGNED: 150,
    Column.UPDATED: 96,
}

STYLE = (
    """
#contactsPage { background: $surface_alt; }
#contactsHeader { background: $surface; border-bottom: 1px solid $border; }
#contactsTitle { font-size: 13pt; font-weight: 600; color: $text; }
#contactsCount, #contactsScope { color: $muted; font-size: 9pt; }
#contactsSearch { min-width: 260px; }
#newContactButton {
    background: $accent; color: $accent_text; border: none; border-radius: 6px;
    padding: 6px 14px; font-weight: 600;
}
#newContactButton:hover { background: $accent_hover; }
#newContactButton:disabled { background: $accent_disabled; color: $accent_disabled_text; }
"""
    + flat_table_style("contactList")
    + """#contactsEmptyTitle { font-size: 13pt; font-weight: 600; color: $text_secondary; }
#contactsEmptyDetail { color: $separator_text; }
"""
)


class ContactTable(QTableView):
    """`contactList`: one row per contact; double-click or Enter edits, Delete deletes."""

    editRequested = Signal(str)
    deleteRequested = Signal(str)

    def __init__(self, model: ContactTableModel, parent: QWidget | None = None):
        super().__init__(parent)
        configure_flat_table(
            self,
            model,
            object_name="contactList",
            accessible_name=translate("ContactTable", "Contacts"),
            row_height=ROW_HEIGHT,
            column_widths=COLUMN_WIDTHS,
        )
        self.setAccessibleDescription(translate(
            "ContactTable",
            "Your contacts with their numbers and email. Enter edits one, Delete deletes it; "
            "the context menu has more.",
        ))
        self.setCornerButtonEnabled(False)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._menu)
        self.doubleClicked.connect(self._edit_index)
        self.activated.connect(self._edit_index)

    def current_id(self) -> str | None:
        index = self.currentIndex()
        if not index.isValid() or not self.selectionModel().isRowSelected(index.row()):
            return None
        value = index.siblingAtColumn(0).data(ContactTableModel.IdRole)
        return value if isinstance(value, str) else None

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and self.current_id():
            self._delete_current()
            event.accept()
            return
        super().keyPressEvent(event)

    def _edit_index(self, index: QModelIndex) -> None:
        value = index.siblingAtColumn(0).data(ContactTableModel.IdRole)
        if isinstance(value, str):
            self.editRequested.emit(value)

    def _delete_current(self) -> None:
        contact_id = self.current_id()
        if contact_id:
            self.deleteRequested.emit(contact_id)

    def _menu(self, at: QPoint) -> None:
        index = self.indexAt(at)
        value = index.siblingAtColumn(0).data(ContactTableModel.IdRole) if index.isValid() else None
        if not isinstance(value, str):
            return
        contact_id = value
        menu = QMenu(self)
        menu.setObjectName("contactMenu")
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.addAction(
            translate("ContactTable", "Edit…"), lambda: self.editRequested.emit(contact_id)
        )
        menu.addSeparator()
        menu.addAction(
            translate("ContactTable", "Delete…"), lambda: self.deleteRequested.emit(contact_id)
        )
        menu.popup(self.viewport().mapToGlobal(at))


class ContactsPage(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        assert_gui_thread()
        self.setObjectName("contactsPage")
        self.setAccessibleName(translate("ContactsPage", "Contacts"))
        set_themed_style(self, STYLE)
        self._workspace: Workspace | None = None
        self._stale = False  # changes came while hidden: re-read when shown
        self.editor: ContactEditor | None = None
        self.confirm: QMessageBox | None = None

        title = QLabel(translate("ContactsPage", "Contacts"), self)
        title.setObjectName("contactsTitle")
        self.count_label = QLabel(self)
        self.count_label.setObjectName("contactsCount")
        self.scope_label = QLabel(self)
        self.scope_label.setObjectName("contactsScope")
        self.scope_label.hide()
        self.search = QLineEdit(self)
        self.search.setObjectName("contactsSearch")
        self.search.setPlaceholderText(translate("ContactsPage", "Search by name, number or email"))
        self.search.setAccessibleName(translate("ContactsPage", "Search contacts"))
        self.search.setAccessibleDescription(translate(
            "ContactsPage", "Shows only the contacts whose name, number or email has these words."
        ))
        self.search.setClearButtonEnabled(True)
        self.new_button = QPushButton(translate("ContactsPage", "New contact"), self)
        self.new_button.setObjectName("newContactButton")
        self.new_button.setAccessibleName(translate("ContactsPage", "New contact"))
        self.new_button.setToolTip(translate("ContactsPage", "Add a contact (Ctrl+N)"))
        self.new_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.new_button.clicked.connect(self.new_contact)
        # Contacts from a CSV or vCard file (console/ui/contact_import.py does the work).
        self.imports = ContactImportController(self)
        self.import_button = QPushButton(translate("ContactsPage", "Import…"), self)
        self.import_button.setObjectName("contactsImportButton")
        self.import_button.setToolTip(
            translate("ContactsPage", "Add many contacts at once from a CSV or vCard file")
        )
        self.import_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.import_button.clicked.connect(self.import_contacts)

        header = QWidget(self)
        header.setObjectName("contactsHeader")
        header_layout = QHBoxLayout(header)
        header_layout.setContentsMargins(18, 12, 18, 12)
        header_layout.setSpacing(10)
        titles = QVBoxLayout()
        titles.setSpacing(0)
        titles.addWidget(title)
        titles.addWidget(self.count_label)
        header_layout.addLayout(titles)
        header_layout.addWidget(self.scope_label, 0, Qt.AlignmentFlag.AlignBottom)
        header_layout.addStretch(1)
        header_layout.addWidget(self.search)
        header_layout.addWidget(self.import_button)
        header_layout.addWidget(self.new_button)

        self.model = ContactTableModel(None, self)
        self.table = ContactTable(self.model, self)
        self.table.editRequested.connect(self.edit_contact)
        self.table.deleteRequested.connect(self.delete_contact)

        self.empty = QWidget(self)
        self.empty.setObjectName("contactsEmpty")
        self.empty_title = QLabel(self.empty)
        self.empty_title.setObjectName("contactsEmptyTitle")
        self.empty_title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_detail = QLabel(self.empty)
        self.empty_detail.setObjectName("contactsEmptyDetail")
        self.empty_detail.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_detail.setWordWrap(True)
        empty_layout = QVBoxLayout(self.empty)
        empty_layout.addStretch(2)
        empty_layout.addWidget(self.empty_title)
        empty_layout.addWidget(self.empty_detail)
        empty_layout.addStretch(3)

        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(header)
        layout.addWidget(self.stack, 1)

        self.search.textChanged.connect(self._search)
        find = QAction(translate("ContactsPage", "Find contact"), self)
        find.setShortcut(QKeySequence(QKeySequence.StandardKey.Find))
        find.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        find.triggered.connect(self.focus_search)
        self.addAction(find)
        self.set_workspace(None)

    # -- the interface the main window uses -----------------------------------------------------
    @property
    def service(self) -> ContactService | None:
        return self._workspace.contacts if self._workspace is not None else None

    def set_workspace(self, workspace: Workspace | None) -> None:
        """Show `workspace`'s contacts (None: nothing, e.g. while signing in)."""
        assert_gui_thread()
        for dialog in (self.editor, self.confirm):
            if dialog is not None:
                dialog.close()
        self._workspace = workspace
        self._stale = False
        self.model.set_service(self.service)
        self.new_button.setEnabled(workspace is not None)
        self.import_button.setEnabled(workspace is not None)
        self.imports.attach(workspace)
        self.search.setEnabled(workspace is not None)
        assigned_only = workspace is not None and workspace.contacts.assigned_only
        self.scope_label.setText(translate("ContactsPage", "Only the contacts assigned to you"))
        self.scope_label.setVisible(assigned_only)
        self._update_counts()

    def apply_changes(self, changes: ChangeSet) -> None:
        """Follow a change set: re-read what it names (later, if the page is hidden)."""
        assert_gui_thread()
        self.imports.on_changes(changes)  # an open import dialog follows its import
        if self._workspace is None or not (changes.contacts or changes.reset):
            return
        if not self.isVisible():
            self._stale = True
            return
        selected = self.table.current_id()
        if self.model.apply_changes(changes) and selected:
            # A new contact's local id gives way to the server's: the selection follows.
            self.select_contact(self._workspace.contacts.current_id(selected))
        self._update_counts()

    def new_contact(self) -> ContactEditor | None:
        """Open the contact editor for a new contact (Ctrl+N on this page)."""
        service = self.service
        if service is None:
            return None
        return self._open_editor(service, None)

    def import_contacts(self) -> ContactImportDialog | None:
        """Open the contact import dialog (the `contactsImportButton`, File > Import)."""
        return self.imports.open_dialog()

    # -- actions ------------------------------------------------------------------------------
    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def edit_contact(self, contact_id: str) -> ContactEditor | None:
        service = self.service
        if service is None:
            return None
        contact = service.contact(contact_id)
        if contact is None or contact.deleted:
            return None
        return self._open_editor(service, contact)

    def _open_editor(self, service: ContactService, contact: ContactRow | None) -> ContactEditor:
        if self.editor is not None:
            self.editor.close()
        history = self._workspace.dnd_history if self._workspace is not None else None
        editor = ContactEditor.start(
            self, service, contact, on_saved=self._saved, on_delete=self.delete_contact,
            history=history,
        )
        editor.finished.connect(lambda _result, e=editor: self._editor_gone(e))
        self.editor = editor
        return editor

    def _editor_gone(self, editor: ContactEditor) -> None:
        if self.editor is editor:
            self.editor = None

    def _saved(self, contact_id: str) -> None:
        # Shown at once: do not wait for the change set to come round through the bridge.
        self.apply_changes(ChangeSet(contacts=frozenset({contact_id})))
        self.select_contact(contact_id)

    def delete_contact(self, contact_id: str) -> QMessageBox | None:
        """Ask first, naming the group chats that keep this contact's number (they will show
        it as Deleted); delete (through the outbox) if the user agrees."""
        service = self.service
        if service is None:
            return None
        contact = service.contact(contact_id)
        if contact is None or contact.deleted:
            return None
        chats = self._chat_lines(contact_id)

        def decided(delete: bool) -> None:
            self.confirm = None
            if delete:
                self._delete_now(contact_id)

        box = delete_confirm(
            self,
            object_name="contactDeleteConfirm",
            title=translate("ContactsPage", "Delete contact"),
            text=translate("ContactsPage", "Delete <b>{name}</b>?").format(
                name=html.escape(contact.name)
            ),
            details=delete_consequences(contact.name, chats),
            button=translate("ContactsPage", "Delete"),
            button_object_name="confirmDeleteContact",
            decided=decided,
        )
        self.confirm = box
        box.open()
        return box

    def _chat_lines(self, contact_id: str) -> list[tuple[str, str]]:
        """(title as the conversation list shows it, frozen number) of the group chats
        `contact_id` is in."""
        workspace = self._workspace
        if workspace is None:
            return []
        refs = workspace.contacts.group_chats_with(contact_id)
        shown = workspace.conversations.conversations([r.conversation_id for r in refs])
        lines = []
        for ref in refs:
            row = shown.get(ref.conversation_id)
            title = (
                row.title
                if row is not None
                else (ref.title or translate("ContactsPage", "Group chat"))
            )
            lines.append((title, ref.display_number))
        return lines

    def _delete_now(self, contact_id: str) -> None:
        service = self.service
        if service is None:
            return
        try:
            service.delete(contact_id)
        except DomainError as exc:
            log.info("delete of %s refused locally: %s", contact_id, exc.detail)
            QMessageBox.information(
                self,
                translate("ContactsPage", "Contact not deleted"),
                error_text(exc.code, exc.detail),
            )
            return
        self.apply_changes(ChangeSet(contacts=frozenset({contact_id})))

    def select_contact(self, contact_id: str) -> bool:
        """Select and show `contact_id` if the current search lists it."""
        service = self.service
        if service is None:
            return False
        row = self.model.row_of(contact_id)
        if row < 0:
            position = service.position(self.model.search_text, contact_id)
            if position is None:
                return False
            row = position
        index = self.model.index(row, 0)
        if self.model.data(index, ContactTableModel.IdRole) != contact_id:
            return False
        self.table.setCurrentIndex(index)
        self.table.selectRow(row)
        self.table.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)
        return True

    # -- internals ------------------------------------------------------------------------------
    def _search(self, text: str) -> None:
        self.model.set_search(text)
        if self.model.rowCount() > 0:
            self.table.scrollToTop()
        self._update_counts()

    def _update_counts(self) -> None:
        count = self.model.rowCount()
        searching = bool(self.model.search_text)
        if self._workspace is None:
            self.count_label.setText("")
        elif searching:
            found = (
                translate("ContactsPage", "%n+ found", None, count) if self.model.has_more
                else translate("ContactsPage", "%n found", None, count)
            )
            self.count_label.setText(_grouped(found, count))
        else:
            self.count_label.setText(
                _grouped(translate("ContactsPage", "%n contact(s)", None, count), count)
            )
        if count > 0 or self._workspace is None:
            self.stack.setCurrentWidget(self.table)
            return
        if searching:
            self.empty_title.setText(translate("ContactsPage", "No contact matches"))
            self.empty_detail.setText(
                translate(
                    "ContactsPage",
                    "Nothing found for “{text}”. Search by part of a name, a number in any "
                    "format, or an email.",
                ).format(text=self.model.search_text)
            )
        else:
            self.empty_title.setText(translate("ContactsPage", "No contacts yet"))
            self.empty_detail.setText(
                translate(
                    "ContactsPage",
                    "Contacts are the people you text. Add one with New contact (Ctrl+N).",
                )
            )
        self.stack.setCurrentWidget(self.empty)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self._stale = False
            selected = self.table.current_id()
            self.model.reload()
            if selected:
                self.select_contact(selected)
            self._update_counts()


def _grouped(text: str, count: int) -> str:
    """`text` with its count (Qt's plain %n) written with thousands separators."""
    grouped = f"{count:,}" if in_source_language() else QLocale().toString(count)
    return text.replace(str(count), grouped, 1)


def delete_consequences(name: str, chats: Sequence[tuple[str, str]]) -> str:
    """What deleting `name` does, as rich text: the group chats (title, frozen number shown)
    that keep sending to the number chosen at their creation and will tag them Deleted."""
    who = html.escape(name)
    lines = [
        translate(
            "ContactsPage",
            "{name} leaves the contact list and search. Conversations with them stay readable.",
        ).format(name=who)
    ]
    if chats:
        keeps = translate("ContactsPage", "<b>{chat}</b> keeps {number}")
        items = "".join(
            "<li>" + keeps.format(chat=html.escape(title), number=html.escape(number)) + "</li>"
            for title, number in chats
        )
        lines.append(
            translate(
                "ContactsPage",
                "%n group chat(s) (keeps|keep) sending to the number chosen at creation and will "
                "show {name} as <b>Deleted</b>:",
                None, len(chats),
            ).format(name=who)
            + f"<ul>{items}</ul>"
        )
    else:
        lines.append(translate("ContactsPage", "{name} is in no group chat.").format(name=who))
    return "<p>" + "</p><p>".join(lines) + "</p>"
