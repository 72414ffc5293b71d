"""The `Allow` header of a 405: every method the path supports.

FastAPI makes one route per (path, method), and Starlette answers a wrong method with the
methods of the first route whose path matched only, so `OPTIONS /v1/contacts/{id}` listed GET
but not PATCH and DELETE. Here each method is tried against every route instead (through the
routes' public `matches`, which also sees into included routers).
"""

from __future__ import annotations

from fastapi import Request
from starlette.routing import BaseRoute, Match

METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def allowed_methods(request: Request) -> str | None:
    """Comma-separated methods some route serves at the request's path (None if none)."""
    routes: list[BaseRoute] = list(getattr(request.app, "routes", []))
    allowed = [
        method
        for method in METHODS
        if any(
            route.matches({**request.scope, "method": method})[0] is Match.FULL
            for route in routes
        )
    ]
    return ", ".join(allowed) or None
