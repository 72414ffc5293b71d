"""A thread belongs to its contact: 1:1 threads and group chats are keyed by contacts too.

A number may pass from one contact to another (the first deleted, or the number taken off its
card). Until now a 1:1 thread was unique on (kind, business number, handset) and a group chat's
key hashed its numbers only, so the new holder's texts landed in the old contact's thread or
chat, which the old contact's user reads. Now the 1:1 key includes `contact_id` and a group
chat's key hashes its frozen (contact, number) pairs; existing rows keep their ids and history
(the old keys were unique, so the wider ones are too).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

THREAD = "uq_conversation_thread"
_BATCH = 500

# Frozen copies of the tables as they are at this revision (models may move on).
_conversations = sa.table(
    "conversations",
    sa.column("id", sa.String(40)),
    sa.column("kind", sa.String(16)),
    sa.column("number_id", sa.String(40)),
    sa.column("phone", sa.String(20)),
    sa.column("participant_key", sa.String(64)),
)
_participants = sa.table(
    "group_chat_participants",
    sa.column("conversation_id", sa.String(40)),
    sa.column("contact_id", sa.String(40)),
    sa.column("phone", sa.String(20)),
)


def _key_with_contacts(members: Iterable[tuple[str, str]]) -> str:
    # Frozen copy of console.domain.group_chat.participant_key as of this revision.
    canonical = ",".join(sorted({f"{phone}={contact_id}" for contact_id, phone in members}))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _key_of_numbers(members: Iterable[tuple[str, str]]) -> str:
    # The key before this revision: the numbers only.
    canonical = ",".join(sorted({phone for _, phone in members}))
    return hashlib.sha256(canonical.encode()).hexdigest()


def upgrade() -> None:
    with op.batch_alter_table("conversations") as batch:
        batch.drop_constraint(THREAD, type_="unique")
        batch.create_unique_constraint(THREAD, ["kind", "number_id", "phone", "contact_id"])
    _rekey_group_chats(_key_with_contacts)


def downgrade() -> None:
    _refuse_if_keys_collide()
    _rekey_group_chats(_key_of_numbers)
    with op.batch_alter_table("conversations") as batch:
        batch.drop_constraint(THREAD, type_="unique")
        batch.create_unique_constraint(THREAD, ["kind", "number_id", "phone"])


def _members() -> dict[str, list[tuple[str, str]]]:
    rows = op.get_bind().execute(
        sa.select(_participants.c.conversation_id, _participants.c.contact_id,
                  _participants.c.phone)
        .join(_conversations, _conversations.c.id == _participants.c.conversation_id)
        .where(_conversations.c.participant_key.is_not(None))
    ).all()
    members: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for conversation_id, contact_id, phone in rows:
        members[conversation_id].append((contact_id, phone))
    return members


def _rekey_group_chats(key: Callable[[Iterable[tuple[str, str]]], str]) -> None:
    updates = [{"chat_id": chat_id, "new_key": key(pairs)} for chat_id, pairs in
               _members().items()]
    statement = (
        sa.update(_conversations)
        .where(_conversations.c.id == sa.bindparam("chat_id"))
        .values(participant_key=sa.bindparam("new_key"))
    )
    connection = op.get_bind()
    for start in range(0, len(updates), _BATCH):
        connection.execute(statement, updates[start : start + _BATCH])


def _refuse_if_keys_collide() -> None:
    """The narrower keys cannot hold two threads of one number with different contacts: say so
    rather than drop or merge anyone's conversation."""
    connection = op.get_bind()
    c = _conversations.c
    doubled = connection.execute(
        sa.select(c.number_id, c.phone)
        .where(c.kind == "direct")
        .group_by(c.number_id, c.phone)
        .having(sa.func.count() > 1)
        .limit(1)
    ).first() is not None
    chats = connection.execute(
        sa.select(c.number_id, c.id).where(c.participant_key.is_not(None))
    ).all()
    members = _members()
    narrow = [(number_id, _key_of_numbers(members.get(chat_id, [])))
              for number_id, chat_id in chats]
    if doubled or len(set(narrow)) < len(narrow):
        raise RuntimeError(
            "Cannot downgrade below 0011: a number has conversations with more than one "
            "contact; the older schema cannot hold them apart."
        )
