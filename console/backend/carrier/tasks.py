"""The background tasks a carrier runs per message on the server's event loop."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

log = logging.getLogger("console.backend.carrier")

Work = Callable[[], Coroutine[Any, Any, None]]


class CarrierTasks:
    """Work handed over from any thread runs as a task on the loop `bind` was called on;
    `cancel_all` ends every task still running (server shutdown)."""

    def __init__(self, carrier_name: str) -> None:
        self._carrier_name = carrier_name
        self._loop: asyncio.AbstractEventLoop | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    def bind(self) -> None:
        self._loop = asyncio.get_running_loop()

    def submit(self, work: Work, what: str) -> None:
        """Thread-safe; `what` names the work in the log when the loop is not running."""
        loop = self._loop
        if loop is None or loop.is_closed():
            log.warning("%s carrier not running; %s stays queued", self._carrier_name, what)
            return
        loop.call_soon_threadsafe(self.spawn, work)

    def spawn(self, work: Work) -> None:
        """On the loop's own thread."""
        task = asyncio.get_running_loop().create_task(work())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def cancel_all(self) -> None:
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._loop = None
