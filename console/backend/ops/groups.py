"""Audience groups and their members.

Every signed-in user sees every group (its name, description and size); an assigned-only user
sees and changes only the memberships of contacts assigned to them, and renames or deletes only
a group they created while it holds nobody else's people (console.domain.groups).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session

from console.backend import events, models
from console.backend.ids import new_id
from console.backend.models import utcnow
from console.backend.ops.contacts import find_contact
from console.domain.access import Actor
from console.domain.errors import DomainError, ErrorCode
from console.domain.groups import (
    group_name_key,
    normalize_description,
    normalize_group_name,
    require_group_manager,
)
from console.protocol.groups import Group, GroupCreate, GroupMember, GroupPatch

GROUP_UPSERTED = "group.upserted"
GROUP_DELETED = "group.deleted"
MEMBER_ADDED = "group.member_added"
MEMBER_REMOVED = "group.member_removed"


# --- views and events ---


def member_counts(session: Session, group_ids: Sequence[str]) -> dict[str, int]:
    """Live members (deleted contacts do not count) of each group."""
    if not group_ids:
        return {}
    rows = session.execute(
        select(models.GroupMember.group_id, func.count())
        .join(models.Contact, models.Contact.id == models.GroupMember.contact_id)
        .where(models.GroupMember.group_id.in_(group_ids), models.Contact.deleted_at.is_(None))
        .group_by(models.GroupMember.group_id)
    ).all()
    counts = {group_id: 0 for group_id in group_ids}
    counts.update({group_id: count for group_id, count in rows})
    return counts


def group_view(row: models.AudienceGroup, member_count: int) -> Group:
    return Group(
        id=row.id,
        name=row.name,
        description=row.description,
        member_count=member_count,
        created_at=row.created_at,
        updated_at=row.updated_at,
        deleted=row.deleted_at is not None,
    )


def views_of(session: Session, rows: Sequence[models.AudienceGroup]) -> list[Group]:
    counts = member_counts(session, [row.id for row in rows])
    return [group_view(row, counts[row.id]) for row in rows]


def member_view(row: models.GroupMember, contact: models.Contact) -> GroupMember:
    return GroupMember(
        group_id=row.group_id, contact_id=row.contact_id, contact_name=contact.name,
        added_at=row.added_at,
    )


def group_changed(session: Session, row: models.AudienceGroup) -> None:
    # Groups carry no contact: every user's feed gets them (names are not personal data).
    kind = GROUP_DELETED if row.deleted_at is not None else GROUP_UPSERTED
    view = group_view(row, member_counts(session, [row.id])[row.id])
    events.record(session, kind, row.id, view)


def member_changed(
    session: Session, kind: str, row: models.GroupMember, contact: models.Contact
) -> None:
    # Tagged with the contact, so only those who may see the person hear about it.
    events.record(
        session, kind, row.group_id, member_view(row, contact), contact_id=contact.id,
        owner_user_id=events.owner_now(session, contact.id),
    )


# --- groups ---


def live_groups() -> Select[models.AudienceGroup]:
    return select(models.AudienceGroup).where(models.AudienceGroup.deleted_at.is_(None))


def ordered(query: Select[models.AudienceGroup]) -> Select[models.AudienceGroup]:
    return query.order_by(models.AudienceGroup.live_name_key, models.AudienceGroup.id)


def after_cursor(
    query: Select[models.AudienceGroup], key: str, group_id: str
) -> Select[models.AudienceGroup]:
    name = models.AudienceGroup.live_name_key
    return query.where(or_(name > key, and_(name == key, models.AudienceGroup.id > group_id)))


def find_group(session: Session, group_id: str) -> models.AudienceGroup:
    row = session.get(models.AudienceGroup, group_id)
    if row is None or row.deleted_at is not None:
        raise DomainError(ErrorCode.NOT_FOUND, f"No group {group_id!r}.")
    return row


def _require_free_name(session: Session, key: str, except_id: str | None = None) -> None:
    clash = session.scalar(
        select(models.AudienceGroup.name).where(models.AudienceGroup.live_name_key == key)
        .where(models.AudienceGroup.id != (except_id or ""))
    )
    if clash is not None:
        raise DomainError(ErrorCode.CONFLICT, f"There is already a group named {clash!r}.")


def create_group(session: Session, actor: Actor, data: GroupCreate) -> models.AudienceGroup:
    name = normalize_group_name(data.name)
    key = group_name_key(name)
    _require_free_name(session, key)
    now = utcnow()
    row = models.AudienceGroup(
        id=new_id("grp"), name=name, live_name_key=key,
        description=normalize_description(data.description), created_by_user_id=actor.user_id,
        created_at=now, updated_at=now,
    )
    session.add(row)
    session.flush()
    group_changed(session, row)
    return row


def _require_manager(session: Session, actor: Actor, row: models.AudienceGroup) -> None:
    """403 unless `actor` may rename or delete the group (console.domain.groups)."""
    others = None
    if actor.assigned_only:
        others = session.scalar(
            select(models.GroupMember.contact_id)
            .join(models.Contact, models.Contact.id == models.GroupMember.contact_id)
            .where(
                models.GroupMember.group_id == row.id,
                models.Contact.deleted_at.is_(None),
                or_(
                    models.Contact.assigned_user_id.is_(None),
                    models.Contact.assigned_user_id != actor.user_id,
                ),
            )
            .limit(1)
        )
    require_group_manager(
        actor, created_by_user_id=row.created_by_user_id, holds_others_people=others is not None
    )


def patch_group(
    session: Session, actor: Actor, group_id: str, patch: GroupPatch
) -> models.AudienceGroup:
    row = find_group(session, group_id)
    _require_manager(session, actor, row)
    changed = False
    if patch.name is not None:
        name = normalize_group_name(patch.name)
        key = group_name_key(name)
        if name != row.name:
            _require_free_name(session, key, except_id=row.id)
            row.name, row.live_name_key, changed = name, key, True
    if patch.description is not None:
        description = normalize_description(patch.description)
        if description != row.description:
            row.description, changed = description, True
    if changed:
        row.updated_at = utcnow()
        session.flush()
        group_changed(session, row)
    return row


def delete_group(session: Session, actor: Actor, group_id: str) -> None:
    """Soft delete: sent group messages keep pointing at it; its name becomes free."""
    row = find_group(session, group_id)
    _require_manager(session, actor, row)
    row.deleted_at = row.updated_at = utcnow()
    row.live_name_key = None
    session.flush()
    group_changed(session, row)


# --- members ---


def _member_contact(session: Session, actor: Actor, contact_id: str) -> models.Contact:
    """The contact named in a membership change: 403 if not the caller's, 404 if unknown."""
    row = session.get(models.Contact, contact_id)
    if row is not None and row.deleted_at is None and actor.assigned_only \
            and row.assigned_user_id != actor.user_id:
        raise DomainError(
            ErrorCode.CONTACT_NOT_ASSIGNED, f"Contact {contact_id!r} is not assigned to you."
        )
    return find_contact(session, actor, contact_id)


