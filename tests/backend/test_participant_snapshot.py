"""`Updated` means the contact's name or numbers changed since the chat was made (issue 10), and
a link to another chat (`replaces` / `replaced_by`) is shown only to readers who may see it."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import httpx

from tests.backend.conftest import USER_ASSIGNED, Api, numbers_by_label, sync_all
from tests.backend.group_chat_support import PhonePool, create_chat, new_contact
from tests.backend.sse_client import open_stream

phone = PhonePool("361", "362")


def _participant(client: httpx.Client, chat_id: str, contact_id: str) -> dict[str, Any]:
    response = client.get(f"/v1/group-chats/{chat_id}")
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = [
        p for p in response.json()["participants"] if p["contact_id"] == contact_id
    ]
    assert len(found) == 1
    return found[0]


def _patch(client: httpx.Client, contact_id: str, **fields: Any) -> None:
    response = client.patch(f"/v1/contacts/{contact_id}", json=fields)
    assert response.status_code == 200, response.text


def test_a_rename_or_another_number_tags_the_participant_updated(api: Api) -> None:
    main = numbers_by_label(api.admin)["Main office"]["id"]
    maria = new_contact(api.admin, phone(), phone(), name="Maria Lopez")
    james = new_contact(api.admin, phone(), name="James Whitaker")
    lily = new_contact(api.admin, phone(), name="Lily Chen")
    maria_first = maria["phones"][0]["number"]
    chat = create_chat(api.admin, main, [(maria, maria_first),
                                         (james, james["phones"][0]["number"]),
                                         (lily, lily["phones"][0]["number"])])
    assert chat.status_code == 201, chat.text
    chat_id = chat.json()["id"]
    created = {p["contact_id"]: p for p in chat.json()["participants"]}
    # The contact as it was then travels with each participant.
    assert created[maria["id"]]["name_then"] == "Maria Lopez"
    assert created[maria["id"]]["phones_then"] == [p["number"] for p in maria["phones"]]
    assert all(p["tags"] == [] for p in created.values())

    # An edit that touches neither name nor numbers changes nothing.
    _patch(api.admin, maria["id"], email="maria@example.com")
    assert _participant(api.admin, chat_id, maria["id"])["tags"] == []

    # A rename: Updated, though the number the chat texts is still hers.
    _patch(api.admin, maria["id"], name="Maria Gonzalez")
    renamed = _participant(api.admin, chat_id, maria["id"])
    assert renamed["tags"] == ["updated"]
    assert (renamed["name"], renamed["name_then"]) == ("Maria Gonzalez", "Maria Lopez")
    # Named as she was again: nothing changed since the chat was made.
    _patch(api.admin, maria["id"], name="Maria Lopez")
    assert _participant(api.admin, chat_id, maria["id"])["tags"] == []

    # James gets a secondary number (his primary, the chat's, stays): Updated.
    james_first = james["phones"][0]["number"]
    _patch(api.admin, james["id"], phones=[{"number": james_first, "label": "primary"},
                                           {"number": phone(), "label": "secondary"}])
    assert _participant(api.admin, chat_id, james["id"])["tags"] == ["updated"]

    # Maria's secondary number changes (the chat uses her primary): Updated.
    _patch(api.admin, maria["id"], phones=[{"number": maria_first, "label": "primary"},
                                           {"number": phone(), "label": "secondary"}])
    now = _participant(api.admin, chat_id, maria["id"])
    assert now["tags"] == ["updated"]
    assert now["phone"] == maria_first

    # Lily untouched; the list and the feed say the same.
    assert _participant(api.admin, chat_id, lily["id"])["tags"] == []
    events, _ = sync_all(api.admin)
    last = [e["data"] for e in events
            if e["type"] == "conversation.upserted" and e["data"]["id"] == chat_id][-1]
    tags = {p["contact_id"]: p["tags"] for p in last["participants"]}
    assert tags == {maria["id"]: ["updated"], james["id"]: ["updated"], lily["id"]: []}


def _own(api: Api, user_id: str, n: int, assigned: bool = True) -> list[tuple[dict[str, Any], str]]:
    fields = {"assigned_user_id": user_id} if assigned else {}
    people = [new_contact(api.admin, phone(), **fields) for _ in range(n)]
    return [(c, c["phones"][0]["number"]) for c in people]


def _replace(
    api: Api, number_id: str, people: list[tuple[dict[str, Any], str]], replaces: str
) -> dict[str, Any]:
    response = api.admin.post("/v1/group-chats", json={
        "number_id": number_id, "replaces": replaces,
        "participants": [{"contact_id": c["id"], "phone": p} for c, p in people],
    })
    assert response.status_code == 201, response.text
    data: dict[str, Any] = response.json()
    return data


def _upserts(client: httpx.Client, since: str, chat_id: str) -> list[dict[str, Any]]:
    events, _ = sync_all(client, since)
    return [e["data"] for e in events
            if e["type"] == "conversation.upserted" and e["data"]["id"] == chat_id]


def _streamed(api: Api, client: httpx.Client, since: str, chat_id: str) -> list[dict[str, Any]]:
    """The chat's upserts over `/v1/events` from `since`, read until the stream reaches the
    cursor `/v1/sync` ends at for the same reader."""
    _, head = sync_all(client, since)
    token = str(client.headers["authorization"]).removeprefix("Bearer ")
    with open_stream(api.backend.url, token, since=since) as stream:
        stream.wait_until(lambda s: any(i.id == head for i in s.items), timeout=10)
        return [e.json()["data"] for e in stream.events
                if e.event == "conversation.upserted" and e.json()["data"]["id"] == chat_id]


def test_an_assigned_only_user_never_gets_the_id_of_a_chat_they_may_not_see(api: Api) -> None:
    diego = api.me(USER_ASSIGNED)["id"]
    line = numbers_by_label(api.admin)["Diego's line"]["id"]
    as_diego = api.as_(USER_ASSIGNED)
    _, diego_cursor = sync_all(as_diego)
    _, admin_cursor = sync_all(api.admin)

    # Diego's chat is replaced by one with a contact not his: he keeps his, unlinked.
    mine = create_chat(api.admin, line, _own(api, diego, 3)).json()
    people = [(p["contact_id"], p["phone"]) for p in mine["participants"]]
    kept = [({"id": c}, p) for c, p in people[:2]]
    stranger = _own(api, diego, 1, assigned=False)
    theirs = _replace(api, line, kept + stranger, replaces=mine["id"])
    assert api.admin.get(f"/v1/group-chats/{mine['id']}").json()["replaced_by"] == theirs["id"]
    assert as_diego.get(f"/v1/group-chats/{theirs['id']}").status_code == 404
    for path in (f"/v1/group-chats/{mine['id']}", f"/v1/conversations/{mine['id']}"):
        seen = as_diego.get(path).json()
        assert seen["replaced_by"] is None, path
    listed = as_diego.get("/v1/conversations", params={"kind": "group_sms", "limit": 500})
    assert all(c["replaced_by"] != theirs["id"] for c in listed.json()["items"])

    # A chat not his is replaced by one of his contacts only: he sees the new one, unlinked.
    other = create_chat(api.admin, line, _own(api, diego, 1) + stranger).json()
    his = _replace(api, line, [({"id": other["participants"][0]["contact_id"]},
                                other["participants"][0]["phone"]), *_own(api, diego, 1)],
                   replaces=other["id"])
    assert as_diego.get(f"/v1/conversations/{his['id']}").json()["replaces"] is None
    assert api.admin.get(f"/v1/conversations/{his['id']}").json()["replaces"] == other["id"]

    # The feed and the event stream: Diego's copies of the events name neither chat he may
    # not see; the admin's (the same stored events) name both.
    readers: list[Callable[[httpx.Client, str, str], list[dict[str, Any]]]] = [
        _upserts, partial(_streamed, api)]
    for read in readers:
        diego_mine = read(as_diego, diego_cursor, mine["id"])
        assert diego_mine
        assert all(d["replaced_by"] is None for d in diego_mine)
        diego_his = read(as_diego, diego_cursor, his["id"])
        assert diego_his
        assert all(d["replaces"] is None for d in diego_his)
        assert read(as_diego, diego_cursor, theirs["id"]) == []
        admin_mine = read(api.admin, admin_cursor, mine["id"])
        assert admin_mine[-1]["replaced_by"] == theirs["id"]
        assert read(api.admin, admin_cursor, his["id"])[-1]["replaces"] == other["id"]


def test_a_chat_a_carrier_started_keeps_its_contacts_as_they_were_too(api: Api) -> None:
    """A person starts a group MMS with us and a contact of ours: the chat it makes keeps the
    snapshot like one made here, so a later rename shows as Updated."""
    numbers = numbers_by_label(api.admin)
    main = numbers["Main office"]["e164"]
    known = new_contact(api.admin, phone(), phone(), name="Ava Brooks")
    known_phone = known["phones"][1]["number"]
    response = api.admin.post("/v1/simulator/inbound", json={
        "from": phone(), "to": [main, known_phone], "body": "Hi both, new buyer here"})
    assert response.status_code == 201, response.text
    chat_id = response.json()["conversation_id"]
    ava = _participant(api.admin, chat_id, known["id"])
    assert ava["name_then"] == "Ava Brooks"
    assert ava["phones_then"] == [p["number"] for p in known["phones"]]
    assert ava["tags"] == []
    _patch(api.admin, known["id"], name="Ava Brooks-Hale")
    assert _participant(api.admin, chat_id, known["id"])["tags"] == ["updated"]
