"""The Group messages page (`groupMessagesPage`): send an in-app message to an audience group,
and follow the ones sent.

    page = GroupMessagesPage(open_conversation=window.open_conversation)
    page.set_workspace(workspace)     # the main window does this, and routes
    page.apply_changes(change_set)    # every change set here
    page.new_group_message()          # Ctrl+N on this page, and `newGroupMessageButton`

Left, the sent list (`sentGroupMessages`, sent_group_messages_model.py: read lazily from the
cache, sorted and searched there, live as statistics change). Right, the composer
(group_message_composer.py) or the selected message's detail (group_message_recipients.py).
Send first opens `groupMessageConfirm`, stating the count at this moment (GroupReads.
recipients_now); confirming queues it in the outbox with an idempotency key, and the page says
"Sent to N people" once the server has answered (and so if its count differs). Nothing here
cancels or deletes a sent group message: the server never would.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from console.domain.errors import DomainError
from console.domain.merge_fields import check_merge_fields
from console.services.group_reads import GroupState
from console.services.group_send_check import GroupSendCheck, MergePreview, check_group_send
from console.services.types import ChangeSet, SyncState
from console.ui.error_texts import code_text, error_text
from console.ui.flat_table import configure_flat_table, flat_table_style
from console.ui.group_message_composer import STYLE as COMPOSER_STYLE
from console.ui.group_message_composer import Draft, GroupMessageComposer
from console.ui.group_message_confirm import GroupMessageConfirm, grouped
from console.ui.group_message_recipients import STYLE as DETAIL_STYLE
from console.ui.group_message_recipients import GroupMessageDetail
from console.ui.gui_thread import assert_gui_thread
from console.ui.i18n import QT_TRANSLATE_NOOP, in_source_language, translate
from console.ui.plain_cell_delegate import PlainCellDelegate
from console.ui.qt import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QModelIndex,
    QPushButton,
    QResizeEvent,
    QSplitter,
    QStackedWidget,
    Qt,
    QTableView,
    QTimer,
    QVBoxLayout,
    QWidget,
)
from console.ui.quiet_hours_warning import QuietHoursWarning
from console.ui.schedule_dialog import ScheduleDialog, problem_text
from console.ui.schedule_times import now_here, quiet_hours_now, when_text
from console.ui.sent_group_messages_model import (
    COUNT_SAMPLES,
    Column,
    SentGroupMessagesModel,
)
from console.ui.table_fit import fit_columns
from console.ui.tasks import TaskRunner
from console.ui.template_insert import Target, TemplateInsert, as_written
from console.ui.theme import set_themed_style

if TYPE_CHECKING:
    from console.services.workspace import Workspace

log = logging.getLogger("console.ui.group_messages_page")

MAX_GROUPS = 2000  # the composer's group choice; more than this is a search problem
ROW_HEIGHT = 30
NAME_CHARS = 10  # group and sender: about a name's width, elided past it (tooltip: all of it)
# What the fixed columns must hold whole: the widest list times and counts.
SAMPLES: dict[int, tuple[str, ...]] = {
    Column.SENT_AT: ("Yesterday", "Wed", "28 Nov", "Nov 2025"),
    **{c: COUNT_SAMPLES for c in (Column.RECIPIENTS, Column.DELIVERED, Column.READ,
                                  Column.REPLIED, Column.FAILURES)},
}
LIST_SHARE = 0.58  # of the page's width, until the user moves the splitter
MAIN_MIN_WIDTH = 440

STYLE = (
    """
