"""Apply change-feed events to the cache with bulk Core statements (never the ORM unit of work).

A batch is first reduced to the last state of every resource it names (the feed is ordered,
so the last event wins), then written kind by kind with executemany upserts. The caller's
transaction makes the batch and its cursor one atomic step (see apply_sync_page).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar

from pydantic import TypeAdapter, ValidationError
from sqlalchemy import Connection, and_, bindparam, case, delete, insert, or_, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.sql.elements import BindParameter

from console.domain.messages import preview_of
from console.protocol.auth import User
from console.protocol.contact_imports import CONTACT_IMPORT_UPSERTED, ContactImport
from console.protocol.contacts import Contact
from console.protocol.conversations import Conversation, Message
from console.protocol.numbers import BusinessNumber
from console.protocol.scheduled import ScheduledSend
from console.protocol.sync import SyncEvent, SyncPage
from console.protocol.templates import Template
from console.store import outbox as ob
from console.store import search_index
from console.store.cache import Cache
from console.store.changes import Changes
from console.store.coltypes import utcnow
from console.store.contact_import_writes import upsert_imports
from console.store.forget import forget_conversation
from console.store.group_apply import (
    GROUP_EVENT_TYPES,
    GROUP_MESSAGE_DELETED,
    GroupBatch,
    reduce_group_event,
    write_group_batch,
)
from console.store.models import (
    contact_phones,
    contacts,
    conversations,
    messages,
    numbers,
    users,
)
from console.store.outbox import PENDING_CONVERSATION_PREFIX
from console.store.scheduled_writes import upsert_scheduled
from console.store.session_meta import save_cursor, set_meta, upsert_users
from console.store.template_writes import delete_templates, upsert_templates

log = logging.getLogger("console.store.apply")

# Marks a `contact.deleted` that means "no longer yours to see" (a reassignment), not a deletion.
OUT_OF_SIGHT = "out_of_sight"
SCHEDULED_UPSERTED = "scheduled.upserted"
QUIET_HOURS_UPDATED = "quiet_hours.updated"
TEMPLATE_UPSERTED = "template.upserted"
TEMPLATE_DELETED = "template.deleted"
QUIET_HOURS_KEY = "quiet_hours"  # meta: the server's quiet hours rules, as JSON
# SQLite allows 32k bound parameters; IN lists stay far below that.
_CHUNK = 500
T = TypeVar("T")
_MESSAGE_LIST = TypeAdapter(list[Message])
# Messages validated per call: one call is cheaper than one per message, and a few hundred
# keep each call (which holds the GIL throughout) short for the GUI thread.
_VALIDATE_CHUNK = 250


class MalformedEvent(ValueError):
    """An event whose data does not match the protocol: the whole batch is refused."""


def _chunks(items: Sequence[T], size: int = _CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass
class _Batch:
    users: dict[str, User] = field(default_factory=dict)
    numbers: dict[str, BusinessNumber] = field(default_factory=dict)
    contacts: dict[str, Contact] = field(default_factory=dict)
    deleted_contact_ids: set[str] = field(default_factory=set)  # tombstones with no full data
    # Contacts this user lost sight of (reassigned to someone else): dropped, not kept deleted.
    forgotten_contact_ids: set[str] = field(default_factory=set)
    user_names: dict[str, str] = field(default_factory=dict)  # colleagues seen by name only
    conversations: dict[str, Conversation] = field(default_factory=dict)
    messages: dict[str, Message] = field(default_factory=dict)
    # Audience groups, memberships and sent group messages (store/group_apply.py).
    groups: GroupBatch = field(default_factory=GroupBatch)
    scheduled: dict[str, ScheduledSend] = field(default_factory=dict)  # the user's own
    quiet_hours: dict[str, Any] | None = None  # the newest rules (quiet_hours.updated)
    templates: dict[str, Template] = field(default_factory=dict)
    deleted_template_ids: set[str] = field(default_factory=set)
    contact_imports: dict[str, ContactImport] = field(default_factory=dict)  # the user's own


def _reduce(events: Iterable[SyncEvent]) -> _Batch:
    batch = _Batch()
    message_events: list[SyncEvent] = []
    for event in events:
        if event.type == "message.upserted":
            message_events.append(event)  # validated together below: one call, not one each
            continue
        try:
            _reduce_one(batch, event)
        except ValidationError as exc:
            raise MalformedEvent(f"event {event.seq} ({event.type}) is malformed: {exc}") from exc
    # The feed is ordered: the last event about a message wins.
    for chunk in _chunks(message_events, _VALIDATE_CHUNK):
        try:
            records = _MESSAGE_LIST.validate_python([e.data for e in chunk])
        except ValidationError as exc:
            where = exc.errors()[0]["loc"][:1]
            culprit = chunk[where[0]] if where and isinstance(where[0], int) else None
            seq = culprit.seq if culprit is not None else "?"
            raise MalformedEvent(f"event {seq} (message.upserted) is malformed: {exc}") from exc
        batch.messages.update((m.id, m) for m in records)
    return batch


def _reduce_one(batch: _Batch, event: SyncEvent) -> None:
    kind, data = event.type, event.data
    if kind == "conversation.upserted":
        conversation = Conversation.model_validate(data)
        batch.conversations[conversation.id] = conversation
    elif kind == "contact.upserted":
        contact = Contact.model_validate(data)
        batch.contacts[contact.id] = contact
        batch.deleted_contact_ids.discard(contact.id)
        batch.forgotten_contact_ids.discard(contact.id)
    elif kind == "contact.deleted":
        _reduce_contact_deleted(batch, event)
    elif kind == "number.upserted":
        number = BusinessNumber.model_validate(data)
        batch.numbers[number.id] = number
    elif kind == "user.upserted" and "email" not in data:
        # Non-admins get colleagues' names only (the backend keeps emails and roles to admins).
        user_name = data.get("name")
        if not isinstance(user_name, str):
            raise MalformedEvent(f"event {event.seq} (user.upserted) has no name")
        batch.user_names[_id_of(event)] = user_name
    elif kind == "user.upserted":
        user = User.model_validate(data)
        batch.users[user.id] = user
        batch.user_names.pop(user.id, None)
    elif kind == QUIET_HOURS_UPDATED:
        batch.quiet_hours = data  # whole each time: the newest wins
    elif kind == SCHEDULED_UPSERTED:
        scheduled = ScheduledSend.model_validate(data)
        batch.scheduled[scheduled.id] = scheduled
    elif kind == TEMPLATE_UPSERTED:
        template = Template.model_validate(data)
        batch.templates[template.id] = template
        batch.deleted_template_ids.discard(template.id)
    elif kind == TEMPLATE_DELETED:
        template_id = _id_of(event)
        batch.templates.pop(template_id, None)
        batch.deleted_template_ids.add(template_id)
    elif kind == CONTACT_IMPORT_UPSERTED:
        contact_import = ContactImport.model_validate(data)
        batch.contact_imports[contact_import.id] = contact_import
    elif kind == GROUP_MESSAGE_DELETED:
        batch.groups.drop_message(_id_of(event))
    elif kind in GROUP_EVENT_TYPES:
        reduce_group_event(batch.groups, event)
    else:
        # Newer event types are skipped so an older console keeps working with a newer
        # backend. (`opt_out_suspected` too: its flag comes with conversation.upserted, and
        # the flagged message with message.upserted.)
        log.debug("skipping event %s of type %s", event.seq, kind)


def _reduce_contact_deleted(batch: _Batch, event: SyncEvent) -> None:
    data = event.data
    if data.get(OUT_OF_SIGHT) is True:
        out_of_sight = _id_of(event)
        batch.groups.forget_contact(out_of_sight)  # their memberships go with them
        batch.contacts.pop(out_of_sight, None)
        batch.deleted_contact_ids.discard(out_of_sight)
        batch.forgotten_contact_ids.add(out_of_sight)
        return
    try:
        gone = Contact.model_validate(data).model_copy(update={"deleted": True})
    except ValidationError:
        contact_id = data.get("id")
        if not isinstance(contact_id, str):
            raise
        earlier = batch.contacts.get(contact_id)
        if earlier is not None:  # upserted earlier in this batch: keep it, as deleted
            batch.contacts[contact_id] = earlier.model_copy(update={"deleted": True})
        else:
            batch.deleted_contact_ids.add(contact_id)
    else:
        batch.contacts[gone.id] = gone
        batch.deleted_contact_ids.discard(gone.id)


def _id_of(event: SyncEvent) -> str:
    value = event.data.get("id")
    if not isinstance(value, str) or not value:
        raise MalformedEvent(f"event {event.seq} ({event.type}) names no id")
    return value


@dataclass(frozen=True)
class PreparedEvents:
    """Events checked and reduced, ready to write: the slow part (validation) done before the
    write transaction opens, so the transaction holds the write lock for writing only.

    `steps` is in feed order: reduced batches, and between them the ids of conversations to
    forget (`conversation.deleted` is a barrier: what came before it is written first)."""

    steps: tuple[_Batch | str, ...]
    seqs: tuple[int, ...]  # of the events prepared, in feed order


def prepare_events(events: Sequence[SyncEvent]) -> PreparedEvents:
    """Validate and reduce `events` (no database work); raises MalformedEvent."""
    steps: list[_Batch | str] = []
    start = 0
    for position, event in enumerate(events):
        if event.type == "conversation.deleted":
            conversation_id = event.data.get("id")
            if not isinstance(conversation_id, str) or not conversation_id:
                raise MalformedEvent(f"event {event.seq} (conversation.deleted) names no id")
            if position > start:
                steps.append(_reduce(events[start:position]))
            steps.append(conversation_id)
            start = position + 1
    if start < len(events):
        steps.append(_reduce(events[start:] if start else events))
    return PreparedEvents(tuple(steps), tuple(e.seq for e in events))


def write_events(conn: Connection, prepared: PreparedEvents) -> Changes:
    """Write prepared events inside the caller's transaction; returns what changed."""
    changes = Changes()
    for step in prepared.steps:
        if isinstance(step, str):
            changes.merge(forget_conversation(conn, step, utcnow()))
        else:
            changes.merge(_write_batch(conn, step))
    return changes


