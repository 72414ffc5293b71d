"""What the History page's controls mean to the service (console/ui/history_query.py): a day
range in local time, the author choices capped for a big cache, and match spans kept on the
matched words when a body is flattened or cut to show its match."""

from __future__ import annotations

from datetime import date, datetime

from console.domain.messages import Direction, MessageStatus
from console.services.history import (
    AuthorOption,
    AuthorRef,
    FilterOptions,
    Highlight,
    HistoryChannel,
)
from console.ui.history_filter_bar import FilterValues
from console.ui.history_query import (
    MAX_PEOPLE_CHOICES,
    author_ref,
    author_value,
    choices,
    count_text,
    cut_before,
    snippet,
    to_filter,
)


def test_a_day_range_is_local_midnight_to_the_midnight_after_the_last_day() -> None:
    flt = to_filter("  two   words ", FilterValues(
        since=date(2026, 3, 1), until=date(2026, 3, 31), channel="group_sms", direction="out",
        status="failed", number_id="num_1", author_id="contact:con_9",
    ))
    assert flt.query == "two words"
    assert flt.date_from == datetime(2026, 3, 1).astimezone()
    assert flt.date_to == datetime(2026, 4, 1).astimezone()
    assert flt.channels == frozenset({HistoryChannel.GROUP_SMS})
    assert flt.direction is Direction.OUT
    assert flt.statuses == frozenset({MessageStatus.FAILED})
    assert flt.number_ids == frozenset({"num_1"})
    assert flt.author == AuthorRef(contact_id="con_9")
    assert to_filter("", FilterValues()).is_empty()


def test_authors_round_trip_and_people_are_capped_after_colleagues() -> None:
    for ref in (AuthorRef(user_id="usr_1"), AuthorRef(contact_id="con_2")):
        assert author_ref(author_value(ref)) == ref
    people = [AuthorOption(AuthorRef(contact_id=f"con_{n}"), f"Person {n:05d}", False)
              for n in range(MAX_PEOPLE_CHOICES + 250)]
    users = [AuthorOption(AuthorRef(user_id="usr_b"), "Bea", True),
             AuthorOption(AuthorRef(user_id="usr_a"), "Al", True)]
    found, more = choices(FilterOptions(authors=(*people, *users)))
    labels = [label for _, label in found["authors"]]
    assert labels[:2] == ["Al", "Bea"]  # colleagues first
    assert len(labels) == 2 + MAX_PEOPLE_CHOICES
    assert more == 250


def test_spans_follow_the_words_when_whitespace_collapses_and_the_body_is_cut() -> None:
    body = "Hello\n\n  there,   the   invoice is late"
    start = body.index("invoice")
    text, spans = snippet(body, (Highlight(start, start + 7),))
    assert text == "Hello there, the invoice is late"
    assert [text[s:e] for s, e in spans] == ["invoice"]
    long = "word " * 40 + "deposit due"
    at = long.index("deposit")
    cut, moved = cut_before(long, ((at, at + 7),), at)
    assert cut.startswith("…")
    assert len(cut) < len(long)
    assert [cut[s:e] for s, e in moved] == ["deposit"]


def test_count_words() -> None:
    from console.services.history import HistoryCount

    assert count_text(HistoryCount(1), False) == "1 message"
    assert count_text(HistoryCount(1234), True) == "1,234 messages"
    assert count_text(HistoryCount(10_000, at_least=True), False) == "10,000+ messages"
    assert count_text(HistoryCount(0), True) == "No messages match — clear filters"
    assert count_text(HistoryCount(0), False) == "No messages yet"
