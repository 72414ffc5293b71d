"""UI fixtures: real services over a real backend, a main window, and no threads left behind."""

from __future__ import annotations

import gc
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from pytestqt.qtbot import QtBot

from console.protocol.demo import DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD
from console.services.auth import AuthService
from console.services.types import SyncState
from console.services.workspace import Workspace, open_workspace
from console.ui.gui_collector import collect_on_gui_thread
from console.ui.i18n import install_translations, remove_translations
from console.ui.main_window import MainWindow
from console.ui.message_model import MessageListModel
from console.ui.qt import QAction, QApplication, QMenu, QSettings
from tests.support.backend_process import BackendProcess, sqlite_url
from tests.support.failure_screenshots import pytest_runtest_makereport  # noqa: F401  (hook)

FIRST_SYNC_TIMEOUT_MS = 15_000


@pytest.fixture(scope="session", autouse=True)
def english(qapp: QApplication) -> Iterator[None]:
    """As the app starts (console/app.py): the English translation, which holds the plural
    forms ("1 change", "2 changes")."""
    translator = install_translations(qapp, "en")
    assert translator is not None, "console/resources/i18n/agent_console_en.qm is missing"
    yield
    remove_translations(qapp, translator)


@pytest.fixture(autouse=True)
def gc_on_the_gui_thread(qapp: QApplication) -> Iterator[None]:
    """As in the app (console/ui/gui_collector.py): no cyclic collection on the sync threads
    while a test runs, and this test's cyclic garbage (Qt wrappers among it, including those a
    failed test's traceback held) freed here, on the GUI thread, before the next test."""
    collect_on_gui_thread()
    yield
    gc.collect()


@pytest.fixture(autouse=True)
def no_threads_left_behind() -> Iterator[None]:
    """Fail a test that leaves a thread running (sync engine, task runner, ...)."""
    before = set(threading.enumerate())
    yield
    deadline = time.monotonic() + 3.0
    while True:
        extra = [
            t for t in threading.enumerate()
            if t not in before and t.is_alive() and not isinstance(t, threading._DummyThread)
        ]
        if not extra or time.monotonic() > deadline:
            break
        time.sleep(0.02)  # teardown only: threads end on their own, nothing to wait on in Qt
    assert not extra, f"threads left running: {[t.name for t in extra]}"


@pytest.fixture(scope="module")
def module_backend(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BackendProcess]:
    """One seeded backend for a module whose tests each write only data of their own (people
    and numbers from the module's own pool, uuid bodies) and read it back by id: unlike the
    session's `demo_backend`, which tests count and search as seeded, so no test writes there."""
    db = tmp_path_factory.mktemp("ui-module-backend") / "backend.db"
    backend = BackendProcess(sqlite_url(db), args=["--seed", "demo"]).start()
    yield backend
    backend.stop()


@pytest.fixture
def ui_settings(tmp_path: Path) -> QSettings:
    """Window settings of this test's own (QSettings caches its default path per process)."""
    return QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)


WorkspaceFactory = Callable[..., Workspace]


@pytest.fixture
def make_workspace(tmp_path: Path) -> Iterator[WorkspaceFactory]:
    """Open real workspaces (cache + sync engine + services); all are closed at teardown."""
    opened: list[Workspace] = []

    def make(
        backend: BackendProcess,
        *,
        cache: Path | None = None,
        online: bool = True,
        start: bool = True,
        email: str = DEMO_ADMIN_EMAIL,
        password: str = DEMO_ADMIN_PASSWORD,
    ) -> Workspace:
        auth = AuthService()
        login = auth.login(backend.url, email, password)
        workspace = open_workspace(
            cache or tmp_path / "profile" / "cache.db",
            login.server_url,
            login.token if online else None,
            login.user,
        )
        opened.append(workspace)
        if start:
            workspace.start()
        return workspace

    yield make
    for workspace in opened:
        workspace.close()


def older_rows_left(model: MessageListModel) -> bool:
    """`model.has_older`, read through a call: a type checker keeps what an earlier assert on
    the attribute said, past the paging that changes it."""
    return model.has_older


def newer_rows_left(model: MessageListModel) -> bool:
    """`model.has_newer`, read through a call (see older_rows_left)."""
    return model.has_newer


