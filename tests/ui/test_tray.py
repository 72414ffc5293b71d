"""The tray's badge, the words of notifications, and preferences read back from a hand-edited
settings file."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from pytestqt.qtbot import QtBot

from console.domain.conversations import ConversationKind, ConversationStatus
from console.domain.messages import Direction, MessageStatus
from console.services.types import ConversationRow, MessageRow
from console.ui.main_window import window_title
from console.ui.notifier import Notification, notification_for, summary_of
from console.ui.preferences import DO_NOT_DISTURB, Preferences
from console.ui.qt import QColor, QIcon, QSettings
from console.ui.theme import Colors, icon
from console.ui.tray import ICON_SIZE, badge_rect, badged_icon, count_text

NOW = datetime(2026, 12, 6, 9, 30, tzinfo=UTC)


def _row(kind: ConversationKind, title: str) -> ConversationRow:
    return ConversationRow(id="c1", kind=kind, title=title, subtitle="", preview="",
                           last_message_at=NOW, unread_count=1,
                           status=ConversationStatus.ACTIVE)


def _message(body: str, minutes: int, author: str = "Maria Lopez", **extra: str) -> MessageRow:
    return MessageRow(key=f"k{minutes}", server_id=None, conversation_id="c1",
                      direction=Direction.IN, author=author, body=body,
                      status=MessageStatus.DELIVERED, error=None,
                      created_at=NOW + timedelta(minutes=minutes), **extra)  # type: ignore[arg-type]


def _pixel(source: QIcon, x: float, y: float) -> QColor:
    return source.pixmap(ICON_SIZE, ICON_SIZE).toImage().pixelColor(int(x), int(y))


def test_the_badge_is_painted_only_when_something_is_unread(qtbot: QtBot) -> None:
    centre = badge_rect().center()
    assert _pixel(badged_icon(icon("agent-console"), 3), centre.x(), centre.y() + 8).name() \
        == Colors.danger.name()
    assert _pixel(badged_icon(icon("agent-console"), 0), centre.x(), centre.y() + 8).name() \
        != Colors.danger.name()
    assert [count_text(n) for n in (1, 99, 100, 4000)] == ["1", "99", "99+", "99+"]
    assert [window_title(n) for n in (0, 4)] == ["Agent Console", "(4) Agent Console"]


def test_what_a_notification_says() -> None:
    direct = _row(ConversationKind.DIRECT, "Maria Lopez")
    assert notification_for(direct, [_message("Hi", 0)]) == Notification(
        "c1", "Maria Lopez", "Hi")
    # Several at once: the newest, and how many; long text on one line, cut with an ellipsis.
    long = "word " * 100
    note = notification_for(direct, [_message(long, 2), _message("older", 1)])
    assert note.title == "Maria Lopez (2 new)"
    assert len(note.body) == 200
    assert note.body.endswith("…")
    assert "\n" not in note.body
    group = _row(ConversationKind.GROUP_SMS, "Elm Street buyers")
    assert notification_for(group, [_message("Sure", 0, author="Dan")]).title \
        == "Dan in Elm Street buyers"
    app = _row(ConversationKind.IN_APP, "Maria Lopez")
    reply = _message("Count me in", 0, reply_to_group_message_id="gm1",
                     reply_to_title="Open house")
    assert notification_for(app, [reply]).title == "Maria Lopez replied to “Open house”"
    untitled = _message("Yes", 0, reply_to_group_message_id="gm1")
    assert notification_for(app, [untitled]).title == "Maria Lopez replied to “a group message”"

    notes = [Notification(f"c{i}", f"Person {i} (2 new)", "x") for i in range(4)]
    assert summary_of(notes, 7) == Notification(
        "c0", "7 new messages in 4 conversations", "Person 0, Person 1 and 2 more")
    assert summary_of(notes[:2], 3).body == "Person 0 and Person 1"


def test_preferences_read_a_bad_value_as_the_default(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "prefs.ini"
    path.write_text("[notifications]\ndo_not_disturb=maybe\ndesktop=false\n", encoding="utf-8")
    prefs = Preferences(QSettings(str(path), QSettings.Format.IniFormat))
    assert prefs.do_not_disturb is False
    assert prefs.desktop_notifications is False
    with qtbot.waitSignal(prefs.changed) as changed:
        prefs.set_do_not_disturb(True)
    assert changed.args == [DO_NOT_DISTURB]
    again = Preferences(QSettings(str(path), QSettings.Format.IniFormat))
    assert again.do_not_disturb is True
