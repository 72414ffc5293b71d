"""Screenshot of find in a conversation (Ctrl+F) for packaging/screenshots.py: the bar over the
messages with its count, every match marked and the current one stronger."""

from __future__ import annotations

from typing import Any

# Words the demo's conversations use; the chat with the most matches of one is shown.
WORDS = ("the", "you", "viewing", "lease", "thanks", "is")


def shoot_conversation_search(shooter: Any, window: Any, workspace: Any) -> None:
    service = workspace.conversations
    best: tuple[int, str, str] = (0, "", "")
    for row in service.list_conversations()[:40]:
        for word in WORDS:
            found = len(service.find(row.id, word).keys)
            if found >= 3 and found > best[0]:
                best = (found, row.id, word)
    _, conversation_id, word = best
    if not conversation_id:
        print("no conversation with 3 matches of a demo word: no find-bar shot")
        return
    before = window.current_page()
    chat = window.conversation_panel.conversation_id
    window.select_conversation(conversation_id)
    search = window.conversation_panel.search
    search.open()
    search.bar.field.setText(word)
    shooter.wait_until(lambda: not search.searching and bool(search.keys), 15, "the matches")
    search.next()  # the second newest: "2 of N", the view moved to it
    shooter.settle(300)
    shooter.grab(window, "42-conversation-find")
    search.close()
    if chat:
        window.select_conversation(chat)
    window.pages.show_page(before)