def apply_events(conn: Connection, events: Sequence[SyncEvent]) -> Changes:
    """Write `events` inside the caller's transaction; returns what changed."""
    return write_events(conn, prepare_events(events))


def _write_batch(conn: Connection, batch: _Batch) -> Changes:
    changes = Changes()
    upsert_users(conn, list(batch.users.values()))
    changes.users.update(batch.users)
    _upsert_user_names(conn, batch.user_names)
    _upsert_numbers(conn, list(batch.numbers.values()), changes)
    _upsert_contacts(conn, list(batch.contacts.values()), changes)
    _delete_contacts(conn, sorted(batch.deleted_contact_ids), changes)
    _forget_contacts(conn, sorted(batch.forgotten_contact_ids), changes)
    changes.merge(write_group_batch(conn, batch.groups))
    changes.merge(upsert_scheduled(conn, list(batch.scheduled.values())))
    if batch.quiet_hours is not None:
        set_meta(conn, {QUIET_HOURS_KEY: json.dumps(batch.quiet_hours)})
        changes.quiet_hours = True
    changes.merge(upsert_templates(conn, list(batch.templates.values())))
    changes.merge(delete_templates(conn, sorted(batch.deleted_template_ids)))
    changes.merge(upsert_imports(conn, list(batch.contact_imports.values())))
    named = search_index.conversation_state(conn, batch.conversations)
    _upsert_conversations(conn, list(batch.conversations.values()), changes)
    _upsert_messages(conn, list(batch.messages.values()), changes)
    if batch.conversations:
        _keep_local_read_marks(conn)
    # History search: this batch's messages and group messages, in bulk (search_index.py).
    search_index.refresh(
        conn,
        message_ids=search_index.message_ids(changes),
        group_message_ids=changes.group_messages,
        conversation_ids=search_index.changed_conversations(conn, named),
    )
    return changes


