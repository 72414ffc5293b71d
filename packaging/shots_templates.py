"""Screenshots of templates and the checks before a send (issue 14): the template picker with a
template filled for the open person (and the field they have no value for), the template
editor, the question Delete asks, the quiet hours warning at night, compose counting the
opt-out hint of a first text, and the admin's compliance settings."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any


def shoot_templates(shooter: Any, window: Any, workspace: Any, http: Any) -> None:
    from console.domain.conversations import ConversationKind, ConversationStatus

    for name, body, shared in (
        ("Showing confirmed", "Hi {first_name}, your showing is confirmed for Thursday at "
         "10:00. {agent_name}, {business_number}", True),
        ("Keys ready", "Hi {first_name} {last_name}, your keys are at the front desk.", False),
        ("Open house follow-up", "Thanks for coming by the open house, {first_name}! Three "
         "new listings go live next week.", True),
    ):
        made = http.post("/v1/templates", json={"name": name, "body": body, "shared": shared})
        made.raise_for_status()
    rows = workspace.conversations.list_conversations()
    direct = next(r for r in rows if r.kind is ConversationKind.DIRECT
                  and r.status is ConversationStatus.ACTIVE)
    window.select_conversation(direct.id)
    # An internal note: written in note mode, shown as a card the person never gets.
    window.compose.note_toggle.click()
    window.compose.edit.setPlainText("Called her back: she prefers texts after 17:00. Keys are "
                                     "with the front desk until Friday.")
    window.compose.submit()
    window.compose.note_toggle.click()
    window.compose.edit.setPlainText("Draft: the second viewing could be Saturday at 11:00.")
    shooter.settle()
    shooter.grab(window, "05k-internal-note")
    window.compose.note_toggle.click()
    window.compose.edit.clear()
    templates = window.templates
    window.compose.request_template()
    shooter.wait_until(lambda: templates.picker is not None
                       and templates.picker.model.rowCount() >= 3, 10, "the template picker")
    picker = templates.picker
    picker.search.setText("keys")
    shooter.settle()
    shooter.grab(picker, "05f-template-picker")
    picker.search.setText("")
    picker.new_button.click()
    shooter.wait_until(lambda: templates.editor is not None, 5, "the template editor")
    editor = templates.editor
    editor.name.setText("Price drop")
    editor.body.setPlainText("Good news, {first_name}: the asking price at 42 Elm Street just "
                             "dropped. Call me at {business_number}. {frist_name}")
    shooter.settle()
    shooter.grab(editor, "05g-template-editor")
    editor.reject()
    # Delete asks first; a shared template's question says the whole team loses it.
    picker.delete_button.click()
    shooter.wait_until(lambda: templates.confirm is not None, 5, "the delete question")
    shooter.grab(templates.confirm, "05g2-template-delete-confirm")
    templates.confirm.reject()
    picker.reject()

    # Quiet hours: a send at 02:30 in the person's time zone asks first.
    night = (datetime.now(UTC) + timedelta(days=1)).replace(hour=7, minute=30)
    window.scheduled._quiet_clock = lambda: night
    window.compose.edit.setPlainText("Sorry for the late text: the offer was accepted!")
    window.compose.submit()
    shooter.wait_until(lambda: window.scheduled.warning is not None, 5, "the warning")
    shooter.settle()
    shooter.grab(window.scheduled.warning, "05h-quiet-hours-warning")
    window.scheduled.warning.reject()
    window.scheduled._quiet_clock = _day
    window.compose.edit.clear()

    # The opt-out hint: a number that adds it, a new conversation from it.
    number = http.post("/v1/numbers", json={"e164": "+12065550177", "label": "Open houses"})
    number.raise_for_status()
    number_id = number.json()["id"]
    http.patch(f"/v1/numbers/{number_id}",
               json={"opt_out_hint": "Reply STOP to opt out."}).raise_for_status()
    contact = http.post("/v1/contacts", json={"name": "Olivia Park",
                                              "phones": [{"number": "+12065550178"}]})
    contact.raise_for_status()
    opened = http.post("/v1/conversations", json={
        "kind": "direct", "contact_id": contact.json()["id"], "phone": "+12065550178",
        "number_id": number_id})
    opened.raise_for_status()
    conversation_id = opened.json()["id"]
    shooter.wait_until(
        lambda: workspace.conversations.conversation(conversation_id) is not None, 10,
        "the new conversation")
    window.select_conversation(conversation_id)
    shooter.wait_until(lambda: window.compose.context.opt_out_hint != "", 10, "the hint")
    window.compose.edit.setPlainText("Hi Olivia, thanks for signing in at the open house on "
                                     "Elm Street! Any questions about the listing?")
    shooter.settle()
    shooter.grab(window, "05i-first-text-opt-out-hint")
    window.compose.edit.clear()

    dialog = window.compliance.open()
    shooter.wait_until(lambda: dialog.number_choice.count() > 0, 10, "the numbers")
    dialog.number_choice.setCurrentIndex(dialog.number_choice.findData(number_id))
    workspace.compliance.set_state_window("FL", _time(8), _time(20))
    shooter.wait_until(lambda: dialog.windows.rowCount() > 0, 10, "a state's window")
    shooter.settle()
    shooter.grab(dialog, "05j-compliance-settings")
    dialog.reject()


def _day() -> datetime:
    return datetime.now(UTC).replace(hour=18, minute=0)


def _time(hour: int) -> Any:
    from datetime import time

    return time(hour, 0)
