"""Group chat participants as readers see them (live tags), and who may see a conversation.

Kept free of the change-feed writer (console.backend.events imports this module).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import ColumnElement, and_, not_, or_, select
from sqlalchemy.orm import Session

from console.backend import models
from console.backend.views import conversation_view
from console.domain.access import Actor, can_see_contacts, common_owner
from console.domain.group_chat import (
    ContactFacts,
    blocked_reason,
    out_of_rules_reason,
    participant_tags,
)
from console.protocol.conversations import Conversation, Participant

GROUP_SMS = "group_sms"


def contact_facts(row: models.Contact) -> ContactFacts:
    return ContactFacts(
        id=row.id,
        name=row.name,
        phones=tuple(p.number for p in row.phones),
        dnd=row.dnd,
        deleted=row.deleted_at is not None,
        assigned_user_id=row.assigned_user_id,
    )


def participant_rows(
    session: Session, conversation_ids: Sequence[str]
) -> dict[str, list[tuple[models.GroupChatParticipant, models.Contact]]]:
    """Each chat's frozen participants, in creation order, with their contacts as they are now."""
    out: dict[str, list[tuple[models.GroupChatParticipant, models.Contact]]] = defaultdict(list)
    if not conversation_ids:
        return out
    rows = session.execute(
        select(models.GroupChatParticipant, models.Contact)
        .join(models.Contact, models.Contact.id == models.GroupChatParticipant.contact_id)
        .where(models.GroupChatParticipant.conversation_id.in_(list(conversation_ids)))
        .order_by(models.GroupChatParticipant.conversation_id, models.GroupChatParticipant.position)
    ).all()
    for participant, contact in rows:
        out[participant.conversation_id].append((participant, contact))
    return out


def participant_views(
    pairs: Sequence[tuple[models.GroupChatParticipant, models.Contact]],
) -> list[Participant]:
    return [
        Participant(
            contact_id=contact.id,
            name=contact.name,
            phone=participant.phone,
            tags=participant_tags(participant.phone, contact_facts(contact)),
        )
        for participant, contact in pairs
    ]


def conversation_views(
    session: Session, rows: Sequence[models.Conversation]
) -> list[Conversation]:
    """Wire views of conversations; group chats carry their participants with live tags."""
    group_ids = [r.id for r in rows if r.kind == GROUP_SMS]
    groups = participant_rows(session, group_ids)
    replaced_by = _replacements(session, group_ids)
    return [
        conversation_view(
            row, participant_views(groups.get(row.id, [])), replaced_by=replaced_by.get(row.id)
        )
        if row.kind == GROUP_SMS
        else conversation_view(row)
        for row in rows
    ]


def _replacements(session: Session, ids: Sequence[str]) -> dict[str, str]:
    """{chat id: the newest chat started instead of it} (ix_conversations_replaces_id)."""
    found: dict[str, str] = {}
    for start in range(0, len(ids), 500):
        rows = session.execute(
            select(models.Conversation.replaces_id, models.Conversation.id)
            .where(models.Conversation.replaces_id.in_(ids[start : start + 500]))
            .order_by(models.Conversation.created_at, models.Conversation.id)
        )
        for replaces_id, new_id in rows:
            if replaces_id is not None:
                found[replaces_id] = new_id  # ordered oldest first: the newest is left
    return found


def full_view(session: Session, row: models.Conversation) -> Conversation:
    return conversation_views(session, [row])[0]


def group_status(
    pairs: Sequence[tuple[models.GroupChatParticipant, models.Contact]],
) -> tuple[str, str | None]:
    """`blocked` (naming who) while any participant's contact has DND on, or for good when the
    chat breaks the group chat rules (a carrier started it); `active` otherwise."""
    reason = blocked_reason([contact.name for _, contact in pairs if contact.dnd]) or (
        out_of_rules_reason([participant.phone for participant, _ in pairs])
    )
    return ("blocked", reason) if reason else ("active", None)


def feed_scope(session: Session, row: models.Conversation) -> tuple[str | None, str | None]:
    """(contact_id, owner_user_id) of the feed events about a conversation.

    An assigned-only reader gets an event when its contact_id is empty or its owner is them.
    A group chat names its first participant and, as owner, the one user all of its contacts
    are assigned to (none if they are several or unassigned): so only that user, admins and
    all-data users hear about it.
    """
    if row.kind == GROUP_SMS:
        owners = session.execute(
            select(models.Contact.id, models.Contact.assigned_user_id)
            .join(
                models.GroupChatParticipant,
                models.GroupChatParticipant.contact_id == models.Contact.id,
            )
            .where(models.GroupChatParticipant.conversation_id == row.id)
            .order_by(models.GroupChatParticipant.position)
        ).all()
        if not owners:
            return None, None
        return owners[0][0], common_owner(owner for _, owner in owners)
    if row.contact_id is None:
        return None, None
    owner = session.scalar(
        select(models.Contact.assigned_user_id).where(models.Contact.id == row.contact_id)
    )
    return row.contact_id, owner


def visible_condition(actor: Actor) -> ColumnElement[bool] | None:
    """SQL condition on `models.Conversation` for what `actor` may see (None: everything)."""
    if not actor.assigned_only:
        return None
    owned = select(models.Contact.id).where(models.Contact.assigned_user_id == actor.user_id)
    # A group chat is theirs when no participant's contact belongs to someone else (or nobody).
    foreign = (
        select(models.GroupChatParticipant.id)
        .join(models.Contact, models.Contact.id == models.GroupChatParticipant.contact_id)
        .where(
            models.GroupChatParticipant.conversation_id == models.Conversation.id,
            or_(
                models.Contact.assigned_user_id.is_(None),
                models.Contact.assigned_user_id != actor.user_id,
            ),
        )
        .correlate(models.Conversation)
        .exists()
    )
    return or_(
        and_(models.Conversation.kind != GROUP_SMS, models.Conversation.contact_id.in_(owned)),
        and_(models.Conversation.kind == GROUP_SMS, not_(foreign)),
    )


def can_see(session: Session, actor: Actor, row: models.Conversation) -> bool:
    if not actor.assigned_only:
        return True
    if row.kind == GROUP_SMS:
        owners = session.scalars(
            select(models.Contact.assigned_user_id)
            .join(
                models.GroupChatParticipant,
                models.GroupChatParticipant.contact_id == models.Contact.id,
            )
            .where(models.GroupChatParticipant.conversation_id == row.id)
        ).all()
        return bool(owners) and can_see_contacts(actor, owners)
    if row.contact_id is None:
        return False
    owner = session.scalar(
        select(models.Contact.assigned_user_id).where(models.Contact.id == row.contact_id)
    )
    return owner == actor.user_id