def apply_sync_page(
    cache: Cache, page: SyncPage, *, reset: bool = False, now: datetime | None = None
) -> Changes:
    """Apply one page of the feed and store its cursor in the same transaction."""
    with cache.write() as conn:
        changes = apply_events(conn, page.events)
        save_cursor(conn, page.next, now or utcnow())
    changes.reset = changes.reset or reset
    return changes


def _upsert_numbers(conn: Connection, records: list[BusinessNumber], changes: Changes) -> None:
    if not records:
        return
    stmt = sqlite_insert(numbers)
    columns = ("e164", "label", "is_default", "assigned_user_id", "can_send", "opt_out_hint")
    stmt = stmt.on_conflict_do_update(
        index_elements=[numbers.c.id], set_={c: stmt.excluded[c] for c in columns}
    )
    conn.execute(stmt, [n.model_dump(include={"id", *columns}) for n in records])
    changes.numbers.update(n.id for n in records)


def _upsert_contacts(conn: Connection, records: list[Contact], changes: Changes) -> None:
    if not records:
        return
    columns = ("name", "email", "dnd", "assigned_user_id", "updated_at", "deleted")
    stmt = sqlite_insert(contacts)
    stmt = stmt.on_conflict_do_update(
        index_elements=[contacts.c.id], set_={c: stmt.excluded[c] for c in columns}
    )
    conn.execute(stmt, [c.model_dump(include={"id", *columns}) for c in records])
    ids = [c.id for c in records]
    for chunk in _chunks(ids):
        conn.execute(delete(contact_phones).where(contact_phones.c.contact_id.in_(chunk)))
    phones = [
        {"contact_id": c.id, "position": i, "number": p.number, "label": p.label}
        for c in records
        for i, p in enumerate(c.phones)
    ]
    if phones:
        conn.execute(insert(contact_phones), phones)
    changes.contacts.update(ids)


