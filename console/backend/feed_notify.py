"""Wake-ups for open event streams: the change feed (or a token) may have changed.

- Within one process, a write transaction that recorded an event or revoked a token calls
  `mark_changed(session)`; right after it commits, every FeedWatch on that database is poked.
- Across processes on one PostgreSQL, the same transaction sends NOTIFY (PostgreSQL delivers it
  at commit, never for a rolled-back transaction); each FeedWatch LISTENs on a connection of its
  own, with a slow poll of max(seq) as a safety net and a fast one while LISTEN is down.
- Across processes on one SQLite file, a cheap poll of max(seq) (the primary key) finds them,
  and of the token revocation marker (console.backend.tokens), so a stream whose token another
  process revoked ends within a poll interval too.

Streams wait on `FeedWatch.wait()`: a generation counter that moves on every wake-up, so a
stream that was busy reading when a wake-up came still sees it and reads again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import Callable

from sqlalchemy import event, func, select, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from console.backend import models
from console.backend.db import Database

log = logging.getLogger("console.backend.feed")

CHANNEL = "console_feed"
# A `meta` row whose value changes whenever tokens are revoked (console.backend.tokens).
REVOCATIONS_KEY = "token_revocations"
LISTEN_RETRY_S = 2.0
_MARK = "console_feed_changed"

Poke = Callable[[], None]
_pokes: dict[str, set[Poke]] = {}
_pokes_lock = threading.Lock()


def _key(url: URL) -> str:
    # In memory only (never logged): which database a commit went to.
    return url.render_as_string(hide_password=False)


def mark_changed(session: Session) -> None:
    """Wake event streams once this transaction commits (in this process and, on PostgreSQL,
    in every other process on the database)."""
    if session.info.get(_MARK):
        return
    session.info[_MARK] = True
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_notify(:channel, '')"), {"channel": CHANNEL})


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    if not session.info.pop(_MARK, False):
        return
    with _pokes_lock:
        pokes = list(_pokes.get(_key(session.get_bind().engine.url), ()))
    for poke in pokes:
        poke()


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop(_MARK, None)


def libpq_dsn(url: str) -> str:
    """The SQLAlchemy URL of a PostgreSQL database as a libpq connection string."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


class FeedWatch:
    """One per running app: tells its open event streams when to look at the feed again."""

    def __init__(self, db: Database, *, poll_s: float, listen_poll_s: float) -> None:
        self._db = db
        self._poll_s = poll_s
        self._listen_poll_s = listen_poll_s
        self._key = _key(db.engine.url)
        self._postgres = db.engine.dialect.name == "postgresql"
        self._loop: asyncio.AbstractEventLoop | None = None
        self._changed = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self._head: tuple[int, str | None] = (0, None)
        self.generation = 0
        self.closed = False
        self.listening = False
        self.open_streams = 0  # event streams being served (kept by the stream route)

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._head = await asyncio.to_thread(self._read_head)
        with _pokes_lock:
            _pokes.setdefault(self._key, set()).add(self._poke_threadsafe)
        self._tasks.append(asyncio.create_task(self._poll(), name="feed-poll"))
        if self._postgres:
            self._tasks.append(asyncio.create_task(self._listen(), name="feed-listen"))

    def close(self) -> None:
        """Ends every stream waiting here (server shutdown). Idempotent; on the loop thread."""
        if not self.closed:
            self.closed = True
            self._publish()

    async def stop(self) -> None:
        self.close()
        with _pokes_lock:
            subscribers = _pokes.get(self._key)
            if subscribers is not None:
                subscribers.discard(self._poke_threadsafe)
                if not subscribers:
                    del _pokes[self._key]
        tasks, self._tasks = self._tasks, []
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._loop = None

    async def wait(self, seen: int, timeout: float) -> bool:
        """True once the generation has moved past `seen` (or the watch closed); False after
        `timeout` seconds of quiet."""
        if self.generation != seen or self.closed:
            return True
        try:
            await asyncio.wait_for(self._changed.wait(), timeout)
        except TimeoutError:
            return False
        return True

    def _publish(self) -> None:
        self.generation += 1
        changed, self._changed = self._changed, asyncio.Event()
        changed.set()

    def _poke_threadsafe(self) -> None:
        loop = self._loop
        if loop is None:
            return
        with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
            loop.call_soon_threadsafe(self._publish)

    def _read_head(self) -> tuple[int, str | None]:
        with self._db.reading() as session:
            seq = session.scalar(select(func.max(models.Event.seq))) or 0
            return seq, session.scalar(
                select(models.Meta.value).where(models.Meta.key == REVOCATIONS_KEY)
            )

    async def _poll(self) -> None:
        while True:
            await asyncio.sleep(self._listen_poll_s if self.listening else self._poll_s)
            try:
                head = await asyncio.to_thread(self._read_head)
            except SQLAlchemyError as exc:
                log.warning("could not read the feed head: %s", exc.__class__.__name__)
                continue
            if head != self._head:
                self._head = head
                self._publish()

    async def _listen(self) -> None:
        import psycopg  # only on PostgreSQL

        dsn = libpq_dsn(self._db.url)
        while True:
            try:
                connection = await psycopg.AsyncConnection.connect(dsn, autocommit=True)
                try:
                    await connection.execute(f"LISTEN {CHANNEL}")
                    self.listening = True
                    self._publish()  # whatever was written while nobody listened
                    async for _ in connection.notifies():
                        self._publish()
                finally:
                    self.listening = False
                    await connection.close()
            except (psycopg.Error, OSError) as exc:
                log.warning("feed LISTEN failed (%s); polling until it is back", exc)
            await asyncio.sleep(LISTEN_RETRY_S)
