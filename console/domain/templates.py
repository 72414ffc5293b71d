"""Message templates as the console shows them, and what may be refused when saving one."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

NAME_MAX = 100
BODY_MAX = 1600


class TemplateProblem(StrEnum):
    """Why a template could not be saved (DomainError.hint): console/ui words each."""

    NO_NAME = "no_name"
    NO_BODY = "no_body"
    UNKNOWN_FIELD = "unknown_field"  # a `{token}` that is not a merge field
    NAME_TAKEN = "name_taken"  # another template of the same scope has that name
    NOT_YOURS = "not_yours"  # a shared template: only admins change it
    GONE = "gone"


@dataclass(frozen=True, slots=True)
class TemplateItem:
    id: str
    name: str
    body: str
    shared: bool
    owner_user_id: str | None = None
    local: bool = False  # written here, not yet accepted by the server (in the outbox)


def name_key(name: str) -> str:
    return " ".join(name.split()).casefold()
