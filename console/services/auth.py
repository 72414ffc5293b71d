"""Sign-in: exchange email + password for a token, and keep the token in the OS keyring.

The token never goes into the cache, a file or a log. With no usable keyring it is kept in
this process's memory only, and a Notice tells the user they will have to log in next time.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path

import keyring
import keyring.backends.chainer
import keyring.backends.fail
import keyring.backends.null

from console.protocol.auth import User
from console.services.errors import BackendUnavailable, InvalidServerAddress, LoginFailed
from console.services.notices import NoticeBoard
from console.services.types import Notice
from console.store.paths import normalize_email, normalize_server_url, profile_cache_path
from console.sync.api_client import ApiClient
from console.sync.errors import (
    ApiError,
    BackendUnreachable,
    Forbidden,
    RateLimited,
    ServerError,
    Unauthorized,
    ValidationFailed,
)

log = logging.getLogger("console.services.auth")

KEYRING_SERVICE = "agent-console"
LOGIN_TIMEOUT_S = 15.0
NO_KEYRING_NOTICE = Notice(
    level="warning",
    text=(
        "No system keyring is available, so your sign-in is kept in memory only: "
        "you will need to log in again the next time you start the console."
    ),
)


@dataclass(frozen=True, slots=True)
class LoginResult:
    server_url: str  # normalized
    email: str
    user: User
    token: str = field(repr=False)  # hand to open_workspace; never log or store it
    cache_path: Path  # the profile cache for this server + account
    token_saved: bool  # True: in the OS keyring; False: in memory only


def keyring_username(server_url: str, email: str) -> str:
    return f"{normalize_server_url(server_url)}|{normalize_email(email)}"


def _keyring_backend_usable() -> bool:
    try:
        backend = keyring.get_keyring()
    except Exception:  # a broken keyring configuration must not stop sign-in
        log.warning("keyring backend could not be loaded", exc_info=True)
        return False
    if isinstance(backend, keyring.backends.fail.Keyring | keyring.backends.null.Keyring):
        return False
    return not (
        isinstance(backend, keyring.backends.chainer.ChainerBackend) and not backend.backends
    )


class AuthService:
    def __init__(self, *, timeout: float = LOGIN_TIMEOUT_S) -> None:
        self._timeout = timeout
        self._lock = threading.Lock()
        self._memory: dict[str, str] = {}  # keyring_username -> token, when no keyring
        self.notices = NoticeBoard()
        self.keyring_available = _keyring_backend_usable()
        if not self.keyring_available:
            self._fall_back_to_memory("no usable keyring backend")

    # -- sign-in (network: call it off the GUI thread) ------------------------------------

    def login(
        self, server_url: str, email: str, password: str, *, profile: str | None = None
    ) -> LoginResult:
        """Get a token for `email` on `server_url` and remember it.

        Raises InvalidServerAddress, LoginFailed (wrong email or password, account refused)
        or BackendUnavailable (cannot reach the server, or it failed), each with a message
        for the user.
        """
        try:
            server = normalize_server_url(server_url)
        except ValueError as exc:
            raise InvalidServerAddress("invalid_server", str(exc)) from None
        who = normalize_email(email)
        if not who or not password:
            raise LoginFailed("validation_error", "Enter your email and password.")
        try:
            with ApiClient(server, timeout=self._timeout) as client:
                answer = client.login(who, password)
        except BackendUnreachable as exc:
            what = "did not answer in time" if exc.timed_out else "could not be reached"
            raise BackendUnavailable(
                "unreachable", f"The server at {server} {what}. Check the address and try again."
            ) from None
        except Unauthorized:
            raise LoginFailed("unauthorized", "Wrong email or password.") from None
        except Forbidden as exc:
            raise LoginFailed(exc.code, exc.detail) from None
        except RateLimited as exc:
            wait = f" Try again in {round(exc.retry_after)} s." if exc.retry_after else ""
            raise LoginFailed(exc.code, "Too many sign-in attempts." + wait) from None
        except ValidationFailed as exc:
            raise LoginFailed(exc.code, f"The server refused the sign-in: {exc.detail}") from None
        except ServerError as exc:
            raise BackendUnavailable(
                exc.code, f"The server at {server} failed ({exc.status}). Try again later."
            ) from None
        except ApiError as exc:
            raise BackendUnavailable(exc.code, f"Sign-in failed: {exc.detail}") from None
        saved = self._store(server, who, answer.access_token)
        return LoginResult(
            server_url=server,
            email=who,
            user=answer.user,
            token=answer.access_token,
            cache_path=profile_cache_path(server, who, profile=profile),
            token_saved=saved,
        )

    # -- the remembered token --------------------------------------------------------------

    def saved_token(self, server_url: str, email: str) -> str | None:
        """The token remembered for this server + account (keyring or memory), if any."""
        name = keyring_username(server_url, email)
        with self._lock:
            if name in self._memory:
                return self._memory[name]
        if not self.keyring_available:
            return None
        try:
            token = keyring.get_password(KEYRING_SERVICE, name)
        except Exception as exc:  # keyring locked, D-Bus gone, ...: sign in again instead
            log.warning("could not read the keyring: %s", type(exc).__name__)
            return None
        return token or None

    def forget(self, server_url: str, email: str) -> None:
        """Drop the remembered token (sign out on this machine)."""
        name = keyring_username(server_url, email)
        with self._lock:
            self._memory.pop(name, None)
        if not self.keyring_available:
            return
        try:
            if keyring.get_password(KEYRING_SERVICE, name) is not None:
                keyring.delete_password(KEYRING_SERVICE, name)
        except Exception as exc:
            log.warning("could not remove the token from the keyring: %s", type(exc).__name__)

    def _store(self, server_url: str, email: str, token: str) -> bool:
        name = keyring_username(server_url, email)
        if self.keyring_available:
            try:
                keyring.set_password(KEYRING_SERVICE, name, token)
            except Exception as exc:  # KeyringError, NoKeyringError, backend-specific errors
                self._fall_back_to_memory(type(exc).__name__)
            else:
                with self._lock:
                    self._memory.pop(name, None)
                return True
        with self._lock:
            self._memory[name] = token
        return False

    def _fall_back_to_memory(self, reason: str) -> None:
        log.warning("keyring unavailable (%s): tokens kept in memory only", reason)
        self.keyring_available = False
        self.notices.emit(NO_KEYRING_NOTICE)

    @property
    def keyring_notice(self) -> Notice | None:
        """The no-keyring notice, once it applies (to forward into Workspace.notices)."""
        return None if self.keyring_available else NO_KEYRING_NOTICE
