"""The carrier interface the rest of the backend talks to."""

from __future__ import annotations

from typing import Protocol


class CarrierUnavailable(RuntimeError):
    """The configured carrier cannot run (e.g. not implemented yet or not configured)."""


class Carrier(Protocol):
    name: str

    def start(self) -> None:
        """Called on the server's event loop once the app starts; may resume unfinished work."""

    async def stop(self) -> None:
        """Stop background work (bounded time)."""

    def submit(self, message_id: str) -> None:
        """Hand over a committed outbound message. Thread-safe; returns at once."""
