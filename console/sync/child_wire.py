"""What the GUI process and its sync child say to each other: one JSON object per line.

Parent to child: `start` (the cache, the server, the token and the engine's options: the token
travels here, never in argv, the environment or a file), `wake`, `sync_now`, `token`, `close`.
Child to parent: `changes` (what a write changed, by id) and `status` (EngineStatus).
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import datetime
from typing import Any

from console.domain.status_detail import StatusDetail
from console.store.changes import Changes
from console.sync.engine import EngineState, EngineStatus


def encode(message: dict[str, Any]) -> bytes:
    return json.dumps(message, separators=(",", ":")).encode() + b"\n"


def decode(line: bytes) -> dict[str, Any]:
    message = json.loads(line)
    if not isinstance(message, dict) or not isinstance(message.get("t"), str):
        raise ValueError(f"not a sync child message: {line[:80]!r}")
    return message


def changes_message(changes: Changes) -> dict[str, Any]:
    return {
        "t": "changes",
        "conversations": sorted(changes.conversations),
        "messages": {cid: sorted(ids) for cid, ids in changes.messages.items()},
        "contacts": sorted(changes.contacts),
        "numbers": sorted(changes.numbers),
        "users": sorted(changes.users),
        "groups": sorted(changes.groups),
        "group_messages": sorted(changes.group_messages),
        "scheduled": sorted(changes.scheduled),
        "outbox": changes.outbox,
        "reset": changes.reset,
    }


def changes_from(message: dict[str, Any]) -> Changes:
    return Changes(
        conversations=set(message["conversations"]),
        messages={cid: set(ids) for cid, ids in message["messages"].items()},
        contacts=set(message["contacts"]),
        numbers=set(message["numbers"]),
        users=set(message["users"]),
        groups=set(message["groups"]),
        group_messages=set(message["group_messages"]),
        scheduled=set(message.get("scheduled", ())),
        outbox=bool(message["outbox"]),
        reset=bool(message["reset"]),
    )


def status_message(status: EngineStatus) -> dict[str, Any]:
    fields = asdict(status)
    fields["state"] = status.state.value
    fields["detail"] = status.detail.to_json()  # {"code": ..., "values": {name: value}}
    fields["last_sync_at"] = status.last_sync_at.isoformat() if status.last_sync_at else None
    return {"t": "status", **fields}


def status_from(message: dict[str, Any]) -> EngineStatus:
    at = message.get("last_sync_at")
    return EngineStatus(
        state=EngineState(message["state"]),
        detail=StatusDetail.from_json(message.get("detail")),
        last_sync_at=datetime.fromisoformat(at) if at else None,
        pending=int(message["pending"]),
        signed_out=bool(message["signed_out"]),
        refused=int(message["refused"]),
        live=bool(message["live"]),
    )
