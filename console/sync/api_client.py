"""A typed client for the backend routes the console uses, over ONE shared httpx.Client.

Creating an httpx.Client costs ~50 ms and a new connection each time (PERFORMANCE.md), so a
profile keeps one client with keep-alive for its whole life.
"""

from __future__ import annotations

import logging
import ssl
from collections.abc import Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from console import __version__ as console_version
from console.protocol.auth import TokenRequest, TokenResponse, User
from console.protocol.common import IDEMPOTENCY_HEADER, Page
from console.protocol.contact_imports import ContactImport
from console.protocol.contacts import Contact
from console.protocol.conversations import (
    Conversation,
    Message,
    MessageCreate,
    NoteCreate,
    ReadMark,
)
from console.protocol.group_chats import DndChange
from console.protocol.group_message_recipients import GroupMessageRecipient
from console.protocol.groups import Group
from console.protocol.numbers import BusinessNumber
from console.protocol.quiet_hours import QuietHours
from console.protocol.scheduled import ScheduledSend
from console.protocol.sync import SyncPage
from console.protocol.templates import Template
from console.sync.errors import (
    ApiError,
    BackendUnreachable,
    Conflict,
    CursorInvalid,
    Forbidden,
    NotFound,
    RateLimited,
    ServerError,
    TlsSetupError,
    Unauthorized,
    UnexpectedResponse,
    ValidationFailed,
)

log = logging.getLogger("console.sync.http")

M = TypeVar("M", bound=BaseModel)

# Per socket operation, not per request: a slow but moving download is fine. Short enough that
# a backend that accepts and then hangs is reported (and a closing engine is freed) quickly.
DEFAULT_TIMEOUT = httpx.Timeout(5.0, connect=3.0)
# A 20,000-row import (or its undo) is one transaction of seconds on the server: waiting only
# the usual 5 s would retry, and so replay, a request that is merely slow.
BULK_TIMEOUT = httpx.Timeout(120.0, connect=3.0)
_BY_STATUS: dict[int, type[ApiError]] = {
    401: Unauthorized,
    403: Forbidden,
    404: NotFound,
    409: Conflict,
    422: ValidationFailed,
}


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def tls_verify(ca_bundle: str | None) -> ssl.SSLContext | bool:
    """What httpx `verify=` gets: True (the default trusted CAs) or a context trusting exactly
    the PEM bundle at `ca_bundle` (a self-hosted backend's own CA). Raises TlsSetupError."""
    if not ca_bundle:
        return True
    path = Path(ca_bundle).expanduser()
    try:
        return ssl.create_default_context(cafile=str(path))
    except ssl.SSLError:
        raise TlsSetupError(f"{path} does not hold PEM certificates.") from None
    except OSError as exc:
        raise TlsSetupError(f"The CA bundle {path} cannot be read ({exc.strerror}).") from None