def _delete_contacts(conn: Connection, ids: list[str], changes: Changes) -> None:
    # Soft delete, as the server does: old conversations still show who wrote what.
    for chunk in _chunks(ids):
        conn.execute(update(contacts).where(contacts.c.id.in_(chunk)).values(deleted=True))
    changes.contacts.update(ids)


def _forget_contacts(conn: Connection, ids: list[str], changes: Changes) -> None:
    # Out of this user's sight: nothing of the person stays (their threads went just before).
    for chunk in _chunks(ids):
        conn.execute(delete(contact_phones).where(contact_phones.c.contact_id.in_(chunk)))
        conn.execute(delete(contacts).where(contacts.c.id.in_(chunk)))
    changes.contacts.update(ids)


def _upsert_user_names(conn: Connection, names: dict[str, str]) -> None:
    """A colleague known by name only: no email or role, even where an older event gave them
    (the server no longer lets this reader see them)."""
    if not names:
        return
    stmt = sqlite_insert(users)
    stmt = stmt.on_conflict_do_update(
        index_elements=[users.c.id],
        set_={"name": stmt.excluded.name, "email": "", "role": "", "data_access": ""},
    )
    conn.execute(
        stmt,
        [{"id": i, "name": n, "email": "", "role": "", "data_access": ""}
         for i, n in names.items()],
    )


