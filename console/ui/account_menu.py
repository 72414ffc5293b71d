"""The account menu: saved profiles (the current one checked), "Add account..." and "Sign out".

Thin: it shows what it is given and emits what the user chose; the app controller does the
work (closing one workspace and opening another, revoking tokens) off the GUI thread.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from console.ui.i18n import translate
from console.ui.qt import QAction, QActionGroup, QMenu, QWidget, Signal


@dataclass(frozen=True, slots=True)
class AccountEntry:
    profile: str  # the profile's folder name: what switchRequested carries
    label: str  # e.g. "ann@example.com on chat.example.com"
    current: bool = False
    signed_in: bool = True  # False: opening it will ask for the password


class AccountMenu(QMenu):
    switchRequested = Signal(str)  # profile name
    addRequested = Signal()
    signOutRequested = Signal()
    accountsChanged = Signal()  # set_accounts or set_busy: entries() or what is enabled

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(translate("AccountMenu", "Switch &account"), parent)
        self.setObjectName("accountMenu")
        self._group = QActionGroup(self)
        self._group.setExclusive(True)
        self._entries: list[AccountEntry] = []
        self._busy = False
        self._built: list[QAction] = []  # the actions _rebuild made (and deletes next time)
        self.add_action = QAction(translate("AccountMenu", "&Add account..."), self)
        self.add_action.setObjectName("addAccountAction")
        self.add_action.triggered.connect(lambda: self.addRequested.emit())
        # Lives in the File menu (the main window places it), but belongs to this feature.
        self.sign_out_action = QAction(translate("AccountMenu", "Sign &out"), self)
        self.sign_out_action.setObjectName("signOutAction")
        self.sign_out_action.triggered.connect(lambda: self.signOutRequested.emit())
        self.sign_out_action.setEnabled(False)
        self._rebuild()

    # -- what it shows ----------------------------------------------------------------------
    def set_accounts(self, entries: Sequence[AccountEntry]) -> None:
        self._entries = list(entries)
        self.sign_out_action.setEnabled(
            not self._busy and any(e.current and e.signed_in for e in self._entries)
        )
        self._rebuild()
        self.accountsChanged.emit()

    def entries(self) -> list[AccountEntry]:
        return list(self._entries)

    def busy(self) -> bool:
        """A switch, sign-in or sign-out is running: no other may start."""
        return self._busy

    def set_busy(self, busy: bool) -> None:
        """While switching or signing out, nothing here can be chosen."""
        self._busy = busy
        self.set_accounts(self._entries)

    def profile_actions(self) -> list[QAction]:
        return list(self._group.actions())

    # -- building ---------------------------------------------------------------------------
    def _rebuild(self) -> None:
        # Not clear(): it would delete the menu-owned add/sign-out actions too.
        for action in self.actions():
            self.removeAction(action)
        for action in self._built:
            self._group.removeAction(action)
            action.deleteLater()
        self._built = []
        if not self._entries:
            empty = QAction(translate("AccountMenu", "No saved accounts"), self)
            empty.setEnabled(False)
            self._built.append(empty)
            self.addAction(empty)
        for entry in self._entries:
            text = (
                entry.label if entry.signed_in
                else translate("AccountMenu", "{account} (signed out)").format(account=entry.label)
            )
            action = QAction(text.replace("&", "&&"), self)
            action.setObjectName(f"account:{entry.profile}")
            action.setData(entry.profile)
            action.setCheckable(True)
            action.setChecked(entry.current)
            action.setEnabled(not self._busy)
            action.triggered.connect(
                lambda _checked=False, name=entry.profile: self.choose(name)
            )
            self._group.addAction(action)
            self._built.append(action)
            self.addAction(action)
        self._built.append(self.addSeparator())
        self.add_action.setEnabled(not self._busy)
        self.addAction(self.add_action)

    def choose(self, profile: str) -> None:
        current = next((e for e in self._entries if e.current), None)
        if current is not None and current.profile == profile:
            return  # already here: a click on the checked entry changes nothing
        # Keep the check on the current entry until the switch is done (set_accounts moves it).
        for action in self._group.actions():
            action.setChecked(current is not None and action.data() == current.profile)
        self.switchRequested.emit(profile)
