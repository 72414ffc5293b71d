"""The console over a big cache (issue 12 "Scale"): cold start, the 100,000-message conversation,
resident memory; each figure next to a raw-SQLite baseline measured in the same run.

Run: .venv/bin/python tests/bench/bench_scale.py [--cache /tmp/hx_big4.db] [--runs 3]
     [--scroll-rows 5000]
The cache is built by tests/bench/seed_cache.py (100,000 conversations, 1,000,000 messages,
`con_000000` with 100,000; session of a signed-in agent at http://127.0.0.1:9, which is down).
It is COPIED into a throw-away home first: the app writes to the cache it opens.

Targets: cold start < 1.0 s; open con_000000 first paint < 100 ms; scrolling it loads pages
lazily with no GUI-thread gap > 16 ms; RSS < 300 MB with the cache open, the big conversation
scrolled and History searched.

1. Cold start: `agent-console --server http://127.0.0.1:9` in a fresh process with that profile
   (no keyring here, so it opens the cache signed out, offline, as a remembered profile whose
   sign-in is gone); time from spawn to the app's "ready:" line: the conversation list has
   painted its first page, read from the cache file before the services load
   (console/app_startup.py). Also from spawn to "workspace open:" (the services have the list:
   conversations open, sends queue), and the longest of the GUI thread's import steps between
   the two (the window handles input between steps). Page cache warm (a first run is not
   counted). Baseline: a fresh `python -c` that opens the file with sqlite3 and reads the
   list's first 50 rows, spawn to exit. `--start-only` stops after this part.
2. In this process (offscreen unless QT_QPA_PLATFORM says otherwise): the real MainWindow on a
   workspace over the copy, token None (offline, nothing waits on the network). A 5 ms
   PreciseTimer heartbeat records every gap of the GUI thread. Opening con_000000: time from
   the select to the end of the event-loop turn that painted the message view. Scrolling: every
   16 ms the view's scroll bar moves up half a viewport (a user dragging), until --scroll-rows
   older rows were paged in, then down again until the window reaches the newest message; each
   page load reports its read (on a worker) and its GUI-thread steps (MessagePager.pageLoaded),
   and the model must stay within its bound. Then five jumps to messages 15,000-90,000 back
   (ConversationPanel.reveal_message), timed until the message flashes. Baselines: the raw SQL
   of the first window (50) and of one older page (100) on a separate sqlite3 connection.
3. RSS (VmRSS, VmHWM from /proc/self/status) after that and after 36 History searches (the
   HistoryService, as the page calls it: first page + count). Baseline: a fresh python that
   opens the file with sqlite3 and runs the same list / page / FTS queries.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import os
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

SERVER = "http://127.0.0.1:9"
BIG = "con_000000"
HEARTBEAT_MS = 5
DRAG_EVERY_MS = 16
TARGET_START_S = 1.0
TARGET_PAINT_MS = 100.0
TARGET_GAP_MS = 16.0
TARGET_RSS_MB = 300.0
SEARCHES = (
    "appointment", "tomorrow morning", "refund", "maria", "garcia", "5550", "invoice paid",
    "the", "kalo", "zu", "thanks", "pickup ready", "555-01", "doctor", "receipt", "please call",
    "monday", "parking", "quote", "x", "insurance claim", "okay", "tel", "bri", "lopez",
    "schedule", "delivery", "card", "hello", "pel", "shipped tracking", "class", "room",
    "sorry", "café", "415",
)

LIST_SQL = (
    "SELECT c.id, c.kind, c.title, c.phone, c.participants_json, c.last_message_preview, "
    "c.activity_at, c.unread_count, c.status, c.blocked_reason, c.replaces, c.replaced_by, "
    "n.label, n.e164 FROM conversations c LEFT JOIN business_numbers n ON n.id = c.number_id "
    "WHERE c.known = 1 ORDER BY c.activity_at IS NULL, c.activity_at DESC, c.title, c.id "
    "LIMIT ?"
)
PAGE_SQL = (
    "SELECT m.id, m.server_id, m.conversation_id, m.direction, m.author_user_id, u.name, "
    "m.author_contact_id, ct.name, m.body, m.status, m.error_code, m.error_detail, "
    "m.created_at, m.deliveries_json, m.reply_to_group_message_id, m.reply_to_title "
    "FROM messages m LEFT JOIN users u ON u.id = m.author_user_id "
    "LEFT JOIN contacts ct ON ct.id = m.author_contact_id WHERE m.conversation_id = ? {extra}"
    "ORDER BY m.created_at DESC, m.id DESC LIMIT ?"
)
OLDER = "AND (m.created_at, m.id) < (?, ?) "


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered)) - 1))]


def rss_mb(pid: int | str = "self") -> tuple[float, float]:
    """(VmRSS, VmHWM) of this process (or `pid`) in MB; (0, 0) when it is gone."""
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return (0.0, 0.0)
    fields = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
    return (int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024)


def sync_child_pid(workspace: Any) -> int | None:
    """The workspace's sync child process, if its engine runs in one (console/timing.py)."""
    return getattr(workspace._engine, "pid", None)