def _conversation_values(c: Conversation) -> dict[str, Any]:
    participants = (
        json.dumps([p.model_dump(mode="json") for p in c.participants])
        if c.participants is not None
        else None
    )
    return {
        "id": c.id,
        "kind": c.kind,
        "title": c.title,
        "number_id": c.number_id,
        "contact_id": c.contact_id,
        "phone": c.phone,
        "status": c.status,
        "blocked_reason": c.blocked_reason,
        "last_message_at": c.last_message_at,
        "last_message_preview": c.last_message_preview,
        "unread_count": c.unread_count,
        "participants_json": participants,
        "replaces": c.replaces,
        "replaced_by": c.replaced_by,
        # None from a server that predates opt-out flags, too (the field defaults to None).
        "opt_out_message_id": c.opt_out_suspected.message_id if c.opt_out_suspected else None,
        "opt_out_at": c.opt_out_suspected.at if c.opt_out_suspected else None,
        # A chat with no messages yet sorts by when it was made, not after every other one.
        "activity_at": c.last_message_at or c.created_at,
        "known": True,
    }


def _upsert_conversations(conn: Connection, records: list[Conversation], changes: Changes) -> None:
    if not records:
        return
    stmt = sqlite_insert(conversations)
    new = stmt.excluded
    # A local pending send may be newer than what the server knows yet: keep its activity
    # time and preview until the server reports something at least as new.
    server_is_newer = or_(
        conversations.c.activity_at.is_(None), new.activity_at >= conversations.c.activity_at
    )
    plain = (
        "kind",
        "title",
        "number_id",
        "contact_id",
        "phone",
        "status",
        "blocked_reason",
        "last_message_at",
        "unread_count",
        "participants_json",
        "replaces",
        "known",
        "opt_out_message_id",
        "opt_out_at",
    )
    set_: dict[str, Any] = {c: new[c] for c in plain}
    # A chat created here and not confirmed yet keeps its link until the server names one.
    set_["replaced_by"] = case(
        (
            and_(
                new.replaced_by.is_(None),
                conversations.c.replaced_by.startswith(PENDING_CONVERSATION_PREFIX),
            ),
            conversations.c.replaced_by,
        ),
        else_=new.replaced_by,
    )
    set_["activity_at"] = case(
        (server_is_newer, new.activity_at), else_=conversations.c.activity_at
    )
    set_["last_message_preview"] = case(
        (server_is_newer, new.last_message_preview), else_=conversations.c.last_message_preview
    )
    stmt = stmt.on_conflict_do_update(index_elements=[conversations.c.id], set_=set_)
    conn.execute(stmt, [_conversation_values(c) for c in records])
    changes.conversations.update(c.id for c in records)


def _keep_local_read_marks(conn: Connection) -> None:
    # A read or unread mark still in the outbox is newer than any server copy applied before
    # it is sent: the newest one of each conversation decides (read: 0, unread: at least 1).
    conn.execute(
        update(conversations)
        .where(
            conversations.c.id.in_(ob.conversations_marked(ob.OutboxKind.MARK_READ)),
            conversations.c.unread_count != 0,
        )
        .values(unread_count=0)
    )
    conn.execute(
        update(conversations)
        .where(
            conversations.c.id.in_(ob.conversations_marked(ob.OutboxKind.MARK_UNREAD)),
            conversations.c.unread_count == 0,
        )
        .values(unread_count=1)
    )


def _message_values(m: Message) -> dict[str, Any]:
    return {
        "server_id": m.id,
        "client_key": m.client_key,
        "conversation_id": m.conversation_id,
        "direction": m.direction,
        "author_user_id": m.author_user_id,
        "author_contact_id": m.author_contact_id,
        "body": m.body,
        "status": m.status,
        "error_code": m.error_code,
        "error_detail": None,
        "created_at": m.created_at,
        "deliveries_json": deliveries_json(m),
        "reply_to_group_message_id": m.reply_to_group_message_id,
        "reply_to_title": m.reply_to_title,
        "note": m.note,
    }


