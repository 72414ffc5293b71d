"""Conversations and messages for the UI: reads from the cache only, writes via the outbox."""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from console.domain.conversations import ConversationKind, ConversationStatus
from console.domain.errors import DomainError, ErrorCode
from console.domain.messages import normalize_body
from console.domain.phones import format_display
from console.known_errors import known_problem
from console.protocol.conversations import NOTE_MAX_CHARS as NOTE_MAX_CHARS
from console.services.highlights import fold
from console.services.listeners import Listeners
from console.services.mapping import (
    conversation_kind,
    conversation_status,
    to_change_set,
    to_conversation_row,
    to_message_row,
)
from console.services.session import Session
from console.services.types import (
    LOCAL_WRITE_FAILED,
    ChangeSet,
    ConversationRow,
    MessageRow,
    OptOutAction,
    OptOutFlag,
    Refusal,
)
from console.store import history_queries, local_writes, person_queries, queries
from console.store import outbox as ob
from console.store.cache import Cache
from console.store.changes import Changes
from console.store.coltypes import utcnow

log = logging.getLogger("console.services.conversations")


@dataclass(frozen=True, slots=True)
class PersonRef:
    """One person of a conversation, by the number they are texted at."""

    contact_id: str
    e164: str
    name: str = ""
    tags: tuple[str, ...] = ()  # console.domain.group_chat TAG_* ("dnd", "deleted", ...)


@dataclass(frozen=True, slots=True)
class ConversationPeople:
    kind: ConversationKind
    number_id: str | None
    blocked: bool
    participants: tuple[PersonRef, ...]


# Where a page of the list ended (opaque to callers: pass it back as `after`).
ListCursor = queries.ListKey


@dataclass(frozen=True, slots=True)
class ConversationPage:
    rows: list[ConversationRow]
    next: ListCursor | None  # None: no rows after these


@dataclass(frozen=True, slots=True)
class ConversationMatches:
    """A conversation's find-bar answer: the keys of its matching messages, newest first, and
    the words searched (what the bubbles mark)."""

    text: str
    words: tuple[str, ...]
    keys: tuple[str, ...]


SearchCancelled = history_queries.SearchCancelled  # find() was told to stop


def _word_starts(wanted: tuple[str, ...]) -> list[re.Pattern[str]]:
    """Each of `wanted` at a word start, as highlights.spans marks it (so every match found
    has its marks), for a first-hit search: a two-letter prefix can keep 70,000 bodies."""
    return [re.compile(r"(?<![^\W_])" + re.escape(fold(word)[0])) for word in wanted]


def _has_every(body: str, patterns: list[re.Pattern[str]]) -> bool:
    folded = fold(body)[0]
    return all(pattern.search(folded) for pattern in patterns)


def note_text(body: str) -> str:
    """A note's text as the server takes it (outer whitespace stripped, 1..NOTE_MAX_CHARS),
    checked before anything is queued so a refused note never reaches the outbox."""
    text = (body or "").strip()
    if not text:
        raise DomainError(ErrorCode.VALIDATION_ERROR, "A note needs some text.")
    if len(text) > NOTE_MAX_CHARS:
        raise DomainError(
            ErrorCode.VALIDATION_ERROR,
            f"A note can be at most {NOTE_MAX_CHARS} characters (this one has {len(text)}).",
        )
    return text


def _message_id(key: str) -> int:
    try:
        return int(key)
    except (TypeError, ValueError):
        raise ValueError(f"{key!r} is not a message key") from None


def _inbound_fallback(view: queries.ConversationView | None) -> str:
    """Who wrote an inbound message whose contact the cache does not know ("": nobody can
    tell; the views say "Unknown sender")."""
    if view is not None and view.kind == ConversationKind.DIRECT:
        if view.title:
            return view.title
        if view.phone:
            return format_display(view.phone)
    return ""


