"""Scheduled sends on screen: a list with Edit and Cancel (ScheduledList), the strip above
compose that shows the open conversation's (`scheduledStrip`), and the window listing all of
the user's (`scheduledSendsDialog`). Thin views: the owner (scheduled_sends.py) feeds them and
acts on their requests."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from console.domain.scheduled import ScheduledItem
from console.ui.i18n import translate
from console.ui.qt import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QSize,
    Qt,
    QToolButton,
    QVBoxLayout,
    QWidget,
    Signal,
    SignalInstance,
)
from console.ui.schedule_times import now_here, when_text
from console.ui.scheduled_model import ScheduledListModel
from console.ui.theme import icon, set_themed_style

VISIBLE_ROWS = 4  # the strip's list shows this many before it scrolls

LIST_STYLE = """
#scheduledList { border: 1px solid $control_border; border-radius: 6px; background: $surface; }
#scheduledList::item { padding: 5px 8px; }
#scheduledList::item:selected { background: $accent_soft; color: $text; }
"""
STRIP_STYLE = """
#scheduledStrip { background: $surface_alt; border-top: 1px solid $border; }
#scheduledSummary { color: $text_secondary; }
"""
DIALOG_STYLE = """
#scheduledSendsDialog { background: $surface; }
#scheduledSendsDialog #dialogHeading { font-size: 12pt; font-weight: 600; color: $text; }
#scheduledSendsDialog #fieldHint { color: $muted; font-size: 8.5pt; }
"""


class ScheduledList(QWidget):
    """A list of scheduled sends with Edit… and Cancel send (and Open, listing them all)."""

    editRequested = Signal(object)  # ScheduledItem
    cancelRequested = Signal(object)  # ScheduledItem
    openRequested = Signal(object)  # ScheduledItem (only with `with_open`)

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        where: Callable[[ScheduledItem], str] | None = None,
        with_open: bool = False,
        now: Callable[[], datetime] | None = None,
    ) -> None:
        super().__init__(parent)
        self.model = ScheduledListModel(self, where=where, now=now)
        self.view = QListView(self)
        self.view.setObjectName("scheduledList")
        self.view.setAccessibleName(translate("ScheduledList", "Scheduled messages"))
        self.view.setAccessibleDescription(translate(
            "ScheduledList", "Messages waiting for their time, soonest first."
        ))
        self.view.setModel(self.model)
        set_themed_style(self.view, LIST_STYLE)
        self.view.setUniformItemSizes(True)
        self.view.setAlternatingRowColors(False)
        self.edit_button = QPushButton(translate("ScheduledList", "Edit…"), self)
        self.edit_button.setObjectName("scheduledEditButton")
        self.edit_button.setAccessibleDescription(
            translate("ScheduledList", "Change the chosen message's text or time.")
        )
        self.cancel_button = QPushButton(translate("ScheduledList", "Cancel send"), self)
        self.cancel_button.setObjectName("scheduledCancelButton")
        self.cancel_button.setAccessibleDescription(
            translate("ScheduledList", "The chosen message will not be sent.")
        )
        self.open_button: QPushButton | None = None
        buttons = QHBoxLayout()
        buttons.setSpacing(6)
        if with_open:
            self.open_button = QPushButton(translate("ScheduledList", "Open conversation"), self)
            self.open_button.setObjectName("scheduledOpenButton")
            self.open_button.setAccessibleDescription(
                translate("ScheduledList", "Shows the conversation the message goes to.")
            )
            self.open_button.clicked.connect(lambda: self._request(self.openRequested))
            buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        self.edit_button.clicked.connect(lambda: self._request(self.editRequested))
        self.cancel_button.clicked.connect(lambda: self._request(self.cancelRequested))
        self.view.doubleClicked.connect(lambda _index: self._request(self.editRequested))
        self.view.selectionModel().currentChanged.connect(self._update_buttons)
        self.model.modelReset.connect(self._after_reset)
        self._selected_id: str | None = None
        self._update_buttons()

    def set_items(self, items: Sequence[ScheduledItem]) -> None:
        current = self.current()
        self._selected_id = current.id if current is not None else None
        self.model.set_items(items)

    def current(self) -> ScheduledItem | None:
        index = self.view.currentIndex()
        return self.model.item(index.row()) if index.isValid() else None

    def select(self, row: int) -> None:
        self.view.setCurrentIndex(self.model.index(row, 0))

    def _after_reset(self) -> None:
        # The same send stays chosen across a refresh; else the first (one click to act).
        rows = [i.id for i in self.model.items()]
        if rows:
            wanted = self._selected_id if self._selected_id in rows else rows[0]
            self.select(rows.index(wanted))
        self._update_buttons()

    def _update_buttons(self, *_args: object) -> None:
        current = self.current()
        self.edit_button.setEnabled(current is not None)
        self.cancel_button.setEnabled(current is not None)
        if self.open_button is not None:  # a group message has no conversation to open
            self.open_button.setEnabled(current is not None and bool(current.conversation_id))

    def _request(self, signal: SignalInstance) -> None:
        item = self.current()
        if item is not None:
            signal.emit(item)


class ScheduledStrip(QFrame):
    """objectName `scheduledStrip`: above compose while the open conversation has sends
    waiting: "2 scheduled · next Tomorrow 09:00", and Show for the list with Edit and Cancel."""

    def __init__(self, parent: QWidget | None = None, *,
                 now: Callable[[], datetime] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("scheduledStrip")
        set_themed_style(self, STRIP_STYLE)
        self._now = now or now_here
        self.clock = QLabel(self)
        self.clock.setPixmap(icon("clock").pixmap(QSize(16, 16)))
        self.summary = QLabel(self)
        self.summary.setObjectName("scheduledSummary")
        self.summary.setAccessibleName(
            translate("ScheduledStrip", "Scheduled in this conversation")
        )
        self.toggle = QToolButton(self)
        self.toggle.setObjectName("scheduledToggle")
        self.toggle.setCheckable(True)
        self.toggle.setAutoRaise(True)
        self.toggle.setCursor(Qt.CursorShape.PointingHandCursor)
        self.toggle.setAccessibleDescription(
            translate("ScheduledStrip", "Shows or hides the scheduled messages.")
        )
        self.list = ScheduledList(self, now=self._now)
        self.list.hide()
        header = QHBoxLayout()
        header.setSpacing(8)
        header.addWidget(self.clock)
        header.addWidget(self.summary, 1)
        header.addWidget(self.toggle)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 6, 16, 6)
        layout.setSpacing(6)
        layout.addLayout(header)
        layout.addWidget(self.list)
        self.toggle.toggled.connect(self._toggled)
        self._toggled(False)
        self.hide()

    def set_items(self, items: Sequence[ScheduledItem]) -> None:
        self.list.set_items(items)
        if not items:
            self.hide()
            return
        soonest = items[0].send_at.astimezone(self._now().tzinfo)
        self.summary.setText(translate(
            "ScheduledStrip", "%n scheduled · next {when}", None, len(items)
        ).format(when=when_text(soonest, self._now())))
        rows = min(len(items), VISIBLE_ROWS)
        self.list.view.setFixedHeight(rows * self.list.view.sizeHintForRow(0) + 6)
        self.show()

    def expand(self, on: bool = True) -> None:
        self.toggle.setChecked(on)

    def _toggled(self, on: bool) -> None:
        self.list.setVisible(on)
        self.toggle.setText(translate("ScheduledStrip", "Hide") if on
                            else translate("ScheduledStrip", "Show"))


class ScheduledSendsDialog(QDialog):
    """objectName `scheduledSendsDialog`: every send the user has waiting, where each goes."""

    def __init__(self, where: Callable[[ScheduledItem], str], parent: QWidget | None = None,
                 *, now: Callable[[], datetime] | None = None) -> None:
        super().__init__(parent)
        title = translate("ScheduledSendsDialog", "Scheduled messages")
        self.setObjectName("scheduledSendsDialog")
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        set_themed_style(self, DIALOG_STYLE)
        heading = QLabel(title, self)
        heading.setObjectName("dialogHeading")
        about = QLabel(translate(
            "ScheduledSendsDialog",
            "Soonest first. The server sends each at its time, even when this console is "
            "closed.",
        ), self)
        about.setObjectName("fieldHint")
        about.setWordWrap(True)
        self.list = ScheduledList(self, where=where, with_open=True, now=now)
        self.empty = QLabel(translate(
            "ScheduledSendsDialog",
            "Nothing is scheduled. Write a message and choose Schedule (the clock beside Send, "
            "or Ctrl+Shift+Enter).",
        ), self)
        self.empty.setObjectName("scheduledEmpty")
        self.empty.setWordWrap(True)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.button(QDialogButtonBox.StandardButton.Close).setAccessibleDescription(translate(
            "ScheduledSendsDialog", "Closes the list; the messages stay scheduled."))
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 14)
        layout.setSpacing(8)
        layout.addWidget(heading)
        layout.addWidget(about)
        layout.addWidget(self.empty)
        layout.addWidget(self.list, 1)
        layout.addWidget(close)
        self.resize(620, 380)

    def set_items(self, items: Sequence[ScheduledItem]) -> None:
        self.list.set_items(items)
        self.empty.setVisible(not items)
        self.list.setVisible(bool(items))
