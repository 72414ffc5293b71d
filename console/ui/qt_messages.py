"""Qt's own warnings go to our log file, not only to a terminal nobody sees.

Qt writes its diagnostics (a missing platform plugin, a bad stylesheet, a font that cannot load)
to stderr. A desktop user starts the console from a menu, so stderr goes nowhere; routed into
the `qt` logger they land in the rotating log beside ours, through the same secret redaction.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from console.ui.qt import QMessageLogContext, QtMsgType, qInstallMessageHandler

log = logging.getLogger("qt")

QtHandler = Callable[[QtMsgType, QMessageLogContext, str], Any]

_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def _on_message(kind: QtMsgType, context: QMessageLogContext, text: str) -> None:
    where = f" ({context.category})" if context.category and context.category != "default" else ""
    log.log(_LEVELS.get(kind, logging.WARNING), "%s%s", text, where)


def route_qt_messages() -> QtHandler | None:
    """From now on every qDebug/qWarning/qCritical of Qt's goes to the `qt` logger. Returns
    the handler it replaced (None: Qt's own), for whoever wants it back."""
    return qInstallMessageHandler(_on_message)
