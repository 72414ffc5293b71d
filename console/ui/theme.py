"""The look: palette constants the delegates paint with, the stylesheet, fonts and icons.

Runtime files live in console/resources (shipped as package data) and are read through
importlib.resources, so an installed wheel or a frozen build finds them the same way.
"""

from __future__ import annotations

import logging
from importlib import resources
from pathlib import Path

from console.ui.qt import QApplication, QColor, QFont, QFontDatabase, QIcon, QPixmap

log = logging.getLogger("console.ui.theme")

_APPLIED_PROPERTY = "agentConsoleThemeApplied"
FONT_FAMILY = "DejaVu Sans"


class Colors:
    """Calm neutrals and one accent; the stylesheet uses the same values."""

    window = QColor("#f4f5f7")
    surface = QColor("#ffffff")
    border = QColor("#e2e5ea")
    text = QColor("#1d2330")
    muted = QColor("#6b7385")
    faint = QColor("#9aa1af")
    accent = QColor("#2f6fde")
    accent_text = QColor("#ffffff")
    accent_soft = QColor("#e8f0fd")
    accent_muted_text = QColor("#d9e6ff")
    hover = QColor("#f0f2f5")
    inbound = QColor("#eef0f4")
    danger = QColor("#d23a2c")
    danger_soft = QColor("#fdecea")
    success = QColor("#1f9d55")
    warning = QColor("#c98a06")
    separator_text = QColor("#8a92a1")


AVATAR_COLORS = [
    QColor(c)
    for c in (
        "#5b7bd5", "#3f9c8f", "#c46a4f", "#8a63c4", "#c0578a", "#4d8fc4", "#7e8f3a", "#b7833b",
    )
]


def avatar_color(seed: str) -> QColor:
    # Stable across runs (str hash is salted per process, so sum the bytes).
    return AVATAR_COLORS[sum(seed.encode("utf-8")) % len(AVATAR_COLORS)]


def _resource_root() -> resources.abc.Traversable:
    return resources.files("console").joinpath("resources")


def resource_text(name: str) -> str:
    return _resource_root().joinpath(name).read_text(encoding="utf-8")


def icon(name: str) -> QIcon:
    """An SVG icon from console/resources/icons (empty icon, logged, if it is missing)."""
    entry = _resource_root().joinpath("icons", f"{name}.svg")
    if isinstance(entry, Path):
        if entry.is_file():
            return QIcon(str(entry))
    elif entry.is_file():  # zipped or frozen: no real path, so load the bytes
        pixmap = QPixmap()
        pixmap.loadFromData(entry.read_bytes(), "SVG")
        return QIcon(pixmap)
    log.warning("icon %s not found", name)
    return QIcon()


def stylesheet() -> str:
    return resource_text("style.qss")


def ui_font(point_size: float = 10.0) -> QFont:
    font = QFont(FONT_FAMILY if FONT_FAMILY in QFontDatabase.families() else "")
    font.setPointSizeF(point_size)
    return font


def apply_theme(app: QApplication) -> None:
    """Set font, stylesheet and window icon on the application, once (idempotent)."""
    if app.property(_APPLIED_PROPERTY):
        return
    app.setStyle("Fusion")  # the same widgets on every desktop; the stylesheet builds on it
    app.setFont(ui_font())
    app.setStyleSheet(stylesheet())
    app.setWindowIcon(icon("agent-console"))
    app.setProperty(_APPLIED_PROPERTY, True)
