"""SMS segment arithmetic, so compose can show what a message will cost before it is sent.

A long SMS goes out as several segments, each carrying a 6-octet header (UDH) that leaves
153 GSM-7 septets or 67 UCS-2 code units per segment (160 / 70 for a message that fits in one).
Carriers never split what belongs together across two segments:

- a GSM-7 extension character (`€`, `[`, `{`, ...) is sent as ESC + the character, two
  septets that stay in one segment;
- an astral character (most emoji) is a UTF-16 surrogate pair, two code units that stay in one
  segment.

So a segment can end one unit short and the count is a packing, not a division:
`'a' * 152 + '€' + 'a' * 152` is 306 septets, which divides into two segments of 153, yet the
escape sequence does not fit in the first segment's last septet and three segments go out;
`'😀' * 67` is 134 code units, yet each segment holds only 33 emoji (66 units), so three.
"""

from __future__ import annotations

from dataclasses import dataclass

# GSM 03.38 basic character set and its extension table (each extension char costs 2 septets).
_GSM_BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM_EXTENDED = "^{}\\[~]|€\f"
_GSM_BASIC_SET = frozenset(_GSM_BASIC)
_GSM_EXTENDED_SET = frozenset(_GSM_EXTENDED)

GSM7 = "GSM-7"
UCS2 = "UCS-2"
GSM7_SINGLE = 160
GSM7_MULTI = 153
UCS2_SINGLE = 70
UCS2_MULTI = 67
MAX_BODY_CHARS = 1600


@dataclass(frozen=True, slots=True)
class SegmentInfo:
    encoding: str  # GSM7 or UCS2
    units: int  # septets for GSM-7, UTF-16 code units for UCS-2
    segments: int
    remaining: int  # units that still fit in the last segment without adding one


def is_gsm7(text: str) -> bool:
    return all(ch in _GSM_BASIC_SET or ch in _GSM_EXTENDED_SET for ch in text)


def _gsm7_cost(ch: str) -> int:
    return 2 if ch in _GSM_EXTENDED_SET else 1


def _ucs2_cost(ch: str) -> int:
    return 2 if ord(ch) > 0xFFFF else 1  # outside the BMP: a surrogate pair


def _pack(costs: list[int], capacity: int) -> tuple[int, int]:
    """Segments of `capacity` units filled in order, no item split; (segments, room left)."""
    segments, used = 1, 0
    for cost in costs:
        if used + cost > capacity:
            segments, used = segments + 1, 0
        used += cost
    return segments, capacity - used


def segment_info(text: str) -> SegmentInfo:
    """How `text` goes out: its encoding, size in units, and segments as a carrier cuts them."""
    if is_gsm7(text):
        costs = [_gsm7_cost(ch) for ch in text]
        single, multi, encoding = GSM7_SINGLE, GSM7_MULTI, GSM7
    else:
        costs = [_ucs2_cost(ch) for ch in text]
        single, multi, encoding = UCS2_SINGLE, UCS2_MULTI, UCS2
    units = sum(costs)
    if units == 0:
        return SegmentInfo(encoding, 0, 0, single)
    if units <= single:
        return SegmentInfo(encoding, units, 1, single - units)
    segments, remaining = _pack(costs, multi)
    return SegmentInfo(encoding, units, segments, remaining)


def split_segments(text: str) -> list[str]:
    """The text of each segment, cut as `segment_info` counts (for tests and previews)."""
    info = segment_info(text)
    if info.segments <= 1:
        return [text] if text else []
    cost = _gsm7_cost if info.encoding == GSM7 else _ucs2_cost
    capacity = GSM7_MULTI if info.encoding == GSM7 else UCS2_MULTI
    parts: list[str] = []
    current: list[str] = []
    used = 0
    for ch in text:
        units = cost(ch)
        if used + units > capacity:
            parts.append("".join(current))
            current, used = [], 0
        current.append(ch)
        used += units
    parts.append("".join(current))
    return parts
