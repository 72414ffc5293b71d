"""Messages of one conversation: a bounded window of its rows, paged in both ways on demand.

The view is never handed the whole history (PERFORMANCE.md: a Python model asked about 100k
rows costs seconds). Rows are keyed by MessageRow.key, which survives the pending -> server
copy swap, so a status change updates its row in place instead of adding a second one.

Work per change set stays bounded by the window, not by the change set: new rows go in as
contiguous blocks (one beginInsertRows each), the window is trimmed back to WINDOW_SIZE while
the view follows the newest message (ConversationPanel calls trim()), and a burst naming more
new messages than BURST_ROWS (a catch-up) re-reads the newest rows instead of every id.

Paging keeps the window bounded (console/ui/message_pages.py MAX_ROWS): a page of older rows
drops as many of the newest beyond the bound, which leaves a window that does not reach the
newest message (`has_newer`); a page of newer rows drops the oldest. Reads are requested here
(`page_request`, `around_request`), run on any thread, and applied here on the GUI thread
(`apply_page`, `show_around`) only if the window still ends where the read began;
console/ui/message_pager.py runs them off the GUI thread for the view, `fetch_older` /
`fetch_newer` run them in place. A jump to a message far back shows a window around it
(`show_around`). While the window does not reach the newest message, arrivals past its end
wait for the pages towards them. The find bar's words are marked in bodies (`set_matches`:
MatchSpansRole, CurrentMatchRole).

In a group chat (`set_chat`) every message names its author: an inbound one the participant's
name and the number they wrote from (frozen in the chat), an outbound one the agent; the
tooltip of an outbound one says, per participant, whether it was delivered, is on its way
or failed and why, as the server reports each copy (see console/ui/recipient_delivery.py);
`recipients` feeds the `deliveryDetails` popup a click on the bubble opens.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Container, Iterable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, ClassVar

from console.domain.messages import Direction, MessageStatus
from console.services.highlights import spans
from console.services.types import ChangeSet, MessageRow
from console.timing import MESSAGE_BURST_ROWS, MESSAGE_OPEN_ROWS, MESSAGE_PAGE_ROWS
from console.ui.formatting import clock_time, local, status_label
from console.ui.gui_thread import assert_gui_thread
from console.ui.i18n import QT_TRANSLATE_NOOP, translate
from console.ui.labels import message_state, sender_name
from console.ui.message_pages import (
    MAX_ROWS,
    AroundRequest,
    NewestRequest,
    PageRequest,
    droppable,
)
from console.ui.named_roles import NamedRolesListModel
from console.ui.qt import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from console.ui.recipient_delivery import (
    RecipientLine,
    delivery_text,
    failed_names,
    partly_delivered,
    recipient_lines,
    status_summary,
)

if TYPE_CHECKING:  # importing the services pulls in SQLAlchemy and httpx: not before first paint
    from console.services.chat_details import ChatDetails, ParticipantRow
    from console.services.conversations import ConversationService

ModelIndex = QModelIndex | QPersistentModelIndex

# console/timing.py
WINDOW_SIZE, PAGE_SIZE, BURST_ROWS = MESSAGE_OPEN_ROWS, MESSAGE_PAGE_ROWS, MESSAGE_BURST_ROWS
JUMP_ROWS = 30
PENDING_OFFLINE = QT_TRANSLATE_NOOP("MessageListModel", "Waiting to send")
SPAN_CACHE_LIMIT = 4000  # bodies whose find-bar marks are kept (a few pages' worth)
AUTHOR_GAP = timedelta(minutes=10)  # a pause this long repeats the author line


def reply_label(row: MessageRow) -> str:
    """The line above a person's answer to a group message, naming it by its title (the
    team's name for it; the person never saw the title). "" for other messages."""
    text = reply_text(row)
    return f"\u21a9 {text}" if text else ""


def reply_text(row: MessageRow) -> str:
    """reply_label without its arrow (what a screen reader says)."""
    if row.reply_to_group_message_id is None:
        return ""
    if row.reply_to_title:
        return translate("MessageListModel", "Reply to group message “{title}”").format(
            title=row.reply_to_title
        )
    return translate("MessageListModel", "Reply to group message “a group message”")


def is_retryable(row: MessageRow) -> bool:
    """Refused by the server before it took the message (it has no server id): the outbox
    keeps it for the user's Retry / Discard. A carrier failure (has a server id) is final."""
    return (
        row.direction == Direction.OUT
        and row.status == MessageStatus.FAILED
        and row.server_id is None
    )


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _moment(row: MessageRow) -> datetime:
    return _aware(row.created_at)


def _order(row: MessageRow) -> tuple[datetime, int, str]:
    # The services' own order (created_at, then the local id the key holds).
    key = row.key
    return (_aware(row.created_at), int(key) if key.isdigit() else -1, key)


