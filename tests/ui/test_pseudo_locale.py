"""Every text the console shows is translatable: under the pseudo-locale each one comes back
bracketed and accented ("⟦Šéñd⟧"), so any plain text on screen did not go through
`translate`. The window is shown with no account (no names or messages on screen: only the
console's own words), on every page, with its menus and dialogs."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape

import pytest
from pytestqt.qtbot import QtBot

from console.services.auth import AuthService
from console.ui.i18n import PSEUDO, PSEUDO_OPEN, install_translations, remove_translations
from console.ui.login_dialog import LoginDialog
from console.ui.qt import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    Qt,
    QTableView,
    QWidget,
)
from tests.ui.conftest import MainWindowFactory

_TAGS = re.compile(r"<[^>]+>")


@pytest.fixture
def pseudo_locale(qapp: QApplication) -> Iterator[None]:
    translator = install_translations(qapp, PSEUDO)
    yield
    remove_translations(qapp, translator)


def _plain(text: str) -> str:
    return unescape(_TAGS.sub(" ", text)).replace("&", "").strip()


def _texts(top: QWidget) -> list[tuple[str, str]]:
    """(where, text) for every text `top` shows: labels, buttons, placeholders, choices,
    tooltips, column headers, its title and its menus."""
    found: list[tuple[str, str]] = [("window title", top.windowTitle())]
    for widget in [top, *top.findChildren(QWidget)]:
        if not widget.isVisible():
            continue
        where = f"{type(widget).__name__} {widget.objectName()!r}"
        if isinstance(widget, QLabel):
            found.append((where, widget.text()))
        if isinstance(widget, QAbstractButton):
            found.append((where, widget.text()))
        if isinstance(widget, QLineEdit | QPlainTextEdit):
            found.append((where + " placeholder", widget.placeholderText()))
        if isinstance(widget, QComboBox):
            found += [(where + " item", widget.itemText(i)) for i in range(widget.count())]
        if isinstance(widget, QTableView) and widget.model() is not None:
            model = widget.model()
            for column in range(widget.horizontalHeader().count()):
                header = model.headerData(column, Qt.Orientation.Horizontal)
                if isinstance(header, str):
                    found.append((where + " header", header))
        found.append((where + " tooltip", widget.toolTip()))
    for menu in top.findChildren(QMenu):
        found += [(f"menu {menu.title()!r}", a.text()) for a in menu.actions()]
        found.append(("menu", menu.title()))
    return found


def _untranslated(top: QWidget) -> list[str]:
    return sorted({
        f"{where}: {text!r}" for where, text in _texts(top)
        if re.search(r"[A-Za-z]", _plain(text)) and PSEUDO_OPEN not in text
    })


def test_every_text_on_every_page_and_dialog_is_translatable(
    qtbot: QtBot, pseudo_locale: None, window_for: MainWindowFactory
) -> None:
    window = window_for(None)
    problems: list[str] = []
    for action in (window.show_contacts_action, window.show_groups_action,
                   window.show_group_messages_action, window.show_history_action,
                   window.show_conversations_action):
        action.trigger()
        problems += _untranslated(window)
    settings = window.show_settings()
    qtbot.waitExposed(settings)
    problems += _untranslated(settings)
    settings.close()
    login = LoginDialog(AuthService().login, server_url="http://127.0.0.1:9")
    qtbot.addWidget(login)
    login.show()
    login.set_advanced_visible(True)
    problems += _untranslated(login)
    untranslated = sorted(set(problems))
    assert not untranslated, f"{len(untranslated)} texts not translatable:\n" + "\n".join(
        untranslated
    )
