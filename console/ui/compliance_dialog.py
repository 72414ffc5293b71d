"""The compliance settings (`complianceDialog`, admins): each number's opt-out hint, added to
the first text of each conversation, and the states' own quiet hours windows.

Opened with open(), never exec(). It never touches the cache: the owner
(console/ui/compliance.py) fills it and acts on its signals.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import time
from typing import Any

from console.domain.opt_out_hint import DEFAULT_HINT, MAX_HINT_CHARS
from console.domain.quiet_hours import DEFAULT_END, DEFAULT_START, STATE_CODES
from console.services.compliance_rows import NumberHint, StateWindow
from console.ui.i18n import translate
from console.ui.named_roles import NamedRolesListModel
from console.ui.qt import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPushButton,
    Qt,
    QTime,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
    Signal,
)
from console.ui.theme import set_themed_style

ModelIndex = QModelIndex | QPersistentModelIndex
_CONTEXT = "ComplianceDialog"

STYLE = """
#complianceDialog { background: $surface; }
#complianceDialog #dialogHeading { font-size: 12pt; font-weight: 600; color: $text; }
#complianceSection { font-weight: 600; color: $text; margin-top: 6px; }
#complianceHint { color: $muted; font-size: 8.5pt; }
#complianceError { color: $danger_text; }
#optOutHintStatus { color: $text_secondary; }
"""


def _hhmm(value: time) -> str:
    return value.strftime("%H:%M")


class StateWindowsModel(NamedRolesListModel):
    StateRole = Qt.ItemDataRole.UserRole + 1
    SavingRole = Qt.ItemDataRole.UserRole + 2
    _ROLE_NAMES = {StateRole: b"state", SavingRole: b"saving"}

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[StateWindow] = []

    def set_rows(self, rows: Sequence[StateWindow]) -> None:
        if list(rows) == self._rows:
            return
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row(self, index: int) -> StateWindow | None:
        return self._rows[index] if 0 <= index < len(self._rows) else None

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row(index.row()) if index.isValid() else None
        if row is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            text = translate(_CONTEXT, "{state}: {start}–{end}").format(
                state=row.state, start=_hhmm(row.window.start), end=_hhmm(row.window.end))
            return text + (translate(_CONTEXT, " (saving…)") if row.saving else "")
        return {self.StateRole: row.state, self.SavingRole: row.saving}.get(role)


class ComplianceDialog(QDialog):
    hintSaveRequested = Signal(str, str)  # number id, hint ("" : off)
    stateSetRequested = Signal(str, object, object)  # state, start time, end time
    stateClearRequested = Signal(str)  # state

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("complianceDialog")
        self.setWindowTitle(translate(_CONTEXT, "Compliance settings"))
        set_themed_style(self, STYLE)
        self._numbers: list[NumberHint] = []

        heading = QLabel(self.windowTitle(), self)
        heading.setObjectName("dialogHeading")

        # -- the opt-out hint --
        hint_section = QLabel(translate(_CONTEXT, "Opt-out hint on first texts"), self)
        hint_section.setObjectName("complianceSection")
        hint_note = QLabel(translate(
            _CONTEXT, "Added to the first text each conversation gets from the number, and "
            "counted in its size before it is sent. It must say how to opt out (STOP)."), self)
        hint_note.setObjectName("complianceHint")
        hint_note.setWordWrap(True)
        self.number_choice = QComboBox(self)
        self.number_choice.setObjectName("hintNumberChoice")
        self.number_choice.setAccessibleName(translate(_CONTEXT, "Business number"))
        self.number_choice.setAccessibleDescription(translate(
            _CONTEXT, "The business number whose first texts get the hint."))
        self.hint_edit = QLineEdit(self)
        self.hint_edit.setObjectName("optOutHintEdit")
        self.hint_edit.setAccessibleName(translate(_CONTEXT, "Opt-out hint"))
        self.hint_edit.setAccessibleDescription(translate(
            _CONTEXT, "Added to the first text each conversation gets from this number; it "
            "must say how to opt out (STOP). Empty: no hint."))
        self.hint_edit.setPlaceholderText(translate(_CONTEXT, "Empty: no hint is added"))
        self.hint_edit.setMaxLength(MAX_HINT_CHARS)
        self.default_button = QPushButton(translate(_CONTEXT, "Usual wording"), self)
        self.default_button.setObjectName("optOutHintDefault")
        # The hint itself is the text the customers get (carriers' keyword STOP): as it is.
        self.default_button.setToolTip(translate(
            _CONTEXT, "Puts in the usual wording: “{hint}”").format(hint=DEFAULT_HINT))
        self.hint_save = QPushButton(translate(_CONTEXT, "Save hint"), self)
        self.hint_save.setObjectName("optOutHintSave")
        self.hint_save.setAccessibleDescription(translate(
            _CONTEXT, "Saves the hint for this number: first texts from it carry it."))
        self.hint_status = QLabel(self)
        self.hint_status.setObjectName("optOutHintStatus")
        self.hint_status.setWordWrap(True)
        hint_row = QHBoxLayout()
        hint_row.addWidget(self.hint_edit, 1)
        hint_row.addWidget(self.default_button)
        hint_row.addWidget(self.hint_save)

        # -- the states' windows --
        states_section = QLabel(translate(_CONTEXT, "Quiet hours by state"), self)
        states_section.setObjectName("complianceSection")
        states_note = QLabel(translate(
            _CONTEXT, "Everyone: {start}–{end} where the person is. A state's own window "
            "applies to its numbers where it is stricter.").format(
                start=_hhmm(DEFAULT_START), end=_hhmm(DEFAULT_END)), self)
        states_note.setObjectName("complianceHint")
        states_note.setWordWrap(True)
        self.windows = StateWindowsModel(self)
        self.window_list = QListView(self)
        self.window_list.setObjectName("stateWindowsList")
        self.window_list.setAccessibleName(translate(_CONTEXT, "States with their own window"))
        self.window_list.setAccessibleDescription(translate(
            _CONTEXT, "States and provinces whose own quiet hours apply to their numbers; "
            "choose one to change it or go back to the default."))
        self.window_list.setModel(self.windows)
        self.window_list.setMaximumHeight(120)
        self.state_choice = QComboBox(self)
        self.state_choice.setObjectName("stateChoice")
        self.state_choice.setAccessibleName(translate(_CONTEXT, "State or province"))
        self.state_choice.setAccessibleDescription(translate(
            _CONTEXT, "The state or province whose numbers get the window."))
        self.state_choice.addItems(sorted(STATE_CODES))
        self.start_edit = QTimeEdit(QTime(DEFAULT_START.hour, DEFAULT_START.minute), self)
        self.start_edit.setObjectName("stateStart")
        self.start_edit.setDisplayFormat("HH:mm")
        self.start_edit.setAccessibleName(translate(_CONTEXT, "From"))
        self.start_edit.setAccessibleDescription(translate(
            _CONTEXT, "The earliest time of day a text may reach the state's numbers."))
        self.end_edit = QTimeEdit(QTime(20, 0), self)
        self.end_edit.setObjectName("stateEnd")
        self.end_edit.setDisplayFormat("HH:mm")
        self.end_edit.setAccessibleName(translate(_CONTEXT, "Until"))
        self.end_edit.setAccessibleDescription(translate(
            _CONTEXT, "From this time of day texts to the state's numbers wait until the "
            "next morning."))
        self.state_save = QPushButton(translate(_CONTEXT, "Set window"), self)
        self.state_save.setObjectName("stateWindowSave")
        self.state_save.setAccessibleDescription(translate(
            _CONTEXT, "Sets this window for the chosen state's numbers."))
        self.state_clear = QPushButton(translate(_CONTEXT, "Back to the default"), self)
        self.state_clear.setObjectName("stateWindowRemove")
        self.state_clear.setAccessibleDescription(translate(
            _CONTEXT, "Removes the chosen state's own window: everyone's hours apply there "
            "again."))
        state_row = QHBoxLayout()
        state_row.addWidget(self.state_choice)
        state_row.addWidget(QLabel(translate(_CONTEXT, "from"), self))
        state_row.addWidget(self.start_edit)
        state_row.addWidget(QLabel(translate(_CONTEXT, "until"), self))
        state_row.addWidget(self.end_edit)
        state_row.addWidget(self.state_save)
        state_row.addStretch(1)

        self.error = QLabel(self)
        self.error.setObjectName("complianceError")
        self.error.setWordWrap(True)
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setAccessibleDescription(
            translate(_CONTEXT, "Closes the compliance settings; what was saved stays."))
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 14)
        layout.setSpacing(8)
        layout.addWidget(heading)
        layout.addWidget(hint_section)
        layout.addWidget(hint_note)
        layout.addWidget(self.number_choice)
        layout.addLayout(hint_row)
        layout.addWidget(self.hint_status)
        layout.addWidget(states_section)
        layout.addWidget(states_note)
        layout.addWidget(self.window_list)
        layout.addLayout(state_row)
        layout.addWidget(self.state_clear, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.setMinimumWidth(560)

        self.number_choice.currentIndexChanged.connect(self._show_number)
        self.default_button.clicked.connect(lambda: self.hint_edit.setText(DEFAULT_HINT))
        self.hint_save.clicked.connect(self._save_hint)
        self.state_save.clicked.connect(self._set_state)
        self.state_clear.clicked.connect(self._clear_state)
        self.window_list.selectionModel().currentChanged.connect(self._pick_window)
        self.windows.modelReset.connect(self._update_clear)
        self._update_clear()

    # -- owner ----------------------------------------------------------------------------
    def set_numbers(self, rows: Sequence[NumberHint]) -> None:
        chosen = self.number_choice.currentData()
        self._numbers = list(rows)
        self.number_choice.blockSignals(True)
        self.number_choice.clear()
        for row in rows:
            label = f"{row.label} · {row.display}" if row.label else row.display
            self.number_choice.addItem(label, row.number_id)
        index = self.number_choice.findData(chosen)
        self.number_choice.setCurrentIndex(max(index, 0))
        self.number_choice.blockSignals(False)
        self._show_number(keep_text=chosen is not None and index >= 0)

    def set_windows(self, rows: Sequence[StateWindow]) -> None:
        self.windows.set_rows(rows)

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    # -- internals ------------------------------------------------------------------------
    def _current_number(self) -> NumberHint | None:
        number_id = self.number_choice.currentData()
        return next((n for n in self._numbers if n.number_id == number_id), None)

    def _show_number(self, *_args: object, keep_text: bool = False) -> None:
        number = self._current_number()
        self.hint_save.setEnabled(number is not None)
        if number is None:
            self.hint_status.setText(translate(_CONTEXT, "No business numbers yet."))
            return
        if not keep_text or not self.hint_edit.isModified():
            self.hint_edit.setText(number.hint)
            self.hint_edit.setModified(False)
        if number.saving:
            status = translate(_CONTEXT, "Saving…")
        elif number.hint:
            status = translate(_CONTEXT, "On: the first text of each conversation from this "
                               "number ends with it.")
        else:
            status = translate(_CONTEXT, "Off: texts from this number go as written.")
        self.hint_status.setText(status)

    def _save_hint(self) -> None:
        number = self._current_number()
        if number is not None:
            self.show_error("")
            self.hint_edit.setModified(False)
            self.hintSaveRequested.emit(number.number_id, self.hint_edit.text())

    def _set_state(self) -> None:
        start, end = self.start_edit.time(), self.end_edit.time()
        self.show_error("")
        self.stateSetRequested.emit(self.state_choice.currentText(),
                                    time(start.hour(), start.minute()),
                                    time(end.hour(), end.minute()))

    def _pick_window(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = self.windows.row(current.row())
        if row is not None:
            self.state_choice.setCurrentText(row.state)
            self.start_edit.setTime(QTime(row.window.start.hour, row.window.start.minute))
            self.end_edit.setTime(QTime(row.window.end.hour, row.window.end.minute))
        self._update_clear()

    def _clear_state(self) -> None:
        row = self.windows.row(self.window_list.currentIndex().row())
        if row is not None:
            self.show_error("")
            self.stateClearRequested.emit(row.state)

    def _update_clear(self) -> None:
        self.state_clear.setEnabled(self.window_list.currentIndex().isValid())