#groupMessagesPage { background: $surface_alt; }
#sentHeader { background: $surface; border-bottom: 1px solid $border; }
#sentTitle { font-size: 13pt; font-weight: 600; color: $text; }
#sentCount { color: $muted; font-size: 9pt; }
#newGroupMessageButton {
    background: $accent; color: $accent_text; border: none; border-radius: 6px;
    padding: 6px 14px; font-weight: 600;
}
#newGroupMessageButton:hover { background: $accent_hover; }
"""
    + flat_table_style("sentGroupMessages", plain_cells=True)
    + """#sentGroupMessages QHeaderView::up-arrow, #sentGroupMessages QHeaderView::down-arrow {
    subcontrol-origin: margin; subcontrol-position: top center; width: 9px; height: 6px;
}
#sentEmpty { color: $separator_text; padding: 24px; }
"""
)


_CONTEXT = "GroupMessagesPage"

ASSIGNED_ONLY_REFUSAL = QT_TRANSLATE_NOOP(
    "GroupMessagesPage",
    "You cannot send to this group: it includes people assigned to other agents; only an "
    "admin or an agent who may see everyone can send to it.",
)


def sending_text(count: int) -> str:
    return grouped(translate(_CONTEXT, "Sending to %n (person|people)…", None, count), count)


def refused_text(code: str | None, reason: str | None) -> str:
    """Why the server refused a group message and what to do: its English reason in an English
    console, its code's sentence under a translation."""
    if reason and in_source_language():
        return translate(
            _CONTEXT,
            "Not sent: {reason}. Retry sends it again; Discard drops it and lets you edit it "
            "(it is also in View > Refused changes).",
        ).format(reason=reason)
    if code or reason:
        return translate(
            _CONTEXT,
            "Not sent: {reason} Retry sends it again; Discard drops it and lets you edit it "
            "(it is also in View > Refused changes).",
        ).format(reason=code_text(code))
    return translate(
        _CONTEXT,
        "Not sent: the server refused it. Retry sends it again; Discard drops it and lets you "
        "edit it (it is also in View > Refused changes).",
    )


@dataclass
class _Sending:
    key: str  # the outbox item's idempotency key
    count: int  # what the confirmation stated
    shown: str = ""  # the write's state the composer shows ("gone" once discarded)


# The quiet hours warning names this many people; the rest are counted.
MAX_LATE_SHOWN = 12


