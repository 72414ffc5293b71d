"""Quiet hours as this console knows them: the server's rules from the feed (kept in the cache,
so they hold offline too), else the default 08:00-21:00."""

from __future__ import annotations

import json
import logging
from datetime import time

from sqlalchemy import select

from console.domain.quiet_hours import QuietHoursRules, Window
from console.store.apply import QUIET_HOURS_KEY
from console.store.cache import Cache
from console.store.models import meta

log = logging.getLogger("console.services.quiet_hours")


def _time(text: object) -> time:
    if not isinstance(text, str):
        raise ValueError(f"not a time: {text!r}")
    return time.fromisoformat(text)


def parse_rules(document: str | None) -> QuietHoursRules:
    """The rules in a `quiet_hours.updated` document; the default when there is none or it
    cannot be read (logged: the default is the widest window, never a wider one)."""
    if not document:
        return QuietHoursRules()
    try:
        data = json.loads(document)
        default = Window(_time(data["default"]["start"]), _time(data["default"]["end"]))
        states = {
            str(s["state"]): Window(_time(s["start"]), _time(s["end"]))
            for s in data.get("states", [])
        }
    except (ValueError, KeyError, TypeError) as exc:
        log.warning("the cached quiet hours rules cannot be read (%s): using the default", exc)
        return QuietHoursRules()
    # The server's default never widens ours.
    return QuietHoursRules(default=Window().within(default), states=states)


class QuietHoursService:
    def __init__(self, cache: Cache) -> None:
        self._cache = cache

    def rules(self) -> QuietHoursRules:
        with self._cache.read() as conn:
            document = conn.execute(
                select(meta.c.value).where(meta.c.key == QUIET_HOURS_KEY)
            ).scalar_one_or_none()
        return parse_rules(document)
