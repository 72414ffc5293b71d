"""Notices are told once, but may be raised before the UI has connected: keep and replay them."""

from __future__ import annotations

import threading
from collections.abc import Callable

from console.services.listeners import Listeners
from console.services.types import Notice


class NoticeBoard(Listeners[Notice]):
    """Listeners[Notice] that hands every earlier notice to a listener when it connects."""

    def __init__(self) -> None:
        super().__init__()
        self._history_lock = threading.Lock()
        self._history: list[Notice] = []

    def connect(self, callback: Callable[[Notice], None]) -> Callable[[], None]:
        with self._history_lock:
            earlier = list(self._history)
        disconnect = super().connect(callback)
        for notice in earlier:
            callback(notice)
        return disconnect

    def emit(self, value: Notice) -> None:
        with self._history_lock:
            if value in self._history:
                return  # told once
            self._history.append(value)
        super().emit(value)

    @property
    def history(self) -> list[Notice]:
        with self._history_lock:
            return list(self._history)
