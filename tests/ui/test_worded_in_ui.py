"""Texts the services used to word are worded in the ui, through `translate`: the services
give codes and values (FailedWrite.kind and .subject, PickerRow.code, DomainError.hint) and
under the pseudo-locale every sentence made of them comes back bracketed. In English they read
as they always did."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pytest
from pytestqt.qtbot import QtBot

from console.domain.errors import DomainError, ErrorCode
from console.services.contacts import ContactProblem, check_email, check_name, check_phone
from console.services.group_chats import PhoneHit, PickerRow
from console.services.outbox import FailedWrite
from console.store.outbox import OutboxKind
from console.ui.chosen_chips import Chip
from console.ui.contact_editor import phone_hint, problem_text
from console.ui.contact_picker_model import ContactPickerModel
from console.ui.error_texts import code_text
from console.ui.i18n import PSEUDO, PSEUDO_OPEN, install_translations, remove_translations
from console.ui.qt import QApplication, Qt
from console.ui.refused_writes import KIND_LABELS, RefusedWritesModel, kind_label, refused_what

WHEN = datetime(2026, 12, 4, 9, 30, tzinfo=UTC)

# The labels as the outbox service worded them before the ui did.
ENGLISH_KINDS = {
    "send_message": "Message",
    "note_create": "Internal note",
    "mark_read": "Read mark",
    "mark_unread": "Unread mark",
    "contact_edit": "Contact change",
    "contact_create": "New contact",
    "contact_delete": "Delete contact",
    "create_group_chat": "New group chat",
    "group_member_add": "Add to group",
    "group_member_remove": "Remove from group",
    "group_message": "Group message",
    "create_group": "New group",
    "rename_group": "Rename group",
    "delete_group": "Delete group",
    "opt_out_confirm": "Confirm opt-out",
    "opt_out_dismiss": "Not an opt-out",
    "schedule_create": "Scheduled message",
    "schedule_edit": "Scheduled message change",
    "schedule_cancel": "Cancel scheduled message",
    "template_create": "New template",
    "template_edit": "Template change",
    "template_delete": "Delete template",
    "number_edit": "Opt-out hint",
    "quiet_hours_set": "State quiet hours",
    "quiet_hours_clear": "Clear state quiet hours",
    "contact_import": "Contact import",
    "contact_import_undo": "Undo contact import",
}

MARIA, PHONE = "Maria Gonzalez", "+14155550111"
# Every rule a picker row can break, with its (reason, tooltip) in English.
ENGLISH_REASONS = {
    ErrorCode.PARTICIPANT_DND: (
        "Do Not Disturb is on",
        "Maria Gonzalez has Do Not Disturb on, so group chats cannot text them. "
        "Turning it off is the contact's decision (they text START).",
    ),
    ErrorCode.REGION_NOT_SUPPORTED: (
        "Not a US or Canada number",
        "(415) 555-0111 is outside the US and Canada. Group chats text US and Canada numbers "
        "only; pick another of their numbers if they have one.",
    ),
    ErrorCode.CONTACT_NOT_ASSIGNED: (
        "Not assigned to you",
        "Maria Gonzalez is not assigned to you. With assigned-only access a group chat may "
        "include only your own contacts; ask an admin to assign them to you.",
    ),
    ErrorCode.NOT_FOUND: (
        "No longer available",
        "Maria Gonzalez was deleted or is no longer visible to you.",
    ),
    ErrorCode.PHONE_NOT_ON_CONTACT: (
        "No longer one of their numbers",
        "(415) 555-0111 is no longer on Maria Gonzalez's card; pick one of their current "
        "numbers.",
    ),
    ErrorCode.INVALID_PHONE: ("Not a valid number", "+14155550111 is not a valid phone number."),
    ErrorCode.DUPLICATE_PARTICIPANT: ("Already chosen", "(415) 555-0111 is already in this chat."),
    ErrorCode.FORBIDDEN: (
        "Cannot be added", "Maria Gonzalez cannot be added to a group chat (forbidden)."
    ),
}

# What a user might type, and the check that refuses it.
REFUSED_INPUT: dict[ContactProblem, Callable[[], object]] = {
    ContactProblem.NAME_MISSING: lambda: check_name("   "),
    ContactProblem.NAME_TOO_LONG: lambda: check_name("x" * 201),
    ContactProblem.PHONE_MISSING: lambda: check_phone(" "),
    ContactProblem.PHONE_LETTERS: lambda: check_phone("415 555 01x1"),
    ContactProblem.PHONE_NEEDS_COUNTRY_CODE: lambda: check_phone("44 20 7946 0123 99"),
    ContactProblem.PHONE_TOO_SHORT: lambda: check_phone("415 555"),
    ContactProblem.PHONE_NOT_VALID: lambda: check_phone("(111) 555-0111"),
    ContactProblem.EMAIL_NOT_VALID: lambda: check_email("nina@"),
}
ENGLISH_PROBLEMS = {
    ContactProblem.NAME_MISSING: "A contact needs a name.",
    ContactProblem.NAME_TOO_LONG: "A name has at most 200 characters.",
    ContactProblem.PHONE_MISSING: "Type a number.",
    ContactProblem.PHONE_LETTERS: "Use digits only (a + first for another country).",
    ContactProblem.PHONE_NEEDS_COUNTRY_CODE: (
        "For a number outside the US and Canada, start with + and the country code."
    ),
    ContactProblem.PHONE_TOO_SHORT: "Too short: a US or Canada number has 10 digits.",
    ContactProblem.PHONE_NOT_VALID: "This is not a valid number; check the area code.",
    ContactProblem.EMAIL_NOT_VALID: (
        "Not an email address: give one address like name@example.com."
    ),
    ContactProblem.TOO_MANY_PHONES: "A contact has at most 10 numbers.",
    ContactProblem.PHONE_TWICE: "The same number is listed twice.",
    ContactProblem.NOTHING_TO_CHANGE: "Nothing to change.",
}


@pytest.fixture
def pseudo_locale(qapp: QApplication) -> Iterator[None]:
    translator = install_translations(qapp, PSEUDO)
    yield
    remove_translations(qapp, translator)


def _failed(kind: str, subject: str) -> FailedWrite:
    return FailedWrite("k1", kind, subject, "not_found", "No group.", WHEN)


def _picker(code: ErrorCode) -> ContactPickerModel:
    hit = PhoneHit("cnt_1", MARIA, PHONE, "primary", dnd=False, assigned_user_id=None)
    model = ContactPickerModel()
    model.set_source(
        lambda text, offset, limit: [hit] if offset == 0 else [],
        lambda h: PickerRow(h.contact_id, h.name, h.phone, h.label, code=code),
    )
    model.set_search("")
    return model


def _problem(problem: ContactProblem) -> DomainError:
    code = ErrorCode.INVALID_PHONE if "phone" in problem.value else ErrorCode.VALIDATION_ERROR
    return DomainError(code, "English detail for the log.", hint=problem.value)


# -- refused writes ---------------------------------------------------------------------------


def test_every_outbox_kind_has_a_label_that_reads_as_before() -> None:
    assert {kind.value for kind in OutboxKind} == set(KIND_LABELS) == set(ENGLISH_KINDS)
    for kind in OutboxKind:
        assert kind_label(kind.value) == ENGLISH_KINDS[kind.value]
        assert refused_what(_failed(kind.value, "Open house")) == (
            f"{ENGLISH_KINDS[kind.value]}: Open house"
        )
        assert refused_what(_failed(kind.value, "")) == ENGLISH_KINDS[kind.value]
    assert kind_label("a_newer_kind") == "a_newer_kind"  # a newer console's, as it is


def test_refused_write_labels_are_translated(pseudo_locale: None) -> None:
    for kind in OutboxKind:
        label = kind_label(kind.value)
        assert label.startswith(PSEUDO_OPEN), kind
        what = refused_what(_failed(kind.value, "Open house"))
        assert what.startswith(PSEUDO_OPEN), what
        assert label in what, what
        assert "Open house" in what, what
    model = RefusedWritesModel()
    model.set_items([_failed(OutboxKind.GROUP_MESSAGE.value, "Open house")])
    shown = model.data(model.index(0, 0), Qt.ItemDataRole.DisplayRole)
    assert shown.split("\n")[0] == refused_what(_failed("group_message", "Open house"))
    assert model.data(model.index(0, 0), RefusedWritesModel.WhatRole).startswith(PSEUDO_OPEN)


# -- the group editor's participant rules -----------------------------------------------------


def test_picker_rows_say_why_in_english_as_before(qtbot: QtBot) -> None:
    for code, (reason, tooltip) in ENGLISH_REASONS.items():
        model = _picker(code)
        index = model.index(0, 0)
        assert model.data(index, ContactPickerModel.ReasonRole) == reason
        assert model.data(index, Qt.ItemDataRole.ToolTipRole) == tooltip
        assert model.data(index, ContactPickerModel.AddableRole) is False
        row = model.row_at(0)
        assert row is not None
        chip = Chip(row)
        qtbot.addWidget(chip)
        assert chip.toolTip() == tooltip


def test_picker_rows_say_why_in_the_users_language(qtbot: QtBot, pseudo_locale: None) -> None:
    for code in ENGLISH_REASONS:
        model = _picker(code)
        index = model.index(0, 0)
        reason = model.data(index, ContactPickerModel.ReasonRole)
        tooltip = model.data(index, Qt.ItemDataRole.ToolTipRole)
        assert reason.startswith(PSEUDO_OPEN), (code, reason)
        assert tooltip.startswith(PSEUDO_OPEN), (code, tooltip)
        row = model.row_at(0)
        assert row is not None
        chip = Chip(row)
        qtbot.addWidget(chip)
        assert chip.toolTip() == tooltip


# -- the contact editor's number hint and field checks ----------------------------------------


def test_phone_hint_reads_as_before_in_english() -> None:
    assert phone_hint("+14155550111") == "(415) 555-0111 · US"
    assert phone_hint("+442079460123") == (
        "+44 20 7946 0123 · GB (group SMS chats take US and Canada numbers only)"
    )


def test_phone_hint_is_translated(pseudo_locale: None) -> None:
    for e164 in ("+14155550111", "+442079460123"):
        hint = phone_hint(e164)
        assert hint.startswith(PSEUDO_OPEN), hint
    assert "(415) 555-0111" in phone_hint("+14155550111")


def test_each_refused_field_is_named_by_its_hint() -> None:
    for problem, refuse in REFUSED_INPUT.items():
        with pytest.raises(DomainError) as caught:
            refuse()
        assert caught.value.hint == problem.value
        assert problem_text(caught.value) == ENGLISH_PROBLEMS[problem]
    assert set(ENGLISH_PROBLEMS) == set(ContactProblem)
    for problem in ContactProblem:
        assert problem_text(_problem(problem)) == ENGLISH_PROBLEMS[problem]
    # A refusal with no hint: the service's words in English, as before.
    plain = DomainError(ErrorCode.PHONE_TAKEN, "Another contact has it.")
    assert problem_text(plain) == "Another contact has it."


def test_every_field_problem_is_worded_in_the_users_language(pseudo_locale: None) -> None:
    for problem in ContactProblem:
        exc = _problem(problem)
        text = problem_text(exc)
        assert text.startswith(PSEUDO_OPEN), (problem, text)
        # Its own sentence, not the code's general one.
        assert text != code_text(exc.code), problem
