"""The rows of an admin's compliance settings as the window shows them (no store import: the
window's modules load before SQLAlchemy does)."""

from __future__ import annotations

from dataclasses import dataclass

from console.domain.quiet_hours import Window


@dataclass(frozen=True, slots=True)
class NumberHint:
    number_id: str
    label: str
    display: str  # the number for display
    hint: str  # "" : none
    saving: bool = False  # a change is on its way to the server


@dataclass(frozen=True, slots=True)
class StateWindow:
    state: str  # "FL"
    window: Window
    saving: bool = False