def deliveries_json(m: Message) -> str | None:
    """The server's per-recipient delivery of a group chat message, as stored in the cache
    (`messages.deliveries_json`, migration r0004); None when it has none."""
    if not m.deliveries:
        return None
    return json.dumps(
        [d.model_dump(mode="json") for d in m.deliveries], separators=(",", ":")
    )


def _ensure_conversations(conn: Connection, conversation_ids: set[str]) -> None:
    """Placeholder rows for conversations a message names before the feed described them."""
    if not conversation_ids:
        return
    stmt = sqlite_insert(conversations).on_conflict_do_nothing(index_elements=[conversations.c.id])
    conn.execute(
        stmt,
        [
            {
                "id": cid,
                "kind": "direct",
                "title": "",
                "status": "active",
                "last_message_preview": "",
                "unread_count": 0,
                "known": False,
            }
            for cid in sorted(conversation_ids)
        ],
    )


def upsert_messages(conn: Connection, records: Sequence[Message], changes: Changes) -> None:
    """Insert or update server messages, turning a pending local row into the server row."""
    _upsert_messages(conn, list(records), changes)


# Columns a server message fills, in the order of the bulk upsert's VALUES rows.
_MESSAGE_COLUMNS = (
    "server_id",
    "client_key",
    "conversation_id",
    "direction",
    "author_user_id",
    "author_contact_id",
    "body",
    "status",
    "error_code",
    "error_detail",
    "created_at",
    "deliveries_json",
    "reply_to_group_message_id",
    "reply_to_title",
    "note",
)
# Rows per upsert statement: 15 parameters each stays far below SQLite's 32,766, and binding
# them (which holds the GIL) stays short.
_UPSERT_ROWS = 500
# The server's copy wins, except that a client key the server did not echo is kept.
_UPSERT_SET = ", ".join(
    ["client_key = coalesce(excluded.client_key, messages.client_key)"]
    + [f"{c} = excluded.{c}" for c in _MESSAGE_COLUMNS if c not in ("server_id", "client_key")]
)


