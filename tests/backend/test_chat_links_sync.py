"""Links between group chats (`replaces` / `replaced_by`) as an assigned-only reader's sight of
the linked chat changes: a console syncing incrementally holds what a fresh full sync gives
(API.md, Sync), and both hold what a GET gives."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import httpx

from tests.backend.conftest import USER_ASSIGNED, Api, numbers_by_label, sync_all
from tests.backend.group_chat_support import PhonePool, create_chat, new_contact
from tests.backend.sse_client import open_stream

phone = PhonePool("367", "368")

People = list[tuple[dict[str, Any], str]]
Links = dict[str, tuple[str | None, str | None]]


def _people(api: Api, n: int, owner: str | None) -> People:
    fields = {"assigned_user_id": owner} if owner else {}
    contacts = [new_contact(api.admin, phone(), **fields) for _ in range(n)]
    return [(c, c["phones"][0]["number"]) for c in contacts]


def _replace(api: Api, number_id: str, people: People, replaces: str) -> dict[str, Any]:
    response = api.admin.post("/v1/group-chats", json={
        "number_id": number_id, "replaces": replaces,
        "participants": [{"contact_id": c["id"], "phone": p} for c, p in people],
    })
    assert response.status_code == 201, response.text
    data: dict[str, Any] = response.json()
    return data


def _assign(api: Api, contact: dict[str, Any], owner: str | None) -> None:
    response = api.admin.patch(f"/v1/contacts/{contact['id']}", json={"assigned_user_id": owner})
    assert response.status_code == 200, response.text


def _held(events: Iterable[dict[str, Any]], ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """The chats among `ids` a console holds after applying `events` in order, as it would."""
    held: dict[str, dict[str, Any]] = {}
    for event in events:
        if event["type"] == "conversation.upserted":
            held[event["data"]["id"]] = event["data"]
        elif event["type"] == "conversation.deleted":
            held.pop(event["data"]["id"], None)
    return {i: held[i] for i in ids if i in held}


def _links(chats: dict[str, dict[str, Any]]) -> Links:
    return {i: (c["replaces"], c["replaced_by"]) for i, c in chats.items()}


class _Console:
    """Diego's console: synced once, then only incrementally."""

    def __init__(self, client: httpx.Client) -> None:
        self.client = client
        self.events, self.cursor = sync_all(client)

    def catch_up(self) -> None:
        more, self.cursor = sync_all(self.client, self.cursor)
        self.events += more

    def held(self, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        return _held(self.events, ids)


def _assert_like_a_fresh_sync(console: _Console, ids: list[str]) -> Links:
    console.catch_up()
    incremental = console.held(ids)
    fresh = _held(sync_all(console.client)[0], ids)
    assert _links(incremental) == _links(fresh)
    assert incremental == fresh
    # ... and what a GET gives, for every chat held.
    for chat_id in fresh:
        got = console.client.get(f"/v1/conversations/{chat_id}").json()
        assert (got["replaces"], got["replaced_by"]) == _links(fresh)[chat_id]
    return _links(fresh)


def test_incremental_sync_follows_a_linked_chat_into_and_out_of_sight(api: Api) -> None:
    diego = api.me(USER_ASSIGNED)["id"]
    main = numbers_by_label(api.admin)["Main office"]["id"]
    (a, pa), (b, pb) = _people(api, 2, diego)
    (c, pc), = _people(api, 1, None)
    old = create_chat(api.admin, main, [(a, pa), (c, pc)]).json()
    new = _replace(api, main, [(a, pa), (b, pb)], replaces=old["id"])
    console = _Console(api.as_(USER_ASSIGNED))
    ids = [old["id"], new["id"]]
    assert _links(console.held(ids)) == {new["id"]: (None, None)}

    # The old chat comes into his sight: the new one now links to it, on his console too.
    _assign(api, c, diego)
    assert _assert_like_a_fresh_sync(console, ids) == {
        old["id"]: (None, new["id"]), new["id"]: (old["id"], None)}

    # ... and leaves it again: no link to a chat his console dropped.
    _assign(api, c, None)
    assert _assert_like_a_fresh_sync(console, ids) == {new["id"]: (None, None)}


def test_a_reader_sees_the_newest_replacement_they_may_see(api: Api) -> None:
    diego = api.me(USER_ASSIGNED)["id"]
    main = numbers_by_label(api.admin)["Main office"]["id"]
    as_diego = api.as_(USER_ASSIGNED)
    people = _people(api, 3, diego)
    old = create_chat(api.admin, main, people[:2]).json()
    first = _replace(api, main, [people[0], people[2]], replaces=old["id"])
    console = _Console(as_diego)
    since = console.cursor
    (x, px), = _people(api, 1, None)
    second = _replace(api, main, [people[0], (x, px)], replaces=old["id"])
    ids = [old["id"], first["id"], second["id"]]

    # The admin sees the newest; Diego, who may not see it, the one before.
    assert api.admin.get(f"/v1/conversations/{old['id']}").json()["replaced_by"] == second["id"]
    for path in (f"/v1/conversations/{old['id']}", f"/v1/group-chats/{old['id']}"):
        assert as_diego.get(path).json()["replaced_by"] == first["id"], path
    listed = as_diego.get("/v1/conversations", params={"kind": "group_sms", "limit": 500})
    for item in listed.json()["items"]:
        if item["id"] == old["id"]:
            assert item["replaced_by"] == first["id"]
    # The feed gives the same: /v1/sync (incremental and fresh) and /v1/events.
    links = _assert_like_a_fresh_sync(console, ids)
    assert links == {old["id"]: (None, first["id"]), first["id"]: (old["id"], None)}
    _, head = sync_all(as_diego, console.cursor)
    token = str(as_diego.headers["authorization"]).removeprefix("Bearer ")
    with open_stream(api.backend.url, token, since=since) as stream:
        stream.wait_until(lambda s: any(i.id == head for i in s.items), timeout=10)
        streamed = [{"type": e.event, "data": e.json()["data"]} for e in stream.events]
    assert _links(_held(streamed, [old["id"]])) == {old["id"]: (None, first["id"])}

    # The newest comes into his sight: his console moves the old chat's link to it.
    _assign(api, x, diego)
    assert _assert_like_a_fresh_sync(console, ids) == {
        old["id"]: (None, second["id"]), first["id"]: (old["id"], None),
        second["id"]: (old["id"], None)}
