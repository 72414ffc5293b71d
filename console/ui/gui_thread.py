"""Guard for code that may only run on the GUI thread (widgets, models, the bridge's slots)."""

from __future__ import annotations

from console.ui.qt import QCoreApplication, QThread


def is_gui_thread() -> bool:
    app = QCoreApplication.instance()
    return app is not None and QThread.currentThread() is app.thread()


def assert_gui_thread() -> None:
    # A worker thread touching a model or widget corrupts Qt state silently; fail loudly instead.
    assert is_gui_thread(), "GUI-only code called off the GUI thread"
