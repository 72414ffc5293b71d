"""Start the real backend (`agent-console-backend serve`) as a subprocess on loopback."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httpx

LISTENING = re.compile(r"listening on (https?://[\w.\-\[\]:]+)")


@dataclass
class BackendProcess:
    db_url: str
    args: Sequence[str] = ()
    port: int = 0
    env: dict[str, str] = field(default_factory=dict)
    proc: subprocess.Popen[str] | None = None
    url: str = ""
    log_lines: list[str] = field(default_factory=list)

    def start(self, timeout: float = 30.0) -> BackendProcess:
        cmd = [
            sys.executable, "-m", "console.backend", "serve",
            "--db", self.db_url, "--host", "127.0.0.1", "--port", str(self.port),
            *self.args,
        ]
        env = {**os.environ, "PYTHONUNBUFFERED": "1", **self.env}
        self.proc = subprocess.Popen(
            cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env
        )
        found = threading.Event()

        def pump() -> None:
            assert self.proc is not None
            assert self.proc.stdout is not None
            for line in self.proc.stdout:
                self.log_lines.append(line.rstrip("\n"))
                match = LISTENING.search(line)
                if match and not found.is_set():
                    self.url = match.group(1)
                    found.set()

        threading.Thread(target=pump, daemon=True).start()
        deadline = time.monotonic() + timeout
        while not found.wait(0.05):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("backend did not start:\n" + "\n".join(self.log_lines))
        # Pin the port so a restart (tests that stop and revive the backend) reuses it.
        self.port = int(self.url.rsplit(":", 1)[1])
        return self

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(5)

    def client(self, token: str | None = None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=10.0)

    def login(self, email: str, password: str) -> str:
        with self.client() as http:
            response = http.post("/v1/auth/token", json={"email": email, "password": password})
            response.raise_for_status()
            return str(response.json()["access_token"])


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"
