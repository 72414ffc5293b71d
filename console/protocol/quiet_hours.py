"""Quiet hours: the default window and the states' stricter ones (console/domain/quiet_hours.py
applies them)."""

from __future__ import annotations

from pydantic import Field

from console.protocol.common import WireModel

HHMM = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"


class QuietWindow(WireModel):
    start: str = Field(pattern=HHMM, examples=["08:00"])  # local time, inclusive
    end: str = Field(pattern=HHMM, examples=["21:00"])  # local time, exclusive


class StateQuietWindow(QuietWindow):
    state: str = Field(min_length=2, max_length=2, examples=["FL"])


class QuietHours(WireModel):
    default: QuietWindow
    states: list[StateQuietWindow] = Field(default_factory=list)
