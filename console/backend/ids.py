"""Opaque identifiers: a short type prefix (readable in logs) and random hex."""

from __future__ import annotations

import random
import secrets


def new_id(prefix: str, rng: random.Random | None = None) -> str:
    """`prefix_` + 20 hex digits; `rng` makes ids deterministic (the demo seed)."""
    bits = rng.getrandbits(80) if rng is not None else secrets.randbits(80)
    return f"{prefix}_{bits:020x}"
