"""A stop flag for long work the user can cancel: set on the GUI thread, looked at by the
worker between pages (a conversation search, an export).

The ui holds one of these rather than a `threading.Event`, so threads stay out of console/ui
(ARCHITECTURE.md): only console/ui/tasks.py and bridge.py, the ui's adapter to the workers,
touch them."""

from __future__ import annotations

import threading


class Cancellation:
    __slots__ = ("_event",)

    def __init__(self) -> None:
        self._event = threading.Event()

    def set(self) -> None:
        """Stop: the work ends at its next look."""
        self._event.set()

    def is_set(self) -> bool:
        return self._event.is_set()
