"""The look: palette constants the delegates paint with, the stylesheet, fonts and icons.

Runtime files live in console/resources (shipped as package data) and are read through
importlib.resources, so an installed wheel or a frozen build finds them the same way.
"""

from __future__ import annotations

import logging
import re
from importlib import resources
from pathlib import Path
from string import Template
from typing import ClassVar

from console.ui.palette import DARK, LIGHT, PALETTES, Palette
from console.ui.qt import (
    QApplication,
    QColor,
    QFont,
    QFontDatabase,
    QGuiApplication,
    QIcon,
    QPalette,
    QPixmap,
    Qt,
    QWidget,
)

log = logging.getLogger("console.ui.theme")

_APPLIED_PROPERTY = "agentConsoleThemeApplied"
FONT_FAMILY = "DejaVu Sans"


class Colors:
    """The palette in use, as QColors for the delegates that paint (console/ui/palette.py
    holds the values; `use_palette` switches them, so painters read them when they paint)."""

    window: ClassVar[QColor]
    surface: ClassVar[QColor]
    surface_alt: ClassVar[QColor]
    border: ClassVar[QColor]
    control_border: ClassVar[QColor]
    hover: ClassVar[QColor]
    inbound: ClassVar[QColor]
    text: ClassVar[QColor]
    text_secondary: ClassVar[QColor]
    muted: ClassVar[QColor]
    faint: ClassVar[QColor]
    separator_text: ClassVar[QColor]
    accent: ClassVar[QColor]
    accent_hover: ClassVar[QColor]
    accent_pressed: ClassVar[QColor]
    accent_text: ClassVar[QColor]
    accent_soft: ClassVar[QColor]
    accent_muted_text: ClassVar[QColor]
    accent_disabled: ClassVar[QColor]
    accent_disabled_text: ClassVar[QColor]
    info_border: ClassVar[QColor]
    danger: ClassVar[QColor]
    danger_text: ClassVar[QColor]
    danger_soft: ClassVar[QColor]
    danger_border: ClassVar[QColor]
    warning: ClassVar[QColor]
    warning_text: ClassVar[QColor]
    warning_soft: ClassVar[QColor]
    warning_border: ClassVar[QColor]
    success: ClassVar[QColor]
    scroll_handle: ClassVar[QColor]
    scroll_handle_hover: ClassVar[QColor]
    tooltip: ClassVar[QColor]
    tooltip_text: ClassVar[QColor]
    rail_checked: ClassVar[QColor]
    palette: ClassVar[Palette] = LIGHT


def use_palette(palette: Palette) -> None:
    for role, value in palette.values().items():
        setattr(Colors, role, QColor(value))
    Colors.palette = palette


use_palette(LIGHT)


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
    """The application stylesheet, in the palette and text size in use."""
    return themed(resource_text("style.qss"))


BASE_POINT_SIZE = 10.0
THEMES = ("system", "light", "dark")
# Text size: a factor on every font, the stylesheets' point sizes too.
TEXT_SCALES = {"small": 0.9, "normal": 1.0, "large": 1.15, "larger": 1.3}
_STYLE_PROPERTY = "agentConsoleStyle"  # a widget's stylesheet as written, with $roles
_FONT_SIZE = re.compile(r"font-size:\s*([\d.]+)pt")
_scale = 1.0


def themed(style: str) -> str:
    """`style` with its `$role` colours from the palette in use and its point sizes scaled."""
    text = Template(style).safe_substitute(Colors.palette.values())
    if _scale != 1.0:
        text = _FONT_SIZE.sub(lambda m: f"font-size: {float(m.group(1)) * _scale:.1f}pt", text)
    return text


def set_themed_style(widget: QWidget, style: str) -> None:
    """Give `widget` its own stylesheet (written with `$role` colours); a theme or text size
    change sets it again."""
    widget.setProperty(_STYLE_PROPERTY, style)
    widget.setStyleSheet(themed(style))


def ui_font(point_size: float = BASE_POINT_SIZE) -> QFont:
    font = QFont(FONT_FAMILY if FONT_FAMILY in QFontDatabase.families() else "")
    font.setPointSizeF(point_size)
    return font


def system_prefers_dark(app: QGuiApplication) -> bool:
    return app.styleHints().colorScheme() == Qt.ColorScheme.Dark


def palette_for(theme: str, app: QGuiApplication) -> Palette:
    """"light", "dark", or "system": what the desktop says (light when it does not say)."""
    if theme == "system":
        return DARK if system_prefers_dark(app) else LIGHT
    return PALETTES.get(theme, LIGHT)


def qt_palette(palette: Palette) -> QPalette:
    """The same colours for what the stylesheets do not reach (Fusion's own painting)."""
    roles = QPalette.ColorRole
    qt = QPalette()
    for role, value in (
        (roles.Window, palette.window), (roles.WindowText, palette.text),
        (roles.Base, palette.surface), (roles.AlternateBase, palette.surface_alt),
        (roles.Text, palette.text), (roles.Button, palette.surface),
        (roles.ButtonText, palette.text), (roles.Highlight, palette.accent),
        (roles.HighlightedText, palette.accent_text), (roles.ToolTipBase, palette.tooltip),
        (roles.ToolTipText, palette.tooltip_text), (roles.PlaceholderText, palette.faint),
        (roles.Link, palette.accent), (roles.Mid, palette.border),
        (roles.Light, palette.surface), (roles.Midlight, palette.hover),
        (roles.Dark, palette.control_border), (roles.Shadow, palette.border),
    ):
        qt.setColor(role, QColor(value))
    disabled = QPalette.ColorGroup.Disabled
    for role in (roles.Text, roles.WindowText, roles.ButtonText):
        qt.setColor(disabled, role, QColor(palette.faint))
    return qt


def apply_appearance(app: QApplication, theme: str = "system", text_size: str = "normal") -> bool:
    """Theme and text size for the whole application; widgets' own stylesheets follow.
    Returns whether anything changed."""
    global _scale
    palette = palette_for(theme, app)
    scale = TEXT_SCALES.get(text_size, 1.0)
    wanted = f"{palette.name}@{scale}"
    current = app.property(_APPLIED_PROPERTY)
    if current == wanted:
        return False
    use_palette(palette)
    _scale = scale
    if not current:
        app.setStyle("Fusion")  # the same widgets on every desktop; the stylesheet builds on it
        app.setWindowIcon(icon("agent-console"))
    app.setPalette(qt_palette(palette))
    app.setFont(ui_font(BASE_POINT_SIZE * scale))
    app.setStyleSheet(stylesheet())
    app.setProperty(_APPLIED_PROPERTY, wanted)
    if current:
        for widget in app.allWidgets():
            style = widget.property(_STYLE_PROPERTY)
            if isinstance(style, str):
                widget.setStyleSheet(themed(style))
            widget.update()  # delegates paint with the new Colors
    return True


def apply_theme(app: QApplication) -> None:
    """Font, stylesheet and window icon, once (idempotent): the light theme at normal size
    unless an appearance was chosen already."""
    if not app.property(_APPLIED_PROPERTY):
        apply_appearance(app, "light", "normal")
