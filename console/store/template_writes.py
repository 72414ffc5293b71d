"""Templates written here: shown at once, sent through the outbox in the template's lane.

As with scheduled sends (store/scheduled_writes.py, store/local_lane.py), the synced table is
the server's alone: reads lay the open outbox items over it (template_queries.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete
from sqlalchemy.dialects.sqlite import insert

from console.domain.templates import name_key
from console.protocol.templates import Template
from console.store import outbox as ob
from console.store.changes import Changes
from console.store.local_lane import LocalLane
from console.store.models import templates

LOCAL_TEMPLATE_PREFIX = "local-tpl-"
NOT_CREATED_CODE = "template_not_created"
LANE = LocalLane(
    prefix=LOCAL_TEMPLATE_PREFIX,
    id_key="template_id",
    create=ob.OutboxKind.TEMPLATE_CREATE,
    followers=(ob.OutboxKind.TEMPLATE_EDIT, ob.OutboxKind.TEMPLATE_DELETE),
)


def queue_create(
    conn: Connection, *, name: str, body: str, shared: bool, now: datetime
) -> tuple[str, Changes]:
    template_id = LANE.queue_create(conn, {"name": name, "body": body, "shared": shared}, now)
    return template_id, Changes(templates={template_id}, outbox=True)


def queue_edit(
    conn: Connection, *, template_id: str, patch: Mapping[str, Any], now: datetime
) -> Changes:
    """New name, text and/or sharing (`patch`: name?, body?, shared?)."""
    template_id = LANE.server_id(conn, template_id)
    if not LANE.fold_into_create(conn, template_id, patch):
        LANE.queue_follower(conn, ob.OutboxKind.TEMPLATE_EDIT, template_id,
                            {"patch": dict(patch)}, now)
    return Changes(templates={template_id}, outbox=True)


def queue_delete(conn: Connection, *, template_id: str, name: str, now: datetime) -> Changes:
    """Delete it (`name`: for the refused list should the server refuse)."""
    template_id = LANE.server_id(conn, template_id)
    if not LANE.drop_create(conn, template_id):
        LANE.queue_follower(conn, ob.OutboxKind.TEMPLATE_DELETE, template_id, {"name": name},
                            now)
    return Changes(templates={template_id}, outbox=True)


def adopt_template(conn: Connection, local_id: str, server_id: str) -> Changes:
    LANE.adopt(conn, local_id, server_id)
    return Changes(templates={local_id, server_id}, outbox=True)


def upsert_templates(conn: Connection, records: Sequence[Template]) -> Changes:
    """The server's descriptions; an older version never overwrites a newer."""
    if not records:
        return Changes()
    rows = [
        {
            "id": r.id, "name": r.name, "name_key": name_key(r.name), "body": r.body,
            "shared": r.shared, "owner_user_id": r.owner_user_id, "version": r.version,
            "updated_at": r.updated_at,
        }
        for r in records
    ]
    statement = insert(templates)
    statement = statement.on_conflict_do_update(
        index_elements=[templates.c.id],
        set_={c.name: statement.excluded[c.name] for c in templates.columns if c.name != "id"},
        where=statement.excluded.version >= templates.c.version,
    )
    conn.execute(statement, rows)
    return Changes(templates={r.id for r in records})


def delete_templates(conn: Connection, ids: Sequence[str]) -> Changes:
    if not ids:
        return Changes()
    conn.execute(delete(templates).where(templates.c.id.in_(list(ids))))
    return Changes(templates=set(ids))