class GroupMessagesPage(QWidget):
    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        open_conversation: Callable[[str], bool] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("groupMessagesPage")
        self.setAccessibleName(translate(_CONTEXT, "Group messages"))
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        set_themed_style(self, STYLE + COMPOSER_STYLE + DETAIL_STYLE)
        self._workspace: Workspace | None = None
        self._open_conversation = open_conversation
        self._sending: _Sending | None = None
        # A refusal changes only the outbox, which no ChangeSet carries: while a send is out
        # (or refused), look at its one outbox row now and then (an indexed read by key).
        self._follow_timer = QTimer(self)
        self._follow_timer.setInterval(400)
        self._follow_timer.timeout.connect(self._follow_send)
        self.confirm_dialog: GroupMessageConfirm | None = None
        self.quiet_warning: QuietHoursWarning | None = None
        self._checking = False  # a send's recipients are being checked (worker)
        self._quiet_clock = quiet_hours_now  # the moment quiet hours are judged at (tests)
        self.schedule_dialog: ScheduleDialog | None = None
        # Scheduling writes the cache, which may wait behind a sync batch: on a worker.
        self._schedule_runner: TaskRunner | None = None

        # -- the sent list --
        header = QWidget(self)
        header.setObjectName("sentHeader")
        header.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        title = QLabel(translate(_CONTEXT, "Group messages"), header)
        title.setObjectName("sentTitle")
        self.count_label = QLabel(header)
        self.count_label.setObjectName("sentCount")
        self.new_button = QPushButton(translate(_CONTEXT, "New group message"), header)
        self.new_button.setObjectName("newGroupMessageButton")
        self.new_button.setAccessibleDescription(
            translate(_CONTEXT, "Writes one message to every member of a group, in the app.")
        )
        self.new_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.new_button.clicked.connect(self.new_group_message)
        self.search = QLineEdit(header)
        self.search.setObjectName("sentGroupMessagesSearch")
        self.search.setPlaceholderText(translate(_CONTEXT, "Search title, message or group"))
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(translate(_CONTEXT, "Search sent group messages"))
        self.search.setAccessibleDescription(translate(
            _CONTEXT, "Shows only the sent messages whose title, text or group has these words."
        ))
        self.search.textChanged.connect(self._search)
        top = QHBoxLayout()
        top.addWidget(title)
        top.addWidget(self.count_label, 1, Qt.AlignmentFlag.AlignBottom)
        top.addWidget(self.new_button)
        header_layout = QVBoxLayout(header)
        header_layout.setContentsMargins(16, 12, 16, 10)
        header_layout.addLayout(top)
        header_layout.addWidget(self.search)

        self.model = SentGroupMessagesModel(None, self)
        self.view = QTableView(self)
        configure_flat_table(
            self.view,
            self.model,
            object_name="sentGroupMessages",
            accessible_name=translate(_CONTEXT, "Sent group messages"),
            row_height=ROW_HEIGHT,
            # Cells painted without the stylesheet's per-cell work (alternate rows included).
            delegate=PlainCellDelegate(self.view),
        )
        self.view.setAccessibleDescription(translate(
            _CONTEXT,
            "The group messages sent, newest first. The chosen one shows who it reached beside "
            "the list.",
        ))
        h = self.view.horizontalHeader()
        self._fit_columns()
        h.setSortIndicator(Column.SENT_AT, Qt.SortOrder.DescendingOrder)
        self.view.setSortingEnabled(True)
        self.view.selectionModel().currentRowChanged.connect(self._current_changed)
        self.model.modelReset.connect(self._after_reset)
        self.empty = QLabel(
            translate(
                _CONTEXT,
                "No group messages yet. Write one to reach everyone in a group at once, in the "
                "app.",
            ),
            self,
        )
        self.empty.setObjectName("sentEmpty")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter)

        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.setSpacing(0)
        left_layout.addWidget(header)
        left_layout.addWidget(self.view, 1)
        left_layout.addWidget(self.empty, 1)

        # -- the main column: the composer, or a sent one's detail --
        self.composer = GroupMessageComposer(self)
        self.composer.sendRequested.connect(self.confirm_send)
        self.composer.scheduleRequested.connect(self.schedule_send)
        # Templates (Ctrl+T in the message): inserted as written, each member's fields are
        # filled when it goes; the confirmation shows everyone's text.
        self.templates = TemplateInsert(self, target=lambda: Target(
            fill=as_written, insert=self.composer.insert_text,
            note=translate(_CONTEXT, "Each person's fields fill in when it is sent; the "
                           "confirmation lists everyone's text first.")))
        self.composer.templateRequested.connect(self.templates.open_picker)
        self.composer.retryRequested.connect(self.retry_refused)
        self.composer.discardRequested.connect(self.discard_refused)
        self._detail: GroupMessageDetail | None = None  # made on the first selection
        self.main = QStackedWidget(self)
        self.main.setObjectName("groupMessagesMain")
        self.main.addWidget(self.composer)
        self.main.setMinimumWidth(MAIN_MIN_WIDTH)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setHandleWidth(1)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.main)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self._user_split = False
        self.splitter.splitterMoved.connect(self._split_moved)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)
        self._after_reset()

    def _fit_columns(self) -> None:
        """The title takes what the other columns leave: they hold their header and widest
        value, group and sender about a name, so all nine show at the default window size
        without a horizontal scroll bar."""
        name = self.view.fontMetrics().averageCharWidth() * NAME_CHARS
        fit_columns(
            self.view, stretch=Column.TITLE, samples=SAMPLES,
            fixed={Column.GROUP: name, Column.SENDER: name},
        )

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if not self._user_split:  # the list keeps its share until the user says otherwise
            width = self.splitter.width() - self.splitter.handleWidth()
            main = max(MAIN_MIN_WIDTH, width - round(width * LIST_SHARE))
            self.splitter.setSizes([width - main, main])

    def _split_moved(self, _pos: int, _index: int) -> None:
        self._user_split = True

    @property
    def detail(self) -> GroupMessageDetail:
        """The selected message's detail (made when first needed: opening the page is then
        the list and the composer only)."""
        if self._detail is None:
            detail = GroupMessageDetail(self)
            detail.openConversation.connect(self._open)
            workspace = self._workspace
            if workspace is not None:
                detail.set_source(
                    workspace.group_message_recipients,
                    lambda: workspace.sync.status.last_sync_at,
                )
            self.main.addWidget(detail)
            self._detail = detail
        return self._detail

    # -- workspace ----------------------------------------------------------------------------
    def set_workspace(self, workspace: Workspace | None) -> None:
        assert_gui_thread()
        self._workspace = workspace
        self.templates.attach(workspace)
        self._sending = None
        self._follow_timer.stop()
        self.composer.set_busy(False)
        self.composer.show_refused(False)
        if self.confirm_dialog is not None:
            self.confirm_dialog.reject()
        if self.quiet_warning is not None:
            self.quiet_warning.reject()
        self._checking = False
        if self.schedule_dialog is not None:
            self.schedule_dialog.reject()
        if self._schedule_runner is not None:  # its write lands; its answer is not needed
            self._schedule_runner.shutdown(wait=True)
            self._schedule_runner.deleteLater()
            self._schedule_runner = None
        if workspace is None:
            if self._detail is not None:
                self._detail.set_source(None, lambda: None)
            self.model.set_service(None)
            self.main.setCurrentWidget(self.composer)
            return
        if self._detail is not None:
            self._detail.set_source(
                workspace.group_message_recipients, lambda: workspace.sync.status.last_sync_at
            )
        self.model.set_service(workspace.groups)
        self._load_choices()

    def _load_choices(self) -> None:
        workspace = self._workspace
        if workspace is None:
            return
        me = workspace.session.user
        senders = [(u.id, u.name) for u in workspace.contacts.assignable_users()]
        if me.id not in {s for s, _ in senders}:
            senders.insert(0, (me.id, me.name or me.email))
        self.composer.set_senders(senders, me.id)
        groups = [
            g for g in workspace.groups.groups_page("", 0, MAX_GROUPS)
            if g.state not in (GroupState.REFUSED, GroupState.DELETING)
        ]
        self.composer.set_groups(groups)

    # -- changes ------------------------------------------------------------------------------
    def apply_changes(self, changes: ChangeSet) -> None:
        assert_gui_thread()
        if self._workspace is None:
            return
        self.templates.on_changes(changes)
        if changes.groups or changes.reset:
            self._load_choices()
        if changes.group_messages or changes.reset:
            selected = self.selected_key()
            if self.model.apply_changes(changes) and selected:
                self.select_message(selected)
            self._follow_detail()
        if self._sending is not None:
            self._follow_send()

    def _follow_detail(self) -> None:
        if self._detail is None:
            return
        shown = self._detail.message
        if shown is None or self._workspace is None:
            return
        row = self._workspace.groups.sent_message(shown.key)
        if row is None:
            return
        if row.id != shown.id:  # it was sent meanwhile: now the server has its recipients
            self.detail.show_message(row)
        elif row != shown:
            self.detail.update_totals(row)

    # -- the list -----------------------------------------------------------------------------
    def _search(self, text: str) -> None:
        self.model.set_search(text)

    def _after_reset(self) -> None:
        count = self.model.rowCount()
        searching = bool(self.model.search_text)
        if not count:
            self.count_label.setText("")
        else:
            shown = (
                translate(_CONTEXT, "{count} found") if searching
                else translate(_CONTEXT, "{count} sent")
            )
            self.count_label.setText(shown.format(count=f"{count:,}"))
        empty = count == 0 and not searching
        self.view.setVisible(not empty)
        self.empty.setVisible(empty)

    def selected_key(self) -> str | None:
        index = self.view.currentIndex()
        if not index.isValid() or not self.view.selectionModel().isRowSelected(index.row()):
            return None
        key = index.siblingAtColumn(0).data(SentGroupMessagesModel.KeyRole)
        return key if isinstance(key, str) else None

    def select_message(self, key: str) -> bool:
        """Select (and show the detail of) the message `key` if it is among the rows read."""
        row = self.model.row_of(key)
        if row < 0:
            # Reading the first screenful finds a message just sent (newest first).
            for r in range(min(self.model.rowCount(), 100)):
                found = self.model.message_at(r)
                if found is not None and key in (found.key, found.id):
                    row = r
                    break
        if row < 0:
            return False
        self.view.selectRow(row)
        self.view.scrollTo(self.model.index(row, 0))
        return True

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = self.model.message_at(current.row()) if current.isValid() else None
        if row is None:
            return
        shown = self.detail.message
        if shown is not None and shown.key == row.key and self.main.currentWidget() is self.detail:
            return
        self.detail.show_message(row)
        self.main.setCurrentWidget(self.detail)

    def new_group_message(self) -> None:
        """Show the composer (Ctrl+N on this page)."""
        self.view.clearSelection()
        self.view.setCurrentIndex(QModelIndex())
        self.main.setCurrentWidget(self.composer)
        self.composer.title.setFocus(Qt.FocusReason.OtherFocusReason)

    def _open(self, conversation_id: str) -> None:
        if self._open_conversation is None or not self._open_conversation(conversation_id):
            self.detail.say(
                translate(
                    _CONTEXT,
                    "That conversation is not in this console's copy yet; it appears after the "
                    "next sync.",
                ),
                error=True,
            )

    # -- sending ------------------------------------------------------------------------------
    def confirm_send(self) -> bool:
        """Check what the composer holds, then open `groupMessageConfirm` (nothing is sent
        yet); False when it cannot go (the composer says why)."""
        workspace = self._workspace
        draft = self.composer.draft()
        if (workspace is None or draft is None or self._sending is not None or self._checking
                or self.confirm_dialog is not None):
            return False
        now = workspace.groups.recipients_now(draft.group_id)
        count, note = now.count, ""
        if not now.complete and now.server_count > now.cached_members:
            # The server refuses an assigned-only sender a group holding anyone else's people
            # (CONTACT_NOT_ASSIGNED): never promise a send that cannot happen.
            self.composer.show_status(translate(_CONTEXT, ASSIGNED_ONLY_REFUSAL), error=True)
            return False
        if not now.complete:
            note = translate(
                _CONTEXT,
                "Counted from the group's member count on the server: your access shows only "
                "your own people.",
            )
        elif now.server_count != now.cached_members:
            # This copy is behind the server (a sync on its way): say both, never guess.
            note = grouped(
                translate(
                    _CONTEXT,
                    "The server last counted %n (person|people) in this group; this "
                    "console's copy is catching up. The final count shows after sending.",
                    None,
                    now.server_count,
                ),
                now.server_count,
            )
            count = count or now.server_count
        if count == 0:
            self.composer.show_status(
                translate(
                    _CONTEXT, "{group} has no members: add people on the Groups page first."
                ).format(group=draft.group_name),
                error=True,
            )
            return False
        try:
            check_merge_fields(draft.body)
        except DomainError as exc:
            self.composer.show_status(error_text(exc.code, exc.detail), error=True)
            return False
        # Each member's own text and who is outside quiet hours: read on the worker (a big
        # group is thousands of names), the draft locked meanwhile.
        moment = self._quiet_clock()
        self._checking = True
        self.composer.set_busy(True)

        def ready(check: GroupSendCheck) -> None:
            self._checking = False
            self.composer.set_busy(False)
            if self._workspace is not workspace or self.composer.draft() != draft:
                return
            if check.late:
                self._warn_quiet_hours(draft, count, note, check, moment)
            else:
                self._open_confirm(draft, count, note, check.merge)

        def failed(error: BaseException) -> None:
            self._checking = False
            self.composer.set_busy(False)
            log.error("a group message could not be checked", exc_info=error)
            self.composer.show_status(translate(
                _CONTEXT, "The recipients could not be read here; try again."), error=True)

        self._runner().submit(
            lambda: check_group_send(
                workspace.groups, draft.group_id, draft.body, sender_name=draft.sender_name,
                rules=workspace.quiet_hours.rules(), moment=moment),
            on_success=ready, on_failure=failed)
        return True

    def _warn_quiet_hours(
        self, draft: Draft, count: int, note: str, check: GroupSendCheck, moment: datetime
    ) -> None:
        """Before the confirmation: who it would reach outside quiet hours, with Schedule for
        the next time inside everyone's hours, Send anyway (then the confirmation, and the
        message records it), or Cancel."""
        shown = check.late[:MAX_LATE_SHOWN]

        def schedule(at: datetime) -> None:
            self._schedule_at(draft, at)

        def send_anyway() -> None:
            self._open_confirm(draft, count, note, check.merge, quiet_hours_override=True)

        box = QuietHoursWarning(
            shown, now=moment, next_time=check.next_time, schedule=schedule,
            send_anyway=send_anyway, more=len(check.late) - len(shown), parent=self,
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.destroyed.connect(lambda *_: setattr(self, "quiet_warning", None))
        self.quiet_warning = box
        box.open()

    def _schedule_at(self, draft: Draft, moment: datetime) -> None:
        workspace = self._workspace
        if workspace is None:
            return

        def saved(_scheduled_id: str) -> None:
            self.composer.clear_message()
            self.composer.show_status(translate(
                _CONTEXT, "Scheduled for {when}. View > Scheduled messages lists it."
            ).format(when=when_text(moment.astimezone(now_here().tzinfo), now_here())))

        def refused(error: BaseException) -> None:
            if not isinstance(error, DomainError):
                log.error("a scheduled group message could not be saved", exc_info=error)
            self.composer.show_status(
                problem_text(error) if isinstance(error, DomainError)
                else translate(_CONTEXT, "It could not be saved here. Nothing changed; try "
                               "again."), error=True)

        self._runner().submit(
            lambda: workspace.scheduled.schedule_group_message(
                draft.group_id, draft.sender_user_id, draft.title, draft.body, moment),
            on_success=saved, on_failure=refused)

    def _runner(self) -> TaskRunner:
        if self._schedule_runner is None:
            self._schedule_runner = TaskRunner(self, max_workers=1)
        return self._schedule_runner

    def _open_confirm(
        self, draft: Draft, count: int, note: str, merge: MergePreview | None, *,
        quiet_hours_override: bool = False,
    ) -> GroupMessageConfirm | None:
        workspace = self._workspace
        if workspace is None or self.confirm_dialog is not None:
            return None
        dialog = GroupMessageConfirm(
            count=count, group_name=draft.group_name, sender_name=draft.sender_name,
            title=draft.title, count_note=note,
            offline=workspace.sync.status.state is not SyncState.ONLINE, merge=merge,
            parent=self,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(
            lambda: self._send(draft, count, quiet_hours_override=quiet_hours_override))
        dialog.destroyed.connect(lambda *_: setattr(self, "confirm_dialog", None))
        self.confirm_dialog = dialog
        dialog.open()
        return dialog

    def schedule_send(self) -> ScheduleDialog | None:
        """Open `scheduleDialog` for what the composer holds: the server sends it then, to
        the group's members of that moment."""
        workspace = self._workspace
        draft = self.composer.draft()
        if workspace is None or draft is None or self._sending is not None:
            return None
        note = translate(
            _CONTEXT, "It goes to the members of {group} at that moment, in the app."
        ).format(group=draft.group_name)

        def save(body: str, moment: datetime) -> None:
            def saved(_scheduled_id: str) -> None:
                if self.schedule_dialog is dialog:
                    dialog.accept()
                self.composer.clear_message()
                when = when_text(moment, now_here())
                self.composer.show_status(translate(
                    _CONTEXT, "Scheduled for {when}. View > Scheduled messages lists it."
                ).format(when=when))

            def refused(error: BaseException) -> None:
                if isinstance(error, DomainError):
                    text = problem_text(error)
                else:
                    log.error("a scheduled group message could not be saved", exc_info=error)
                    text = translate(
                        _CONTEXT, "It could not be saved here. Nothing changed; try again.")
                if self.schedule_dialog is dialog:
                    dialog.show_error(text)

            self._runner().submit(
                lambda: workspace.scheduled.schedule_group_message(
                    draft.group_id, draft.sender_user_id, draft.title, body, moment
                ),
                on_success=saved, on_failure=refused,
            )

        dialog = ScheduleDialog(save, [], self, text=draft.body, note=note)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.destroyed.connect(lambda *_: setattr(self, "schedule_dialog", None))
        self.schedule_dialog = dialog
        dialog.open()
        return dialog

    def _send(self, draft: Draft, count: int, *, quiet_hours_override: bool = False) -> None:
        workspace = self._workspace
        if workspace is None:
            return
        try:
            write = workspace.groups.send_group_message(
                draft.group_id, draft.title, draft.body, sender_user_id=draft.sender_user_id,
                quiet_hours_override=quiet_hours_override,
            )
        except DomainError as exc:
            self.composer.show_status(error_text(exc.code, exc.detail), error=True)
            return
        self._sending = _Sending(write.key, count)
        self._follow_timer.start()
        self.composer.set_busy(True)
        self.composer.show_status(sending_text(count))
        self._follow_send()

    def retry_refused(self) -> None:
        """Send the refused copy again (same idempotency key: it never goes twice)."""
        workspace, sending = self._workspace, self._sending
        if workspace is None or sending is None:
            return
        try:
            workspace.outbox.retry(sending.key)
        except DomainError as exc:
            self.composer.show_status(error_text(exc.code, exc.detail), error=True)
        self._follow_send()

    def discard_refused(self) -> None:
        """Drop the refused copy; the draft is editable again."""
        workspace, sending = self._workspace, self._sending
        if workspace is None or sending is None:
            return
        try:
            workspace.outbox.discard(sending.key)
        except DomainError as exc:
            self.composer.show_status(error_text(exc.code, exc.detail), error=True)
            return
        self._sending = None
        self._follow_timer.stop()
        self.composer.show_refused(False)
        self.composer.set_busy(False)
        self.composer.show_status(
            translate(_CONTEXT, "Discarded: nothing was sent. Edit it and send again.")
        )

    def _follow_send(self) -> None:
        workspace, sending = self._workspace, self._sending
        if workspace is None or sending is None:
            return
        write = workspace.groups.write(sending.key)
        state = write.state if write is not None else "gone"
        if state == sending.shown or (state == "sending" and sending.shown == "pending"):
            return
        sending.shown = state
        if write is not None and write.state in ("pending", "sending"):
            # Also after a Retry from View > Refused changes.
            self.composer.show_refused(False)
            self.composer.set_busy(True)
            self.composer.show_status(sending_text(sending.count))
            return
        if write is not None and write.state == "failed":
            # The refused copy waits to be retried or discarded: the draft stays locked and
            # Send stays away until then, so it can never go twice.
            self.composer.set_busy(True)
            self.composer.show_refused(True)
            self.composer.show_status(refused_text(write.error_code, write.error), error=True)
            return
        self._sending = None
        self._follow_timer.stop()
        self.composer.show_refused(False)
        self.composer.set_busy(False)
        if write is None:
            # Discarded (here, in View > Refused changes, or with the never-created group it
            # was for): nothing went; the text stays to edit or send again.
            self.composer.show_status(
                translate(
                    _CONTEXT,
                    "Not sent: it was discarded before it reached the server. Your text is still "
                    "here: check the group and send it again if you want.",
                ),
                error=True,
            )
            return
        row = workspace.groups.sent_message(write.result_id or "") if write.result_id else None
        sent = row.recipient_count if row is not None else None
        if sent is not None and sent != sending.count:
            text = grouped(
                translate(
                    _CONTEXT,
                    "Sent to %n (person|people). The group changed before it reached the "
                    "server: it went to %n (person|people), not the {counted} counted when you "
                    "confirmed.",
                    None,
                    sent,
                ),
                sent,
            ).format(counted=f"{sending.count:,}")
        else:
            total = sent if sent is not None else sending.count
            text = grouped(translate(_CONTEXT, "Sent to %n (person|people).", None, total), total)
        self.composer.clear_message()
        self.composer.show_status(text)
