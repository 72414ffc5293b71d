"""Reading templates: the synced rows with the open outbox items laid over them (a template
made here shows at once, an edit shows its new words, a delete hides it)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy import Connection, select

from console.domain.templates import TemplateItem, name_key
from console.store import outbox as ob
from console.store.models import templates
from console.store.template_writes import LANE

_OPEN = (ob.OutboxState.PENDING, ob.OutboxState.SENDING)


def _item(row: Any) -> TemplateItem:
    return TemplateItem(id=row.id, name=row.name, body=row.body, shared=bool(row.shared),
                        owner_user_id=row.owner_user_id)


def _changed(item: TemplateItem, values: dict[str, Any]) -> TemplateItem:
    name, body, shared = values.get("name"), values.get("body"), values.get("shared")
    return replace(
        item,
        name=name if isinstance(name, str) else item.name,
        body=body if isinstance(body, str) else item.body,
        shared=shared if isinstance(shared, bool) else item.shared,
        local=True,
    )


def all_templates(conn: Connection, *, user_id: str | None = None) -> list[TemplateItem]:
    """Every template the user may insert, by name (their own first on a tie)."""
    by_id = {r.id: _item(r) for r in conn.execute(select(templates))}
    for open_item in ob.open_of_kind(conn, *ob.TEMPLATE_LANE_KINDS):
        if open_item.state not in _OPEN:
            continue
        payload = open_item.payload
        template_id = payload.get(LANE.id_key)
        if not isinstance(template_id, str):
            continue
        if open_item.kind == ob.OutboxKind.TEMPLATE_CREATE:
            blank = TemplateItem(id=template_id, name="", body="", shared=False,
                                 owner_user_id=user_id)
            by_id[template_id] = _changed(blank, payload)
        elif template_id not in by_id:
            continue
        elif open_item.kind == ob.OutboxKind.TEMPLATE_DELETE:
            del by_id[template_id]
        elif isinstance(payload.get("patch"), dict):
            by_id[template_id] = _changed(by_id[template_id], payload["patch"])
    return sorted(by_id.values(), key=lambda t: (name_key(t.name), t.shared, t.id))


def get_template(conn: Connection, template_id: str) -> TemplateItem | None:
    template_id = LANE.server_id(conn, template_id)
    return next((t for t in all_templates(conn) if t.id == template_id), None)
