"""Phone numbers: parse what people type into E.164, check region, format for display."""

from __future__ import annotations

from functools import lru_cache

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat

from console.domain.errors import DomainError, ErrorCode

DEFAULT_REGION = "US"
# Group SMS (and our business numbers) are limited to the NANP countries the seed names.
SMS_GROUP_REGIONS = frozenset({"US", "CA"})
MAX_INPUT_LENGTH = 64


def parse_phone(text: str, region: str = DEFAULT_REGION) -> str:
    """Return the E.164 form of `text`, or raise DomainError(invalid_phone)."""
    raw = (text or "").strip()
    if not raw or len(raw) > MAX_INPUT_LENGTH:
        raise DomainError(ErrorCode.INVALID_PHONE, f"{text!r} is not a phone number")
    try:
        number = phonenumbers.parse(raw, region)
    except NumberParseException as exc:
        raise DomainError(ErrorCode.INVALID_PHONE, f"{text!r} is not a phone number") from exc
    if not phonenumbers.is_valid_number(number):
        raise DomainError(ErrorCode.INVALID_PHONE, f"{text!r} is not a valid phone number")
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def try_parse_phone(text: str, region: str = DEFAULT_REGION) -> str | None:
    try:
        return parse_phone(text, region)
    except DomainError:
        return None


def region_of(e164: str) -> str | None:
    """ISO region code of an E.164 number ("US", "CA", "GB", ...), None if unknown."""
    try:
        number = phonenumbers.parse(e164, None)
    except NumberParseException:
        return None
    return phonenumbers.region_code_for_number(number)


def is_us_or_canada(e164: str) -> bool:
    return region_of(e164) in SMS_GROUP_REGIONS


def require_us_or_canada(e164: str) -> None:
    if not is_us_or_canada(e164):
        raise DomainError(
            ErrorCode.REGION_NOT_SUPPORTED, f"{e164} is not a US or Canada number"
        )


@lru_cache(maxsize=4096)
def format_display(e164: str) -> str:
    """Human form: national format for NANP numbers, international otherwise.

    Cached: a list refresh formats every row's numbers (~0.3 ms each with phonenumbers), the
    same few thousand numbers again and again, on the GUI thread during a sync."""
    try:
        number = phonenumbers.parse(e164, None)
    except NumberParseException:
        return e164
    if number.country_code == 1:
        return phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)


def digits_fragment(text: str) -> str:
    """The digits of a search fragment, for matching against stored E.164 numbers.

    Only a fragment that reads as a number (digits, spaces, + - . ( ) /) has any: "Apt 4B" or
    "Maria 2" is a name search, and matching every number holding a 4 would bury the result.
    """
    if any(ch.isalpha() for ch in text):
        return ""
    return "".join(ch for ch in text if ch.isdigit())
