"""Opt-out on every inbound path: keywords act (once), opt-out wording waits for an agent."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest

from console.domain.opt_out import DEFAULT_HELP_REPLY, DEFAULT_OPT_IN_REPLY, DEFAULT_OPT_OUT_REPLY
from console.protocol.demo import DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD
from tests.backend.conftest import Api, assert_problem, numbers_by_label, sync_all
from tests.backend.group_chat_support import (
    PhonePool,
    create_chat,
    inbound,
    messages,
    new_contact,
    outbox,
    send,
    wait_outbox,
)
from tests.support.backend_process import BackendProcess, sqlite_url

phone = PhonePool("231", "234", "239")
MAIN = "+14155550100"


def _contact_with_thread(api: Api) -> tuple[dict[str, Any], str]:
    """A contact who texted us once: (contact, their 1:1 conversation id)."""
    contact = new_contact(api.admin, phone())
    number = contact["phones"][0]["number"]
    first = inbound(api.admin, number, [MAIN], "Hi, is the condo still listed?").json()
    return contact, first["conversation_id"]


def _chat(api: Api) -> tuple[dict[str, Any], list[dict[str, Any]], list[str]]:
    people = [new_contact(api.admin, phone()) for _ in range(3)]
    phones = [c["phones"][0]["number"] for c in people]
    main = numbers_by_label(api.admin)["Main office"]["id"]
    chat = create_chat(api.admin, main, list(zip(people, phones, strict=True))).json()
    return chat, people, phones


def _contact(api: Api, contact_id: str) -> dict[str, Any]:
    result: dict[str, Any] = api.admin.get(f"/v1/contacts/{contact_id}").json()
    return result


def _history(api: Api, contact_id: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = api.admin.get(
        f"/v1/contacts/{contact_id}/dnd-history"
    ).json()["items"]
    return items


def _auto_replies(api: Api, conversation_id: str) -> list[str]:
    return [m["body"] for m in messages(api.admin, conversation_id)
            if m["direction"] == "out" and m["author_user_id"] is None]


def test_stop_in_a_direct_thread_sets_dnd_and_confirms_once(api: Api) -> None:
    contact, thread = _contact_with_thread(api)
    number = contact["phones"][0]["number"]
    key = str(uuid.uuid4())
    stop = inbound(api.admin, number, [MAIN], "  sToP ", key=key)
    assert stop.status_code == 201, stop.text
    assert inbound(api.admin, number, [MAIN], "  sToP ", key=key).json() == stop.json()
    assert _contact(api, contact["id"])["dnd"] is True
    conversation = api.admin.get(f"/v1/conversations/{thread}").json()
    assert (conversation["status"], conversation["blocked_reason"]) == ("blocked", "dnd")
    [change] = _history(api, contact["id"])
    assert (change["source"], change["message_id"], change["user_id"]) == (
        "inbound_keyword", stop.json()["message_id"], None
    )
    wait_outbox(api.admin, number, DEFAULT_OPT_OUT_REPLY)
    # Exactly one: the replayed request did nothing again; the reply is the thread's only one.
    assert _auto_replies(api, thread) == [DEFAULT_OPT_OUT_REPLY]
    assert [m["body"] for m in outbox(api.admin, number)] == [DEFAULT_OPT_OUT_REPLY]
    assert_problem(send(api.admin, thread, "one more thing"), 422, "participant_dnd")

    start = inbound(api.admin, number, [MAIN], "unstop").json()
    assert _contact(api, contact["id"])["dnd"] is False
    assert api.admin.get(f"/v1/conversations/{thread}").json()["status"] == "active"
    wait_outbox(api.admin, number, DEFAULT_OPT_IN_REPLY)
    assert _history(api, contact["id"])[0]["message_id"] == start["message_id"]


def test_stop_in_a_group_chat_blocks_it_and_start_unblocks_it(api: Api) -> None:
    chat, people, phones = _chat(api)
    _, cursor = sync_all(api.admin)
    stop = inbound(api.admin, phones[1], [MAIN, phones[0], phones[2]], "STOP").json()
    assert stop["conversation_id"] == chat["id"]
    blocked = api.admin.get(f"/v1/group-chats/{chat['id']}").json()
    assert blocked["status"] == "blocked"
    assert blocked["blocked_reason"] == f"{people[1]['name']} has Do Not Disturb on"
    assert [p["tags"] for p in blocked["participants"]] == [[], ["dnd"], []]
    assert_problem(send(api.admin, chat["id"], "hello?"), 409, "group_chat_blocked")
    # The STOP itself is a group MMS like any other: recorded once, copied to the others.
    assert [m["body"] for m in messages(api.admin, chat["id"])] == ["STOP"]
    for other in (phones[0], phones[2]):
        assert [m["body"] for m in wait_outbox(api.admin, other, "STOP")] == ["STOP"]
    # One confirmation, to the sender only, in their 1:1 thread with the business number.
    [confirmation] = wait_outbox(api.admin, phones[1], DEFAULT_OPT_OUT_REPLY)
    assert confirmation["conversation_id"] != chat["id"]
    for other in (phones[0], phones[2]):
        assert DEFAULT_OPT_OUT_REPLY not in {m["body"] for m in outbox(api.admin, other)}
    events, cursor = sync_all(api.admin, cursor)
    chat_states = [e["data"]["status"] for e in events
                   if e["type"] == "conversation.upserted" and e["data"]["id"] == chat["id"]]
    assert chat_states[-1] == "blocked"

    inbound(api.admin, phones[1], [MAIN, phones[2], phones[0]], "Start")
    assert api.admin.get(f"/v1/group-chats/{chat['id']}").json()["status"] == "active"
    wait_outbox(api.admin, phones[1], DEFAULT_OPT_IN_REPLY)
    assert send(api.admin, chat["id"], "Welcome back").status_code == 201
    assert [h["new_dnd"] for h in _history(api, people[1]["id"])] == [False, True]


def _chat_states(events: list[dict[str, Any]], chat_id: str) -> list[str]:
    return [e["data"]["status"] for e in events
            if e["type"] == "conversation.upserted" and e["data"]["id"] == chat_id]


def test_a_1to1_stop_blocks_every_chat_of_a_deleted_participant(api: Api) -> None:
    chat, people, phones = _chat(api)
    main = numbers_by_label(api.admin)["Main office"]["id"]
    others = [new_contact(api.admin, phone()) for _ in range(2)]
    second = create_chat(api.admin, main, [(people[1], phones[1]),
                                           *((c, c["phones"][0]["number"]) for c in others)])
    assert second.status_code == 201, second.text
    chats = [chat["id"], second.json()["id"]]
    # The participant's contact is deleted: the chats still text the frozen number.
    assert api.admin.delete(f"/v1/contacts/{people[1]['id']}").status_code == 204
    _, cursor = sync_all(api.admin)
    stop = inbound(api.admin, phones[1], [MAIN], "stop")  # a plain SMS, not a group MMS
    assert stop.status_code == 201, stop.text
    assert stop.json()["conversation_id"] not in chats
    for chat_id in chats:
        blocked = api.admin.get(f"/v1/group-chats/{chat_id}").json()
        assert (blocked["status"], blocked["blocked_reason"]) == (
            "blocked", f"{people[1]['name']} has Do Not Disturb on"
        )
        [tags] = [p["tags"] for p in blocked["participants"] if p["phone"] == phones[1]]
        assert tags == ["deleted", "dnd"]
        assert_problem(send(api.admin, chat_id, "still there?"), 409, "group_chat_blocked")
    events, cursor = sync_all(api.admin, cursor)
    for chat_id in chats:
        assert _chat_states(events, chat_id)[-1] == "blocked"
    # Exactly one confirmation, to the number that opted out.
    assert [m["body"] for m in wait_outbox(api.admin, phones[1], DEFAULT_OPT_OUT_REPLY)] == [
        DEFAULT_OPT_OUT_REPLY
    ]

    inbound(api.admin, phones[1], [MAIN], "START")
    for chat_id in chats:
        assert api.admin.get(f"/v1/group-chats/{chat_id}").json()["status"] == "active"
    events, _ = sync_all(api.admin, cursor)
    for chat_id in chats:
        assert _chat_states(events, chat_id)[-1] == "active"
    assert send(api.admin, chats[0], "Welcome back").status_code == 201


def test_a_1to1_stop_from_an_edited_away_number_blocks_the_chat(api: Api) -> None:
    chat, people, phones = _chat(api)
    moved = people[0]
    new_number = phone()
    patched = api.admin.patch(f"/v1/contacts/{moved['id']}",
                              json={"phones": [{"number": new_number}]})
    assert patched.status_code == 200, patched.text
    _, cursor = sync_all(api.admin)
    stop = inbound(api.admin, phones[0], [MAIN], "STOP").json()
    blocked = api.admin.get(f"/v1/group-chats/{chat['id']}").json()
    assert (blocked["status"], blocked["blocked_reason"]) == (
        "blocked", f"{moved['name']} has Do Not Disturb on"
    )
    assert [p["tags"] for p in blocked["participants"]] == [["updated", "dnd"], [], []]
    assert_problem(send(api.admin, chat["id"], "hello?"), 409, "group_chat_blocked")
    # Audited like any keyword change, on the participant's contact.
    assert _contact(api, moved["id"])["dnd"] is True
    [change] = _history(api, moved["id"])
    assert (change["old_dnd"], change["new_dnd"], change["source"], change["message_id"],
            change["user_id"]) == (False, True, "inbound_keyword", stop["message_id"], None)
    events, cursor = sync_all(api.admin, cursor)
    assert _chat_states(events, chat["id"])[-1] == "blocked"
    assert any(e["type"] == "contact.upserted" and e["data"]["id"] == moved["id"]
               and e["data"]["dnd"] is True for e in events)
    wait_outbox(api.admin, phones[0], DEFAULT_OPT_OUT_REPLY)

    start = inbound(api.admin, phones[0], [MAIN], "unstop").json()
    assert api.admin.get(f"/v1/group-chats/{chat['id']}").json()["status"] == "active"
    assert _contact(api, moved["id"])["dnd"] is False
    assert [(h["new_dnd"], h["message_id"]) for h in _history(api, moved["id"])] == [
        (False, start["message_id"]), (True, stop["message_id"]),
    ]
    events, _ = sync_all(api.admin, cursor)
    assert _chat_states(events, chat["id"])[-1] == "active"
    wait_outbox(api.admin, phones[0], DEFAULT_OPT_IN_REPLY)
    assert send(api.admin, chat["id"], "Welcome back").status_code == 201


def test_a_start_from_an_old_number_clears_only_what_its_stop_set(api: Api) -> None:
    chat, people, phones = _chat(api)
    moved = people[0]
    api.admin.patch(f"/v1/contacts/{moved['id']}", json={"phones": [{"number": phone()}]})
    # DND set by an agent (not by a STOP from the old number) stays on whatever it texts.
    api.admin.patch(f"/v1/contacts/{moved['id']}", json={"dnd": True})
    inbound(api.admin, phones[0], [MAIN], "STOP")
    inbound(api.admin, phones[0], [MAIN], "START")
    assert _contact(api, moved["id"])["dnd"] is True
    assert [h["source"] for h in _history(api, moved["id"])] == ["user"]
    assert api.admin.get(f"/v1/group-chats/{chat['id']}").json()["status"] == "blocked"
    assert_problem(send(api.admin, chat["id"], "hello?"), 409, "group_chat_blocked")


def test_yes_and_start_without_dnd_and_help(api: Api) -> None:
    contact, thread = _contact_with_thread(api)
    number = contact["phones"][0]["number"]
    inbound(api.admin, number, [MAIN], "YES")  # an ordinary answer: nothing to clear
    inbound(api.admin, number, [MAIN], "start")
    inbound(api.admin, number, [MAIN], "help")
    wait_outbox(api.admin, number, DEFAULT_HELP_REPLY)
    assert _auto_replies(api, thread) == [DEFAULT_HELP_REPLY]
    assert _history(api, contact["id"]) == []
    assert _contact(api, contact["id"])["dnd"] is False


@pytest.mark.parametrize(("stop", "start"), [
    ("Arr\u00eat", "\uff33\uff34\uff21\uff32\uff34"),  # Arrêt, full-width START
    ("\uff33\uff34\uff2f\uff30", "\uff55\uff4e\uff53\uff54\uff4f\uff50"),  # ＳＴＯＰ, ｕｎｓｔｏｐ
    ("\u00a0ARR\u00caT\u200b", "Start\u3000"),  # no-break space, zero-width space, ideographic
])
def test_keywords_in_other_forms_act_like_the_plain_ones(api: Api, stop: str, start: str) -> None:
    contact, thread = _contact_with_thread(api)
    number = contact["phones"][0]["number"]
    said = inbound(api.admin, number, [MAIN], stop)
    assert said.status_code == 201, said.text
    assert _contact(api, contact["id"])["dnd"] is True
    [change] = _history(api, contact["id"])
    assert (change["source"], change["message_id"]) == ("inbound_keyword",
                                                       said.json()["message_id"])
    wait_outbox(api.admin, number, DEFAULT_OPT_OUT_REPLY)
    inbound(api.admin, number, [MAIN], start)
    assert _contact(api, contact["id"])["dnd"] is False
    wait_outbox(api.admin, number, DEFAULT_OPT_IN_REPLY)
    assert _auto_replies(api, thread) == [DEFAULT_OPT_IN_REPLY, DEFAULT_OPT_OUT_REPLY]  # newest 1st


def test_words_that_only_contain_a_keyword_change_nothing(api: Api) -> None:
    contact, thread = _contact_with_thread(api)
    number = contact["phones"][0]["number"]
    stopped = "\uff33\uff34\uff2f\uff30\uff30\uff25\uff24"  # ＳＴＯＰＰＥＤ
    for text in ("Stopped by the house", "Arr\u00eatez", stopped, "Weekend?", "Startup pitch",
                 "Yesterday", "STOP.", "S TOP", "\u0131nfo"):
        assert inbound(api.admin, number, [MAIN], text).status_code == 201
    assert _contact(api, contact["id"])["dnd"] is False
    assert _history(api, contact["id"]) == []
    assert _auto_replies(api, thread) == []


def test_opt_out_wording_is_flagged_for_an_agent_and_nothing_else(api: Api) -> None:
    contact, thread = _contact_with_thread(api)
    number = contact["phones"][0]["number"]
    _, cursor = sync_all(api.admin)
    said = inbound(api.admin, number, [MAIN], "Please stop texting me.").json()
    conversation = api.admin.get(f"/v1/conversations/{thread}").json()
    assert conversation["opt_out_suspected"]["message_id"] == said["message_id"]
    assert conversation["status"] == "active"
    assert _contact(api, contact["id"])["dnd"] is False
    assert _history(api, contact["id"]) == []
    assert _auto_replies(api, thread) == []
    events, cursor = sync_all(api.admin, cursor)
    [flag] = [e for e in events if e["type"] == "opt_out_suspected"]
    assert flag["data"]["message_id"] == said["message_id"]
    assert flag["data"]["contact_id"] == contact["id"]
    assert flag["data"]["conversation_id"] == thread

    confirmed = api.admin.post(f"/v1/conversations/{thread}/opt-out/confirm")
    assert confirmed.status_code == 200, confirmed.text
    assert confirmed.json()["opt_out_suspected"] is None
    assert confirmed.json()["status"] == "blocked"
    assert _contact(api, contact["id"])["dnd"] is True
    [change] = _history(api, contact["id"])
    assert change["source"] == "opt_out_confirmed"
    assert change["user_id"] == api.admin.get("/v1/me").json()["id"]
    assert change["message_id"] == said["message_id"]
    wait_outbox(api.admin, number, DEFAULT_OPT_OUT_REPLY)
    assert_problem(api.admin.post(f"/v1/conversations/{thread}/opt-out/confirm"), 404,
                   "not_found")


def test_a_dismissed_flag_changes_nothing_else(api: Api) -> None:
    chat, people, phones = _chat(api)
    said = inbound(api.admin, phones[2], [MAIN, phones[0], phones[1]],
                   "take me off your list").json()
    flagged = api.admin.get(f"/v1/group-chats/{chat['id']}").json()
    assert flagged["opt_out_suspected"]["message_id"] == said["message_id"]
    assert flagged["status"] == "active"
    assert_problem(api.admin.post(f"/v1/conversations/{chat['id']}/opt-out/dismiss",
                                  json={"message_id": "msg_nope"}), 404, "not_found")
    dismissed = api.admin.post(f"/v1/conversations/{chat['id']}/opt-out/dismiss",
                               json={"message_id": said["message_id"]})
    assert dismissed.status_code == 200, dismissed.text
    assert dismissed.json()["opt_out_suspected"] is None
    assert _contact(api, people[2]["id"])["dnd"] is False
    assert send(api.admin, chat["id"], "Noted, thanks").status_code == 201


def test_a_retried_answer_under_its_key_replays_instead_of_a_404(api: Api) -> None:
    """A console whose confirm reached the server but whose answer was lost retries under the
    same Idempotency-Key: it gets the conversation again, not a 404 for the flag it closed,
    and the person gets one confirmation text, not two."""
    contact, thread = _contact_with_thread(api)
    number = contact["phones"][0]["number"]
    said = inbound(api.admin, number, [MAIN], "Please stop texting me.").json()
    key = {"Idempotency-Key": f"optout-{uuid.uuid4()}"}
    body = {"message_id": said["message_id"]}
    first = api.admin.post(f"/v1/conversations/{thread}/opt-out/confirm", json=body,
                           headers=key)
    again = api.admin.post(f"/v1/conversations/{thread}/opt-out/confirm", json=body,
                           headers=key)
    assert (first.status_code, again.status_code) == (200, 200), again.text
    assert again.json()["id"] == thread
    assert again.json()["opt_out_suspected"] is None
    assert len(_history(api, contact["id"])) == 1
    wait_outbox(api.admin, number, DEFAULT_OPT_OUT_REPLY)
    assert _auto_replies(api, thread).count(DEFAULT_OPT_OUT_REPLY) == 1
    # The key names that one answer: another request under it is a conflict, and without a
    # key the closed flag is a 404 as before.
    assert_problem(api.admin.post(f"/v1/conversations/{thread}/opt-out/dismiss", json=body,
                                  headers=key), 409, "idempotency_conflict")
    assert_problem(api.admin.post(f"/v1/conversations/{thread}/opt-out/confirm", json=body),
                   404, "not_found")


def test_the_help_reply_is_configurable(tmp_path: Path) -> None:
    backend = BackendProcess(
        sqlite_url(tmp_path / "help.db"),
        args=["--seed", "demo", "--help-reply", "Call us at 415-555-0100."],
    ).start()
    try:
        with backend.client(backend.login(DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD)) as http:
            sender = phone()
            assert inbound(http, sender, [MAIN], "INFO").status_code == 201
            assert [m["body"] for m in wait_outbox(http, sender, "Call us at 415-555-0100.")]
    finally:
        backend.stop()
