from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from console.domain.errors import DomainError, ErrorCode
from console.domain.messages import normalize_body
from console.domain.sms import (
    GSM7_MULTI,
    GSM7_SINGLE,
    MAX_BODY_CHARS,
    UCS2_MULTI,
    UCS2_SINGLE,
    is_gsm7,
    segment_info,
    split_segments,
)

GSM_EXTENSION = "^{}\\[~]|€\f"
EMOJI = "😀🏠🔑"


@pytest.mark.parametrize(
    ("text", "encoding", "segments", "remaining"),
    [
        ("", "GSM-7", 0, 160),
        ("a" * 160, "GSM-7", 1, 0),
        ("a" * 161, "GSM-7", 2, 145),
        ("a" * 306, "GSM-7", 2, 0),
        ("a" * 307, "GSM-7", 3, 152),
        ("€" * 80, "GSM-7", 1, 0),  # extension chars cost two septets
        ("€" * 81, "GSM-7", 2, 143),  # 76 in the first (152 septets): an escape is never split
        ("é" * 10, "GSM-7", 1, 150),
        ("ł" * 70, "UCS-2", 1, 0),
        ("ł" * 71, "UCS-2", 2, 63),
        ("😀" * 35, "UCS-2", 1, 0),  # astral chars are two UTF-16 units
        ("😀" * 36, "UCS-2", 2, 61),  # 33 in the first (66 units): a pair is never split
    ],
)
def test_segment_boundaries(text: str, encoding: str, segments: int, remaining: int) -> None:
    info = segment_info(text)
    assert (info.encoding, info.segments, info.remaining) == (encoding, segments, remaining)


def test_an_escape_sequence_is_not_split_across_segments() -> None:
    # 306 septets would fill two segments exactly, but the ESC + € pair would straddle them.
    text = "a" * 152 + "€" + "a" * 152
    info = segment_info(text)
    assert (info.encoding, info.units, info.segments) == ("GSM-7", 306, 3)
    first, second, third = split_segments(text)
    assert first == "a" * 152
    assert second == "€" + "a" * 151
    assert third == "a"


def test_a_surrogate_pair_is_not_split_across_segments() -> None:
    info = segment_info("😀" * 67)  # 134 code units: two segments of 67 by division
    assert (info.encoding, info.units, info.segments) == ("UCS-2", 134, 3)
    assert [len(part) for part in split_segments("😀" * 67)] == [33, 33, 1]


def test_one_non_gsm_character_turns_the_whole_message_ucs2() -> None:
    assert segment_info("a" * 159 + "ł").segments == 3  # 160 UCS-2 units
    assert segment_info("a" * 160).segments == 1


def _units(part: str, encoding: str) -> int:
    if encoding == "GSM-7":
        return sum(2 if ch in GSM_EXTENSION else 1 for ch in part)
    return len(part.encode("utf-16-le")) // 2


sms_text = st.text(
    alphabet=st.sampled_from("ab €[{😀ł\n") | st.characters(codec="utf-8"), max_size=700
)


@given(sms_text)
def test_segments_are_what_a_carrier_sends(text: str) -> None:
    """Whatever the text: the segments joined give it back, each fits its segment, none could
    take the next character, and the count agrees with segment_info."""
    info = segment_info(text)
    parts = split_segments(text)
    assert "".join(parts) == text
    assert info.segments == len(parts)
    if not text:
        assert info.segments == 0
        return
    single, multi = (GSM7_SINGLE, GSM7_MULTI) if is_gsm7(text) else (UCS2_SINGLE, UCS2_MULTI)
    assert info.units == _units(text, info.encoding)
    if info.segments == 1:
        assert info.units <= single
        assert info.remaining == single - info.units
        return
    assert info.units > single
    for part, following in itertools.pairwise(parts):
        assert _units(part, info.encoding) <= multi
        # Packed greedily: the next segment's first character did not fit here.
        assert _units(part + following[0], info.encoding) > multi
    assert info.remaining == multi - _units(parts[-1], info.encoding)
    # Never fewer than division would say, and at most one unit lost per full segment.
    assert -(-info.units // multi) <= info.segments <= -(-info.units // (multi - 1))


@given(st.text(alphabet=st.sampled_from("a€"), max_size=400))
def test_gsm_extension_counts_two(text: str) -> None:
    assert segment_info(text).units == len(text) + text.count("€")


@given(st.text(alphabet=st.sampled_from(EMOJI + "x"), max_size=300))
def test_surrogate_pairs_count_two(text: str) -> None:
    astral = sum(1 for ch in text if ch in EMOJI)
    assert segment_info(text).units == len(text) + astral


def test_normalize_body() -> None:
    assert normalize_body("  hi there \n") == "hi there"
    for bad in ["", "   \n\t"]:
        with pytest.raises(DomainError) as info:
            normalize_body(bad)
        assert info.value.code is ErrorCode.VALIDATION_ERROR
    with pytest.raises(DomainError):
        normalize_body("x" * (MAX_BODY_CHARS + 1))
    assert normalize_body("x" * MAX_BODY_CHARS) == "x" * MAX_BODY_CHARS
