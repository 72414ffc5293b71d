"""Screenshots of the History page (Ctrl+5) for packaging/screenshots.py: an internal note found
by its words, a search with a filter in force and its matches highlighted, then one result
opened in its conversation with the message flashing."""

from __future__ import annotations

from typing import Any

SEARCH = "friday"
NOTE_SEARCH = "front desk"


def shoot_history(shooter: Any, window: Any, workspace: Any) -> None:
    if getattr(workspace, "history", None) is None:  # until the workspace holds one itself
        from console.services.history import HistoryService

        workspace.history = HistoryService(workspace._cache, workspace.session)
    # Put back at the end (later shots grab the window): the page and the open chat.
    before = window.current_page()
    chat = window.conversation_panel.conversation_id
    window.show_history_action.trigger()
    page = window.history_page
    assert page is not None
    shooter.wait_until(lambda: page.model.rowCount() > 0, 15, "the history")
    # The internal note shots_templates wrote is found by its words, marked as a note.
    _search(shooter, page, NOTE_SEARCH, None)
    shooter.grab(window, "40b-history-note")
    _search(shooter, page, SEARCH, "in")
    shooter.grab(window, "40-history-search")

    row = page.model.row_at(0)
    assert row is not None
    page.view.setCurrentIndex(page.model.index(0, 0))
    page.open_row(row)
    flash = window.conversation_view.message_delegate.flash
    shooter.wait_until(lambda: flash.strength(flash.key) > 0.95, 5, "the flash")
    shooter.save(window.grab(), "41-history-opened-in-conversation")
    shooter.wait_until(lambda: not flash.active(), 5, "the flash to end")
    window.show_history_action.trigger()
    page.clear_all()
    if chat:
        window.select_conversation(chat)
    window.pages.show_page(before)


def _search(shooter: Any, page: Any, text: str, direction: str | None) -> None:
    page.clear_all()
    page.search.setText(text)
    if direction is not None:
        page.filters.choose("direction", direction)
    page.run_query()
    shooter.wait_until(
        lambda: not page.model.searching and page.model.total is not None
        and page.model.rowCount() > 0,
        15,
        f"the search for {text!r}",
    )
