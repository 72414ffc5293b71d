"""Message body rules shared by compose (early check) and the backend (the law)."""

from __future__ import annotations

from enum import StrEnum

from console.domain.errors import DomainError, ErrorCode
from console.domain.sms import MAX_BODY_CHARS

# An internal note's longest text (the wire's NoteCreate says the same: a test holds them
# equal); here so the window can count without loading the wire models.
NOTE_MAX_CHARS = 4000

class MessageStatus(StrEnum):
    PENDING = "pending"  # local only: composed, not yet accepted by the backend
    QUEUED = "queued"
    SENT = "sent"
    DELIVERED = "delivered"
    FAILED = "failed"
    UNDELIVERED = "undelivered"
    RECEIVED = "received"  # inbound


class Direction(StrEnum):
    IN = "in"
    OUT = "out"


# A conversation's preview of its newest message: the backend stores it, and a console that
# learns of a message before (or instead of) its thread's event derives the same text.
PREVIEW_CHARS = 120


def preview_of(body: str) -> str:
    return " ".join(body.split())[:PREVIEW_CHARS]


def normalize_body(body: str) -> str:
    """Strip outer whitespace; reject empty or oversized bodies."""
    text = (body or "").strip()
    if not text:
        raise DomainError(ErrorCode.VALIDATION_ERROR, "A message needs some text.")
    if len(text) > MAX_BODY_CHARS:
        raise DomainError(
            ErrorCode.VALIDATION_ERROR,
            f"A message can be at most {MAX_BODY_CHARS} characters (this one has {len(text)}).",
        )
    return text
