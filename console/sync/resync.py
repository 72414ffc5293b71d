"""Full resync after 410 cursor_invalid: read the whole feed into a fresh cache generation,
then swap it in keeping the outbox (console/store/generations.py says how and why)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from console.store.apply import apply_sync_page
from console.store.cache import Cache
from console.store.changes import Changes
from console.store.coltypes import utcnow
from console.store.generations import open_new_generation, remove_generation_files, swap_in
from console.sync.api_client import ApiClient
from console.sync.errors import CursorInvalid

log = logging.getLogger("console.sync.resync")

# The server may be replaced again while we read it (a restore in several steps): start over
# this many times before giving up for this cycle.
ATTEMPTS = 3


def full_resync(
    cache: Cache,
    client: ApiClient,
    *,
    page_limit: int,
    check_stop: Callable[[], None],
) -> Changes:
    """Rebuild `cache`'s synced contents from the whole feed; returns changes marked reset.

    Raises what the client raises (the engine retries later: the live cache is untouched until
    the swap) and whatever `check_stop` raises (the half-built generation is deleted)."""
    for attempt in range(1, ATTEMPTS + 1):
        generation = open_new_generation(cache)
        path = generation.path
        try:
            try:
                pages = _fill(generation, client, page_limit, check_stop)
            finally:
                generation.close()
            check_stop()
            log.info("resync: read the whole feed (%d page(s)); swapping it in", pages)
            return swap_in(cache, path, now=utcnow())
        except CursorInvalid:
            if attempt == ATTEMPTS:
                raise
            log.warning("the feed changed again during a resync: starting over")
        finally:
            remove_generation_files(path)
    raise AssertionError("unreachable")


def _fill(
    generation: Cache, client: ApiClient, page_limit: int, check_stop: Callable[[], None]
) -> int:
    cursor: str | None = None
    pages = 0
    while True:
        check_stop()
        page = client.sync(cursor, limit=page_limit)
        apply_sync_page(generation, page)
        pages += 1
        if not page.has_more or page.next == cursor:
            return pages
        cursor = page.next
