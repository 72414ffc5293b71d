"""The group editor: pick a business number and 2..9 contacts' numbers, create a group SMS chat.

    GroupEditor.start(window, workspace, on_created=window.open_conversation)
    GroupEditor.start(window, workspace, number_id=..., participants=[(contact_id, e164), ...],
                      replaces=blocked_chat_id)   # "new group chat without" a blocked chat

The dialog opens with open() (never exec()) and reads through the services on a worker
thread (console/ui/tasks.py): the numbers this user may send from, the prefilled participants,
re-checks after contacts change, the existing-chat check and the create. The picker's pages
are the exception: each is one indexed query with a LIMIT (a few ms over 50,000 contacts),
read on this thread as the contacts table reads its blocks, so a keystroke repaints the list
without a thread hop; a row's rule runs only when the list shows it (contact_picker_model.py).
Rows that cannot be added stay visible, disabled, with the reason.

Create runs the domain's rule on the cache (services/group_chats.py) and, when it passes,
writes the chat and its outbox item in one transaction: the chat shows at once, pending, and
`on_created` gets its id. The dialog closes; this object stays (hidden) to follow the create:
when the server refuses it, a message box gives the server's reason and offers to change the
participants (a new editor, prefilled) or to discard it. It goes away once the chat is live,
refused and answered, or its owner is destroyed.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from console.domain.errors import DomainError, ErrorCode
from console.domain.group_chat import MAX_PARTICIPANTS, ParticipantError
from console.services.group_chats import (
    Creation,
    CreationState,
    NumberChoice,
    PhoneHit,
    PickerRow,
    count_allowed,
)
from console.services.types import ChangeSet, ConversationRow
from console.ui.bridge import ServiceBridge
from console.ui.chosen_chips import ChosenChips
from console.ui.contact_picker_model import ContactPickerDelegate, ContactPickerModel, reason_texts
from console.ui.error_texts import error_text
from console.ui.gui_thread import assert_gui_thread
from console.ui.i18n import QT_TRANSLATE_NOOP, in_source_language, translate
from console.ui.qt import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QEvent,
    QHBoxLayout,
    QKeyEvent,
    QLabel,
    QLineEdit,
    QListView,
    QMessageBox,
    QModelIndex,
    QObject,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from console.ui.tasks import TaskRunner
from console.ui.theme import set_themed_style

if TYPE_CHECKING:
    from console.services.workspace import Workspace

log = logging.getLogger("console.ui.group_editor")

Key = tuple[str, str]  # (contact_id, E.164)


# "participants[1]: Harper Lewis has Do Not Disturb on": the index is for programs, not people.
_LOCATOR = re.compile(r"^participants\[\d+\]:\s*")

_CONTEXT = "GroupEditor"

FIXED_NOTE = QT_TRANSLATE_NOOP(
    "GroupEditor",
    "The number and the participants are fixed once the chat is created: messages keep going "
    "to the numbers chosen now, even if a contact is later edited or deleted.",
)

_STYLE = """
#groupEditor { background: $surface; }
#groupEditorTitle { font-size: 13pt; font-weight: 600; color: $text; }
#groupEditorNote, #groupEditorReplaces, #chipsPlaceholder { color: $muted; }
#participantCount { color: $muted; font-weight: 600; }
#participantCount[over="true"] { color: $danger; }
#groupEditorError { color: $danger; }
#groupEditorExisting { color: $text; background: $accent_soft; border-radius: 4px; padding: 6px; }
#chosenParticipantChip {
    background: $accent_soft;
    border: 1px solid $accent_muted_text;
    border-radius: 12px;
}
#chosenParticipantChip[broken="true"] { background: $danger_soft; border-color: $danger_border; }
#contactPicker { border: 1px solid $border; border-radius: 4px; }
"""


class GroupEditor(QDialog):
    """The `groupEditor` dialog (ARCHITECTURE.md "Stable object names")."""

    # The chat was written locally (its local id): the dialog closes right after.
    created = Signal(str)
    # Where the create stands after that: Creation (pending -> live, or refused).
    creationChanged = Signal(object)
    # The user asked to open this existing chat instead of creating the same one again.
    openExisting = Signal(str)

    @classmethod
    def start(
        cls,
        parent: QWidget,
        workspace: Workspace,
        *,
        number_id: str | None = None,
        participants: Sequence[tuple[str, str]] = (),
        replaces: str | None = None,
        on_created: Callable[[str], None] | None = None,
    ) -> GroupEditor:
        """Open the editor (open(), never exec()), prefilled; see the module doc."""
        editor = cls(
            parent,
            workspace,
            number_id=number_id,
            participants=participants,
            replaces=replaces,
            on_created=on_created,
        )
        editor.open()
        editor.contact_search.setFocus()
        return editor

    def __init__(
        self,
        parent: QWidget,
        workspace: Workspace,
        *,
        number_id: str | None = None,
        participants: Sequence[tuple[str, str]] = (),
        replaces: str | None = None,
        on_created: Callable[[str], None] | None = None,
        notice: str = "",
    ) -> None:
        super().__init__(parent)
        assert_gui_thread()
        self.setObjectName("groupEditor")
        self.setAccessibleName(translate(_CONTEXT, "New group chat"))
        self.setWindowTitle(translate(_CONTEXT, "New group chat"))
        set_themed_style(self, _STYLE)
        self._workspace = workspace
        self._service = workspace.group_chats
        self._wanted_number = number_id
        self.replaces = replaces
        self._on_created = on_created
        self._chosen: list[PickerRow] = []
        self._busy = False
        self._existing: ConversationRow | None = None
        self._existing_generation = 0
        self._numbers: list[NumberChoice] = []
        self._local_id: str | None = None
        self._creation: Creation | None = None
        self._disconnect: Callable[[], None] | None = None
        # One at a time: reads stay in order. No Qt parent: if the owner is destroyed with the
        # dialog still open, the runner outlives it just long enough to stop its thread.
        runner = TaskRunner(None, max_workers=1)
        self._runner = runner
        self._runner_closed = False
        self.destroyed.connect(lambda *_: runner.shutdown(wait=False))

        self._notice = notice
        self._build()
        self.error.setText(notice)
        self.error.setVisible(bool(notice))
        self._refresh_state()
        self._listen()
        self._load(participants)

    # -- layout -------------------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 14)
        layout.setSpacing(8)

        title = QLabel(translate(_CONTEXT, "New group chat"), self)
        title.setObjectName("groupEditorTitle")
        layout.addWidget(title)

        self.replaces_label = QLabel(self)
        self.replaces_label.setObjectName("groupEditorReplaces")
        self.replaces_label.setWordWrap(True)
        self.replaces_label.hide()
        layout.addWidget(self.replaces_label)

        row = QHBoxLayout()
        from_label = QLabel(translate(_CONTEXT, "Send from"), self)
        row.addWidget(from_label)
        self.number_picker = QComboBox(self)
        self.number_picker.setObjectName("numberPicker")
        self.number_picker.setAccessibleName(translate(_CONTEXT, "Business number"))
        self.number_picker.setToolTip(
            translate(
                _CONTEXT,
                "The business number the chat texts from: only the numbers you may send from.",
            )
        )
        self.number_picker.setMinimumWidth(260)
        from_label.setBuddy(self.number_picker)
        self.number_picker.currentIndexChanged.connect(self._number_changed)
        row.addWidget(self.number_picker, 1)
        layout.addLayout(row)

        to_row = QHBoxLayout()
        to_label = QLabel(translate(_CONTEXT, "To"), self)
        to_label.setAlignment(Qt.AlignmentFlag.AlignTop)
        to_row.addWidget(to_label)
        self.chips = ChosenChips(self)
        self.chips.removed.connect(self._remove)
        to_row.addWidget(self.chips, 1)
        self.participant_count = QLabel(self)
        self.participant_count.setObjectName("participantCount")
        self.participant_count.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignRight)
        to_row.addWidget(self.participant_count)
        layout.addLayout(to_row)

        self.contact_search = QLineEdit(self)
        self.contact_search.setObjectName("contactSearch")
        self.contact_search.setPlaceholderText(
            translate(_CONTEXT, "Search contacts by name, number or email")
        )
        self.contact_search.setAccessibleName(translate(_CONTEXT, "Search contacts"))
        self.contact_search.setAccessibleDescription(translate(
            _CONTEXT, "Shows only the contacts whose name, number or email has these words."
        ))
        self.contact_search.setClearButtonEnabled(True)
        self.contact_search.textChanged.connect(self._search_soon)
        layout.addWidget(self.contact_search)

        self.picker_model = ContactPickerModel(self)
        self.picker_model.set_source(self._read_hits, self._service.picker_row)
        self.picker_model.toggled.connect(self._toggled)
        self.contact_picker = QListView(self)
        self.contact_picker.setObjectName("contactPicker")
        self.contact_picker.setAccessibleName(translate(_CONTEXT, "Contacts"))
        self.contact_picker.setAccessibleDescription(translate(
            _CONTEXT, "Contacts to put in the chat. Space adds or removes the current one."
        ))
        self.contact_picker.setModel(self.picker_model)
        self.contact_picker.setItemDelegate(ContactPickerDelegate(self.contact_picker))
        self.contact_picker.setUniformItemSizes(True)
        self.contact_picker.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.contact_picker.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.contact_picker.setMinimumSize(440, 220)
        # A click anywhere on an enabled row toggles it, not just its box (the delegate leaves
        # mouse events to this); Space toggles the current row (the delegate's default).
        self.contact_picker.clicked.connect(self._row_clicked)
        self.contact_search.installEventFilter(self)
        self.contact_picker.installEventFilter(self)
        layout.addWidget(self.contact_picker, 1)

        self.existing_box = QWidget(self)
        self.existing_box.setObjectName("groupEditorExisting")
        existing_row = QHBoxLayout(self.existing_box)
        existing_row.setContentsMargins(8, 4, 4, 4)
        self.existing_label = QLabel(self.existing_box)
        self.existing_label.setWordWrap(True)
        existing_row.addWidget(self.existing_label, 1)
        self.open_existing_button = QPushButton(translate(_CONTEXT, "Open it"), self.existing_box)
        self.open_existing_button.setObjectName("groupEditorOpenExisting")
        self.open_existing_button.setAccessibleDescription(
            translate(_CONTEXT, "Opens the chat you already have with these people.")
        )
        self.open_existing_button.clicked.connect(self._open_existing)
        existing_row.addWidget(self.open_existing_button)
        self.existing_box.hide()
        layout.addWidget(self.existing_box)

        self.error = QLabel(self)
        self.error.setObjectName("groupEditorError")
        self.error.setWordWrap(True)
        self.error.hide()
        layout.addWidget(self.error)

        note = QLabel(translate(_CONTEXT, FIXED_NOTE), self)
        note.setObjectName("groupEditorNote")
        note.setWordWrap(True)
        layout.addWidget(note)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.cancel_button = QPushButton(translate(_CONTEXT, "Cancel"), self)
        self.cancel_button.setObjectName("groupEditorCancel")
        self.cancel_button.setAccessibleDescription(
            translate(_CONTEXT, "Closes this window without creating a chat.")
        )
        self.cancel_button.clicked.connect(self.reject)
        buttons.addWidget(self.cancel_button)
        self.create_button = QPushButton(translate(_CONTEXT, "Create"), self)
        self.create_button.setObjectName("groupEditorCreate")
        self.create_button.setAccessibleDescription(translate(
            _CONTEXT, "Creates the group chat from the chosen number with the chosen people."
        ))
        # Not the default button: Enter in the search field must not create the chat.
        self.create_button.setAutoDefault(False)
        self.cancel_button.setAutoDefault(False)
        self.create_button.clicked.connect(self._create)
        # ... yet Enter on a button that has the focus presses it, as everywhere else.
        self.create_button.installEventFilter(self)
        self.cancel_button.installEventFilter(self)
        buttons.addWidget(self.create_button)
        layout.addLayout(buttons)

        self.resize(640, 700)

    # -- loading ------------------------------------------------------------------------------
    def _load(self, participants: Sequence[tuple[str, str]]) -> None:
        service, replaces = self._service, self.replaces
        conversations = self._workspace.conversations
        prefill = list(participants)

        def read() -> tuple[list[NumberChoice], list[PickerRow], ConversationRow | None]:
            title = conversations.conversation(replaces) if replaces else None
            return service.numbers(), service.describe(prefill), title

        self._runner.submit(read, on_success=self._loaded, on_failure=self._failed)
        self._search_now()

    def _loaded(
        self, result: tuple[list[NumberChoice], list[PickerRow], ConversationRow | None]
    ) -> None:
        numbers, prefill, replaced = result
        self._numbers = numbers
        self.number_picker.blockSignals(True)
        self.number_picker.clear()
        for choice in numbers:
            self.number_picker.addItem(choice.text, choice.id)
            self.number_picker.setItemData(
                self.number_picker.count() - 1,
                translate(_CONTEXT, "Default number") if choice.is_default else choice.display,
                Qt.ItemDataRole.ToolTipRole,
            )
        wanted = self._wanted_number
        index = next((i for i, c in enumerate(numbers) if c.id == wanted), -1)
        if index < 0:
            index = next((i for i, c in enumerate(numbers) if c.is_default), 0 if numbers else -1)
        self.number_picker.setCurrentIndex(index)
        self.number_picker.blockSignals(False)
        messages = [self._notice] if self._notice else []
        if not numbers:
            messages.append(
                translate(
                    _CONTEXT,
                    "You may not send from any business number, so you cannot start a group "
                    "chat. Ask an admin to assign you a number.",
                )
            )
        elif wanted and all(c.id != wanted for c in numbers):
            messages.append(
                translate(
                    _CONTEXT,
                    "You may not send from the number of the chat you started from; "
                    "the new chat will text from {number}, or choose another.",
                ).format(number=numbers[index].text)
            )
        seen: set[str] = set()
        for row in prefill:
            if row.phone in seen:
                twice = translate(_CONTEXT, "{number} was listed twice; it is in the chat once.")
                messages.append(twice.format(number=row.phone_display))
                continue
            seen.add(row.phone)
            self._chosen.append(row)
        for row in self._chosen:
            if row.code is None:  # addable
                continue
            reason = reason_texts(row.code, row.name, row.phone)[0]
            messages.append(
                translate(_CONTEXT, "{name}, {number}, cannot be in it: {reason}.").format(
                    name=row.title, number=row.phone_display, reason=reason
                )
            )
        if replaced is not None:
            if replaced.blocked_reason:
                instead = translate(_CONTEXT, "Instead of “{title}” ({reason}).").format(
                    title=replaced.title,
                    reason=error_text(ErrorCode.GROUP_CHAT_BLOCKED, replaced.blocked_reason),
                )
            else:
                instead = translate(_CONTEXT, "Instead of “{title}”.").format(
                    title=replaced.title
                )
            self.replaces_label.setText(instead)
            self.replaces_label.show()
        if messages:
            self._show_error(" ".join(messages))
        self._chosen_changed()

    def _failed(self, error: BaseException) -> None:
        """A read or write failed: say what to do next (the log keeps the details)."""
        self._busy = False
        if isinstance(error, ParticipantError) and 0 <= error.index < len(self._chosen):
            row = self._chosen[error.index]  # the rule's words for the person it names
            self._show_error(reason_texts(error.code, row.name, row.phone)[1])
        elif isinstance(error, DomainError):
            self._show_error(error_text(error.code, error.detail))
        else:
            log.error("group editor: %s", error, exc_info=error)
            self._show_error(
                translate(
                    _CONTEXT,
                    "The local copy could not be read or written. Try again; if it keeps "
                    "failing, restart the console.",
                )
            )
        self._refresh_state()

    # -- search -------------------------------------------------------------------------------
    def _search_soon(self, _text: str = "") -> None:
        """A keystroke searches at once: the first page is one indexed query (a few ms), and
        the model builds only the rows the list paints (see the module doc)."""
        self._search_now()

    def _search_now(self) -> None:
        self.picker_model.set_search(self.contact_search.text())

    def _read_hits(self, text: str, offset: int, limit: int) -> list[PhoneHit] | None:
        """A page of the picker's search (its model asks); None, the user told, on failure."""
        try:
            return self._service.search_hits(text, limit=limit, offset=offset)
        except Exception as exc:  # a closed workspace, a damaged cache: say so, keep going
            self._failed(exc)
            return None

    def _submit(self, work: Callable[[], object], done: Callable[..., None]) -> None:
        if not self._runner_closed:
            self._runner.submit(work, on_success=done, on_failure=self._failed)

    # -- choosing -----------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Without a mouse: Down from the search goes into the list (its first row), Up from
        # the list's first row comes back to the search to type the next name.
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            if (watched is self.contact_search and key == Qt.Key.Key_Down
                    and self.picker_model.rowCount() > 0):
                self.contact_picker.setFocus(Qt.FocusReason.TabFocusReason)
                if not self.contact_picker.currentIndex().isValid():
                    self.contact_picker.setCurrentIndex(self.picker_model.index(0, 0))
                return True
            if (watched is self.contact_picker and key == Qt.Key.Key_Up
                    and self.contact_picker.currentIndex().row() <= 0):
                self.contact_search.setFocus(Qt.FocusReason.TabFocusReason)
                return True
            if (watched in (self.create_button, self.cancel_button)
                    and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter)):
                button = self.create_button if watched is self.create_button else self.cancel_button
                if button.isEnabled():
                    button.click()
                return True
        return super().eventFilter(watched, event)

    def _row_clicked(self, index: QModelIndex) -> None:
        row = self.picker_model.row_at(index.row())
        if row is None or not (self.picker_model.flags(index) & Qt.ItemFlag.ItemIsEnabled):
            return
        checked = index.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
        self._toggled(row.key, not checked)

    def _toggled(self, key: Key, checked: bool) -> None:
        present = any(row.key == key for row in self._chosen)
        if checked and not present:
            row = self.picker_model.row_at(self.picker_model.row_of(key))
            if row is None or not row.addable:
                return
            if any(chosen.phone == row.phone for chosen in self._chosen):
                return  # the same number twice: the row is disabled and says so
            self._chosen.append(row)
        elif not checked and present:
            self._chosen = [row for row in self._chosen if row.key != key]
        else:
            return
        self._chosen_changed()

    def _remove(self, key: Key) -> None:
        self._toggled(key, False)

    def _number_changed(self, _index: int) -> None:
        self._chosen_changed()

    def _chosen_changed(self) -> None:
        self.picker_model.set_chosen(row.key for row in self._chosen)
        self.chips.set_rows(self._chosen)
        self._check_existing()
        self._refresh_state()

    def _check_existing(self) -> None:
        self._existing_generation += 1
        self._existing = None
        self.existing_box.hide()
        number_id, pairs = self.number_id(), self.chosen()
        if number_id is None or not count_allowed(len(pairs)):
            return
        generation, service = self._existing_generation, self._service

        def shown(found: ConversationRow | None) -> None:
            if generation != self._existing_generation:
                return
            self._existing = found
            if found is not None:
                self.existing_label.setText(
                    translate(
                        _CONTEXT, "“{title}” already has these participants on this number."
                    ).format(title=found.title)
                )
                self.existing_box.show()
            self._refresh_state()

        self._submit(lambda: service.existing(number_id, pairs), shown)

    def _refresh_state(self) -> None:
        count = len(self._chosen)
        self.participant_count.setText(f"{count} / {MAX_PARTICIPANTS}")
        over = count > MAX_PARTICIPANTS
        self.participant_count.setProperty("over", over)
        self.participant_count.style().unpolish(self.participant_count)
        self.participant_count.style().polish(self.participant_count)
        self.participant_count.setToolTip(
            translate(
                _CONTEXT, "A group chat has 2 to {most} participants: remove {extra}."
            ).format(most=MAX_PARTICIPANTS, extra=count - MAX_PARTICIPANTS)
            if over
            else translate(_CONTEXT, "A group chat has 2 to {most} participants.").format(
                most=MAX_PARTICIPANTS
            )
        )
        ready = (
            count_allowed(count)
            and self.number_id() is not None
            and all(row.addable for row in self._chosen)
            and self._existing is None
            and not self._busy
        )
        self.create_button.setEnabled(ready)

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    # -- state for callers and tests ------------------------------------------------------------
    def number_id(self) -> str | None:
        value = self.number_picker.currentData()
        return value if isinstance(value, str) else None

    def chosen(self) -> list[Key]:
        return [row.key for row in self._chosen]

    def existing_chat(self) -> ConversationRow | None:
        return self._existing

    @property
    def local_id(self) -> str | None:
        """The id the chat was created under (local until the server confirms it)."""
        return self._local_id

    @property
    def creation(self) -> Creation | None:
        return self._creation

    # -- actions ------------------------------------------------------------------------------
    def _open_existing(self) -> None:
        found = self._existing
        if found is None:
            return
        self.openExisting.emit(found.id)
        if self._on_created is not None:
            self._on_created(found.id)
        self.accept()

    def _create(self) -> None:
        number_id, pairs = self.number_id(), self.chosen()
        if number_id is None or not count_allowed(len(pairs)) or self._busy:
            return
        self._busy = True
        self._show_error("")
        self._refresh_state()
        service, replaces = self._service, self.replaces
        self._submit(lambda: service.create(number_id, pairs, replaces=replaces), self._created)

    def _created(self, row: ConversationRow) -> None:
        self._busy = False
        self._local_id = row.id
        self._creation = Creation(CreationState.PENDING, row.id)
        self._follow()
        self.created.emit(row.id)
        if self._on_created is not None:
            self._on_created(row.id)
        self.accept()

    # -- following changes: contacts while open, the create after ----------------------------
    def _listen(self) -> None:
        """Follow the workspace's changes: a contact edited while the dialog is open (DND turned
        on, a number changed) re-checks its rows and chips; after Create, the changes that
        settle it (the server's answer, a discard)."""
        bridge = ServiceBridge(self)
        bridge.changes.connect(self._on_changes)
        disconnect = self._workspace.conversations.changes.connect(bridge.on_changes)
        bridge.track(disconnect)
        self._disconnect = bridge.close
        # The owner (the main window) going away ends the watch, whatever happens to us.
        parent = self.parent()
        if isinstance(parent, QObject):
            parent.destroyed.connect(lambda *_: disconnect())

    def _follow(self) -> None:
        self._check_creation()

    def _on_changes(self, change: ChangeSet) -> None:
        if self._local_id is not None:
            if change.reset or self._local_id in change.conversations:
                self._check_creation()
            return
        if change.reset or change.contacts:
            self._recheck(None if change.reset else set(change.contacts))

    def _recheck(self, contact_ids: set[str] | None) -> None:
        """Re-read the shown rows and chips of `contact_ids` (None: all of them) in place."""
        keys = [row.key for row in self._chosen] + self.picker_model.keys()
        wanted = list(dict.fromkeys(k for k in keys if contact_ids is None or k[0] in contact_ids))
        if not wanted or self._runner_closed:
            return
        service = self._service

        def shown(rows: list[PickerRow]) -> None:
            fresh = {row.key: row for row in rows}
            self.picker_model.replace_rows(fresh)
            self._chosen = [fresh.get(row.key, row) for row in self._chosen]
            self._chosen_changed()

        self._submit(lambda: service.describe(wanted), shown)

    def _check_creation(self) -> None:
        """One indexed read (the outbox item by its unique key): fast enough for this thread,
        and it keeps no worker thread alive while the chat waits for the server."""
        if self._local_id is None:
            return
        try:
            creation = self._service.creation(self._local_id)
        except Exception:  # the workspace closed meanwhile
            log.info("group editor: the workspace went away while following a create")
            self._stop_following()
            return
        if creation == self._creation:
            return
        self._creation = creation
        self.creationChanged.emit(creation)
        if creation.state is CreationState.REFUSED:
            self._stop_following()
            self._tell_refused(creation)
        elif creation.state in (CreationState.LIVE, CreationState.GONE):
            self._stop_following()
            self.deleteLater()

    def _stop_following(self) -> None:
        if self._disconnect is not None:
            self._disconnect()
            self._disconnect = None

    def _tell_refused(self, creation: Creation) -> None:
        """The server's reason, in its words, and what to do next: never a traceback."""
        owner = self.parentWidget()
        box = QMessageBox(owner)
        box.setObjectName("groupChatRefused")
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(translate(_CONTEXT, "Group chat not created"))
        box.setText(translate(_CONTEXT, "The server did not create the group chat."))
        detail = _LOCATOR.sub("", creation.reason)
        if detail or (creation.code and not in_source_language()):
            # The server's words in an English console; its code's sentence under a translation.
            reason = error_text(creation.code, detail)
        else:
            reason = translate(_CONTEXT, "It gave no reason.")
        box.setInformativeText(
            translate(
                _CONTEXT,
                "{reason}\n\nChange the participants and try again, or discard it. "
                "It also waits in the list of refused changes.",
            ).format(reason=reason)
        )
        change = box.addButton(
            translate(_CONTEXT, "Change participants…"), QMessageBox.ButtonRole.AcceptRole
        )
        change.setObjectName("groupChatRefusedChange")
        discard = box.addButton(
            translate(_CONTEXT, "Discard"), QMessageBox.ButtonRole.DestructiveRole
        )
        discard.setObjectName("groupChatRefusedDiscard")
        later = box.addButton(translate(_CONTEXT, "Later"), QMessageBox.ButtonRole.RejectRole)
        later.setObjectName("groupChatRefusedLater")
        box.setDefaultButton(change)
        self.refusal_box = box

        def answered() -> None:
            clicked = box.clickedButton()
            box.deleteLater()
            if clicked is change or clicked is discard:
                self._discard_refused()
            if clicked is change and isinstance(owner, QWidget):
                GroupEditor.reopen_after_refusal(owner, self, reason)
            self.deleteLater()

        box.finished.connect(lambda _result: answered())
        box.open()

    def _discard_refused(self) -> None:
        if self._local_id is None:
            return
        try:
            self._service.discard(self._local_id)
        except DomainError as exc:
            log.info("group editor: the refused chat could not be discarded: %s", exc.detail)

    @classmethod
    def reopen_after_refusal(
        cls, owner: QWidget, refused: GroupEditor, reason: str
    ) -> GroupEditor:
        editor = cls(
            owner,
            refused._workspace,
            number_id=refused._wanted_number or refused.number_id(),
            participants=refused.chosen(),
            replaces=refused.replaces,
            on_created=refused._on_created,
            notice=translate(_CONTEXT, "The server refused the last try: {reason}").format(
                reason=reason
            ),
        )
        editor.open()
        return editor

    # -- closing ------------------------------------------------------------------------------
    def done(self, result: int) -> None:
        """Closed (created, cancelled or Escape): its reads end here; following a create goes
        on without a thread (see _check_creation)."""
        if not self._runner_closed:
            self._runner_closed = True
            self._runner.shutdown(wait=True)
        super().done(result)
        if self._local_id is None:
            self._stop_following()
            self.deleteLater()
