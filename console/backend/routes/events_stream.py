"""`GET /v1/events`: the change feed of `/v1/sync`, live, as server-sent events.

Wire format (`text/event-stream`), one SSE event per feed event the caller may see:

    id: <cursor>        the same cursor format as `/v1/sync`'s `next`: a client can switch
                        between the two, and resume with `Last-Event-ID` (preferred) or `?since=`
    event: <type>       e.g. `message.upserted`
    data: {"seq": N, "type": "...", "data": {...}}    the `/v1/sync` event, one JSON line

After `sse_heartbeat_s` (10 s by default; API.md: at least every 15 s) with nothing else sent:

    event: heartbeat
    data: {}

(no `id:`, so it does not move the client's Last-Event-ID). A cursor from another database or
ahead of the feed is refused with 410 `cursor_invalid` before the stream starts. The stream ends
when the token is revoked or its user deactivated (at once, or within a feed poll interval
when another process did it), when the token reaches its maximum age (by the next heartbeat;
the next request then gets 401), when the server shuts down, or on a database
error; clients reconnect from their last id. An open stream counts as use of its token (idle
expiry).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Header, Query, Request
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError
from starlette.responses import StreamingResponse

from console.backend import chat_links, models
from console.backend.auth import BackendDep, CallerDep, caller_for_token, token_lifetime
from console.backend.feed_notify import FeedWatch
from console.backend.models import utcnow
from console.backend.pagination import split_page
from console.backend.problems import problem_responses
from console.backend.routes.sync import (
    feed_epoch_for,
    make_cursor,
    parse_cursor,
    personalize,
    visible_to,
)
from console.backend.state import Backend
from console.backend.tokens import touch
from console.domain.errors import DomainError, ErrorCode
from console.protocol.sync import SyncEvent

log = logging.getLogger("console.backend.events")

router = APIRouter(tags=["sync"])

BATCH = 500
HEARTBEAT = b"event: heartbeat\ndata: {}\n\n"


class EventStreamResponse(StreamingResponse):
    media_type = "text/event-stream"


@dataclass(frozen=True, slots=True)
class _Batch:
    events: list[SyncEvent]
    next_seq: int
    more: bool
    epoch: str  # of the cursors this caller is given (routes/sync.feed_epoch_for)
    after: int  # the cursor the batch was read from


def get_feed_watch(request: Request) -> FeedWatch:
    watch = request.app.state.feed_watch
    assert isinstance(watch, FeedWatch)
    return watch


def _read(
    backend: Backend, digest: str, after: int, *, check_ahead: bool = False,
    cursor: str | None = None, epoch: str = "",
) -> _Batch | None:
    """The next events after `after` for the token's holder as of now; None if the token is no
    longer valid, or their access changed since the stream began (`epoch`: the resume is then
    refused with 410 and the console syncs again). The first read (`check_ahead`) parses the
    client's `cursor` instead."""
    lifetime, now = token_lifetime(backend.settings), utcnow()
    with backend.db.reading() as session:
        caller = caller_for_token(session, digest, lifetime, now)
        if caller is None:
            return None
        head = session.scalar(select(func.max(models.Event.seq))) or 0
        epoch_now = feed_epoch_for(session, backend.feed_epoch, caller.actor)
        if check_ahead:
            after = parse_cursor(cursor, epoch_now)
            if after > head:
                raise DomainError(
                    ErrorCode.CURSOR_INVALID, "This cursor is ahead of the feed; sync again."
                )
        elif epoch_now != epoch:
            return None
        rows = session.scalars(
            select(models.Event)
            .where(models.Event.seq > after, models.Event.seq <= head, visible_to(caller.actor))
            .order_by(models.Event.seq)
            .limit(BATCH + 1)
        ).all()
        page, more = split_page(rows, BATCH)
        # Links to chats this reader may not see are nulled as they go out (as in /v1/sync).
        unseen = chat_links.unseen_links(session, caller.actor, ((r.type, r.data) for r in page))
        events = [
            SyncEvent(
                seq=row.seq,
                type=row.type,
                data=chat_links.strip(row.type, personalize(row, caller.actor), unseen),
            )
            for row in page
        ]
    if caller.touch_due:  # an open stream is use: it keeps its token from idling out
        touch(backend.db, digest, lifetime, now)
    # Past events hidden from this caller too, once nothing more is to be seen.
    next_seq = page[-1].seq if more else max(after, head)
    return _Batch(events=events, next_seq=next_seq, more=more, epoch=epoch_now, after=after)


