"""The sync engine's stand-in in the GUI process, running the real one in a child process.

The engine and the GUI thread used to share one interpreter lock: a catch-up applying
thousands of events made every GUI handler wait for the lock (console/sync/pacing.py). In a
child process (console/sync/child.py) the engine runs on the other core and reaches the GUI
only through the cache file (WAL: the GUI reads while it writes) and the change sets and
status lines it sends back, which a reader thread here hands to the same callbacks the
in-process engine would call. Same interface as SyncEngine.

- The child exits when its stdin ends: on close(), and when this process dies (the pipe
  closes with it), so it never outlives the console.
- A child that dies on its own is restarted after a backoff (the status says so meanwhile);
  one that ran a while before dying starts the backoff over.
- The token goes to the child over the pipe only (never argv, environment or a file).
"""

from __future__ import annotations

import contextlib
import logging
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import IO, Any, TypeVar

from console.domain.status_detail import DetailCode, StatusDetail
from console.frozen import module_command
from console.store import outbox as ob
from console.store.cache import Cache
from console.store.changes import Changes
from console.store.session_meta import read_cursor
from console.sync.api_client import ApiClient
from console.sync.backoff import Backoff
from console.sync.child_wire import changes_from, decode, encode, status_from
from console.sync.engine import (
    CONNECTING_DETAIL,
    NOT_SIGNED_IN_DETAIL,
    EngineState,
    EngineStatus,
)
from console.sync.event_stream import DEFAULT_HEARTBEAT_S
from console.timing import CHILD_RESTART_BASE_S, CHILD_RESTART_CAP_S, CHILD_STABLE_S

log = logging.getLogger("console.sync.child_engine")
T = TypeVar("T")

RESTART_BACKOFF = Backoff(base=CHILD_RESTART_BASE_S, factor=2.0, cap=CHILD_RESTART_CAP_S)


