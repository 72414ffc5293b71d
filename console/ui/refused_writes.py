"""Writes the server refused, of every kind, each with its reason, Retry and Discard.

A refused message also shows on its bubble; a refused contact edit, group chat, membership
change or group message has no bubble, and without this list it would sit in the outbox
unseen. The status bar says how many there are and opens this window (so does View > Refused
changes). The window is not modal: the user can fix the cause (turn a contact's DND off, ask
for number access) with it open, then retry.

It calls the outbox service it is given (failed / retry / discard); it never touches the cache.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from console.domain.errors import DomainError
from console.ui.error_texts import code_text, error_text
from console.ui.formatting import list_time
from console.ui.gui_thread import assert_gui_thread
from console.ui.i18n import QT_TRANSLATE_NOOP, in_source_language, translate
from console.ui.named_roles import NamedRolesListModel
from console.ui.qt import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListView,
    QModelIndex,
    QPersistentModelIndex,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from console.services.outbox import FailedWrite

log = logging.getLogger("console.ui.refused_writes")

ModelIndex = QModelIndex | QPersistentModelIndex


class RefusedWritesSource(Protocol):
    """OutboxService's shape, as far as this window needs it."""

    def failed(self) -> list[FailedWrite]: ...

    def pending_count(self) -> int: ...

    def retry(self, key: str) -> None: ...

    def discard(self, key: str) -> None: ...


REFUSED_HEADING = QT_TRANSLATE_NOOP("RefusedWritesDialog", "The server refused these changes")


def nothing_refused_text(pending: int) -> str:
    """What the empty window says: whether changes still wait to be sent (offline, say), so
    it never contradicts the status bar's "2 changes waiting to send"."""
    if pending <= 0:
        return translate(
            "RefusedWritesDialog", "Nothing is waiting: every change reached the server."
        )
    return translate(
        "RefusedWritesDialog",
        "The server has refused nothing. %n change(s) (is|are) waiting to be sent: "
        "they go out as soon as the server can be reached.",
        None,
        pending,
    )


def refused_summary(count: int) -> str:
    """Status bar wording: "1 change refused" / "3 changes refused"."""
    return translate("RefusedWritesDialog", "%n change(s) refused", None, count)


# What sort of write each outbox kind is, as the list names it ("Group message: Open house").
# Keyed by the OutboxKind values, not the enum: the window imports this module before its
# first paint, and the enum lives with the outbox's SQLAlchemy tables
# (tests/ui/test_worded_in_ui.py checks that every kind has a label).
KIND_LABELS: dict[str, str] = {
    "send_message": QT_TRANSLATE_NOOP("RefusedWritesModel", "Message"),
    "note_create": QT_TRANSLATE_NOOP("RefusedWritesModel", "Internal note"),
    "mark_read": QT_TRANSLATE_NOOP("RefusedWritesModel", "Read mark"),
    "mark_unread": QT_TRANSLATE_NOOP("RefusedWritesModel", "Unread mark"),
    "contact_edit": QT_TRANSLATE_NOOP("RefusedWritesModel", "Contact change"),
    "contact_create": QT_TRANSLATE_NOOP("RefusedWritesModel", "New contact"),
    "contact_delete": QT_TRANSLATE_NOOP("RefusedWritesModel", "Delete contact"),
    "create_group_chat": QT_TRANSLATE_NOOP("RefusedWritesModel", "New group chat"),
    "group_member_add": QT_TRANSLATE_NOOP("RefusedWritesModel", "Add to group"),
    "group_member_remove": QT_TRANSLATE_NOOP("RefusedWritesModel", "Remove from group"),
    "group_message": QT_TRANSLATE_NOOP("RefusedWritesModel", "Group message"),
    "create_group": QT_TRANSLATE_NOOP("RefusedWritesModel", "New group"),
    "rename_group": QT_TRANSLATE_NOOP("RefusedWritesModel", "Rename group"),
    "delete_group": QT_TRANSLATE_NOOP("RefusedWritesModel", "Delete group"),
    "opt_out_confirm": QT_TRANSLATE_NOOP("RefusedWritesModel", "Confirm opt-out"),
    "opt_out_dismiss": QT_TRANSLATE_NOOP("RefusedWritesModel", "Not an opt-out"),
    "schedule_create": QT_TRANSLATE_NOOP("RefusedWritesModel", "Scheduled message"),
    "schedule_edit": QT_TRANSLATE_NOOP("RefusedWritesModel", "Scheduled message change"),
    "schedule_cancel": QT_TRANSLATE_NOOP("RefusedWritesModel", "Cancel scheduled message"),
    "template_create": QT_TRANSLATE_NOOP("RefusedWritesModel", "New template"),
    "template_edit": QT_TRANSLATE_NOOP("RefusedWritesModel", "Template change"),
    "template_delete": QT_TRANSLATE_NOOP("RefusedWritesModel", "Delete template"),
    "number_edit": QT_TRANSLATE_NOOP("RefusedWritesModel", "Opt-out hint"),
    "quiet_hours_set": QT_TRANSLATE_NOOP("RefusedWritesModel", "State quiet hours"),
    "quiet_hours_clear": QT_TRANSLATE_NOOP("RefusedWritesModel", "Clear state quiet hours"),
    "contact_import": QT_TRANSLATE_NOOP("RefusedWritesModel", "Contact import"),
    "contact_import_undo": QT_TRANSLATE_NOOP("RefusedWritesModel", "Undo contact import"),
}


