"""Change feed visibility follows who may see a thing now: every event names its scope.

Existing events get their scope (the contact, the conversation or the group message they are
about) and the owner their scope has today, so a full sync stops handing out what a user lost
sight of. Notices kept for one user that still carry a contact's details become bare
tombstones.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06
"""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# Frozen copies of what this revision reads and writes (models may move on).
JSON_DOC = sa.JSON().with_variant(sa.dialects.postgresql.JSONB(), "postgresql")
events = sa.table(
    "events",
    sa.column("seq", sa.Integer),
    sa.column("type", sa.String),
    sa.column("entity_id", sa.String),
    sa.column("data", JSON_DOC),
    sa.column("contact_id", sa.String),
    sa.column("owner_user_id", sa.String),
    sa.column("only_user_id", sa.String),
    sa.column("scope_id", sa.String),
)
contacts = sa.table(
    "contacts", sa.column("id", sa.String), sa.column("assigned_user_id", sa.String)
)
conversations = sa.table(
    "conversations", sa.column("id", sa.String), sa.column("kind", sa.String),
    sa.column("contact_id", sa.String),
)
messages = sa.table(
    "messages", sa.column("id", sa.String), sa.column("conversation_id", sa.String)
)
participants = sa.table(
    "group_chat_participants", sa.column("conversation_id", sa.String),
    sa.column("contact_id", sa.String),
)

CONTACT_TYPES = ("contact.upserted", "contact.deleted", "group.member_added",
                 "group.member_removed")
CONVERSATION_TYPES = ("conversation.upserted", "conversation.deleted", "opt_out_suspected")


def upgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.add_column(sa.Column("scope_id", sa.String(40), nullable=True))
    op.create_index("ix_events_scope_seq", "events", ["scope_id", "seq"])
    _fill_scopes()
    _label_with_current_owners()
    _strip_personal_contact_notices()
    _new_feed_epoch()


def _new_feed_epoch() -> None:
    """Consoles that synced before this revision hold what the old rules gave them (a moved
    contact's history missing for its new owner, colleagues' emails): a new epoch refuses their
    cursors (410), so each syncs once more from the start under the new rules."""
    meta = sa.table("meta", sa.column("key", sa.String), sa.column("value", sa.String))
    op.execute(
        meta.update().where(meta.c.key == "feed_epoch").values(value=secrets.token_hex(6))
    )


def _fill_scopes() -> None:
    scoped = events.c.contact_id.is_not(None)
    op.execute(
        events.update()
        .where(scoped, events.c.type.in_(CONTACT_TYPES))
        .values(scope_id=events.c.contact_id)
    )
    op.execute(
        events.update()
        .where(scoped, events.c.type.in_(CONVERSATION_TYPES))
        .values(scope_id=events.c.entity_id)
    )
    conversation_of = (
        sa.select(messages.c.conversation_id)
        .where(messages.c.id == events.c.entity_id)
        .scalar_subquery()
    )
    op.execute(
        events.update()
        .where(scoped, events.c.type == "message.upserted")
        .values(scope_id=conversation_of)
    )
    op.execute(
        events.update()
        .where(events.c.type == "group_message.upserted")
        .values(scope_id=events.c.entity_id)
    )


def _label_with_current_owners() -> None:
    shared = sa.and_(events.c.only_user_id.is_(None), events.c.scope_id.is_not(None))
    owner_of_contact = (
        sa.select(contacts.c.assigned_user_id)
        .where(contacts.c.id == events.c.scope_id)
        .scalar_subquery()
    )
    op.execute(
        events.update()
        .where(shared, events.c.type.in_(CONTACT_TYPES))
        .values(owner_user_id=owner_of_contact)
    )
    conversation_types = (*CONVERSATION_TYPES, "message.upserted")
    # 1:1 and in-app threads: their contact's owner.
    owner_of_thread = (
        sa.select(contacts.c.assigned_user_id)
        .select_from(conversations.join(contacts, contacts.c.id == conversations.c.contact_id))
        .where(conversations.c.id == events.c.scope_id)
        .scalar_subquery()
    )
    thread = (
        sa.select(conversations.c.id)
        .where(conversations.c.id == events.c.scope_id, conversations.c.contact_id.is_not(None))
        .exists()
    )
    op.execute(
        events.update()
        .where(shared, events.c.type.in_(conversation_types), thread)
        .values(owner_user_id=owner_of_thread)
    )
    # Group chats: the one user all participants' contacts are assigned to, else nobody.
    of_chat = (
        participants.join(contacts, contacts.c.id == participants.c.contact_id)
    )
    in_chat = participants.c.conversation_id == events.c.scope_id
    unassigned = (
        sa.select(participants.c.contact_id).select_from(of_chat)
        .where(in_chat, contacts.c.assigned_user_id.is_(None)).exists()
    )
    owners = (
        sa.select(sa.func.count(sa.distinct(contacts.c.assigned_user_id))).select_from(of_chat)
        .where(in_chat).scalar_subquery()
    )
    some_owner = (
        sa.select(sa.func.min(contacts.c.assigned_user_id)).select_from(of_chat)
        .where(in_chat).scalar_subquery()
    )
    chat = (
        sa.select(participants.c.contact_id).where(in_chat).exists()
    )
    op.execute(
        events.update()
        .where(shared, events.c.type.in_(conversation_types), chat)
        .values(
            owner_user_id=sa.case((sa.and_(sa.not_(unassigned), owners == 1), some_owner))
        )
    )


def _strip_personal_contact_notices() -> None:
    """"You lost sight of this contact" used to carry the whole contact to the one who lost it."""
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(events.c.seq, events.c.entity_id).where(
            events.c.only_user_id.is_not(None), events.c.type == "contact.deleted"
        )
    ).all()
    for seq, entity_id in rows:
        bind.execute(
            events.update()
            .where(events.c.seq == seq)
            .values(data={"id": entity_id, "deleted": True, "out_of_sight": True})
        )


def downgrade() -> None:
    op.drop_index("ix_events_scope_seq", table_name="events")
    with op.batch_alter_table("events") as batch:
        batch.drop_column("scope_id")
