"""Compose on its own: enabling, Ctrl+Enter, the counter, inline errors, drafts, and what the
conversation's context changes (in-app, group send confirmation, read-only chats).

The send handler here is the domain's own body rule (normalize_body), recording what passed;
the full path through the real services is in test_main_window.py.
"""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from console.domain.conversations import ConversationKind
from console.domain.errors import DomainError, ErrorCode
from console.domain.messages import normalize_body
from console.ui.compose import ComposeContext, ComposeWidget
from console.ui.qt import QAbstractButton, QMessageBox, QPushButton, Qt


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


def test_over_the_length_limit_send_is_off_and_the_counter_says_why(
    qtbot: QtBot, compose: ComposeWidget, outbox: Outbox
) -> None:
    too_long = "y" * 1601
    compose.edit.setPlainText(too_long)
    assert not send_button(compose).isEnabled()
    assert compose.counter.text().endswith("over the 1600-character limit")
    qtbot.keyClick(compose.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert outbox.bodies == []
    assert compose.edit.toPlainText() == too_long
    # Fixing the text brings Send back.
    qtbot.keyClick(compose.edit, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(compose.edit, Qt.Key.Key_Backspace)
    assert compose.edit.toPlainText() == too_long[:-1]
    assert send_button(compose).isEnabled()
    assert "limit" not in compose.counter.text()
    # Outer whitespace is not sent, so it does not count.
    compose.edit.setPlainText("  " + "y" * 1600 + "\n\n")
    assert send_button(compose).isEnabled()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The escape sequence of € does not fit in the first segment's last septet.
        ("a" * 152 + "€" + "a" * 152, "305 chars - 3 SMS segments (GSM-7)"),
        # 33 emoji fill a segment (66 of 67 units): a surrogate pair is never split.
        ("😀" * 67, "67 chars - 3 SMS segments (UCS-2)"),
        ("😀" * 35, "35 chars - 1 SMS segment (UCS-2)"),
        ("€" * 80, "80 chars - 1 SMS segment (GSM-7)"),
    ],
)
def test_counter_counts_segments_as_a_carrier_splits_them(
    compose: ComposeWidget, text: str, expected: str
) -> None:
    compose.edit.setPlainText(text)
    assert compose.counter.text() == expected


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


def test_blocked_conversation_cannot_send_and_takes_no_focus(
    qtbot: QtBot, compose: ComposeWidget
) -> None:
    qtbot.keyClicks(compose.edit, "hello")
    compose.set_blocked("A participant has turned on Do Not Disturb.")
    assert not send_button(compose).isEnabled()
    assert not compose.edit.isEnabled()
    assert compose.edit.focusPolicy() == Qt.FocusPolicy.NoFocus
    assert compose.error.text() == "A participant has turned on Do Not Disturb."
    assert not compose.submit()
    assert compose.edit.toPlainText() == "hello"  # the draft waits
    compose.set_blocked(None)
    assert compose.edit.isEnabled()
    assert compose.edit.focusPolicy() == Qt.FocusPolicy.StrongFocus
    assert send_button(compose).isEnabled()
    assert not compose.error.isVisible()


def test_a_read_only_conversation_says_why_until_another_is_opened(
    qtbot: QtBot, compose: ComposeWidget, outbox: Outbox
) -> None:
    reason = "You may not send from Diego's line, the number this chat uses."
    compose.set_context(
        "c2", ComposeContext(kind=ConversationKind.GROUP_SMS, recipients=3, read_only_reason=reason)
    )
    assert compose.edit.isEnabled()  # c1 is open: c2's context waits for it
    compose.set_conversation("c2", outbox.send)
    assert not compose.edit.isEnabled()
    assert compose.error.text() == reason
    assert not send_button(compose).isEnabled()
    compose.set_conversation("c1", outbox.send)
    assert compose.edit.isEnabled()
    assert not compose.error.isVisible()
    # The context can also change while the conversation is open (access granted).
    compose.set_context("c1", ComposeContext(read_only_reason=reason))
    assert not compose.edit.isEnabled()
    compose.set_context("c1", ComposeContext())
    assert compose.edit.isEnabled()
    assert not compose.error.isVisible()


def test_in_app_conversation_counts_no_segments(qtbot: QtBot, compose: ComposeWidget) -> None:
    compose.set_context("c1", ComposeContext(kind=ConversationKind.IN_APP))
    compose.edit.setPlainText("x" * 500)
    assert compose.counter.text() == "500 chars - In-app message"
    compose.edit.setPlainText("x" * 1601)
    assert compose.counter.text() == "1601 chars - In-app message - over the 1600-character limit"
    assert not send_button(compose).isEnabled()


def confirm_box(compose: ComposeWidget) -> QMessageBox | None:
    shown = [b for b in compose.findChildren(QMessageBox, "groupSendConfirm") if b.isVisible()]
    assert len(shown) <= 1
    return shown[0] if shown else None


def test_a_group_send_over_three_sms_asks_first(
    qtbot: QtBot, compose: ComposeWidget, outbox: Outbox
) -> None:
    compose.set_context("c1", ComposeContext(kind=ConversationKind.GROUP_SMS, recipients=3))
    # 1 segment x 3 participants = 3 SMS: sent at once.
    qtbot.keyClicks(compose.edit, "Short one")
    assert compose.counter.text() == "9 chars - 1 SMS segment (GSM-7) x 3 participants = 3 SMS"
    qtbot.keyClick(compose.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert outbox.bodies == ["Short one"]
    assert confirm_box(compose) is None

    # 2 segments x 3 = 6 SMS: asked first; Cancel keeps the text and sends nothing.
    long_text = "z" * 200
    compose.edit.setPlainText(long_text)
    assert not compose.submit()
    box = confirm_box(compose)
    assert box is not None
    assert box.text() == "This message goes out as 6 SMS: 2 SMS segments to each of 3 participants."
    box.reject()
    qtbot.waitUntil(lambda: confirm_box(compose) is None)
    assert outbox.bodies == ["Short one"]
    assert compose.text() == long_text

    # Asked again; Send sends it once.
    qtbot.keyClick(compose.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    box = confirm_box(compose)
    assert box is not None
    send = box.findChild(QAbstractButton, "groupSendConfirmSend")
    assert send is not None
    with qtbot.waitSignal(compose.sent):
        qtbot.mouseClick(send, Qt.MouseButton.LeftButton)
    assert outbox.bodies == ["Short one", long_text]
    assert compose.text() == ""


def test_a_direct_sms_never_asks(qtbot: QtBot, compose: ComposeWidget, outbox: Outbox) -> None:
    compose.edit.setPlainText("z" * 700)  # 5 segments, one recipient
    assert compose.submit()
    assert outbox.bodies == ["z" * 700]
    assert confirm_box(compose) is None


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
