"""A screen reader names and describes every control: each button, field, list and choice the
user can reach on every page and in the dialogs has an accessible name (its own, or its text)
and a description (its own, or its tooltip) of what it does or holds."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from console.services.auth import AuthService
from console.ui.login_dialog import LoginDialog
from console.ui.qt import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDateEdit,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)
from tests.ui.conftest import MainWindowFactory

CONTROLS = (QAbstractButton, QLineEdit, QComboBox, QAbstractItemView, QPlainTextEdit, QDateEdit)


def _qt_internal(widget: QWidget) -> bool:
    """Parts Qt builds inside a control (a field's clear button, a combo box's popup list,
    a table's header): the control around them carries the name."""
    parent = widget.parentWidget()
    return (
        widget.objectName().startswith("qt_")
        or isinstance(widget, QHeaderView)
        or isinstance(parent, QLineEdit | QComboBox | QDateEdit)
        or (parent is not None and type(parent).__name__ == "QComboBoxPrivateContainer")
        or (parent is not None and parent.objectName().startswith("qt_"))
    )


def _unnamed(top: QWidget) -> list[str]:
    missing = []
    for widget in top.findChildren(QWidget):
        if not isinstance(widget, CONTROLS) or not widget.isVisible() or _qt_internal(widget):
            continue
        name = widget.accessibleName()
        if not name and isinstance(widget, QAbstractButton):
            name = widget.text().replace("&", "")
        if not name.strip():
            missing.append(f"{type(widget).__name__} {widget.objectName()!r}")
    return missing


def _undescribed(top: QWidget) -> list[str]:
    """The visible controls with neither an accessible description nor a tooltip (which Qt
    gives a screen reader as the description)."""
    missing = []
    for widget in top.findChildren(QWidget):
        if not isinstance(widget, CONTROLS) or not widget.isVisible() or _qt_internal(widget):
            continue
        if not (widget.accessibleDescription().strip() or widget.toolTip().strip()):
            name = widget.accessibleName() or (
                widget.text().replace("&", "") if isinstance(widget, QAbstractButton) else ""
            )
            missing.append(f"{type(widget).__name__} {widget.objectName()!r} {name!r}")
    return missing


def test_every_visible_control_has_a_name(
    qtbot: QtBot, window_for: MainWindowFactory
) -> None:
    window = window_for(None)
    seen = 0
    for action in (window.show_conversations_action, window.show_contacts_action,
                   window.show_groups_action, window.show_group_messages_action,
                   window.show_history_action):
        action.trigger()
        assert _unnamed(window) == [], action.text()
        assert _undescribed(window) == [], action.text()
        seen += sum(1 for w in window.findChildren(QWidget)
                    if isinstance(w, CONTROLS) and w.isVisible())
    assert seen > 40  # the pages really were shown and searched

    settings = window.show_settings()
    qtbot.waitExposed(settings)
    assert _unnamed(settings) == []
    assert _undescribed(settings) == []
    settings.close()

    login = LoginDialog(AuthService().login, server_url="http://127.0.0.1:9")
    qtbot.addWidget(login)
    login.show()
    qtbot.waitExposed(login)
    login.set_advanced_visible(True)
    assert _unnamed(login) == []
    assert _undescribed(login) == []
    assert QApplication.instance() is not None