class ConversationService:
    def __init__(self, cache: Cache, session: Session, *, wake_sync: Callable[[], None]) -> None:
        self._cache = cache
        self._session = session
        self._wake_sync = wake_sync
        self.changes: Listeners[ChangeSet] = Listeners()
        self._soon_lock = threading.Lock()
        self._read_soon: set[str] = set()
        self._writer: ThreadPoolExecutor | None = None
        self._closed = False

    # -- reads (cache only, any thread) ----------------------------------------------------

    def list_conversations(self) -> list[ConversationRow]:
        """Newest activity first (a pending local send counts as activity)."""
        with self._cache.read() as conn:
            views = queries.list_conversations(conn)
        return [to_conversation_row(v) for v in views]

    def list_page(
        self,
        *,
        after: ListCursor | None = None,
        limit: int = 100,
        kind: ConversationKind | None = None,
        status: ConversationStatus | None = None,
    ) -> ConversationPage:
        """One page of `list_conversations`' order after `after` (None: the first), narrowed
        to one kind or status (a filter chip). `next` continues it; None when it was the last."""
        with self._cache.read() as conn:
            found = queries.conversation_page(
                conn, after=after, limit=limit,
                kind=kind.value if kind is not None else None,
                status=status.value if status is not None else None,
            )
        rows = [to_conversation_row(view) for view, _key in found]
        return ConversationPage(rows, found[-1][1] if len(found) >= limit else None)

    def unread_counts(self) -> dict[str, int]:
        """Unread count by conversation, for the known ones that have any."""
        with self._cache.read() as conn:
            return queries.unread_counts(conn)

    def count(self) -> int:
        """How many conversations are known."""
        with self._cache.read() as conn:
            return queries.count_conversations(conn)

    def conversation(self, conversation_id: str) -> ConversationRow | None:
        with self._cache.read() as conn:
            view = queries.get_conversation(conn, conversation_id)
        return to_conversation_row(view) if view else None

    def conversations(self, conversation_ids: Iterable[str]) -> dict[str, ConversationRow]:
        """The ones of `conversation_ids` that exist (and are known), by id, in one read."""
        with self._cache.read() as conn:
            views = queries.get_conversations(conn, conversation_ids)
        return {cid: to_conversation_row(view) for cid, view in views.items()}

    def people(self, conversation_id: str) -> ConversationPeople | None:
        """Its business number and (contact id, E.164, name, tags) participants: what a new
        group chat "with these people" starts from. A direct thread gives its one contact."""
        with self._cache.read() as conn:
            found = queries.conversation_people(conn, conversation_id)
        if found is None:
            return None
        return ConversationPeople(
            kind=conversation_kind(found.kind),
            number_id=found.number_id,
            blocked=conversation_status(found.status) is ConversationStatus.BLOCKED,
            participants=tuple(
                PersonRef(p.contact_id, p.phone, p.name, p.tags) for p in found.participants
            ),
        )

    def contact_of(self, conversation_id: str) -> str | None:
        """The contact a direct or in-app conversation is with (the person panel's); None for
        a group chat."""
        with self._cache.read() as conn:
            return person_queries.conversation_contact(conn, conversation_id)

    def successor(self, conversation_id: str) -> str | None:
        """The server's id of a group chat created here under a `local-…` id, once the server
        has made it (the local row is gone then); None while it is pending, or for other ids."""
        if not ob.is_pending_conversation(conversation_id):
            return None
        key = conversation_id[len(ob.PENDING_CONVERSATION_PREFIX) :]
        with self._cache.read() as conn:
            item = ob.by_key(conn, key)
        if item is None or item.state is not ob.OutboxState.DONE:
            return None
        result = item.payload.get("result_id")
        return result if isinstance(result, str) and result else None

    def messages(
        self, conversation_id: str, *, before_key: str | None = None, limit: int = 200
    ) -> list[MessageRow]:
        """Newest first; pass the oldest row's key as `before_key` for the page before it."""
        before = _message_id(before_key) if before_key is not None else None
        with self._cache.read() as conn:
            views = queries.message_page(conn, conversation_id, before_id=before, limit=limit)
            owner = queries.get_conversation(conn, conversation_id) if views else None
        me = self._session.user.id
        fallback = _inbound_fallback(owner)
        return [to_message_row(v, me_id=me, fallback_inbound=fallback) for v in views]

    def messages_by_key(self, conversation_id: str, keys: Iterable[str]) -> list[MessageRow]:
        ids = [_message_id(k) for k in keys]
        with self._cache.read() as conn:
            views = queries.messages_by_ids(conn, conversation_id, ids)
            owner = queries.get_conversation(conn, conversation_id) if views else None
        me = self._session.user.id
        fallback = _inbound_fallback(owner)
        return [to_message_row(v, me_id=me, fallback_inbound=fallback) for v in views]

    def messages_after(
        self, conversation_id: str, *, after_key: str, limit: int = 200
    ) -> list[MessageRow]:
        """Oldest first: the page newer than `after_key` (a window opened around an old
        message pages towards the newest with it)."""
        with self._cache.read() as conn:
            views = queries.message_page_after(
                conn, conversation_id, after_id=_message_id(after_key), limit=limit
            )
            owner = queries.get_conversation(conn, conversation_id) if views else None
        me = self._session.user.id
        fallback = _inbound_fallback(owner)
        return [to_message_row(v, me_id=me, fallback_inbound=fallback) for v in views]

    def messages_around(
        self, conversation_id: str, key: str, *, before: int = 50, after: int = 50
    ) -> list[MessageRow]:
        """Newest first: up to `after` messages newer than `key`, that message, and up to
        `before` older ones (a jump to a message far back reads only these, in three keyset
        reads). [] when `key` is not a message of `conversation_id`."""
        anchor_id = _message_id(key)
        with self._cache.read() as conn:
            anchor = queries.messages_by_ids(conn, conversation_id, [anchor_id])
            if not anchor:
                return []
            newer = queries.message_page_after(
                conn, conversation_id, after_id=anchor_id, limit=after
            )
            older = queries.message_page(conn, conversation_id, before_id=anchor_id, limit=before)
            owner = queries.get_conversation(conn, conversation_id)
        me = self._session.user.id
        fallback = _inbound_fallback(owner)
        views = [*reversed(newer), *anchor, *older]
        return [to_message_row(v, me_id=me, fallback_inbound=fallback) for v in views]

    def find(
        self,
        conversation_id: str,
        text: str,
        *,
        cancelled: Callable[[], bool] | None = None,
    ) -> ConversationMatches:
        """The messages of `conversation_id` whose text has every word of `text` (History's
        rules: a word matches at a word start, case and accents not counting, the last one
        while typing as a prefix; odd input finds nothing rather than failing), newest first.
        Any thread; it reads the whole conversation's matches through the search index.
        Raises history_queries.SearchCancelled once `cancelled()` turns true (SearchCancelled
        here: the caller typed on)."""
        wanted = tuple(history_queries.words(text))
        if not wanted or not conversation_id:
            return ConversationMatches(text=text, words=wanted, keys=())
        with self._cache.read() as conn:
            found = history_queries.conversation_matches(
                conn, conversation_id, text, cancelled=cancelled
            )
        # The index also matches the chat's names and numbers: keep what the text itself has.
        patterns = _word_starts(wanted)
        keys = tuple(str(mid) for mid, body in found if _has_every(body, patterns))
        return ConversationMatches(text=text, words=wanted, keys=keys)

    # -- writes (local first, then the outbox) ---------------------------------------------

    def send(self, conversation_id: str, body: str) -> MessageRow:
        """Validate, then write the pending row and its outbox item in one transaction.

        Raises DomainError (bad body, unknown or blocked conversation); nothing is written then.
        """
        changes, view = self._queue_send(conversation_id, normalize_body(body))
        self.publish(changes)
        self._wake_sync()
        return to_message_row(view, me_id=self._session.user.id, fallback_inbound="")

    def _queue_send(
        self, conversation_id: str, text: str, quiet_hours_override: bool = False
    ) -> tuple[Changes, queries.MessageView]:
        """The send's one write transaction: its changes and its pending row as written."""
        now = utcnow()
        with self._cache.write() as conn:
            view = queries.get_conversation(conn, conversation_id)
            if view is None:
                raise DomainError(ErrorCode.NOT_FOUND, "This conversation is not available.")
            if view.status == ConversationStatus.BLOCKED:
                # The server's codes for the same refusal: a 1:1 is blocked by its person's
                # Do Not Disturb (the ui words the code under a translation).
                raise DomainError(
                    ErrorCode.GROUP_CHAT_BLOCKED if view.kind == ConversationKind.GROUP_SMS
                    else ErrorCode.PARTICIPANT_DND,
                    view.blocked_reason or "Sending is blocked in this conversation.",
                )
            queued, changes = local_writes.queue_send(
                conn,
                conversation_id=conversation_id,
                body=text,
                author_user_id=self._session.user.id,
                now=now,
                quiet_hours_override=quiet_hours_override,
            )
            rows = queries.messages_by_ids(conn, conversation_id, [queued.message_id])
        return changes, rows[0]

    def send_soon(
        self, conversation_id: str, body: str, refused: Callable[[str, Refusal], None],
        *, quiet_hours_override: bool = False,
    ) -> None:
        """`send` without waiting for the write: for the GUI thread.

        During a catch-up the write would queue behind a sync batch (up to ~45 ms of a frozen
        window per send: tests/bench/bench_gui_stall.py). The body is checked here (a
        DomainError: nothing queued, the text stays with the user); the write goes to the
        writer thread mark_read_soon uses, sends in the order they were asked, and the
        pending row shows when its change is published. A write the cache refuses (the chat
        went, or was blocked meanwhile) calls `refused(text, reason)` on the writer thread:
        the text goes back to the user, never lost. close() writes what was handed over."""
        text = normalize_body(body)
        with self._soon_lock:
            if self._closed:
                raise DomainError(ErrorCode.CONFLICT, "The account is closing; send it again.")
            self._writer_pool().submit(
                self._send_later, conversation_id, text, refused, quiet_hours_override
            )

    def _send_later(
        self, conversation_id: str, text: str, refused: Callable[[str, Refusal], None],
        quiet_hours_override: bool = False,
    ) -> None:
        try:
            changes, _ = self._queue_send(conversation_id, text, quiet_hours_override)
        except DomainError as exc:
            self._give_back(refused, text, Refusal(exc.code.value, exc.detail))
            return
        except Exception as exc:  # a failed local write must not kill the writer; text goes back
            log.exception("send to %s failed", conversation_id)
            self._give_back(refused, text, _write_failed(exc, "The message could not be saved."))
            return
        try:  # written: whatever fails now, the text must not come back (a resend: twice)
            self.publish(changes)
            self._wake_sync()
        except Exception:
            log.exception("after the send to %s was written", conversation_id)

    # -- internal notes: written for the team, sent to nobody ------------------------------

    def add_note(self, conversation_id: str, body: str) -> MessageRow:
        """Write an internal note now (pending row + outbox item in one transaction).

        Allowed where sending is blocked (a note is not a send: the server takes it in a
        blocked chat, under Do Not Disturb, on a number that is not the user's). Raises
        DomainError for a bad body or an unknown conversation; nothing is written then."""
        changes, view = self._queue_note(conversation_id, note_text(body))
        self.publish(changes)
        self._wake_sync()
        return to_message_row(view, me_id=self._session.user.id, fallback_inbound="")

    def add_note_soon(
        self, conversation_id: str, body: str, refused: Callable[[str, Refusal], None]
    ) -> None:
        """`add_note` without waiting for the write (for the GUI thread), on the same writer
        thread and in the same order as send_soon; a refused write gives the text back
        through `refused(text, reason)`, as a send does."""
        text = note_text(body)
        with self._soon_lock:
            if self._closed:
                raise DomainError(ErrorCode.CONFLICT, "The account is closing; add it again.")
            self._writer_pool().submit(self._note_later, conversation_id, text, refused)

    def _queue_note(
        self, conversation_id: str, text: str
    ) -> tuple[Changes, queries.MessageView]:
        with self._cache.write() as conn:
            if queries.get_conversation(conn, conversation_id) is None:
                raise DomainError(ErrorCode.NOT_FOUND, "This conversation is not available.")
            queued, changes = local_writes.queue_note(
                conn,
                conversation_id=conversation_id,
                body=text,
                author_user_id=self._session.user.id,
                now=utcnow(),
            )
            rows = queries.messages_by_ids(conn, conversation_id, [queued.message_id])
        return changes, rows[0]

    def _note_later(
        self, conversation_id: str, text: str, refused: Callable[[str, Refusal], None]
    ) -> None:
        try:
            changes, _ = self._queue_note(conversation_id, text)
        except DomainError as exc:
            self._give_back(refused, text, Refusal(exc.code.value, exc.detail))
            return
        except Exception as exc:  # a failed local write must not kill the writer; text goes back
            log.exception("note in %s failed", conversation_id)
            self._give_back(refused, text, _write_failed(exc, "The note could not be saved."))
            return
        try:  # written: whatever fails now, the text must not come back (a second note)
            self.publish(changes)
            self._wake_sync()
        except Exception:
            log.exception("after the note in %s was written", conversation_id)

    @staticmethod
    def _give_back(
        refused: Callable[[str, Refusal], None], text: str, reason: Refusal
    ) -> None:
        try:
            refused(text, reason)
        except Exception:  # e.g. the window is gone: the log is all that is left to tell
            log.exception("a refused send (%s) could not be handed back", reason.code)

    def _writer_pool(self) -> ThreadPoolExecutor:
        """The one thread that makes the `*_soon` writes, in the order asked (under
        _soon_lock)."""
        if self._writer is None:
            self._writer = ThreadPoolExecutor(1, thread_name_prefix="console-local-write")
        return self._writer

    def mark_read(self, conversation_id: str) -> None:
        """Unread count to 0 locally at once; the server is told through the outbox."""
        self._mark(local_writes.mark_read, conversation_id)

    def mark_read_soon(self, conversation_id: str) -> None:
        """`mark_read` without waiting for it: for the GUI thread.

        A write queues behind the one in progress, and during a catch-up that is a sync batch
        of up to 2,000 events (tens of milliseconds): the window would stutter each time the
        user opens a conversation. So the write goes to this service's own writer thread; the
        badge clears when its change is published. A request already waiting for the same
        conversation covers this one."""
        with self._soon_lock:
            if self._closed or conversation_id in self._read_soon:
                return
            self._read_soon.add(conversation_id)
            self._writer_pool().submit(self._mark_read_now, conversation_id)

    def _mark_read_now(self, conversation_id: str) -> None:
        with self._soon_lock:
            self._read_soon.discard(conversation_id)
        try:
            self.mark_read(conversation_id)
        except DomainError:
            log.info("mark_read(%s): the conversation is gone", conversation_id)
        except Exception:  # a failed local write must not kill the writer; the badge stays
            log.exception("mark_read(%s) failed", conversation_id)

    def mark_unread(self, conversation_id: str) -> bool:
        """The user's "Mark as unread": unread count at least 1 locally at once; the server is
        told through the outbox, in the conversation's lane (a later mark_read wins in order).
        False when it was unread already (nothing to do)."""
        return self._mark(local_writes.mark_unread, conversation_id)

    def _mark(self, write: Callable[..., Changes], conversation_id: str) -> bool:
        """A read or unread mark, written locally and queued; False when nothing changed."""
        with self._cache.write() as conn:
            try:
                changes = write(conn, conversation_id=conversation_id, now=utcnow())
            except local_writes.UnknownConversation:
                raise DomainError(
                    ErrorCode.NOT_FOUND, "This conversation is not available."
                ) from None
        if changes.is_empty():
            return False
        self.publish(changes)
        self._wake_sync()
        return True

    def mark_unread_soon(self, conversation_id: str) -> None:
        """`mark_unread` without waiting for it: for the GUI thread. It goes to the same writer
        as mark_read_soon, so the two keep the order the user asked them in."""
        with self._soon_lock:
            if self._closed:
                return
            # A read asked before this one must not cover a read asked after it.
            self._read_soon.discard(conversation_id)
            self._writer_pool().submit(self._mark_unread_now, conversation_id)

    def _mark_unread_now(self, conversation_id: str) -> None:
        try:
            self.mark_unread(conversation_id)
        except DomainError:
            log.info("mark_unread(%s): the conversation is gone", conversation_id)
        except Exception:  # a failed local write must not kill the writer
            log.exception("mark_unread(%s) failed", conversation_id)

    # -- suspected opt-outs --------------------------------------------------------------

    def open_opt_outs(self) -> list[OptOutFlag]:
        """Every suspected opt-out waiting for an agent (none queued for it), oldest first."""
        with self._cache.read() as conn:
            views = queries.open_opt_outs(conn)
        flags = [to_conversation_row(v).opt_out for v in views]
        return [flag for flag in flags if flag is not None]

    def confirm_opt_out(self, conversation_id: str) -> None:
        """It is an opt-out: the person's Do Not Disturb goes on (on the server, recorded as
        this agent), and they get one confirmation text. Shown pending at once; sent through
        the outbox. DomainError(not_found) when no flag is waiting for an answer."""
        self._resolve_opt_out(conversation_id, confirm=True)

    def dismiss_opt_out(self, conversation_id: str) -> None:
        """It is no opt-out: the flag closes (on the server, recorded as this agent)."""
        self._resolve_opt_out(conversation_id, confirm=False)

    def answer_opt_out_soon(self, conversation_id: str, action: OptOutAction) -> None:
        """`confirm_opt_out` / `dismiss_opt_out` without waiting: for the GUI thread (the
        write goes to this service's writer thread, as mark_read_soon's does; the banner turns
        pending when its change is published)."""
        with self._soon_lock:
            if self._closed:
                return
            self._writer_pool().submit(self._answer_now, conversation_id, action)

    def _answer_now(self, conversation_id: str, action: OptOutAction) -> None:
        try:
            self._resolve_opt_out(conversation_id, confirm=action is OptOutAction.CONFIRM)
        except DomainError:
            log.info("%s opt-out (%s): no flag waiting any more", action.value, conversation_id)
        except Exception:  # a failed local write must not kill the writer
            log.exception("%s opt-out (%s) failed", action.value, conversation_id)

    def _resolve_opt_out(self, conversation_id: str, *, confirm: bool) -> None:
        with self._cache.write() as conn:
            try:
                _item, changes = local_writes.queue_opt_out(
                    conn, conversation_id=conversation_id, confirm=confirm, now=utcnow()
                )
            except (local_writes.UnknownConversation, local_writes.NoOpenOptOut):
                raise DomainError(
                    ErrorCode.NOT_FOUND, "No suspected opt-out is waiting in this conversation."
                ) from None
        self.publish(changes)
        self._wake_sync()

    def close(self) -> None:
        """Finish the writes handed over (before the cache closes); take no more."""
        with self._soon_lock:
            self._closed = True
            writer, self._writer = self._writer, None
        if writer is not None:
            writer.shutdown(wait=True)

    def retry(self, key: str) -> MessageRow:
        """Send a message the server refused once more (after the cause was fixed).

        It goes back to pending in its place; the next push sends it with its own key.
        Raises DomainError(not_found) when it is not a refused message (anymore).
        """
        message_id = _message_id(key)
        with self._cache.write() as conn:
            item = ob.for_message(conn, message_id)
            if item is None or item.state is not ob.OutboxState.FAILED:
                raise DomainError(ErrorCode.NOT_FOUND, "This message is not waiting for a retry.")
            changes = local_writes.retry(conn, item.id, utcnow())
            views = queries.messages_by_ids(conn, item.conversation_id or "", [message_id])
        self.publish(changes)
        self._wake_sync()
        return to_message_row(views[0], me_id=self._session.user.id, fallback_inbound="")

    def discard(self, key: str) -> None:
        """Drop a refused message: its row and its outbox item go in one transaction."""
        message_id = _message_id(key)
        with self._cache.write() as conn:
            item = ob.for_message(conn, message_id)
            if item is None:
                raise DomainError(ErrorCode.NOT_FOUND, "This message is not in the outbox.")
            try:
                changes = local_writes.discard(conn, item.id)
            except ob.InvalidTransition:
                raise DomainError(
                    ErrorCode.CONFLICT, "This message is being sent; it can no longer be discarded."
                ) from None
        self.publish(changes)
        self._wake_sync()

    def can_retry(self, key: str) -> bool:
        """Whether `key` is a message the server refused (Retry / Discard apply to it)."""
        with self._cache.read() as conn:
            item = ob.for_message(conn, _message_id(key))
        return item is not None and item.state is ob.OutboxState.FAILED

    # -- change reports (any thread) -------------------------------------------------------

    def publish(self, changes: Changes) -> None:
        change_set = to_change_set(changes)
        if not change_set.is_empty():
            self.changes.emit(change_set)


def _write_failed(exc: BaseException, detail: str) -> Refusal:
    """A local write that failed outside the domain's rules: a full disk or a locked cache is
    named (the user can act on it), anything else is a failure to save."""
    return Refusal(known_problem(exc) or LOCAL_WRITE_FAILED, detail)
