"""Settings (File > Settings..., Ctrl+,): accounts, notifications, theme and text size.

Choices apply as they are made (the window restyles at once) and are kept by Preferences
(console/ui/preferences.py). The dialog never talks to the database: accounts come from the
account menu's entries, and adding or signing out goes through the menu's own actions.
"""

from __future__ import annotations

from console.ui.account_menu import AccountMenu
from console.ui.i18n import QT_TRANSLATE_NOOP, translate
from console.ui.preferences import Preferences
from console.ui.qt import (
    QAction,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
)
from console.ui.theme import set_themed_style

_CONTEXT = "SettingsDialog"
PROFILE_ROLE = Qt.ItemDataRole.UserRole  # an account row's profile folder name
THEME_LABELS = {
    "system": QT_TRANSLATE_NOOP("SettingsDialog", "Same as the desktop"),
    "light": QT_TRANSLATE_NOOP("SettingsDialog", "Light"),
    "dark": QT_TRANSLATE_NOOP("SettingsDialog", "Dark"),
}
TEXT_SIZE_LABELS = {
    "small": QT_TRANSLATE_NOOP("SettingsDialog", "Small"),
    "normal": QT_TRANSLATE_NOOP("SettingsDialog", "Normal"),
    "large": QT_TRANSLATE_NOOP("SettingsDialog", "Large"),
    "larger": QT_TRANSLATE_NOOP("SettingsDialog", "Larger"),
}

STYLE = """
#settingsDialog { background: $surface; }
#settingsSection { font-weight: 600; color: $text; font-size: 11pt; padding-top: 6px; }
#settingsHint { color: $muted; font-size: 9pt; }
#accountList { border: 1px solid $border; border-radius: 6px; background: $surface; }
"""


