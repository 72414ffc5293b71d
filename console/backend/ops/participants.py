"""Group chat participants as readers see them (live tags), and who may see a conversation.

Kept free of the change-feed writer (console.backend.events imports this module).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from sqlalchemy import ColumnElement, and_, not_, or_, select
from sqlalchemy.orm import Session

from console.backend import models
from console.backend.views import conversation_view
from console.domain.access import Actor, can_see_contacts, common_owner
from console.domain.group_chat import (
    ContactFacts,
    ContactSnapshot,
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


def snapshot_columns(contact: models.Contact) -> dict[str, str]:
    """The `GroupChatParticipant` columns that keep the contact as it is now (at creation)."""
    return {"name_then": contact.name, "phones_then": ",".join(p.number for p in contact.phones)}


def snapshot_of(participant: models.GroupChatParticipant) -> ContactSnapshot | None:
    if participant.name_then is None or participant.phones_then is None:
        return None
    phones = tuple(p for p in participant.phones_then.split(",") if p)
    return ContactSnapshot(name=participant.name_then, phones=phones)


def participant_views(
    pairs: Sequence[tuple[models.GroupChatParticipant, models.Contact]],
) -> list[Participant]:
    views = []
    for participant, contact in pairs:
        snapshot = snapshot_of(participant)
        views.append(
            Participant(
                contact_id=contact.id,
                name=contact.name,
                phone=participant.phone,
                tags=participant_tags(participant.phone, contact_facts(contact), snapshot),
                name_then=snapshot.name if snapshot else None,
                phones_then=list(snapshot.phones) if snapshot else None,
            )
        )
    return views


def conversation_views(
    session: Session, rows: Sequence[models.Conversation], reader: Actor | None = None
) -> list[Conversation]:
    """Wire views of conversations; group chats carry their participants with live tags.

    `replaces` / `replaced_by` name another chat only if `reader` (a request's caller) may see
    it, null otherwise. With no reader (a change-feed event, stored once for many readers)
    they are left whole: the feed fits them to each reader as it serves them
    (console.backend.chat_links), by the same rule."""
    group_ids = [r.id for r in rows if r.kind == GROUP_SMS]
    groups = participant_rows(session, group_ids)
    # The newest replacement the reader may see, not the newest one then hidden: an older
    # one they do see is still the chat started instead of this one, for them.
    replaced_by = replacements(session, group_ids, reader)
    linked = {r.replaces_id for r in rows if r.replaces_id is not None}
    unseen = unseen_chats(session, reader, linked) if reader is not None else set()
    views = []
    for row in rows:
        if row.kind != GROUP_SMS:
            views.append(conversation_view(row))
            continue
        view = conversation_view(
            row, participant_views(groups.get(row.id, [])), replaced_by=replaced_by.get(row.id)
        )
        if view.replaces is not None and view.replaces in unseen:
            view = view.model_copy(update={"replaces": None})
        views.append(view)
    return views


def replacements(
    session: Session, ids: Sequence[str], reader: Actor | None = None
) -> dict[str, str]:
    """{chat id: the newest chat started instead of it that `reader` may see (any reader's
    with None)} (ix_conversations_replaces_id)."""
    condition = visible_condition(reader) if reader is not None else None
    found: dict[str, str] = {}
    for start in range(0, len(ids), 500):
        query = (
            select(models.Conversation.replaces_id, models.Conversation.id)
            .where(models.Conversation.replaces_id.in_(ids[start : start + 500]))
            .order_by(models.Conversation.created_at, models.Conversation.id)
        )
        if condition is not None:
            query = query.where(condition)
        for replaces_id, new_id in session.execute(query):
            if replaces_id is not None:
                found[replaces_id] = new_id  # ordered oldest first: the newest is left
    return found


def unseen_chats(session: Session, reader: Actor, ids: Iterable[str]) -> set[str]:
    """Those of `ids` that `reader` may not see (unknown ids included): a view for them names
    no such chat, even by id."""
    wanted = sorted(set(ids))
    condition = visible_condition(reader)
    if not wanted or condition is None:
        return set()
    seen: set[str] = set()
    for start in range(0, len(wanted), 500):
        seen.update(
            session.scalars(
                select(models.Conversation.id).where(
                    models.Conversation.id.in_(wanted[start : start + 500]), condition
                )
            ).all()
        )
    return set(wanted) - seen


def full_view(
    session: Session, row: models.Conversation, reader: Actor | None = None
) -> Conversation:
    """One conversation's wire view: for `reader`, or for its feed event (see
    conversation_views)."""
    return conversation_views(session, [row], reader)[0]


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
