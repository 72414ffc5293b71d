"""Cold start (issue 12): `agent-console --server URL` over a cached profile paints the
conversation list from the cache before SQLAlchemy, pydantic, httpx, keyring or the sync engine
is imported (they cost ~0.9 s, PERFORMANCE.md), then loads them and opens the workspace.

The real program in a subprocess with `PYTHONPROFILEIMPORTTIME=1`: CPython writes a line to
stderr as each import completes, and the app logs to stderr too, so every module named above
the "ready:" line was imported before the list had painted."""

from __future__ import annotations

import re
import shutil
import socket
import sqlite3
from pathlib import Path

import pytest

from tests.bench.seed_cache import seed
from tests.support.console_process import ConsoleProcess

pytestmark = pytest.mark.slow

# Top-level packages and console modules that must load only after the first paint.
HEAVY_PACKAGES = {"sqlalchemy", "alembic", "pydantic", "pydantic_core", "httpx", "httpcore",
                  "keyring", "uvicorn", "fastapi"}
HEAVY_CONSOLE = ("console.sync.engine", "console.sync.api_client", "console.backend",
                 "console.protocol", "console.store.models", "console.store.cache",
                 "console.store.queries", "console.services.workspace",
                 "console.services.conversations", "console.services.auth",
                 "console.app_controller", "console.startup")


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("startup-imports") / "seeded.db"
    seed(path, 300, 2_000, 3)
    return path


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _imported(lines: list[str]) -> list[str]:
    return [line.rsplit("|", 1)[-1].strip() for line in lines if line.startswith("import time:")
            and not line.rstrip().endswith("imported package")]


def _heavy(module: str) -> bool:
    return module.split(".")[0] in HEAVY_PACKAGES or any(
        module == name or module.startswith(name + ".") for name in HEAVY_CONSOLE
    )


def test_the_list_paints_from_the_cache_before_the_heavy_imports(
    seeded: Path, tmp_path: Path
) -> None:
    server = f"http://127.0.0.1:{_closed_port()}"  # the backend is down: the cache only
    cache = tmp_path / "data" / "agent-console" / "profiles" / "office" / "cache.db"
    cache.parent.mkdir(parents=True)
    shutil.copyfile(seeded, cache)
    conn = sqlite3.connect(cache)
    with conn:
        conn.execute("UPDATE meta SET value = ? WHERE key = 'server_url'", (server,))
    conn.close()

    app = ConsoleProcess(
        ["--server", server, "--exit-when-ready"], home=tmp_path,
        extra_env={"PYTHONPROFILEIMPORTTIME": "1",
                   "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"},
    )
    try:
        ready = app.wait_for("ready:", timeout=60)
        app.wait_for("workspace open:", timeout=120)
        assert app.proc.wait(60) == 0, app.output()
    finally:
        if app.proc.poll() is None:
            app.proc.kill()
    found = re.search(r"ready: (\d+) conversations in \d+ ms \(from the cache file", ready)
    assert found, ready
    assert int(found.group(1)) == 100  # the list's first page, from the cache file

    lines = list(app.lines)
    at = lines.index(ready)
    before, after = _imported(lines[:at]), _imported(lines[at:])
    assert "PySide6.QtWidgets" in before
    assert "console.ui.main_window" in before  # lines seen
    assert [module for module in before if _heavy(module)] == []
    # And they do load after it: the workspace the list is handed to needs them. (A module the
    # start-up loads with importlib has no line of its own; the ones it imports do.)
    for package in ("sqlalchemy", "pydantic", "httpx", "console.sync"):
        assert any(module.startswith(package + ".") for module in after), package
    assert "Traceback" not in app.output()
    assert "start-up preload: no module" not in app.output()  # console/app_startup.py PRELOAD
