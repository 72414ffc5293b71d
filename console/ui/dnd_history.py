"""The contact editor's "Do Not Disturb history" section (`dndHistorySection`): each change of
the contact's DND, newest first, in a list (`dndHistory`): on or off, when (local time), and
who or what: "STOP from (415) 555-0111", "confirmed opt-out by Maria Lopez: “please stop”",
"set by Ava Thompson", "at import".

The history is the server's (not cached): it is fetched off the GUI thread
(console/ui/tasks.py) when the section starts, with a loading line, an empty state, and, when
the server cannot be reached, an offline line with Try again.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from console.services.dnd_history import (
    DndHistoryProblem,
    DndHistoryRow,
    DndHistoryUnavailable,
    DndSourceKind,
)
from console.ui.error_texts import error_text
from console.ui.formatting import clock_time, local, now_local, short_date
from console.ui.i18n import translate
from console.ui.qt import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from console.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from console.services.dnd_history import DndHistoryService

_CONTEXT = "DndHistory"
MAX_WORDS = 80  # longer words the person sent are cut with "…" (whole in the tooltip)

STYLE = """
#dndHistorySection #dndHistoryHeading { font-weight: 600; color: $text; }
#dndHistorySection #dndHistoryStatus { color: $muted; }
#dndHistorySection #dndHistoryStatus[level="error"] { color: $danger_text; }
"""


def when_text(moment: datetime, now: datetime | None = None) -> str:
    """ "3 Dec 14:05" in local time, with the year when it is not this one."""
    day = local(moment).date()
    year = (now or now_local()).year
    return translate(_CONTEXT, "{date} {time}").format(
        date=short_date(day, with_year=day.year != year), time=clock_time(moment)
    )


def _cut(words: str) -> str:
    flat = " ".join(words.split())
    return flat if len(flat) <= MAX_WORDS else flat[: MAX_WORDS - 1].rstrip() + "…"


def what_text(row: DndHistoryRow, *, whole: bool = False) -> str:
    """Who or what changed it: "STOP from (415) 555-0111", "set by Ava Thompson"..."""
    words = (row.keyword if whole else _cut(row.keyword)) if row.keyword else ""
    if row.source is DndSourceKind.INBOUND_KEYWORD:
        if words and row.from_phone:
            return translate(_CONTEXT, "{keyword} from {number}").format(
                keyword=words, number=row.from_phone
            )
        if row.from_phone:
            return translate(_CONTEXT, "a text message from {number}").format(
                number=row.from_phone
            )
        return words or translate(_CONTEXT, "a text message")
    if row.source is DndSourceKind.OPT_OUT_CONFIRMED:
        who = (
            translate(_CONTEXT, "confirmed opt-out by {name}").format(name=row.user_name)
            if row.user_name
            else translate(_CONTEXT, "confirmed opt-out")
        )
        if words and row.from_phone:
            return translate(_CONTEXT, "{who}: “{words}” from {number}").format(
                who=who, words=words, number=row.from_phone
            )
        if words:
            return translate(_CONTEXT, "{who}: “{words}”").format(who=who, words=words)
        return who
    if row.source is DndSourceKind.USER:
        if row.user_name:
            return translate(_CONTEXT, "set by {name}").format(name=row.user_name)
        return translate(_CONTEXT, "set by a team member")
    if row.source is DndSourceKind.SEED:
        return translate(_CONTEXT, "at import")
    return ""


def row_text(row: DndHistoryRow, *, whole: bool = False) -> str:
    """ "On · 3 Dec 14:05 · STOP from (415) 555-0111"."""
    state = translate(_CONTEXT, "On") if row.on else translate(_CONTEXT, "Off")
    what = what_text(row, whole=whole)
    if not what:
        return translate(_CONTEXT, "{state} · {when}").format(state=state, when=when_text(row.at))
    return translate(_CONTEXT, "{state} · {when} · {what}").format(
        state=state, when=when_text(row.at), what=what
    )


class DndHistorySection(QWidget):
    loaded = Signal(int)  # rows shown
    failed = Signal(bool)  # offline

    def __init__(self, service: DndHistoryService | None, contact_id: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dndHistorySection")
        self._service = service
        self._contact_id = contact_id
        self._runner: TaskRunner | None = None
        self._request = 0  # the newest fetch; older answers are dropped
        self.rows: list[DndHistoryRow] = []

        self.heading = QLabel(translate(_CONTEXT, "Do Not Disturb history"), self)
        self.heading.setObjectName("dndHistoryHeading")
        self.status = QLabel(self)
        self.status.setObjectName("dndHistoryStatus")
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.retry_button = QPushButton(translate(_CONTEXT, "Try again"), self)
        self.retry_button.setObjectName("dndHistoryRetry")
        self.retry_button.setAccessibleName(translate(_CONTEXT, "Try again"))
        self.retry_button.setAccessibleDescription(
            translate(_CONTEXT, "Asks the server for the Do Not Disturb history again.")
        )
        self.retry_button.clicked.connect(self.refresh)
        self.retry_button.hide()

        self.view = QListWidget(self)
        self.view.setObjectName("dndHistory")
        self.view.setAccessibleName(translate(_CONTEXT, "Do Not Disturb history"))
        self.view.setAccessibleDescription(translate(
            _CONTEXT,
            "Each time Do Not Disturb went on or off for this contact, newest first: when, "
            "and who or which text message changed it.",
        ))
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        # A long row (an opt-out's words, a foreign number) wraps rather than scrolling sideways.
        self.view.setWordWrap(True)
        self.view.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setMaximumHeight(140)
        self.view.hide()

        status_row = QHBoxLayout()
        status_row.setContentsMargins(0, 0, 0, 0)
        status_row.addWidget(self.status, 1)
        status_row.addWidget(self.retry_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.heading)
        layout.addLayout(status_row)
        layout.addWidget(self.view)

    # -- fetching -----------------------------------------------------------------------------
    def refresh(self) -> None:
        """Fetch the history (again) off the GUI thread; the loading line shows meanwhile."""
        self._request += 1
        request = self._request
        service = self._service
        self.retry_button.hide()
        if service is None:
            self._say_offline()
            return
        self.view.hide()
        self._say(translate(_CONTEXT, "Loading the history…"))
        contact_id = self._contact_id
        self._tasks().submit(
            lambda: service.history(contact_id),
            on_success=lambda rows: self._loaded(request, rows),
            on_failure=lambda exc: self._failed(request, exc),
        )

    def stop(self) -> None:
        """Drop work in flight and end the worker thread (before the dialog goes)."""
        self._request += 1
        self.stop_runner()

    def _idle(self) -> None:
        """No thread kept between fetches: the dialog may go without a word to this section."""
        if self._runner is not None and not self._runner.pending():
            self.stop_runner()

    def stop_runner(self) -> None:
        if self._runner is not None:
            self._runner.shutdown(wait=True)
            self._runner.deleteLater()
            self._runner = None

    def _tasks(self) -> TaskRunner:
        if self._runner is None:
            self._runner = TaskRunner(self, max_workers=1)
        return self._runner

    def _loaded(self, request: int, rows: list[DndHistoryRow]) -> None:
        self._idle()
        if request != self._request:
            return
        self.rows = rows
        self.view.clear()
        for row in rows:
            self.view.addItem(row_text(row))
            item = self.view.item(self.view.count() - 1)
            whole = row_text(row, whole=True)
            item.setToolTip(whole)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, whole)
        self.view.setVisible(bool(rows))
        if rows:
            self.status.hide()
        else:
            self._say(translate(_CONTEXT, "No changes yet."))
        self.loaded.emit(len(rows))

    def _failed(self, request: int, exc: BaseException) -> None:
        self._idle()
        if request != self._request:
            return
        self.rows = []
        self.view.clear()
        self.view.hide()
        offline = isinstance(exc, DndHistoryUnavailable) and exc.offline
        if offline:
            self._say_offline()
        elif isinstance(exc, DndHistoryUnavailable) and exc.problem is DndHistoryProblem.NOT_FOUND:
            self._say(translate(
                _CONTEXT, "The history shows once the server has this contact."
            ))
            self.retry_button.show()
        else:
            code = exc.code if isinstance(exc, DndHistoryUnavailable) else ""
            self._say(translate(_CONTEXT, "The history could not be read: {reason}").format(
                reason=error_text(code or None, str(exc))
            ), error=True)
            self.retry_button.show()
        self.failed.emit(offline)

    def _say_offline(self) -> None:
        self._say(translate(
            _CONTEXT, "The history needs the server, which cannot be reached."
        ), error=True)
        self.retry_button.setVisible(self._service is not None)

    def _say(self, text: str, *, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setProperty("level", "error" if error else "")
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)
        self.status.show()
