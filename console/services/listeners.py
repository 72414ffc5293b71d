"""A tiny Qt-free observer, so services can announce changes without knowing about Qt.

Callbacks may run on a worker thread; the UI's bridge re-emits them as queued Qt signals.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")
log = logging.getLogger("console.services")


class Listeners(Generic[T]):
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._callbacks: list[Callable[[T], None]] = []

    def connect(self, callback: Callable[[T], None]) -> Callable[[], None]:
        """Register `callback`; returns a function that disconnects it."""
        with self._lock:
            self._callbacks.append(callback)

        def disconnect() -> None:
            with self._lock:
                if callback in self._callbacks:
                    self._callbacks.remove(callback)

        return disconnect

    def emit(self, value: T) -> None:
        with self._lock:
            callbacks = list(self._callbacks)
        for callback in callbacks:
            try:
                callback(value)
            except Exception:  # one broken listener must not stop the others or the sync loop
                log.exception("listener %r failed", callback)
