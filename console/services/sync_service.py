"""The sync engine as the UI sees it: a status, a change signal and a "sync now" button."""

from __future__ import annotations

from console.services.listeners import Listeners
from console.services.mapping import to_sync_status
from console.services.types import SyncStatus
from console.sync.engine import EngineStatus, SyncEngine


class SyncService:
    def __init__(self, engine: SyncEngine) -> None:
        self._engine = engine
        self.status_changed: Listeners[SyncStatus] = Listeners()

    @property
    def status(self) -> SyncStatus:
        return to_sync_status(self._engine.status)

    def sync_now(self) -> None:
        """Wake the engine: push and pull now instead of at the next poll or retry."""
        self._engine.wake()

    def set_token(self, token: str | None) -> None:
        """After signing in again (e.g. the status said "Signed out: log in again")."""
        self._engine.set_token(token)

    def report(self, status: EngineStatus) -> None:
        """Called by the engine thread on every meaningful status change."""
        self.status_changed.emit(to_sync_status(status))
