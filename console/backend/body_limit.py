"""Request bodies over a limit are refused with 413 `payload_too_large`, before they are read.

Without a limit an unauthenticated 100 MB POST was read whole (the NUL guard and the JSON
parser each hold a copy) and grew the server by 500 MB before it was refused as invalid. Now:
- a `Content-Length` over the limit is answered at once, no byte of the body read;
- a body without one (chunked) is counted as it streams in, and refused as soon as the count
  passes the limit: the server stops reading, so it holds at most about the limit.
It wraps every route (Twilio's webhooks too) and sits outside everything that reads bodies.
The limit is `serve --max-body-bytes` (default 1 MiB); a few paths take more (`larger`: e.g. a
contact import of 20,000 rows), never less.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from typing import Any

from console.backend.problems import problem_response
from console.domain.errors import ErrorCode

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]

DEFAULT_MAX_BODY_BYTES = 1024 * 1024


class _TooLarge(Exception):
    """Raised out of `receive` to the app when the body passes the limit."""


def _declared_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers") or []:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None  # the HTTP server refuses a malformed length before we run
    return None


class BodyLimit:
    def __init__(
        self, app: App, max_bytes: int = DEFAULT_MAX_BODY_BYTES,
        larger: Mapping[str, int] | None = None,
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.larger = dict(larger or {})  # exact path -> its own limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = max(self.max_bytes, self.larger.get(scope.get("path", ""), 0))
        declared = _declared_length(scope)
        if declared is not None and declared > limit:
            await self._refuse(scope, receive, send, limit)
            return
        seen = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise _TooLarge
            return message

        async def watching_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, watching_send)
        except _TooLarge:
            if started:  # a streaming answer already began: all we can do is stop
                raise
            await self._refuse(scope, receive, send, limit)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        response = problem_response(
            ErrorCode.PAYLOAD_TOO_LARGE,
            f"The request body is larger than this server accepts ({limit} bytes).",
            headers={"Connection": "close"},  # the rest of the body is never read
        )
        await response(scope, receive, send)
