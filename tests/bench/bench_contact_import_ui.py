"""Contact import of 10,000 rows through the console's own path: from the file to the contacts
in the cache.

Run: .venv/bin/python tests/bench/bench_contact_import_ui.py [--rows 10000] [--no-dialog]
Target: under 10 s from the file to every contact in the cache.

What the import dialog's worker calls, timed step by step against a real backend process on
loopback (SQLite file, demo seed, signed in as the admin) and a real cache file with its sync
engine running: ContactImportService.read_file + guess (the CSV of bench_contact_import.py),
check (against every live number in the cache), queue_import (one outbox item), then the sync
engine's POST /v1/contact-imports and its answer in the cache (the import DONE), and the feed
bringing every contact into the cache. Then the undo, until the cache has none of them left.

First, the same file through the import dialog (offscreen): `choose_path`, then Check rows,
with its controller's worker doing the reading and checking, while a 5 ms QTimer on the GUI
thread records every gap between its ticks (responsive: gap p99 under 16 ms, max under 50 ms).
Nothing is asserted (the machines are noisy): compare with the targets and between runs.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.bench.bench_contact_import import make_csv
from tests.bench.big_backend import isolate_home

TARGET_S = 10.0
TARGET_P99_MS = 16.0
TARGET_MAX_GAP_MS = 50.0
HEARTBEAT_MS = 5
POLL_S = 0.05  # while importing, each look reads the outbox item: the whole file's rows


def bench_dialog(workspace: Any, csv: Path) -> None:
    """The dialog's read and check of `csv` on its worker; the GUI thread's gaps meanwhile
    (and, apart, while the dialog opens: its first paint is the GUI thread's own work)."""
    from PySide6.QtCore import QEventLoop

    from console.ui.contact_import import ContactImportController
    from console.ui.qt import QApplication, QTimer, QWidget

    app = QApplication.instance() or QApplication([])
    parent = QWidget()
    controller = ContactImportController(parent)
    controller.attach(workspace)
    gaps: list[float] = []
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        gaps.append((now - last[0]) * 1000)
        last[0] = now

    timer = QTimer()
    timer.setInterval(HEARTBEAT_MS)
    timer.timeout.connect(tick)

    def until(condition: Callable[[], bool], what: str) -> float:
        """Run Qt's own event loop, as the console does (app.exec), looking every 20 ms. A
        Python loop of processEvents and sleeps would itself ask for the interpreter lock on
        every turn and measure its own waits behind the worker, not the window's."""
        began = time.perf_counter()
        loop = QEventLoop()
        look = QTimer()
        look.setInterval(20)

        def check() -> None:
            if condition() or time.perf_counter() - began > 120:
                loop.quit()

        look.timeout.connect(check)
        look.start()
        if not condition():
            loop.exec()
        look.stop()
        if not condition():
            raise SystemExit(f"timed out waiting for {what}")
        return time.perf_counter() - began

    timer.start()
    last[0] = time.perf_counter()
    dialog = controller.open_dialog()
    assert dialog is not None
    opened = time.perf_counter()
    until(lambda: time.perf_counter() - opened > 0.3, "the dialog to open")
    opening = max(gaps, default=0.0)
    gaps.clear()
    last[0] = time.perf_counter()
    dialog.choose_path(csv)
    read_s = until(lambda: dialog.step() == dialog.MAPPING, "the columns")
    dialog.next_button.click()
    check_s = until(lambda: dialog.step() == dialog.PREVIEW, "the preview")
    timer.stop()
    print(f"dialog: opened with a longest GUI gap of {opening:.0f} ms (its first paint); "
          f"read {read_s:.2f} s, check {check_s:.2f} s, "
          f"{dialog.model.rowCount():,} rows shown; {dialog.summary.text()}")
    ticks = gaps or [0.0]
    p99 = sorted(ticks)[min(len(ticks) - 1, round(0.99 * len(ticks)))]
    print(f"  GUI heartbeat ({HEARTBEAT_MS} ms) while it reads and checks: {len(ticks)} gaps, "
          f"median {statistics.median(ticks):.1f} ms, p99 {p99:.1f} ms "
          f"(target < {TARGET_P99_MS:.0f}), max {max(ticks):.1f} ms "
          f"(target < {TARGET_MAX_GAP_MS:.0f})")
    dialog.reject()
    controller.attach(None)
    parent.deleteLater()
    app.processEvents()


def _wait(condition: Callable[[], bool], timeout: float, what: str) -> float:
    """Seconds until `condition` holds (polled: the sync engine runs on its own thread)."""
    began = time.perf_counter()
    while not condition():
        if time.perf_counter() - began > timeout:
            raise SystemExit(f"timed out waiting for {what}")
        time.sleep(POLL_S)
    return time.perf_counter() - began


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--no-dialog", action="store_true", help="skip the dialog's phase")
    args = parser.parse_args()
    isolate_home()

    from console.domain.contact_import_history import ImportStatus
    from console.protocol.auth import User
    from console.protocol.demo import DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD
    from console.services.types import SyncState
    from console.services.workspace import open_workspace
    from tests.support.backend_process import BackendProcess, sqlite_url

    work = Path(tempfile.mkdtemp(prefix="bench-import-ui-"))
    csv = work / "people.csv"
    csv.write_text(make_csv(args.rows), encoding="utf-8")
    backend = BackendProcess(sqlite_url(work / "backend.db"), args=["--seed", "demo"]).start()
    try:
        token = backend.login(DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD)
        with backend.client(token) as http:
            me = User.model_validate(http.get("/v1/me").json())
        workspace = open_workspace(work / "profile" / "cache.db", backend.url, token, me)
        try:
            workspace.start()
            _wait(lambda: workspace.sync.status.state == SyncState.ONLINE
                  and workspace.sync.status.last_sync_at is not None, 60, "the first sync")
            if not args.no_dialog:
                bench_dialog(workspace, csv)
            service = workspace.contact_imports
            before = workspace.contacts.count()

            t0 = time.perf_counter()
            table = service.read_file(csv)
            mapping = service.guess(table)
            t_read = time.perf_counter()
            reports = service.check(table, mapping)
            t_check = time.perf_counter()
            import_id = service.queue_import(csv.name, reports)
            t_queue = time.perf_counter()
            good = sum(1 for r in reports if r.ok)

            def answered() -> bool:
                record = service.find(import_id)
                return record is not None and record.status is ImportStatus.DONE

            _wait(answered, 120, "the server's answer")
            t_answer = time.perf_counter()
            record = service.find(import_id)
            assert record is not None
            made = record.created_count
            _wait(lambda: workspace.contacts.count() >= before + made, 120,
                  "the contacts in the cache")
            t_cached = time.perf_counter()

            print(f"{len(table.rows):,} rows ({csv.stat().st_size / 1e6:.1f} MB), {good:,} good, "
                  f"{made:,} created by the server, {len(record.skipped)} skipped by it")
            print(f"  read + guess       {t_read - t0:6.2f} s")
            print(f"  check (cache)      {t_check - t_read:6.2f} s")
            print(f"  queue (outbox)     {t_queue - t_check:6.2f} s")
            print(f"  POST + answer      {t_answer - t_queue:6.2f} s")
            print(f"  feed -> cache      {t_cached - t_answer:6.2f} s")
            total = t_cached - t0
            print(f"file -> contacts in the cache: {total:.2f} s (target < {TARGET_S:.0f} s): "
                  f"{'OK' if total < TARGET_S else 'OVER'}")

            u0 = time.perf_counter()
            service.undo(record.id)
            _wait(lambda: workspace.contacts.count() <= before, 120, "the undo in the cache")
            print(f"undo -> none left in the cache: {time.perf_counter() - u0:.2f} s")
        finally:
            workspace.close()
    finally:
        backend.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
