"""Retry delays: exponential with jitter, never shorter than what the server asked for."""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Backoff:
    base: float = 1.0
    factor: float = 2.0
    cap: float = 15.0
    jitter: float = 0.2  # +-20%, so many consoles coming back at once do not retry in step

    def delay(
        self,
        attempt: int,
        *,
        retry_after: float | None = None,
        rng: random.Random | None = None,
    ) -> float:
        """Seconds to wait before attempt number `attempt + 1` (attempt counts from 1)."""
        exponent = max(0, attempt - 1)
        raw = min(self.cap, self.base * self.factor**exponent)
        spread = (rng or random).uniform(1.0 - self.jitter, 1.0 + self.jitter)
        delay = min(self.cap, raw * spread)
        if retry_after is not None and retry_after > delay:
            return float(retry_after)
        return max(0.0, delay)