def starts_day(row: MessageRow, previous: MessageRow | None) -> bool:
    """Whether `row` opens a (local) day: a day separator goes above it. The first row of the
    window always does (what is above it is not loaded)."""
    if previous is None:
        return True
    return local(row.created_at).date() != local(previous.created_at).date()


def starts_run(row: MessageRow, previous: MessageRow | None) -> bool:
    """Whether `row` opens a run by one author (an author line goes above it)."""
    if previous is None or starts_day(row, previous):
        return True
    if row.direction != previous.direction or row.author != previous.author:
        return True
    if row.author_kind != previous.author_kind:
        return True
    if row.author_contact_id != previous.author_contact_id:
        return True
    return _aware(row.created_at) - _aware(previous.created_at) > AUTHOR_GAP


# One role's value for a row: (the model, the row's position, the row) -> what data() returns.
_RoleValue = Callable[["MessageListModel", int, MessageRow], Any]


class MessageListModel(NamedRolesListModel):
    KeyRole = Qt.ItemDataRole.UserRole + 1
    ServerIdRole = Qt.ItemDataRole.UserRole + 2
    BodyRole = Qt.ItemDataRole.UserRole + 3
    AuthorRole = Qt.ItemDataRole.UserRole + 4
    TimeRole = Qt.ItemDataRole.UserRole + 5
    StatusRole = Qt.ItemDataRole.UserRole + 6
    StatusTextRole = Qt.ItemDataRole.UserRole + 7
    DirectionRole = Qt.ItemDataRole.UserRole + 8
    ErrorRole = Qt.ItemDataRole.UserRole + 9
    ShowDayRole = Qt.ItemDataRole.UserRole + 10  # first message of its (local) day
    ShowAuthorRole = Qt.ItemDataRole.UserRole + 11  # first of a run by the same author
    RowRole = Qt.ItemDataRole.UserRole + 12  # the whole MessageRow, for the delegate
    # The server refused it (not a carrier failure): Retry / Discard apply.
    RetryableRole = Qt.ItemDataRole.UserRole + 13
    # The author line as shown: in a group chat a participant's name and number.
    AuthorLabelRole = Qt.ItemDataRole.UserRole + 14
    # An outbound group message: who it went to and how far it got ("" otherwise).
    DeliveryRole = Qt.ItemDataRole.UserRole + 15
    # The find bar's marks in the body: ((start, end), ...) of the searched words ((): none).
    MatchSpansRole = Qt.ItemDataRole.UserRole + 16
    # This row is the find bar's current match (painted more strongly).
    CurrentMatchRole = Qt.ItemDataRole.UserRole + 17
    # An internal note for the team (sent to nobody): painted as a card, never with ticks.
    NoteRole = Qt.ItemDataRole.UserRole + 18

    _ROLE_NAMES = {
        KeyRole: b"key",
        ServerIdRole: b"serverId",
        BodyRole: b"body",
        AuthorRole: b"author",
        TimeRole: b"createdAt",
        StatusRole: b"status",
        StatusTextRole: b"statusText",
        DirectionRole: b"direction",
        ErrorRole: b"error",
        ShowDayRole: b"showDay",
        ShowAuthorRole: b"showAuthor",
        RowRole: b"row",
        RetryableRole: b"retryable",
        AuthorLabelRole: b"authorLabel",
        DeliveryRole: b"delivery",
        MatchSpansRole: b"matchSpans",
        CurrentMatchRole: b"currentMatch",
        NoteRole: b"note",
    }

    # What data() answers for each role: (model, the row's position, the row) -> value.
    _ROLE_VALUES: ClassVar[dict[int, _RoleValue]] = {
        RowRole: lambda _model, _position, row: row,
        Qt.ItemDataRole.DisplayRole: lambda _model, _position, row: row.body,
        BodyRole: lambda _model, _position, row: row.body,
        KeyRole: lambda _model, _position, row: row.key,
        StatusRole: lambda _model, _position, row: row.status,
        ShowDayRole: lambda model, position, _row: model._starts_day(position),
        ShowAuthorRole: lambda model, position, _row: model._starts_run(position),
        StatusTextRole: lambda model, _position, row: model._status_line(row),
        DirectionRole: lambda _model, _position, row: row.direction,
        AuthorRole: lambda _model, _position, row: sender_name(row.author, row.author_kind),
        TimeRole: lambda _model, _position, row: row.created_at,
        ErrorRole: lambda _model, _position, row: row.error,
        ServerIdRole: lambda _model, _position, row: row.server_id,
        RetryableRole: lambda _model, _position, row: is_retryable(row),
        AuthorLabelRole: lambda model, _position, row: model.author_label(row),
        Qt.ItemDataRole.ToolTipRole: (
            lambda model, _position, row: model.delivery(row) or reply_label(row)
        ),
        DeliveryRole: lambda model, _position, row: model.delivery(row),
        MatchSpansRole: lambda model, _position, row: model.match_spans(row),
        CurrentMatchRole: lambda model, _position, row: model._is_current_match(row),
        NoteRole: lambda _model, _position, row: row.note,
        Qt.ItemDataRole.AccessibleTextRole: (
            lambda model, _position, row: model._accessible_text(row)
        ),
    }

    def __init__(self, service: ConversationService | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self._service = service
        self._conversation_id = ""
        self._rows: list[MessageRow] = []
        self._positions: dict[str, int] = {}
        self._has_older = False
        # Where the next older page starts: the oldest row of the last page, in the services'
        # own order (rows[0] may differ once a late arrival was placed by its timestamp).
        self._oldest_key: str | None = None
        # A window that ends before the newest (opened around an old message, or its newest
        # rows dropped by paging up): where the next newer page starts, and whether there is one.
        self._has_newer = False
        self._newest_key: str | None = None
        self._generation = 0  # bumped whenever the window is replaced (see is_current)
        # The find bar's words (their spans are marked in bodies) and its current match.
        self._match_words: tuple[str, ...] = ()
        self._current_match = ""
        self._span_cache: dict[str, tuple[tuple[int, int], ...]] = {}
        # A group chat's participants (set_chat): by contact, for author lines; all, in order,
        # for who an outbound message went to.
        self._participants: tuple[ParticipantRow, ...] = ()
        self._by_contact: dict[str, list[ParticipantRow]] = {}
        self._offline = False  # no server: a message not yet handed over waits, not "Sending…"

    # -- Qt model API -------------------------------------------------------------------------
    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows) or index.column() != 0:
            return None
        value = self._ROLE_VALUES.get(role)
        if value is None:
            return None
        position = index.row()
        return value(self, position, self._rows[position])

    def _is_current_match(self, row: MessageRow) -> bool:
        """CurrentMatchRole: this row is the find bar's current match."""
        return bool(self._current_match) and row.key == self._current_match

    def _status_line(self, row: MessageRow) -> str:
        """StatusTextRole: what an outbound message says beside its time; "" for inbound."""
        if row.direction != Direction.OUT:
            return ""
        if row.note:  # a note is sent to nobody: only a refusal is worth a word
            return self.status_text(row.status, row.error) if is_retryable(row) else ""
        # A group message some participants got says so, not "Undelivered".
        summary, _ = self.delivery_status(row)
        return summary if summary and partly_delivered(row) else self.status_text(
            row.status, row.error
        )

    def _accessible_text(self, row: MessageRow) -> str:
        """AccessibleTextRole: who wrote what, its state, and the keys that act on it."""
        state = (
            self.status_text(row.status, row.error) or translate("MessageListModel", "sent")
            if row.direction == Direction.OUT
            else message_state(row.direction, row.status, row.error)
        )
        summary, missed = self.delivery_status(row)  # a group message some did not get
        state = "; ".join(part for part in (summary, missed) if part) or state
        text = f"{self.author_label(row)}: {row.body} ({state})"
        if row.note:
            text = translate("MessageListModel", "Internal note by {author}: {body}").format(
                author=self.author_label(row), body=row.body
            )
        if reply_text(row):
            text = f"{reply_text(row)}. {text}"
        if self.recipients(row):
            text = translate(
                "MessageListModel", "{text}. Press Space for delivery to each participant."
            ).format(text=text)
        if is_retryable(row):
            text = translate(
                "MessageListModel",
                "{text}. Press Ctrl+R to retry sending, or Delete to discard it.",
            ).format(text=text)
        return text

    # -- neighbours decide separators ---------------------------------------------------------
    def pair_at(self, position: int) -> tuple[MessageRow, MessageRow | None] | None:
        """What a bubble's size depends on: the row and the row above it (which decide whether
        it opens a day and a run: starts_day, starts_run); None past the ends.

        For the delegate, which asks for every loaded row on each layout: one Python call
        instead of `index.data()` round trips through Qt, each of which lets go of the
        interpreter lock (and waits to get it back while a sync runs)."""
        rows = self._rows
        if not 0 <= position < len(rows):
            return None
        return rows[position], rows[position - 1] if position else None

    def _starts_day(self, position: int) -> bool:
        previous = self._rows[position - 1] if position else None
        return starts_day(self._rows[position], previous)

    def _starts_run(self, position: int) -> bool:
        previous = self._rows[position - 1] if position else None
        return starts_run(self._rows[position], previous)

    # -- group chats: authors and recipients ---------------------------------------------------
    @property
    def offline(self) -> bool:
        return self._offline

    def status_text(self, status: str, error: str | None = None) -> str:
        """What an outbound message's status says beside its time. Offline, a message not
        yet handed to the server says it waits (the status bar counts it "waiting to send"):
        "Sending…" for the length of an outage read as stuck."""
        if self._offline and status == MessageStatus.PENDING:
            return translate("MessageListModel", PENDING_OFFLINE)
        return status_label(status, error)

    def set_offline(self, offline: bool) -> None:
        """The sync status changed: the pending rows' status text follows."""
        assert_gui_thread()
        if offline == self._offline:
            return
        self._offline = offline
        roles = [self.StatusTextRole, Qt.ItemDataRole.AccessibleTextRole]
        for position, row in enumerate(self._rows):
            if row.status == MessageStatus.PENDING:
                index = self.index(position, 0)
                self.dataChanged.emit(index, index, roles)

    def set_chat(self, details: ChatDetails | None) -> None:
        """The open conversation's participants (a group chat), for author lines and the
        delivery tooltips; None or another kind: messages show as before."""
        participants = details.participants if details is not None and details.is_group else ()
        if participants == self._participants:
            return
        self._participants = participants
        self._by_contact = {}
        for participant in participants:
            self._by_contact.setdefault(participant.contact_id, []).append(participant)
        if self._rows:
            roles = [self.AuthorLabelRole, self.DeliveryRole, Qt.ItemDataRole.ToolTipRole]
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, 0), roles)

    @property
    def participants(self) -> tuple[ParticipantRow, ...]:
        return self._participants

    def author_label(self, row: MessageRow) -> str:
        """The author line: in a group chat, an inbound message's participant with the number
        they write from (both of theirs in the chat when they are in it twice: the server does
        not say which number a message came from)."""
        if row.direction != Direction.IN or not self._participants:
            return sender_name(row.author, row.author_kind)
        mine = self._by_contact.get(row.author_contact_id or "")
        if not mine:
            return sender_name(row.author, row.author_kind)
        name = mine[0].name or sender_name(row.author, row.author_kind)
        numbers = mine[0].phone_display
        for participant in mine[1:]:  # "(415) 555-0111 or (415) 555-0112"
            numbers = translate("MessageListModel", "{numbers} or {number}").format(
                numbers=numbers, number=participant.phone_display
            )
        return f"{name} \u00b7 {numbers}"

    def author_label_at(self, position: int) -> str:
        row = self.message_at(position)
        return self.author_label(row) if row is not None else ""

    def note_header(self, row: MessageRow) -> str:
        """The small line over a note's card: "Internal note · Dana · 14:05"."""
        return translate("MessageListModel", "Internal note · {author} · {time}").format(
            author=self.author_label(row), time=clock_time(row.created_at)
        )

    def delivery(self, row: MessageRow) -> str:
        if row.direction != Direction.OUT or row.note or not self._participants:
            return ""
        return delivery_text(row, self._participants)

    def recipients(self, row: MessageRow) -> list[RecipientLine]:
        """An outbound group message's participants and how far it got to each (for the
        `deliveryDetails` popup); [] for other messages."""
        if row.direction != Direction.OUT or row.note or not self._participants:
            return []
        return recipient_lines(row, self._participants)

    def delivery_status(self, row: MessageRow) -> tuple[str, str]:
        """What an outbound group message's bubble adds to its status line ("Delivered to 2 of
        3 — 1 failed") and under it (who did not get it); ("", "") when its status says it
        all."""
        if row.direction != Direction.OUT or row.note or not self._participants:
            return "", ""
        count = len(self._participants)
        return (
            status_summary(row, count),
            failed_names(row, self._participants),
        )

    # -- lookups ------------------------------------------------------------------------------
    @property
    def conversation_id(self) -> str:
        return self._conversation_id

    @property
    def has_older(self) -> bool:
        """Whether older messages exist beyond the loaded window (as far as we know)."""
        return self._has_older

    @property
    def has_newer(self) -> bool:
        """Whether newer messages exist beyond the loaded window (opened around an old one)."""
        return self._has_newer

    def row_of(self, key: str) -> int:
        return self._positions.get(key, -1)

    def message_at(self, position: int) -> MessageRow | None:
        return self._rows[position] if 0 <= position < len(self._rows) else None

    def keys(self) -> list[str]:
        return [row.key for row in self._rows]

    def loaded(self) -> Container[str]:
        """The keys of the loaded rows (a live view: for `in`, not to keep)."""
        return self._positions.keys()

    # -- loading ------------------------------------------------------------------------------
    def set_service(self, service: ConversationService | None) -> None:
        self._service = service
        self.open("")

    def open(self, conversation_id: str) -> None:
        """Show `conversation_id` ("" = none): its newest WINDOW_SIZE messages."""
        assert_gui_thread()
        rows: list[MessageRow] = []
        if conversation_id and self._service is not None:
            rows = self._service.messages(conversation_id, limit=WINDOW_SIZE)
        if conversation_id != self._conversation_id:
            self._participants, self._by_contact = (), {}  # the panel sets the new ones
        self._conversation_id = conversation_id
        self._show(rows, has_older=len(rows) >= WINDOW_SIZE)

    def has_message(self, key: str) -> bool:
        """Whether `key` is a message of the open conversation (one row read by key)."""
        assert_gui_thread()
        if not self._conversation_id or self._service is None:
            return False
        if key in self._positions:
            return True
        try:
            return bool(self._service.messages_by_key(self._conversation_id, [key]))
        except ValueError:  # not a message key at all
            return False

    # -- pages: requested and applied here, read anywhere -------------------------------------
    def page_request(self, *, older: bool, limit: int = PAGE_SIZE) -> PageRequest | None:
        """The read of the next page beyond the top (`older`) or the bottom of the window;
        None when there is nothing more that way."""
        assert_gui_thread()
        anchor = self._oldest_key if older else self._newest_key
        more = self._has_older if older else self._has_newer
        if not (more and anchor and self._service is not None and self._conversation_id):
            return None
        return PageRequest(
            self._service, self._conversation_id, self._generation, anchor, older, limit
        )

    def apply_page(
        self,
        request: PageRequest,
        rows: list[MessageRow],
        *,
        keep: tuple[int, int] | None = None,
    ) -> int:
        """Add a page read for `request` (older ones on top, newer ones at the bottom) and
        drop as many rows at the other end as take the window past MAX_ROWS, sparing the rows
        `keep` (first, last) the user is looking at. Returns how many rows were added; -1
        when the window changed since the request (the page is dropped)."""
        assert_gui_thread()
        if not self.is_current(request):
            return -1
        if request.older:
            self._has_older = len(rows) >= request.limit
            if rows:
                self._oldest_key = rows[-1].key
            fresh = [row for row in reversed(rows) if row.key not in self._positions]
            if fresh:
                self.beginInsertRows(QModelIndex(), 0, len(fresh) - 1)
                self._rows[0:0] = fresh
                self._reindex()
                self.endInsertRows()
                self._touch(len(fresh))  # the old first row may lose its day/author header
                if keep is not None:
                    keep = (keep[0] + len(fresh), keep[1] + len(fresh))
                self.drop_newest(droppable(len(self._rows), at_top=False, keep=keep))
            return len(fresh)
        self._has_newer = len(rows) >= request.limit
        if rows:
            self._newest_key = rows[-1].key
        fresh = [row for row in rows if row.key not in self._positions]
        if fresh:
            start = len(self._rows)
            self.beginInsertRows(QModelIndex(), start, start + len(fresh) - 1)
            self._rows.extend(fresh)
            self._positions.update((row.key, start + i) for i, row in enumerate(fresh))
            self.endInsertRows()
            self.drop_oldest(droppable(len(self._rows), at_top=True, keep=keep))
        return len(fresh)

    def is_current(self, request: PageRequest | AroundRequest | NewestRequest) -> bool:
        """Whether the window still is where `request` was made (else its answer is stale)."""
        if request.conversation_id != self._conversation_id:
            return False
        if request.generation != self._generation:
            return False
        if isinstance(request, AroundRequest):
            return True
        if isinstance(request, NewestRequest):
            return not self._has_newer
        return request.anchor == (self._oldest_key if request.older else self._newest_key)

    def fetch_older(self, limit: int = PAGE_SIZE) -> int:
        """Prepend the next page of older messages, read here and now; returns how many were
        added (the view reads them on a worker instead: console/ui/message_pager.py)."""
        request = self.page_request(older=True, limit=limit)
        return max(0, self.apply_page(request, request.read())) if request else 0

    def fetch_newer(self, limit: int = PAGE_SIZE) -> int:
        """Append the next page of newer messages (a window that does not reach the newest),
        read here and now; returns how many were added. The last page joins the window to
        the newest."""
        request = self.page_request(older=False, limit=limit)
        return max(0, self.apply_page(request, request.read())) if request else 0

    def around_request(
        self, key: str, *, before: int = WINDOW_SIZE, after: int = WINDOW_SIZE
    ) -> AroundRequest | None:
        """The read of a window around the open conversation's message `key` (however far
        back: three keyset reads)."""
        assert_gui_thread()
        if not self._conversation_id or self._service is None:
            return None
        return AroundRequest(
            self._service, self._conversation_id, self._generation, key, before, after
        )

    def show_around(self, request: AroundRequest, rows: list[MessageRow]) -> bool:
        """Replace the window with `rows` (read for `request`, newest first); scrolling then
        pages in both ways. False (nothing changed) when the message is not among them or the
        window changed since the request."""
        assert_gui_thread()
        if not self.is_current(request):
            return False
        position = next((i for i, row in enumerate(rows) if row.key == request.key), -1)
        if position < 0:
            return False
        older = len(rows) - position - 1
        self._show(rows, has_older=older >= request.before, has_newer=position >= request.after)
        return True

    def drop_oldest(self, count: int) -> int:
        """Let the `count` oldest rows go (scrolling up pages them in again)."""
        assert_gui_thread()
        count = min(count, len(self._rows))
        if count <= 0:
            return 0
        self.beginRemoveRows(QModelIndex(), 0, count - 1)
        del self._rows[:count]
        self._reindex()
        self.endRemoveRows()
        self._has_older = True
        self._oldest_key = self._rows[0].key if self._rows else None
        self._touch(0)  # the new first row starts a day
        return count

    def drop_newest(self, count: int) -> int:
        """Let the `count` newest rows go: the window then ends before the newest message
        (`has_newer`), and scrolling down pages them in again."""
        assert_gui_thread()
        count = min(count, len(self._rows))
        if count <= 0:
            return 0
        start = len(self._rows) - count
        self.beginRemoveRows(QModelIndex(), start, len(self._rows) - 1)
        for row in self._rows[start:]:
            del self._positions[row.key]
        del self._rows[start:]
        self.endRemoveRows()
        self._has_newer = True
        self._newest_key = self._rows[-1].key if self._rows else None
        return count

    def bound(self, keep: tuple[int, int] | None) -> int:
        """Back to MAX_ROWS (arrivals while the user reads further up grow the window): drop
        rows at the end further from `keep` (first, last shown), none of those. Returns how
        many went."""
        assert_gui_thread()
        count = len(self._rows)
        if count <= MAX_ROWS:
            return 0
        below = count - 1 - keep[1] if keep is not None else 0
        above = keep[0] if keep is not None else count
        if above >= below:
            return self.drop_oldest(droppable(count, at_top=True, keep=keep))
        return self.drop_newest(droppable(count, at_top=False, keep=keep))

    # -- find bar marks -------------------------------------------------------------------------
    def set_matches(self, words: tuple[str, ...], current: str = "") -> None:
        """Mark `words` in the bodies and `current` as the current match (() / "": none)."""
        assert_gui_thread()
        if words == self._match_words and current == self._current_match:
            return
        previous = self._current_match
        words_changed = words != self._match_words
        self._match_words = words
        self._current_match = current
        if words_changed:
            self._span_cache.clear()
            if self._rows:
                roles = [self.MatchSpansRole, self.CurrentMatchRole]
                self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, 0), roles)
            return
        for key in (previous, current):
            position = self.row_of(key) if key else -1
            if position >= 0:
                index = self.index(position, 0)
                self.dataChanged.emit(index, index, [self.CurrentMatchRole])

    @property
    def current_match(self) -> str:
        return self._current_match

    def match_spans(self, row: MessageRow) -> tuple[tuple[int, int], ...]:
        """Where the find bar's words are in `row`'s body (for the delegate's paint)."""
        if not self._match_words:
            return ()
        found = self._span_cache.get(row.body)
        if found is None:
            if len(self._span_cache) > SPAN_CACHE_LIMIT:
                self._span_cache.clear()
            found = spans(row.body, self._match_words)
            self._span_cache[row.body] = found
        return found

    # -- updates ------------------------------------------------------------------------------
    def apply_changes(self, changes: ChangeSet, *, follow: bool = False) -> None:
        """Re-read what `changes` says changed in the open conversation.

        `follow`: the view shows the newest message and keeps doing so, so what is above the
        newest WINDOW_SIZE rows is out of sight: the window is trimmed to them, and a burst
        brings in only its newest JUMP_ROWS (scrolling up pages the rest in)."""
        assert_gui_thread()
        conversation_id = self._conversation_id
        if not conversation_id or self._service is None:
            return
        if changes.reset:
            self.open(conversation_id)
            return
        if (
            conversation_id in changes.conversations
            and conversation_id not in changes.messages
            and self._service.conversation(conversation_id) is None
        ):
            self.open("")  # gone from the cache (e.g. out of this user's sight)
            return
        keys = changes.messages.get(conversation_id)
        if not keys:
            return
        # A window around an old message does not reach the newest: nothing to follow, and
        # new messages wait for the pages towards them (_insert_rows leaves them out).
        follow = follow and not self._has_newer
        if self._has_newer and sum(1 for key in keys if key not in self._positions) > BURST_ROWS:
            shown = [key for key in keys if key in self._positions]
            rows = self._service.messages_by_key(conversation_id, shown) if shown else []
            self._remove_keys(set(shown) - {row.key for row in rows})
            self.upsert(rows)
            return
        if sum(1 for key in keys if key not in self._positions) <= BURST_ROWS:
            rows = self._service.messages_by_key(conversation_id, keys)
            found = {row.key for row in rows}
            self._remove_keys(set(keys) - found)  # gone from the cache: deleted (or not ours)
            self.upsert(rows)
        elif follow:
            self._follow_newest()
        else:
            self._apply_burst(keys)
        if follow:
            self.trim()

    def newest_request(self, changes: ChangeSet, *, follow: bool) -> NewestRequest | None:
        """The read `apply_changes(changes, follow=follow)` would make on this thread to follow
        a burst of arrivals, for a worker to make instead (console/ui/message_pager.py; the
        view then applies it with `show_newest`). None: apply_changes has only cheap work."""
        assert_gui_thread()
        conversation_id = self._conversation_id
        if not (follow and conversation_id and self._service is not None) or changes.reset:
            return None
        keys = changes.messages.get(conversation_id)
        if not keys or sum(1 for key in keys if key not in self._positions) <= BURST_ROWS:
            return None
        return self.follow_request()

    def follow_request(self) -> NewestRequest | None:
        """The read of the newest JUMP_ROWS rows; None when no conversation is open or the
        window does not reach the newest message."""
        if not self._conversation_id or self._service is None or self._has_newer:
            return None
        return NewestRequest(self._service, self._conversation_id, self._generation, JUMP_ROWS)

    def show_newest(self, request: NewestRequest, rows: list[MessageRow]) -> bool:
        """Follow the newest messages read for `request` (newest first): what apply_changes
        does for a burst, with the read made elsewhere. False when the window moved on."""
        assert_gui_thread()
        if not self.is_current(request):
            return False
        self._show_newest(rows)
        self.trim()
        return True

    def newest_object(self, row: MessageRow) -> MessageRow:
        """The object `row` will be once shown by show_newest: a loaded row equal to it stays
        (so the delegate's size cache, keyed by identity, still holds for it)."""
        position = self._positions.get(row.key, -1)
        if position >= 0 and self._rows[position] == row:
            return self._rows[position]
        return row

    def _follow_newest(self) -> None:
        assert self._service is not None
        self._show_newest(self._service.messages(self._conversation_id, limit=JUMP_ROWS))

    def _show_newest(self, newest: list[MessageRow]) -> None:
        """The window becomes the newest JUMP_ROWS rows, changed in place: rows it keeps keep
        their place (and the view its cached layout of them)."""
        keep = {row.key for row in newest}
        self._remove_keys([key for key in self._positions if key not in keep])
        self._has_older = len(newest) >= JUMP_ROWS
        self._oldest_key = newest[-1].key if newest else None
        self._upsert(newest, keep_older=True)  # all of them belong, older than rows[0] or not

    def _apply_burst(self, keys: frozenset[str]) -> None:
        """A change set naming many new messages: re-read the newest WINDOW_SIZE rows (and
        the changed rows of the window), not every id it names."""
        assert self._service is not None
        newest = self._service.messages(self._conversation_id, limit=WINDOW_SIZE)
        fresh = {row.key: row for row in newest}
        changed = [key for key in keys if key in self._positions and key not in fresh]
        if changed:
            fresh.update(
                (row.key, row)
                for row in self._service.messages_by_key(self._conversation_id, changed)
            )
            self._remove_keys({key for key in changed if key not in fresh})
        joins = (
            len(newest) < WINDOW_SIZE
            or not self._rows
            or newest[-1].key in self._positions
            or _order(newest[-1]) <= _order(self._rows[-1])
        )
        if not joins:
            # Messages between the window and the newest ones would be missing: show the
            # newest alone (what a following view wants); older ones page in on scroll.
            self._show(newest[:JUMP_ROWS], has_older=True)
            return
        shown = self._positions
        self.upsert(row for row in fresh.values() if row.key in keys or row.key not in shown)

    def trim(self, size: int = WINDOW_SIZE) -> int:
        """Drop the oldest rows beyond `size` (the view follows the newest message, so they
        are out of sight; scrolling up pages them in again). Returns how many went."""
        return self.drop_oldest(len(self._rows) - size)

    def upsert(self, rows: Iterable[MessageRow]) -> None:
        """Add or update rows of the open conversation, in place by key; new rows go in as
        contiguous blocks."""
        assert_gui_thread()
        self._upsert(rows)

    def _upsert(self, rows: Iterable[MessageRow], *, keep_older: bool = False) -> None:
        fresh: list[MessageRow] = []
        for row in sorted(rows, key=_order):
            if row.conversation_id != self._conversation_id:
                continue
            position = self.row_of(row.key)
            if position >= 0:
                self._update(position, row)
            else:
                fresh.append(row)
        if fresh:
            self._insert_rows(fresh, keep_older=keep_older)

    def _update(self, position: int, row: MessageRow) -> None:
        old = self._rows[position]
        if old == row:
            return
        self._rows[position] = row
        if _aware(old.created_at) != _aware(row.created_at) and not self._in_order(position):
            # The server's timestamp replaced the local one and changed the order: move it.
            del self._rows[position]
            target = self._sorted_position(row)
            self._rows.insert(position, row)
            if target != position:
                destination = target if target < position else target + 1
                self.beginMoveRows(QModelIndex(), position, position, QModelIndex(), destination)
                del self._rows[position]
                self._rows.insert(target, row)
                self._reindex()
                self.endMoveRows()
                self._touch(min(position, target), max(position, target) + 1)
                return
        index = self.index(position, 0)
        self.dataChanged.emit(index, index)
        self._touch(position + 1)

    def _insert_rows(self, rows: list[MessageRow], *, keep_older: bool = False) -> None:
        """Insert `rows` (sorted, none already shown) where they belong, one beginInsertRows
        per run of rows that land between the same two shown rows (usually one, at the end)."""
        if self._rows and self._has_older and not keep_older:
            first = _moment(self._rows[0])
            rows = [row for row in rows if _moment(row) >= first]  # older: paging brings them
        if self._rows and self._has_newer:
            last = _moment(self._rows[-1])
            rows = [row for row in rows if _moment(row) <= last]  # newer: paging brings them
        runs: list[tuple[int, list[MessageRow]]] = []
        for row in rows:
            target = self._sorted_position(row)
            if runs and runs[-1][0] == target:
                runs[-1][1].append(row)
            else:
                runs.append((target, [row]))
        for target, block in reversed(runs):  # the lowest last, so earlier targets stay right
            end = target + len(block)
            self.beginInsertRows(QModelIndex(), target, end - 1)
            appended = target == len(self._rows)
            self._rows[target:target] = block
            if appended:
                self._positions.update((row.key, target + i) for i, row in enumerate(block))
            else:
                self._reindex()
            self.endInsertRows()
            self._touch(end)  # the row after the block may lose its day/author header

    def _show(
        self, newest_first: list[MessageRow], *, has_older: bool, has_newer: bool = False
    ) -> None:
        """Replace the window with `newest_first` (a reset: nothing of the old one stays; a
        read begun for the old one is stale)."""
        self.beginResetModel()
        self._generation += 1
        self._rows = list(reversed(newest_first))
        self._has_older = has_older
        self._oldest_key = newest_first[-1].key if newest_first else None
        self._has_newer = has_newer
        self._newest_key = newest_first[0].key if newest_first and has_newer else None
        self._span_cache.clear()
        self._reindex()
        self.endResetModel()

    def _remove_keys(self, keys: Iterable[str]) -> None:
        """Remove the shown rows among `keys`, one beginRemoveRows per contiguous run."""
        positions = sorted((p for p in map(self.row_of, keys) if p >= 0), reverse=True)
        while positions:
            last = first = positions.pop(0)
            while positions and positions[0] == first - 1:
                first = positions.pop(0)
            self.beginRemoveRows(QModelIndex(), first, last)
            del self._rows[first : last + 1]
            self._reindex()
            self.endRemoveRows()
            self._touch(first)
        # A page continues from an end row: a deleted one is no longer there to read from.
        if self._rows and self._oldest_key is not None and self._oldest_key not in self._positions:
            self._oldest_key = self._rows[0].key
        if self._rows and self._newest_key is not None and self._newest_key not in self._positions:
            self._newest_key = self._rows[-1].key

    def _in_order(self, position: int) -> bool:
        moment = _aware(self._rows[position].created_at)
        before = position == 0 or _aware(self._rows[position - 1].created_at) <= moment
        after = (
            position == len(self._rows) - 1 or _aware(self._rows[position + 1].created_at) >= moment
        )
        return before and after

    def _sorted_position(self, row: MessageRow) -> int:
        # Oldest first; after every row of the same time. New messages almost always belong
        # at the end: check that before searching.
        moment = _moment(row)
        if not self._rows or _moment(self._rows[-1]) <= moment:
            return len(self._rows)
        return bisect_right(self._rows, moment, key=_moment)

    def _touch(self, first: int, last: int | None = None) -> None:
        """Tell the view rows [first, last] may have gained or lost their header lines."""
        last = first if last is None else last
        first, last = max(first, 0), min(last, len(self._rows) - 1)
        if first <= last:
            roles = [self.ShowDayRole, self.ShowAuthorRole]
            self.dataChanged.emit(self.index(first, 0), self.index(last, 0), roles)

    def _reindex(self) -> None:
        self._positions = {row.key: position for position, row in enumerate(self._rows)}
