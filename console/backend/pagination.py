"""List paging: `limit` (default 50, max 500) and an opaque keyset `cursor`; time parameters.

A cursor is opaque to clients but anyone can craft one, so what it decodes to is checked as
strictly as any other input before it reaches a query: a time that overflows when moved to UTC,
a bool posing as an int, an int past 64 bits, a NUL or a lone surrogate in a string (which the
NUL guard cannot see inside base64) each made a 500 on one database or both, as did JSON nested
deeper than the parser recurses.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Annotated, Any, TypeVar

from fastapi import Query
from pydantic import AfterValidator

from console.domain.errors import DomainError, ErrorCode
from console.protocol.common import DEFAULT_LIMIT, MAX_LIMIT

T = TypeVar("T")

LimitParam = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Page size")]
# Room for the longest cursor we hand out: a 400-character name key (contacts) of up to 4
# UTF-8 bytes a character, or 6 for an escaped control character, in base64 (< 3400).
MAX_CURSOR = 4096
CursorParam = Annotated[
    str | None, Query(max_length=MAX_CURSOR, description="`next_cursor` of the previous page")
]
DEFAULT_PAGE = DEFAULT_LIMIT
# What a BIGINT column holds on both databases (SQLite INTEGER is 64-bit signed too).
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1


def utc_time(value: datetime) -> datetime:
    """An aware time moved to UTC; ValueError if naive or out of range once in UTC (an offset
    can push 9999-12-31 into year 10000, which neither datetime nor the columns hold)."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("give a time zone (e.g. Z)")
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise ValueError("out of range once moved to UTC") from None


def _optional_utc_time(value: datetime | None) -> datetime | None:
    return None if value is None else utc_time(value)


# A time query parameter (e.g. `since`): aware, in range, handed to routes in UTC.
TimeParam = Annotated[datetime | None, AfterValidator(_optional_utc_time)]


def _checked_text(value: str) -> str:
    if "\x00" in value:
        raise ValueError("NUL character")
    value.encode("utf-8")  # UnicodeEncodeError (a ValueError) for lone surrogates
    return value


def encode_cursor(*values: str | int | datetime | None) -> str:
    plain = [v.isoformat() if isinstance(v, datetime) else v for v in values]
    # UTF-8, not \u escapes: an escaped astral character takes 12 bytes instead of 4.
    raw = json.dumps(plain, separators=(",", ":"), ensure_ascii=False).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, shape: Sequence[type]) -> list[Any]:
    """Values of a cursor made by `encode_cursor`, checked against `shape`; 422 if not ours."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
        if not isinstance(values, list) or len(values) != len(shape):
            raise ValueError("wrong shape")
        out: list[Any] = []
        for value, kind in zip(values, shape, strict=True):
            if kind is datetime:
                out.append(utc_time(datetime.fromisoformat(value)))
            elif kind is int:
                # bool is an int to Python, not to PostgreSQL; past 64 bits no column holds it.
                if type(value) is not int or not INT64_MIN <= value <= INT64_MAX:
                    raise ValueError("not a 64-bit integer")
                out.append(value)
            elif kind is str:
                if not isinstance(value, str):
                    raise ValueError("wrong type")
                out.append(_checked_text(value))
            elif not isinstance(value, kind):
                raise ValueError("wrong type")
            else:
                out.append(value)
        return out
    # RecursionError: JSON nested deeper than the parser recurses (a few thousand `[`), which
    # fits in a cursor; no cursor of ours nests at all.
    except (ValueError, TypeError, OverflowError, RecursionError, binascii.Error) as exc:
        raise DomainError(
            ErrorCode.VALIDATION_ERROR, "cursor: not a cursor from this list"
        ) from exc


def split_page(rows: Sequence[T], limit: int) -> tuple[list[T], bool]:
    """Rows were fetched with limit+1: return the page and whether more follow."""
    return list(rows[:limit]), len(rows) > limit
