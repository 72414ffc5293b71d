"""The sync status tooltip is worded here, in the user's language, from the engine's detail code
and values (the sync layer has no words of its own for it)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from pytestqt.qtbot import QtBot

from console.services.types import DetailCode, StatusDetail, SyncState, SyncStatus
from console.ui.i18n import PSEUDO, PSEUDO_OPEN, install_translations, remove_translations
from console.ui.qt import QApplication, QLocale
from console.ui.sync_status import SyncStatusWidget, detail_text, synced_ago

# Every value any code may carry: each code's wording takes the ones it needs.
VALUES: dict[str, str | int | float] = {"seconds": 4, "status": 503, "code": "sync_locked"}
WORDED = [code for code in DetailCode if code is not DetailCode.NONE]


@pytest.fixture
def pseudo_locale(qapp: QApplication) -> Iterator[None]:
    translator = install_translations(qapp, PSEUDO)
    yield
    remove_translations(qapp, translator)


def _status(code: DetailCode, /, **values: str | int | float) -> SyncStatus:
    return SyncStatus(SyncState.OFFLINE, detail=StatusDetail.of(code, **values))


@pytest.mark.parametrize("code", WORDED)
def test_every_detail_code_is_worded_in_english(code: DetailCode) -> None:
    text = detail_text(_status(code, **VALUES))
    assert text
    assert text != detail_text(_status(DetailCode("none")))
    assert text != "Sync status: no details"  # what a code with no wording here shows
    assert "{" not in text
    assert "%n" not in text
    assert "(s)" not in text


@pytest.mark.parametrize("code", WORDED)
def test_every_detail_code_goes_through_translate(
    qtbot: QtBot, pseudo_locale: None, code: DetailCode
) -> None:
    widget = SyncStatusWidget()
    qtbot.addWidget(widget)
    widget.set_status(_status(code, **VALUES))
    assert PSEUDO_OPEN in widget.toolTip()
    assert "{" not in widget.toolTip()


def test_no_detail_shows_the_status_itself_as_tooltip(qtbot: QtBot) -> None:
    widget = SyncStatusWidget()
    qtbot.addWidget(widget)
    widget.set_status(SyncStatus(SyncState.OFFLINE))
    assert detail_text(SyncStatus(SyncState.OFFLINE)) == ""
    assert widget.toolTip() == "Offline - showing cached data"


def test_english_sentences_with_their_values() -> None:
    def text(code: DetailCode, /, **values: str | int | float) -> str:
        return detail_text(_status(code, **values))

    assert text(DetailCode.RETRY_UNREACHABLE, seconds=4) == (
        "Backend unreachable - retrying in 4 seconds"
    )
    assert text(DetailCode.RETRY_BUSY, seconds=1) == "Server busy - retrying in 1 second"
    assert text(DetailCode.RETRY_SERVER_ERROR, seconds=90, status=503) == (
        "Server error (503) - retrying in 90 seconds"
    )
    assert text(DetailCode.RETRY_REFUSED, seconds=2, code="sync_locked") == (
        "Sync refused (sync_locked) - retrying in 2 seconds"
    )
    assert text(DetailCode.RESTARTING, seconds=1) == "Sync stopped - restarting in 1 second"
    assert text(DetailCode.LIVE) == "Live updates on"
    assert text(DetailCode.POLLING, seconds=0.5) == "Checking for changes every 0.5 s"
    assert text(DetailCode.LIVE_UNAVAILABLE, seconds=0.2) == (
        "Live updates unavailable on this server - checking for changes every 0.2 s"
    )
    assert text(DetailCode.SIGNED_OUT) == "Signed out: log in again"
    assert text(DetailCode.NOT_SIGNED_IN) == "Not signed in"


def test_the_first_words_are_translated_too(qtbot: QtBot, pseudo_locale: None) -> None:
    widget = SyncStatusWidget()
    qtbot.addWidget(widget)
    assert PSEUDO_OPEN in widget.text()
    assert PSEUDO_OPEN in widget.toolTip()


def test_an_older_sync_names_its_month_in_the_users_language(pseudo_locale: None) -> None:
    now = datetime(2025, 11, 12, 16, 30).astimezone()
    earlier = now - timedelta(days=40)
    text = synced_ago(earlier, now)
    assert PSEUDO_OPEN in text
    month = QLocale().monthName(earlier.month, QLocale.FormatType.ShortFormat)
    assert f"{earlier.day} {month}" in text
