"""List paging: `limit` (default 50, max 500) and an opaque keyset `cursor`."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from datetime import datetime
from typing import Annotated, Any, TypeVar

from fastapi import Query

from console.domain.errors import DomainError, ErrorCode
from console.protocol.common import DEFAULT_LIMIT, MAX_LIMIT

T = TypeVar("T")

LimitParam = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Page size")]
CursorParam = Annotated[
    str | None, Query(max_length=500, description="`next_cursor` of the previous page")
]
DEFAULT_PAGE = DEFAULT_LIMIT


def encode_cursor(*values: str | int | datetime | None) -> str:
    plain = [v.isoformat() if isinstance(v, datetime) else v for v in values]
    raw = json.dumps(plain, separators=(",", ":")).encode()
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
                parsed = datetime.fromisoformat(value)
                if parsed.tzinfo is None:
                    raise ValueError("naive time")
                out.append(parsed)
            elif not isinstance(value, kind):
                raise ValueError("wrong type")
            else:
                out.append(value)
        return out
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError) as exc:
        raise DomainError(
            ErrorCode.VALIDATION_ERROR, "cursor: not a cursor from this list"
        ) from exc


def split_page(rows: Sequence[T], limit: int) -> tuple[list[T], bool]:
    """Rows were fetched with limit+1: return the page and whether more follow."""
    return list(rows[:limit]), len(rows) > limit
