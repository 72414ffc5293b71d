"""Builders of change-feed events as the backend sends them, for the store and service tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import count
from typing import Any

from console.protocol.sync import SyncEvent, SyncPage

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
_seq = count(1)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def event(kind: str, data: dict[str, Any]) -> SyncEvent:
    return SyncEvent(seq=next(_seq), type=kind, data=data)


def page(*events: SyncEvent, cursor: str = "c1", has_more: bool = False) -> SyncPage:
    return SyncPage(events=list(events), next=cursor, has_more=has_more)


def contact(cid: str, name: str, *phones: str, **extra: Any) -> SyncEvent:
    return event(
        "contact.upserted",
        {
            "id": cid,
            "name": name,
            "phones": [
                {"number": p, "label": "primary" if i == 0 else "secondary"}
                for i, p in enumerate(phones)
            ],
            "updated_at": at(0).isoformat(),
            **extra,
        },
    )


def number(nid: str, e164: str, label: str = "Main", **extra: Any) -> SyncEvent:
    data = {
        "id": nid,
        "e164": e164,
        "label": label,
        "is_default": False,
        "assigned_user_id": None,
        "can_send": True,
    }
    return event("number.upserted", {**data, **extra})


def conversation(
    cid: str,
    title: str,
    *,
    phone: str | None = "+14155550123",
    last: datetime | None = None,
    preview: str = "",
    unread: int = 0,
    **extra: Any,
) -> SyncEvent:
    return event(
        "conversation.upserted",
        {
            "id": cid,
            "kind": "direct",
            "title": title,
            "phone": phone,
            "number_id": extra.pop("number_id", None),
            "contact_id": extra.pop("contact_id", None),
            "last_message_at": last.isoformat() if last else None,
            "last_message_preview": preview,
            "unread_count": unread,
            **extra,
        },
    )


def message(
    mid: str,
    conversation_id: str,
    body: str,
    *,
    when: datetime,
    direction: str = "in",
    status: str | None = None,
    client_key: str | None = None,
    **extra: Any,
) -> SyncEvent:
    return event(
        "message.upserted",
        {
            "id": mid,
            "conversation_id": conversation_id,
            "direction": direction,
            "body": body,
            "status": status or ("received" if direction == "in" else "queued"),
            "created_at": when.isoformat(),
            "client_key": client_key,
            **extra,
        },
    )


def resync_cursors() -> set[str]:
    """Every cursor a cache migration writes to make an older cache read the feed again (a
    cache upgraded across several such revisions ends with the newest one's)."""
    from console.store.migrations.versions import (
        r0005_groups,
        r0009_scheduled_sends,
        r0010_templates,
        r0011_contact_imports,
        r0012_opt_out_hint,
        r0013_message_notes,
    )

    return {
        m.RESYNC_CURSOR
        for m in (
            r0005_groups,
            r0009_scheduled_sends,
            r0010_templates,
            r0011_contact_imports,
            r0012_opt_out_hint,
            r0013_message_notes,
        )
    }
