"""SMS segment arithmetic, so compose can show what a message will cost before it is sent."""

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

GSM7_SINGLE = 160
GSM7_MULTI = 153
UCS2_SINGLE = 70
UCS2_MULTI = 67
MAX_BODY_CHARS = 1600


@dataclass(frozen=True, slots=True)
class SegmentInfo:
    encoding: str  # "GSM-7" or "UCS-2"
    units: int  # septets for GSM-7, UTF-16 code units for UCS-2
    segments: int
    remaining: int  # units left in the current segment


def is_gsm7(text: str) -> bool:
    return all(ch in _GSM_BASIC_SET or ch in _GSM_EXTENDED_SET for ch in text)


def _utf16_units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def segment_info(text: str) -> SegmentInfo:
    if is_gsm7(text):
        units = sum(2 if ch in _GSM_EXTENDED_SET else 1 for ch in text)
        single, multi, encoding = GSM7_SINGLE, GSM7_MULTI, "GSM-7"
    else:
        units = _utf16_units(text)
        single, multi, encoding = UCS2_SINGLE, UCS2_MULTI, "UCS-2"
    if units == 0:
        return SegmentInfo(encoding, 0, 0, single)
    if units <= single:
        return SegmentInfo(encoding, units, 1, single - units)
    segments = -(-units // multi)
    return SegmentInfo(encoding, units, segments, segments * multi - units)
