"""Render the console's main views with demo data to PNG files.

    .venv/bin/python packaging/screenshots.py --out build/screenshots
    xvfb-run -s "-screen 0 1920x1200x24" .venv/bin/python packaging/screenshots.py --platform xcb

It starts a real demo backend (`python -m console.backend serve --seed demo` on a free
loopback port, in a temporary folder), signs in as the demo admin through the services, waits
for the first sync, then drives the real window: select a conversation, send, let the
simulator deliver, simulate replies, show a notice, take the backend away; then the Contacts
page, the group editor (empty, with disabled rows and their reasons, at 9 / 9), a group chat
with its participant panel showing Updated and Deleted, a blocked chat with its banner, the
list's filter chips, a row's right-click menu, and a chat started instead of a blocked one with
the links between the two.
Each step is grabbed with QWidget.grab(). Nothing touches the user's own data dirs or keyring.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # run from a checkout without installing


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "screenshots")
    parser.add_argument("--size", default="1200x760", help="window size, WIDTHxHEIGHT")
    parser.add_argument("--scale", type=float, default=1.0, help="device pixel ratio (2 = HiDPI)")
    parser.add_argument(
        "--theme", choices=("light", "dark", "both"), default="both",
        help="light, dark, or both (dark into OUT/dark)",
    )
    parser.add_argument(
        "--platform",
        default=None,
        help="Qt platform plugin (default: offscreen unless a DISPLAY is set)",
    )
    return parser.parse_args(argv)


def isolate_environment(home: Path, args: argparse.Namespace) -> None:
    """Own data/config dirs and an in-memory keyring: the user's profile stays untouched."""
    for name in ("DATA", "CONFIG", "STATE", "CACHE"):
        os.environ[f"XDG_{name}_HOME"] = str(home / name.lower())
    platform = args.platform or ("xcb" if os.environ.get("DISPLAY") else "offscreen")
    os.environ["QT_QPA_PLATFORM"] = platform
    os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")
    # Its sends go out unwarned at any hour (quiet hours judged at 18:00 UTC: day in the US).
    os.environ.setdefault("CONSOLE_QUIET_HOURS_AT_UTC", "18:00")
    if args.scale != 1.0:
        os.environ["QT_SCALE_FACTOR"] = str(args.scale)

    import keyring
    import keyring.backend

    class MemoryKeyring(keyring.backend.KeyringBackend):
        priority = 1  # type: ignore[assignment]

        def __init__(self) -> None:
            super().__init__()
            self.store: dict[tuple[str, str], str] = {}

        def get_password(self, service: str, username: str) -> str | None:
            return self.store.get((service, username))

        def set_password(self, service: str, username: str, password: str) -> None:
            self.store[(service, username)] = password

        def delete_password(self, service: str, username: str) -> None:
            self.store.pop((service, username), None)

    keyring.set_keyring(MemoryKeyring())


class Shooter:
    def __init__(self, out: Path) -> None:
        from PySide6.QtCore import QEventLoop, QTimer

        self.out = out
        self.paths: list[Path] = []
        self._loop_type = QEventLoop
        self._timer_type = QTimer
        out.mkdir(parents=True, exist_ok=True)

    def wait_until(self, condition: Callable[[], bool], timeout: float, what: str) -> None:
        """Run the event loop until `condition` holds (checked every 20 ms)."""
        loop = self._loop_type()
        timer = self._timer_type()
        timer.setInterval(20)
        deadline = time.monotonic() + timeout

        def check() -> None:
            if condition() or time.monotonic() > deadline:
                loop.quit()

        timer.timeout.connect(check)
        timer.start()
        check()
        if not condition():
            loop.exec()
        timer.stop()
        if not condition():
            raise SystemExit(f"screenshots: timed out waiting for {what}")

    def settle(self, ms: int = 150) -> None:
        """Let queued signals, layouts and repaints run."""
        start = time.monotonic()
        self.wait_until(lambda: time.monotonic() - start >= ms / 1000, 5 + ms / 1000, "settle")

    def grab(self, widget: Any, name: str) -> Path:
        self.settle()
        return self.save(widget.grab(), name)

    def save(self, picture: Any, name: str) -> Path:
        """Write a QPixmap made by the caller (e.g. a grab with a popup painted on it)."""
        path = self.out / f"{name}.png"
        if not picture.save(str(path)):
            raise SystemExit(f"screenshots: could not write {path}")
        self.paths.append(path)
        print(f"wrote {path}")
        return path


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    width, height = (int(v) for v in args.size.lower().split("x"))
    if args.theme == "both":  # each theme in its own process: a fresh QApplication and home
        for theme, folder in (("light", args.out), ("dark", args.out / "dark")):
            command = [sys.executable, __file__, "--out", str(folder), "--size", args.size,
                       "--scale", str(args.scale), "--theme", theme]
            if args.platform:
                command += ["--platform", args.platform]
            code = subprocess.call(command)
            if code:
                return code
        return 0
    with tempfile.TemporaryDirectory(prefix="agent-console-shots-") as temp:
        home = Path(temp)
        isolate_environment(home, args)
        return shoot(args.out.resolve(), home, width, height, args.theme)


