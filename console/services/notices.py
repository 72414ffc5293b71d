"""Notices are told once, but may be raised before the UI has connected: keep and replay them."""

from __future__ import annotations

import threading
from collections.abc import Callable
from enum import StrEnum

from console.services.listeners import Listeners
from console.services.types import Notice
from console.store.cache_problem import CacheProblem

__all__ = ["CacheProblem", "NoticeBoard", "NoticeCode", "SignOutProblem"]


class NoticeCode(StrEnum):
    """The notices the services raise; console/ui/notice_texts.py words each."""

    NO_KEYRING = "no_keyring"  # the sign-in is kept in memory only
    # Signed out here, but the server was not told: values server, problem (SignOutProblem)
    SIGN_OUT_NOT_REVOKED = "sign_out_not_revoked"
    # The cache file could not be used and is being rebuilt: values path, problem
    # (store/recovery.py CacheProblem), moved_to ("" when it could not be kept), salvaged
    # (outbox items carried over), outbox_readable (1/0)
    CACHE_REBUILT = "cache_rebuilt"


class SignOutProblem(StrEnum):
    UNREACHABLE = "unreachable"
    TLS_REFUSED = "tls_refused"
    FAILED = "failed"  # the server answered with an error (value `code`)


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
