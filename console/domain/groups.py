"""Audience groups and group messages: the rules both the console and the backend apply."""

from __future__ import annotations

from console.domain.errors import DomainError, ErrorCode

MAX_GROUP_NAME = 100
MAX_GROUP_DESCRIPTION = 1000
MAX_TITLE = 200


def normalize_group_name(name: str) -> str:
    """Inner whitespace collapsed, outer stripped; 1..100 characters."""
    text = " ".join((name or "").split())
    if not text:
        raise DomainError(ErrorCode.VALIDATION_ERROR, "name: a group needs a name")
    if len(text) > MAX_GROUP_NAME:
        raise DomainError(
            ErrorCode.VALIDATION_ERROR,
            f"name: at most {MAX_GROUP_NAME} characters (this one has {len(text)})",
        )
    return text


def group_name_key(name: str) -> str:
    """What makes two group names the same: case does not count."""
    return normalize_group_name(name).casefold()


def normalize_description(description: str | None) -> str:
    text = (description or "").strip()
    if len(text) > MAX_GROUP_DESCRIPTION:
        raise DomainError(
            ErrorCode.VALIDATION_ERROR,
            f"description: at most {MAX_GROUP_DESCRIPTION} characters",
        )
    return text


def normalize_title(title: str) -> str:
    """A group message's title (for staff reference): 1..200 characters on one line."""
    text = " ".join((title or "").split())
    if not text:
        raise DomainError(ErrorCode.VALIDATION_ERROR, "title: a group message needs a title")
    if len(text) > MAX_TITLE:
        raise DomainError(
            ErrorCode.VALIDATION_ERROR, f"title: at most {MAX_TITLE} characters"
        )
    return text
