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
import uuid
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import phonenumbers
import pytest
from pytestqt.qtbot import QtBot

from console.domain.contact_import_history import ImportStatus
from console.domain.conversations import ConversationKind
from console.domain.merge_fields import FIELDS
from console.domain.opt_out_hint import DEFAULT_HINT
from console.domain.phones import format_display
from console.domain.quiet_hours import STATE_CODES
from console.services.workspace import Workspace
from console.ui.i18n import PSEUDO, install_translations, remove_translations
from console.ui.main_window import MainWindow
from console.ui.opt_out_review import OptOutBanner, OptOutReviewButton
from console.ui.qt import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QLocale,
    QModelIndex,
    Qt,
    QWidget,
)
from console.ui.schedule_times import QUIET_HOURS_AT_ENV
from tests.support.backend_process import BackendProcess
from tests.ui.conftest import (
    MainWindowFactory,
    WorkspaceFactory,
    api,
    direct_chat,
    new_person,
    wait_first_sync,
)
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

    _assert_none_found(problems, names, descriptions)


# -- the views added later: notes, templates, scheduling, quiet hours, compliance, contacts
# import, DND history and the opt-out review ------------------------------------------------

PLEA = "please stop texting me"  # reads like an opt-out: the conversation gets a flag
IMPORT_ROWS = (
    ("Name", "Mobile Phone", "Email"),
    ("Pseudo Importone", "(469) 555-0171", "pseudo.one@example.com"),
    ("Pseudo Importtwo", "12345", ""),
    ("", "", ""),
)


def _arrange(backend: BackendProcess) -> str:
    """A 1:1 of the test's own (its id), a template, a scheduled message in it and a
    suspected opt-out on the server."""
    with api(backend) as http:
        conversation_id, _phone = direct_chat(http, "Pseudo Person", area="469")
        made = http.post("/v1/templates", json={
            "name": "Pseudo greeting", "body": "Hi {first_name}, {agent_name} here.",
            "shared": False})
        assert made.status_code == 201, made.text
        later = (datetime.now(UTC) + timedelta(days=2)).replace(microsecond=0)
        kept = http.post(f"/v1/conversations/{conversation_id}/messages",
                         json={"body": "Pseudo scheduled text", "send_at": later.isoformat()},
                         headers={"Idempotency-Key": str(uuid.uuid4())})
        assert kept.status_code == 201, kept.text
        _contact, phone = new_person(http, "Pseudo Optout", area="603")
        main = next(n for n in http.get("/v1/numbers").json()["items"]
                    if n["label"] == "Main office")
        inbound = http.post("/v1/simulator/inbound",
                            json={"from": phone, "to": [main["e164"]], "body": PLEA},
                            headers={"Idempotency-Key": str(uuid.uuid4())})
        assert inbound.status_code == 201, inbound.text
    return conversation_id


def _shown(qtbot: QtBot, dialog: QWidget | None) -> QWidget:
    assert dialog is not None
    qtbot.waitExposed(dialog)
    return dialog


