"""Typed settings of one backend instance."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

CarrierName = Literal["simulator", "twilio"]
SeedName = Literal["demo"]


@dataclass(frozen=True, slots=True)
class Settings:
    db_url: str
    carrier: CarrierName = "simulator"
    seed: SeedName | None = None
    # Schema migration at startup; tests and tools that migrated already may skip it.
    migrate: bool = True
    # Simulator timings (seconds after the message was accepted).
    simulator_sent_after: float = 0.2
    simulator_delivered_after: float = 0.5
