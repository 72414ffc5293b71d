"""Cold start of `agent-console --demo` to the window shown with demo data.

Run: .venv/bin/python tests/bench/bench_startup.py [--runs 5]
Each run uses a fresh home (no cache, no demo DB), so it measures the first-run path:
spawn, Qt window, embedded backend start + seed, login, first sync, rows in the list.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.support.console_process import ConsoleProcess


def one_run(warm_home: Path | None) -> dict[str, float]:
    home = warm_home or Path(tempfile.mkdtemp(prefix="bench-home-"))
    start = time.perf_counter()
    app = ConsoleProcess(["--demo", "--exit-when-ready"], home=home)
    shown = app.wait_for("window shown", timeout=60)
    t_shown = time.perf_counter() - start
    ready = app.wait_for("ready:", timeout=120)
    t_ready = time.perf_counter() - start
    app.proc.wait(30)
    in_proc = re.search(r"in (\d+) ms", ready)
    shown_ms = re.search(r"in (\d+) ms", shown)
    return {
        "window_shown_s": t_shown,
        "ready_s": t_ready,
        "ready_in_process_s": int(in_proc.group(1)) / 1000 if in_proc else float("nan"),
        "shown_in_process_s": int(shown_ms.group(1)) / 1000 if shown_ms else float("nan"),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    for label, warm in (("cold (fresh home)", False), ("warm (existing cache + demo DB)", True)):
        home = Path(tempfile.mkdtemp(prefix="bench-warm-")) if warm else None
        if home:
            one_run(home)  # first run fills the cache; not counted
        results = [one_run(home) for _ in range(args.runs)]
        print(f"{label}, {args.runs} runs, medians:")
        for key in results[0]:
            values = sorted(r[key] for r in results)
            print(f"  {key:22s} median {statistics.median(values):6.2f} s  "
                  f"(min {values[0]:.2f}, max {values[-1]:.2f})")


if __name__ == "__main__":
    main()
