"""Run the bundled backend as a child process on loopback (the `--demo` path).

A child process rather than a thread: the backend's imports and request handling then never
compete with the GUI thread for the GIL, and a backend crash cannot take the window down.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import re
import signal
import subprocess
import sys
import threading
from pathlib import Path

from console.frozen import module_command

log = logging.getLogger("console.embedded")
_LISTENING = re.compile(r"listening on (http://[\w.\-\[\]:]+)")
_PR_SET_PDEATHSIG = 1


class EmbeddedBackendError(RuntimeError):
    """The embedded backend did not come up; the message says why in English (for the log),
    `cancelled`, `timeout` and `output` let the console word it in the user's language."""

    def __init__(
        self, message: str, *, cancelled: bool = False, timeout: float = 0.0, output: str = ""
    ) -> None:
        super().__init__(message)
        self.cancelled = cancelled
        self.timeout = timeout
        self.output = output


def _die_with_parent() -> None:
    # Linux only: if the console is killed outright, take the backend child down with it.
    with contextlib.suppress(Exception):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


class EmbeddedBackend:
    def __init__(self, db_path: Path, *, seed_demo: bool = True, port: int = 0) -> None:
        self.db_path = db_path
        self.seed_demo = seed_demo
        self.port = port
        self.url = ""
        self._proc: subprocess.Popen[str] | None = None
        self._ready = threading.Event()
        self._output: list[str] = []
        self._cancelled = threading.Event()

    def command(self) -> list[str]:
        # `python -m console.backend serve ...`, or the bundle's agent-console-backend when frozen
        cmd = [
            *module_command("console.backend"), "serve",
            "--db", f"sqlite:///{self.db_path}",
            "--host", "127.0.0.1", "--port", str(self.port),
        ]
        if self.seed_demo:
            cmd += ["--seed", "demo"]
        return cmd

    def start(self, timeout: float = 60.0) -> str:
        """Start the child and wait until it listens; returns its URL. Never on the GUI thread."""
        self.db_path.parent.mkdir(parents=True, exist_ok=True)
        preexec = _die_with_parent if sys.platform.startswith("linux") else None
        self._proc = subprocess.Popen(
            self.command(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            text=True,
            preexec_fn=preexec,  # only sets the parent-death signal
        )
        threading.Thread(target=self._pump, name="embedded-backend-log", daemon=True).start()
        if not self._ready.wait(timeout) or not self.url:
            tail = "\n".join(self._output[-10:])
            self.stop()
            if self._cancelled.is_set():
                raise EmbeddedBackendError(
                    "Starting the demo backend was cancelled.", cancelled=True
                )
            raise EmbeddedBackendError(
                f"The demo backend did not start within {timeout:.0f} s. Its last output:\n{tail}",
                timeout=timeout,
                output=tail,
            )
        log.info("embedded backend at %s (db %s)", self.url, self.db_path)
        return self.url

    def _pump(self) -> None:
        assert self._proc is not None and self._proc.stdout is not None
        for line in self._proc.stdout:
            line = line.rstrip("\n")
            self._output.append(line)
            del self._output[:-200]
            log.debug("backend: %s", line)
            match = _LISTENING.search(line)
            if match and not self._ready.is_set():
                self.url = match.group(1)
                self._ready.set()
        self._ready.set()  # the child exited: wake start() so it reports instead of waiting

    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def stop(self, timeout: float = 5.0) -> None:
        self._cancelled.set()
        self._ready.set()
        proc = self._proc
        if proc is None or proc.poll() is not None:
            return
        proc.terminate()
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout)
