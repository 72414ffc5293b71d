"""One group message's recipients, each with how far it got and their notifications' outcome.

The recipients are the snapshot taken when it was sent (group_message_recipients), so someone
added to the group afterwards is never listed. An assigned-only user sees their own people only.
One page is two indexed queries: the recipients with their names, then the deliveries of just
those contacts (deliveries.group_message_id), never a query per row.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from console.backend import models
from console.backend.ops.group_messages import NOTIFICATION_CHANNELS, owned_contacts
from console.domain.access import Actor
from console.protocol.group_message_recipients import GroupMessageRecipient, NotificationOutcome


def recipients_page(
    session: Session, group_message_id: str, actor: Actor, *, after: str | None, limit: int
) -> tuple[list[GroupMessageRecipient], bool]:
    """Up to `limit` recipients in contact id order after `after`; and whether more follow."""
    r, c = models.GroupMessageRecipient, models.Contact
    query = (
        select(r, c.name)
        .join(c, c.id == r.contact_id)
        .where(r.group_message_id == group_message_id)
    )
    if actor.assigned_only:
        query = query.where(r.contact_id.in_(owned_contacts(actor.user_id)))
    if after:
        query = query.where(r.contact_id > after)
    rows = session.execute(query.order_by(r.contact_id).limit(limit + 1)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    outcomes = _outcomes(session, group_message_id, [row[0].contact_id for row in rows])
    items = [
        GroupMessageRecipient(
            contact_id=rec.contact_id, name=name or "", conversation_id=rec.conversation_id,
            sent_at=rec.sent_at, delivered_at=rec.delivered_at, read_at=rec.read_at,
            replied_at=rec.replied_at,
            email=outcomes.get((rec.contact_id, "email")),
            push=outcomes.get((rec.contact_id, "push")),
        )
        for rec, name in rows
    ]
    return items, more


def _outcomes(
    session: Session, group_message_id: str, contact_ids: list[str]
) -> dict[tuple[str, str], NotificationOutcome]:
    if not contact_ids:
        return {}
    d = models.Delivery
    rows = session.execute(
        select(d.contact_id, d.channel, d.state, d.last_error).where(
            d.group_message_id == group_message_id,
            d.contact_id.in_(contact_ids),
            d.channel.in_(NOTIFICATION_CHANNELS),
        )
    ).all()
    return {
        (contact_id or "", channel): NotificationOutcome(
            state=state, error=error if state == "failed" else None
        )
        for contact_id, channel, state, error in rows
    }
