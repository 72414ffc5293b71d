"""Run blocking work (login, anything on the network) off the GUI thread; results come back
on the GUI thread through a queued signal, as success or failure callbacks.

    runner = TaskRunner(parent=window)
    runner.submit(lambda: auth.login(url, email, password), on_success=..., on_failure=...)
    ...
    runner.shutdown()  # before the app exits: waits for running work, drops queued results

One small executor per runner, so its threads are ours to stop (a leak check can see them).
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

from console.ui.gui_thread import assert_gui_thread
from console.ui.qt import QObject, Qt, Signal

log = logging.getLogger("console.ui.tasks")

T = TypeVar("T")


@dataclass
class _Callbacks:
    on_success: Callable[[Any], None]
    on_failure: Callable[[BaseException], None]


class TaskRunner(QObject):
    _finished = Signal(int, object, object)  # task id, result, error

    def __init__(self, parent: QObject | None = None, *, max_workers: int = 2):
        super().__init__(parent)
        assert_gui_thread()
        self._executor = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="ui-task")
        self._callbacks: dict[int, _Callbacks] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._closed = False
        self._finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    def submit(
        self,
        work: Callable[[], T],
        *,
        on_success: Callable[[T], None],
        on_failure: Callable[[BaseException], None],
    ) -> int:
        """Start `work` on a worker thread; exactly one callback runs later on the GUI thread."""
        assert_gui_thread()
        if self._closed:
            raise RuntimeError("TaskRunner is shut down")
        task_id = next(self._ids)
        self._callbacks[task_id] = _Callbacks(on_success, on_failure)
        future = self._executor.submit(work)
        future.add_done_callback(lambda done: self._report(task_id, done))
        return task_id

    def pending(self) -> int:
        return len(self._callbacks)

    def shutdown(self, wait: bool = True) -> None:
        """Stop taking work; with wait, block until running work ends. Drops undelivered results."""
        assert_gui_thread()
        with self._lock:
            self._closed = True
        self._executor.shutdown(wait=wait, cancel_futures=True)
        self._callbacks.clear()

    def _report(self, task_id: int, future: Future[Any]) -> None:
        # Worker thread (or the caller's, if the future was already done).
        if future.cancelled():
            return
        error = future.exception()
        result = None if error is not None else future.result()
        with self._lock:
            if not self._closed:
                self._finished.emit(task_id, result, error)

    def _deliver(self, task_id: int, result: object, error: object) -> None:
        assert_gui_thread()
        callbacks = self._callbacks.pop(task_id, None)
        if callbacks is None:
            return
        if isinstance(error, BaseException):
            callbacks.on_failure(error)
        else:
            callbacks.on_success(result)


class OneWorker(QObject):
    """A window part that works on the cache for the workspace it is attached to: one worker
    (reads and writes in the order asked; the GUI thread never waits on the cache's writer),
    made when a workspace is attached, stopped (running work finished) when it goes."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._runner: TaskRunner | None = None

    @property
    def runner(self) -> TaskRunner | None:
        return self._runner

    def start_worker(self) -> TaskRunner:
        assert_gui_thread()
        if self._runner is None:
            self._runner = TaskRunner(self, max_workers=1)
        return self._runner

    def stop_worker(self) -> None:
        """Wait for what runs, drop what waits and every answer not yet delivered."""
        assert_gui_thread()
        if self._runner is not None:
            self._runner.shutdown(wait=True)
            self._runner.deleteLater()
            self._runner = None
