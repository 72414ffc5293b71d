"""What the views say about times, statuses and SMS cost."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from console.ui.formatting import (
    clock_time,
    compose_counter,
    day_label,
    initials,
    list_time,
    status_label,
)

# A Wednesday, afternoon, local time.
NOW = datetime(2025, 11, 12, 15, 30).astimezone()


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (NOW.replace(hour=14, minute=5), "14:05"),
        (NOW.replace(hour=0, minute=1), "00:01"),
        (NOW - timedelta(days=1), "Yesterday"),
        (NOW - timedelta(days=2), "Mon"),
        (NOW - timedelta(days=6), "Thu"),
        (NOW - timedelta(days=7), "5 Nov"),
        (NOW.replace(month=1, day=3), "3 Jan"),
        (NOW.replace(year=2023, month=11, day=12), "12 Nov 2023"),
        (None, ""),
    ],
)
def test_list_time(moment: datetime | None, expected: str) -> None:
    assert list_time(moment, NOW) == expected


def test_list_time_reads_naive_values_as_utc() -> None:
    moment = datetime(2025, 11, 12, 14, 5)
    expected = moment.replace(tzinfo=UTC).astimezone().strftime("%H:%M")
    assert clock_time(moment) == expected


def test_day_label() -> None:
    today = date(2025, 11, 12)
    assert day_label(today, today) == "Today"
    assert day_label(date(2025, 11, 11), today) == "Yesterday"
    assert day_label(date(2025, 11, 3), today) == "Monday 3 November"
    assert day_label(date(2024, 2, 29), today) == "Thursday 29 February 2024"


def test_status_labels_and_failure_reason() -> None:
    assert status_label("pending") == "Sending…"
    assert status_label("queued") == "Queued"
    assert status_label("sent") == "Sent"
    assert status_label("delivered") == "Delivered"
    assert status_label("failed") == "Failed"
    reason = "Not delivered: a landline or unreachable carrier (carrier error 30006)."
    assert status_label("failed", reason) == reason
    assert status_label("delivered", "stale reason") == "Delivered"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "0 chars - 0 SMS segments (GSM-7)"),
        ("a", "1 char - 1 SMS segment (GSM-7)"),
        ("x" * 42, "42 chars - 1 SMS segment (GSM-7)"),
        ("  padded  ", "6 chars - 1 SMS segment (GSM-7)"),
        ("x" * 161, "161 chars - 2 SMS segments (GSM-7)"),
        ("Zażółć", "6 chars - 1 SMS segment (UCS-2)"),
        ("x" * 1601, "1601 chars - 11 SMS segments (GSM-7) - over the 1600-character limit"),
    ],
)
def test_compose_counter(text: str, expected: str) -> None:
    assert compose_counter(text) == expected


@given(st.text(max_size=400))
def test_compose_counter_never_fails(text: str) -> None:
    assert "SMS segment" in compose_counter(text)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Ava Admin", "AA"),
        ("maria", "MA"),
        ("Jean-Luc Picard", "JP"),
        ("+1 415 555", "#"),
        ("", "#"),
    ],
)
def test_initials(name: str, expected: str) -> None:
    assert initials(name) == expected


def test_a_group_message_sent_time_names_its_month_in_the_users_language(qapp: object) -> None:
    """The recipients pane's "5 Dec 01:23" took its month from strftime: English under any
    translation. It now comes from the user's locale once a translation is installed."""
    from console.ui.group_message_recipients import sent_text
    from console.ui.i18n import PSEUDO, install_translations, remove_translations
    from console.ui.qt import QApplication, QLocale

    moment = datetime(2026, 12, 5, 13, 23).astimezone()
    assert sent_text(moment, moment) == "5 Dec 13:23"
    assert sent_text(moment, moment.replace(year=2027)) == "5 Dec 2026 13:23"
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    before = QLocale()
    translator = install_translations(app, PSEUDO)
    QLocale.setDefault(QLocale(QLocale.Language.German, QLocale.Country.Germany))
    try:
        shown = sent_text(moment, moment)
    finally:
        QLocale.setDefault(before)
        remove_translations(app, translator)
    assert "Dez" in shown
    assert "Dec" not in shown
