"""Theme "Same as the desktop": the console is dark on a dark desktop and follows the desktop
when it switches while the console runs (console/ui/theme.py palette_for, and the main
window's colorSchemeChanged handler).

The offscreen platform has no desktop colour scheme (QStyleHints.setColorScheme is ignored
there and colorScheme() stays Unknown), so the desktop is played at Qt's own boundary: what
QStyleHints.colorScheme() answers, and the colorSchemeChanged signal a desktop switch emits.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtGui import QStyleHints
from pytestqt.qtbot import QtBot

from console.ui.palette import DARK, LIGHT
from console.ui.qt import QApplication, QColor, QEvent, QGuiApplication, QPalette, Qt
from console.ui.theme import Colors, apply_appearance, palette_for
from tests.ui.conftest import MainWindowFactory

Desktop = Callable[[Qt.ColorScheme], None]


@pytest.fixture
def desktop(qapp: QApplication, monkeypatch: pytest.MonkeyPatch) -> Iterator[Desktop]:
    """Switch the desktop's colour scheme as a desktop does: what Qt then reports, and the
    change signal. Afterwards the light theme at normal size, as later tests expect."""
    # Windows earlier tests closed go now: each would still follow the desktop's signal.
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    scheme = [Qt.ColorScheme.Unknown]
    monkeypatch.setattr(QStyleHints, "colorScheme", lambda _self: scheme[0])

    def switch(to: Qt.ColorScheme) -> None:
        scheme[0] = to
        QGuiApplication.styleHints().colorSchemeChanged.emit(to)

    yield switch
    apply_appearance(qapp, "light", "normal")


def _window_colour(qapp: QApplication) -> QColor:
    return qapp.palette().color(QPalette.ColorRole.Window)


def test_system_theme_takes_the_desktop_scheme(qapp: QApplication, desktop: Desktop) -> None:
    assert palette_for("system", qapp) is LIGHT  # the desktop says nothing: light
    desktop(Qt.ColorScheme.Dark)
    assert palette_for("system", qapp) is DARK
    assert palette_for("light", qapp) is LIGHT  # a theme chosen outright ignores the desktop
    desktop(Qt.ColorScheme.Light)
    assert palette_for("system", qapp) is LIGHT
    assert palette_for("dark", qapp) is DARK


def test_a_window_on_a_dark_desktop_opens_dark(
    qapp: QApplication, desktop: Desktop, window_for: MainWindowFactory
) -> None:
    desktop(Qt.ColorScheme.Dark)
    window = window_for(None)
    assert window.preferences.theme == "system"  # the default
    assert Colors.palette is DARK
    assert _window_colour(qapp) == QColor(DARK.window)
    assert f"background: {DARK.window}" in qapp.styleSheet()


def test_the_window_follows_the_desktop_switching_while_it_runs(
    qtbot: QtBot, qapp: QApplication, desktop: Desktop, window_for: MainWindowFactory
) -> None:
    window = window_for(None)
    assert Colors.palette is LIGHT

    desktop(Qt.ColorScheme.Dark)  # e.g. the desktop's night mode comes on
    assert Colors.palette is DARK
    assert Colors.surface == QColor(DARK.surface)  # what the delegates paint with
    assert _window_colour(qapp) == QColor(DARK.window)
    assert f"background: {DARK.window}" in qapp.styleSheet()

    desktop(Qt.ColorScheme.Light)
    assert Colors.palette is LIGHT
    assert _window_colour(qapp) == QColor(LIGHT.window)

    # A theme chosen in Settings holds, whatever the desktop does.
    window.show_settings().theme_choice.setCurrentIndex(
        window.show_settings().theme_choice.findData("light")
    )
    desktop(Qt.ColorScheme.Dark)
    assert Colors.palette is LIGHT
    assert _window_colour(qapp) == QColor(LIGHT.window)
    # ... until "Same as the desktop" is chosen again: then it is dark at once.
    window.show_settings().theme_choice.setCurrentIndex(0)
    assert window.preferences.theme == "system"
    assert Colors.palette is DARK
