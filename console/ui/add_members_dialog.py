"""The add-member picker (`addMembersDialog`): search the contacts not in a group, check any
number of them, add them in one step. Opened with open(); fast at 50,000 contacts.

The list (`addMembersList`) is a lazily read window (console/ui/addable_model.py). Each search
(`addMembersSearch`) counts up to 200 hits and reads the first page on a worker thread
(console/ui/tasks.py), so typing never waits on the cache; an answer for an older search is
dropped. A click, Space or the check box checks a row; the choice is kept across searches and
named above the buttons. The dialog never touches the cache: it asks GroupService, and `add`
(the owner's) queues the writes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from console.domain.errors import DomainError
from console.timing import PICKER_SEARCH_DELAY_MS
from console.ui.addable_model import AddableContactModel
from console.ui.error_texts import error_text
from console.ui.i18n import translate
from console.ui.qt import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QKeyEvent,
    QLabel,
    QLineEdit,
    QListView,
    QModelIndex,
    Qt,
    QTimer,
    QVBoxLayout,
    QWidget,
)
from console.ui.row_window import BLOCK, COUNT_CAP
from console.ui.tasks import TaskRunner
from console.ui.theme import set_themed_style

if TYPE_CHECKING:
    from console.services.group_reads import AddableContactRow
    from console.services.groups import GroupService

log = logging.getLogger("console.ui.add_members_dialog")

Add = Callable[[list[str]], None]  # the chosen contact ids; raises DomainError to refuse
SEARCH_DELAY_MS = PICKER_SEARCH_DELAY_MS  # console/timing.py

STYLE = """
#addMembersDialog { background: $surface; }
#addMembersDialog #dialogHeading { font-size: 12pt; font-weight: 600; color: $text; }
#addMembersCount, #addMembersChosen { color: $muted; font-size: 9pt; }
#addMembersError { color: $danger_text; font-size: 9pt; }
#addMembersList {
    border: 1px solid $border; border-radius: 6px; background: $surface; outline: none;
    selection-background-color: $accent_soft; selection-color: $text;
}
#addMembersList::item { padding: 5px 4px; }
"""


class AddableList(QListView):
    """A click or Space checks the row (multi-select without holding a modifier)."""

    def __init__(self, model: AddableContactModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self.setModel(model)
        self.setObjectName("addMembersList")
        self.setAccessibleName(translate("AddableList", "Contacts to add"))
        self.setAccessibleDescription(translate(
            "AddableList", "Contacts not yet in the group. Space chooses or unchooses one."
        ))
        self.setUniformItemSizes(True)  # the view never measures rows it does not paint
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.clicked.connect(self._clicked)

    def _clicked(self, index: QModelIndex) -> None:
        # Anywhere on the row, the check box too (the model leaves ItemIsUserCheckable out, so
        # the view does not toggle it a second time).
        self._model.toggle(index.row())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space and self.currentIndex().isValid():
            self._model.toggle(self.currentIndex().row())
            event.accept()
            return
        super().keyPressEvent(event)


class AddMembersDialog(QDialog):
    def __init__(
        self,
        service: GroupService,
        group_id: str,
        group_name: str,
        add: Add,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("addMembersDialog")
        self.setWindowTitle(
            translate("AddMembersDialog", "Add members to {group}").format(group=group_name)
        )
        self.setAccessibleName(translate("AddMembersDialog", "Add members"))
        set_themed_style(self, STYLE)
        self._service = service
        self._group_id = group_id
        self._add = add
        self._runner = TaskRunner(self)
        self._generation = 0
        self.searches = 0  # searches answered (tests wait on it)

        heading = QLabel(
            translate("AddMembersDialog", "Add members to \u201c{group}\u201d").format(
                group=group_name
            ),
            self,
        )
        heading.setObjectName("dialogHeading")
        heading.setTextFormat(Qt.TextFormat.PlainText)  # user data, never markup
        self.search = QLineEdit(self)
        self.search.setObjectName("addMembersSearch")
        self.search.setAccessibleName(translate("AddMembersDialog", "Search contacts to add"))
        self.search.setAccessibleDescription(translate(
            "AddMembersDialog",
            "Shows only the contacts whose name, number or email has these words.",
        ))
        self.search.setPlaceholderText(
            translate("AddMembersDialog", "Search by name, number or email")
        )
        self.search.setClearButtonEnabled(True)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("addMembersCount")
        self.count_label.setTextFormat(Qt.TextFormat.PlainText)  # user data, never markup
        self.model = AddableContactModel(self)
        self.model.bind(
            lambda text, cap: service.count_addable(group_id, text, cap=cap),
            lambda text, offset, limit: service.addable_page(group_id, text, offset, limit),
        )
        self.list = AddableList(self.model, self)
        self.list.setMinimumSize(460, 320)
        self.chosen_label = QLabel(self)
        self.chosen_label.setObjectName("addMembersChosen")
        self.chosen_label.setTextFormat(Qt.TextFormat.PlainText)  # user data, never markup
        self.chosen_label.setWordWrap(True)
        self.error = QLabel(self)
        self.error.setObjectName("addMembersError")
        self.error.setTextFormat(Qt.TextFormat.PlainText)  # user data, never markup
        self.error.setWordWrap(True)
        self.error.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.add_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.add_button.setObjectName("addMembersConfirm")
        self.add_button.setAccessibleDescription(
            translate("AddMembersDialog", "Adds the chosen contacts to the group.")
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleDescription(
            translate("AddMembersDialog", "Closes this window without adding anyone.")
        )
        self.buttons.accepted.connect(self.try_add)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 16)
        layout.setSpacing(8)
        layout.addWidget(heading)
        layout.addWidget(self.search)
        layout.addWidget(self.count_label)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.chosen_label)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self._run_search)
        self.search.textChanged.connect(lambda _text: self._timer.start())
        self.model.chosenChanged.connect(self._chosen_changed)
        self._chosen_changed()
        self._run_search()

    # -- search (off the GUI thread) ----------------------------------------------------------
    def _run_search(self) -> None:
        text = " ".join(self.search.text().split())
        self._generation += 1
        generation = self._generation
        service, group_id = self._service, self._group_id

        def work() -> tuple[int, Sequence[AddableContactRow]]:
            count = service.count_addable(group_id, text, cap=COUNT_CAP)
            return count, service.addable_page(group_id, text, 0, BLOCK)

        self._runner.submit(
            work,
            on_success=lambda found: self._found(generation, text, found),
            on_failure=lambda exc: self._failed(generation, exc),
        )

    def _found(
        self, generation: int, text: str, found: tuple[int, Sequence[AddableContactRow]]
    ) -> None:
        if generation != self._generation:
            return  # the user typed on: a newer search is on its way
        count, first = found
        self.model.show_search(text, count, COUNT_CAP if count >= COUNT_CAP else None, first)
        self.searches += 1
        if count == 0:
            self.count_label.setText(
                translate(
                    "AddMembersDialog", "No contact outside the group matches \u201c{text}\u201d."
                ).format(text=text) if text
                else translate(
                    "AddMembersDialog", "Everyone in your contacts is already in this group."
                )
            )
        else:
            capped = count >= COUNT_CAP
            if text and capped:
                words = translate(
                    "AddMembersDialog", "%n+ contact(s) not in the group match \u201c{text}\u201d",
                    None, count,
                )
            elif text:
                words = translate(
                    "AddMembersDialog", "%n contact(s) not in the group match \u201c{text}\u201d",
                    None, count,
                )
            elif capped:
                words = translate(
                    "AddMembersDialog", "%n+ contact(s) not in the group", None, count
                )
            else:
                words = translate("AddMembersDialog", "%n contact(s) not in the group", None, count)
            self.count_label.setText(words.format(text=text) if text else words)

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        log.warning("add-member search failed: %s", exc)
        self.count_label.setText(
            translate("AddMembersDialog", "Searching failed. Close this window and try again.")
        )

    # -- the choice ---------------------------------------------------------------------------
    def _chosen_changed(self) -> None:
        names = self.model.chosen_names()
        count = len(names)
        self.add_button.setEnabled(count > 0)
        self.add_button.setText(
            translate("AddMembersDialog", "Add %n", None, count) if count
            else translate("AddMembersDialog", "Add")
        )
        if not names:
            self.chosen_label.setText(translate(
                "AddMembersDialog", "Check the people to add. Space or a click checks a row."
            ))
        else:
            listed = ", ".join(names[:5])
            shown = (
                translate("AddMembersDialog", "{names} and %n more", None, count - 5).format(
                    names=listed
                ) if count > 5 else listed
            )
            self.chosen_label.setText(
                translate("AddMembersDialog", "Adding: {names}").format(names=shown)
            )
        self.error.hide()

    def try_add(self) -> None:
        chosen = self.model.chosen()
        if not chosen:
            return
        try:
            self._add(chosen)
        except DomainError as exc:
            self.error.setText(error_text(exc.code, exc.detail))
            self.error.show()
            return
        self.accept()

    def done(self, result: int) -> None:
        self._timer.stop()
        self._runner.shutdown(wait=True)  # its thread ends with the dialog
        super().done(result)

    @classmethod
    def start(
        cls, parent: QWidget, service: GroupService, group_id: str, group_name: str, add: Add
    ) -> AddMembersDialog:
        dialog = cls(service, group_id, group_name, add, parent)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog
