"""The typed client against the real backend: typed results, typed errors, one connection."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import httpx
import pytest

from console.protocol.demo import DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD
from console.sync.api_client import ApiClient, error_from_response
from console.sync.errors import (
    ApiError,
    BackendUnreachable,
    CursorInvalid,
    NotFound,
    RateLimited,
    ServerError,
    Unauthorized,
    ValidationFailed,
)
from tests.support.backend_process import BackendProcess


@pytest.fixture
def client(demo_backend: BackendProcess, admin_token: str) -> Iterator[ApiClient]:
    with ApiClient(demo_backend.url, admin_token) as api:
        yield api


def test_typed_reads(client: ApiClient) -> None:
    me = client.me()
    assert me.email == DEMO_ADMIN_EMAIL
    assert me.role == "admin"
    numbers = client.numbers()
    assert sum(n.is_default for n in numbers) == 1
    assert all(n.e164.startswith("+") for n in numbers)
    conversations = client.conversations(limit=5)
    assert 0 < len(conversations.items) <= 5
    messages = client.messages(conversations.items[0].id, limit=3)
    assert all(m.conversation_id == conversations.items[0].id for m in messages.items)
    contacts = client.contacts(limit=500)
    assert len(contacts.items) >= 30
    first = client.sync(limit=10)
    assert len(first.events) == 10
    assert first.has_more
    second = client.sync(first.next, limit=10)
    assert second.events[0].seq > first.events[-1].seq


def test_login_and_revoke(demo_backend: BackendProcess) -> None:
    with ApiClient(demo_backend.url) as api:
        answer = api.login(DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD)
        assert answer.user.email == DEMO_ADMIN_EMAIL
        api.set_token(answer.access_token)
        assert api.me().id == answer.user.id
        api.revoke_token()
        with pytest.raises(Unauthorized) as caught:
            api.me()
    assert (caught.value.code, caught.value.status) == ("unauthorized", 401)


def test_problem_json_becomes_typed_errors(client: ApiClient, demo_backend: BackendProcess) -> None:
    with pytest.raises(NotFound) as not_found:
        client.messages("cnv_does_not_exist")
    assert (not_found.value.code, not_found.value.status) == ("not_found", 404)
    assert not_found.value.detail
    with pytest.raises(CursorInvalid) as gone:
        client.sync("garbage-cursor")
    assert (gone.value.code, gone.value.status) == ("cursor_invalid", 410)
    with pytest.raises(ValidationFailed) as invalid:
        client.conversations(limit=100000)
    assert invalid.value.status == 422
    assert invalid.value.code == "validation_error"
    with ApiClient(demo_backend.url, "not-a-token") as stranger, pytest.raises(Unauthorized):
        stranger.me()


def test_idempotent_post_returns_the_first_result(fresh_backend: BackendProcess) -> None:
    token = fresh_backend.login(DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD)
    client = ApiClient(fresh_backend.url, token)
    conversation = client.conversations(kind="direct", limit=1).items[0]
    key = str(uuid.uuid4())
    first = client.post_message(conversation.id, "idempotent hello", key)
    again = client.post_message(conversation.id, "idempotent hello", key)
    assert again.id == first.id
    assert again.client_key == key
    assert client.mark_read(conversation.id).unread_count == 0
    client.close()


def test_unreachable_backend() -> None:
    with ApiClient("http://127.0.0.1:9", "t") as api, pytest.raises(BackendUnreachable) as caught:
        api.me()
    assert not caught.value.timed_out
    assert "127.0.0.1:9" in caught.value.detail


def test_one_connection_is_reused(demo_backend: BackendProcess, admin_token: str) -> None:
    opened: list[object] = []

    class CountingTransport(httpx.HTTPTransport):  # a real transport that counts connects
        def handle_request(self, request: httpx.Request) -> httpx.Response:
            before = len(self._pool.connections)
            response = super().handle_request(request)
            if len(self._pool.connections) > before:
                opened.append(request.url.path)
            return response

    with ApiClient(demo_backend.url, admin_token, transport=CountingTransport()) as api:
        for _ in range(20):
            api.me()
    assert len(opened) == 1


@pytest.mark.parametrize(
    ("status", "headers", "body", "kind", "code"),
    [
        (
            429,
            {"Retry-After": "7"},
            {"code": "rate_limited", "title": "Slow down"},
            RateLimited,
            "rate_limited",
        ),
        (503, {"Retry-After": "120"}, None, ServerError, "server_error"),
        (502, {}, None, ServerError, "server_error"),
        (
            500,
            {},
            {"code": "internal", "title": "Oops", "detail": "db gone"},
            ServerError,
            "internal",
        ),
        (418, {}, "not json", ApiError, "http_418"),
    ],
)
def test_error_mapping_of_other_answers(
    status: int, headers: dict[str, str], body: object, kind: type[ApiError], code: str
) -> None:
    request = httpx.Request("GET", "http://backend/v1/me")
    if isinstance(body, dict):
        response = httpx.Response(status, headers=headers, json=body, request=request)
    else:
        response = httpx.Response(status, headers=headers, text=str(body), request=request)
    error = error_from_response(response)
    assert type(error) is kind
    assert error.code == code
    assert error.status == status
    assert error.detail
    # Retry-After is honoured wherever the server sends it: a 429, or a 503 in maintenance.
    expected = float(headers["Retry-After"]) if "Retry-After" in headers else None
    assert error.retry_after == expected
