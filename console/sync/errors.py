"""Typed failures of backend calls: problem+json bodies become ApiError subclasses."""

from __future__ import annotations


class SyncError(Exception):
    """Base of everything the client raises."""


class BackendUnreachable(SyncError):
    """No answer: connection refused, DNS, TLS, timeout, connection dropped mid-response.

    The request may or may not have reached the server; writes are retried with the same
    idempotency key, so a retry never does the thing twice.
    """

    def __init__(
        self, detail: str, *, timed_out: bool = False, tls_error: str | None = None
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.timed_out = timed_out
        # Set when the TLS handshake failed: "untrusted" (certificate not verified against the
        # trusted CAs) or "handshake" (no TLS agreement at all, e.g. https:// to a plain port).
        self.tls_error = tls_error


class TlsSetupError(SyncError, ValueError):
    """The configured CA bundle cannot be used (missing file, not PEM certificates)."""


class ApiError(SyncError):
    """The server answered with an error (`code` is the stable machine code from API.md)."""

    def __init__(
        self, code: str, status: int, detail: str, title: str = "", retry_after: float | None = None
    ) -> None:
        super().__init__(detail or title or code)
        self.code = code
        self.status = status
        self.detail = detail or title or code
        self.title = title
        # Seconds the server asked us to wait (Retry-After on a 429, or a 503 in maintenance).
        self.retry_after = retry_after

    def __repr__(self) -> str:
        name = type(self).__name__
        return f"{name}(code={self.code!r}, status={self.status}, detail={self.detail!r})"


class Unauthorized(ApiError):
    """401: missing, wrong or revoked token; bad login."""


class Forbidden(ApiError):
    """403: authenticated but not allowed (forbidden, number_access_denied, ...)."""


class NotFound(ApiError):
    """404."""


class Conflict(ApiError):
    """409: idempotency_conflict, group_chat_blocked, immutable, ..."""


class ValidationFailed(ApiError):
    """422: the request was refused as invalid (validation_error, invalid_phone, ...)."""


class CursorInvalid(ApiError):
    """410 cursor_invalid: the sync cursor is unknown or too new; resync from the start."""


class RateLimited(ApiError):
    """429: slow down; `retry_after` seconds as the server asked (None if it did not say)."""


class ServerError(ApiError):
    """5xx: the server failed; retried later (not before `retry_after`, when it said)."""


class UnexpectedResponse(ApiError):
    """The server answered 2xx with something that does not match the protocol."""
