"""Email addresses people and staff give us: exactly one plain address, or refused.

What is stored is later put in a `To:` header and handed to an SMTP server, so anything a mail
parser reads as more than one address is dangerous: a line break starts a new header (the
notification never went, its job died after 8 tries with the delivery left pending), and a
comma-separated list mailed every address in it. So an address is checked against the
addr-spec grammar (RFC 5321/5322 dot-atom form, no quoting, no comments, no display name),
and the stdlib's mail header parser must read it back as that same single address.

Deliberately narrower than the RFCs: ASCII only (an internationalized address needs SMTPUTF8,
which our SMTP server may not offer) and no quoted local parts or address literals.
"""

from __future__ import annotations

import re
from email.errors import HeaderParseError
from email.headerregistry import Address

from console.domain.errors import DomainError, ErrorCode

MAX_ADDRESS = 254  # RFC 5321: a path is at most 256 octets including the angle brackets
MAX_LOCAL = 64
MAX_LABEL = 63
_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LOCAL = re.compile(rf"{_ATOM}(?:\.{_ATOM})*")
_LABEL = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?")


class InvalidEmail(ValueError):
    """Not one plain email address; the message says why."""


def parse_email(text: str) -> str:
    """`text` stripped of outer spaces if it is exactly one plain address; InvalidEmail if not."""
    value = text.strip()
    if not value:
        raise InvalidEmail("empty")
    if not value.isascii() or not value.isprintable() or any(ch.isspace() for ch in value):
        raise InvalidEmail("one address, with no spaces, line breaks or non-ASCII characters")
    if len(value) > MAX_ADDRESS:
        raise InvalidEmail(f"at most {MAX_ADDRESS} characters")
    local, at, domain = value.rpartition("@")
    if not at or not local or not domain:
        raise InvalidEmail("give an address like name@example.com")
    if len(local) > MAX_LOCAL or _LOCAL.fullmatch(local) is None:
        raise InvalidEmail(
            "one address like name@example.com, without a display name, quotes or a list"
        )
    labels = domain.split(".")
    if (
        len(labels) < 2
        or any(len(label) > MAX_LABEL or _LABEL.fullmatch(label) is None for label in labels)
        or labels[-1].isdigit()
    ):
        raise InvalidEmail(f"{domain!r} is not a mail domain")
    # The header parser SMTP libraries use must see this one address and nothing more.
    try:
        parsed = Address(addr_spec=value)
    except (HeaderParseError, ValueError, IndexError) as exc:
        raise InvalidEmail("give an address like name@example.com") from exc
    if parsed.addr_spec != value or parsed.display_name:
        raise InvalidEmail("give an address like name@example.com")
    return value


def checked_email(text: str, field: str = "email") -> str:
    """`parse_email` as a 422 `validation_error` naming `field`."""
    try:
        return parse_email(text)
    except InvalidEmail as exc:
        raise DomainError(
            ErrorCode.VALIDATION_ERROR, f"{field}: not a single email address ({exc})"
        ) from None
