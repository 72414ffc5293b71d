"""What the History page's controls mean to the service: FilterValues + search text ->
HistoryFilter, the filter options as combo box choices, and the words a row shows.

Pure functions, no widgets: a day range chosen in local time becomes [start of the first day,
start of the day after the last), as HistoryFilter asks.
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import date, datetime, time, timedelta

from console.domain.messages import Direction, MessageStatus
from console.services.history import (
    AuthorRef,
    FilterOptions,
    Highlight,
    HistoryChannel,
    HistoryCount,
    HistoryFilter,
    HistoryRow,
)
from console.ui.history_filter_bar import STATUSES, FilterValues, channel_label, filter_word
from console.ui.i18n import translate
from console.ui.labels import sender_name

Choice = tuple[str, str]  # (value, label)
_STATUS_WORDS = dict(STATUSES)  # source texts: filter_word translates them
_CONTEXT = "HistoryQuery"


def grouped(text: str, count: int) -> str:
    """`text`, a translation whose %n Qt filled in with `count`, with the count's thousands
    grouped as before ("1,234 messages")."""
    return text.replace(str(count), f"{count:,}") if abs(count) >= 1000 else text


def author_value(author: AuthorRef) -> str:
    """An author as a combo box value: "user:<id>" or "contact:<id>"."""
    if author.user_id:
        return f"user:{author.user_id}"
    return f"contact:{author.contact_id or ''}"


def author_ref(value: str) -> AuthorRef | None:
    kind, _, ident = value.partition(":")
    if not ident:
        return None
    return AuthorRef(user_id=ident) if kind == "user" else AuthorRef(contact_id=ident)


def _start_of(day: date) -> datetime:
    """Local midnight of `day`, as an aware datetime."""
    return datetime.combine(day, time()).astimezone()


def to_filter(text: str, values: FilterValues) -> HistoryFilter:
    """The service's filter for what the page shows (spaces in the search collapsed)."""
    until = values.until
    return HistoryFilter(
        query=" ".join(text.split()),
        date_from=_start_of(values.since) if values.since else None,
        date_to=_start_of(until + timedelta(days=1)) if until else None,
        number_ids=frozenset({values.number_id}) if values.number_id else frozenset(),
        channels=frozenset({HistoryChannel(values.channel)}) if values.channel else frozenset(),
        group_id=values.group_id or None,
        author=author_ref(values.author_id) if values.author_id else None,
        direction=Direction(values.direction) if values.direction else None,
        statuses=frozenset({MessageStatus(values.status)}) if values.status else frozenset(),
    )


# A combo box of 56,000 people (a 1,000,000-message cache) is neither usable nor cheap to
# fill on the GUI thread: colleagues all, then this many people; the rest are found by name
# in the search field.
MAX_PEOPLE_CHOICES = 400


def choices(options: FilterOptions) -> tuple[dict[str, list[Choice]], int]:
    """The combo boxes' values: numbers, groups and authors (colleagues first, then up to
    MAX_PEOPLE_CHOICES people); and how many people were left out."""
    users = [a for a in options.authors if a.is_user]
    people = [a for a in options.authors if not a.is_user]
    users.sort(key=lambda a: sender_name(a.label, a.kind).casefold())
    unnamed = [a for a in people if not a.label]  # "Unknown sender": where its words sort
    if unnamed:
        named = [a for a in people if a.label]  # the service's order: by name
        at = bisect_right(named, sender_name("").casefold(), key=lambda a: a.label.casefold())
        people = [*named[:at], *unnamed, *named[at:]]
    shown = people[:MAX_PEOPLE_CHOICES]
    shown.sort(key=lambda a: sender_name(a.label).casefold())
    found = {
        "numbers": [(n.id, n.label) for n in options.numbers],
        "groups": [(g.id, g.name) for g in options.groups],
        "authors": [(author_value(a.author), sender_name(a.label, a.kind)) for a in users]
        + [(author_value(a.author), sender_name(a.label)) for a in shown],
    }
    return found, len(people) - len(shown)


def count_text(count: HistoryCount | None, filtered: bool) -> str:
    """ "1 message", "1,234 messages", "10,000+ messages"; with nothing found, what to do."""
    if count is None:
        return translate(_CONTEXT, "Searching…")
    if count.count == 0 and not count.at_least:
        return (
            translate(_CONTEXT, "No messages match — clear filters") if filtered
            else translate(_CONTEXT, "No messages yet")
        )
    if count.at_least:
        return translate(_CONTEXT, "{count}+ messages").format(count=f"{count.count:,}")
    return grouped(translate(_CONTEXT, "%n message(s)", None, count.count), count.count)


def state_text(row: HistoryRow) -> str:
    """Direction and status in words: "Received", "Sent · Delivered", "Sent · Failed",
    "Group message to 12 people", "Note" (an internal note)."""
    if row.channel is HistoryChannel.GROUP_MESSAGE:
        if row.recipient_count is None:
            return translate(_CONTEXT, "Group message")
        return grouped(
            translate(
                _CONTEXT, "Group message to %n (person|people)", None, row.recipient_count
            ),
            row.recipient_count,
        )
    if row.note:  # an internal note was sent to nobody: no direction or delivery to tell
        return translate(_CONTEXT, "Note")
    if row.direction is Direction.IN:
        return translate(_CONTEXT, "Received")
    word = _STATUS_WORDS.get(row.status.value)
    if word == "Sent":
        return translate(_CONTEXT, "Sent")
    shown = filter_word(word) if word else row.status.value.capitalize()
    return translate(_CONTEXT, "Sent · {status}").format(status=shown)


