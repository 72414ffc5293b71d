"""The opt-out hint in compose: a first text from a number with a hint is counted with it
(and says so); once it went, later texts are counted alone. Against a real backend."""

from __future__ import annotations

import uuid

from pytestqt.qtbot import QtBot

from console.domain.conversations import ConversationKind
from console.domain.sms import MAX_BODY_CHARS
from console.ui.compose import ComposeContext, counter_text
from tests.support.backend_process import BackendProcess
from tests.ui.conftest import (
    MainWindowFactory,
    WorkspaceFactory,
    api,
    direct_chat,
    wait_first_sync,
)

WAIT_MS = 15_000
HINT = "Reply STOP to opt out."


def test_the_counter_counts_the_hint_a_first_text_gets() -> None:
    first = ComposeContext(kind=ConversationKind.DIRECT, opt_out_hint=HINT)
    assert counter_text("Hello", first) == (
        "29 chars - 1 SMS segment (GSM-7) - with the opt-out hint")
    assert counter_text("Hello", ComposeContext()) == "5 chars - 1 SMS segment (GSM-7)"
    # The hint can push a text over a segment, or over the limit.
    assert "2 SMS segments" in counter_text("x" * 150, first)
    assert "over the 1600-character limit" in counter_text("x" * (MAX_BODY_CHARS - 10), first)
    in_app = ComposeContext(kind=ConversationKind.IN_APP, opt_out_hint=HINT)
    assert counter_text("Hello", in_app) == "5 chars - In-app message"  # no SMS, no hint


def test_a_first_text_is_counted_with_the_hint_and_the_next_without(
    qtbot: QtBot, module_backend: BackendProcess, make_workspace: WorkspaceFactory,
    window_for: MainWindowFactory,
) -> None:
    http = api(module_backend)
    number = http.post("/v1/numbers", json={
        "e164": f"+1480555{uuid.uuid4().int % 10_000:04d}",
        "label": f"Hint {uuid.uuid4().hex[:4]}"}).json()
    http.patch(f"/v1/numbers/{number['id']}", json={"opt_out_hint": HINT}).raise_for_status()
    conversation_id, _ = direct_chat(http, "Hilda Hint", area="480", number_id=number["id"])
    workspace = make_workspace(module_backend)
    wait_first_sync(qtbot, workspace)
    window = window_for(workspace)
    qtbot.waitUntil(lambda: workspace.conversations.conversation(conversation_id) is not None,
                    timeout=WAIT_MS)
    assert window.select_conversation(conversation_id)
    compose = window.compose
    qtbot.waitUntil(lambda: compose.context.opt_out_hint == HINT, timeout=WAIT_MS)
    compose.edit.setPlainText("Welcome!")
    assert compose.counter.text().endswith("- with the opt-out hint")
    assert compose.counter.text().startswith("32 chars")
    assert compose.submit()
    compose.edit.setPlainText("See you at 10.")
    assert compose.counter.text() == "14 chars - 1 SMS segment (GSM-7)"

    def sent() -> list[str]:
        items = http.get(f"/v1/conversations/{conversation_id}/messages").json()["items"]
        return [m["body"] for m in items]

    qtbot.waitUntil(lambda: sent() == [f"Welcome!\n\n{HINT}"], timeout=WAIT_MS)
