"""Audience groups and group messages: the rules both the console and the backend apply."""

from __future__ import annotations

from console.domain.access import Actor
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


def require_group_manager(
    actor: Actor, *, created_by_user_id: str | None, holds_others_people: bool
) -> None:
    """Who may rename or delete an audience group (403 `forbidden` otherwise).

    Admins and users with access to all data: any group. A user with assigned-only access: a
    group they created, and only while it holds nobody assigned to someone else (or to no one),
    so they never change or remove what reaches people they may not see.
    """
    if not actor.assigned_only:
        return
    if created_by_user_id != actor.user_id:
        raise DomainError(
            ErrorCode.FORBIDDEN,
            "With assigned-only access you can rename or delete only groups you created.",
        )
    if holds_others_people:
        raise DomainError(
            ErrorCode.FORBIDDEN,
            "With assigned-only access you can rename or delete a group only while everyone "
            "in it is assigned to you.",
        )
