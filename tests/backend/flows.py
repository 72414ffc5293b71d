"""Scenarios run against more than one database (SQLite always, PostgreSQL when available)."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx

from tests.backend.conftest import sync_all, wait_for


def open_thread(client: httpx.Client, phone: str) -> str:
    numbers = client.get("/v1/numbers").json()["items"]
    main = next(n for n in numbers if n["is_default"])
    contact = client.post(
        "/v1/contacts", json={"name": f"Busy {uuid.uuid4().hex[:6]}", "phones": [{"number": phone}]}
    ).json()
    response = client.post(
        "/v1/conversations",
        json={"kind": "direct", "contact_id": contact["id"], "phone": phone,
              "number_id": main["id"]},
    )
    assert response.status_code == 201, response.text
    conversation_id: str = response.json()["id"]
    return conversation_id


def concurrent_sends_are_exactly_once_and_the_feed_has_no_gaps(
    make_client: Any, phone: str
) -> None:
    """Many clients at once: one key sent by 6 of them, plus 24 distinct sends."""
    clients: list[httpx.Client] = [make_client() for _ in range(6)]
    try:
        conversation_id = open_thread(clients[0], phone)
        _, cursor = sync_all(clients[0])
        path = f"/v1/conversations/{conversation_id}/messages"
        shared_key = str(uuid.uuid4())

        def send(job: tuple[int, str, str]) -> tuple[int, str]:
            index, key, body = job
            response = clients[index % len(clients)].post(
                path, json={"body": body}, headers={"Idempotency-Key": key}
            )
            assert response.status_code in (200, 201), response.text
            return response.status_code, response.json()["id"]

        jobs = [(i, shared_key, "same text") for i in range(6)]
        jobs += [(i, str(uuid.uuid4()), f"distinct {i}") for i in range(24)]
        with ThreadPoolExecutor(max_workers=12) as pool:
            results = list(pool.map(send, jobs))
        shared_ids = {message_id for _, message_id in results[:6]}
        assert len(shared_ids) == 1
        distinct_ids = {message_id for _, message_id in results[6:]}
        assert len(distinct_ids) == 24

        all_ids = shared_ids | distinct_ids
        history = clients[0].get(path, params={"limit": 100}).json()["items"]
        assert {m["id"] for m in history} == all_ids

        def everything_delivered() -> list[dict[str, Any]] | None:
            events, _ = sync_all(clients[0], cursor)
            delivered = {e["data"]["id"] for e in events if e["type"] == "message.upserted"
                         and e["data"]["status"] == "delivered"}
            return events if delivered >= all_ids else None

        events = wait_for(everything_delivered, timeout=15)
        seqs = [e["seq"] for e in events]
        assert seqs == sorted(set(seqs))
        per_message: dict[str, list[str]] = {}
        for event in events:
            # (Messages of earlier tests may still be moving: look at ours only.)
            if event["type"] == "message.upserted" and event["data"]["id"] in all_ids:
                per_message.setdefault(event["data"]["id"], []).append(event["data"]["status"])
        # Every step of every message, each once, in order: nothing skipped, nothing doubled.
        assert set(per_message) == all_ids
        assert all(s == ["queued", "sent", "delivered"] for s in per_message.values())
        outbox = clients[0].get("/v1/simulator/outbox", params={"to": phone, "limit": 100})
        assert len(outbox.json()["items"]) == len(all_ids)
    finally:
        for client in clients:
            client.close()


def group_chat_fan_out_stop_and_start(client: httpx.Client, phones: list[str]) -> None:
    """A group chat of three (`phones`, fresh numbers): outbound and inbound fan-out, a STOP
    that blocks it with one confirmation, a START that unblocks it."""
    main = next(n for n in client.get("/v1/numbers").json()["items"] if n["is_default"])
    people = []
    for number in phones:
        response = client.post("/v1/contacts", json={"name": f"Flow {number[-4:]}",
                                                     "phones": [{"number": number}]})
        assert response.status_code == 201, response.text
        people.append(response.json())
    created = client.post(
        "/v1/group-chats",
        json={"number_id": main["id"],
              "participants": [{"contact_id": c["id"], "phone": p}
                               for c, p in zip(people, phones, strict=True)]},
        headers={"Idempotency-Key": str(uuid.uuid4())},
    )
    assert created.status_code == 201, created.text
    chat = created.json()

    def copies(to: str, body: str) -> list[dict[str, Any]]:
        items = client.get("/v1/simulator/outbox", params={"to": to, "limit": 500}).json()
        return [m for m in items["items"] if m["body"] == body]

    sent = client.post(f"/v1/conversations/{chat['id']}/messages", json={"body": "Hello all"},
                       headers={"Idempotency-Key": str(uuid.uuid4())})
    assert sent.status_code == 201, sent.text
    def arrived(to: str, body: str) -> list[dict[str, Any]]:
        return wait_for(lambda: copies(to, body), timeout=10)

    for number in phones:
        assert len(arrived(number, "Hello all")) == 1
    reply = client.post("/v1/simulator/inbound",
                        json={"from": phones[0], "to": [main["e164"], *phones[1:]],
                              "body": "Sounds good"})
    assert reply.json()["conversation_id"] == chat["id"], reply.text
    for number in phones[1:]:
        assert len(arrived(number, "Sounds good")) == 1
    assert copies(phones[0], "Sounds good") == []

    client.post("/v1/simulator/inbound",
                json={"from": phones[2], "to": [main["e164"], *phones[:2]], "body": "stop"})
    blocked = client.get(f"/v1/group-chats/{chat['id']}").json()
    assert blocked["status"] == "blocked"
    assert people[2]["name"] in blocked["blocked_reason"]
    refused = client.post(f"/v1/conversations/{chat['id']}/messages", json={"body": "x"})
    assert refused.status_code == 409
    assert refused.json()["code"] == "group_chat_blocked"
    confirmations = wait_for(
        lambda: [m for m in client.get("/v1/simulator/outbox", params={"to": phones[2]})
                 .json()["items"] if m["conversation_id"] != chat["id"]], timeout=10)
    assert len(confirmations) == 1
    client.post("/v1/simulator/inbound",
                json={"from": phones[2], "to": [main["e164"], *phones[:2]], "body": "START"})
    assert client.get(f"/v1/group-chats/{chat['id']}").json()["status"] == "active"
    history = client.get(f"/v1/contacts/{people[2]['id']}/dnd-history").json()["items"]
    assert [(h["new_dnd"], h["source"]) for h in history] == [
        (False, "inbound_keyword"), (True, "inbound_keyword"),
    ]
