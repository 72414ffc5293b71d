from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from console.domain.errors import DomainError, ErrorCode
from console.domain.messages import normalize_body
from console.domain.sms import MAX_BODY_CHARS, is_gsm7, segment_info


@pytest.mark.parametrize(
    ("text", "encoding", "segments", "remaining"),
    [
        ("", "GSM-7", 0, 160),
        ("a" * 160, "GSM-7", 1, 0),
        ("a" * 161, "GSM-7", 2, 145),
        ("a" * 306, "GSM-7", 2, 0),
        ("a" * 307, "GSM-7", 3, 152),
        ("€" * 80, "GSM-7", 1, 0),  # extension chars cost two septets
        ("€" * 81, "GSM-7", 2, 144),
        ("é" * 10, "GSM-7", 1, 150),
        ("ł" * 70, "UCS-2", 1, 0),
        ("ł" * 71, "UCS-2", 2, 63),
        ("😀" * 35, "UCS-2", 1, 0),  # astral chars are two UTF-16 units
    ],
)
def test_segment_boundaries(text: str, encoding: str, segments: int, remaining: int) -> None:
    info = segment_info(text)
    assert (info.encoding, info.segments, info.remaining) == (encoding, segments, remaining)


@given(st.text(max_size=700))
def test_segments_cover_the_text(text: str) -> None:
    info = segment_info(text)
    if not text:
        assert info.segments == 0
        return
    single, multi = (160, 153) if is_gsm7(text) else (70, 67)
    capacity = single if info.segments == 1 else info.segments * multi
    assert info.units <= capacity
    assert info.remaining == capacity - info.units
    if info.segments > 1:
        assert info.units > single


def test_normalize_body() -> None:
    assert normalize_body("  hi there \n") == "hi there"
    for bad in ["", "   \n\t"]:
        with pytest.raises(DomainError) as info:
            normalize_body(bad)
        assert info.value.code is ErrorCode.VALIDATION_ERROR
    with pytest.raises(DomainError):
        normalize_body("x" * (MAX_BODY_CHARS + 1))
    assert normalize_body("x" * MAX_BODY_CHARS) == "x" * MAX_BODY_CHARS
