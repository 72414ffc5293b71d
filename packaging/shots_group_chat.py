"""Screenshots of a group chat: the participant panel with Updated and Deleted tags, and a
chat blocked by a STOP with its banner. For packaging/screenshots.py (call after the first
sync, with the window showing the workspace and an admin HTTP client on the same backend):

    from shots_group_chat import shoot_group_chat  # this folder is sys.path[0] there
    shoot_group_chat(shooter, window, workspace, http)

It makes its own people and chat (fictional 555-01xx numbers in area code 802), so the demo
data the other shots use is left as it is.
"""

from __future__ import annotations

import uuid
from typing import Any

PEOPLE = [
    ("Maria Gonzalez", ["+18025550140", "+18025550141"], 1),  # takes part with her secondary
    ("James Whitaker", ["+18025550142"], 0),
    ("Lily Chen", ["+18025550143"], 0),
    ("Tom Becker", ["+18025550144"], 0),
]
NEW_NUMBER = "+18025550149"


def _post(http: Any, path: str, body: dict[str, Any]) -> dict[str, Any]:
    response = http.post(path, json=body, headers={"Idempotency-Key": str(uuid.uuid4())})
    response.raise_for_status()
    result: dict[str, Any] = response.json()
    return result


def shoot_group_chat(shooter: Any, window: Any, workspace: Any, http: Any) -> None:
    from PySide6.QtWidgets import QAbstractButton, QWidget

    labels = ["primary", "secondary"]
    people = []
    for name, phones, chosen in PEOPLE:
        contact = _post(http, "/v1/contacts", {
            "name": name,
            "phones": [{"number": p, "label": labels[i]} for i, p in enumerate(phones)],
        })
        people.append((contact, phones[chosen]))
    number = next(n for n in http.get("/v1/numbers").json()["items"] if n["is_default"])
    chat = _post(http, "/v1/group-chats", {
        "number_id": number["id"],
        "participants": [{"contact_id": c["id"], "phone": p} for c, p in people],
    })

    def inbound(sender: str, body: str) -> None:
        others = [p for _, p in people if p != sender]
        _post(http, "/v1/simulator/inbound",
              {"from": sender, "to": [number["e164"], *others], "body": body})

    _post(http, f"/v1/conversations/{chat['id']}/messages",
          {"body": "Hi all, the closing for 12 Oak Street is set for Friday at 10am."})
    inbound(people[0][1], "Thanks! Is Friday at 10am still on with the inspector?")
    inbound(people[1][1], "I can be there at 10.")
    inbound(people[2][1], "Running 5 minutes late, start without me.")
    # James changes number; Lily is deleted: the chat keeps texting the numbers chosen.
    http.patch(f"/v1/contacts/{people[1][0]['id']}",
               json={"phones": [{"number": NEW_NUMBER, "label": "primary"}]}).raise_for_status()
    http.delete(f"/v1/contacts/{people[2][0]['id']}").raise_for_status()

    panel = window.conversation_panel
    # Selected once the conversation list shows it (it follows the same sync).
    shooter.wait_until(lambda: bool(window.select_conversation(chat["id"])), 15, "the new chat")

    def tagged() -> bool:
        details = panel.details
        if details is None:
            return False
        tags = {p.name: p.tags for p in details.participants}
        return tags.get("James Whitaker") == ("updated",) and "deleted" in tags.get(
            "Lily Chen", ()
        ) and panel.model.rowCount() >= 4

    shooter.wait_until(tagged, 15, "the Updated and Deleted tags")
    toggle = panel.findChild(QAbstractButton, "participantPanelToggle")
    if toggle is not None and not toggle.isChecked():
        toggle.click()
    shooter.grab(window, "15-group-chat-participants")

    # Tom texts STOP (to the business number: DND is the person's, whatever the thread).
    _post(http, "/v1/simulator/inbound", {"from": people[3][1], "to": [number["e164"]],
                                          "body": "STOP"})
    banner = panel.findChild(QWidget, "blockedBanner")
    shooter.wait_until(lambda: banner is not None and banner.isVisible(), 15, "the banner")
    shooter.grab(window, "16-group-chat-blocked-by-stop")
