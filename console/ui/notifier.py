"""Desktop notifications for what came in: inbound messages and replies to group messages.

    notifier = Notifier(preferences, in_front=window.is_in_front, present=tray.show)
    notifier.set_reader(workspace.conversations.messages_by_key)   # None when signed out
    notifier.arrived(risen_rows, changes.messages)                 # after each change set

What is news: a conversation whose unread count went up with messages in the same change set
(a first sync or resync is not news, nor is the user's own "Mark unread"). The messages are
read off the GUI thread; only inbound ones count. Nothing is shown for the conversation in
front of the user, nor while Do not disturb is on. One change set gives one notification:
a burst into several conversations is summed up rather than stacked.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from console.domain.conversations import ConversationKind
from console.domain.messages import Direction
from console.services.types import ConversationRow, MessageRow
from console.ui.gui_thread import assert_gui_thread
from console.ui.i18n import translate
from console.ui.labels import sender_name
from console.ui.preferences import Preferences
from console.ui.qt import QObject, Signal
from console.ui.tasks import TaskRunner

log = logging.getLogger("console.ui.notifier")

BODY_CHARS = 200  # a notification shows two or three lines; the rest is in the conversation
NAMED_IN_SUMMARY = 2  # "From Maria, Dan and 3 more"

MessageReader = Callable[[str, Iterable[str]], list[MessageRow]]


@dataclass(frozen=True, slots=True)
class Notification:
    conversation_id: str  # what a click on it opens
    title: str
    body: str


def _one_line(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= BODY_CHARS else flat[: BODY_CHARS - 1].rstrip() + "…"


def notification_for(row: ConversationRow, inbound: Sequence[MessageRow]) -> Notification:
    """What to say for `inbound` (non-empty, any order) new messages in `row`."""
    newest = max(inbound, key=lambda m: m.created_at)
    who = sender_name(newest.author, newest.author_kind)
    if newest.reply_to_group_message_id is not None:
        about = newest.reply_to_title or translate("Notifier", "a group message")
        title = translate("Notifier", "{who} replied to “{about}”").format(who=who, about=about)
    elif row.kind is ConversationKind.GROUP_SMS:
        title = translate("Notifier", "{who} in {chat}").format(who=who, chat=row.title)
    else:
        title = who
    if len(inbound) > 1:
        title += translate("Notifier", " (%n new)", None, len(inbound))
    return Notification(row.id, title, _one_line(newest.body))


def summary_of(notes: Sequence[Notification], messages: int) -> Notification:
    """One notification for news in several conversations; a click opens the first."""
    names = [n.title.split(" (")[0] for n in notes]
    more = len(names) - NAMED_IN_SUMMARY
    if more > 0:
        body = translate("Notifier", "{names} and %n more", None, more).format(
            names=", ".join(names[:NAMED_IN_SUMMARY])
        )
    else:
        body = translate("Notifier", "{first} and {second}").format(
            first=", ".join(names[:-1]), second=names[-1]
        )
    title = translate("Notifier", "{messages} new messages in %n conversations", None,
                      len(notes)).format(messages=messages)
    return Notification(notes[0].conversation_id, title, _one_line(body))


class Notifier(QObject):
    """Decides what to notify; `present` shows it (the tray). `notified` says what was shown."""

    notified = Signal(object)  # Notification

    def __init__(
        self,
        preferences: Preferences,
        *,
        in_front: Callable[[str], bool],
        present: Callable[[Notification], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._preferences = preferences
        self._in_front = in_front
        self._present = present
        self._read: MessageReader | None = None
        self._runner: TaskRunner | None = None
        self._generation = 0  # a read for a workspace gone meanwhile is dropped
        self.last: Notification | None = None

    def muted(self) -> bool:
        prefs = self._preferences
        return prefs.do_not_disturb or not prefs.desktop_notifications

    def set_reader(self, read: MessageReader | None) -> None:
        """The workspace's `messages_by_key` (None: no workspace, nothing to notify)."""
        assert_gui_thread()
        self._generation += 1
        self._read = read

    def arrived(
        self, rows: Sequence[ConversationRow], messages: Mapping[str, Iterable[str]]
    ) -> None:
        """`rows`: conversations whose unread count just went up; `messages`: the change
        set's message keys per conversation."""
        assert_gui_thread()
        read = self._read
        if read is None or self.muted():
            return
        wanted = [
            (row, frozenset(messages[row.id]))
            for row in rows
            if row.id in messages and not self._in_front(row.id)
        ]
        if not wanted:
            return
        generation = self._generation

        def work() -> list[tuple[ConversationRow, list[MessageRow]]]:
            found = []
            for row, keys in wanted:
                inbound = [m for m in read(row.id, keys) if m.direction is Direction.IN]
                if inbound:
                    found.append((row, inbound))
            return found

        def done(found: list[tuple[ConversationRow, list[MessageRow]]]) -> None:
            if generation == self._generation:
                self._show(found)

        if self._runner is None:
            self._runner = TaskRunner(self, max_workers=1)
        self._runner.submit(
            work, on_success=done,
            on_failure=lambda error: log.warning("could not read new messages: %s", error),
        )

    def _show(self, found: list[tuple[ConversationRow, list[MessageRow]]]) -> None:
        # Checked again: the user may have opened the conversation or turned on Do not
        # disturb while the messages were read.
        found = [(row, inbound) for row, inbound in found if not self._in_front(row.id)]
        if not found or self.muted():
            return
        notes = [notification_for(row, inbound) for row, inbound in found]
        count = sum(len(inbound) for _row, inbound in found)
        note = notes[0] if len(notes) == 1 else summary_of(notes, count)
        self.last = note
        self._present(note)
        self.notified.emit(note)

    def stop(self) -> None:
        """Drop reads on their way and end the worker (the window closes)."""
        assert_gui_thread()
        self.set_reader(None)
        if self._runner is not None:
            self._runner.shutdown(wait=True)
            self._runner = None