def test_the_newer_views_say_everything_in_the_users_language(
    qtbot: QtBot,
    pseudo_locale: None,
    module_backend: BackendProcess,
    make_workspace: WorkspaceFactory,
    window_for: MainWindowFactory,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    direct = _arrange(module_backend)
    workspace = make_workspace(module_backend)
    wait_first_sync(qtbot, workspace)
    qtbot.waitUntil(lambda: bool(workspace.conversations.open_opt_outs()), timeout=15_000)
    qtbot.waitUntil(lambda: bool(workspace.templates.all()), timeout=15_000)
    window: MainWindow = window_for(workspace)
    problems: list[str] = []
    names: list[str] = []
    descriptions: list[str] = []

    def data() -> list[str]:
        found = _data_strings(tmp_path / "profile" / "cache.db")
        # Merge fields are written as they are in any language ("{first_name}", and the
        # misspelt one typed below), as are states' postal codes, the opt-out hint the
        # carriers' rules word in English, and the import file's own cells.
        found += ["{" + field + "}" for field in (*FIELDS, "nickname")]
        found += [*STATE_CODES, DEFAULT_HINT]
        found += [cell for row in IMPORT_ROWS for cell in row if cell]
        found += [cell for row in IMPORT_ROWS for cell in " ".join(row).split()]
        found.append("people.csv")
        return sorted(set(found), key=len, reverse=True)

    def check(top: QWidget) -> None:
        qtbot.wait(150)  # reads off the GUI thread
        _check(top, data(), problems, names, descriptions)

    # Compose in note mode, with the scheduled strip over it; the list of all scheduled sends.
    assert window.select_conversation(direct)
    compose = window.compose
    qtbot.waitUntil(lambda: compose.edit.isEnabled(), timeout=5_000)
    compose.set_note_mode(True)
    compose.edit.setPlainText("A note for the team")
    check(window)
    compose.set_note_mode(False)
    check(window)
    check(_shown(qtbot, window.scheduled.show_all()))
    window.scheduled.all_dialog.reject()  # type: ignore[union-attr]

    # The template picker (a template selected and filled in) and the editor, with a field
    # that does not exist named.
    picker = window.templates.open_picker()
    assert picker is not None
    qtbot.waitUntil(lambda: picker.model.rowCount() > 0, timeout=5_000)
    check(_shown(qtbot, picker))
    editor = window.templates.open_editor(None, body="Hi {nickname}")
    check(_shown(qtbot, editor))
    assert editor is not None
    editor.reject()
    picker.reject()

    # The schedule dialog, and the quiet hours warning before a send at night.
    compose.edit.setPlainText("Pseudo text to schedule")
    assert compose.request_schedule()
    qtbot.waitUntil(lambda: window.scheduled.dialog is not None, timeout=5_000)
    schedule = window.scheduled.dialog
    check(_shown(qtbot, schedule))
    assert schedule is not None
    schedule.reject()
    monkeypatch.setenv(QUIET_HOURS_AT_ENV, "08:00")  # night all over North America
    compose.submit()
    qtbot.waitUntil(lambda: window.scheduled.warning is not None, timeout=5_000)
    warning = window.scheduled.warning
    check(_shown(qtbot, warning))
    assert warning is not None
    warning.reject()
    compose.edit.clear()

    # The suspected opt-out: the sidebar's review list and the banner over its conversation.
    flagged = workspace.conversations.open_opt_outs()[0].conversation_id
    assert window.select_conversation(flagged)
    banner = window.findChild(OptOutBanner, "optOutBanner")
    assert banner is not None
    qtbot.waitUntil(banner.isVisible, timeout=5_000)
    review = window.findChild(OptOutReviewButton, "optOutReviewButton")
    assert review is not None
    qtbot.waitUntil(review.isVisible, timeout=5_000)
    check(window)

    # Compliance settings (the demo admin).
    compliance = window.compliance.open()
    assert compliance is not None
    qtbot.waitUntil(lambda: compliance.number_choice.count() > 0, timeout=5_000)
    check(_shown(qtbot, compliance))
    compliance.reject()

    # A contact's DND history (Harper Lewis texted STOP), and the contacts import: a file
    # read, its columns, its rows checked, imported.
    window.show_contacts_action.trigger()
    contacts = window.contacts_page
    assert contacts is not None
    harper = next(c for c in workspace.contacts.page("Harper Lewis", 0, 5)
                  if c.name == "Harper Lewis")
    contact = contacts.edit_contact(harper.id)
    assert contact is not None
    qtbot.waitExposed(contact)
    section = contact.dnd_history
    assert section is not None
    qtbot.waitUntil(lambda: section.view.count() > 0, timeout=5_000)
    check(contact)
    contact.reject()

    csv = tmp_path / "people.csv"
    csv.write_text("\n".join(",".join(row) for row in IMPORT_ROWS) + "\n", encoding="utf-8")
    imports = contacts.imports.open_dialog()
    assert imports is not None
    check(_shown(qtbot, imports))
    imports.choose_path(csv)
    qtbot.waitUntil(lambda: imports.step() == imports.MAPPING, timeout=5_000)
    check(imports)
    imports.next_button.click()
    qtbot.waitUntil(lambda: imports.step() == imports.PREVIEW, timeout=5_000)
    check(imports)
    imports.start_button.click()
    qtbot.waitUntil(lambda: imports.step() == imports.RESULT, timeout=5_000)
    qtbot.waitUntil(lambda: imports.shown_record() is not None
                    and imports.shown_record().status is ImportStatus.DONE,  # type: ignore[union-attr]
                    timeout=15_000)
    check(imports)
    imports.reject()
    reopened = contacts.imports.open_dialog()
    assert reopened is not None
    qtbot.waitUntil(lambda: reopened.history.count() > 0, timeout=5_000)
    check(_shown(qtbot, reopened))
    reopened.reject()

    _assert_none_found(problems, names, descriptions)


def _assert_none_found(problems: list[str], names: list[str], descriptions: list[str]) -> None:
    untranslated = sorted(set(problems))
    assert not untranslated, f"{len(untranslated)} texts not translatable:\n" + "\n".join(
        untranslated
    )
    assert not names, "controls without an accessible name:\n" + "\n".join(sorted(set(names)))
    assert not descriptions, "controls without an accessible description:\n" + "\n".join(
        sorted(set(descriptions))
    )
