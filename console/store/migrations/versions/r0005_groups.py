"""Audience groups, their memberships and sent group messages, cached so the Groups page and
the sent list work offline.

- `groups`: every group the server describes (deleted ones kept, flagged: sent group messages
  still name them); `member_count` is the server's count across all staff.
- `group_members`: one row per (group, person). The primary key lists a group's members; the
  (contact_id, group_id) index a person's groups.
- `group_messages`: sent group messages with the statistics the server last reported, newest
  first by the (sent_at, id) index.

A cache synced before this revision already read past the feed's group events, so it could
never fill these tables event by event. Its cursor is replaced by one the server cannot know:
the next pull is refused (410 cursor_invalid) and the engine rebuilds the cache from the whole
feed through the full resync (store/generations.py), which keeps every unsent outbox item. A
cache that never synced (cursor NULL) is untouched: its first sync reads the whole feed anyway.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | None = None
depends_on: str | None = None

# No server makes cursors of this form (theirs are "<epoch>.<seq>" with a numeric seq).
RESYNC_CURSOR = "r0005.resync"


def upgrade() -> None:
    op.create_table(
        "groups",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("name_key", sa.String(length=100), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("member_count", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_groups")),
    )
    op.create_index("ix_groups_deleted_name_key", "groups", ["deleted", "name_key", "id"])
    op.create_table(
        "group_members",
        sa.Column("group_id", sa.String(length=64), nullable=False),
        sa.Column("contact_id", sa.String(length=64), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("group_id", "contact_id", name=op.f("pk_group_members")),
    )
    op.create_index(
        "ix_group_members_contact_id_group_id", "group_members", ["contact_id", "group_id"]
    )
    op.create_table(
        "group_messages",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("group_id", sa.String(length=64), nullable=False),
        sa.Column("group_name", sa.String(length=100), nullable=False),
        sa.Column("sender_user_id", sa.String(length=64), nullable=False),
        sa.Column("created_by_user_id", sa.String(length=64), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=False),
        sa.Column("recipient_count", sa.Integer(), nullable=False),
        sa.Column("delivered_count", sa.Integer(), nullable=False),
        sa.Column("read_count", sa.Integer(), nullable=False),
        sa.Column("replied_count", sa.Integer(), nullable=False),
        sa.Column("notification_failures", sa.Integer(), nullable=True),
        sa.Column("stats_json", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_group_messages")),
    )
    op.create_index("ix_group_messages_sent_at_id", "group_messages", ["sent_at", "id"])
    op.create_index(
        "ix_group_messages_group_id_sent_at", "group_messages", ["group_id", "sent_at"]
    )
    op.execute(
        sa.text("UPDATE sync_state SET cursor = :resync WHERE cursor IS NOT NULL").bindparams(
            resync=RESYNC_CURSOR
        )
    )


def downgrade() -> None:
    op.drop_index("ix_group_messages_group_id_sent_at", table_name="group_messages")
    op.drop_index("ix_group_messages_sent_at_id", table_name="group_messages")
    op.drop_table("group_messages")
    op.drop_index("ix_group_members_contact_id_group_id", table_name="group_members")
    op.drop_table("group_members")
    op.drop_index("ix_groups_deleted_name_key", table_name="groups")
    op.drop_table("groups")
