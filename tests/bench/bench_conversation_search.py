"""Find in a conversation of 100,000 messages (Ctrl+F): keystroke to the count shown, and a
jump to a match ~90,000 messages back painted, through the real panel (field, typing pause,
worker, model, delegate), next to the service call alone and raw SQLite in the same run.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python tests/bench/bench_conversation_search.py \
        --cache COPY_OF_BIG_CACHE [--gap-ms 180]
     (a cache from tests/bench/seed_cache.py; its `con_000000` holds 100,000 messages. Use a
     copy: opening it migrates it.)

Each text of SEARCHES is typed letter by letter into `conversationSearch`, `--gap-ms` apart; for
each keystroke whose answer shows, the time from the key to the count showing it ("k of N",
"No matches") is taken; it includes the bar's typing pause (TYPING_PAUSE_MS). Keystrokes
overtaken by the next one are counted apart. Then: Shift+Enter on the newest match wraps to the
oldest (the far end of the conversation), timed from the key to that bubble painted; a direct
reveal_message of the message 90,000 back; and pages loaded while scrolling from there.
Nothing is asserted: the machine is shared; compare within one run.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from console.protocol.auth import User
from console.services.conversations import ConversationService
from console.services.session import Session
from console.store import history_queries as hq
from console.store.cache import Cache

CONVERSATION = "con_000000"
SEARCHES = ("tomorrow", "parking", "the estimate", "ok", "delivery", "zqx")
# Two-letter prefixes hitting most of the cache: the slowest answers (typing on cancels them).
WIDE = ("th", "to")


def ms(ns: int) -> float:
    return ns / 1e6


def summary(name: str, values: list[float]) -> str:
    if not values:
        return f"{name:<36} (none)"
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return (f"{name:<36} n={len(values):4d}  p50 {statistics.median(ordered):7.1f} ms  "
            f"p95 {p95:7.1f} ms  max {ordered[-1]:7.1f} ms")


def raw_matches(db: sqlite3.Connection, text: str) -> int:
    """The store's statement through the bare sqlite3 module (no body check, no mapping)."""

    def lookup(low: str, high: str, limit: int) -> list[str]:
        return [r[0] for r in db.execute(hq.VOCAB_SQL, (low, high, limit))]

    match = hq.fts_expression(text, lookup)
    if match is None:
        return 0
    return len(db.execute(hq.CONVERSATION_MATCHES_SQL, (match, CONVERSATION)).fetchall())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, required=True)
    parser.add_argument("--gap-ms", type=int, default=180)
    args = parser.parse_args()

    from PySide6.QtCore import QElapsedTimer, QEventLoop, Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from console.ui.conversation_view import ConversationPanel
    from console.ui.theme import apply_theme

    app = QApplication(sys.argv[:1])
    apply_theme(app)
    cache = Cache.open(args.cache)
    user = User(id="usr_me", email="bench@example.com", name="Bench Agent", role="admin",
                data_access="all")
    session = Session(user, "http://127.0.0.1:9", "bench", cache.path)
    service = ConversationService(cache, session, wake_sync=lambda: None)
    db = sqlite3.connect(str(args.cache))

    print(f"raw SQLite and service.find over {CONVERSATION} (matches, ms):")
    for text in (*SEARCHES, *WIDE):
        started = time.perf_counter_ns()
        raw = raw_matches(db, text)
        raw_ms = ms(time.perf_counter_ns() - started)
        started = time.perf_counter_ns()
        found = service.find(CONVERSATION, text)
        find_ms = ms(time.perf_counter_ns() - started)
        print(f"  {text!r:<16} raw {raw:6d} in {raw_ms:7.1f}   find {len(found.keys):6d} in "
              f"{find_ms:7.1f}")

    panel = ConversationPanel(service)
    panel.resize(900, 760)
    panel.show()
    panel.open(CONVERSATION)
    search = panel.search
    field = search.bar.field
    clock = QElapsedTimer()
    clock.start()

    def wait(condition: Callable[[], bool], timeout_ms: int = 20_000) -> None:
        """Run the event loop (idle in Qt, as the app is: a Python polling loop would hold the
        interpreter lock against the search worker) until `condition` holds."""
        if condition():
            return
        loop = QEventLoop()
        timer = QElapsedTimer()
        timer.start()

        def check() -> None:
            if condition() or timer.elapsed() > timeout_ms:
                loop.quit()

        poll = QTimer()
        poll.setInterval(2)
        poll.timeout.connect(check)
        search.changed.connect(check)
        poll.start()
        loop.exec()
        poll.stop()
        search.changed.disconnect(check)

    search.open()
    overtaken = 0
    for text in SEARCHES:
        field.clear()
        wait(lambda: search.bar.count.text() == "")
        typed = ""
        pending: list[tuple[str, int]] = []
        for position, char in enumerate(text):
            typed += char
            QTest.keyClicks(field, char)  # one key (the stubs type keyClick's as a Qt.Key)
            pending.append((typed, clock.nsecsElapsed()))
            if position < len(text) - 1:
                deadline = clock.elapsed() + args.gap_ms
                wait(lambda d=deadline: clock.elapsed() >= d)  # type: ignore[misc]
        wait(lambda: not search.searching)
        shown_for = field.text()
        # Only the last text's answer is shown once typing pauses; earlier ones were overtaken
        # unless their answer showed within the gap (long pauses between keys).
        overtaken += len(pending) - 1
        finished = clock.nsecsElapsed()
        when = pending[-1][1]
        panel.view.viewport().repaint()
        print(f"  typed {shown_for!r:<16} -> {search.bar.count.text():<16} "
              f"{ms(finished - when):7.1f} ms after its last key")

    # Keystroke (a pause, then one key) to count shown, per text: the typical case.
    single: list[float] = []
    for text in SEARCHES:
        field.setText(text[:-1])
        wait(lambda: not search.searching)
        started = clock.nsecsElapsed()
        QTest.keyClicks(field, text[-1])
        wait(lambda: not search.searching)
        panel.view.viewport().repaint()
        single.append(ms(clock.nsecsElapsed() - started))
    print(summary("last key -> count shown", single))

    # The far jump: the newest match, then Shift+Enter wraps to the oldest.
    field.setText("tomorrow")
    wait(lambda: not search.searching)
    oldest = search.keys[-1]
    started = clock.nsecsElapsed()
    QTest.keyClick(field, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    model = panel.model
    wait(lambda: model.row_of(oldest) >= 0, 5000)  # the window around it is read on a worker
    panel.view.viewport().repaint()
    jump = ms(clock.nsecsElapsed() - started)
    print(f"Shift+Enter to the oldest of {len(search.keys):,} matches (row "
          f"{model.row_of(oldest)} of {model.rowCount()} loaded) painted: {jump:.1f} ms")
    search.close()

    keys = [r.key for r in service.messages(CONVERSATION, limit=1)]
    # The message 90,000 back: walk by keyset in a few big reads (not timed).
    anchor = keys[0]
    remaining = 90_000
    while remaining > 0:
        page = service.messages(CONVERSATION, before_key=anchor, limit=min(remaining, 10_000))
        anchor = page[-1].key
        remaining -= len(page)
    panel.open(CONVERSATION)
    wait(lambda: True, 50)
    started = clock.nsecsElapsed()
    panel.reveal_message(anchor, flash=False)
    wait(lambda: model.row_of(anchor) >= 0, 5000)
    panel.view.viewport().repaint()
    print(f"reveal_message 90,000 back painted: {ms(clock.nsecsElapsed() - started):.1f} ms "
          f"({model.rowCount()} rows loaded)")

    pages: list[float] = []
    bar = panel.view.verticalScrollBar()
    # Pages come in on a worker and the window stays bounded (its row count stops growing):
    # count the pages applied.
    applied = [0]
    panel.view.pager.pageLoaded.connect(lambda _load: applied.__setitem__(0, applied[0] + 1))
    for _ in range(10):
        count = applied[0]
        started = clock.nsecsElapsed()
        bar.setValue(bar.maximum())
        wait(lambda c=count: applied[0] > c, 5000)  # type: ignore[misc]
        panel.view.viewport().repaint()
        pages.append(ms(clock.nsecsElapsed() - started))
    print(summary("scroll down: next page painted", pages))
    pages = []
    for _ in range(10):
        count = applied[0]
        started = clock.nsecsElapsed()
        bar.setValue(bar.minimum())
        wait(lambda c=count: applied[0] > c, 5000)  # type: ignore[misc]
        panel.view.viewport().repaint()
        pages.append(ms(clock.nsecsElapsed() - started))
    print(summary("scroll up: previous page painted", pages))
    print(f"keystrokes overtaken while typing: {overtaken}")
    panel.close()
    service.close()
    cache.close()
    del app


if __name__ == "__main__":
    main()
