"""A group message's fan-out, written by the database: INSERT ... SELECT from the group's members.

Per-recipient rows built in Python cost more than the database's own work: a 10,000-member send
spent 1.5 s on SQLite (1.0 s of it in SQLAlchemy's per-row parameter handling) and 2.8-3.6 s on
PostgreSQL (40,000 pipelined single-row INSERTs) writing 10,000 messages, 10,000 recipients and
20,000 feed events from Python dicts. Here each such set is one statement over
`group_members`, whatever the group's size, and no row passes through Python.

Every statement reaches a member's in-app thread by its primary key
(in_app.conversation_id_sql): joined on `conversations.contact_id` instead, PostgreSQL planned
with the statistics of before the first big send (autovacuum had not analyzed yet) scanned every
in-app thread once per member, 8-10 s for 10,000.

The feed events' JSON is the real wire view of one row, with the fields that vary per person
set by the database (see `json_with`).

On PostgreSQL the send was still 1.6-2.0 s of database CPU for 10,000 members: four foreign
key checks per recipient, 20,000 feed documents built as JSONB, an event per thread whose
only change was its activity. Migration 0017 and `record_feed` remove those. The three
references of each message were still checked row by row (40,000 lookups with the
recipients'); migration 0018 checks them once per statement: a send of 10,000 is 0.6-0.7 s
(tests/bench/bench_group_message.py).
"""

from __future__ import annotations

import json
import random
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    ColumnExpressionArgument,
    String,
    Table,
    bindparam,
    case,
    cast,
    exists,
    false,
    func,
    insert,
    literal,
    null,
    select,
    update,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session
from sqlalchemy.sql.dml import Insert
from sqlalchemy.sql.expression import Select

from console.backend import events, models
from console.backend.ids import new_id
from console.backend.ops.in_app import (
    NO_NUMBER,
    conversation_id_sql,
    insert_ignoring_existing,
    new_conversation_row,
)
from console.backend.views import conversation_view, message_view
from console.domain.messages import Direction, MessageStatus, preview_of

# A send's message ids are `message_id_prefix()` + this counter (6 digits up to 900,000
# recipients, more beyond: still unique), so the database numbers them and no id is looked up.
_FIRST = 100_000


def table(model: type[models.Base]) -> Table:
    found = model.__table__
    assert isinstance(found, Table)
    return found