def channel_text(channel: HistoryChannel) -> str:
    return channel_label(channel)


def title_text(row: HistoryRow) -> str:
    """The row's conversation (or a group message's group) by name; one the service has no
    name for: "Group message", "Conversation"."""
    if row.conversation_title:
        return row.conversation_title
    if row.channel is HistoryChannel.GROUP_MESSAGE:
        return translate(_CONTEXT, "Group message")
    return translate(_CONTEXT, "Conversation")


def _is_midnight(moment: datetime) -> bool:
    return moment.timetz().replace(tzinfo=None) == time()


def filter_description(flt: HistoryFilter, options: FilterOptions | None = None) -> str:
    """`flt` in words, for an export's heading: "Search “invoice” · From 2026-12-01 ·
    Channel: SMS" ("All messages" when empty). `options` (HistoryService.filter_options())
    names the numbers, group and author chosen; it is needed only when one is."""
    parts: list[str] = []
    if flt.query.strip():
        parts.append(translate(_CONTEXT, "Search “{text}”").format(text=flt.query.strip()))
    # In the user's own time: the page turns a day range into local midnights.
    if flt.date_from is not None:
        start = flt.date_from.astimezone()
        parts.append(translate(_CONTEXT, "From {date}").format(
            date=f"{start:%Y-%m-%d}" if _is_midnight(start) else f"{start:%Y-%m-%d %H:%M}"))
    if flt.date_to is not None:
        end = flt.date_to.astimezone()  # exclusive: a day range ends at the next midnight
        if _is_midnight(end):
            parts.append(translate(_CONTEXT, "To {date}").format(
                date=f"{end - timedelta(days=1):%Y-%m-%d}"))
        else:
            parts.append(translate(_CONTEXT, "Before {date}").format(date=f"{end:%Y-%m-%d %H:%M}"))
    if flt.channels:
        names = [channel_label(c) for c in HistoryChannel if c in flt.channels]
        parts.append(translate(_CONTEXT, "Channel: {names}").format(names=", ".join(names)))
    found = options or FilterOptions()
    if flt.number_ids:
        labels = [n.label for n in found.numbers if n.id in flt.number_ids]
        parts.append(translate(_CONTEXT, "Number: {names}").format(
            names=", ".join(labels or sorted(flt.number_ids))))
    if flt.group_id:
        groups = [g.name for g in found.groups if g.id == flt.group_id]
        parts.append(translate(_CONTEXT, "Group: {name}").format(
            name=groups[0] if groups else flt.group_id))
    if flt.author:
        authors = [sender_name(a.label, a.kind) for a in found.authors if a.author == flt.author]
        parts.append(translate(_CONTEXT, "Author: {name}").format(
            name=authors[0] if authors else translate(_CONTEXT, "unknown")))
    if flt.direction is not None:
        parts.append(translate(_CONTEXT, "Sent") if flt.direction is Direction.OUT
                     else translate(_CONTEXT, "Received"))
    if flt.statuses:
        shown = [filter_word(_STATUS_WORDS[s.value]) for s in MessageStatus if s in flt.statuses]
        parts.append(translate(_CONTEXT, "Status: {names}").format(names=", ".join(shown)))
    return " · ".join(parts) if parts else translate(_CONTEXT, "All messages")


# A one-line body whose first match falls past the row's end starts this many characters
# before the match instead (history_delegate.draw_marked).
SNIPPET_LEAD = 24
Spans = tuple[tuple[int, int], ...]


def snippet(body: str, spans: tuple[Highlight, ...]) -> tuple[str, Spans]:
    """`body` on one line (whitespace runs made one space), and the match spans as
    (start, end) in the text returned."""
    flat = " ".join(body.split())
    # Offsets are into `body`; collapsing whitespace moves them: map each old offset.
    mapping: list[int] = []
    out = 0
    previous_space = False
    stripped_lead = len(body) - len(body.lstrip())
    for index, char in enumerate(body):
        if index < stripped_lead:
            mapping.append(0)
            continue
        if char.isspace():
            mapping.append(out)
            if not previous_space:
                out += 1
            previous_space = True
        else:
            mapping.append(out)
            out += 1
            previous_space = False
    mapping.append(min(out, len(flat)))

    def at(offset: int) -> int:
        return mapping[max(0, min(offset, len(body)))]

    return flat, tuple((at(s.start), at(s.end)) for s in spans if s.end > s.start)


def cut_before(text: str, spans: Spans, start: int) -> tuple[str, Spans]:
    """`text` from about SNIPPET_LEAD characters before offset `start` (at a word), with "…"
    in front, and `spans` moved along: so a match far into a long body shows."""
    cut = text.rfind(" ", 0, max(0, start - SNIPPET_LEAD)) + 1
    if cut <= 0:
        cut = max(0, start - SNIPPET_LEAD)
    if cut <= 0:
        return text, spans
    return "…" + text[cut:], tuple(
        (max(s - cut, 0) + 1, e - cut + 1) for s, e in spans if e > cut
    )


def spans(highlights: tuple[Highlight, ...]) -> tuple[tuple[int, int], ...]:
    return tuple((h.start, h.end) for h in highlights if h.end > h.start)