def _section(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setObjectName("settingsSection")
    return label


def _hint(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setObjectName("settingsHint")
    label.setWordWrap(True)
    return label


class SettingsDialog(QDialog):
    def __init__(
        self,
        preferences: Preferences,
        accounts: AccountMenu,
        do_not_disturb: QAction,
        *,
        tray_available: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle(translate(_CONTEXT, "Settings"))
        set_themed_style(self, STYLE)
        self._preferences = preferences
        self._accounts = accounts

        # Accounts: who is signed in where; add one, sign out of the current one.
        self.account_list = QListWidget(self)
        self.account_list.setObjectName("accountList")
        self.account_list.setAccessibleName(translate(_CONTEXT, "Saved accounts"))
        self.account_list.setAccessibleDescription(
            translate(_CONTEXT, "The accounts this computer remembers, and which one is in use.")
        )
        self.account_list.setMaximumHeight(110)
        self.add_account_button = QPushButton(translate(_CONTEXT, "&Add account..."), self)
        self.add_account_button.setObjectName("settingsAddAccount")
        self.add_account_button.setAccessibleDescription(
            translate(_CONTEXT, "Signs in to another account; the accounts here stay saved.")
        )
        self.add_account_button.clicked.connect(accounts.add_action.trigger)
        self.sign_out_button = QPushButton(translate(_CONTEXT, "Sign &out"), self)
        self.sign_out_button.setObjectName("settingsSignOut")
        self.sign_out_button.setAccessibleDescription(
            translate(_CONTEXT, "Signs out of the current account on this computer.")
        )
        self.sign_out_button.clicked.connect(accounts.sign_out_action.trigger)
        self.switch_button = QPushButton(translate(_CONTEXT, "S&witch to"), self)
        self.switch_button.setObjectName("settingsSwitchAccount")
        self.switch_button.setAccessibleDescription(translate(
            _CONTEXT, "Uses the chosen account instead of the one in use (Enter or a "
            "double-click on it does the same)."))
        self.switch_button.clicked.connect(self._switch_to_chosen)
        self.account_list.itemActivated.connect(self._switch_to_item)  # Enter, double-click
        self.account_list.currentRowChanged.connect(lambda _row: self._update_switch())
        # Every change of the accounts (one added, switched, signed out) and of what can be
        # done (busy while switching), while the dialog is open.
        accounts.accountsChanged.connect(self._fill_accounts)
        self._fill_accounts()

        # Notifications.
        self.notifications_check = QCheckBox(
            translate(_CONTEXT, "Show a desktop &notification for new messages"), self
        )
        self.notifications_check.setObjectName("desktopNotificationsCheck")
        self.notifications_check.setAccessibleDescription(translate(
            _CONTEXT, "When on, a new message pops up on the desktop while you work elsewhere."
        ))
        self.notifications_check.setChecked(preferences.desktop_notifications)
        self.notifications_check.toggled.connect(preferences.set_desktop_notifications)
        self.do_not_disturb_check = QCheckBox(translate(_CONTEXT, "&Do not disturb"), self)
        self.do_not_disturb_check.setObjectName("doNotDisturbCheck")
        self.do_not_disturb_check.setAccessibleDescription(translate(
            _CONTEXT, "When on, no desktop notifications; unread messages are still counted."
        ))
        self.do_not_disturb_check.setChecked(do_not_disturb.isChecked())
        self.do_not_disturb_check.toggled.connect(do_not_disturb.setChecked)
        do_not_disturb.toggled.connect(self.do_not_disturb_check.setChecked)
        tray_hint = (
            translate(_CONTEXT,
                      "Unread messages are counted on the tray icon and in the window title.")
            if tray_available else
            translate(_CONTEXT,
                      "This desktop has no tray: new messages make the window ask for attention, "
                      "and the window title counts what is unread.")
        )

        # Appearance.
        self.theme_choice = QComboBox(self)
        self.theme_choice.setObjectName("themeChoice")
        self.theme_choice.setAccessibleName(translate(_CONTEXT, "Theme"))
        self.theme_choice.setAccessibleDescription(
            translate(_CONTEXT, "The console's colours: light, dark or the desktop's.")
        )
        for key, label in THEME_LABELS.items():
            self.theme_choice.addItem(translate(_CONTEXT, label), key)
        self.theme_choice.setCurrentIndex(self.theme_choice.findData(preferences.theme))
        self.theme_choice.currentIndexChanged.connect(
            lambda _i: preferences.set_theme(str(self.theme_choice.currentData()))
        )
        self.text_size_choice = QComboBox(self)
        self.text_size_choice.setObjectName("textSizeChoice")
        self.text_size_choice.setAccessibleName(translate(_CONTEXT, "Text size"))
        self.text_size_choice.setAccessibleDescription(
            translate(_CONTEXT, "How large the console's text is shown.")
        )
        for key, label in TEXT_SIZE_LABELS.items():
            self.text_size_choice.addItem(translate(_CONTEXT, label), key)
        self.text_size_choice.setCurrentIndex(
            self.text_size_choice.findData(preferences.text_size)
        )
        self.text_size_choice.currentIndexChanged.connect(
            lambda _i: preferences.set_text_size(str(self.text_size_choice.currentData()))
        )

        account_buttons = QHBoxLayout()
        account_buttons.addWidget(self.switch_button)
        account_buttons.addWidget(self.add_account_button)
        account_buttons.addWidget(self.sign_out_button)
        account_buttons.addStretch(1)
        appearance = QFormLayout()
        appearance.addRow(translate(_CONTEXT, "&Theme"), self.theme_choice)
        appearance.addRow(translate(_CONTEXT, "Text &size"), self.text_size_choice)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setObjectName("settingsCloseButton")
        close.setAccessibleDescription(
            translate(_CONTEXT, "Closes the settings. Changes are saved as you make them.")
        )

        layout = QVBoxLayout(self)
        layout.addWidget(_section(translate(_CONTEXT, "Accounts"), self))
        layout.addWidget(self.account_list)
        layout.addLayout(account_buttons)
        layout.addWidget(_section(translate(_CONTEXT, "Notifications"), self))
        layout.addWidget(self.notifications_check)
        layout.addWidget(self.do_not_disturb_check)
        layout.addWidget(_hint(tray_hint, self))
        layout.addWidget(_section(translate(_CONTEXT, "Appearance"), self))
        layout.addLayout(appearance)
        remembered = translate(_CONTEXT, "Changes apply at once and are remembered.")
        layout.addWidget(_hint(remembered, self))
        layout.addStretch(1)
        layout.addWidget(buttons)
        self.setMinimumWidth(440)

    def _fill_accounts(self) -> None:
        self.account_list.clear()
        entries = self._accounts.entries()
        for entry in entries:
            if entry.current:
                text = translate(_CONTEXT, "{account} (in use) - {state}")
            else:
                text = translate(_CONTEXT, "{account} - {state}")
            state = (translate(_CONTEXT, "signed in") if entry.signed_in
                     else translate(_CONTEXT, "asks for the password"))
            item = QListWidgetItem(text.format(account=entry.label, state=state))
            item.setData(PROFILE_ROLE, entry.profile)
            self.account_list.addItem(item)
        if not entries:
            none = QListWidgetItem(translate(_CONTEXT, "No saved accounts"))
            none.setFlags(Qt.ItemFlag.NoItemFlags)  # a note, not an account to choose
            self.account_list.addItem(none)
        self.sign_out_button.setEnabled(self._accounts.sign_out_action.isEnabled())
        self._update_switch()

    def _chosen_profile(self) -> str | None:
        """The chosen account's profile, when it is not the one in use and no switch runs."""
        item = self.account_list.currentItem()
        profile = item.data(PROFILE_ROLE) if item is not None else None
        if not isinstance(profile, str) or self._accounts.busy():
            return None  # "No saved accounts", or busy switching
        current = next((e for e in self._accounts.entries() if e.current), None)
        return None if current is not None and current.profile == profile else profile

    def _update_switch(self) -> None:
        self.switch_button.setEnabled(self._chosen_profile() is not None)

    def _switch_to_item(self, item: QListWidgetItem) -> None:
        self.account_list.setCurrentItem(item)
        self._switch_to_chosen()

    def _switch_to_chosen(self) -> None:
        profile = self._chosen_profile()
        if profile is not None:
            self._accounts.choose(profile)