def is_postgresql(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def live_members(group_id: str) -> Select[Any]:
    """The group's members now (deleted contacts excluded): a send's recipients."""
    c, gm = models.Contact, models.GroupMember
    return (
        select(c.id)
        .select_from(gm)
        .join(c, c.id == gm.contact_id)
        .where(gm.group_id == group_id, c.deleted_at.is_(None))
    )


def count_members(session: Session, group_id: str, owner: str) -> tuple[int, int]:
    """(live members, those of them not assigned to `owner`), in one query."""
    c = models.Contact
    not_owned = case((func.coalesce(c.assigned_user_id, "") != owner, 1))
    query = live_members(group_id).with_only_columns(func.count(), func.count(not_owned))
    members, others = session.execute(query).one()
    return int(members), int(others)


def create_missing_threads(
    session: Session, group_id: str, body: str, at: datetime, *, with_events: bool = True
) -> int:
    """The in-app conversations the members lack (a person's first group message), made
    showing this message already (touch_threads leaves them alone); returns how many.

    Members with a thread are left out by a lookup first: offering all 10,000 rows to ON
    CONFLICT cost PostgreSQL 70-80 ms per send once every thread existed; the conflict clause
    still settles a thread made meanwhile by another transaction.

    On PostgreSQL the threads' feed events are written by the same statement, from the rows
    the INSERT returns. Found afterwards by joining the threads instead, a plan made from
    statistics of before the threads existed (autovacuum had not analyzed them: the first
    send to new people) scanned every thread once per member: 29 s for 10,000. SQLite has no
    data-modifying WITH: record_feed writes them there, and so it does on PostgreSQL without
    `with_events` (a merged send: each thread's preview is its person's, set afterwards by
    personalize)."""
    c = models.Contact
    threads = table(models.Conversation)
    row = {
        **new_conversation_row("con_sample", "Sample", at),
        "last_message_at": at,
        "last_message_preview": preview_of(body),
    }
    thread_id = conversation_id_sql(session, c.id)
    varying = {"id": thread_id, "contact_id": c.id, "title": c.name}
    values = [
        varying[k] if k in varying else literal(v, threads.c[k].type) if v is not None else null()
        for k, v in row.items()
    ]
    statement = insert_ignoring_existing(session, threads).from_select(
        list(row),
        live_members(group_id)
        .with_only_columns(*values)
        .where(~exists().where(threads.c.id == thread_id)),
    )
    if not is_postgresql(session) or not with_events:
        return _rows_written(session, statement)
    made = statement.returning(*threads.c).cte("made_threads")
    owners = select().select_from(made).join(c, c.id == made.c.contact_id)
    return events.record_many(session, _thread_events(
        session, owners.order_by(made.c.contact_id), made.c, c, body, at
    ), ctes=[made])


def _thread_events(
    session: Session, source: Select[Any], thread: Any, contact: Any, body: str, at: datetime,
    *, merged: bool = False,
) -> Select[Any]:
    """`source` (rows with a new in-app `thread` and its `contact`) as the threads' events
    (`merged`: each thread's preview read from it, not the body's)."""
    sample_thread = models.Conversation(**{
        **new_conversation_row("con_sample", "Sample", at), "last_message_at": at,
        "last_message_preview": preview_of(body),
    })
    # In-app threads: never participants, numbers, opt-out marks or replacements (SMS only).
    thread_json = json_with(session, _dump(conversation_view(sample_thread)), {
        "id": thread.id,
        "title": thread.title,
        "contact_id": thread.contact_id,
        "status": thread.status,
        "blocked_reason": thread.blocked_reason,
        "unread_count": thread.unread_count,
        "created_at": _rfc3339(session, thread.created_at),
        **({"last_message_preview": thread.last_message_preview} if merged else {}),
    })
    return _event_columns(source, "conversation.upserted", thread.id, thread_json,
                          contact.id, contact.assigned_user_id, thread.id, at)


def _event_columns(
    source: Select[Any], type_: str, entity_id: Any, data: Any, contact_id: Any,
    owner_user_id: Any, scope_id: Any, at: datetime,
) -> Select[Any]:
    return source.with_only_columns(
        literal(type_, String()).label("type"),
        entity_id.label("entity_id"),
        data.label("data"),
        contact_id.label("contact_id"),
        null().label("number_id"),
        owner_user_id.label("owner_user_id"),
        false().label("admin_only"),
        literal(at, models.UTCDateTime()).label("created_at"),
        null().label("only_user_id"),
        # events.scope_of: a thread's events and its messages' are scoped to the thread.
        scope_id.label("scope_id"),
    )


def message_id_prefix(rng: random.Random | None = None) -> str:
    """`msg_` and 14 random hex digits: with the counter, ids as long as new_id's."""
    return new_id("msg", rng)[:18]


def _numbered(session: Session, group_id: str, prefix: str) -> Select[str, str, str]:
    """The members with their message's id (the counter runs in contact order) and thread."""
    c = models.Contact
    number = func.row_number().over(order_by=c.id) + (_FIRST - 1)
    return live_members(group_id).with_only_columns(
        (literal(prefix, String()) + cast(number, String())).label("message_id"),
        conversation_id_sql(session, c.id).label("conversation_id"),
        c.id.label("contact_id"),
    )


def write_messages(
    session: Session,
    group_id: str,
    prefix: str,
    *,
    sender_user_id: str,
    body: str,
    at: datetime,
) -> int:
    """One outbound message in each member's in-app conversation; returns how many."""
    m = table(models.Message)
    members = _numbered(session, group_id, prefix).subquery()
    constant: dict[str, Any] = {
        "direction": Direction.OUT.value, "author_user_id": sender_user_id, "body": body,
        "status": MessageStatus.SENT.value, "from_number": NO_NUMBER, "to_number": NO_NUMBER,
        "created_at": at, "updated_at": at,
    }
    source = select(
        members.c.message_id, members.c.conversation_id,
        *(literal(v, m.c[k].type) for k, v in constant.items()),
    )
    columns = ["id", "conversation_id", *constant]
    return _rows_written(session, insert(m).from_select(columns, source))


def member_names(session: Session, group_id: str) -> list[tuple[str, str]]:
    """(contact id, name) of each live member: what a merged send fills their copy from."""
    c = models.Contact
    rows = session.execute(live_members(group_id).with_only_columns(c.id, c.name)).all()
    return [(str(contact_id), str(name or "")) for contact_id, name in rows]


def personalize(
    session: Session, group_id: str, prefix: str, bodies: Mapping[str, str]
) -> None:
    """A merged send: each member's message (written with the template body) gets their own
    body (`bodies` by contact id), and their thread its preview. A row per recipient passes
    through Python here (their text is computed there), unlike an unmerged send."""
    rows = session.execute(_numbered(session, group_id, prefix)).all()
    messages, threads = table(models.Message), table(models.Conversation)
    texts = [(message_id, thread_id, bodies[contact_id])
             for message_id, thread_id, contact_id in rows if contact_id in bodies]
    if not texts:
        return
    connection = session.connection()
    connection.execute(
        update(messages).where(messages.c.id == bindparam("message_id"))
        .values(body=bindparam("text")),
        [{"message_id": message_id, "text": text} for message_id, _, text in texts],
    )
    connection.execute(
        update(threads).where(threads.c.id == bindparam("thread_id"))
        .values(last_message_preview=bindparam("preview")),
        [{"thread_id": thread_id, "preview": preview_of(text)}
         for _, thread_id, text in texts],
    )


def write_recipients(
    session: Session, group_message_id: str, group_id: str, prefix: str, at: datetime
) -> int:
    """The recipients: the members the messages were just written for, numbered alike. The
    members hold still until this commits (see ops.group_messages.send) and the caller checks
    the counts; joining the messages instead let a plan from stale statistics scan them once
    per member."""
    members = _numbered(session, group_id, prefix).subquery()
    source = select(
        literal(group_message_id, String()), members.c.contact_id, members.c.conversation_id,
        members.c.message_id, literal(at, models.UTCDateTime()),
    )
    return _rows_written(session, insert(table(models.GroupMessageRecipient)).from_select(
        ["group_message_id", "contact_id", "conversation_id", "message_id", "sent_at"], source
    ))


def _rows_written(session: Session, statement: Insert) -> int:
    # Without preserve_rowcount psycopg's answer to an INSERT ... SELECT reads -1.
    result = session.connection().execute(statement.execution_options(preserve_rowcount=True))
    assert result.rowcount >= 0
    return int(result.rowcount)


def touch_threads(session: Session, group_id: str, body: str, at: datetime) -> None:
    """Each member's thread shows the message. Done before the rows that reference the threads
    are written: PostgreSQL's foreign key checks then find each thread already locked by this
    transaction (no lock to write), instead of locking it first and updating it after. A
    thread's title follows its person's name when they are renamed (in_app.follow_name), not
    here: so nothing but the activity changes, and the feed needs no event for the thread."""
    c, gm, conversation = models.Contact, models.GroupMember, models.Conversation
    # UPDATE ... FROM the members (live_members' join): each thread is found by its primary
    # key, where `id IN (members)` hashed the members first.
    session.connection().execute(
        update(conversation)
        .where(
            gm.group_id == group_id,
            c.id == gm.contact_id,
            c.deleted_at.is_(None),
            conversation.id == conversation_id_sql(session, c.id),
            conversation.created_at != at,  # made by create_missing_threads, complete
        )
        .values(last_message_at=at, last_message_preview=preview_of(body), updated_at=at)
    )


def record_feed(
    session: Session,
    group_message_id: str,
    sample_message: Mapping[str, Any],
    at: datetime,
    *,
    new_threads: int,
    merged: bool = False,
) -> None:
    """The events of the threads this send made (on SQLite: on PostgreSQL
    create_missing_threads wrote them), then every message's (a reader never holds a message
    of a thread it lacks), each labelled for the person's owner as it is in the feed's write
    turn.

    A thread that existed gets no event: the send changed only its activity time and preview,
    which follow from its newest message (a console derives them from the message's event,
    store.apply._bump_conversations, with the same domain.messages.preview_of). That halves a
    big send's feed for every console that syncs it, and its cost here: 20,000 rows of
    JSON were 0.4 s of a 10,000-member send on PostgreSQL.

    `merged`: each message's body (and a new thread's preview) is its person's own
    (personalize), read from its row; the threads' events are written here on every
    database (create_missing_threads left them)."""
    r, c, conversation = models.GroupMessageRecipient, models.Contact, models.Conversation
    message = models.Message
    message_json = json_with(session, _dump(message_view(models.Message(**sample_message))), {
        "id": r.message_id,
        "conversation_id": r.conversation_id,
        **({"body": message.body} if merged else {}),
    })
    of_this_send = (
        select()
        .select_from(r)
        .join(c, c.id == r.contact_id)
        .where(r.group_message_id == group_message_id)
        .order_by(r.contact_id)
    )
    if new_threads and (merged or not is_postgresql(session)):
        # Only the threads' events read the threads (a message's names its thread's id).
        with_threads = of_this_send.join(
            conversation, conversation.id == r.conversation_id
        ).where(conversation.created_at == at)  # made by create_missing_threads just now
        events.record_many(session, _thread_events(
            session, with_threads, conversation, c, sample_message["body"], at, merged=merged
        ))
    if merged:
        of_this_send = of_this_send.join(message, message.id == r.message_id)
    events.record_many(session, _event_columns(
        of_this_send, "message.upserted", r.message_id, message_json, r.contact_id,
        c.assigned_user_id, r.conversation_id, at,
    ))


def _dump(view: Any) -> dict[str, Any]:
    dumped: dict[str, Any] = view.model_dump(mode="json", by_alias=True)
    return dumped


def json_with(
    session: Session, view: dict[str, Any], fields: Mapping[str, ColumnExpressionArgument[Any]]
) -> ColumnElement[Any]:
    """`view` as JSON with each of `fields` set to an SQL value (text, number or NULL): the
    constant part is dumped by Python once, the varying values are quoted by the database."""
    missing = set(fields) - set(view)
    assert not missing, f"not in the view: {missing}"
    if is_postgresql(session):
        return cast(_json_text(view, fields), postgresql.JSON())
    template = json.dumps(view)
    paths = [part for name, value in fields.items() for part in (f"$.{name}", value)]
    return func.json_set(template, *paths)


def _json_text(
    view: dict[str, Any], fields: Mapping[str, ColumnExpressionArgument[Any]]
) -> ColumnElement[str]:
    """The document as text: the constant members dumped once, each varying value spelled by
    to_json. Concatenating text costs a third of merging JSONB objects per row (PostgreSQL,
    10,000 rows: 32 ms against 95 ms), and `events.data` is `json`, which keeps the text."""
    constant = json.dumps({k: v for k, v in view.items() if k not in fields})
    text: ColumnElement[str] = literal(constant[:-1], String())
    for n, (name, value) in enumerate(fields.items()):
        separator = ", " if n or constant != "{}" else ""
        spelled = func.coalesce(cast(func.to_json(value), String()), "null")
        text = text + literal(f"{separator}{json.dumps(name)}: ", String()) + spelled
    return text + literal("}", String())


def _rfc3339(session: Session, column: ColumnExpressionArgument[Any]) -> ColumnElement[Any]:
    """A UTC timestamp column as RFC 3339 text (what the wire models write, to the microsecond)."""
    if is_postgresql(session):
        return func.to_char(column, 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
    # Stored as "YYYY-MM-DD HH:MM:SS.ffffff" (naive UTC).
    return func.replace(cast(column, String()), " ", "T") + "Z"

