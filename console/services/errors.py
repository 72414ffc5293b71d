"""Errors the services raise for the UI to show: a stable `code` and a user-facing message.

Rule breaks found before any network call raise console.domain.errors.DomainError instead.
"""

from __future__ import annotations


class ServiceError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class LoginFailed(ServiceError):
    """The server refused the credentials (or the account)."""


class BackendUnavailable(ServiceError):
    """The server could not be reached or failed; trying again later may work."""


class InvalidServerAddress(ServiceError):
    """What the user typed is not a server address."""