def _frames(epoch: str, batch: _Batch, sent_seq: int) -> bytes:
    """The batch's events, then an id-only block if the cursor moved past events this caller
    may not see (browsers dispatch nothing for it but keep its id as their Last-Event-ID, so a
    resume does not look through those again)."""
    parts = [
        f"id: {make_cursor(epoch, event.seq)}\nevent: {event.type}\n"
        f"data: {event.model_dump_json()}\n\n"
        for event in batch.events
    ]
    last = batch.events[-1].seq if batch.events else sent_seq
    if batch.next_seq > last:
        parts.append(f"id: {make_cursor(epoch, batch.next_seq)}\n\n")
    return "".join(parts).encode()


async def _stream(
    backend: Backend, watch: FeedWatch, digest: str, after: int, first: _Batch, seen: int
) -> AsyncIterator[bytes]:
    """`seen` is the watch generation from before `first` was read: a change committed during
    a read moves the generation, so the wait after it returns at once and reads again."""
    heartbeat_s = backend.settings.sse_heartbeat_s
    batch: _Batch | None = first
    sent_seq = after
    last_sent = time.monotonic()
    watch.open_streams += 1
    try:
        while batch is not None:
            if batch.next_seq > sent_seq:
                yield _frames(batch.epoch, batch, sent_seq)
                sent_seq = batch.next_seq
                last_sent = time.monotonic()
            if not batch.more:
                while True:
                    remaining = last_sent + heartbeat_s - time.monotonic()
                    if remaining <= 0:
                        yield HEARTBEAT
                        last_sent = time.monotonic()
                        break  # and look again: the token may have been revoked meanwhile
                    if await watch.wait(seen, remaining):
                        break
            if watch.closed:
                return
            seen = watch.generation
            batch = await asyncio.to_thread(_read, backend, digest, sent_seq, epoch=batch.epoch)
    except SQLAlchemyError as exc:
        # Mid-stream there is no status to send: end it; the client resumes from its last id.
        log.warning("event stream ended by a database error: %s", exc.__class__.__name__)
    finally:
        watch.open_streams -= 1


@router.get(
    "/v1/events",
    response_class=EventStreamResponse,
    responses={
        200: {"description": "Server-sent events: one per change, heartbeats when idle."},
        **problem_responses(
            ErrorCode.UNAUTHORIZED, ErrorCode.CURSOR_INVALID, ErrorCode.VALIDATION_ERROR
        ),
    },
)
async def events(
    request: Request,
    caller: CallerDep,
    backend: BackendDep,
    since: Annotated[
        str | None,
        Query(max_length=100, description="a cursor: `next` of /v1/sync, or an event's `id`"),
    ] = None,
    last_event_id: Annotated[
        str | None,
        Header(
            alias="Last-Event-ID", max_length=100,
            description="the last `id` received; wins over `since`",
        ),
    ] = None,
) -> EventStreamResponse:
    """The change feed of /v1/sync, live: `id:` the cursor, `event:` the type, `data:` the
    /v1/sync event as JSON; `event: heartbeat` (no id) after 10 s of silence; an id-only block
    when the cursor moves past changes the caller may not see."""
    watch = get_feed_watch(request)
    seen = watch.generation
    first = await asyncio.to_thread(
        _read, backend, caller.token_hash, 0, check_ahead=True, cursor=last_event_id or since
    )
    if first is None:
        raise DomainError(ErrorCode.UNAUTHORIZED, "The token is not valid (or was revoked).")
    return EventStreamResponse(
        _stream(backend, watch, caller.token_hash, first.after, first, seen),
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )
