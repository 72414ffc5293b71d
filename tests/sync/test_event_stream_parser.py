"""The text/event-stream parser against the HTML standard's rules, split at every byte."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from console.sync.sse import SseComment, SseEvent, SseIdUpdate, SseItem, SseParser


def parse(raw: bytes, *, sizes: list[int] | None = None) -> tuple[list[SseItem], SseParser]:
    """Feed `raw` in chunks of `sizes` (cycled), then close."""
    parser = SseParser()
    items: list[SseItem] = []
    position, turn = 0, 0
    while position < len(raw):
        size = sizes[turn % len(sizes)] if sizes else len(raw)
        items += parser.feed(raw[position : position + max(1, size)])
        position += max(1, size)
        turn += 1
    items += parser.close()
    return items, parser


def every_split(raw: bytes) -> list[list[SseItem]]:
    """The items for every way of cutting `raw` in two, and byte by byte."""
    results = [parse(raw)[0], parse(raw, sizes=[1])[0]]
    for cut in range(1, len(raw)):
        parser = SseParser()
        results.append(parser.feed(raw[:cut]) + parser.feed(raw[cut:]) + parser.close())
    return results


def test_fields_comments_and_dispatch() -> None:
    raw = (
        b": heartbeat\n"
        b"id: abc.1\n"
        b"event: message.upserted\n"
        b'data: {"seq": 1}\n'
        b"\n"
        b"data:first\n"
        b"data:  second keeps one space\n"
        b"\n"
    )
    for items in every_split(raw):
        assert items == [
            SseComment("heartbeat"),
            SseEvent("message.upserted", '{"seq": 1}', "abc.1"),
            # no `id` in this block: the last event id carries over; no `event`: "message"
            SseEvent("message", "first\n second keeps one space", "abc.1"),
        ]


def test_every_line_ending_and_a_bom() -> None:
    for newline in (b"\n", b"\r\n", b"\r"):
        raw = b"\xef\xbb\xbf" + newline.join([b"id: 7", b"data: x", b"", b"data: y", b"", b""])
        for items in every_split(raw):
            assert items == [SseEvent("message", "x", "7"), SseEvent("message", "y", "7")], newline


def test_cr_then_lf_across_chunks_is_one_line_break() -> None:
    parser = SseParser()
    assert parser.feed(b"data: a\r") == []
    assert parser.feed(b"\n\r") == [SseEvent("message", "a", None)]
    # The lone CR above was a blank line of its own: nothing pending, nothing dispatched.
    assert parser.feed(b"\ndata: b\n\n") == [SseEvent("message", "b", None)]


def test_utf8_split_inside_a_character() -> None:
    raw = "data: café ✓ 😀\n\n".encode()
    for items in every_split(raw):
        assert items == [SseEvent("message", "café ✓ 😀", None)]


def test_invalid_utf8_is_replaced_not_fatal() -> None:
    items, _ = parse(b"data: \xff\xfe ok\n\n")
    assert items == [SseEvent("message", "\ufffd\ufffd ok", None)]


def test_id_rules() -> None:
    raw = b"id: one\ndata: a\n\nid: tw\x00o\ndata: b\n\nid\ndata: c\n\n"
    items, parser = parse(raw)
    # An id holding NUL is ignored; a bare `id` line sets the empty id.
    assert items == [
        SseEvent("message", "a", "one"),
        SseEvent("message", "b", "one"),
        SseEvent("message", "c", ""),
    ]
    assert parser.last_event_id == ""


def test_id_without_data_moves_the_cursor_and_is_reported() -> None:
    items, parser = parse(b"id: 5\n\n: ping\n\n")
    assert items == [SseIdUpdate("5"), SseComment("ping")]
    assert parser.last_event_id == "5"


def test_event_cut_off_by_the_end_is_discarded_and_its_id_not_kept() -> None:
    items, parser = parse(b"id: 1\ndata: whole\n\nid: 2\ndata: half")
    assert items == [SseEvent("message", "whole", "1")]
    assert parser.last_event_id == "1"


def test_retry_only_when_all_digits_and_unknown_fields_ignored() -> None:
    items, parser = parse(b"retry: 2500\n\nretry: 12a\nfoo: bar\ndata\n\n")
    assert parser.retry_ms == 2500
    # `data` alone is a data field with an empty value: it dispatches an empty event.
    assert items == [SseEvent("message", "", None)]


def test_field_without_colon_and_colon_without_space() -> None:
    items, _ = parse(b"event:x\ndata:a:b\ndata\n\n")
    assert items == [SseEvent("x", "a:b\n", None)]


def test_blank_lines_alone_dispatch_nothing() -> None:
    items, _ = parse(b"\n\n\r\n\n")
    assert items == []


def test_starting_id_is_the_resume_cursor() -> None:
    parser = SseParser(last_event_id="ep.41")
    assert parser.feed(b"data: x\n\n") == [SseEvent("message", "x", "ep.41")]


# -- property: whatever a conforming server writes, chunked anyhow, reads back the same -------

_field_text = st.text(
    alphabet=st.characters(blacklist_characters="\r\n\x00", blacklist_categories=["Cs"]),
    max_size=20,
)
_events = st.lists(
    st.tuples(
        st.one_of(st.none(), _field_text.filter(lambda t: t.strip() == t and t != "")),
        st.one_of(st.none(), _field_text),
        st.lists(_field_text, min_size=1, max_size=3),
        st.sampled_from(["\n", "\r\n", "\r"]),
    ),
    max_size=6,
)


def _encode(events: list[tuple[str | None, str | None, list[str], str]]) -> bytes:
    out = []
    for event_type, event_id, data, nl in events:
        lines = [": keep-alive"]
        if event_type is not None:
            lines.append(f"event: {event_type}")
        if event_id is not None:
            lines.append(f"id: {event_id}")
        lines += [f"data: {line}" for line in data]
        out.append(nl.join(lines) + nl + nl)
    return "".join(out).encode()


@given(events=_events, sizes=st.lists(st.integers(1, 7), min_size=1, max_size=5))
def test_round_trip_any_chunking(
    events: list[tuple[str | None, str | None, list[str], str]], sizes: list[int]
) -> None:
    items, parser = parse(_encode(events), sizes=sizes)
    expected: list[SseItem] = []
    last_id: str | None = None
    for event_type, event_id, data, _nl in events:
        expected.append(SseComment("keep-alive"))
        if event_id is not None:
            last_id = event_id
        expected.append(SseEvent(event_type or "message", "\n".join(data), last_id))
    assert items == expected
    assert parser.last_event_id == last_id
