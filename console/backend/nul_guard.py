"""Text with NUL characters is refused at the door, with 422 `validation_error`.

PostgreSQL cannot store or even compare a NUL character in text: a search for `%00`, an id
with `%00` in it, or a JSON body holding "\\u0000" made psycopg fail mid-query, a 500 (found by
the property test in tests/backend/test_problems.py on PostgreSQL). SQLite would store it. So
neither does: every request is checked before any route runs, the same on both databases.
Form bodies (Twilio's webhooks) are checked for `%00`. The JSON check looks for the escape,
so a body that spells a backslash followed by "u0000" as text is refused too; no message or
name a person writes holds that.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from console.backend.problems import problem_response
from console.domain.errors import ErrorCode

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]

DETAIL = "Text may not contain NUL (0x00) characters."


def _has_nul(data: bytes) -> bool:
    lowered = data.lower()
    return b"%00" in lowered or b"\x00" in data


class NulGuard:
    def __init__(self, app: App) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if _has_nul(scope.get("raw_path") or b"") or _has_nul(scope.get("query_string", b"")):
            await self._refuse(scope, receive, send)
            return
        chunks: list[bytes] = []
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client left: let the app see it
                break
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                break
        body = b"".join(chunks)
        form = dict(scope.get("headers") or []).get(b"content-type", b"").lower().startswith(
            b"application/x-www-form-urlencoded"
        )
        if b"\x00" in body or b"\\u0000" in body.lower() or (form and _has_nul(body)):
            await self._refuse(scope, receive, send)
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    @staticmethod
    async def _refuse(scope: Scope, receive: Receive, send: Send) -> None:
        response = problem_response(ErrorCode.VALIDATION_ERROR, DETAIL)
        await response(scope, receive, send)
