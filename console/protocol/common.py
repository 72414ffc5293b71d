"""Shared pieces of the wire contract: problem details, pages, timestamps."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

T = TypeVar("T")

PROBLEM_CONTENT_TYPE = "application/problem+json"
IDEMPOTENCY_HEADER = "Idempotency-Key"
DEFAULT_LIMIT = 50
MAX_LIMIT = 500


def utcnow() -> datetime:
    return datetime.now(UTC)


class WireModel(BaseModel):
    # Unknown fields are ignored on read so an older console keeps working with a newer backend.
    model_config = ConfigDict(extra="ignore", from_attributes=True)


class Problem(WireModel):
    type: str = "about:blank"
    title: str
    status: int
    detail: str = ""
    code: str
    errors: list[dict[str, object]] | None = None


class Page(WireModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = None


class Health(WireModel):
    status: str = Field(default="ok")
