"""Does the GUI thread stall while 100,000 messages sync? A 5 ms heartbeat tells.

Run: .venv/bin/python tests/bench/bench_gui_stall.py [--messages 100000]
Target (issue 4): no gap between heartbeats longer than 50 ms.

The real MainWindow (offscreen) attached to a workspace on an empty cache, a conversation that
receives messages open, and a QTimer firing every 5 ms on the GUI thread. From
workspace.start() until the cache holds every message, each gap between two ticks is recorded
(the timer's own 5 ms is part of each gap). A helper thread counts the cached rows, so the
measuring costs the GUI thread nothing.
"""

from __future__ import annotations

import argparse
import itertools
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.bench.big_backend import isolate_home, seed_big

TARGET_MAX_GAP_MS = 50.0
HEARTBEAT_MS = 5


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered)) - 1))
    return ordered[index]


def count_messages(path: Path) -> int:
    try:
        conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=1.0)
    except sqlite3.OperationalError:
        return 0
    try:
        return int(conn.execute("SELECT count(*) FROM messages").fetchone()[0])
    except sqlite3.OperationalError:
        return 0
    finally:
        conn.close()


def trace_slow_handlers(window: object) -> list[tuple[float, str]]:
    """Time each change set the window's panels handle (the list, the open conversation)."""
    spent: list[tuple[float, str]] = []
    list_model = window.conversation_model  # type: ignore[attr-defined]
    panel = window.conversation_panel  # type: ignore[attr-defined]

    def timed(name: str, func: object) -> object:
        def run(changes: object) -> None:
            started = time.perf_counter()
            func(changes)  # type: ignore[operator]
            ms = (time.perf_counter() - started) * 1000
            opened = panel.model.conversation_id
            mine = len(getattr(changes, "messages", {}).get(opened, ()))
            spent.append((ms, f"{name}: reset={getattr(changes, 'reset', False)} "
                              f"conversations={len(getattr(changes, 'conversations', ()))} "
                              f"open-conversation messages={mine} rows={panel.model.rowCount()}"))
        return run

    list_model.apply_changes = timed("conversation list", list_model.apply_changes)
    panel.apply_changes = timed("open conversation", panel.apply_changes)
    return spent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--top", type=int, default=5, help="print the N longest gaps")
    args = parser.parse_args()
    home = isolate_home()
    folder = Path(tempfile.mkdtemp(prefix="bench-stall-"))
    try:
        run(args, home, folder)
    finally:  # a 100k-message backend and a cache: ~100 MB a run
        shutil.rmtree(folder, ignore_errors=True)
        shutil.rmtree(home, ignore_errors=True)


def run(args: argparse.Namespace, home: Path, folder: Path) -> None:
    from console.protocol.demo import DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD
    from console.services.auth import AuthService
    from console.services.workspace import open_workspace
    from console.ui.conversation_list import ConversationListModel
    from console.ui.gui_collector import collect_on_gui_thread
    from console.ui.main_window import MainWindow
    from console.ui.qt import QApplication, QSettings, Qt, QTimer
    from tests.support.backend_process import BackendProcess

    big = seed_big(folder / "backend.db", args.messages)
    app = QApplication([])
    collect_on_gui_thread()  # as the app does (console/ui/gui_collector.py)
    backend = BackendProcess(big.url).start()
    try:
        login = AuthService().login(backend.url, DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD)
        cache = home / "profile" / "cache.db"
        workspace = open_workspace(cache, login.server_url, login.token, login.user)
        window = MainWindow(settings=QSettings(str(home / "ui.ini"), QSettings.Format.IniFormat))
        slow = trace_slow_handlers(window)
        window.attach_workspace(workspace)
        window.show()
        app.processEvents()

        done = threading.Event()
        baseline = count_messages(cache)

        def watch() -> None:
            while count_messages(cache) - baseline < big.messages:
                time.sleep(0.05)
            done.set()

        ticks: list[float] = []
        timer = QTimer()
        timer.setTimerType(Qt.TimerType.PreciseTimer)
        timer.setInterval(HEARTBEAT_MS)
        timer.timeout.connect(lambda: ticks.append(time.perf_counter()))

        opened: list[str] = []
        open_ms: list[float] = []

        def open_first() -> None:
            # Once the list has rows, open the top conversation: it keeps receiving messages.
            if not opened and window.conversation_model.rowCount() > 0:
                index = window.conversation_model.index(0, 0)
                conversation_id = str(index.data(ConversationListModel.IdRole) or "")
                began = time.perf_counter()
                if conversation_id and window.select_conversation(conversation_id):
                    opened.append(conversation_id)
                    open_ms.append((time.perf_counter() - began) * 1000)

        opener = QTimer()
        opener.setInterval(100)
        opener.timeout.connect(open_first)

        # The real event loop (app.exec), ended from a timer once every message is cached.
        finisher = QTimer()
        finisher.setInterval(50)
        finisher.timeout.connect(lambda: app.quit() if done.is_set() else None)

        started = time.perf_counter()
        timer.start()
        opener.start()
        finisher.start()
        workspace.start()
        threading.Thread(target=watch, name="bench-count", daemon=True).start()
        app.exec()
        elapsed = time.perf_counter() - started
        finisher.stop()
        timer.stop()
        opener.stop()
        window.close()
        workspace.close()
    finally:
        backend.stop()

    gaps = [(b - a) * 1000 for a, b in itertools.pairwise(ticks)]
    print(f"synced {big.messages:,} messages in {elapsed:.1f} s with the window open "
          f"(conversation opened: {'yes' if opened else 'no'}"
          + (f", the click took {open_ms[0]:.0f} ms" if open_ms else "") + ")")
    print(f"heartbeats: {len(ticks):,}; gap p50 {statistics.median(gaps):.1f} ms, "
          f"p99 {percentile(gaps, 99):.1f} ms, max {max(gaps):.1f} ms")
    longest = sorted(gaps, reverse=True)[: args.top]
    print("longest gaps (ms): " + ", ".join(f"{g:.0f}" for g in longest))
    # Where the GUI thread's time went: change sets handled by the panels (the sync's only
    # GUI-thread work), slowest first.
    total = sum(ms for ms, _ in slow)
    print(f"change sets handled on the GUI thread: {len(slow)}, {total:.0f} ms in all; slowest:")
    for ms, what in sorted(slow, key=lambda item: item[0], reverse=True)[: args.top]:
        print(f"  {ms:7.1f} ms  {what}")
    verdict = "meets" if max(gaps) <= TARGET_MAX_GAP_MS else "MISSES"
    print(f"GUI thread during a {big.messages:,}-message sync: max gap {max(gaps):.1f} ms, "
          f"p99 {percentile(gaps, 99):.1f} ms ({verdict} the {TARGET_MAX_GAP_MS:.0f} ms target; "
          f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs)")


if __name__ == "__main__":
    main()
