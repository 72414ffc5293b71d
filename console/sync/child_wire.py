"""What the GUI process and its sync child say to each other: one JSON object per line.

Parent to child: `start` (the cache, the server, the token and the engine's options: the token
travels here, never in argv, the environment or a file), `wake`, `sync_now`, `token`, `close`.
Child to parent: `changes` (what a write changed, by id) and `status` (EngineStatus).
"""

from __future__ import annotations

import json
from dataclasses import asdict, fields
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
    """Every field of `changes` (sets as sorted lists): a field added to Changes crosses the
    wire without a change here (tests/unit/test_child_wire.py round-trips each)."""
    message: dict[str, Any] = {"t": "changes"}
    for name, value in ((f.name, getattr(changes, f.name)) for f in fields(Changes)):
        if isinstance(value, set):
            message[name] = sorted(value)
        elif isinstance(value, dict):
            message[name] = {key: sorted(ids) for key, ids in value.items()}
        else:
            message[name] = value
    return message


def changes_from(message: dict[str, Any]) -> Changes:
    """The Changes a parent reads back; a field an older child did not send stays empty."""
    kept: dict[str, Any] = {}
    for field in fields(Changes):
        value = message.get(field.name)
        if value is None:
            continue
        if isinstance(value, list):
            kept[field.name] = set(value)
        elif isinstance(value, dict):
            kept[field.name] = {key: set(ids) for key, ids in value.items()}
        else:
            kept[field.name] = bool(value)
    return Changes(**kept)


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
