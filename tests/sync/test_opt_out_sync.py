"""Suspected opt-outs through the real backend: a "please stop texting me" from the simulator
flags its conversation in the cache (with the message's text), confirm and dismiss go out
through the outbox (shown pending at once, sent once even when queued offline), a confirm the
person's own STOP overtook lands in Refused changes, and Discard brings the flag back as the
server has it."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from console.domain.errors import DomainError
from console.services.auth import LoginResult
from console.services.types import OptOutAction, OptOutFlag, SyncState
from console.services.workspace import Workspace
from console.store import outbox as ob
from console.store.cache import Cache
from console.store.outbox import OutboxKind
from tests.sync.conftest import wait_for

OpenWs = Callable[..., Workspace]
PLEA = "please stop texting me"


def online(ws: Workspace) -> None:
    wait_for(lambda: ws.sync.status.state is SyncState.ONLINE, what="the first sync")


def drained(ws: Workspace) -> None:
    wait_for(lambda: ws.outbox.pending_count() == 0, timeout=15, what="the outbox to drain")


def new_person(http: httpx.Client, name: str) -> tuple[str, str]:
    phone = f"+1802555{uuid.uuid4().int % 10_000:04d}"
    made = http.post("/v1/contacts", json={"name": name, "phones": [{"number": phone}]})
    assert made.status_code == 201, made.text
    return made.json()["id"], phone


def business(http: httpx.Client) -> dict[str, Any]:
    numbers: list[dict[str, Any]] = http.get("/v1/numbers").json()["items"]
    return next(n for n in numbers if n["label"] == "Main office")


def texts(http: httpx.Client, phone: str, body: str) -> dict[str, str]:
    sent = http.post(
        "/v1/simulator/inbound",
        json={"from": phone, "to": [business(http)["e164"]], "body": body},
        headers={"Idempotency-Key": str(uuid.uuid4())},
    )
    assert sent.status_code == 201, sent.text
    answer: dict[str, str] = sent.json()
    return answer


def flag_of(ws: Workspace, conversation_id: str) -> OptOutFlag | None:
    row = ws.conversations.conversation(conversation_id)
    return row.opt_out if row is not None else None


def server_flag(http: httpx.Client, conversation_id: str) -> Any:
    return http.get(f"/v1/conversations/{conversation_id}").json().get("opt_out_suspected")


def dnd_changes(http: httpx.Client, contact_id: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = http.get(f"/v1/contacts/{contact_id}/dnd-history").json()[
        "items"
    ]
    return items


def test_confirm_turns_dnd_on_as_the_agent_and_blocks_their_group_chat(
    session: LoginResult, open_ws: OpenWs, admin_http: httpx.Client
) -> None:
    ws = open_ws(session)
    online(ws)
    contact_id, phone = new_person(admin_http, "Opal Outwood")
    other_id, other_phone = new_person(admin_http, "Quinn Quarry")
    chat = admin_http.post(
        "/v1/group-chats",
        json={
            "number_id": business(admin_http)["id"],
            "participants": [
                {"contact_id": contact_id, "phone": phone},
                {"contact_id": other_id, "phone": other_phone},
            ],
        },
    )
    assert chat.status_code == 201, chat.text
    chat_id = chat.json()["id"]
    flagged = texts(admin_http, phone, PLEA)
    conversation_id = flagged["conversation_id"]

    flag = wait_for(lambda: flag_of(ws, conversation_id), what="the flag in the cache")
    assert (flag.message_id, flag.body, flag.pending) == (flagged["message_id"], PLEA, None)
    assert conversation_id in [f.conversation_id for f in ws.conversations.open_opt_outs()]

    ws.conversations.confirm_opt_out(conversation_id)
    # Shown pending at once (even before the push), out of the open list.
    pending = flag_of(ws, conversation_id)
    assert pending is None or pending.pending is OptOutAction.CONFIRM
    assert conversation_id not in [f.conversation_id for f in ws.conversations.open_opt_outs()]
    drained(ws)

    wait_for(lambda: flag_of(ws, conversation_id) is None, what="the flag closed in the cache")
    assert server_flag(admin_http, conversation_id) is None
    assert admin_http.get(f"/v1/contacts/{contact_id}").json()["dnd"] is True
    latest = dnd_changes(admin_http, contact_id)[0]
    assert (latest["new_dnd"], latest["source"], latest["user_id"]) == (
        True, "opt_out_confirmed", session.user.id
    )
    # Their group chat is blocked, in the cache too.
    wait_for(
        lambda: (row := ws.conversations.conversation(chat_id)) is not None
        and row.status == "blocked",
        what="the group chat blocked in the cache",
    )
    assert ws.outbox.failed() == []


def test_dismiss_closes_the_flag_and_leaves_dnd_off(
    session: LoginResult, open_ws: OpenWs, admin_http: httpx.Client
) -> None:
    ws = open_ws(session)
    online(ws)
    contact_id, phone = new_person(admin_http, "Dana Dismissed")
    conversation_id = texts(admin_http, phone, PLEA)["conversation_id"]
    wait_for(lambda: flag_of(ws, conversation_id), what="the flag in the cache")

    ws.conversations.dismiss_opt_out(conversation_id)
    drained(ws)
    wait_for(lambda: flag_of(ws, conversation_id) is None, what="the flag closed in the cache")
    assert server_flag(admin_http, conversation_id) is None
    assert admin_http.get(f"/v1/contacts/{contact_id}").json()["dnd"] is False
    # A second answer has nothing to answer.
    with pytest.raises(DomainError, match="No suspected opt-out"):
        ws.conversations.dismiss_opt_out(conversation_id)


def test_confirm_queued_offline_goes_out_once(
    session: LoginResult, open_ws: OpenWs, admin_http: httpx.Client
) -> None:
    ws = open_ws(session)
    online(ws)
    contact_id, phone = new_person(admin_http, "Olive Offline")
    conversation_id = texts(admin_http, phone, PLEA)["conversation_id"]
    wait_for(lambda: flag_of(ws, conversation_id), what="the flag in the cache")
    ws.close()

    offline = open_ws(session, start=False)
    offline.conversations.confirm_opt_out(conversation_id)
    assert offline.outbox.pending_count() == 1
    flag = flag_of(offline, conversation_id)
    assert flag is not None
    assert flag.pending is OptOutAction.CONFIRM
    assert conversation_id not in [
        f.conversation_id for f in offline.conversations.open_opt_outs()
    ]
    assert server_flag(admin_http, conversation_id) is not None  # nothing left the machine
    offline.close()

    back = open_ws(session)
    drained(back)
    wait_for(lambda: flag_of(back, conversation_id) is None, what="the flag closed")
    changes = dnd_changes(admin_http, contact_id)
    assert [c["source"] for c in changes].count("opt_out_confirmed") == 1

    def handset() -> list[dict[str, Any]]:
        got = admin_http.get("/v1/simulator/outbox", params={"to": phone}).json()
        items: list[dict[str, Any]] = got["items"]
        return items

    wait_for(handset, what="the confirmation text on the handset")
    assert len(handset()) == 1  # one confirmation, not one per attempt


def test_confirm_overtaken_by_stop_is_refused_and_discard_keeps_the_server_state(
    session: LoginResult, open_ws: OpenWs, admin_http: httpx.Client
) -> None:
    ws = open_ws(session)
    online(ws)
    _contact_id, phone = new_person(admin_http, "Sam Stopper")
    conversation_id = texts(admin_http, phone, PLEA)["conversation_id"]
    wait_for(lambda: flag_of(ws, conversation_id), what="the flag in the cache")
    ws.close()

    offline = open_ws(session, start=False)
    offline.conversations.confirm_opt_out(conversation_id)
    offline.close()
    texts(admin_http, phone, "STOP")  # the person's own STOP closes the flag first

    back = open_ws(session)
    (refused,) = wait_for(lambda: back.outbox.failed(), timeout=15, what="the refusal")
    assert refused.kind == OutboxKind.OPT_OUT_CONFIRM
    assert refused.code == "not_found"
    assert refused.conversation_id == conversation_id
    back.outbox.retry(refused.key)  # the same answer again: refused again
    wait_for(lambda: back.outbox.failed(), timeout=15, what="the second refusal")
    back.outbox.discard(back.outbox.failed()[0].key)
    assert back.outbox.failed() == []
    wait_for(lambda: flag_of(back, conversation_id) is None, what="the server's state: closed")


def test_discarding_a_queued_dismiss_brings_the_flag_back(
    session: LoginResult, open_ws: OpenWs, admin_http: httpx.Client
) -> None:
    ws = open_ws(session)
    online(ws)
    _contact_id, phone = new_person(admin_http, "Bea Back")
    conversation_id = texts(admin_http, phone, PLEA)["conversation_id"]
    wait_for(lambda: flag_of(ws, conversation_id), what="the flag in the cache")
    ws.close()

    offline = open_ws(session, start=False)
    offline.conversations.dismiss_opt_out(conversation_id)
    assert conversation_id not in [
        f.conversation_id for f in offline.conversations.open_opt_outs()
    ]
    check = Cache.open(session.cache_path)
    try:
        with check.read() as conn:
            (item,) = [i for i in ob.open_items(conn) if i.kind == OutboxKind.OPT_OUT_DISMISS]
    finally:
        check.close()
    offline.outbox.discard(item.idempotency_key)
    flag = flag_of(offline, conversation_id)
    assert flag is not None
    assert (flag.pending, flag.body) == (None, PLEA)
    assert conversation_id in [f.conversation_id for f in offline.conversations.open_opt_outs()]
