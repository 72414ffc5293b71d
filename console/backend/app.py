"""The FastAPI app factory."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from console.backend.db import Database
from console.backend.lifecycle import make_carrier, prepare_database
from console.backend.problems import install_problem_handlers
from console.backend.routes import (
    auth,
    contacts,
    conversations,
    health,
    numbers,
    simulator,
    sync,
    users,
)
from console.backend.settings import Settings
from console.backend.state import Backend

API_VERSION = "1"


def create_app(settings: Settings) -> FastAPI:
    """An app serving `settings.db_url`. The schema is migrated when the app starts."""
    db = Database(settings.db_url)
    backend = Backend(settings=settings, db=db, carrier=make_carrier(db, settings))

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        backend.feed_epoch = await asyncio.to_thread(prepare_database, db, settings)
        backend.carrier.start()
        try:
            yield
        finally:
            await backend.carrier.stop()
            db.dispose()

    app = FastAPI(
        title="Agent Console backend",
        version=API_VERSION,
        description="Messaging backend of the Agent Console (see API.md).",
        lifespan=lifespan,
    )
    app.state.backend = backend
    install_problem_handlers(app)
    for module in (health, auth, users, numbers, contacts, conversations, sync):
        app.include_router(module.router)
    if settings.carrier == "simulator":
        app.include_router(simulator.router)
    return app
