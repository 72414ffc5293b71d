"""Helpers of the group chat, opt-out and access tests (shared backend: numbers never repeat)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import httpx

from tests.backend.conftest import page_all, wait_for


class PhonePool:
    """Fresh fictional 555-01xx numbers from area codes no other test module uses (never
    555-0190..0199: the simulator fails delivery to 0194..0198 on purpose)."""

    def __init__(self, *area_codes: str) -> None:
        self._numbers: Iterator[str] = (
            f"+1{area}55501{n:02d}" for area in area_codes for n in range(90)
        )

    def __call__(self) -> str:
        return next(self._numbers)


def new_contact(
    client: httpx.Client, *phones: str, name: str | None = None, **fields: Any
) -> dict[str, Any]:
    labels = ["primary", "secondary"]
    body = {
        "name": name or f"Person {uuid.uuid4().hex[:6]}",
        "phones": [{"number": p, "label": labels[min(i, 1)]} for i, p in enumerate(phones)],
        **fields,
    }
    response = client.post("/v1/contacts", json=body)
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


def create_chat(
    client: httpx.Client, number_id: str, people: list[tuple[dict[str, Any], str]],
    key: str | None = None,
) -> httpx.Response:
    headers = {"Idempotency-Key": key} if key else {}
    return client.post(
        "/v1/group-chats",
        json={"number_id": number_id,
              "participants": [{"contact_id": c["id"], "phone": p} for c, p in people]},
        headers=headers,
    )


def send(client: httpx.Client, conversation_id: str, body: str) -> httpx.Response:
    return client.post(
        f"/v1/conversations/{conversation_id}/messages", json={"body": body},
        headers={"Idempotency-Key": str(uuid.uuid4())},
    )


def inbound(client: httpx.Client, sender: str, to: list[str], body: str,
            key: str | None = None) -> httpx.Response:
    headers = {"Idempotency-Key": key} if key else {}
    return client.post(
        "/v1/simulator/inbound", json={"from": sender, "to": to, "body": body}, headers=headers
    )


def outbox(client: httpx.Client, to: str) -> list[dict[str, Any]]:
    return page_all(client, "/v1/simulator/outbox", limit=100, to=to)


def wait_outbox(client: httpx.Client, to: str, body: str, count: int = 1
                ) -> list[dict[str, Any]]:
    """The copies of `body` that reached `to`, once there are `count` of them."""
    def probe() -> list[dict[str, Any]] | None:
        found = [m for m in outbox(client, to) if m["body"] == body]
        return found if len(found) >= count else None

    return wait_for(probe, timeout=10)


def messages(client: httpx.Client, conversation_id: str) -> list[dict[str, Any]]:
    return page_all(client, f"/v1/conversations/{conversation_id}/messages", limit=100)


def wait_delivered(client: httpx.Client, conversation_id: str, message_id: str) -> None:
    def probe() -> bool:
        return any(m["id"] == message_id and m["status"] == "delivered"
                   for m in messages(client, conversation_id))

    wait_for(probe, timeout=10)
