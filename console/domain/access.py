"""Who may do what: shared by the backend (the law) and the console (early checks).

Admins see and use everything. A user may send from the default number, numbers assigned to
them and unassigned numbers. A user with "assigned" data access sees only contacts assigned to
them (and so only conversations with those contacts, and only group chats whose contacts are
all theirs).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

ADMIN = "admin"
ASSIGNED_ONLY = "assigned"


@dataclass(frozen=True, slots=True)
class Actor:
    user_id: str
    role: str  # "admin" | "user"
    data_access: str  # "all" | "assigned"

    @property
    def is_admin(self) -> bool:
        return self.role == ADMIN

    @property
    def assigned_only(self) -> bool:
        """True when the actor's view of people is limited to the contacts assigned to them."""
        return not self.is_admin and self.data_access == ASSIGNED_ONLY


def can_send_from(actor: Actor, *, is_default: bool, assigned_user_id: str | None) -> bool:
    if actor.is_admin or is_default:
        return True
    return assigned_user_id is None or assigned_user_id == actor.user_id


def can_see_contact(actor: Actor, *, assigned_user_id: str | None) -> bool:
    return not actor.assigned_only or assigned_user_id == actor.user_id


def can_see_contacts(actor: Actor, assigned_user_ids: Iterable[str | None]) -> bool:
    """A conversation with several people (a group SMS chat) is visible when every one is."""
    return all(can_see_contact(actor, assigned_user_id=owner) for owner in assigned_user_ids)


def common_owner(assigned_user_ids: Iterable[str | None]) -> str | None:
    """The one user every contact is assigned to, if there is one (None for none or several).

    It is who, besides admins and all-data users, may see a group chat of these contacts.
    """
    owners = set(assigned_user_ids)
    if len(owners) != 1:
        return None
    return next(iter(owners))