def _stored_time(moment: datetime) -> str:
    """`moment` as the cache stores it (UtcDateTime on SQLite: naive UTC text with
    microseconds), without the per-value type machinery of a Core statement."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: the cache only stores aware UTC times")
    if moment.utcoffset():
        moment = moment.astimezone(UTC)
    return moment.isoformat(" ", "microseconds")[:26]  # drop the "+00:00"


def _upsert_sql(rows: int) -> str:
    values = ",".join(["(" + ",".join("?" * len(_MESSAGE_COLUMNS)) + ")"] * rows)
    return (
        f"INSERT INTO messages ({', '.join(_MESSAGE_COLUMNS)}) VALUES {values} "
        f"ON CONFLICT (server_id) DO UPDATE SET {_UPSERT_SET} RETURNING id, conversation_id"
    )


def _claim_pending_rows(conn: Connection, records: Sequence[Message]) -> None:
    """Give a pending local row (matched by client key) the server id of its server copy, so
    the upsert below updates that row instead of adding a second one."""
    keyed = {m.id: m.client_key for m in records if m.client_key}
    if not keyed:
        return
    known: set[str] = set()
    for chunk in _chunks(list(keyed)):
        known.update(
            conn.execute(select(messages.c.server_id).where(messages.c.server_id.in_(chunk)))
            .scalars()
            .all()
        )
    claims = [{"b_sid": sid, "b_key": key} for sid, key in keyed.items() if sid not in known]
    if claims:
        conn.execute(
            update(messages)
            .where(messages.c.client_key == bindparam("b_key"))
            .values(server_id=bindparam("b_sid")),
            claims,
        )


def _upsert_messages(conn: Connection, records: list[Message], changes: Changes) -> None:
    """One multi-row INSERT ... ON CONFLICT (server_id) DO UPDATE ... RETURNING per 1,000
    messages: no per-row statement, lookup or ORM work (PERFORMANCE.md; a first sync writes
    100k). Executed as plain SQL with the column types' own bind processing for times, so
    the stored text is what Core would have written."""
    if not records:
        return
    _ensure_conversations(conn, {m.conversation_id for m in records})
    _claim_pending_rows(conn, records)
    for chunk in _chunks(records, _UPSERT_ROWS):
        params: list[Any] = []
        for m in chunk:
            params += (
                m.id,
                m.client_key,
                m.conversation_id,
                m.direction,
                m.author_user_id,
                m.author_contact_id,
                m.body,
                m.status,
                m.error_code,
                None,
                _stored_time(m.created_at),
                deliveries_json(m),
                m.reply_to_group_message_id,
                m.reply_to_title,
                m.note,
            )
        written = conn.exec_driver_sql(_upsert_sql(len(chunk)), tuple(params)).all()
        for local_id, conversation_id in written:
            changes.add_message(conversation_id, local_id)
    _bump_conversations(conn, records, changes)


def _bump_conversations(conn: Connection, records: list[Message], changes: Changes) -> None:
    """Move each conversation's activity time, preview and server activity time forward to
    its newest message. The backend sends no thread event when a message changed nothing else
    (a group message's copy in an existing in-app thread), so this is how the thread moves.
    An internal note moves nothing: the server leaves the thread's preview and times alone
    for one, and so does the cache (the row would otherwise jump up the list for a note)."""
    newest: dict[str, Message] = {}
    for m in records:
        if m.note:
            continue
        current = newest.get(m.conversation_id)
        if current is None or m.created_at > current.created_at:
            newest[m.conversation_id] = m
    if not newest:
        return
    at: BindParameter[datetime] = bindparam("b_at")
    # A local pending send may have moved activity_at past this message (kept until the
    # server reports something as new); last_message_at is the server's alone.
    activity_older = or_(conversations.c.activity_at.is_(None), conversations.c.activity_at < at)
    server_older = or_(
        conversations.c.last_message_at.is_(None), conversations.c.last_message_at < at
    )
    conn.execute(
        update(conversations)
        .where(conversations.c.id == bindparam("b_id"), or_(activity_older, server_older))
        .values(
            activity_at=case((activity_older, at), else_=conversations.c.activity_at),
            last_message_preview=case(
                (activity_older, bindparam("b_preview")),
                else_=conversations.c.last_message_preview,
            ),
            last_message_at=case((server_older, at), else_=conversations.c.last_message_at),
        ),
        [
            {"b_id": cid, "b_at": m.created_at, "b_preview": preview_of(m.body)}
            for cid, m in newest.items()
        ],
    )
    changes.conversations.update(newest)


def apply_sent_message(conn: Connection, message: Message, local_id: int | None) -> Changes:
    """Fill the pending row `local_id` with the server's answer to its POST.

    Once the feed has described the message its row is left alone: a POST answer may be the
    replay of an older first result (same idempotency key) and must not move a status back.
    """
    changes = Changes()
    known = conn.execute(
        select(messages.c.id, messages.c.conversation_id).where(messages.c.server_id == message.id)
    ).first()
    if known is not None:
        return changes
    if local_id is None:
        _upsert_messages(conn, [message], changes)
        search_index.refresh(conn, message_ids=search_index.message_ids(changes))
        return changes
    values = _message_values(message)
    values["client_key"] = (
        message.client_key
        or conn.execute(
            select(messages.c.client_key).where(messages.c.id == local_id)
        ).scalar_one_or_none()
    )
    result = conn.execute(
        update(messages)
        .where(messages.c.id == local_id, messages.c.server_id.is_(None))
        .values(**values)
    )
    if result.rowcount:
        changes.add_message(message.conversation_id, local_id)
        _bump_conversations(conn, [message], changes)
        search_index.refresh(conn, message_ids=[local_id])  # its time is the server's now
    return changes
