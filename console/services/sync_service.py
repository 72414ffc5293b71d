"""The sync engine as the UI sees it: a status, a change signal and a "sync now" button."""

from __future__ import annotations

from dataclasses import dataclass

from console.services.listeners import Listeners
from console.services.mapping import to_sync_status
from console.services.types import SyncStatus
from console.sync.control import EngineControl
from console.sync.engine import EngineStatus
from console.sync.event_stream import DEFAULT_HEARTBEAT_S


@dataclass(frozen=True, slots=True)
class RealtimeOptions:
    """How a workspace follows the server: the realtime stream (`/v1/events`), falling back to
    polling `/v1/sync`; `heartbeat_s` is the server's idle heartbeat (a stream quiet for 2.5 of
    them is taken for dead). Tests shorten it along with the backend's."""

    enabled: bool = True
    heartbeat_s: float = DEFAULT_HEARTBEAT_S


class SyncService:
    def __init__(self, engine: EngineControl) -> None:
        self._engine = engine
        self.status_changed: Listeners[SyncStatus] = Listeners()

    @property
    def status(self) -> SyncStatus:
        """Online (stream up or polling fine) / connecting / offline, with the last sync time."""
        return to_sync_status(self._engine.status)

    def sync_now(self) -> None:
        """Catch up from the server and push now, instead of at the next event, poll or retry."""
        self._engine.sync_now()

    def set_token(self, token: str | None) -> None:
        """After signing in again (e.g. the status said "Signed out: log in again")."""
        self._engine.set_token(token)

    def report(self, status: EngineStatus) -> None:
        """Called by the engine (its thread, or the reader of its child process's pipe) on
        every meaningful status change."""
        self.status_changed.emit(to_sync_status(status))