def visible_members(
    actor: Actor, group_id: str
) -> Select[models.GroupMember, models.Contact]:
    query = (
        select(models.GroupMember, models.Contact)
        .join(models.Contact, models.Contact.id == models.GroupMember.contact_id)
        .where(models.GroupMember.group_id == group_id, models.Contact.deleted_at.is_(None))
    )
    if actor.assigned_only:
        query = query.where(models.Contact.assigned_user_id == actor.user_id)
    return query.order_by(models.Contact.name_key, models.Contact.id)


def members_after(
    query: Select[models.GroupMember, models.Contact], key: str, contact_id: str
) -> Select[models.GroupMember, models.Contact]:
    name = models.Contact.name_key
    return query.where(or_(name > key, and_(name == key, models.Contact.id > contact_id)))


def add_member(
    session: Session, actor: Actor, group_id: str, contact_id: str
) -> tuple[GroupMember, bool]:
    """Idempotent: True when the person was added now, False when already a member."""
    group = find_group(session, group_id)
    contact = _member_contact(session, actor, contact_id)
    row = session.get(models.GroupMember, (group.id, contact.id))
    if row is not None:
        return member_view(row, contact), False
    row = models.GroupMember(
        group_id=group.id, contact_id=contact.id, added_by_user_id=actor.user_id,
        added_at=utcnow(),
    )
    session.add(row)
    session.flush()
    member_changed(session, MEMBER_ADDED, row, contact)
    group_changed(session, group)  # its member count moved
    return member_view(row, contact), True


def remove_member(session: Session, actor: Actor, group_id: str, contact_id: str) -> None:
    """Idempotent: removing someone who is not a member changes nothing."""
    group = find_group(session, group_id)
    contact = _member_contact(session, actor, contact_id)
    row = session.get(models.GroupMember, (group.id, contact.id))
    if row is None:
        return
    view_row = models.GroupMember(
        group_id=row.group_id, contact_id=row.contact_id, added_at=row.added_at
    )
    session.delete(row)
    session.flush()
    member_changed(session, MEMBER_REMOVED, view_row, contact)
    group_changed(session, group)


def groups_of_contact(
    session: Session, actor: Actor, contact_id: str
) -> list[models.AudienceGroup]:
    contact = find_contact(session, actor, contact_id)
    query = ordered(
        live_groups().join(
            models.GroupMember, models.GroupMember.group_id == models.AudienceGroup.id
        ).where(models.GroupMember.contact_id == contact.id)
    )
    return list(session.scalars(query).all())
