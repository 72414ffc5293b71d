"""The one palette definition: every colour the console shows, by role, light and dark.

The stylesheets (console/resources/style.qss and the widgets' own, written with `$role`
placeholders) and the painted delegates (through theme.Colors) both read these values, so a
theme is one table here, never a second copy of the styles.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True, slots=True)
class Palette:
    name: str
    window: str  # behind the panes
    surface: str  # panes, lists, dialogs
    surface_alt: str  # page backgrounds, alternate rows, inputs at rest
    border: str  # hairlines between panes and rows
    control_border: str  # inputs and buttons
    hover: str  # a row or button under the pointer; disabled backgrounds
    inbound: str  # inbound bubbles, day pills, quiet chips
    text: str
    text_secondary: str  # headings of empty states, secondary labels
    muted: str  # times, counts, hints
    faint: str  # placeholders, disabled text
    separator_text: str
    accent: str
    accent_hover: str
    accent_pressed: str
    accent_text: str  # text on the accent (and on avatars, badges)
    accent_soft: str  # selected rows, soft highlights
    accent_muted_text: str  # secondary text on the accent
    accent_disabled: str
    accent_disabled_text: str
    info_border: str
    danger: str
    danger_text: str
    danger_soft: str
    danger_border: str
    warning: str
    warning_text: str
    warning_soft: str
    warning_border: str
    success: str
    scroll_handle: str
    scroll_handle_hover: str
    tooltip: str
    tooltip_text: str
    rail_checked: str

    def values(self) -> dict[str, str]:
        """Role name to colour, for a stylesheet's `$role` placeholders."""
        values = asdict(self)
        del values["name"]
        return values


LIGHT = Palette(
    name="light",
    window="#f4f5f7",
    surface="#ffffff",
    surface_alt="#f7f8fa",
    border="#e2e5ea",
    control_border="#dde1e7",
    hover="#f0f2f5",
    inbound="#eef0f4",
    text="#1d2330",
    text_secondary="#4b5468",
    muted="#6b7385",
    faint="#9aa1af",
    separator_text="#8a92a1",
    accent="#2f6fde",
    accent_hover="#2a63c8",
    accent_pressed="#2457b0",
    accent_text="#ffffff",
    accent_soft="#e8f0fd",
    accent_muted_text="#d9e6ff",
    accent_disabled="#c9d3e4",
    accent_disabled_text="#f4f6fa",
    info_border="#c9daf8",
    danger="#d23a2c",
    danger_text="#b3261e",
    danger_soft="#fdecea",
    danger_border="#f6c9c4",
    warning="#c98a06",
    warning_text="#7a5200",
    warning_soft="#fdf6e3",
    warning_border="#f0d9a0",
    success="#1f9d55",
    scroll_handle="#cfd4dc",
    scroll_handle_hover="#b5bcc7",
    tooltip="#1d2330",
    tooltip_text="#ffffff",
    rail_checked="#dce7fb",
)

DARK = Palette(
    name="dark",
    window="#17191d",
    surface="#1f2227",
    surface_alt="#1a1d21",
    border="#30343b",
    control_border="#3b4049",
    hover="#2a2e35",
    inbound="#2b3038",
    text="#e6e8ec",
    text_secondary="#c3c8d1",
    muted="#9aa1ad",
    faint="#6f7683",
    separator_text="#8a91a0",
    accent="#4a86f0",
    accent_hover="#5a92f2",
    accent_pressed="#3a74d8",
    accent_text="#ffffff",
    accent_soft="#233452",
    accent_muted_text="#d6e3fb",
    accent_disabled="#2e3a4f",
    accent_disabled_text="#7f8899",
    info_border="#2f4a78",
    danger="#e5574a",
    danger_text="#f08a80",
    danger_soft="#3a2224",
    danger_border="#6b3530",
    warning="#e0a526",
    warning_text="#f0c674",
    warning_soft="#352c18",
    warning_border="#6a5522",
    success="#3fbf77",
    scroll_handle="#444a54",
    scroll_handle_hover="#5a616d",
    tooltip="#e6e8ec",
    tooltip_text="#1d2330",
    rail_checked="#263a5c",
)

PALETTES = {LIGHT.name: LIGHT, DARK.name: DARK}