def verdict(ok: bool) -> str:
    return "meets" if ok else "MISSES"


def make_home(source: Path) -> tuple[Path, Path]:
    """A throw-away XDG home holding a copy of `source` as the profile `bench`'s cache."""
    home = Path(tempfile.mkdtemp(prefix="bench-scale-"))
    profile = home / "data" / "agent-console" / "profiles" / "bench"
    profile.mkdir(parents=True)
    started = time.perf_counter()
    shutil.copyfile(source, profile / "cache.db")
    print(f"copied {source} ({source.stat().st_size / 1e6:,.0f} MB) in "
          f"{time.perf_counter() - started:.1f} s")
    return home, profile / "cache.db"


def home_env(home: Path) -> dict[str, str]:
    return {f"XDG_{kind}_HOME": str(home / kind.lower())
            for kind in ("DATA", "CONFIG", "STATE", "CACHE")}


# -- 1. cold start --------------------------------------------------------------------------------
def cold_start(home: Path, runs: int) -> None:
    from tests.support.console_process import ConsoleProcess

    def app_run() -> tuple[float, float, float, float]:
        """(spawn to ready, in-process ready, spawn to workspace open, longest step) in s."""
        began = time.perf_counter()
        app = ConsoleProcess(["--server", SERVER, "--exit-when-ready"], home=home,
                             extra_env={"PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring",
                                        "QT_QPA_PLATFORM": os.environ["QT_QPA_PLATFORM"]})
        ready = app.wait_for("ready:", timeout=120)
        wall = time.perf_counter() - began
        app.wait_for("workspace open:", timeout=120)
        opened = time.perf_counter() - began
        app.proc.wait(60)
        found = re.search(r"ready: (\d+) conversations in (\d+) ms", ready)
        assert found, ready
        assert int(found.group(1)) > 0, ready
        step = re.search(r"the longest (\d+) ms", app.wait_for("services loaded"))
        assert step, app.output()
        return wall, int(found.group(2)) / 1000, opened, int(step.group(1)) / 1000

    def raw_run(cache: Path) -> float:
        code = (
            "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
            f"rows = c.execute({LIST_SQL!r}, (50,)).fetchall(); assert len(rows) == 50"
        )
        began = time.perf_counter()
        subprocess.run([sys.executable, "-c", code, str(cache)], check=True)
        return time.perf_counter() - began

    cache = home / "data" / "agent-console" / "profiles" / "bench" / "cache.db"
    app_run()  # warms the page cache and runs any migration once; not counted
    results = [app_run() for _ in range(runs)]
    raw = [raw_run(cache) for _ in range(runs)]
    wall = statistics.median(r[0] for r in results)
    inside = statistics.median(r[1] for r in results)
    print(f"cold start to the list painted ({runs} runs, median): spawn to 'ready' {wall:.2f} s "
          f"(in-process {inside:.2f} s; min {min(r[0] for r in results):.2f}, "
          f"max {max(r[0] for r in results):.2f})  [raw sqlite3 process: open + first 50 list "
          f"rows {statistics.median(raw):.2f} s]  {verdict(wall < TARGET_START_S)} "
          f"< {TARGET_START_S:.1f} s")
    opened = [r[2] for r in results]
    steps = [r[3] * 1000 for r in results]
    print(f"  then the services: spawn to 'workspace open' {statistics.median(opened):.2f} s "
          f"(min {min(opened):.2f}, max {max(opened):.2f}); the longest GUI-thread import step "
          f"{statistics.median(steps):.0f} ms (max {max(steps):.0f})")


