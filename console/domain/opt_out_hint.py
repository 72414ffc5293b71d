"""The opt-out hint a business number may add to the first text it sends in a conversation
("Reply STOP to opt out."): one rule for the backend, which adds it, and the console, which
counts it in the segment counter before the send."""

from __future__ import annotations

from console.domain.errors import DomainError, ErrorCode
from console.domain.sms import MAX_BODY_CHARS

DEFAULT_HINT = "Reply STOP to opt out."
MAX_HINT_CHARS = 160
SEPARATOR = "\n\n"
# DomainError.hint of the refusals below, for a console to word them.
HINT_TOO_LONG = "hint_too_long"
HINT_WITHOUT_STOP = "hint_without_stop"


def normalize_hint(text: str) -> str:
    """A hint as kept ("" turns it off). It must say how to opt out: carriers expect the word
    STOP, and a hint that does not tell people how is no hint."""
    hint = " ".join(text.split())
    if not hint:
        return ""
    if len(hint) > MAX_HINT_CHARS:
        raise DomainError(ErrorCode.VALIDATION_ERROR,
                          f"opt_out_hint: at most {MAX_HINT_CHARS} characters",
                          hint=HINT_TOO_LONG)
    if "stop" not in hint.casefold():
        raise DomainError(ErrorCode.VALIDATION_ERROR,
                          "opt_out_hint: say how to opt out, with the word STOP",
                          hint=HINT_WITHOUT_STOP)
    return hint


def with_hint(body: str, hint: str) -> str:
    """`body` as it goes when it is the conversation's first text (`hint` "" : unchanged)."""
    return f"{body}{SEPARATOR}{hint}" if hint else body


def check_length(body: str, hint: str) -> None:
    """A first text and its hint together stay within what one message may hold."""
    total = len(with_hint(body, hint))
    if hint and total > MAX_BODY_CHARS:
        raise DomainError(
            ErrorCode.VALIDATION_ERROR,
            f"body: with the opt-out hint this text is {total} characters (at most "
            f"{MAX_BODY_CHARS}); shorten it by {total - MAX_BODY_CHARS}",
        )