class ChildSyncEngine:
    def __init__(
        self,
        cache: Cache,
        client: ApiClient,
        token: str | None,
        *,
        on_changes: Callable[[Changes], None],
        on_status: Callable[[EngineStatus], None],
        poll_interval: float = 0.5,
        realtime: bool = True,
        heartbeat_s: float = DEFAULT_HEARTBEAT_S,
        restart_backoff: Backoff = RESTART_BACKOFF,
        python: str | None = None,
    ) -> None:
        self._cache = cache
        self._client = client  # the parent's own requests use it; the child has its own
        self._token = token
        self._on_changes = on_changes
        self._on_status = on_status
        self._options: dict[str, Any] = {
            "cache": str(Path(cache.path)),
            "server": client.base_url,
            "ca_bundle": client.ca_bundle,
            "poll_interval": poll_interval,
            "realtime": realtime,
            "heartbeat_s": heartbeat_s,
        }
        self._restart_backoff = restart_backoff
        # `python -m console.sync.child` (python: this interpreter unless given), or in a frozen
        # build `agent-console-backend _sync-child` (console/frozen.py)
        self._command = module_command("console.sync.child", python)
        self._lock = threading.Lock()  # the child's stdin, the process handle, the status
        self._closing = threading.Event()
        self._process: subprocess.Popen[bytes] | None = None
        self._reader: threading.Thread | None = None
        self._supervisor: threading.Thread | None = None
        self._failures = 0
        self.restarts = 0
        with cache.read() as conn:
            last_sync_at = read_cursor(conn).last_sync_at
            counts = ob.counts(conn)
        self._status = EngineStatus(
            EngineState.CONNECTING if token else EngineState.OFFLINE,
            CONNECTING_DETAIL if token else NOT_SIGNED_IN_DETAIL,
            last_sync_at,
            counts.pending,
            refused=counts.refused,
        )

    # -- control (any thread) -------------------------------------------------------------

    @property
    def status(self) -> EngineStatus:
        with self._lock:
            return self._status

    @property
    def running(self) -> bool:
        process = self._process
        return process is not None and process.poll() is None

    @property
    def pid(self) -> int | None:
        process = self._process
        return process.pid if process is not None else None

    def start(self) -> None:
        if self._supervisor is not None:
            return
        self._supervisor = threading.Thread(
            target=self._supervise, name="console-sync-child", daemon=True
        )
        self._supervisor.start()

    def wake(self) -> None:
        self._send({"t": "wake"})

    def sync_now(self) -> None:
        self._send({"t": "sync_now"})

    def note_local_write(self) -> None:
        """A local write queued outbox work: the pending count now (read here, so the status
        bar does not wait for the child), then the child runs a cycle."""
        if self._closing.is_set():
            return
        with self._cache.read() as conn:
            counts = ob.counts(conn)
        with self._lock:
            previous = self._status
            self._status = replace(previous, pending=counts.pending, refused=counts.refused)
            status = self._status
        if status != previous:
            self._on_status(status)
        self.wake()

    def set_token(self, token: str | None) -> None:
        self._client.set_token(token)
        with self._lock:
            self._token = token
        self._send({"t": "token", "token": token})

    def close(self, timeout: float = 1.5) -> bool:
        """Ask the child to stop; True if it ended within `timeout` seconds (else killed)."""
        self._closing.set()
        self._send({"t": "close"})
        with self._lock:
            process = self._process
            if process is not None and process.stdin is not None:
                with contextlib.suppress(OSError):
                    process.stdin.close()
        stopped = True
        if process is not None:
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                stopped = False
                process.kill()
                process.wait()
        if self._supervisor is not None:
            self._supervisor.join(timeout)
        return stopped

    # -- the child ----------------------------------------------------------------------------

    def _spawn(self) -> subprocess.Popen[bytes]:
        process = subprocess.Popen(
            self._command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            # stderr: the console's own, so the child's warnings land where ours do
            close_fds=True,
        )
        assert process.stdin is not None
        with self._lock:
            self._process = process
            if self._closing.is_set():  # close() came while it started: it ends at once
                process.stdin.close()
                return process
            start = {"t": "start", **self._options, "token": self._token}
            process.stdin.write(encode(start))
            process.stdin.flush()
        return process

    def _supervise(self) -> None:
        while not self._closing.is_set():
            began = time.monotonic()
            try:
                process = self._spawn()
            except OSError:
                log.exception("could not start the sync process")
                process = None
            if process is not None:
                assert process.stdout is not None
                if self.restarts:
                    # What the last child wrote but had not told yet: views reload instead.
                    self._deliver(self._on_changes, Changes(reset=True))
                self._read(process.stdout)
                code = process.wait()
                if self._closing.is_set():
                    return
                log.warning("sync process exited (code %s): restarting", code)
            if time.monotonic() - began >= CHILD_STABLE_S:
                self._failures = 0
            self._failures += 1
            delay = self._restart_backoff.delay(self._failures)
            self._set_status(
                EngineState.OFFLINE,
                StatusDetail.of(DetailCode.RESTARTING, seconds=max(1, round(delay))),
            )
            if self._closing.wait(delay):
                return
            self.restarts += 1

    def _read(self, stdout: IO[bytes]) -> None:
        for line in stdout:
            try:
                message = decode(line)
            except ValueError:
                log.warning("sync process said something unexpected: %r", line[:120])
                continue
            if self._closing.is_set():
                continue  # closed: whoever listened may be gone already
            kind = message["t"]
            if kind == "changes":
                changes = changes_from(message)
                self._deliver(self._on_changes, changes)
            elif kind == "status":
                status = status_from(message)
                with self._lock:
                    self._status = status
                self._deliver(self._on_status, status)
            elif kind == "log":  # into this process's log, as if logged here
                logging.getLogger(str(message["name"])).log(
                    int(message["level"]), "%s", message["text"]
                )

    @staticmethod
    def _deliver(listener: Callable[[T], None], value: T) -> None:
        """A listener that fails is a bug to log, not a reason to stop reading the child."""
        try:
            listener(value)
        except Exception:
            log.exception("a sync listener failed")

    def _set_status(self, state: EngineState, detail: StatusDetail) -> None:
        with self._lock:
            self._status = replace(self._status, state=state, detail=detail, live=False)
            status = self._status
        if not self._closing.is_set():
            self._on_status(status)

    def _send(self, message: dict[str, Any]) -> None:
        with self._lock:
            process = self._process
            if process is None or process.stdin is None or process.stdin.closed:
                return  # not started yet, or between two children: the next one starts fresh
            try:
                process.stdin.write(encode(message))
                process.stdin.flush()
            except (BrokenPipeError, OSError, ValueError):
                pass  # it died: the supervisor restarts it
