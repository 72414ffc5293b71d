"""Outbound SMS are sent through the job queue (`sms.send`), by any live serve process.

Until now each process kept the messages it accepted on its own event loop and, on start,
resumed every unfinished one in the database (the Twilio carrier failed every copy in flight,
other live processes' included). Messages accepted before this upgrade and not yet final get
their job here; a Twilio copy left mid-request becomes `unconfirmed` when its job first runs.
Claims now look up jobs by kind (`ix_jobs_claim`).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

_BATCH = 500


def upgrade() -> None:
    op.create_index("ix_jobs_claim", "jobs", ["kind", "state", "run_at"])
    bind = op.get_bind()
    messages = sa.table(
        "messages", sa.column("id", sa.String), sa.column("conversation_id", sa.String),
        sa.column("direction", sa.String), sa.column("status", sa.String),
    )
    conversations = sa.table("conversations", sa.column("id", sa.String),
                             sa.column("kind", sa.String))
    jobs = sa.table(
        "jobs", sa.column("kind", sa.String),
        sa.column("payload", sa.JSON().with_variant(JSONB(), "postgresql")),
        sa.column("state", sa.String), sa.column("attempts", sa.Integer),
        sa.column("max_attempts", sa.Integer), sa.column("run_at", sa.DateTime()),
        sa.column("created_at", sa.DateTime()),
        sa.column("updated_at", sa.DateTime()),
    )
    unfinished = bind.execute(
        sa.select(messages.c.id)
        .join(conversations, conversations.c.id == messages.c.conversation_id)
        .where(messages.c.direction == "out", messages.c.status.in_(["queued", "sent"]),
               conversations.c.kind != "in_app")
        .order_by(messages.c.id)
    ).scalars().all()
    now = datetime.now(UTC).replace(tzinfo=None)  # the schema keeps naive UTC
    for start in range(0, len(unfinished), _BATCH):
        bind.execute(sa.insert(jobs), [
            {"kind": "sms.send", "payload": {"message_id": message_id}, "state": "queued",
             "attempts": 0, "max_attempts": 8, "run_at": now, "created_at": now,
             "updated_at": now}
            for message_id in unfinished[start:start + _BATCH]
        ])


def downgrade() -> None:
    op.execute("DELETE FROM jobs WHERE kind = 'sms.send'")
    op.drop_index("ix_jobs_claim", table_name="jobs")
