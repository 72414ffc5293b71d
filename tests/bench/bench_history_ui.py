"""The History page over 1,000,000 messages: keystroke to first results painted, through the
real page (search field, debounce, worker, model reset, delegate paint), next to the service
call alone and raw SQLite in the same run.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python tests/bench/bench_history_ui.py \
        [--cache PATH] [--gap-ms 180] [--debounce-ms N]
     (without --cache one is built by tests/bench/seed_cache.py into a temp folder.)

Each text of bench_history_search.SEARCHES is typed letter by letter into `historySearch`,
`--gap-ms` apart (a brisk typist: ~5 keys a second); for each keystroke the time from the key
event to the list painted with that text's first rows is taken (the viewport is repainted
synchronously when the rows arrive, so the figure includes the paint). Keystrokes whose answer
never shows, because a newer one overtook it, are counted apart: their latency is the next
one's. Then a scroll through 20,000 rows checks the model's memory stays bounded (blocks in
memory never above history_model.MAX_BLOCKS), and RSS is printed.
Nothing is asserted: the machine is shared; compare within one run.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from console.services.history import HistoryFilter
from console.store.cache import Cache
from tests.bench.bench_history_search import SEARCHES, raw_page, service_for, typed


def ms(seconds: float) -> float:
    return seconds * 1000.0


def summary(name: str, values: list[float]) -> str:
    if not values:
        return f"{name:<34} (none)"
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return (f"{name:<34} n={len(values):4d}  p50 {statistics.median(ordered):7.2f} ms  "
            f"p95 {p95:7.2f} ms  max {ordered[-1]:7.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path)
    parser.add_argument("--gap-ms", type=int, default=180)
    parser.add_argument("--debounce-ms", type=int, default=None)
    args = parser.parse_args()
    path = args.cache
    if path is None:
        path = Path(tempfile.mkdtemp(prefix="history-ui-bench-")) / "cache.db"
        print(f"seeding {path} ...", flush=True)
        subprocess.run([sys.executable, str(Path(__file__).with_name("seed_cache.py")),
                        str(path)], check=True)

    from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from console.ui.history_page import HistoryPage
    from console.ui.theme import apply_theme

    app = QApplication(sys.argv[:1])
    apply_theme(app)
    cache = Cache.open(path)
    service = service_for(cache)
    page = HistoryPage()
    page.resize(1140, 720)
    page.show()
    if args.debounce_ms is not None:
        page._search_timer.setInterval(args.debounce_ms)
    print(f"debounce {page._search_timer.interval()} ms, keystrokes {args.gap_ms} ms apart")

    def wait(condition: object, timeout_ms: int = 10_000) -> None:
        loop = QEventLoop()
        timer = QElapsedTimer()
        timer.start()
        while not condition() and timer.elapsed() < timeout_ms:  # type: ignore[operator]
            loop.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)

    clock = QElapsedTimer()
    clock.start()
    began = clock.nsecsElapsed()
    page.set_source(service)
    wait(lambda: not page.model.searching and page.model.rowCount() > 0)
    page.view.viewport().repaint()
    print(f"first page, no query, painted: {(clock.nsecsElapsed() - began) / 1e6:.1f} ms "
          f"({page.count_label.text()})")

    pressed: dict[str, int] = {}  # text -> when its last key went in (ns)
    latencies: list[float] = []
    overtaken = 0

    def painted() -> None:
        text = page.model.filter.query
        when = pressed.pop(text, None)
        if when is None:
            return
        page.view.viewport().repaint()
        latencies.append((clock.nsecsElapsed() - when) / 1e6)

    page.model.loaded.connect(painted)
    for search in SEARCHES:
        page.search.clear()
        wait(lambda: not page.model.searching)
        pressed.clear()
        for letter in search:
            QTest.keyClicks(page.search, letter)  # one key (the stubs type keyClick's as a Qt.Key)
            pressed[" ".join(page.search.text().split())] = clock.nsecsElapsed()
            pause = QEventLoop()
            QTimer.singleShot(args.gap_ms, pause.quit)
            pause.exec()
        wait(lambda: not page.model.searching and not page._search_timer.isActive())
        overtaken += len(pressed)

    service_ms = []
    raw_ms = []
    import sqlite3

    db = sqlite3.connect(path)
    for text in typed(SEARCHES):
        t0 = time.perf_counter()
        service.page(HistoryFilter(query=text), limit=100)
        t1 = time.perf_counter()
        raw_page(db, text)
        t2 = time.perf_counter()
        service_ms.append(ms(t1 - t0))
        raw_ms.append(ms(t2 - t1))
    print(summary("keystroke -> rows painted (page)", latencies))
    print(f"{'keystrokes overtaken by a newer one':<34} {overtaken}")
    print(summary("service.page alone", service_ms))
    print(summary("raw sqlite3 (same SQL)", raw_ms))

    # Scrolling far: the model keeps at most MAX_BLOCKS pages.
    from console.ui.history_model import MAX_BLOCKS

    page.search.clear()
    wait(lambda: not page.model.searching and page.model.rowCount() > 0)
    peak_blocks = 0
    while page.model.rowCount() < 20_000 and page.model.has_more():
        page.view.scrollToBottom()
        before = page.model.rowCount()
        page.model.fetchMore()
        wait(lambda before=before: page.model.rowCount() > before)
        peak_blocks = max(peak_blocks, page.model.blocks_in_memory())
    print(f"scrolled to row {page.model.rowCount():,}: blocks in memory at most {peak_blocks} "
          f"(limit {MAX_BLOCKS})")
    page.view.scrollToTop()
    wait(lambda: page.model.entry_at(0) is not None)
    print(f"back at the top: row 0 read again: {page.model.entry_at(0) is not None}")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {rss:,.0f} MB")
    page.stop()
    page.close()
    cache.close()


if __name__ == "__main__":
    main()
