"""How long, in words a person reads at a glance ("15 minutes", not "895 s")."""

from __future__ import annotations

import math


def wait_in_words(seconds: float) -> str:
    """A wait still to come, rounded up: "40 seconds", "1 minute", "15 minutes", "2 hours"."""
    whole = max(1, math.ceil(seconds))
    if whole < 60:
        return _count(whole, "second")
    minutes = math.ceil(whole / 60)
    if minutes < 120:
        return _count(minutes, "minute")
    return _count(math.ceil(minutes / 60), "hour")


def _count(n: int, unit: str) -> str:
    return f"{n} {unit}" if n == 1 else f"{n} {unit}s"