# -- 2. the big conversation ----------------------------------------------------------------------
def raw_page_ms(cache: Path) -> tuple[float, float]:
    """(first window of 50, one older page of 100) on a plain sqlite3 connection, ms (median)."""
    conn = sqlite3.connect(f"{cache.as_uri()}?mode=ro", uri=True)
    try:
        first: list[float] = []
        older: list[float] = []
        for _ in range(5):
            began = time.perf_counter()
            rows = conn.execute(PAGE_SQL.format(extra=""), (BIG, 50)).fetchall()
            first.append((time.perf_counter() - began) * 1000)
            began = time.perf_counter()
            anchor = rows[-1]
            conn.execute(PAGE_SQL.format(extra=OLDER),
                         (BIG, anchor[12], anchor[0], 100)).fetchall()
            older.append((time.perf_counter() - began) * 1000)
        return statistics.median(first), statistics.median(older)
    finally:
        conn.close()


def in_process(cache: Path, scroll_rows: int) -> None:
    from console.services.history import HistoryFilter
    from console.services.workspace import open_workspace
    from console.store.session_meta import peek_session
    from console.ui.gui_collector import collect_on_gui_thread, settle
    from console.ui.main_window import MainWindow
    from console.ui.qt import QApplication, QEvent, QObject, QSettings, Qt, QTimer

    app = QApplication([])
    collect_on_gui_thread()
    info = peek_session(cache)
    assert info is not None, "not a signed-in cache"
    began = time.perf_counter()
    workspace = open_workspace(cache, info.server_url, None, info.user)
    window = MainWindow(settings=QSettings(str(cache.parent / "ui.ini"),
                                           QSettings.Format.IniFormat))
    window.resize(1200, 800)
    window.attach_workspace(workspace)
    window.show()
    workspace.start()
    while window.conversation_model.rowCount() == 0:
        app.processEvents()
    app.processEvents()
    settle()  # as the app's controller does once the workspace's list has rows
    print(f"in-process open: workspace + window with {window.conversation_model.rowCount():,} "
          f"list rows in {(time.perf_counter() - began) * 1000:.0f} ms")

    ticks: list[float] = []
    heartbeat = QTimer()
    heartbeat.setTimerType(Qt.TimerType.PreciseTimer)
    heartbeat.setInterval(HEARTBEAT_MS)
    heartbeat.timeout.connect(lambda: ticks.append(time.perf_counter()))

    panel = window.conversation_panel
    view = panel.view
    model = panel.model

    class PaintSeen(QObject):
        seen = False

        def eventFilter(self, _obj: Any, event: Any) -> bool:
            if event.type() == QEvent.Type.Paint:
                self.seen = True
            return False

    seen = PaintSeen()
    view.viewport().installEventFilter(seen)
    raw_first, raw_older = raw_page_ms(cache)

    began = time.perf_counter()
    assert window.select_conversation(BIG)
    selected = time.perf_counter()
    while not seen.seen:
        app.processEvents()
    painted = time.perf_counter()
    paint_ms = (painted - began) * 1000
    print(f"open {BIG} (100,000 messages): first paint {paint_ms:.0f} ms (select "
          f"{(selected - began) * 1000:.0f} ms + layout/paint {(painted - selected) * 1000:.0f} "
          f"ms; {model.rowCount()} rows loaded)  [raw sqlite3: first 50 rows "
          f"{raw_first:.1f} ms]  {verdict(paint_ms < TARGET_PAINT_MS)} < {TARGET_PAINT_MS:.0f} ms")

    scroll_figures(app, panel, cache, scroll_rows, heartbeat, ticks, raw_older)

    after_scroll = rss_mb()
    search_ms: list[float] = []
    for text in SEARCHES:
        start = time.perf_counter()
        flt = HistoryFilter(query=text)
        workspace.history.page(flt)
        workspace.history.count(flt)
        search_ms.append((time.perf_counter() - start) * 1000)
    rss, peak = rss_mb()
    child = sync_child_pid(workspace)
    child_rss, child_peak = rss_mb(child) if child is not None else (0.0, 0.0)
    print(f"History: {len(SEARCHES)} searches (page + count) p50 "
          f"{statistics.median(search_ms):.1f} ms, max {max(search_ms):.1f} ms")
    print(f"resident memory: after scrolling {after_scroll[0]:.0f} MB; after History searches "
          f"{rss:.0f} MB (peak {peak:.0f} MB)  [raw sqlite3 process, same queries: "
          f"{raw_rss_mb(cache):.0f} MB]")
    total = peak + child_peak
    print(f"  with the sync child process ({'pid ' + str(child) if child else 'none'}): "
          f"{child_rss:.0f} MB (peak {child_peak:.0f} MB); console + child peaks "
          f"{total:.0f} MB  {verdict(total < TARGET_RSS_MB)} < {TARGET_RSS_MB:.0f} MB")
    window.close()
    workspace.close()


