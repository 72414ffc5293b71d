"""Under the pseudo-locale, with a synced demo workspace on screen (names, messages, groups),
everything the console says in its own words is translated, and every control in the views
and dialogs that only data opens has an accessible name and a description.

A text on screen is either ours (accented by the pseudo-locale: "⟦Šéñd⟧") or data: a string
the cache holds (a name, a body, a label, a number) or a part of one (a first name in a
title). Once the data is taken out of a text, no word may be left with a plain a, c, e, i, n,
o, s, u or y: the pseudo-locale accents every one of those in what it translated, so such a
word did not go through `translate` (also inside a translated sentence, as a value put into
it)."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path

import phonenumbers
import pytest
from pytestqt.qtbot import QtBot

from console.domain.conversations import ConversationKind
from console.domain.phones import format_display
from console.services.workspace import Workspace
from console.ui.i18n import PSEUDO, install_translations, remove_translations
from console.ui.main_window import MainWindow
from console.ui.qt import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QLocale,
    QModelIndex,
    Qt,
    QWidget,
)
from tests.support.backend_process import BackendProcess
from tests.ui.conftest import MainWindowFactory, WorkspaceFactory, wait_first_sync
from tests.ui.test_accessible_names import _undescribed, _unnamed
from tests.ui.test_pseudo_locale import _plain, _texts

_WORD = re.compile(r"[^\W\d_]{2,}")  # two letters in a row: a word, not an initial
_PLAIN = re.compile("[aceinosuyACEINOSUY]")  # letters the pseudo-locale always accents
_ROWS = 15  # rows of each list read for their texts
_COLUMNS = 20
_ROLES = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole,
          Qt.ItemDataRole.AccessibleTextRole, Qt.ItemDataRole.AccessibleDescriptionRole)


@pytest.fixture
def pseudo_locale(qapp: QApplication) -> Iterator[None]:
    translator = install_translations(qapp, PSEUDO)
    yield
    remove_translations(qapp, translator)


def _data_strings(cache: Path) -> list[str]:
    """Every text the cache holds, its numbers as they are shown, and the words of names;
    longest first, so a whole name goes before its first name."""
    found: set[str] = set()
    db = sqlite3.connect(f"file:{cache}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for table in tables:
            if table.startswith(("sqlite_", "message_search")):
                continue
            columns = [r[1] for r in db.execute(f'PRAGMA table_info("{table}")')]
            for column in columns:
                rows = db.execute(f'SELECT DISTINCT "{column}" FROM "{table}"')
                for (value,) in rows:
                    if isinstance(value, str) and value.strip():
                        found.add(value.strip())
                        if value.startswith("+"):
                            found.add(format_display(value))
                        if column in ("name", "title", "label") or column.endswith("_name"):
                            found.update(value.split())
    finally:
        db.close()
    # Not ours to translate either: region codes ("US") and the locale's month and day names,
    # which Qt's locale data gives in the user's language.
    found.update(phonenumbers.SUPPORTED_REGIONS)
    locale = QLocale()
    for form in (QLocale.FormatType.ShortFormat, QLocale.FormatType.LongFormat):
        found.update(locale.monthName(month, form) for month in range(1, 13))
        found.update(locale.standaloneDayName(day, form) for day in range(1, 8))
    return sorted(found, key=len, reverse=True)


def _model_texts(view: QAbstractItemView) -> Iterable[tuple[str, str]]:
    model = view.model()  # typed as never None; a view without one has no rows to read
    where = f"{type(view).__name__} {view.objectName()!r} row"
    for row in range(min(model.rowCount(QModelIndex()), _ROWS)):
        # (a list model's columnCount is private in PySide: walk the columns instead)
        for column in range(_COLUMNS):
            index = model.index(row, column, QModelIndex())
            if not index.isValid():
                break
            for role in _ROLES:
                value = model.data(index, role)
                if isinstance(value, str):
                    yield where, value


def _plain_words(text: str, data: list[str]) -> list[str]:
    """The words of `text` that are neither data nor translated."""
    left = _plain(text)
    for value in data:
        if value in left:
            left = left.replace(value, " ")
    return [word for word in _WORD.findall(left) if _PLAIN.search(word)]


def _untranslated(top: QWidget, data: list[str]) -> list[str]:
    texts = list(_texts(top))
    for view in top.findChildren(QAbstractItemView):
        if view.isVisible():
            texts += _model_texts(view)
    return sorted({
        f"{where}: {words} in {text!r}" for where, text in texts
        if (words := _plain_words(text, data))
    })


def _check(
    top: QWidget,
    data: list[str],
    problems: list[str],
    names: list[str],
    descriptions: list[str],
) -> None:
    problems += _untranslated(top, data)
    names += [f"{top.objectName()}: {name}" for name in _unnamed(top)]
    descriptions += [f"{top.objectName()}: {name}" for name in _undescribed(top)]


def _group_chat(workspace: Workspace) -> str:
    rows = workspace.conversations.list_conversations()
    return next(r.id for r in rows if r.kind is ConversationKind.GROUP_SMS)


def test_views_with_data_say_everything_in_the_users_language(
    qtbot: QtBot,
    pseudo_locale: None,
    module_backend: BackendProcess,
    make_workspace: WorkspaceFactory,
    window_for: MainWindowFactory,
    tmp_path: Path,
) -> None:
    workspace = make_workspace(module_backend)
    wait_first_sync(qtbot, workspace)
    window: MainWindow = window_for(workspace)
    data = _data_strings(tmp_path / "profile" / "cache.db")
    assert len(data) > 100  # the demo's names and messages really are in the cache
    problems: list[str] = []
    names: list[str] = []
    descriptions: list[str] = []

    # A group chat with its messages and its participant panel.
    assert window.show_participants(_group_chat(workspace))
    qtbot.waitUntil(lambda: window.conversation_view.isVisible(), timeout=5_000)
    qtbot.wait(200)  # its messages are read off the GUI thread
    _check(window, data, problems, names, descriptions)

    for action in (window.show_contacts_action, window.show_groups_action,
                   window.show_group_messages_action, window.show_history_action):
        action.trigger()
        qtbot.wait(200)
        _check(window, data, problems, names, descriptions)

    # The dialogs and forms only data opens: the group editor, a contact, the composer.
    window.show_conversations_action.trigger()
    editor = window.new_group_chat()
    assert isinstance(editor, QDialog)
    qtbot.waitExposed(editor)
    qtbot.wait(200)
    _check(editor, data, problems, names, descriptions)
    editor.reject()

    window.show_contacts_action.trigger()
    contacts = window.contacts_page
    assert contacts is not None
    first = workspace.contacts.page("", 0, 1)[0]
    contact = contacts.edit_contact(first.id)
    assert contact is not None
    qtbot.waitExposed(contact)
    _check(contact, data, problems, names, descriptions)
    contact.reject()

    window.show_group_messages_action.trigger()
    messages = window.group_messages_page
    assert messages is not None
    messages.new_group_message()
    qtbot.wait(100)
    _check(window, data, problems, names, descriptions)

    untranslated = sorted(set(problems))
    assert not untranslated, f"{len(untranslated)} texts not translatable:\n" + "\n".join(
        untranslated
    )
    assert not names, "controls without an accessible name:\n" + "\n".join(sorted(set(names)))
    assert not descriptions, "controls without an accessible description:\n" + "\n".join(
        sorted(set(descriptions))
    )
