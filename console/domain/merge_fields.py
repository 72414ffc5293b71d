"""Merge fields in templates and group messages: `{first_name}` and its three siblings.

One definition for the backend (which fills each recipient's copy of a group message) and the
console (which fills a template inserted into compose and previews each recipient's text), so
the preview is exactly what is sent. `{{` and `}}` write a literal brace.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from console.domain.errors import DomainError, ErrorCode

FIRST_NAME = "first_name"
LAST_NAME = "last_name"
AGENT_NAME = "agent_name"
BUSINESS_NUMBER = "business_number"
FIELDS: tuple[str, ...] = (FIRST_NAME, LAST_NAME, AGENT_NAME, BUSINESS_NUMBER)
# The fields that name the person a text goes to (one per recipient), against the sender's.
PERSONAL_FIELDS: frozenset[str] = frozenset({FIRST_NAME, LAST_NAME})

# `{{`, `}}`, or `{name}` with anything between the braces (so a typo is found, not sent).
_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}")


@dataclass(frozen=True, slots=True)
class Rendered:
    text: str
    missing: tuple[str, ...]  # fields the text used that had no value (left empty), in order


def unknown_fields(body: str) -> tuple[str, ...]:
    """`{name}` tokens that are not merge fields, in order of first use (none: the body is fine)."""
    seen: list[str] = []
    for match in _TOKEN.finditer(body):
        name = match.group(1)
        if name is not None and name.strip() not in FIELDS and name not in seen:
            seen.append(name)
    return tuple(seen)


def fields_used(body: str) -> tuple[str, ...]:
    seen: list[str] = []
    for match in _TOKEN.finditer(body):
        name = (match.group(1) or "").strip()
        if name in FIELDS and name not in seen:
            seen.append(name)
    return tuple(seen)


def uses_fields(body: str) -> bool:
    return bool(fields_used(body))


def render(body: str, values: Mapping[str, str | None]) -> Rendered:
    """The body with each field filled; a field without a value becomes empty and is reported.

    Unknown `{tokens}` stay as written (callers refuse them first with `unknown_fields`). The
    space a missing field leaves beside punctuation is tidied ("Hi {first_name}," -> "Hi,").
    """
    missing: list[str] = []

    def fill(match: re.Match[str]) -> str:
        token = match.group(0)
        if token == "{{":
            return "{"
        if token == "}}":
            return "}"
        name = (match.group(1) or "").strip()
        if name not in FIELDS:
            return token
        value = (values.get(name) or "").strip()
        if not value and name not in missing:
            missing.append(name)
        return value

    text = _TOKEN.sub(fill, body)
    if missing:
        text = _tidy(text)
    return Rendered(text=text, missing=tuple(missing))


_SPACE_BEFORE_PUNCT = re.compile(r"[ \t]+([,.!?;:])")
_DOUBLE_SPACE = re.compile(r"[ \t]{2,}")


def _tidy(text: str) -> str:
    text = _SPACE_BEFORE_PUNCT.sub(r"\1", text)
    text = _DOUBLE_SPACE.sub(" ", text)
    return "\n".join(line.strip() for line in text.split("\n"))


def split_name(name: str | None) -> tuple[str | None, str | None]:
    """A contact's one name field as first and last name: the first word, and the rest.

    A name that is a phone number (or has no letters at all) is no name: both are missing.
    """
    words = (name or "").split()
    if not words or not any(ch.isalpha() for ch in "".join(words)):
        return None, None
    first = words[0]
    last = " ".join(words[1:]) or None
    return first, last


def person_values(
    name: str | None, *, agent_name: str | None, business_number: str | None
) -> dict[str, str | None]:
    first, last = split_name(name)
    return {
        FIRST_NAME: first,
        LAST_NAME: last,
        AGENT_NAME: agent_name or None,
        BUSINESS_NUMBER: business_number or None,
    }


def joined_first_names(names: list[str | None], *, and_word: str = "and") -> str | None:
    """Everyone's first name as one phrase ("Ana, Ben and Cy"), for a text all of them read.

    None when any of them has no first name: the phrase would leave someone out.
    """
    firsts = [split_name(name)[0] for name in names]
    if not firsts or any(first is None for first in firsts):
        return None
    present = [first for first in firsts if first is not None]
    if len(present) == 1:
        return present[0]
    return f"{', '.join(present[:-1])} {and_word} {present[-1]}"


def check_merge_fields(body: str) -> bool:
    """Whether `body` uses merge fields (each recipient then gets their own words); a DomainError
    naming the tokens that are not merge fields (`{{` writes a brace)."""
    unknown = unknown_fields(body)
    if unknown:
        names = ", ".join("{" + name + "}" for name in unknown)
        known = ", ".join("{" + name + "}" for name in FIELDS)
        raise DomainError(
            ErrorCode.UNKNOWN_MERGE_FIELD,
            f"{names} is not a merge field (they are {known}; write {{{{ for a brace)",
            hint=",".join(unknown),
        )
    return uses_fields(body)