def menu_of(action: QAction) -> QMenu:
    """The menu a menu bar entry opens (QAction.menu() is typed as a plain QObject)."""
    menu = action.menu()
    assert isinstance(menu, QMenu), action.text()
    return menu


def wait_first_sync(qtbot: QtBot, workspace: Workspace) -> None:
    def synced() -> bool:
        status = workspace.sync.status
        return status.state == SyncState.ONLINE and status.last_sync_at is not None

    qtbot.waitUntil(synced, timeout=FIRST_SYNC_TIMEOUT_MS)
    qtbot.waitUntil(lambda: bool(workspace.conversations.list_conversations()), timeout=5000)


def offline_copy(
    qtbot: QtBot, backend: BackendProcess, make_workspace: WorkspaceFactory, cache: Path
) -> tuple[Workspace, str]:
    """A synced cache reopened offline and not started (nothing leaves the machine, so tests
    may write freely even on the shared demo backend), and its least recent conversation."""
    synced = make_workspace(backend, cache=cache)
    wait_first_sync(qtbot, synced)
    synced.close()
    workspace = make_workspace(backend, cache=cache, online=False, start=False)
    return workspace, workspace.conversations.list_conversations()[-1].id


MainWindowFactory = Callable[[Workspace | None], MainWindow]


@pytest.fixture
def window_for(qtbot: QtBot, ui_settings: QSettings) -> Iterator[MainWindowFactory]:
    """Build a shown MainWindow; closed (listeners detached) before the workspace closes."""
    windows: list[MainWindow] = []

    def build(workspace: Workspace | None) -> MainWindow:
        window = MainWindow(workspace, settings=ui_settings)
        windows.append(window)
        window.show()
        qtbot.waitExposed(window)
        return window

    yield build
    for window in windows:
        window.close()
        window.deleteLater()


def api(backend: BackendProcess) -> httpx.Client:
    """An admin HTTP client for arranging things on the backend (the simulator, lookups)."""
    return backend.client(backend.login(DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD))


# -- people and chats arranged on a backend (each call makes its own, with fresh numbers) --


def new_person(http: httpx.Client, name: str, *, area: str = "469",
               email: str | None = None) -> tuple[str, str]:
    """A contact with one fresh number in `area` (469: Dallas, CST); (contact id, phone)."""
    phone = f"+1{area}555{uuid.uuid4().int % 10_000:04d}"
    body: dict[str, object] = {"name": name, "phones": [{"number": phone}]}
    if email is not None:
        body["email"] = email
    made = http.post("/v1/contacts", json=body)
    assert made.status_code == 201, made.text
    contact_id: str = made.json()["id"]
    return contact_id, phone


def main_number(http: httpx.Client) -> str:
    found: str = next(n["id"] for n in http.get("/v1/numbers").json()["items"]
                      if n["label"] == "Main office")
    return found


def direct_chat(http: httpx.Client, name: str, *, area: str = "469",
                number_id: str | None = None) -> tuple[str, str]:
    """A 1:1 SMS conversation with a new person; (conversation id, their phone)."""
    contact_id, phone = new_person(http, name, area=area)
    opened = http.post("/v1/conversations", json={
        "kind": "direct", "contact_id": contact_id, "phone": phone,
        "number_id": number_id or main_number(http)})
    assert opened.status_code in (200, 201), opened.text
    conversation_id: str = opened.json()["id"]
    return conversation_id, phone


def group_of(http: httpx.Client, names: list[str], *, area: str = "212",
             emails: bool = False) -> tuple[str, dict[str, str]]:
    """An audience group of new people; (group id, {contact id: name})."""
    tag = uuid.uuid4().hex[:6]
    group = http.post("/v1/groups", json={"name": f"Group {tag}"},
                      headers={"Idempotency-Key": f"group-{tag}"}).json()
    people = {}
    for name in names:
        email = f"{uuid.uuid4().hex[:8]}@example.com" if emails else None
        contact_id, _ = new_person(http, name, area=area, email=email)
        http.put(f"/v1/groups/{group['id']}/members/{contact_id}").raise_for_status()
        people[contact_id] = name
    group_id: str = group["id"]
    return group_id, people