def shoot(out: Path, home: Path, width: int, height: int, theme: str = "light") -> int:
    from PySide6.QtCore import QSettings, Qt
    from PySide6.QtWidgets import QApplication

    from console.ui.main_window import MainWindow
    from console.ui.message_model import MessageListModel

    app = QApplication(sys.argv[:1])
    app.setApplicationName("Agent Console")
    from console.ui.i18n import install_translations

    install_translations(app, "en")  # as console/app.py: English plural forms
    shooter = Shooter(out)
    settings = QSettings(str(home / "ui.ini"), QSettings.Format.IniFormat)
    settings.setValue("appearance/theme", theme)  # console/ui/preferences.py THEME
    window = MainWindow(settings=settings)
    window.resize(width, height)
    window.show()
    window.show_starting("Starting the demo backend...", "Signing in as the demo admin.")
    shooter.grab(window, "01-starting")

    # Imported after the first paint, as the app does: these pull in SQLAlchemy and httpx.
    import httpx

    from console.domain.conversations import ConversationKind, ConversationStatus
    from console.embedded_backend import EmbeddedBackend
    from console.protocol.demo import DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD
    from console.services.auth import NO_KEYRING_NOTICE, AuthService
    from console.services.types import SyncState
    from console.services.workspace import open_workspace

    backend = EmbeddedBackend(home / "backend" / "backend.db", seed_demo=True)
    workspace = None
    try:
        url = backend.start()
        login = AuthService().login(url, DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD)
        workspace = open_workspace(login.cache_path, login.server_url, login.token, login.user)
        workspace.start()
        window.attach_workspace(workspace)
        ws = workspace
        shooter.wait_until(
            lambda: ws.sync.status.state == SyncState.ONLINE
            and window.conversation_model.rowCount() > 0,
            30,
            "the first sync",
        )
        shooter.grab(window, "02-inbox")

        http = httpx.Client(base_url=url, timeout=10)
        token = http.post(
            "/v1/auth/token", json={"email": DEMO_ADMIN_EMAIL, "password": DEMO_ADMIN_PASSWORD}
        ).json()["access_token"]
        http.headers["Authorization"] = f"Bearer {token}"
        numbers = {n["id"]: n["e164"] for n in http.get("/v1/numbers").json()["items"]}
        direct = [
            c for c in http.get("/v1/conversations", params={"kind": "direct"}).json()["items"]
            if c["phone"].startswith("+1")
        ]

        def reply(conversation: dict[str, Any], body: str) -> None:
            http.post(
                "/v1/simulator/inbound",
                json={
                    "from": conversation["phone"],
                    "to": [numbers[conversation["number_id"]]],
                    "body": body,
                },
            ).raise_for_status()

        opened, other = direct[0], direct[3]
        window.select_conversation(opened["id"])
        shooter.grab(window, "03-conversation")

        messages = window.conversation_panel.model

        def last_status() -> str:
            return str(messages.index(messages.rowCount() - 1, 0).data(MessageListModel.StatusRole))

        def last_body() -> str:
            return str(messages.index(messages.rowCount() - 1, 0).data(MessageListModel.BodyRole))

        sending = "Sure, 3 pm works. I'll bring the signed lease."
        window.compose.edit.setPlainText(sending)
        window.compose.submit()
        # Written off the GUI thread (ConversationService.send_soon): its row follows.
        shooter.wait_until(lambda: last_body() == sending, 5, "the pending row")
        shooter.grab(window, "04-sending")
        shooter.wait_until(lambda: last_status() == "delivered", 15, "delivery")
        window.compose.edit.setPlainText("Sending to a landline #fail")
        window.compose.submit()
        shooter.wait_until(lambda: last_status() == "failed", 15, "the failure report")
        reply(opened, "Perfect, see you then!")
        shooter.wait_until(lambda: last_body() == "Perfect, see you then!", 10, "the reply")
        reply(other, "Hi! Is the 2-bedroom on Elm Street still available?")
        shooter.wait_until(
            lambda: window.conversation_model.conversation_ids()[0] == other["id"],
            10,
            "the other conversation to move up",
        )
        shooter.grab(window, "05-delivered-and-replies")

        # Issue 14: a plain-language opt-out raises a flag: the banner and the sidebar counter.
        flagged = direct[5]
        reply(flagged, "Please stop texting me, I found a place already.")
        review = window.sidebar.opt_outs
        shooter.wait_until(
            lambda: flagged["id"] in [f.conversation_id for f in review.flags], 10, "the flag"
        )
        window.select_conversation(flagged["id"])
        shooter.wait_until(
            lambda: window.conversation_panel.opt_out_banner.isVisible(), 10, "the banner"
        )
        shooter.settle()
        shooter.grab(window, "05b-opt-out-review")
        from shots_scheduled import shoot_scheduled

        shoot_scheduled(shooter, window, workspace)
        from shots_templates import shoot_templates

        shoot_templates(shooter, window, workspace, http)

        window.compose.edit.setPlainText(
            "Hi Hannah, your viewing is confirmed for Thursday at 10:00. "
            "Please bring a photo ID — the building manager will meet you in the lobby."
        )
        window.compose.edit.setFocus(Qt.FocusReason.OtherFocusReason)
        workspace.notices.emit(NO_KEYRING_NOTICE)
        shooter.grab(window, "06-compose-and-notice")
        window.compose.edit.clear()

        rows = workspace.conversations.list_conversations()
        group_sms, blocked_status = ConversationKind.GROUP_SMS, ConversationStatus.BLOCKED
        blocked = next(r for r in rows if r.kind is group_sms and r.status is blocked_status)
        window.select_conversation(blocked.id)
        shooter.grab(window, "08-group-chat-blocked")

        # A send written while the cache did not yet know the chat was blocked (as offline):
        # the server refuses it, and the message shows why, with Retry and Discard.
        chat = next(
            r for r in rows if r.kind is group_sms and r.status is ConversationStatus.ACTIVE
        )
        participant = http.get(f"/v1/group-chats/{chat.id}").json()["participants"][0]
        window.detach_workspace()
        ws.close()
        http.patch(f"/v1/contacts/{participant['contact_id']}", json={"dnd": True})
        workspace = ws = open_workspace(
            login.cache_path, login.server_url, login.token, login.user
        )
        window.attach_workspace(workspace)
        window.select_conversation(chat.id)
        window.compose.edit.setPlainText("Closing moved to 11:00, same place.")
        window.compose.submit()
        workspace.start()
        shooter.wait_until(lambda: last_status() == "failed", 15, "the refusal")
        shooter.grab(window, "09-outbox-refused")

        # A change with no bubble of its own (a group membership) refused too: the status bar
        # counts both, and its link opens the list with the server's reasons.
        workspace.groups.add_member("grp_removed_meanwhile", participant["contact_id"])
        shooter.wait_until(
            lambda: window.refused_button.text().startswith("2 "), 15, "the second refusal"
        )
        window.show_refused_writes()
        refused = window.refused_dialog
        assert refused is not None
        shooter.settle()
        shooter.grab(refused, "12-refused-changes")
        refused.close()
        http.patch(f"/v1/contacts/{participant['contact_id']}", json={"dnd": False})

        in_app = next(r for r in rows if r.kind is ConversationKind.IN_APP)
        window.select_conversation(in_app.id)
        shooter.grab(window, "10-in-app")

        shoot_group_chats(shooter, window, workspace, http, blocked.id)

        # Issue 14: a CSV's columns guessed, and its rows checked before the import.
        from shots_import import shoot_import

        shoot_import(shooter, window)

        # Issue 11: the Groups page with members, the add-member picker, a person's panel.
        from shots_groups import shoot_groups_page, shoot_person_panel

        shoot_groups_page(shooter, window, workspace)
        shoot_person_panel(shooter, window, workspace)

        # Issue 11: the group message composer, its confirmation, the sent list, a detail.
        from shots_group_messages import shoot_group_messages

        shoot_group_messages(shooter, window, workspace)

        # Issue 12: the History page, a search with a filter and its matches highlighted, and
        # a result opened in its conversation (flashing).
        from shots_history import shoot_history

        shoot_history(shooter, window, workspace)

        # Issue 12: find in a conversation (Ctrl+F), matches marked, the current one stronger.
        from shots_conversation_search import shoot_conversation_search

        shoot_conversation_search(shooter, window, workspace)

        # Issue 13: Do not disturb, the tray badge, the crash dialog (bug and disk full).
        from shots_desktop import shoot_desktop

        shoot_desktop(shooter, window, home / "console.log")

        from console.ui.login_dialog import LoginDialog

        dialog = LoginDialog(AuthService().login, server_url=url, email=DEMO_ADMIN_EMAIL,
                             parent=window)
        dialog.show()
        dialog.password_edit.setText("not-the-password")
        dialog.sign_in_button.click()
        shooter.wait_until(lambda: dialog.error_label.isVisible(), 15, "the login error")
        shooter.grab(dialog, "11-login-error")
        # https to the http backend: a long error takes room below the fields (issue 13).
        dialog.server_edit.setText(url.replace("http://", "https://", 1))
        dialog.error_label.hide()
        dialog.sign_in_button.click()
        shooter.wait_until(
            lambda: dialog.error_label.isVisible() and not dialog.busy(), 15, "the TLS error"
        )
        shooter.settle()
        shooter.grab(dialog, "11b-login-error-long")
        dialog.close()

        http.close()
        backend.stop()
        shooter.wait_until(
            lambda: ws.sync.status.state == SyncState.OFFLINE, 30, "the offline state"
        )
        shooter.grab(window, "07-offline")
        # Written while offline: the message says it waits (issue 13), the status bar counts it.
        window.show_conversations()
        window.compose.edit.setPlainText("I'll confirm the time once I'm back in the office.")
        window.compose.submit()
        panel_model = window.conversation_panel.model
        shooter.wait_until(
            lambda: panel_model.rowCount() > 0 and panel_model.index(
                panel_model.rowCount() - 1, 0
            ).data(MessageListModel.StatusTextRole) == "Waiting to send",
            10,
            "the waiting message",
        )
        shooter.settle()
        shooter.grab(window, "07b-offline-waiting")
    finally:
        window.close()
        if workspace is not None:
            workspace.close()
        backend.stop()
    print(f"{len(shooter.paths)} screenshots in {out}")
    return 0


