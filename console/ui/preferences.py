"""The console's own preferences, typed, over one QSettings store.

Every key the console remembers for the user is named here once, with its type and default,
so a misspelt key or a value of the wrong type read back from an edited .ini file cannot
reach the widgets: a bad value reads as the default.
"""

from __future__ import annotations

from console.ui.qt import QByteArray, QObject, QSettings, Signal

DO_NOT_DISTURB = "notifications/do_not_disturb"
DESKTOP_NOTIFICATIONS = "notifications/desktop"
THEME = "appearance/theme"
TEXT_SIZE = "appearance/text_size"
WINDOW_GEOMETRY = "window/geometry"
WINDOW_SPLITTER = "window/splitter"
LAST_CONVERSATION = "window/conversation"
PARTICIPANT_PANEL_OPEN = "conversation/participantPanelOpen"
THEMES = ("system", "light", "dark")
TEXT_SIZES = ("small", "normal", "large", "larger")  # console/ui/theme.py TEXT_SCALES


def read_bool(settings: QSettings, key: str, default: bool) -> bool:
    """`key` as a bool, for widgets handed the QSettings alone (a bad value: the default)."""
    return _as_bool(settings.value(key, default), default)


def _as_bool(value: object, default: bool) -> bool:
    # An .ini file gives "true"/"false" strings back; a native store gives bools.
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false", "1", "0"):
        return value.lower() in ("true", "1")
    if isinstance(value, int):
        return bool(value)
    return default


class Preferences(QObject):
    """Typed getters and setters; `changed(key)` after a setter changed a value."""

    changed = Signal(str)

    def __init__(self, settings: QSettings, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.settings = settings

    def _bool(self, key: str, default: bool) -> bool:
        return _as_bool(self.settings.value(key, default), default)

    def _choice(self, key: str, choices: tuple[str, ...], default: str) -> str:
        value = self.settings.value(key, default)
        return value if isinstance(value, str) and value in choices else default

    def _set(self, key: str, value: object) -> None:
        if self.settings.value(key) == value:
            return
        self.settings.setValue(key, value)
        self.settings.sync()
        self.changed.emit(key)

    # -- notifications ----------------------------------------------------------------------
    @property
    def do_not_disturb(self) -> bool:
        """The console's own Do not disturb: no desktop notifications, the badges still count."""
        return self._bool(DO_NOT_DISTURB, False)

    def set_do_not_disturb(self, on: bool) -> None:
        self._set(DO_NOT_DISTURB, on)

    @property
    def desktop_notifications(self) -> bool:
        return self._bool(DESKTOP_NOTIFICATIONS, True)

    def set_desktop_notifications(self, on: bool) -> None:
        self._set(DESKTOP_NOTIFICATIONS, on)

    # -- appearance -------------------------------------------------------------------------
    @property
    def theme(self) -> str:
        """"system" (the desktop's light or dark), "light" or "dark"."""
        return self._choice(THEME, THEMES, "system")

    def set_theme(self, theme: str) -> None:
        if theme not in THEMES:
            raise ValueError(f"unknown theme {theme!r}")
        self._set(THEME, theme)

    @property
    def text_size(self) -> str:
        return self._choice(TEXT_SIZE, TEXT_SIZES, "normal")

    def set_text_size(self, size: str) -> None:
        if size not in TEXT_SIZES:
            raise ValueError(f"unknown text size {size!r}")
        self._set(TEXT_SIZE, size)

    # -- the window ---------------------------------------------------------------------------
    def _bytes(self, key: str) -> QByteArray | None:
        value = self.settings.value(key)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    @property
    def window_geometry(self) -> QByteArray | None:
        return self._bytes(WINDOW_GEOMETRY)

    @property
    def splitter_state(self) -> QByteArray | None:
        return self._bytes(WINDOW_SPLITTER)

    @property
    def last_conversation(self) -> str:
        value = self.settings.value(LAST_CONVERSATION, "")
        return value if isinstance(value, str) else ""

    def save_window(self, geometry: QByteArray, splitter: QByteArray, conversation: str) -> None:
        """Where the window was, its splitter, and the open conversation (on close)."""
        self.settings.setValue(WINDOW_GEOMETRY, geometry)
        self.settings.setValue(WINDOW_SPLITTER, splitter)
        self.settings.setValue(LAST_CONVERSATION, conversation)
        self.settings.sync()
