"""Open the cache file: SQLite in WAL mode, one pooled connection per thread, migrated on open.

The GUI thread reads while the sync engine writes from its own thread. WAL lets readers go on
while a writer commits; every write transaction starts with BEGIN IMMEDIATE so two writers queue
on busy_timeout instead of failing when a read transaction tries to upgrade.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Connection, Engine, create_engine, event

from console.store import schema_head
from console.store.process_lock import ProcessWriteLock
from console.store.write_queue import WriteQueue
from console.timing import BUSY_TIMEOUT_MS

log = logging.getLogger("console.store")

_BEGIN_OPTION = "console_begin"


def _on_connect(dbapi_connection: Any, _record: Any) -> None:
    # Hand BEGIN to SQLAlchemy (see the "begin" hook): the sqlite3 module's own implicit
    # transactions skip SELECTs, which breaks read snapshots and BEGIN IMMEDIATE.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        # WAL + NORMAL: a power cut may lose the last commits, never corrupts the file;
        # the cache can always be re-pulled from the server.
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()


def _on_begin(connection: Connection) -> None:
    mode = connection.get_execution_options().get(_BEGIN_OPTION, "DEFERRED")
    connection.exec_driver_sql(f"BEGIN {mode}")


class Cache:
    """One profile's cache file. Thread-safe: each thread gets its own pooled connection."""

    def __init__(self, path: Path, engine: Engine) -> None:
        self.path = path
        self._engine = engine
        self._writer = engine.execution_options(**{_BEGIN_OPTION: "IMMEDIATE"})
        # This process's writers take turns here, first come first served (write_queue.py).
        self._write_queue = WriteQueue()
        # ...and with the other process's (a sync child), promptly (process_lock.py).
        self._process_lock = ProcessWriteLock(path)

    @classmethod
    def open(cls, path: Path) -> Cache:
        """Create or migrate the cache at `path` (parent folders included) and open it."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            # URL.create: no parsing, so any character in the user's data dir path is fine.
            URL.create("sqlite+pysqlite", database=str(path)),
            connect_args={"check_same_thread": False},
            pool_size=4,
            max_overflow=4,
            pool_timeout=10,
        )
        event.listen(engine, "connect", _on_connect)
        event.listen(engine, "begin", _on_begin)
        cache = cls(path, engine)
        try:
            with cache.write() as conn:
                if not schema_head.at_head(conn):
                    # Alembic only when there is something to do: it costs 0.2-0.4 s to import.
                    from console.store.migrate import upgrade_to_head

                    upgrade_to_head(conn)
        except BaseException:
            engine.dispose()
            raise
        return cache

    @property
    def engine(self) -> Engine:
        return self._engine

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A read transaction: one consistent snapshot for every SELECT inside it."""
        with self._engine.connect() as conn, conn.begin():
            yield conn

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A write transaction (BEGIN IMMEDIATE): commits on success, rolls back on error."""
        # Past the busy timeout without a turn, SQLite's own wait decides (and may refuse).
        queued = self._write_queue.acquire(BUSY_TIMEOUT_MS / 1000)
        locked = self._process_lock.acquire(BUSY_TIMEOUT_MS / 1000)
        try:
            with self._writer.connect() as conn, conn.begin():
                yield conn
        finally:
            if locked:
                self._process_lock.release()
            if queued:
                self._write_queue.release()

    @contextmanager
    def write_attached(self, path: Path, schema: str) -> Iterator[Connection]:
        """A write transaction with the SQLite file at `path` attached as `schema` (to copy a
        whole resync generation in, see generations.py); detached again afterwards."""
        if not schema.isidentifier():
            raise ValueError(f"{schema!r} is not a schema name")
        queued = self._write_queue.acquire(BUSY_TIMEOUT_MS / 1000)
        locked = self._process_lock.acquire(BUSY_TIMEOUT_MS / 1000)
        try:
            with self._attached(path, schema) as conn:
                yield conn
        finally:
            if locked:
                self._process_lock.release()
            if queued:
                self._write_queue.release()

    @contextmanager
    def _attached(self, path: Path, schema: str) -> Iterator[Connection]:
        with self._writer.connect() as conn:
            # ATTACH cannot run inside a transaction: issue it on the connection before BEGIN.
            raw = conn.connection.driver_connection
            assert raw is not None
            raw.execute(f"ATTACH DATABASE ? AS {schema}", (str(path),))
            try:
                with conn.begin():
                    yield conn
            finally:
                raw.execute(f"DETACH DATABASE {schema}")

    def close(self) -> None:
        self._engine.dispose()
        self._process_lock.close()
