"""Scheduled sends in the main window: compose's Schedule opens the schedule dialog, the strip
above compose lists the open conversation's sends (edit, cancel), View > Scheduled messages
lists them all, and a send that could not go at its time is told once, as a notice.

Every cache read and write here runs on one worker (TaskRunner): a write waits for the
cache's writer, which a sync batch may hold, and the GUI thread never waits on it. One worker
keeps them in the order they were asked for.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from console.domain.conversations import ConversationKind
from console.domain.errors import DomainError
from console.domain.quiet_hours import QuietHoursRules, next_allowed, outside_hours
from console.domain.scheduled import ScheduledItem
from console.services.types import ChangeSet, ConversationRow, Notice
from console.ui.compose import ComposeWidget
from console.ui.error_texts import error_text
from console.ui.gui_thread import assert_gui_thread
from console.ui.i18n import translate
from console.ui.qt import QObject, QWidget
from console.ui.quiet_hours_warning import QuietHoursWarning
from console.ui.schedule_dialog import ScheduleDialog, problem_text
from console.ui.schedule_times import Recipient, now_here, quiet_hours_now, when_text
from console.ui.scheduled_list import ScheduledSendsDialog, ScheduledStrip
from console.ui.tasks import TaskRunner

if TYPE_CHECKING:  # the services pull in SQLAlchemy: not before first paint
    from console.services.chat_details import ChatDetails
    from console.services.workspace import Workspace

log = logging.getLogger("console.ui.scheduled_sends")


@dataclass(frozen=True, slots=True)
class _Listing:
    items: list[ScheduledItem]
    where: dict[str, str]  # scheduled id -> where it goes (a conversation, a group)


class ScheduledSends(QObject):
    def __init__(
        self,
        compose: ComposeWidget,
        strip: ScheduledStrip,
        *,
        notify: Callable[[Notice], None],
        open_conversation: Callable[[str], object],
        dialog_parent: QWidget,
        now: Callable[[], datetime] | None = None,
        recipients_now: Callable[[], list[Recipient]] | None = None,
        quiet_clock: Callable[[], datetime] | None = None,
    ) -> None:
        super().__init__(dialog_parent)
        self._compose = compose
        self._strip = strip
        self._notify = notify
        self._open_conversation = open_conversation
        self._parent = dialog_parent
        self._now = now or now_here
        self._workspace: Workspace | None = None
        self._runner: TaskRunner | None = None
        self._conversation_id = ""
        self._generation = 0  # a read answered after a newer one was asked is dropped
        self.dialog: ScheduleDialog | None = None  # the open schedule / edit dialog
        self.all_dialog: ScheduledSendsDialog | None = None
        self._where: dict[str, str] = {}
        self._told: set[str] = set()  # failures told in this window (marked in the cache too)
        # Quiet hours before a send: the open conversation's people (what the window shows
        # of it, no read) and the rules as last read from the cache.
        self._recipients_now = recipients_now or (lambda: [])
        self._rules = QuietHoursRules()
        self._quiet_clock = quiet_clock or quiet_hours_now
        self.warning: QuietHoursWarning | None = None
        compose.set_send_guard(self.guard)
        compose.scheduleRequested.connect(self._schedule_requested)
        strip.list.editRequested.connect(self.edit)
        strip.list.cancelRequested.connect(self.cancel)

    # -- wiring -----------------------------------------------------------------------------

    def attach(self, workspace: Workspace | None) -> None:
        assert_gui_thread()
        self.stop()
        self._workspace = workspace
        if workspace is not None:
            self._runner = TaskRunner(self, max_workers=1)
            self.refresh()
            self._tell_failures()

    def stop(self) -> None:
        assert_gui_thread()
        self._generation += 1
        self._close_dialog()
        self._close_warning()
        if self._runner is not None:
            self._runner.shutdown(wait=True)
            self._runner.deleteLater()
            self._runner = None
        self._workspace = None
        self._strip.set_items([])

    def set_conversation(self, conversation_id: str) -> None:
        if conversation_id == self._conversation_id:
            return
        self._conversation_id = conversation_id
        self._strip.expand(False)
        self._strip.set_items([])
        self.refresh()

    def on_changes(self, changes: ChangeSet) -> None:
        if changes.scheduled or changes.reset:
            self.refresh()
            self._tell_failures()
        elif changes.quiet_hours:  # an admin changed a state's window: read the rules again
            self.refresh()

    # -- reads ------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Re-read the open conversation's sends (and all of them, while that list is open)."""
        workspace, runner = self._workspace, self._runner
        if workspace is None or runner is None:
            return
        self._generation += 1
        generation, conversation_id = self._generation, self._conversation_id
        listing_all = self.all_dialog is not None and self.all_dialog.isVisible()

        def read() -> tuple[list[ScheduledItem], _Listing | None, QuietHoursRules]:
            here = workspace.scheduled.upcoming(conversation_id) if conversation_id else []
            rules = workspace.quiet_hours.rules()
            if not listing_all:
                return here, None, rules
            items = workspace.scheduled.upcoming()
            return here, _Listing(items, _places(workspace, items)), rules

        def show(
            result: tuple[list[ScheduledItem], _Listing | None, QuietHoursRules],
        ) -> None:
            if self._workspace is workspace:
                self._rules = result[2]
            if generation != self._generation:
                return
            here, listing, _rules = result
            self._strip.set_items(here)
            if listing is not None and self.all_dialog is not None:
                self._where = listing.where
                self.all_dialog.set_items(listing.items)

        runner.submit(read, on_success=show, on_failure=self._log("read the scheduled sends"))

    def _tell_failures(self) -> None:
        workspace, runner = self._workspace, self._runner
        if workspace is None or runner is None:
            return

        def read() -> list[tuple[ScheduledItem, str]]:
            failed = workspace.scheduled.untold_failures()
            places = _places(workspace, failed)
            return [(item, places.get(item.id, "")) for item in failed]

        def tell(failures: list[tuple[ScheduledItem, str]]) -> None:
            if self._workspace is not workspace or self._runner is None:
                return  # signed out meanwhile: told by the next window that opens it
            # Two reads can be in flight before either marks what it told: tell each once.
            fresh = [(item, where) for item, where in failures if item.id not in self._told]
            for item, where in fresh:
                self._told.add(item.id)
                self._notify(Notice("error", self.failure_text(item, where)))
            # Told now (or earlier in this window), on screen: marked so only after (a
            # sign-out before this tells it again next time rather than never).
            told = [item.id for item, _ in failures]
            if told:
                self._runner.submit(lambda: workspace.scheduled.mark_told(told),
                                    on_success=lambda _r: None,
                                    on_failure=self._log("mark failures told"))

        runner.submit(read, on_success=tell, on_failure=self._log("read failed schedules"))

    def failure_text(self, item: ScheduledItem, where: str) -> str:
        when = when_text(item.send_at.astimezone(self._now().tzinfo), self._now())
        reason = error_text(item.error_code or "", item.error_detail or "")
        if where:
            return translate(
                "ScheduledSends",
                "A message scheduled for {when} in {where} was not sent: {reason} Its text: "
                "“{text}”",
            ).format(when=when, where=where, reason=reason, text=item.body)
        return translate(
            "ScheduledSends",
            "A message scheduled for {when} was not sent: {reason} Its text: “{text}”",
        ).format(when=when, reason=reason, text=item.body)

    # -- quiet hours, before a send --------------------------------------------------------

    def guard(self, text: str) -> bool:
        """compose's send guard: True lets the send go; False when someone it reaches is
        outside quiet hours now, after opening `quietHoursWarning` (schedule for the next
        time inside everyone's hours, send anyway, or cancel: the text stays)."""
        conversation_id = self._conversation_id
        if not conversation_id or self._workspace is None:
            return True
        people = self._recipients_now()
        now = self._quiet_clock()
        late = outside_hours(((p.name, p.phone) for p in people), now, self._rules)
        if not late:
            return True
        later = next_allowed([p.phone for p in people if p.phone], now, self._rules)
        self._close_warning()
        workspace = self._workspace

        def schedule(at: datetime) -> None:
            self._write(
                lambda: workspace.scheduled.schedule_message(conversation_id, text, at),
                done=lambda: self._compose.take_scheduled(conversation_id, text),
                on_error=self._notify_error,
            )

        box = QuietHoursWarning(
            late, now=now, next_time=later, schedule=schedule,
            send_anyway=lambda: self._compose.send_anyway(conversation_id, text),
            parent=self._parent,
        )
        box.finished.connect(lambda _code: self._forget_warning(box))
        self.warning = box
        box.open()
        return False

    def _forget_warning(self, box: QuietHoursWarning) -> None:
        if self.warning is box:
            self.warning = None

    def _close_warning(self) -> None:
        box, self.warning = self.warning, None
        if box is not None:
            box.reject()
            box.deleteLater()

    # -- the list of them all ---------------------------------------------------------------

    def show_all(self) -> ScheduledSendsDialog:
        assert_gui_thread()
        if self.all_dialog is None:
            dialog = ScheduledSendsDialog(lambda item: self._where.get(item.id, ""),
                                          self._parent, now=self._now)
            dialog.list.editRequested.connect(self.edit)
            dialog.list.cancelRequested.connect(self.cancel)
            dialog.list.openRequested.connect(self._open_from_list)
            self.all_dialog = dialog
        self.all_dialog.show()
        self.all_dialog.raise_()
        self.refresh()
        return self.all_dialog

    def _open_from_list(self, item: ScheduledItem) -> None:
        if item.conversation_id:
            self._open_conversation(item.conversation_id)
            self._strip.expand(True)

    # -- writes -----------------------------------------------------------------------------

    def _schedule_requested(self, text: str) -> None:
        conversation_id = self._conversation_id
        workspace, runner = self._workspace, self._runner
        if not conversation_id or workspace is None or runner is None:
            return

        def recipients() -> tuple[list[Recipient], QuietHoursRules]:
            return _recipients(workspace, conversation_id), workspace.quiet_hours.rules()

        def save(body: str, moment: datetime) -> None:
            self._write(
                lambda: workspace.scheduled.schedule_message(conversation_id, body, moment),
                done=lambda: self._compose.take_scheduled(conversation_id, text),
            )

        runner.submit(
            recipients,
            on_success=lambda found: self._open_dialog(save, *found, text=text),
            on_failure=self._log("read the recipients"),
        )

    def edit(self, item: ScheduledItem) -> None:
        workspace, runner = self._workspace, self._runner
        if workspace is None or runner is None:
            return

        def save(body: str, moment: datetime) -> None:
            changed_body = body if body != item.body else None
            changed_at = moment if moment != item.send_at else None
            self._write(lambda: workspace.scheduled.reschedule(
                item.id, send_at=changed_at, body=changed_body))

        runner.submit(
            lambda: (_recipients(workspace, item.conversation_id or ""),
                     workspace.quiet_hours.rules()),
            on_success=lambda found: self._open_dialog(
                save, *found, text=item.body, at=item.send_at, editing=True),
            on_failure=self._log("read the recipients"),
        )

    def cancel(self, item: ScheduledItem) -> None:
        workspace = self._workspace
        if workspace is not None:
            self._write(lambda: workspace.scheduled.cancel(item.id), on_error=self._notify_error)

    def _write(
        self,
        work: Callable[[], object],
        *,
        done: Callable[[], None] | None = None,
        on_error: Callable[[str], None] | None = None,
    ) -> None:
        runner = self._runner
        if runner is None:
            return
        dialog = self.dialog

        def ok(_result: object) -> None:
            if dialog is not None and dialog is self.dialog:
                self._close_dialog()
            if done is not None:
                done()
            self.refresh()

        def failed(error: BaseException) -> None:
            if isinstance(error, DomainError):
                text = problem_text(error)
            else:
                log.error("a scheduled send could not be saved", exc_info=error)
                text = translate("ScheduledSends",
                                 "It could not be saved here. Nothing changed; try again.")
            if dialog is not None and dialog is self.dialog:
                dialog.show_error(text)
            elif on_error is not None:
                on_error(text)

        runner.submit(work, on_success=ok, on_failure=failed)

    def _notify_error(self, text: str) -> None:
        self._notify(Notice("error", text))

    def _open_dialog(
        self, save: Callable[[str, datetime], None], people: list[Recipient],
        rules: QuietHoursRules, *, text: str, at: datetime | None = None, editing: bool = False,
    ) -> None:
        self._close_dialog()
        dialog = ScheduleDialog(save, people, self._parent, text=text, at=at, editing=editing,
                                now=self._now, rules=rules)
        self.dialog = dialog
        dialog.finished.connect(lambda _code: self._forget_dialog(dialog))
        dialog.open()

    def _forget_dialog(self, dialog: ScheduleDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None

    def _close_dialog(self) -> None:
        dialog, self.dialog = self.dialog, None
        if dialog is not None:
            dialog.accept()
            dialog.deleteLater()

    @staticmethod
    def _log(what: str) -> Callable[[BaseException], None]:
        return lambda error: log.warning("could not %s: %s", what, error)


def _places(workspace: Workspace, items: list[ScheduledItem]) -> dict[str, str]:
    """Where each send goes, in words: its conversation's title, or its group's name."""
    titles: dict[str, str] = {}
    where: dict[str, str] = {}
    for item in items:
        if item.conversation_id:
            if item.conversation_id not in titles:
                row = workspace.conversations.conversation(item.conversation_id)
                titles[item.conversation_id] = row.title if row is not None else ""
            where[item.id] = titles[item.conversation_id]
        elif item.group_id:
            group = workspace.groups.group(item.group_id)
            name = group.name if group is not None else ""
            where[item.id] = translate("ScheduledSends", "Group message to {group}").format(
                group=name) if name else translate("ScheduledSends", "Group message")
    return where


def _recipients(workspace: Workspace, conversation_id: str) -> list[Recipient]:
    """Who a message in the conversation reaches (read from the cache: on the worker)."""
    row = workspace.conversations.conversation(conversation_id)
    if row is None:
        return []
    details = (workspace.chat_details.details(conversation_id)
               if row.kind is ConversationKind.GROUP_SMS else None)
    return recipients_of(row, details)


def recipients_of(row: ConversationRow, details: ChatDetails | None) -> list[Recipient]:
    """Who a message in the conversation reaches, with the number their local time comes
    from (none for in-app people)."""
    if row.kind is ConversationKind.GROUP_SMS:
        return [Recipient(p.name, p.phone) for p in details.participants] if details else []
    if row.kind is ConversationKind.IN_APP:
        return [Recipient(row.title, None)]
    return [Recipient(row.title, row.subtitle or None)]
