"""The error of an outbox item this console cannot send at all (console/sync/pusher.py fails it
for good instead of retrying): corrupt, written by a newer version, or naming something that was
never created. Its own module so the per-feature senders (group_push.py) can raise it."""

from __future__ import annotations

from console.store import outbox as ob


class Unsendable(ValueError):
    """An item this console cannot send (corrupt, or written by a newer version)."""

    code = "client_error"

    def __init__(self, detail: str, code: str = "client_error") -> None:
        super().__init__(detail)
        self.code = code


def payload_text(item: ob.OutboxItem, name: str) -> str:
    """The string `name` of the item's payload; Unsendable when it has none."""
    value = item.payload.get(name)
    if not isinstance(value, str):
        raise Unsendable(f"outbox item {item.id} has no {name!r}")
    return value