def kind_label(kind: str) -> str:
    """The translated name of a kind of write; an unknown kind (a newer console's) as it is."""
    label = KIND_LABELS.get(kind)
    return translate("RefusedWritesModel", label) if label is not None else kind


def refused_what(item: FailedWrite) -> str:
    """What the refused write was: "Group message: Open house", or "Add to group" alone when
    it names nothing."""
    label = kind_label(item.kind)
    if not item.subject:
        return label
    return translate("RefusedWritesModel", "{kind}: {subject}").format(
        kind=label, subject=item.subject
    )


def refusal_reason(item: FailedWrite) -> str:
    """Why the server refused `item`: its own (English) words in an English console, else the
    translated sentence for its code."""
    if in_source_language():
        return item.reason or item.code
    return code_text(item.code)


class RefusedWritesModel(NamedRolesListModel):
    KeyRole = Qt.ItemDataRole.UserRole + 1
    WhatRole = Qt.ItemDataRole.UserRole + 2
    ReasonRole = Qt.ItemDataRole.UserRole + 3
    CodeRole = Qt.ItemDataRole.UserRole + 4
    WhenRole = Qt.ItemDataRole.UserRole + 5

    _ROLE_NAMES = {
        KeyRole: b"key",
        WhatRole: b"what",
        ReasonRole: b"reason",
        CodeRole: b"code",
        WhenRole: b"when",
    }

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._items: list[FailedWrite] = []

    def set_items(self, items: list[FailedWrite]) -> None:
        assert_gui_thread()
        self.beginResetModel()
        self._items = list(items)
        self.endResetModel()

    def item(self, row: int) -> FailedWrite | None:
        return self._items[row] if 0 <= row < len(self._items) else None

    def row_of(self, key: str) -> int:
        return next((row for row, item in enumerate(self._items) if item.key == key), -1)

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._items)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.column() != 0:
            return None
        item = self.item(index.row())
        if item is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{refused_what(item)}\n{refusal_reason(item)}  ·  {list_time(item.created_at)}"
        if role == Qt.ItemDataRole.ToolTipRole:
            reason = error_text(item.code, item.reason) if item.code else item.reason
            if not item.code:
                return reason
            return translate("RefusedWritesModel", "{reason} (server code: {code})").format(
                reason=reason, code=item.code
            )
        if role == self.KeyRole:
            return item.key
        if role == self.WhatRole:
            return refused_what(item)
        if role == self.ReasonRole:
            return item.reason
        if role == self.CodeRole:
            return item.code
        if role == self.WhenRole:
            return item.created_at
        return None


