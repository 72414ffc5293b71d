"""The detail of one sent group message (`groupMessageDetail`): its totals from the cache and
its recipients (`groupMessageRecipients`), each with delivery, read, replied, email and push
outcome, a link to their conversation, and Export CSV.

The recipients are not cached: they are fetched from the server off the GUI thread
(console/ui/tasks.py) each time a message is shown (or Refresh is pressed). Offline, the view
says so and keeps the totals, which come from the cache, with the time they are from.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from console.services.group_message_recipients import RecipientRow, RecipientsUnavailable
from console.services.group_reads import GroupMessageRow, SentState
from console.ui.elided_label import ElidedLabel
from console.ui.error_texts import error_text
from console.ui.flat_table import configure_flat_table, flat_table_style
from console.ui.formatting import clock_time, local, short_date
from console.ui.group_message_confirm import grouped
from console.ui.i18n import QT_TRANSLATE_NOOP, translate
from console.ui.plain_cell_delegate import PlainCellDelegate
from console.ui.qt import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QModelIndex,
    QPushButton,
    Qt,
    QTableView,
    QVBoxLayout,
    QWidget,
    Signal,
)
from console.ui.recipient_table_model import (
    LINK_TEXT,
    NOTIFIED_TEXTS,
    Column,
    RecipientTableModel,
)
from console.ui.recipients_csv import write_recipients_csv
from console.ui.table_fit import fit_columns
from console.ui.tasks import TaskRunner
from console.ui.theme import set_themed_style

if TYPE_CHECKING:
    from console.services.group_message_recipients import GroupMessageRecipients

STYLE = (
    """
