"""A sign-in the server stops accepting (password reset, deactivation, expiry) brings the user
back to the sign-in dialog with a clear message, over their cached conversations.

The real app controller and main window, a real backend on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from console.app_controller import AppController
from console.protocol.demo import DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD, DEMO_PASSWORD
from console.services.types import SyncState
from tests.conftest import MemoryKeyring
from tests.e2e.sign_in import sign_in, started_controller
from tests.support.backend_process import BackendProcess, sqlite_url

pytestmark = pytest.mark.slow

PRIYA = "priya.agent@demo.example"


@pytest.fixture
def backend(tmp_path: Path) -> Iterator[BackendProcess]:
    process = BackendProcess(sqlite_url(tmp_path / "b.db"), args=["--seed", "demo"]).start()
    yield process
    process.stop()


@pytest.fixture
def controller(qtbot: QtBot, tmp_path: Path) -> Iterator[AppController]:
    yield from started_controller(qtbot, tmp_path)


def _online(qtbot: QtBot, controller: AppController) -> None:
    def ready() -> bool:
        workspace = controller.workspace
        return (not controller.busy and workspace is not None
                and workspace.sync.status.state is SyncState.ONLINE
                and controller.window.conversation_model.rowCount() > 0)

    qtbot.waitUntil(ready, timeout=20_000)


def test_a_revoked_sign_in_asks_for_the_password_again(
    qtbot: QtBot, controller: AppController, backend: BackendProcess,
    memory_keyring: MemoryKeyring,
) -> None:
    sign_in(qtbot, controller, backend.url, PRIYA, DEMO_PASSWORD)
    _online(qtbot, controller)
    rows = controller.window.conversation_model.rowCount()
    # An admin resets Priya's password elsewhere: every session of hers ends.
    with backend.client(backend.login(DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD)) as admin:
        me = next(u for u in admin.get("/v1/users", params={"limit": 500}).json()["items"]
                  if u["email"] == PRIYA)
        assert admin.patch(f"/v1/users/{me['id']}",
                           json={"password": "a-new-password"}).status_code == 200
    qtbot.waitUntil(lambda: controller.login_dialog is not None, timeout=15_000)
    dialog = controller.login_dialog
    assert dialog is not None
    assert dialog.server_edit.text() == backend.url
    assert dialog.email_edit.text() == PRIYA
    texts = [b.notice.text for b in controller.window.notices.banners()]
    assert any("sign in again" in t.lower() for t in texts), texts
    # Their cached conversations stay on screen meanwhile.
    assert controller.window.conversation_model.rowCount() == rows
    sign_in(qtbot, controller, backend.url, PRIYA, "a-new-password")
    _online(qtbot, controller)
