"""Test-wide setup: headless Qt, an in-memory keyring, a real backend process on loopback."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from pathlib import Path

# Must be set before anything imports Qt.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")
# Sends judged at 18:00 UTC for quiet hours (day everywhere in the US): a test that sends at
# any hour of the night runs the same. The quiet-hours tests use clocks of their own.
os.environ.setdefault("CONSOLE_QUIET_HOURS_AT_UTC", "18:00")

import keyring
import keyring.backend
import pytest

from console.protocol.demo import DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD
from tests.support.backend_process import BackendProcess, sqlite_url


class MemoryKeyring(keyring.backend.KeyringBackend):
    """A real keyring backend that keeps secrets in a dict (headless machines have none)."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # keyring's is unannotated
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.store.pop((service, username), None)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under pytest-xdist (packaging/test.sh runs two workers, `--dist loadgroup`) each worker
    takes whole files, so a module's backend starts once. The backend API tests share one
    backend per database kind (tests/backend/conftest.py, package scope): those go as one group
    per kind, in collection order, or a worker would restart that backend at every file that
    switches kind."""
    if not config.pluginmanager.hasplugin("xdist"):
        return
    for item in items:
        callspec = getattr(item, "callspec", None)
        kind = callspec.params.get("backend_db") if callspec is not None else None
        group = f"backend-api-{kind}" if kind is not None else item.nodeid.split("::")[0]
        item.add_marker(pytest.mark.xdist_group(group))


@pytest.fixture(autouse=True)
def automatic_collection_after_test() -> Iterator[None]:
    """The app moves cyclic collection onto a GUI timer (console/ui/gui_collector.py); once a
    test's app parts are torn down, give it back so non-Qt tests after it still collect."""
    yield
    gc.enable()


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture(autouse=True)
def isolated_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Point platformdirs (data, config, logs) at a per-test folder."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    return home


@pytest.fixture(scope="session")
def demo_backend(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BackendProcess]:
    """One seeded backend for the whole run (read-mostly tests share it)."""
    db = tmp_path_factory.mktemp("demo-backend") / "backend.db"
    backend = BackendProcess(sqlite_url(db), args=["--seed", "demo"]).start()
    yield backend
    backend.stop()


@pytest.fixture
def fresh_backend(tmp_path: Path) -> Iterator[BackendProcess]:
    """A seeded backend of this test's own, for tests that write or stop it."""
    backend = BackendProcess(sqlite_url(tmp_path / "backend.db"), args=["--seed", "demo"]).start()
    yield backend
    backend.stop()


@pytest.fixture(scope="session")
def admin_token(demo_backend: BackendProcess) -> str:
    return demo_backend.login(DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD)
