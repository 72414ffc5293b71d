"""The DND history names what the contact editor shows: the words sent, their number, the agent."""

from __future__ import annotations

from typing import Any

import httpx

from tests.backend.conftest import ADMIN, USER_ASSIGNED, Api, numbers_by_label
from tests.backend.group_chat_support import PhonePool, create_chat, inbound, new_contact

phone = PhonePool("405", "406")  # numbers no other module uses: the backend is shared
MAIN = "+14155550100"


def _history(client: httpx.Client, contact_id: str) -> list[dict[str, Any]]:
    response = client.get(f"/v1/contacts/{contact_id}/dnd-history")
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def _details(change: dict[str, Any]) -> tuple[Any, ...]:
    return (change["new_dnd"], change["source"], change["keyword"], change["from_phone"],
            change["user_name"])


def test_keywords_confirmed_opt_outs_and_edits_carry_words_number_and_name(api: Api) -> None:
    admin = api.me(ADMIN)
    number = phone()
    contact = new_contact(api.admin, number)
    stop = inbound(api.admin, number, [MAIN], "  sToP \n")
    assert stop.status_code == 201, stop.text
    inbound(api.admin, number, [MAIN], "START")
    said = inbound(api.admin, number, [MAIN], "Please stop texting me.").json()
    thread = said["conversation_id"]
    confirmed = api.admin.post(f"/v1/conversations/{thread}/opt-out/confirm")
    assert confirmed.status_code == 200, confirmed.text
    edited = api.admin.post(f"/v1/contacts/{contact['id']}/dnd", json={"dnd": False})
    assert edited.status_code == 200, edited.text

    history = _history(api.admin, contact["id"])
    assert [_details(change) for change in history] == [
        (False, "user", None, None, admin["name"]),
        (True, "opt_out_confirmed", "Please stop texting me.", number, admin["name"]),
        (False, "inbound_keyword", "START", number, None),
        (True, "inbound_keyword", "sToP", number, None),
    ]
    assert history[3]["message_id"] == stop.json()["message_id"]
    assert history[1]["user_id"] == admin["id"]
    # Page by page, the same rows with the same details.
    first = api.admin.get(f"/v1/contacts/{contact['id']}/dnd-history", params={"limit": 3})
    rest = api.admin.get(f"/v1/contacts/{contact['id']}/dnd-history",
                         params={"limit": 3, "cursor": first.json()["next_cursor"]})
    assert first.json()["items"] + rest.json()["items"] == history


def test_the_words_stay_hidden_from_who_may_not_read_their_chat(api: Api) -> None:
    """An agent who sees only their people sees the STOP's number, not a chat's words."""
    me = api.me(USER_ASSIGNED)
    mine = new_contact(api.admin, phone(), assigned_user_id=me["id"])
    others = [new_contact(api.admin, phone()) for _ in range(2)]
    people = [mine, *others]
    phones = [c["phones"][0]["number"] for c in people]
    main = numbers_by_label(api.admin)["Main office"]["id"]
    create_chat(api.admin, main, list(zip(people, phones, strict=True)))
    said = inbound(api.admin, phones[0], [MAIN, phones[1], phones[2]], "STOP")
    assert said.status_code == 201, said.text

    [seen_by_admin] = _history(api.admin, mine["id"])
    assert (seen_by_admin["keyword"], seen_by_admin["from_phone"]) == ("STOP", phones[0])
    [seen_by_agent] = _history(api.as_(USER_ASSIGNED), mine["id"])
    assert (seen_by_agent["keyword"], seen_by_agent["from_phone"]) == (None, phones[0])
    assert seen_by_agent["message_id"] == said.json()["message_id"]