def tls_failure(exc: BaseException) -> tuple[str, str] | None:
    """("untrusted" | "handshake", reason) when `exc` was caused by a failed TLS handshake."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, ssl.SSLCertVerificationError):
            return "untrusted", str(current.verify_message or current.reason or current)
        if isinstance(current, ssl.SSLError):
            return "handshake", str(current.reason or current)
        current = current.__cause__ or current.__context__
    return None


def error_from_response(response: httpx.Response) -> ApiError:
    """Map a non-2xx response (problem+json or not) to its typed error."""
    status = response.status_code
    code, title, detail = "", response.reason_phrase, ""
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, Mapping):
        code = str(body.get("code") or "")
        title = str(body.get("title") or title)
        raw_detail = body.get("detail")
        detail = raw_detail if isinstance(raw_detail, str) else ""
    if status == 429:
        return RateLimited(
            code or "rate_limited", status, detail, title, retry_after=_retry_after(response)
        )
    if status >= 500:
        return ServerError(
            code or "server_error",
            status,
            detail or f"Server error {status}",
            title,
            retry_after=_retry_after(response),
        )
    if code == "cursor_invalid" or status == 410:
        return CursorInvalid(code or "cursor_invalid", status, detail, title)
    cls = _BY_STATUS.get(status, ApiError)
    return cls(code or f"http_{status}", status, detail, title)


class ApiClient:
    """Typed calls to the backend. Thread-safe (httpx.Client is); one per profile."""

    def __init__(
        self,
        base_url: str,
        token: str | None = None,
        *,
        timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
        transport: httpx.BaseTransport | None = None,
        ca_bundle: str | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.ca_bundle = ca_bundle
        # Other httpx clients of this profile (e.g. a streaming one) pass this as `verify=`.
        self.verify = tls_verify(ca_bundle)
        self._http = httpx.Client(
            base_url=self.base_url,
            timeout=timeout,
            transport=transport,
            verify=self.verify,
            headers={"User-Agent": f"agent-console/{console_version}"},
            limits=httpx.Limits(max_connections=4, max_keepalive_connections=2),
        )
        self._token: str | None = None
        self.set_token(token)

    def set_token(self, token: str | None) -> None:
        self._token = token
        if token:
            self._http.headers["Authorization"] = f"Bearer {token}"
        else:
            self._http.headers.pop("Authorization", None)

    @property
    def has_token(self) -> bool:
        return bool(self._token)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> ApiClient:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # -- plumbing -------------------------------------------------------------------------

    def _request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: httpx.Timeout | None = None,
    ) -> httpx.Response:
        clean_params = {k: v for k, v in (params or {}).items() if v is not None}
        try:
            response = self._http.request(
                method, path, json=json, params=clean_params or None, headers=headers,
                timeout=timeout if timeout is not None else httpx.USE_CLIENT_DEFAULT,
            )
        except httpx.TimeoutException as exc:
            raise BackendUnreachable(
                f"The backend at {self.base_url} did not answer in time.", timed_out=True
            ) from exc
        except httpx.TransportError as exc:
            tls = tls_failure(exc)
            if tls is not None:
                raise BackendUnreachable(
                    f"TLS with the backend at {self.base_url} failed: {tls[1]}.", tls_error=tls[0]
                ) from exc
            raise BackendUnreachable(
                f"Cannot reach the backend at {self.base_url} ({type(exc).__name__})."
            ) from exc
        if response.status_code >= 400:
            error = error_from_response(response)
            log.debug("%s %s -> %s %s", method, path, error.status, error.code)
            raise error
        return response

    @staticmethod
    def _parse(model: type[M], response: httpx.Response) -> M:
        try:
            return model.model_validate(response.json())
        except (ValueError, ValidationError) as exc:
            raise UnexpectedResponse(
                "unexpected_response",
                response.status_code,
                f"The backend answered {response.request.url.path} with data this console "
                f"does not understand.",
            ) from exc

    # -- routes ---------------------------------------------------------------------------

    def health(self) -> bool:
        return self._request("GET", "/healthz").status_code == 200

    def login(self, email: str, password: str) -> TokenResponse:
        body = TokenRequest(email=email, password=password).model_dump()
        return self._parse(TokenResponse, self._request("POST", "/v1/auth/token", json=body))

    def revoke_token(self) -> None:
        self._request("DELETE", "/v1/auth/token")

    def me(self) -> User:
        return self._parse(User, self._request("GET", "/v1/me"))

    def numbers(self) -> list[BusinessNumber]:
        return self._all_pages(BusinessNumber, "/v1/numbers", {})

    def contacts(
        self, q: str | None = None, *, limit: int | None = None, cursor: str | None = None
    ) -> Page[Contact]:
        response = self._request(
            "GET", "/v1/contacts", params={"q": q, "limit": limit, "cursor": cursor}
        )
        return self._parse(Page[Contact], response)

    def conversations(
        self, kind: str | None = None, *, limit: int | None = None, cursor: str | None = None
    ) -> Page[Conversation]:
        response = self._request(
            "GET", "/v1/conversations", params={"kind": kind, "limit": limit, "cursor": cursor}
        )
        return self._parse(Page[Conversation], response)

    def messages(
        self, conversation_id: str, *, before: str | None = None, limit: int | None = None
    ) -> Page[Message]:
        response = self._request(
            "GET",
            f"/v1/conversations/{conversation_id}/messages",
            params={"before": before, "limit": limit},
        )
        return self._parse(Page[Message], response)

    def post_message(
        self, conversation_id: str, body: str, idempotency_key: str,
        *, quiet_hours_override: bool = False,
    ) -> Message:
        """Send a message; repeating it with the same key returns the first result.
        `quiet_hours_override`: sent although a recipient is outside quiet hours (recorded)."""
        create = MessageCreate(body=body, quiet_hours_override=quiet_hours_override)
        response = self._request(
            "POST",
            f"/v1/conversations/{conversation_id}/messages",
            json=create.model_dump(exclude_defaults=True),
            headers={IDEMPOTENCY_HEADER: idempotency_key},
        )
        return self._parse(Message, response)

    def post_note(self, conversation_id: str, body: str, idempotency_key: str) -> Message:
        """Add an internal note (a Message with `note` true, sent to nobody); repeating it
        with the same key returns the first result."""
        response = self._request(
            "POST",
            f"/v1/conversations/{conversation_id}/notes",
            json=NoteCreate(body=body).model_dump(),
            headers={IDEMPOTENCY_HEADER: idempotency_key},
        )
        return self._parse(Message, response)

    def mark_read(self, conversation_id: str) -> ReadMark:
        response = self._request("POST", f"/v1/conversations/{conversation_id}/read")
        return self._parse(ReadMark, response)

    def mark_unread(self, conversation_id: str) -> ReadMark:
        """Unread count at least 1 (the user's "Mark as unread"); idempotent."""
        response = self._request("POST", f"/v1/conversations/{conversation_id}/unread")
        return self._parse(ReadMark, response)

    def resolve_opt_out(
        self, conversation_id: str, *, confirm: bool, message_id: str | None,
        idempotency_key: str,
    ) -> Conversation:
        """Confirm (DND on, audited as this user) or dismiss the suspected opt-out on
        `message_id` (None: the conversation's open one); the conversation as it is now.
        NotFound when that flag is no longer open (the person texted STOP, a colleague
        answered it); a retry under the same key replays the first answer."""
        action = "confirm" if confirm else "dismiss"
        response = self._request(
            "POST",
            f"/v1/conversations/{conversation_id}/opt-out/{action}",
            json={"message_id": message_id} if message_id else None,
            headers={IDEMPOTENCY_HEADER: idempotency_key},
        )
        return self._parse(Conversation, response)

    # Outbox writes (console/sync/pusher.py): each carries the item's Idempotency-Key.

    def schedule_message(
        self, conversation_id: str, body: str, send_at: datetime, idempotency_key: str
    ) -> ScheduledSend:
        """Keep a message for the backend to send at `send_at` (aware); a retry under the
        same key answers the first schedule."""
        response = self._request(
            "POST",
            f"/v1/conversations/{conversation_id}/messages",
            json=MessageCreate(body=body, send_at=send_at).model_dump(mode="json"),
            headers={IDEMPOTENCY_HEADER: idempotency_key},
        )
        return self._parse(ScheduledSend, response)

    def schedule_group_message(
        self, group_id: str, sender_user_id: str, title: str, body: str, send_at: datetime,
        idempotency_key: str, *, merge_fields: bool = False,
    ) -> ScheduledSend:
        """Keep a group message for the backend to send at `send_at` to the group's members
        of that moment."""
        response = self._request(
            "POST",
            "/v1/group-messages",
            json={
                "group_id": group_id, "sender_user_id": sender_user_id, "title": title,
                "body": body, "send_at": send_at.isoformat(),
                **({"merge_fields": True} if merge_fields else {}),
            },
            headers={IDEMPOTENCY_HEADER: idempotency_key},
        )
        return self._parse(ScheduledSend, response)

    def edit_scheduled(self, scheduled_id: str, patch: Mapping[str, Any]) -> ScheduledSend:
        """New text and/or time while it waits; 409 not_cancellable once it went or failed.
        Repeating it changes nothing more (the same patch)."""
        response = self._request("PATCH", f"/v1/scheduled/{scheduled_id}", json=dict(patch))
        return self._parse(ScheduledSend, response)

    def cancel_scheduled(self, scheduled_id: str) -> ScheduledSend:
        """Cancel it while it waits (again: the same answer); 409 once it went or failed."""
        response = self._request("DELETE", f"/v1/scheduled/{scheduled_id}")
        return self._parse(ScheduledSend, response)

    def create_template(
        self, name: str, body: str, *, shared: bool, idempotency_key: str
    ) -> Template:
        """A new template; a retry under the same key answers the first one."""
        response = self._request(
            "POST",
            "/v1/templates",
            json={"name": name, "body": body, "shared": shared},
            headers={IDEMPOTENCY_HEADER: idempotency_key},
        )
        return self._parse(Template, response)

    def edit_template(self, template_id: str, patch: Mapping[str, Any]) -> Template:
        """New name, words or sharing; the same PATCH twice changes nothing more."""
        response = self._request("PATCH", f"/v1/templates/{template_id}", json=dict(patch))
        return self._parse(Template, response)

    def delete_template(self, template_id: str) -> None:
        """Soft delete; a second DELETE of the same template answers 404 (it is gone)."""
        self._request("DELETE", f"/v1/templates/{template_id}")

    def create_contact_import(
        self, source: str, rows: list[dict[str, Any]], idempotency_key: str
    ) -> ContactImport:
        """Many contacts in one request; a retry under the same key answers the first one."""
        response = self._request(
            "POST",
            "/v1/contact-imports",
            json={"source": source, "rows": rows},
            headers={IDEMPOTENCY_HEADER: idempotency_key},
            timeout=BULK_TIMEOUT,
        )
        return self._parse(ContactImport, response)

    def undo_contact_import(self, import_id: str) -> ContactImport:
        """Delete every contact it made that is still live; 409 already_undone again."""
        response = self._request(
            "DELETE", f"/v1/contact-imports/{import_id}", timeout=BULK_TIMEOUT
        )
        return self._parse(ContactImport, response)

    def patch_number(self, number_id: str, patch: Mapping[str, Any]) -> BusinessNumber:
        """An admin's change to a number (its opt-out hint); the same PATCH twice is one."""
        response = self._request("PATCH", f"/v1/numbers/{number_id}", json=dict(patch))
        return self._parse(BusinessNumber, response)

    def set_quiet_state(self, state: str, start: str, end: str) -> QuietHours:
        """A state's own quiet hours window ("HH:MM" each); the whole rules come back."""
        response = self._request(
            "PUT", f"/v1/quiet-hours/states/{state}", json={"start": start, "end": end}
        )
        return self._parse(QuietHours, response)

    def clear_quiet_state(self, state: str) -> QuietHours:
        """The state back to the default window (again: the same answer)."""
        response = self._request("DELETE", f"/v1/quiet-hours/states/{state}")
        return self._parse(QuietHours, response)

    def patch_contact(
        self, contact_id: str, patch: Mapping[str, Any], idempotency_key: str
    ) -> Contact:
        response = self._request(
            "PATCH",
            f"/v1/contacts/{contact_id}",
            json=dict(patch),
            headers={IDEMPOTENCY_HEADER: idempotency_key},
        )
        return self._parse(Contact, response)

    def create_contact(self, body: Mapping[str, Any], idempotency_key: str) -> Contact:
        response = self._request(
            "POST", "/v1/contacts", json=dict(body), headers={IDEMPOTENCY_HEADER: idempotency_key}
        )
        return self._parse(Contact, response)

    def delete_contact(self, contact_id: str, idempotency_key: str) -> None:
        """Soft delete; a second DELETE of the same contact answers 404 (it is gone)."""
        self._request(
            "DELETE", f"/v1/contacts/{contact_id}", headers={IDEMPOTENCY_HEADER: idempotency_key}
        )

    def create_group_chat(
        self,
        number_id: str,
        participants: list[dict[str, str]],
        idempotency_key: str,
        *,
        replaces: str | None = None,
    ) -> Conversation:
        body: dict[str, Any] = {"number_id": number_id, "participants": participants}
        if replaces is not None:
            body["replaces"] = replaces  # the chat it is started instead of
        response = self._request(
            "POST",
            "/v1/group-chats",
            json=body,
            headers={IDEMPOTENCY_HEADER: idempotency_key},
        )
        return self._parse(Conversation, response)

    def create_group(self, name: str, description: str, idempotency_key: str) -> Group:
        """A new audience group; a replay with the same key returns the first one."""
        response = self._request(
            "POST",
            "/v1/groups",
            json={"name": name, "description": description},
            headers={IDEMPOTENCY_HEADER: idempotency_key},
        )
        return self._parse(Group, response)

    def patch_group(self, group_id: str, patch: Mapping[str, str]) -> Group:
        """Rename (and/or re-describe) a group; the same PATCH twice changes nothing more."""
        response = self._request("PATCH", f"/v1/groups/{group_id}", json=dict(patch))
        return self._parse(Group, response)

    def delete_group(self, group_id: str) -> None:
        """Soft delete; a second DELETE of the same group answers 404 (it is gone)."""
        self._request("DELETE", f"/v1/groups/{group_id}")

    def set_group_member(
        self, group_id: str, contact_id: str, *, member: bool, idempotency_key: str
    ) -> None:
        """PUT (member=True) or DELETE one membership; both are idempotent by nature."""
        self._request(
            "PUT" if member else "DELETE",
            f"/v1/groups/{group_id}/members/{contact_id}",
            headers={IDEMPOTENCY_HEADER: idempotency_key},
        )

    def post_group_message(
        self, group_id: str, sender_user_id: str, title: str, body: str, idempotency_key: str,
        *, merge_fields: bool = False, quiet_hours_override: bool = False,
    ) -> dict[str, Any]:
        """Send it now; `merge_fields`: each recipient's copy gets their own first name etc.;
        `quiet_hours_override`: sent although the agent was told of quiet hours (recorded)."""
        response = self._request(
            "POST",
            "/v1/group-messages",
            json={
                "group_id": group_id,
                "sender_user_id": sender_user_id,
                "title": title,
                "body": body,
                **({"merge_fields": True} if merge_fields else {}),
                **({"quiet_hours_override": True} if quiet_hours_override else {}),
            },
            headers={IDEMPOTENCY_HEADER: idempotency_key},
        )
        try:
            data = response.json()
        except ValueError:
            data = None
        if not isinstance(data, dict) or not isinstance(data.get("id"), str):
            raise UnexpectedResponse(
                "unexpected_response", response.status_code, "The group message answer has no id."
            )
        return data

    def group_message_recipients(self, group_message_id: str) -> list[GroupMessageRecipient]:
        """Everyone a group message went to (the members when it was sent), with delivery,
        read, replied and the email / push outcome; every page, 500 at a time."""
        return self._all_pages(
            GroupMessageRecipient,
            f"/v1/group-messages/{group_message_id}/recipients",
            {"limit": 500},
        )

    def dnd_history(self, contact_id: str) -> list[DndChange]:
        """Every Do Not Disturb change of a contact, newest first (with the words the person
        sent, their number and the agent's name, from servers that fill them); every page."""
        return self._all_pages(DndChange, f"/v1/contacts/{contact_id}/dnd-history", {"limit": 500})

    def sync(self, since: str | None = None, *, limit: int | None = None) -> SyncPage:
        response = self._request("GET", "/v1/sync", params={"since": since, "limit": limit})
        return self._parse(SyncPage, response)

    def open_stream(
        self,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        read_timeout: float | None = None,
    ) -> httpx.Response:
        """A streaming GET (server-sent events) on the shared client; the caller iterates the
        body and closes the response. `read_timeout` bounds the quiet between two reads (None:
        unbounded). Failures raise as for any call; an error's body is read first."""
        clean_params = {k: v for k, v in (params or {}).items() if v is not None}
        base = self._http.timeout
        timeout = httpx.Timeout(
            connect=base.connect, read=read_timeout, write=base.write, pool=base.pool
        )
        request = self._http.build_request(
            "GET", path, params=clean_params or None, headers=headers, timeout=timeout
        )
        try:
            response = self._http.send(request, stream=True)
            if response.status_code >= 400:
                try:
                    response.read()
                finally:
                    response.close()
        except httpx.TimeoutException as exc:
            raise BackendUnreachable(
                f"The backend at {self.base_url} did not answer in time.", timed_out=True
            ) from exc
        except httpx.TransportError as exc:
            tls = tls_failure(exc)
            raise BackendUnreachable(
                f"Cannot reach the backend at {self.base_url} ({type(exc).__name__}).",
                tls_error=tls[0] if tls else None,
            ) from exc
        if response.status_code >= 400:
            error = error_from_response(response)
            log.debug("GET %s (stream) -> %s %s", path, error.status, error.code)
            raise error
        return response

    def _all_pages(self, model: type[M], path: str, params: dict[str, Any]) -> list[M]:
        items: list[M] = []
        cursor: str | None = None
        while True:
            response = self._request("GET", path, params={**params, "cursor": cursor})
            page = self._parse(Page[model], response)  # type: ignore[valid-type]
            items.extend(page.items)
            if not page.next_cursor or page.next_cursor == cursor:
                return items
            cursor = page.next_cursor
