"""The services' notices are worded by the ui (console/ui/notice_texts.py): each code has a
translatable sentence, every value lands in it, and an English console reads as before."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from console.services.auth import NO_KEYRING_NOTICE
from console.services.notices import CacheProblem, NoticeCode, SignOutProblem
from console.services.types import Notice
from console.ui.i18n import PSEUDO, PSEUDO_OPEN, install_translations, remove_translations
from console.ui.notice_texts import notice_text
from console.ui.notices import NoticeArea
from console.ui.qt import QApplication, QLabel


@pytest.fixture
def pseudo_locale(qapp: QApplication) -> Iterator[None]:
    translator = install_translations(qapp, PSEUDO)
    yield
    remove_translations(qapp, translator)


def _rebuilt(problem: CacheProblem, *, salvaged: int, readable: bool, moved: str) -> Notice:
    return Notice(
        "warning",
        "English for the log",
        code=NoticeCode.CACHE_REBUILT,
        values=(
            ("path", "/home/a/cache.db"),
            ("problem", problem.value),
            ("moved_to", moved),
            ("salvaged", salvaged),
            ("outbox_readable", int(readable)),
        ),
    )


def _sign_out(problem: SignOutProblem) -> Notice:
    return Notice(
        "warning",
        "English for the log",
        code=NoticeCode.SIGN_OUT_NOT_REVOKED,
        values=(("server", "https://msg.example"), ("problem", problem.value), ("code", "e42")),
    )


def _every_notice() -> list[Notice]:
    notices = [NO_KEYRING_NOTICE]
    notices += [_sign_out(problem) for problem in SignOutProblem]
    notices += [
        _rebuilt(problem, salvaged=2, readable=True, moved="/home/a/cache.db.corrupt-1")
        for problem in CacheProblem
    ]
    notices += [
        _rebuilt(CacheProblem.DAMAGED, salvaged=0, readable=False, moved=""),
        _rebuilt(CacheProblem.DAMAGED, salvaged=0, readable=True, moved=""),
    ]
    assert {n.code for n in notices} == set(NoticeCode)  # a new code must be added here
    return notices


def test_every_notice_code_is_worded_in_english() -> None:
    for notice in _every_notice():
        text = notice_text(notice)
        assert "English for the log" not in text  # worded from the code and values
        assert "{" not in text
    assert notice_text(_sign_out(SignOutProblem.UNREACHABLE)) == (
        "Signed out on this computer, but the server at https://msg.example could not be "
        "reached, so your sign-in was not cancelled there: it stays valid on the server until "
        "it expires or an administrator revokes it."
    )
    assert "(e42)" in notice_text(_sign_out(SignOutProblem.FAILED))
    rebuilt = _rebuilt(
        CacheProblem.TRUNCATED, salvaged=1, readable=True, moved="/home/a/cache.db.corrupt-1"
    )
    assert notice_text(rebuilt) == (
        "The local cache /home/a/cache.db could not be used (it is cut short); it is being "
        "rebuilt from the server. 1 change not sent yet was recovered and will be sent. The "
        "old file was kept as /home/a/cache.db.corrupt-1."
    )
    unreadable = notice_text(_rebuilt(CacheProblem.DAMAGED, salvaged=0, readable=False, moved=""))
    assert unreadable.endswith(
        "Changes that were not sent yet could not be read from it. The old file could not be "
        "kept."
    )


def test_a_notice_the_ui_worded_keeps_its_text() -> None:
    assert notice_text(Notice("info", "Worded by the ui already.")) == "Worded by the ui already."


def test_every_notice_code_is_translated(pseudo_locale: None) -> None:
    for notice in _every_notice():
        text = notice_text(notice)
        assert PSEUDO_OPEN in text, text
        assert "English for the log" not in text


def test_the_banner_shows_the_worded_notice(qtbot: QtBot, pseudo_locale: None) -> None:
    area = NoticeArea()
    qtbot.addWidget(area)
    banner = area.add(_sign_out(SignOutProblem.TLS_REFUSED))
    (label,) = [w for w in banner.findChildren(QLabel) if w.objectName() == "noticeText"]
    assert PSEUDO_OPEN in label.text()
    assert "https://msg.example" in label.text()
    assert banner.accessibleDescription() == label.text()
