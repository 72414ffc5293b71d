"""The History page's data: every message this user may see, filtered and searched, from the
cache only (so it works offline). Qt-free; every call is one short read, safe on any thread,
but run it on a worker (console/ui/tasks.py): a search is a few milliseconds, not zero.

What a row is. One row per message of a 1:1 SMS thread, a group chat or an in-app thread, and
ONE row per sent group message (from `group_messages`, with its recipient count): the server
also writes a copy of a group message into each recipient's in-app thread, and listing 10,000
identical copies would bury everything else, so those copies are left out (a person's REPLY to
a group message is an ordinary in-app message and is listed). See store/history_queries.py.

Order and paging. Newest first (then by a stable tie-breaker). `page()` reads one page by
keyset: pass the previous page's `next_cursor` as `after`; a cursor stays valid while the cache
changes (new rows above it do not shift the pages below it). `count()` is separate so the UI
paints the first rows before the total: it stops at `cap` and says "at least" past it.

Search. `HistoryFilter.query` is free text: each word of two or more letters or digits must
match (the last one as a word prefix, so results come while typing) the body, the names
(conversation title, author, participants; a group message's title and group) or the numbers
(the contact's and participants' numbers; digits in any layout: "5550111", "555-0111",
"(415) 555-0111" and "+1 415 555 0111" all find +14155550111; the business number is the
`number_ids` filter). One-letter words are skipped (nearly every message has a word starting
with "t"): a query of only those is no query. Case and accents do not count. No input raises:
quotes, `*`, `AND`, `-` are just text. Matches come back as `Highlight` spans over `body`,
`conversation_title` and `author` for the UI to paint; `matched_number` marks a row found by a
number only.

Freshness. The index is kept by the sync apply and by local writes (a send shows at once);
re-run the current page on the workspace's ChangeSet (any non-empty one may add rows).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Connection

from console.domain.conversations import ConversationKind
from console.domain.messages import Direction, MessageStatus
from console.domain.phones import format_display
from console.services.conversation_names import conversation_title
from console.services.highlights import spans
from console.services.mapping import message_direction, message_status
from console.services.session import Session
from console.services.types import AuthorKind
from console.store import history_queries as hq
from console.store import queries
from console.store.cache import Cache
from console.store.search_index import key_floor

__all__ = [
    "DEFAULT_COUNT_CAP",
    "DEFAULT_PAGE_SIZE",
    "AuthorKind",
    "AuthorOption",
    "AuthorRef",
    "FilterOptions",
    "GroupOption",
    "Highlight",
    "HistoryChannel",
    "HistoryCount",
    "HistoryCursor",
    "HistoryFilter",
    "HistoryPage",
    "HistoryRow",
    "HistoryService",
    "JumpTarget",
    "NumberOption",
]

DEFAULT_PAGE_SIZE = 100
# Counting every match of a one-letter prefix over a million messages costs more than a page:
# past this many the count says "at least".
DEFAULT_COUNT_CAP = 10_000


class HistoryChannel(StrEnum):
    """Where a row was written. The first three are ConversationKind's values (see
    `from_kind`); a sent group message is a channel of its own (it has no conversation)."""

    DIRECT = ConversationKind.DIRECT.value  # 1:1 SMS
    GROUP_SMS = ConversationKind.GROUP_SMS.value  # group chat
    IN_APP = ConversationKind.IN_APP.value  # in-app thread with one person
    GROUP_MESSAGE = "group_message"  # sent once to an audience group

    @classmethod
    def from_kind(cls, kind: ConversationKind) -> HistoryChannel:
        return cls(kind.value)


@dataclass(frozen=True, slots=True)
class AuthorRef:
    """Who wrote a row: a colleague (user id) or a person (contact id). Exactly one is set."""

    user_id: str | None = None
    contact_id: str | None = None


@dataclass(frozen=True, slots=True)
class HistoryFilter:
    """What the History page shows. Empty fields do not filter; a set filters to any of its
    members. Dates: `date_from` inclusive, `date_to` exclusive (aware datetimes; the UI turns
    a day range into [start of first day, start of the day after the last))."""

    query: str = ""
    date_from: datetime | None = None
    date_to: datetime | None = None
    number_ids: frozenset[str] = frozenset()  # business numbers (NumberOption.id)
    channels: frozenset[HistoryChannel] = frozenset()
    # Sent group messages to this audience group, and people's replies to them.
    group_id: str | None = None
    author: AuthorRef | None = None
    direction: Direction | None = None
    statuses: frozenset[MessageStatus] = frozenset()

    def is_empty(self) -> bool:
        return self == HistoryFilter()


@dataclass(frozen=True, slots=True)
class Highlight:
    """A match in a text: text[start:end] (Python str offsets, end exclusive)."""

    start: int
    end: int


@dataclass(frozen=True, slots=True)
class JumpTarget:
    """Where "open this result" goes. A conversation message: `conversation_id` + `message_key`
    (MessageRow.key, for ConversationService.messages / the thread view's flash). A sent group
    message: `group_message_id` (the Group messages page's GroupMessageRow.key)."""

    conversation_id: str | None = None
    message_key: str | None = None
    group_message_id: str | None = None


@dataclass(frozen=True, slots=True)
class HistoryCursor:
    """Opaque keyset position: the last row of a page. Compare nothing but equality."""

    key: int


@dataclass(frozen=True, slots=True)
class HistoryRow:
    key: str  # unique among rows (stable while the row exists): the model's row identity
    channel: HistoryChannel
    # The conversation's id and title; a group message: None and the group's name then ("" when
    # there is none: the views word it, "Conversation", "Group message").
    conversation_id: str | None
    conversation_title: str
    direction: Direction
    # Who wrote it: a colleague's or a person's name; "" for this user and for one with no
    # name (`author_kind` says who: the views word "You", "Another agent", "Unknown sender").
    author: str
    body: str
    status: MessageStatus
    created_at: datetime  # aware UTC
    number_label: str  # business number it went through ("" for in-app / group messages)
    target: JumpTarget
    message_key: str | None = None  # MessageRow.key for conversation messages
    group_message_id: str | None = None
    group_id: str | None = None
    recipient_count: int | None = None  # group messages only
    # Query matches, sorted, non-overlapping; empty without a query.
    body_highlights: tuple[Highlight, ...] = ()
    title_highlights: tuple[Highlight, ...] = ()
    author_highlights: tuple[Highlight, ...] = ()
    # The row matched on a number only (no span to paint in the texts above).
    matched_number: bool = False
    author_kind: AuthorKind = AuthorKind.CONTACT
    # An internal note for the team (sent to nobody): marked as such, left out of exports
    # unless asked for.
    note: bool = False


@dataclass(frozen=True, slots=True)
class HistoryPage:
    rows: tuple[HistoryRow, ...]
    next_cursor: HistoryCursor | None  # None: this was the last page


@dataclass(frozen=True, slots=True)
class HistoryCount:
    count: int
    at_least: bool = False  # True: there are more than `count` (counting stopped at the cap)

    def label(self) -> str:
        """"1 result", "2,345 results", "10,000+ results"."""
        plus = "+" if self.at_least else ""
        noun = "result" if self.count == 1 and not self.at_least else "results"
        return f"{self.count:,}{plus} {noun}"


@dataclass(frozen=True, slots=True)
class NumberOption:
    id: str
    label: str  # "Main line · (415) 555-0100"
    e164: str


@dataclass(frozen=True, slots=True)
class GroupOption:
    id: str
    name: str


@dataclass(frozen=True, slots=True)
class AuthorOption:
    author: AuthorRef
    # A colleague's name (or email), a person's name; "" for this user and for one with no
    # name (the views word them: "You", "Another agent", "Unknown sender").
    label: str
    is_user: bool
    is_me: bool = False  # this user

    @property
    def kind(self) -> AuthorKind:
        if self.is_me:
            return AuthorKind.ME
        return AuthorKind.COLLEAGUE if self.is_user else AuthorKind.CONTACT


@dataclass(frozen=True, slots=True)
class FilterOptions:
    """What the filter combos offer: what the cache holds, each list sorted by label (the
    authors: colleagues, then people; the views sort them by the words they show)."""

    numbers: tuple[NumberOption, ...] = ()
    groups: tuple[GroupOption, ...] = ()
    authors: tuple[AuthorOption, ...] = ()
    channels: tuple[HistoryChannel, ...] = tuple(HistoryChannel)
    statuses: tuple[MessageStatus, ...] = field(default_factory=lambda: tuple(MessageStatus))


class HistoryService:
    """The History page's reads. `HistoryService(cache, session)` with the workspace's cache and
    session (`session.user.id` is the author of kind AuthorKind.ME). The Workspace is to hold one as
    `workspace.history` (services/workspace.py: one line, the lead's file)."""

    def __init__(self, cache: Cache, session: Session) -> None:
        self._cache = cache
        self._session = session

    def page(
        self,
        flt: HistoryFilter,
        *,
        after: HistoryCursor | None = None,
        limit: int = DEFAULT_PAGE_SIZE,
    ) -> HistoryPage:
        """Up to `limit` rows matching `flt`, newest first, after `after` (None: the first
        page). Highlights are filled when `flt.query` has words."""
        query = to_query(flt)
        with self._cache.read() as conn:
            keys = hq.page_keys(conn, query, after=after.key if after else None, limit=limit)
            found = hq.records(conn, keys)
            titles = _group_chat_titles(conn, found)
        rows = tuple(self._row(r, titles, flt.query) for r in found)
        more = len(keys) == limit
        return HistoryPage(rows, HistoryCursor(keys[-1]) if more and keys else None)

    def count(self, flt: HistoryFilter, *, cap: int = DEFAULT_COUNT_CAP) -> HistoryCount:
        """How many rows match `flt`, counted up to `cap` (then `at_least`)."""
        with self._cache.read() as conn:
            found, more = hq.count(conn, to_query(flt), cap=cap)
        return HistoryCount(found, at_least=more)

    def rows_by_key(self, keys: Iterable[str], query: str = "") -> dict[str, HistoryRow]:
        """The rows of `keys` that still exist (re-read after a ChangeSet), highlighted for
        `query`."""
        wanted = [int(k) for k in keys if k.isdigit()]
        with self._cache.read() as conn:
            found = hq.records(conn, wanted)
            titles = _group_chat_titles(conn, found)
        return {str(r.key): self._row(r, titles, query) for r in found}

    def keys_for(
        self, *, message_keys: Iterable[str] = (), group_message_ids: Iterable[str] = ()
    ) -> list[str]:
        """The History row keys of these messages (MessageRow.key) and group messages: which
        rows a ChangeSet touches."""
        ids = [int(k) for k in message_keys if k.isdigit()]
        with self._cache.read() as conn:
            keys = hq.keys_of(conn, message_ids=ids, group_message_ids=list(group_message_ids))
        return [str(k) for k in keys]

    def filter_options(self) -> FilterOptions:
        """Numbers, groups and authors present in the cache, for the filter combos."""
        with self._cache.read() as conn:
            found = hq.choices(conn)
        me = self._session.user.id
        authors = [
            AuthorOption(AuthorRef(user_id=uid), "" if uid == me else name or "", True, uid == me)
            for uid, name in found.users
        ]
        authors += [
            AuthorOption(AuthorRef(contact_id=cid), name or "", False)  # "": unknown
            for cid, name in found.contacts
        ]
        authors.sort(key=lambda a: (not a.is_user, a.label.casefold()))
        return FilterOptions(
            numbers=tuple(
                NumberOption(nid, _number_label(label, e164), e164)
                for nid, label, e164 in found.numbers
            ),
            groups=tuple(GroupOption(gid, name) for gid, name in found.groups),
            authors=tuple(authors),
        )

    # -- rows ------------------------------------------------------------------------------

    def _row(self, record: hq.HistoryRecord, titles: dict[str, str], query: str) -> HistoryRow:
        """`titles`: the page's group chats' names (by id), as the conversation list says."""
        direction = message_direction(record.direction)
        status = message_status(record.status, direction)
        channel = _channel(record.channel)
        if record.group_message_id is not None:
            title = record.group_name or ""  # the views word it
            target = JumpTarget(group_message_id=record.group_message_id)
        else:
            title = titles.get(record.conversation_id or "") or _conversation_title(record)
            target = JumpTarget(
                conversation_id=record.conversation_id, message_key=str(record.message_id)
            )
        body = record.body
        kind, author = self._author(record)
        found_words = hq.words(query)
        body_hl = _highlights(body, found_words)
        title_hl = _highlights(title, found_words)
        author_hl = _highlights(author, found_words)
        return HistoryRow(
            key=str(record.key),
            channel=channel,
            conversation_id=record.conversation_id,
            conversation_title=title,
            direction=direction,
            author=author,
            body=body,
            status=status,
            created_at=record.created_at,
            number_label=record.number_label,
            target=target,
            message_key=str(record.message_id) if record.message_id is not None else None,
            group_message_id=record.group_message_id,
            group_id=record.group_id,
            recipient_count=record.recipient_count,
            body_highlights=body_hl,
            title_highlights=title_hl,
            author_highlights=author_hl,
            matched_number=bool(found_words) and not (body_hl or title_hl or author_hl),
            author_kind=kind,
            note=record.note,
        )

    def _author(self, record: hq.HistoryRecord) -> tuple[AuthorKind, str]:
        """Who wrote `record` and their name ("" for this user and for one with no name: the
        views word it)."""
        if record.direction == Direction.OUT.value:
            if record.author_user_id is None or record.author_user_id == self._session.user.id:
                return AuthorKind.ME, ""
            return AuthorKind.COLLEAGUE, record.author_user_name or ""
        if record.author_contact_name:
            return AuthorKind.CONTACT, record.author_contact_name
        if record.conversation_kind == ConversationKind.DIRECT.value:
            if record.conversation_title:
                return AuthorKind.CONTACT, record.conversation_title
            if record.conversation_phone:
                return AuthorKind.CONTACT, format_display(record.conversation_phone)
        return AuthorKind.CONTACT, ""  # an unknown sender


def _conversation_title(record: hq.HistoryRecord) -> str:
    """A 1:1 or in-app thread's name: its title, else its number ("" without either: the views
    word it)."""
    if record.conversation_title:
        return record.conversation_title
    if record.conversation_phone:
        return format_display(record.conversation_phone)
    return ""


def _group_chat_titles(conn: Connection, found: list[hq.HistoryRecord]) -> dict[str, str]:
    """Group chats are named by their people when untitled (services/conversation_names.py):
    read those few through the conversation list's own query."""
    ids = {
        r.conversation_id
        for r in found
        if r.conversation_id and r.conversation_kind == ConversationKind.GROUP_SMS.value
    }
    if not ids:
        return {}
    return {cid: conversation_title(v) for cid, v in queries.get_conversations(conn, ids).items()}


def to_query(flt: HistoryFilter) -> hq.HistoryQuery:
    """`flt` in the cache's terms."""
    author = flt.author or AuthorRef()
    return hq.HistoryQuery(
        text=flt.query,
        key_from=key_floor(flt.date_from) if flt.date_from is not None else None,
        key_to=key_floor(flt.date_to) if flt.date_to is not None else None,
        channels=tuple(sorted(c.value for c in flt.channels)),
        number_ids=tuple(sorted(flt.number_ids)),
        group_id=flt.group_id,
        author_user_id=author.user_id,
        author_contact_id=author.contact_id,
        direction=flt.direction.value if flt.direction is not None else None,
        statuses=tuple(sorted(s.value for s in flt.statuses)),
    )


def _channel(value: str) -> HistoryChannel:
    try:
        return HistoryChannel(value)
    except ValueError:
        return HistoryChannel.DIRECT


def _highlights(text: str, words: list[str]) -> tuple[Highlight, ...]:
    return tuple(Highlight(start, end) for start, end in spans(text, words))


def _number_label(label: str, e164: str) -> str:
    shown = format_display(e164) if e164 else ""
    return f"{label} \u00b7 {shown}" if label and shown else label or shown

