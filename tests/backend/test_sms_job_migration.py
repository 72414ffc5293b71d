"""Migration 0012 on a database written by processes that kept their messages in memory: every
outbound SMS not yet final gets its `sms.send` job, so any process sends it after the upgrade;
nothing else does (in-app, inbound and final messages have nothing left to send)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import select

from console.backend import jobs, models
from console.backend.carrier.send_jobs import SEND_JOB
from console.backend.carrier.simulator import SimulatorCarrier
from console.backend.db import Database
from console.backend.migrate import upgrade
from tests.backend.conftest import wait_for

T0 = datetime(2026, 1, 1)  # naive UTC, as stored

CONVERSATIONS = sa.table(
    "conversations", sa.column("id"), sa.column("kind"), sa.column("title"),
    sa.column("contact_id"), sa.column("phone"), sa.column("status"),
    sa.column("last_message_preview"), sa.column("unread_count"), sa.column("created_at"),
    sa.column("updated_at"),
)
MESSAGES = sa.table(
    "messages", sa.column("id"), sa.column("conversation_id"), sa.column("direction"),
    sa.column("body"), sa.column("status"), sa.column("from_number"), sa.column("to_number"),
    sa.column("created_at"), sa.column("updated_at"),
)
# (id, conversation, direction, status): only the first two have anything left to send.
ROWS = [
    ("msg_queued", "cnv_sms", "out", "queued"),
    ("msg_sent", "cnv_sms", "out", "sent"),
    ("msg_delivered", "cnv_sms", "out", "delivered"),
    ("msg_failed", "cnv_sms", "out", "failed"),
    ("msg_inbound", "cnv_sms", "in", "received"),
    ("msg_in_app", "cnv_app", "out", "sent"),
]


def test_unfinished_sms_get_send_jobs_and_are_then_delivered(empty_database: Database) -> None:
    upgrade(empty_database.engine, "0011")
    with empty_database.engine.begin() as connection:
        for conversation, kind in (("cnv_sms", "direct"), ("cnv_app", "in_app")):
            connection.execute(sa.insert(CONVERSATIONS).values(
                id=conversation, kind=kind, title=conversation, contact_id=None,
                phone="+14155550101", status="active", last_message_preview="", unread_count=0,
                created_at=T0, updated_at=T0,
            ))
        for message, conversation, direction, status in ROWS:
            connection.execute(sa.insert(MESSAGES).values(
                id=message, conversation_id=conversation, direction=direction, body="hi",
                status=status, from_number="+14155550100", to_number="+14155550101",
                created_at=T0, updated_at=T0,
            ))
    upgrade(empty_database.engine)

    with empty_database.reading() as session:
        queued = session.scalars(select(models.Job)).all()
    assert sorted((j.kind, j.payload["message_id"], j.state) for j in queued) == [
        (SEND_JOB, "msg_queued", "queued"), (SEND_JOB, "msg_sent", "queued")]

    carrier = SimulatorCarrier(empty_database, sent_after=0, delivered_after=0)
    runner = jobs.JobRunner(empty_database, {SEND_JOB: carrier.send}, workers=1,
                            poll_interval=0.05)
    runner.start()
    try:
        def statuses() -> dict[str, str] | None:
            with empty_database.reading() as session:
                rows = {r.id: r.status for r in session.execute(
                    select(models.Message.id, models.Message.status))}
                left = session.scalars(select(models.Job)).all()
            return None if left else rows

        final = wait_for(statuses, timeout=15)
    finally:
        runner.stop()
    assert final == {"msg_queued": "delivered", "msg_sent": "delivered",
                     "msg_delivered": "delivered", "msg_failed": "failed",
                     "msg_inbound": "received", "msg_in_app": "sent"}
    with empty_database.reading() as session:
        copies = session.scalars(select(models.HandsetMessage.message_id)).all()
    assert sorted(copies) == ["msg_queued", "msg_sent"]  # each reached the handset once
