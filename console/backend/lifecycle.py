"""Bringing a database up to date before serving: schema, feed epoch, optional seed."""

from __future__ import annotations

import os
import secrets

from console.backend import migrate, models
from console.backend.carrier.base import Carrier, CarrierUnavailable
from console.backend.carrier.simulator import SimulatorCarrier
from console.backend.carrier.twilio import TwilioCarrier, TwilioConfig
from console.backend.db import Database
from console.backend.seed import seed_demo
from console.backend.settings import Settings

FEED_EPOCH_KEY = "feed_epoch"


def prepare_database(db: Database, settings: Settings) -> str:
    """Migrate (if asked), make sure the feed epoch exists, seed (if asked). Returns the epoch.
    Processes starting together on one database do this one at a time."""
    with migrate.startup_lock(db.engine):
        if settings.migrate:
            migrate.upgrade(db.engine)
        epoch = ensure_feed_epoch(db)
        if settings.seed == "demo":
            seed_demo(db)
    return epoch


def ensure_feed_epoch(db: Database) -> str:
    with db.writing() as session:
        row = session.get(models.Meta, FEED_EPOCH_KEY)
        if row is None:
            row = models.Meta(key=FEED_EPOCH_KEY, value=secrets.token_hex(6))
            session.add(row)
        return row.value


def make_carrier(db: Database, settings: Settings) -> Carrier:
    if settings.carrier == "simulator":
        return SimulatorCarrier(
            db,
            sent_after=settings.simulator_sent_after,
            delivered_after=settings.simulator_delivered_after,
        )
    if settings.carrier == "twilio":
        # Its credentials come from the environment only (never stored): see carrier/twilio.py.
        return TwilioCarrier(db, TwilioConfig.from_env(os.environ))
    raise CarrierUnavailable(f"There is no {settings.carrier!r} carrier.")
