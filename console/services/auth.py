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
from console.services.durations import wait_in_words
from console.services.errors import (
    BackendUnavailable,
    InvalidServerAddress,
    LoginFailed,
    ServiceError,
)
from console.services.notices import NoticeBoard, NoticeCode, SignOutProblem
from console.services.types import Notice
from console.store.paths import normalize_email, normalize_server_url, profile_cache_path
from console.sync.api_client import ApiClient, tls_failure
from console.sync.errors import (
    ApiError,
    BackendUnreachable,
    Forbidden,
    RateLimited,
    ServerError,
    TlsSetupError,
    Unauthorized,
    UnexpectedResponse,
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
    code=NoticeCode.NO_KEYRING,
)


@dataclass(frozen=True, slots=True)
class LoginResult:
    server_url: str  # normalized
    email: str
    user: User
    token: str = field(repr=False)  # hand to open_workspace; never log or store it
    cache_path: Path  # the profile cache for this server + account
    token_saved: bool  # True: in the OS keyring; False: in memory only
    ca_bundle: str | None = None  # the CA bundle the server's certificate was checked against


@dataclass(frozen=True, slots=True)
class SignOutResult:
    revoked: bool  # the server cancelled the token (or already had)
    notice: Notice | None  # what to tell the user when it could not


def _not_console_server(server: str) -> LoginFailed:
    return LoginFailed(
        "not_console_server",
        f"The server at {server} answered, but it is not an Agent Console server. "
        "Check the address and the port.",
    )


def _is_problem(exc: ApiError) -> bool:
    """Our backend answers every error as problem+json with a code; other servers do not."""
    return not exc.code.startswith("http_")


class LoginRateLimited(LoginFailed):
    """429 on sign-in: `retry_after` seconds to wait (None if the server did not say)."""

    def __init__(self, retry_after: float | None) -> None:
        wait = f"try again in {wait_in_words(retry_after)}" if retry_after else "try again later"
        super().__init__("rate_limited", f"Too many attempts, {wait}.")
        self.retry_after = retry_after


def _unreachable(server: str, exc: BackendUnreachable, ca_bundle: str | None) -> ServiceError:
    tls = tls_failure(exc)
    reason = tls[1] if tls else exc.detail
    if exc.tls_error == "untrusted":
        where = (
            f"the CA bundle {ca_bundle}"
            if ca_bundle
            else "the certificate authorities this computer trusts"
        )
        return BackendUnavailable(
            "tls_untrusted",
            f"The certificate of {server} is not trusted: it could not be verified against "
            f"{where} ({reason}). If the server uses its own certificate authority, set its "
            "CA bundle under Advanced.",
        )
    if exc.tls_error is not None:
        return BackendUnavailable(
            "tls_failed",
            f"No secure connection could be made with {server} ({reason}). Check the address: "
            "https:// for a server with TLS, http:// for one without.",
        )
    what = "did not answer in time" if exc.timed_out else "could not be reached"
    return BackendUnavailable(
        "unreachable", f"The server at {server} {what}. Check the address and try again."
    )


def _refused(server: str, exc: ApiError) -> ServiceError:
    """An Agent Console server said no (problem+json with a code)."""
    if isinstance(exc, Unauthorized):
        return LoginFailed("unauthorized", "Wrong email or password.")
    if isinstance(exc, Forbidden):
        return LoginFailed(exc.code, exc.detail)
    if isinstance(exc, ValidationFailed):
        return LoginFailed(exc.code, f"The server refused the sign-in: {exc.detail}")
    if isinstance(exc, ServerError):
        return BackendUnavailable(
            exc.code, f"The server at {server} failed ({exc.status}). Try again later."
        )
    return BackendUnavailable(exc.code, f"Sign-in failed: {exc.detail}")


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
        self,
        server_url: str,
        email: str,
        password: str,
        *,
        profile: str | None = None,
        ca_bundle: str | None = None,
    ) -> LoginResult:
        """Get a token for `email` on `server_url` and remember it.

        `ca_bundle`: a PEM file of the CA(s) to trust for this server instead of the system's
        (a self-hosted backend). Raises InvalidServerAddress, LoginFailed (wrong email or
        password, rate-limited, not an Agent Console server, unusable CA bundle) or
        BackendUnavailable (unreachable, TLS failure, server error), each with `code` and a
        message for the user.
        """
        try:
            server = normalize_server_url(server_url)
        except ValueError as exc:
            raise InvalidServerAddress("invalid_server", str(exc)) from None
        who = normalize_email(email)
        if not who or not password:
            raise LoginFailed("validation_error", "Enter your email and password.")
        try:
            with ApiClient(server, timeout=self._timeout, ca_bundle=ca_bundle) as client:
                answer = client.login(who, password)
        except TlsSetupError as exc:
            raise LoginFailed("ca_bundle_invalid", str(exc)) from None
        except BackendUnreachable as exc:
            raise _unreachable(server, exc, ca_bundle) from None
        except RateLimited as exc:
            raise LoginRateLimited(exc.retry_after) from None
        except UnexpectedResponse:
            raise _not_console_server(server) from None
        except ApiError as exc:
            # 501 Not Implemented: the server has no sign-in to offer. An Agent Console server
            # implements every route the console calls, so it is some other web server.
            if not _is_problem(exc) or exc.status == 501:
                raise _not_console_server(server) from None
            raise _refused(server, exc) from None
        saved = self._store(server, who, answer.access_token)
        return LoginResult(
            server_url=server,
            email=who,
            user=answer.user,
            token=answer.access_token,
            cache_path=profile_cache_path(server, who, profile=profile),
            token_saved=saved,
            ca_bundle=ca_bundle or None,
        )

    def sign_out(
        self, server_url: str, email: str, token: str | None, *, ca_bundle: str | None = None
    ) -> SignOutResult:
        """Revoke `token` on the server (network: off the GUI thread), then forget it here.

        The local copy is deleted whatever the server says: signing out on this machine must
        never depend on the server being reachable.
        """
        server = normalize_server_url(server_url)
        revoked, problem, code = False, SignOutProblem.FAILED, ""
        try:
            if token:
                with ApiClient(server, token, timeout=self._timeout, ca_bundle=ca_bundle) as client:
                    client.revoke_token()
                revoked = True
        except Unauthorized:
            revoked = True  # the server no longer honours it: nothing left to revoke
        except BackendUnreachable as exc:
            problem = (
                SignOutProblem.UNREACHABLE if exc.tls_error is None else SignOutProblem.TLS_REFUSED
            )
        except (ApiError, TlsSetupError) as exc:
            code = str(getattr(exc, "code", type(exc).__name__))
        finally:
            self.forget(server, email)
        if revoked or not token:
            return SignOutResult(revoked=revoked, notice=None)
        log.warning(
            "sign-out: %s (%s) at %s; the token was not revoked there", problem, code, server
        )
        return SignOutResult(
            revoked=False,
            notice=Notice(
                level="warning",
                text=(
                    f"Signed out on this computer, but the server at {server} did not revoke "
                    f"the sign-in ({problem.value} {code}): it stays valid there until it "
                    "expires or an administrator revokes it."
                ),
                code=NoticeCode.SIGN_OUT_NOT_REVOKED,
                values=(("server", server), ("problem", problem.value), ("code", code)),
            ),
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
