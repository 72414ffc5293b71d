"""What the services ask of a sync engine, wherever it runs: this thread (engine.py) or a
child process (child_engine.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from console.store.cache import Cache
from console.store.changes import Changes
from console.sync.api_client import ApiClient
from console.sync.engine import EngineStatus, SyncEngine
from console.timing import SYNC_IN_CHILD_PROCESS


class EngineControl(Protocol):
    @property
    def status(self) -> EngineStatus: ...

    @property
    def running(self) -> bool: ...

    def start(self) -> None: ...

    def wake(self) -> None: ...

    def sync_now(self) -> None: ...

    def note_local_write(self) -> None: ...

    def set_token(self, token: str | None) -> None: ...

    def close(self, timeout: float = 1.5) -> bool: ...


def make_engine(
    cache: Cache,
    client: ApiClient,
    token: str | None,
    *,
    child_process: bool | None,
    on_changes: Callable[[Changes], None],
    on_status: Callable[[EngineStatus], None],
    poll_interval: float,
    realtime: bool,
    heartbeat_s: float,
) -> EngineControl:
    """The profile's sync engine: in a child process, or on a thread of this one (None: as
    console/timing.py says; a frozen build starts the child through its backend executable,
    console/frozen.py)."""
    if child_process is None:
        child_process = SYNC_IN_CHILD_PROCESS
    if child_process:
        from console.sync.child_engine import ChildSyncEngine

        return ChildSyncEngine(
            cache,
            client,
            token,
            on_changes=on_changes,
            on_status=on_status,
            poll_interval=poll_interval,
            realtime=realtime,
            heartbeat_s=heartbeat_s,
        )
    return SyncEngine(
        cache,
        client,
        on_changes=on_changes,
        on_status=on_status,
        poll_interval=poll_interval,
        realtime=realtime,
        heartbeat_s=heartbeat_s,
    )
