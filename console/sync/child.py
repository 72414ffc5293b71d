"""The sync engine in a process of its own: `python -m console.sync.child`.

Started by console/sync/child_engine.py. The GUI process and this one share nothing but the
cache file (SQLite, WAL) and a pair of pipes: commands come in on stdin, change sets and
status go out on stdout (child_wire.py). The first line names the cache, the server and the
token. Stdin reaching its end means the GUI process closed it or died: stop and exit.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from pathlib import Path
from typing import Any, BinaryIO

from console.store.cache import Cache
from console.store.changes import Changes
from console.sync.api_client import ApiClient
from console.sync.child_wire import changes_message, decode, encode, status_message
from console.sync.engine import EngineStatus, SyncEngine
from console.timing import CHILD_NICE, ENGINE_CLOSE_TIMEOUT_S

log = logging.getLogger("console.sync.child")

class _Outbound:
    """Lines to the parent, from the engine's thread; a parent gone away is not an error."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self._lock = threading.Lock()
        self.broken = False

    def send(self, message: dict[str, Any]) -> None:
        with self._lock:
            if self.broken:
                return
            try:
                self._stream.write(encode(message))
                self._stream.flush()
            except (BrokenPipeError, ValueError, OSError):
                self.broken = True

    def changes(self, changes: Changes) -> None:
        self.send(changes_message(changes))

    def status(self, status: EngineStatus) -> None:
        self.send(status_message(status))


class _LogToParent(logging.Handler):
    """This process's log records go to the console's own log (and its log file)."""

    def __init__(self, out: _Outbound) -> None:
        super().__init__(logging.INFO)
        self._out = out

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = self.format(record)
        except Exception:  # a bad format string must not stop the sync
            text = str(record.msg)
        self._out.send({"t": "log", "name": record.name, "level": record.levelno, "text": text})


def serve(commands: BinaryIO, replies: BinaryIO) -> int:
    first = commands.readline()
    if not first:
        return 0  # the parent went away before saying anything
    start = decode(first)
    if start["t"] != "start":
        raise ValueError(f"expected start, got {start['t']!r}")
    out = _Outbound(replies)
    handler = _LogToParent(out)
    logging.getLogger("console").addHandler(handler)
    logging.getLogger("console").setLevel(logging.INFO)
    cache = Cache.open(Path(start["cache"]))
    client = ApiClient(start["server"], start.get("token"), ca_bundle=start.get("ca_bundle"))
    engine = SyncEngine(
        cache,
        client,
        on_changes=out.changes,
        on_status=out.status,
        poll_interval=float(start["poll_interval"]),
        realtime=bool(start["realtime"]),
        heartbeat_s=float(start["heartbeat_s"]),
    )
    try:
        out.status(engine.status)
        engine.start()
        for line in commands:
            command = decode(line)
            kind = command["t"]
            if kind == "wake":
                engine.note_local_write()
            elif kind == "sync_now":
                engine.sync_now()
            elif kind == "token":
                engine.set_token(command.get("token"))
            elif kind == "close":
                break
            else:
                log.warning("unknown command from the console: %r", kind)
    finally:
        stopped = engine.close(ENGINE_CLOSE_TIMEOUT_S)
        client.close()
        if not stopped:
            log.warning("sync engine still finishing a request at close; not waiting for it")
        cache.close()
    return 0


def _yield_to_the_gui() -> None:
    """Run at a lower CPU priority than the console: on a machine with more to run than
    cores, the scheduler gives the GUI thread the core first (the sync only finishes later)."""
    if CHILD_NICE and hasattr(os, "nice"):
        try:
            os.nice(CHILD_NICE)
        except OSError:
            log.info("could not lower the sync process's priority")


def main() -> int:
    # The wire is this process's real stdout; anything printed by accident goes to stderr.
    replies = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    # Log records go to the console over the wire (serve); only what is logged before that,
    # or outside "console", lands on stderr.
    logging.basicConfig(
        level=logging.WARNING, format="sync child %(process)d %(name)s: %(message)s"
    )
    logging.getLogger("console").propagate = False
    _yield_to_the_gui()
    return serve(sys.stdin.buffer, replies)


if __name__ == "__main__":
    sys.exit(main())