class RefusedWritesDialog(QDialog):
    def __init__(self, source: RefusedWritesSource, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("refusedWritesDialog")
        self.setWindowTitle(translate("RefusedWritesDialog", "Refused changes"))
        self.setModal(False)
        self.resize(560, 380)
        self._source = source

        self.heading = heading = QLabel(translate("RefusedWritesDialog", REFUSED_HEADING), self)
        heading.setObjectName("dialogHeading")
        self.explain = explain = QLabel(
            translate(
                "RefusedWritesDialog",
                "Nothing is lost: each one waits here. Fix the cause (the reason is under each "
                "change) and choose Retry, or Discard it if it is no longer wanted.",
            ),
            self,
        )
        explain.setWordWrap(True)
        explain.setObjectName("dialogHint")

        self.model = RefusedWritesModel(self)
        self.view = QListView(self)
        self.view.setObjectName("refusedList")
        self.view.setAccessibleName(translate("RefusedWritesDialog", "Refused changes"))
        self.view.setAccessibleDescription(translate(
            "RefusedWritesDialog", "The changes the server refused, each with its reason."
        ))
        self.view.setModel(self.model)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setWordWrap(True)
        # Long reasons wrap to the window's width instead of scrolling sideways.
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setResizeMode(QListView.ResizeMode.Adjust)
        self.view.setUniformItemSizes(False)
        self.view.setSpacing(4)
        self.view.setAlternatingRowColors(True)

        self.empty = QLabel(self)
        self.empty.setObjectName("dialogHint")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)

        self.problem = QLabel(self)
        self.problem.setObjectName("dialogError")
        self.problem.setWordWrap(True)
        self.problem.hide()

        self.retry_button = QPushButton(translate("RefusedWritesDialog", "&Retry"), self)
        self.retry_button.setObjectName("retryRefused")
        self.retry_button.setAccessibleDescription(
            translate("RefusedWritesDialog", "Sends the chosen change to the server once more.")
        )
        self.discard_button = QPushButton(translate("RefusedWritesDialog", "&Discard"), self)
        self.discard_button.setObjectName("discardRefused")
        self.discard_button.setAccessibleDescription(
            translate("RefusedWritesDialog", "Drops the chosen change; it is not made.")
        )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setAccessibleDescription(
            translate("RefusedWritesDialog", "Closes this window; the changes stay listed.")
        )
        row = QHBoxLayout()
        row.addWidget(self.retry_button)
        row.addWidget(self.discard_button)
        row.addStretch(1)
        row.addWidget(buttons)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 14)
        layout.setSpacing(8)
        layout.addWidget(heading)
        layout.addWidget(explain)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.empty, 1)
        layout.addWidget(self.problem)
        layout.addLayout(row)

        self.retry_button.clicked.connect(self.retry_selected)
        self.discard_button.clicked.connect(self.discard_selected)
        self.view.selectionModel().currentChanged.connect(self._update_buttons)
        self.reload()

    def set_source(self, source: RefusedWritesSource) -> None:
        """Another workspace (profile switch): show its refused writes instead."""
        self._source = source
        self.problem.hide()
        self.reload()

    def reload(self) -> None:
        """Re-read the list, keeping the selected change selected while it is still there."""
        assert_gui_thread()
        selected = self.selected_key()
        self.model.set_items(self._source.failed())
        row = self.model.row_of(selected) if selected else -1
        if self.model.rowCount() > 0:
            self.view.setCurrentIndex(self.model.index(max(row, 0), 0))
        has_items = self.model.rowCount() > 0
        self.view.setVisible(has_items)
        self.explain.setVisible(has_items)
        self.empty.setVisible(not has_items)
        self.heading.setText(
            translate("RefusedWritesDialog", REFUSED_HEADING)
            if has_items
            else translate("RefusedWritesDialog", "No refused changes")
        )
        if not has_items:
            self.empty.setText(nothing_refused_text(self._source.pending_count()))
        self._update_buttons()

    def selected_key(self) -> str | None:
        item = self.model.item(self.view.currentIndex().row())
        return item.key if item is not None else None

    def retry_selected(self) -> None:
        self._act("retry", self._source.retry)

    def discard_selected(self) -> None:
        self._act("discard", self._source.discard)

    def _act(self, name: str, action: Callable[[str], None]) -> None:
        key = self.selected_key()
        if key is None:
            return
        try:
            action(key)
        except DomainError as exc:  # e.g. retried elsewhere meanwhile, or being sent right now
            log.info("%s(%s) refused: %s", name, key, exc.detail)
            self.problem.setText(
                translate("RefusedWritesDialog", "{problem} The list is up to date again.").format(
                    problem=error_text(exc.code, exc.detail)
                )
            )
            self.problem.show()
        else:
            self.problem.hide()
        self.reload()

    def _update_buttons(self, *_args: object) -> None:
        chosen = self.selected_key() is not None
        self.retry_button.setEnabled(chosen)
        self.discard_button.setEnabled(chosen)