def gap_line(ticks: list[float]) -> str:
    """The GUI thread's gaps between heartbeats, against the target."""
    gaps = [(b - a) * 1000 for a, b in itertools.pairwise(ticks)]
    if not gaps:
        return "no heartbeats"
    return (f"{len(ticks):,} heartbeats, gap p50 {statistics.median(gaps):.1f} ms, p99 "
            f"{percentile(gaps, 99):.1f} ms, max {max(gaps):.1f} ms (the {HEARTBEAT_MS} ms timer "
            f"is part of each gap)  {verdict(max(gaps) <= TARGET_GAP_MS)} <= {TARGET_GAP_MS:.0f} "
            "ms; longest: " + ", ".join(f"{g:.0f}" for g in sorted(gaps, reverse=True)[:5]))


def load_line(loads: list[Any]) -> str:
    """Page loads (console/ui/message_pager.py PageLoad): the worker's read, the GUI's share."""
    if not loads:
        return "no page loads"

    def spread(values: list[float]) -> str:
        return f"p50 {statistics.median(values):.1f} / max {max(values):.1f} ms"

    return (f"read on a worker {spread([x.read_ms for x in loads])}; on the GUI thread: "
            f"measuring {spread([x.warm_ms for x in loads])} over up to "
            f"{max(x.warm_turns for x in loads)} turns, insert + drop + layout "
            f"{spread([x.apply_ms for x in loads])}")