def shoot_group_chats(
    shooter: Shooter, window: Any, workspace: Any, http: Any, blocked_id: str
) -> None:
    """Issue 10: the Contacts page, the group editor, a group chat's participants, a chat
    blocked by a STOP, the list's filter chips, a row's menu, and a chat that replaces a blocked
    one. The editor's, the group chat's and the last two are in modules of their own
    (group_editor_shots.py, shots_group_chat.py, shots_menu_and_links.py, in this folder)."""
    from group_editor_shots import shoot_group_editor
    from PySide6.QtWidgets import QAbstractItemView
    from shots_group_chat import shoot_group_chat
    from shots_menu_and_links import shoot_replacement, shoot_row_menu

    from console.ui.labels import ConversationFilter

    # The Contacts page (Ctrl+2), filled from the cache.
    window.show_contacts()
    contact_list = window.findChild(QAbstractItemView, "contactList")
    assert contact_list is not None
    shooter.wait_until(lambda: contact_list.model().rowCount() > 0, 15, "the contacts")
    shooter.grab(window, "13-contacts-page")
    window.show_conversations()

    # The group editor: empty, a region refusal, rows it cannot add with why, 9 / 9.
    shoot_group_editor(shooter, window, workspace)
    # A group chat with its panel open (Updated, Deleted), then blocked by a STOP.
    shoot_group_chat(shooter, window, workspace, http)

    # The list's chips: only the blocked chats, with the seed's blocked chat open.
    window.select_conversation(blocked_id)
    window.sidebar.filters.chip(ConversationFilter.BLOCKED).click()
    shooter.grab(window, "14-list-blocked-filter")
    window.sidebar.filters.chip(ConversationFilter.ALL).click()

    # A row's right-click menu; then "New group chat without ..." on the seed's blocked chat
    # (last: from then on that chat links to its replacement).
    shoot_row_menu(shooter, window, workspace)
    shoot_replacement(shooter, window, blocked_id)
    shoot_dnd_history(shooter, window, workspace)


def shoot_dnd_history(shooter: Shooter, window: Any, workspace: Any) -> None:
    """Issue 14: a contact whose Do Not Disturb is on, in the contact editor with its DND
    history (read from the server when the editor opens)."""
    window.show_contacts()
    page = window.contacts_page
    rows = workspace.contacts.page("", 0, 500)
    shooter.wait_until(lambda: any(row.dnd for row in rows), 1, "a contact with DND on")
    person = next(row for row in rows if row.dnd)
    editor = page.edit_contact(person.id)
    history = editor.dnd_history
    assert history is not None  # an existing contact's editor has one
    shooter.wait_until(lambda: history.view.count() > 0, 15, "the DND history")
    shooter.settle()
    shooter.grab(editor, "13b-contact-dnd-history")
    editor.reject()
    window.show_conversations()


if __name__ == "__main__":
    raise SystemExit(main())
