"""Run the real `agent-console` program as a subprocess and read its log lines."""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path


def console_command() -> list[str]:
    """The installed entry point if present (what users run), else the module."""
    script = Path(sys.executable).parent / "agent-console"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "console.app"]


class ConsoleProcess:
    def __init__(self, args: Sequence[str], home: Path, extra_env: dict[str, str] | None = None):
        env = {
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "PYTHONUNBUFFERED": "1",
            "XDG_DATA_HOME": str(home / "data"),
            "XDG_CONFIG_HOME": str(home / "config"),
            "XDG_STATE_HOME": str(home / "state"),
            "XDG_CACHE_HOME": str(home / "cache"),
            **(extra_env or {}),
        }
        self.lines: list[str] = []
        self._queue: queue.Queue[str] = queue.Queue()
        self.proc = subprocess.Popen(
            [*console_command(), *args],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            text=True, env=env,
        )
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            line = line.rstrip("\n")
            self.lines.append(line)
            self._queue.put(line)

    def wait_for(self, text: str, timeout: float = 60.0) -> str:
        deadline = time.monotonic() + timeout
        for line in list(self.lines):
            if text in line:
                return line
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"no line with {text!r} in:\n" + "\n".join(self.lines))
            try:
                line = self._queue.get(timeout=min(remaining, 0.2))
            except queue.Empty:
                if self.proc.poll() is not None and self._queue.empty():
                    raise AssertionError(
                        f"exited {self.proc.returncode} before {text!r}:\n" + "\n".join(self.lines)
                    ) from None
                continue
            if text in line:
                return line

    def output(self) -> str:
        return "\n".join(self.lines)