class Collections:
    """Garbage collections (on the GUI thread: console/ui/gui_collector.py) and their pauses,
    so that a long gap can be told apart from the view's own work."""

    def __init__(self) -> None:
        self.pauses: list[tuple[int, float]] = []  # (generation, ms)
        self._began = 0.0
        gc.callbacks.append(self._seen)

    def _seen(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._began = time.perf_counter()
        else:
            self.pauses.append((info["generation"], (time.perf_counter() - self._began) * 1000))

    def line(self) -> str:
        if not self.pauses:
            return "no garbage collection"
        generation, longest = max(self.pauses, key=lambda pause: pause[1])
        return (f"{len(self.pauses)} garbage collections, longest {longest:.1f} ms "
                f"(generation {generation})")

    def close(self) -> None:
        gc.callbacks.remove(self._seen)


def scroll_figures(app: Any, panel: Any, cache: Path, scroll_rows: int, heartbeat: Any,
                   ticks: list[float], raw_older: float) -> None:
    """Drag up through `scroll_rows` older rows, back down to the newest, then jump far back."""
    from PySide6.QtCore import QEventLoop

    from console.ui.message_pages import MAX_ROWS
    from console.ui.qt import Qt, QTimer

    view, model = panel.view, panel.model
    print(f"  before scrolling: gc counts {gc.get_count()} (thresholds {gc.get_threshold()}), "
          f"generation 1 holds {len(gc.get_objects(1)):,} objects, generation 2 "
          f"{len(gc.get_objects(2)):,}")
    collections = Collections()
    loads: list[Any] = []
    view.pager.pageLoaded.connect(loads.append)
    bar = view.verticalScrollBar()
    step = max(40, view.viewport().height() // 2)

    def drag(up: bool) -> tuple[int, float, int]:
        """Drag a frame at a time until done; (frames, seconds, most rows loaded)."""
        frames = [0]
        most = [model.rowCount()]
        paged = [0]
        # A loop of its own: app.quit() would close the window (Qt 6) and so the conversation.
        loop = QEventLoop()

        def frame() -> None:
            frames[0] += 1
            most[0] = max(most[0], model.rowCount())
            paged[0] = sum(x.rows for x in loads)
            if up:
                bar.setValue(max(bar.minimum(), bar.value() - step))
                if paged[0] >= scroll_rows or not (model.has_older or view.pager.busy):
                    loop.quit()
            else:
                bar.setValue(min(bar.maximum(), bar.value() + step))
                if not model.has_newer and bar.value() >= bar.maximum():
                    loop.quit()

        dragger = QTimer()
        dragger.setTimerType(Qt.TimerType.PreciseTimer)
        dragger.setInterval(DRAG_EVERY_MS)
        dragger.timeout.connect(frame)
        loads.clear()
        ticks.clear()
        collections.pauses.clear()
        heartbeat.start()
        dragger.start()
        began = time.perf_counter()
        loop.exec()
        seconds = time.perf_counter() - began
        dragger.stop()
        heartbeat.stop()
        return frames[0], seconds, most[0]

    # Scrolling up as a user dragging: half a viewport each frame, pages load at the top.
    frames, seconds, most = drag(up=True)
    paged = sum(x.rows for x in loads)
    print(f"scroll up through {BIG}: {frames} drag steps of {step} px in {seconds:.1f} s, "
          f"{paged:,} older rows paged in by {len(loads)} lazy page loads, at most {most} rows "
          f"loaded (bound {MAX_ROWS})  [raw sqlite3: one older page of 100 {raw_older:.1f} ms]")
    print(f"  pages: {load_line(loads)}")
    print(f"  GUI thread while scrolling up: {gap_line(ticks)}; {collections.line()}")
    frames, seconds, most = drag(up=False)
    print(f"scroll back down to the newest: {frames} drag steps in {seconds:.1f} s, "
          f"{sum(x.rows for x in loads):,} newer rows paged in by {len(loads)} loads, at most "
          f"{most} rows loaded; reaches the newest: {not model.has_newer}")
    print(f"  pages: {load_line(loads)}")
    print(f"  GUI thread while scrolling down: {gap_line(ticks)}; {collections.line()}")

    # Jumps far back (History's open, the find bar): a window around the message.
    conn = sqlite3.connect(f"{cache.as_uri()}?mode=ro", uri=True)
    try:
        targets = [str(conn.execute(
            "SELECT id FROM messages WHERE conversation_id = ? "
            "ORDER BY created_at DESC, id DESC LIMIT 1 OFFSET ?", (BIG, back)).fetchone()[0])
            for back in (90_000, 60_000, 30_000, 75_000, 15_000)]
    finally:
        conn.close()
    shown_ms: list[float] = []
    loads.clear()
    ticks.clear()
    collections.pauses.clear()
    heartbeat.start()
    for key in targets:
        began = time.perf_counter()
        assert panel.reveal_message(key)
        flash = view.message_delegate.flash
        while not (flash.key == key and flash.strength(key) > 0):
            app.processEvents()
        shown_ms.append((time.perf_counter() - began) * 1000)
        flash.stop()
    heartbeat.stop()
    print(f"jumps to {len(targets)} messages 15,000-90,000 back: shown and flashing after p50 "
          f"{statistics.median(shown_ms):.0f} ms, max {max(shown_ms):.0f} ms; {load_line(loads)}")
    print(f"  GUI thread while jumping: {gap_line(ticks)}; {collections.line()}")
    collections.close()


def raw_rss_mb(cache: Path) -> float:
    """Peak RSS of a bare python + sqlite3 running the list, page and FTS queries."""
    code = f"""
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.execute({LIST_SQL!r}, (100000,)).fetchall()
c.execute({PAGE_SQL.format(extra="")!r}, ({BIG!r}, 5000)).fetchall()
for word in {list(SEARCHES)!r}:
    try:
        c.execute("SELECT rowid FROM history_fts WHERE history_fts MATCH ? "
                  "ORDER BY rowid DESC LIMIT 50", (word.split()[0] + '*',)).fetchall()
    except sqlite3.OperationalError:
        pass
for line in open('/proc/self/status'):
    if line.startswith('VmHWM'):
        print(int(line.split()[1]) / 1024)
"""
    out = subprocess.run([sys.executable, "-c", code, str(cache)], check=True,
                         capture_output=True, text=True).stdout
    return float(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cache", type=Path, default=Path("/tmp/hx_big4.db"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--scroll-rows", type=int, default=5000,
                        help="stop scrolling once this many rows are loaded")
    parser.add_argument("--skip-start", action="store_true")
    parser.add_argument("--start-only", action="store_true", help="the cold start part alone")
    args = parser.parse_args()
    home, cache = make_home(args.cache)
    try:
        print(f"platform {os.environ['QT_QPA_PLATFORM']}, load average "
              f"{os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
        if not args.skip_start:
            cold_start(home, args.runs)
        if args.start_only:
            return
        os.environ.update(home_env(home))
        in_process(cache, args.scroll_rows)
    finally:
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
