"""Settings (File > Settings...): theme and text size restyle the whole window at once and are
remembered; every stylesheet resolves its colours from the one palette in both themes;
notification choices reach the notifier."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from console.ui.main_window import MainWindow
from console.ui.palette import DARK, LIGHT, PALETTES, Palette
from console.ui.preferences import Preferences
from console.ui.qt import QApplication, QColor, QPalette, QSettings, QWidget
from console.ui.theme import BASE_POINT_SIZE, TEXT_SCALES, Colors, apply_appearance
from tests.ui.conftest import MainWindowFactory

PLACEHOLDER = re.compile(r"\$[a-z_]+")


@pytest.fixture
def light_again(qapp: QApplication) -> Iterator[None]:
    """Later tests expect the light theme at normal size."""
    yield
    apply_appearance(qapp, "light", "normal")


def _every_page(window: MainWindow) -> None:
    for action in (window.show_contacts_action, window.show_groups_action,
                   window.show_group_messages_action, window.show_history_action,
                   window.show_conversations_action):
        action.trigger()


def _unresolved(qapp: QApplication) -> list[str]:
    found = PLACEHOLDER.findall(qapp.styleSheet())
    for widget in qapp.allWidgets():
        found += [f"{widget.objectName()}: {m}" for m in PLACEHOLDER.findall(widget.styleSheet())]
    return found


def test_theme_and_text_size_apply_at_once_and_are_remembered(
    qtbot: QtBot, qapp: QApplication, window_for: MainWindowFactory, ui_settings: QSettings,
    light_again: None,
) -> None:
    window = window_for(None)
    _every_page(window)
    assert Colors.palette is LIGHT  # "system" on a desktop that says nothing: light
    dialog = window.show_settings()
    qtbot.waitExposed(dialog)
    assert dialog.theme_choice.currentData() == "system"

    dialog.theme_choice.setCurrentIndex(dialog.theme_choice.findData("dark"))
    assert Colors.palette is DARK
    assert Colors.surface == QColor(DARK.surface)
    assert qapp.palette().color(QPalette.ColorRole.Window) == QColor(DARK.window)
    assert f"background: {DARK.window}" in qapp.styleSheet()
    history = window.history_page
    assert history is not None
    assert DARK.surface_alt in history.styleSheet()  # a page's own stylesheet followed
    assert LIGHT.surface_alt not in history.styleSheet()
    assert _unresolved(qapp) == []

    dialog.text_size_choice.setCurrentIndex(dialog.text_size_choice.findData("large"))
    scale = TEXT_SCALES["large"]
    assert qapp.font().pointSizeF() == pytest.approx(BASE_POINT_SIZE * scale)
    assert f"font-size: {9 * scale:.1f}pt" in qapp.styleSheet()

    dialog.close()
    again = Preferences(QSettings(ui_settings.fileName(), QSettings.Format.IniFormat))
    assert (again.theme, again.text_size) == ("dark", "large")

    # The next start reads them back before its first paint.
    window.close()
    apply_appearance(qapp, "light", "normal")
    second = window_for(None)
    assert Colors.palette is DARK
    assert qapp.font().pointSizeF() == pytest.approx(BASE_POINT_SIZE * scale)
    second.show_settings().theme_choice.setCurrentIndex(0)  # "Same as the desktop"
    assert Colors.palette is LIGHT


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_every_stylesheet_takes_its_colours_from_the_palette(
    qtbot: QtBot, qapp: QApplication, window_for: MainWindowFactory, theme: str,
    light_again: None,
) -> None:
    window = window_for(None)
    window.preferences.set_theme(theme)
    _every_page(window)
    window.show_settings()
    assert _unresolved(qapp) == []
    assert Colors.palette is PALETTES[theme]


def _luminance(hex_colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else float(((c + 0.055) / 1.055) ** 2.4)

    colour = QColor(hex_colour)
    return (0.2126 * channel(colour.red()) + 0.7152 * channel(colour.green())
            + 0.0722 * channel(colour.blue()))


def _contrast(a: str, b: str) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("palette", [LIGHT, DARK], ids=lambda p: p.name)
def test_text_is_readable_in_both_themes(palette: Palette) -> None:
    # WCAG AA: 4.5:1 for body text, 3:1 for large or secondary text and controls.
    assert _contrast(palette.text, palette.surface) >= 4.5
    assert _contrast(palette.text, palette.inbound) >= 4.5
    assert _contrast(palette.accent_text, palette.accent) >= 3.0
    assert _contrast(palette.muted, palette.surface) >= 3.0
    assert _contrast(palette.danger_text, palette.danger_soft) >= 4.5
    assert _contrast(palette.warning_text, palette.warning_soft) >= 4.5
    assert _contrast(palette.tooltip_text, palette.tooltip) >= 4.5
    assert all(QColor(v).isValid() for v in palette.values().values())


def test_notification_choices_reach_the_notifier(
    qtbot: QtBot, window_for: MainWindowFactory
) -> None:
    window = window_for(None)
    dialog = window.show_settings()
    assert window.show_settings() is dialog  # one at a time
    assert not window.notifier.muted()
    dialog.notifications_check.setChecked(False)
    assert window.preferences.desktop_notifications is False
    assert window.notifier.muted()
    dialog.notifications_check.setChecked(True)
    dialog.do_not_disturb_check.setChecked(True)
    assert window.do_not_disturb_action.isChecked()
    assert window.notifier.muted()
    window.do_not_disturb_action.setChecked(False)  # from the menu: the dialog follows
    assert not dialog.do_not_disturb_check.isChecked()
    assert dialog.account_list.count() == 1  # "No saved accounts": no one signed in here
    assert not dialog.sign_out_button.isEnabled()
    assert isinstance(dialog.parent(), QWidget)


def test_a_window_saved_on_a_screen_that_is_gone_opens_on_one_that_is_there(
    qtbot: QtBot, qapp: QApplication, window_for: MainWindowFactory
) -> None:
    first = window_for(None)
    first.resize(760, 560)
    first.move(5000, 3000)  # e.g. on a second monitor, unplugged since
    qtbot.waitUntil(lambda: first.geometry().x() >= 5000, timeout=2000)
    first.close()  # saves its geometry
    second = window_for(None)
    screen = qapp.primaryScreen().availableGeometry()
    assert screen.intersects(second.geometry())
    assert screen.contains(second.geometry().topLeft())
    assert (second.width(), second.height()) == (760, 560)  # restored, not the default size