#groupMessageDetail { background: $surface_alt; }
#detailTitle { font-size: 13pt; font-weight: 600; color: $text; }
#detailMeta, #detailNote, #detailTotals { color: $muted; }
#detailBody {
    background: $surface; border: 1px solid $border; border-radius: 8px; padding: 8px 10px;
    color: $text;
}
#detailStatus { color: $text_secondary; }
#detailStatus[level="error"] { color: $danger_text; }
"""
    + flat_table_style(
        "groupMessageRecipients", plain_cells=True, border="1px solid $border"
    )
    + """"""
)

# What the fixed columns must hold whole (the recipient's name takes the rest).
TIMES = ("Yesterday", "Wed", "28 Nov", "23:59", "—")
SAMPLES: dict[int, tuple[str, ...]] = {
    Column.DELIVERED: TIMES, Column.READ: TIMES, Column.REPLIED: TIMES,
    Column.NOTIFIED: NOTIFIED_TEXTS, Column.CONVERSATION: (LINK_TEXT,),
}
_CONTEXT = "GroupMessageDetail"

NOTE = QT_TRANSLATE_NOOP(
    "GroupMessageDetail", "The title is for your team; customers see only the message:"
)

SinceFn = Callable[[], datetime | None]


def offline_text(since: datetime | None) -> str:
    if since is None:
        return translate(
            _CONTEXT,
            "Recipients need a connection to the server; the totals above are from "
            "the last sync. Connect and press Refresh.",
        )
    return translate(
        _CONTEXT,
        "Recipients need a connection to the server; the totals above are from "
        "{when}. Connect and press Refresh.",
    ).format(when=sent_text(since))


def sent_text(moment: datetime, now: datetime | None = None) -> str:
    """ "5 Dec 01:23", with the year only when it is not this one ("28 Nov 2025 09:10")."""
    when = local(moment)
    this_year = when.year == local(now or datetime.now(UTC)).year
    return translate(_CONTEXT, "{date} {time}").format(
        date=short_date(when.date(), with_year=not this_year), time=clock_time(when))


def totals_text(row: GroupMessageRow) -> str:
    if row.recipient_count is None:
        return translate(_CONTEXT, "Not sent yet: the totals follow once the server has sent it.")
    parts = [
        translate(_CONTEXT, "Sent to {count}").format(count=f"{row.recipient_count:,}"),
        translate(_CONTEXT, "{count} delivered").format(count=f"{row.delivered:,}"),
        translate(_CONTEXT, "{count} read").format(count=f"{row.read:,}"),
        translate(_CONTEXT, "{count} replied").format(count=f"{row.replied:,}"),
    ]
    if row.notification_failures:
        parts.append(
            translate(_CONTEXT, "{count} notification failures").format(
                count=f"{row.notification_failures:,}"
            )
        )
    return "  ·  ".join(parts)


class GroupMessageDetail(QWidget):
    openConversation = Signal(str)  # a recipient's conversation id
    exported = Signal(str, int)  # path, rows written
    loaded = Signal(int)  # recipients shown

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("groupMessageDetail")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        if parent is None:  # on a page, the page's one stylesheet holds STYLE (one polish)
            set_themed_style(self, STYLE)
        self._service: GroupMessageRecipients | None = None
        self._since: SinceFn = lambda: None
        self._runner: TaskRunner | None = None
        self._message: GroupMessageRow | None = None
        self._request = 0  # the newest fetch; older answers are dropped

        # One line each, cut with "…" (the whole text in the tooltip) rather than wrapped
        # or widening the pane: a long title or group name must not push the table.
        self.title = ElidedLabel("", self)
        self.title.setObjectName("detailTitle")
        self.meta = ElidedLabel("", self)
        self.meta.setObjectName("detailMeta")
        self.note = QLabel(translate(_CONTEXT, NOTE), self)
        self.note.setObjectName("detailNote")
        self.note.setWordWrap(True)
        self.body = QLabel(self)
        self.body.setObjectName("detailBody")
        self.body.setWordWrap(True)
        self.body.setTextFormat(Qt.TextFormat.PlainText)
        self.body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.totals = QLabel(self)
        self.totals.setObjectName("detailTotals")
        self.totals.setWordWrap(True)
        self.status = QLabel(self)
        self.status.setObjectName("detailStatus")
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)

        self.model = RecipientTableModel(self)
        self.view = QTableView(self)
        configure_flat_table(
            self.view,
            self.model,
            object_name="groupMessageRecipients",
            accessible_name=translate(_CONTEXT, "Recipients"),
            row_height=30,
            # Cells painted without the stylesheet's per-cell work (alternate rows included).
            delegate=PlainCellDelegate(self.view, foreground=True),
        )
        self.view.setAccessibleDescription(translate(
            _CONTEXT,
            "Who the message went to and how far it got with each. Enter opens the chat with "
            "the chosen one.",
        ))
        fit_columns(self.view, stretch=Column.NAME, samples=SAMPLES)
        self.view.clicked.connect(self._clicked)
        self.view.activated.connect(self._activated)

        self.refresh_button = QPushButton(translate(_CONTEXT, "Refresh"), self)
        self.refresh_button.setObjectName("recipientsRefreshButton")
        self.refresh_button.setAccessibleDescription(
            translate(_CONTEXT, "Reads each recipient's progress again from the server.")
        )
        self.refresh_button.clicked.connect(self.refresh)
        self.export_button = QPushButton(translate(_CONTEXT, "Export CSV…"), self)
        self.export_button.setObjectName("recipientsExportButton")
        self.export_button.setToolTip(
            translate(_CONTEXT, "Save the recipients and their progress as a CSV file")
        )
        self.export_button.clicked.connect(self.choose_export_file)
        self.export_dialog: QFileDialog | None = None

        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.refresh_button)
        top.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 16, 10, 12)
        layout.setSpacing(8)
        layout.addLayout(top)
        layout.addWidget(self.meta)
        layout.addWidget(self.note)
        layout.addWidget(self.body)
        layout.addWidget(self.totals)
        layout.addWidget(self.status)
        layout.addWidget(self.view, 1)
        self._set_enabled(False)

    # -- wiring -------------------------------------------------------------------------------
    def set_source(self, service: GroupMessageRecipients | None, since: SinceFn) -> None:
        """Where recipients come from, and when the cache last heard from the server."""
        self._service = service
        self._since = since
        if service is None:
            self.stop()

    def stop(self) -> None:
        """Drop work in flight and stop the worker threads (before the workspace closes)."""
        self._request += 1
        if self._runner is not None:
            self._runner.shutdown(wait=True)
            self._runner.deleteLater()
            self._runner = None

    def _tasks(self) -> TaskRunner:
        if self._runner is None:
            self._runner = TaskRunner(self, max_workers=1)
        return self._runner

    # -- showing ------------------------------------------------------------------------------
    @property
    def message(self) -> GroupMessageRow | None:
        return self._message

    def show_message(self, row: GroupMessageRow) -> None:
        """Show `row` and fetch its recipients (again if it is the same one)."""
        same = self._message is not None and self._message.key == row.key
        self.update_totals(row)
        if not same or row.id != (self._message.id if self._message else None):
            self.model.set_rows([])
        self._message = row
        self.refresh()

    def update_totals(self, row: GroupMessageRow) -> None:
        """New statistics (or its sending finished): the header only; Refresh re-fetches."""
        self._message = row
        self.title.setText(row.title)
        meta = (
            translate(_CONTEXT, "Sent {when}  ·  to {group}  ·  from {sender}")
            if row.state is SentState.SENT
            else translate(_CONTEXT, "Composed {when}  ·  to {group}  ·  from {sender}")
        )
        self.meta.setText(
            meta.format(
                when=sent_text(row.sent_at),
                group=row.group_name or translate(_CONTEXT, "(deleted group)"),
                sender=row.sender_name or translate(_CONTEXT, "Someone else"),
            )
        )
        self.body.setText(row.body)
        self.totals.setText(totals_text(row))

    def refresh(self) -> None:
        row = self._message
        if row is None:
            return
        self._request += 1
        request = self._request
        if row.id is None:
            self._set_enabled(False)
            if row.state is SentState.REFUSED and row.error:
                self.say(
                    translate(
                        _CONTEXT,
                        "Not sent yet: {reason} Recipients are listed once the server has sent it.",
                    ).format(reason=error_text(None, row.error))
                )
            else:
                self.say(
                    translate(
                        _CONTEXT,
                        "Not sent yet. Recipients are listed once the server has sent it.",
                    )
                )
            return
        service = self._service
        if service is None:
            self.say(offline_text(self._since()), error=True)
            return
        self.say(translate(_CONTEXT, "Loading recipients…"))
        self.refresh_button.setEnabled(False)
        message_id = row.id
        self._tasks().submit(
            lambda: service.recipients(message_id),
            on_success=lambda rows: self._loaded(request, rows),
            on_failure=lambda exc: self._failed(request, exc),
        )

    def _loaded(self, request: int, rows: list[RecipientRow]) -> None:
        if request != self._request:
            return
        self.model.set_rows(rows)
        self._set_enabled(True)
        self.export_button.setEnabled(bool(rows))
        self.say(
            grouped(
                translate(
                    _CONTEXT, "%n recipient(s): the members when it was sent.", None, len(rows)
                ),
                len(rows),
            )
            if rows
            else translate(_CONTEXT, "No recipients you may see.")
        )
        self.loaded.emit(len(rows))

    def _failed(self, request: int, exc: BaseException) -> None:
        if request != self._request:
            return
        self.refresh_button.setEnabled(True)
        self.export_button.setEnabled(False)
        self.model.set_rows([])
        if isinstance(exc, RecipientsUnavailable) and exc.offline:
            self.say(offline_text(self._since()), error=True)
        elif isinstance(exc, RecipientsUnavailable):
            # The services' English words; under a translation, the server's code's sentence.
            self.say(error_text(getattr(exc.__cause__, "code", None), str(exc)), error=True)
        else:
            self.say(
                translate(
                    _CONTEXT, "The recipients could not be loaded; press Refresh to try again."
                ),
                error=True,
            )

    def say(self, text: str, *, error: bool = False) -> None:
        """One line under the totals: progress, or what went wrong and what to do."""
        self.status.setText(text)
        self.status.setProperty("level", "error" if error else "")
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)

    def _set_enabled(self, enabled: bool) -> None:
        self.refresh_button.setEnabled(self._message is not None and self._message.id is not None)
        self.export_button.setEnabled(enabled and self.model.rowCount() > 0)

    # -- conversation links -------------------------------------------------------------------
    def _clicked(self, index: QModelIndex) -> None:
        if index.column() == Column.CONVERSATION:
            self._activated(index)

    def _activated(self, index: QModelIndex) -> None:
        conversation_id = index.data(RecipientTableModel.ConversationIdRole)
        if isinstance(conversation_id, str) and conversation_id:
            self.openConversation.emit(conversation_id)

    # -- export -------------------------------------------------------------------------------
    def choose_export_file(self) -> QFileDialog:
        """Ask where to save (a save dialog opened with open()); writing starts once chosen."""
        dialog = QFileDialog(self, translate(_CONTEXT, "Export recipients"))
        dialog.setObjectName("recipientsExportDialog")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilter(translate(_CONTEXT, "CSV files (*.csv)"))
        dialog.setDefaultSuffix("csv")
        fallback = translate(_CONTEXT, "recipients")  # a file name
        title = (self._message.title if self._message else fallback) or fallback
        safe = "".join(c if c.isalnum() or c in " -_" else "_" for c in title).strip()
        dialog.selectFile(
            translate(_CONTEXT, "{title} recipients.csv").format(title=safe or fallback)
        )
        dialog.fileSelected.connect(lambda path: self.export_to(Path(path)))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.export_dialog = dialog
        dialog.open()
        return dialog

    def export_to(self, path: Path) -> None:
        """Write the recipients shown to `path`, off the GUI thread."""
        rows = self.model.rows()
        self.export_button.setEnabled(False)
        self.say(
            grouped(
                translate(_CONTEXT, "Saving %n recipient(s) to {file}…", None, len(rows)),
                len(rows),
            ).format(file=path.name)
        )
        self._tasks().submit(
            lambda: write_recipients_csv(path, rows),
            on_success=lambda count: self._exported(path, count),
            on_failure=lambda exc: self._export_failed(path, exc),
        )

    def _exported(self, path: Path, count: int) -> None:
        self.export_button.setEnabled(True)
        self.say(
            grouped(
                translate(_CONTEXT, "Saved %n recipient(s) to {path}.", None, count), count
            ).format(path=path)
        )
        self.exported.emit(str(path), count)

    def _export_failed(self, path: Path, exc: BaseException) -> None:
        self.export_button.setEnabled(True)
        reason = (
            exc.strerror if isinstance(exc, OSError) and exc.strerror
            else translate(_CONTEXT, "it failed")
        )
        self.say(
            translate(_CONTEXT, "Could not save {path}: {reason}. Choose another place.").format(
                path=path, reason=reason
            ),
            error=True,
        )
