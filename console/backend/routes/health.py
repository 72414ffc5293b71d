from __future__ import annotations

from fastapi import APIRouter

from console.protocol.common import Health

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz() -> Health:
    return Health(status="ok")
