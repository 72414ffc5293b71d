"""The FastAPI app factory."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from console.backend.body_limit import BodyLimit
from console.backend.carrier.send_jobs import CarrierWorkers
from console.backend.db import Database
from console.backend.deliveries import DeliveryWorkers
from console.backend.feed_notify import FeedWatch
from console.backend.lifecycle import make_carrier, prepare_database
from console.backend.nul_guard import NulGuard
from console.backend.openapi_doc import install_openapi
from console.backend.problems import install_problem_handlers
from console.backend.routes import (
    auth,
    contact_imports,
    contacts,
    conversations,
    events_stream,
    group_chats,
    group_messages,
    groups,
    health,
    integrations,
    numbers,
    opt_out,
    people,
    quiet_hours,
    scheduled,
    simulator,
    sync,
    templates,
    twilio,
    users,
)
from console.backend.scheduled_jobs import ScheduledWorkers
from console.backend.settings import Settings
from console.backend.state import Backend

API_VERSION = "1"


def create_app(settings: Settings) -> FastAPI:
    """An app serving `settings.db_url`. The schema is migrated when the app starts."""
    db = Database(settings.db_url)
    backend = Backend(settings=settings, db=db, carrier=make_carrier(db, settings))
    feed_watch = FeedWatch(
        db, poll_s=settings.feed_poll_s, listen_poll_s=settings.feed_listen_poll_s
    )
    workers = DeliveryWorkers(db, settings)  # notifications and webhooks, off the request path
    senders = CarrierWorkers(db, backend.carrier, settings)  # outbound SMS, any process's
    timers = ScheduledWorkers(db, settings)  # scheduled sends, when their time comes

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        backend.feed_epoch = await asyncio.to_thread(prepare_database, db, settings)
        senders.start()
        workers.start()
        timers.start()
        await feed_watch.start()
        try:
            yield
        finally:
            await asyncio.gather(
                asyncio.to_thread(timers.stop), asyncio.to_thread(workers.stop),
                asyncio.to_thread(senders.stop),
            )
            await feed_watch.stop()
            db.dispose()

    app = FastAPI(
        title="Agent Console backend",
        version=API_VERSION,
        description="Messaging backend of the Agent Console (see API.md).",
        lifespan=lifespan,
    )
    app.state.backend = backend
    app.state.feed_watch = feed_watch
    # Told to stop claiming first on SIGTERM.
    app.state.job_workers = (senders, workers, timers)
    install_problem_handlers(app)
    app.add_middleware(NulGuard)
    # Added last, so outermost: it must count a body before the NUL guard buffers it.
    app.add_middleware(
        BodyLimit, max_bytes=settings.max_body_bytes,
        larger={contact_imports.PATH: contact_imports.MAX_IMPORT_BODY_BYTES},
    )
    install_openapi(app)
    for module in (health, auth, users, numbers, contacts, conversations, sync, events_stream,
                   group_chats, opt_out, groups, group_messages, people, integrations,
                   scheduled, quiet_hours, templates, contact_imports):
        app.include_router(module.router)
    if settings.carrier == "simulator":
        app.include_router(simulator.router)
    if settings.carrier == "twilio":
        app.include_router(twilio.router)
    return app
