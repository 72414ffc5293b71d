"""What one running backend holds: settings, database, carrier, change-feed epoch."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request

from console.backend.carrier.base import Carrier
from console.backend.db import Database
from console.backend.settings import Settings


@dataclass(slots=True)
class Backend:
    settings: Settings
    db: Database
    carrier: Carrier
    # Random per database: a cursor from another database (e.g. a re-created demo) is refused.
    feed_epoch: str = ""


def get_backend(request: Request) -> Backend:
    backend = request.app.state.backend
    assert isinstance(backend, Backend)
    return backend
