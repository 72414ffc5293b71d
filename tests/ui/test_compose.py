"""Compose on its own: enabling, Ctrl+Enter, the counter, inline errors, drafts.

The send handler here is the domain's own body rule (normalize_body), recording what passed;
the full path through the real services is in test_main_window.py.
"""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from console.domain.errors import DomainError, ErrorCode
from console.domain.messages import normalize_body
from console.ui.compose import ComposeWidget
from console.ui.qt import QPushButton, Qt


class Outbox:
    """Accepts what the domain rules accept, like the real service's first step."""

    def __init__(self) -> None:
        self.bodies: list[str] = []

    def send(self, body: str) -> str:
        text = normalize_body(body)
        self.bodies.append(text)
        return text


@pytest.fixture
def outbox() -> Outbox:
    return Outbox()


def make_compose(qtbot: QtBot) -> ComposeWidget:
    widget = ComposeWidget()
    # A fixed minimum, as the main window has: otherwise each layout change re-sizes the
    # top-level window, which the offscreen platform reports as a warning.
    widget.setMinimumSize(520, 260)
    qtbot.addWidget(widget)
    return widget


@pytest.fixture
def compose(qtbot: QtBot, outbox: Outbox) -> ComposeWidget:
    widget = make_compose(qtbot)
    widget.set_conversation("c1", outbox.send)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def send_button(widget: ComposeWidget) -> QPushButton:
    button = widget.findChild(QPushButton, "sendButton")
    assert button is not None
    return button


def test_send_is_disabled_for_empty_or_blank_text(qtbot: QtBot, compose: ComposeWidget) -> None:
    assert compose.edit.objectName() == "composeEdit"
    assert not send_button(compose).isEnabled()
    qtbot.keyClicks(compose.edit, "   ")
    assert not send_button(compose).isEnabled()
    qtbot.keyClicks(compose.edit, "hi")
    assert send_button(compose).isEnabled()
    compose.edit.clear()
    assert not send_button(compose).isEnabled()


@pytest.mark.parametrize("key", [Qt.Key.Key_Return, Qt.Key.Key_Enter])
def test_ctrl_enter_sends_and_clears(
    qtbot: QtBot, compose: ComposeWidget, outbox: Outbox, key: Qt.Key
) -> None:
    qtbot.keyClicks(compose.edit, "Running 5 min late")
    with qtbot.waitSignal(compose.sent) as sent:
        qtbot.keyClick(compose.edit, key, Qt.KeyboardModifier.ControlModifier)
    assert sent.args == ["Running 5 min late"]
    assert outbox.bodies == ["Running 5 min late"]
    assert compose.edit.toPlainText() == ""
    assert not send_button(compose).isEnabled()


def test_plain_enter_makes_a_new_line(qtbot: QtBot, compose: ComposeWidget, outbox: Outbox) -> None:
    qtbot.keyClicks(compose.edit, "line one")
    qtbot.keyClick(compose.edit, Qt.Key.Key_Return)
    qtbot.keyClicks(compose.edit, "line two")
    assert compose.edit.toPlainText() == "line one\nline two"
    assert outbox.bodies == []
    qtbot.mouseClick(send_button(compose), Qt.MouseButton.LeftButton)
    assert outbox.bodies == ["line one\nline two"]


def test_ctrl_enter_with_blank_text_sends_nothing(
    qtbot: QtBot, compose: ComposeWidget, outbox: Outbox
) -> None:
    qtbot.keyClicks(compose.edit, "  ")
    qtbot.keyClick(compose.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert outbox.bodies == []
    assert compose.edit.toPlainText() == "  "


def test_counter_follows_the_text(qtbot: QtBot, compose: ComposeWidget) -> None:
    assert compose.counter.text() == ""
    qtbot.keyClicks(compose.edit, "x" * 42)
    assert compose.counter.text() == "42 chars - 1 SMS segment (GSM-7)"
    compose.edit.setPlainText("ü" * 10 + "ł")
    assert compose.counter.text() == "11 chars - 1 SMS segment (UCS-2)"
    compose.edit.setPlainText("x" * 161)
    assert compose.counter.text() == "161 chars - 2 SMS segments (GSM-7)"
    compose.edit.clear()
    assert compose.counter.text() == ""


def test_domain_error_shows_inline_and_keeps_the_text(
    qtbot: QtBot, compose: ComposeWidget, outbox: Outbox
) -> None:
    too_long = "y" * 1601
    compose.edit.setPlainText(too_long)
    assert send_button(compose).isEnabled()  # the length rule is told on send, in words
    qtbot.keyClick(compose.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert outbox.bodies == []
    assert compose.edit.toPlainText() == too_long
    assert compose.error.isVisible()
    assert compose.error.text() == "A message can be at most 1600 characters (this one has 1601)."
    assert "Traceback" not in compose.error.text()
    # Fixing the text clears the complaint.
    qtbot.keyClick(compose.edit, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(compose.edit, Qt.Key.Key_Backspace)
    assert compose.edit.toPlainText() == too_long[:-1]
    assert not compose.error.isVisible()


def test_unexpected_failure_keeps_the_text_and_says_so(qtbot: QtBot) -> None:
    def broken(_body: str) -> None:
        raise OSError("disk full")

    widget = make_compose(qtbot)
    widget.set_conversation("c1", broken)
    widget.show()
    qtbot.keyClicks(widget.edit, "hello")
    assert not widget.submit()
    assert widget.edit.toPlainText() == "hello"
    assert widget.error.isVisible()
    assert "disk full" not in widget.error.text()


def test_blocked_conversation_cannot_send(qtbot: QtBot, compose: ComposeWidget) -> None:
    qtbot.keyClicks(compose.edit, "hello")
    compose.set_blocked("A participant has turned on Do Not Disturb.")
    assert not send_button(compose).isEnabled()
    assert compose.error.text() == "A participant has turned on Do Not Disturb."
    compose.set_blocked(None)
    assert send_button(compose).isEnabled()
    assert not compose.error.isVisible()


def test_drafts_follow_their_conversation(
    qtbot: QtBot, compose: ComposeWidget, outbox: Outbox
) -> None:
    qtbot.keyClicks(compose.edit, "draft for one")
    compose.set_conversation("c2", outbox.send)
    assert compose.edit.toPlainText() == ""
    qtbot.keyClicks(compose.edit, "draft for two")
    compose.set_conversation("c1", outbox.send)
    assert compose.edit.toPlainText() == "draft for one"
    compose.set_conversation("", None)
    assert not compose.edit.isEnabled()
    assert not send_button(compose).isEnabled()


def test_error_raised_by_the_service_is_shown(qtbot: QtBot) -> None:
    def blocked(_body: str) -> None:
        raise DomainError(ErrorCode.GROUP_CHAT_BLOCKED, "Sending is blocked in this conversation.")

    widget = make_compose(qtbot)
    widget.set_conversation("c1", blocked)
    widget.show()
    qtbot.keyClicks(widget.edit, "hello")
    qtbot.mouseClick(send_button(widget), Qt.MouseButton.LeftButton)
    assert widget.error.text() == "Sending is blocked in this conversation."
    assert widget.edit.toPlainText() == "hello"
