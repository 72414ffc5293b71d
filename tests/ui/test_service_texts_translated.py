"""Texts the services used to word in English now reach the screen through `translate`: the
services hand over data (a participant's changes, who wrote a message with "" for a name they
do not have, a group chat's participant count, the history filter, why a chat's number may not
be sent from) and the views word it. Under the pseudo-locale each comes back
bracketed; in English it reads as before."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from console.domain.contact_import import RowCode
from console.domain.contact_import_history import ImportProblem
from console.domain.conversations import ConversationKind, ConversationStatus
from console.domain.errors import DomainError, ErrorCode
from console.domain.group_chat import TAG_UPDATED, ParticipantChanges
from console.domain.messages import Direction, MessageStatus
from console.domain.opt_out_hint import normalize_hint
from console.domain.scheduled import ScheduleProblem
from console.domain.templates import TemplateProblem
from console.services.chat_details import ChatDetails, ParticipantRow
from console.services.history import (
    AuthorOption,
    AuthorRef,
    FilterOptions,
    GroupOption,
    HistoryChannel,
    HistoryFilter,
    HistoryRow,
    JumpTarget,
    NumberOption,
)
from console.services.types import AuthorKind, ConversationRow, MessageRow, SendDenied
from console.ui.compliance import compliance_refusal_text
from console.ui.contact_import import problem_text as import_problem
from console.ui.contact_import_model import code_text as row_code_text
from console.ui.conversation_list import subtitle_text
from console.ui.conversation_view import compose_context
from console.ui.history_csv import row_cells
from console.ui.history_model import entry
from console.ui.history_query import choices, filter_description, title_text
from console.ui.i18n import PSEUDO, PSEUDO_OPEN, install_translations, remove_translations
from console.ui.message_model import MessageListModel
from console.ui.no_messages import no_messages_text, send_denied_text
from console.ui.notifier import notification_for
from console.ui.participant_panel import ParticipantListModel
from console.ui.participant_text import changes_of, describe, tag_meaning
from console.ui.qt import QApplication, Qt
from console.ui.schedule_dialog import problem_text as schedule_problem
from console.ui.template_editor import unknown_text
from console.ui.template_insert import problem_text as template_problem
from console.ui.template_picker import missing_text

WHEN = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
FROZEN, GONE, ADDED = "+14155550111", "+14155550112", "+14155550199"


@pytest.fixture
def pseudo_locale(qapp: QApplication) -> Iterator[None]:
    translator = install_translations(qapp, PSEUDO)
    yield
    remove_translations(qapp, translator)


def _bracketed(text: str) -> bool:
    return text.startswith(PSEUDO_OPEN)


# -- a participant's changes (ChatDetailService: data; participant_text: words) -------------

CHANGED = ParticipantRow(
    contact_id="c1",
    name="Maria Gonzalez",
    phone=FROZEN,
    phone_display="(415) 555-0111",
    phone_label="",
    tags=(TAG_UPDATED,),
    changes=ParticipantChanges(
        number_gone=True, name_was="Maria Lopez", phones_removed=(GONE,), phones_added=(ADDED,)
    ),
    number_gone=True,
)
ENGLISH_CHANGES = (
    "Name was Maria Lopez",
    "(415) 555-0111 no longer on the contact",
    "(415) 555-0112 removed from the contact",
    "(415) 555-0199 added to the contact",
)


def _participant_model(qapp: QApplication) -> ParticipantListModel:
    model = ParticipantListModel(qapp)
    model.set_participants([CHANGED])
    return model


def test_participant_changes_read_as_before_in_english(qapp: QApplication) -> None:
    assert changes_of(CHANGED) == ENGLISH_CHANGES
    meaning = tag_meaning(CHANGED, TAG_UPDATED)
    assert [f"\u2022 {line}" for line in ENGLISH_CHANGES] == meaning.splitlines()[1:-1]
    model = _participant_model(qapp)
    tooltip = model.data(model.index(0), Qt.ItemDataRole.ToolTipRole)
    assert "\u2022 Name was Maria Lopez" in tooltip
    assert "\u2022 (415) 555-0199 added to the contact" in tooltip
    assert model.data(model.index(0), ParticipantListModel.TagMeaningsRole) == {
        "Updated": meaning
    }
    # A row with nothing recorded (the server's tags only) says no more than the tag.
    assert changes_of(ParticipantRow("c2", "Lily", FROZEN, "(415) 555-0111", "", ())) == ()


def test_participant_changes_are_translated(qapp: QApplication, pseudo_locale: None) -> None:
    lines = changes_of(CHANGED)
    assert len(lines) == 4
    assert all(_bracketed(line) for line in lines), lines
    # The values stay as they are: the name then, the numbers in the display format.
    assert "Maria Lopez" in lines[0]
    for line, number in zip(
        lines[1:], ("(415) 555-0111", "(415) 555-0112", "(415) 555-0199"), strict=True
    ):
        assert number in line
    tooltip = describe(CHANGED)
    for line in lines:
        assert f"\u2022 {line}" in tooltip
    assert "no longer on the contact" not in tooltip.replace(PSEUDO_OPEN, "")
    model = _participant_model(qapp)
    shown = model.data(model.index(0), Qt.ItemDataRole.ToolTipRole)
    assert shown == tooltip
    assert "Name was" not in shown


# -- a sender nobody can tell ("" from the services) -----------------------------------------


def _message(author: str, kind: AuthorKind = AuthorKind.CONTACT) -> MessageRow:
    direction = Direction.IN if kind is AuthorKind.CONTACT else Direction.OUT
    return MessageRow(
        key="1", server_id="m1", conversation_id="c1", direction=direction, author=author,
        body="hello", status=MessageStatus.RECEIVED, error=None, created_at=WHEN,
        author_kind=kind,
    )


def _history_row(
    author: str, kind: AuthorKind = AuthorKind.CONTACT, title: str = "Team chat",
    channel: HistoryChannel = HistoryChannel.GROUP_SMS,
) -> HistoryRow:
    direction = Direction.IN if kind is AuthorKind.CONTACT else Direction.OUT
    return HistoryRow(
        key="1", channel=channel, conversation_id="c1",
        conversation_title=title, direction=direction, author=author, body="hello",
        status=MessageStatus.RECEIVED, created_at=WHEN, number_label="",
        target=JumpTarget(conversation_id="c1", message_key="1"), author_kind=kind,
    )


def _group_chat(**kwargs: object) -> ConversationRow:
    fields: dict[str, object] = {
        "id": "c1", "kind": ConversationKind.GROUP_SMS, "title": "Team chat", "subtitle": "",
        "preview": "", "last_message_at": WHEN, "unread_count": 1,
        "status": ConversationStatus.ACTIVE,
    }
    fields.update(kwargs)
    return ConversationRow(**fields)  # type: ignore[arg-type]


OPTIONS = FilterOptions(authors=(
    AuthorOption(AuthorRef(user_id="u1"), "", True, is_me=True),
    AuthorOption(AuthorRef(user_id="u2"), "", True),
    AuthorOption(AuthorRef(contact_id="c-ann"), "Ann", False),
    AuthorOption(AuthorRef(contact_id="c-zoe"), "Zoe", False),
    AuthorOption(AuthorRef(contact_id="c-none"), "", False),
))


def _unknown_sender_texts() -> dict[str, str]:
    authors = dict(choices(OPTIONS)[0]["authors"])
    return {
        "message author": MessageListModel().author_label(_message("")),
        "history author": entry(_history_row("")).author,
        "history csv": row_cells(_history_row(""))[4],
        "history filter": authors["contact:c-none"],
        "notification": notification_for(_group_chat(), [_message("")]).title,
    }


def test_unknown_sender_reads_as_before_in_english(qapp: QApplication) -> None:
    texts = _unknown_sender_texts()
    assert texts["notification"] == "Unknown sender in Team chat"
    del texts["notification"]
    assert set(texts.values()) == {"Unknown sender"}, texts
    # The filter's people sort by what they are called, the unknown one under "U".
    assert [label for _value, label in choices(OPTIONS)[0]["authors"]] == [
        "Another agent", "You", "Ann", "Unknown sender", "Zoe"
    ]
    # A sender the service names is shown as named.
    assert MessageListModel().author_label(_message("Ann")) == "Ann"
    assert entry(_history_row("Ann")).author == "Ann"


def test_unknown_sender_is_translated(qapp: QApplication, pseudo_locale: None) -> None:
    texts = _unknown_sender_texts()
    for where, text in texts.items():
        assert PSEUDO_OPEN in text, (where, text)
        assert "Unknown sender" not in text, (where, text)
    assert MessageListModel().author_label(_message("Ann")) == "Ann"


# -- a conversation's second line ------------------------------------------------------------


def _subtitles() -> list[str]:
    return [
        subtitle_text(_group_chat(participant_count=3)),
        subtitle_text(_group_chat(participant_count=1)),
        subtitle_text(_group_chat()),
        subtitle_text(_group_chat(kind=ConversationKind.IN_APP)),
    ]


def test_subtitles_read_as_before_in_english(qapp: QApplication) -> None:
    assert _subtitles() == ["3 participants", "1 participant", "Group SMS", "In-app messages"]
    direct = _group_chat(kind=ConversationKind.DIRECT, subtitle="(415) 555-0111")
    assert subtitle_text(direct) == "(415) 555-0111"  # a number: data, not words


def test_subtitles_are_translated(qapp: QApplication, pseudo_locale: None) -> None:
    shown = _subtitles()
    assert all(_bracketed(text) for text in shown), shown
    assert "3" in shown[0]
    direct = _group_chat(kind=ConversationKind.DIRECT, subtitle="(415) 555-0111")
    assert subtitle_text(direct) == "(415) 555-0111"


# -- "You" and "Another agent" (the services: AuthorKind and "") ------------------------------


def _author_texts(kind: AuthorKind) -> dict[str, str]:
    authors = dict(choices(OPTIONS)[0]["authors"])
    return {
        "message author": MessageListModel().author_label(_message("", kind)),
        "history author": entry(_history_row("", kind)).author,
        "history csv": row_cells(_history_row("", kind))[4],
        "history filter": authors["user:u1" if kind is AuthorKind.ME else "user:u2"],
    }


def test_you_and_another_agent_read_as_before_in_english(qapp: QApplication) -> None:
    assert set(_author_texts(AuthorKind.ME).values()) == {"You"}
    assert set(_author_texts(AuthorKind.COLLEAGUE).values()) == {"Another agent"}
    # A colleague the service names is shown as named, highlights and all.
    named = _history_row("Olga", AuthorKind.COLLEAGUE)
    assert entry(named).author == "Olga"
    assert MessageListModel().author_label(_message("Olga", AuthorKind.COLLEAGUE)) == "Olga"


def test_you_and_another_agent_are_translated(qapp: QApplication, pseudo_locale: None) -> None:
    for kind, english in ((AuthorKind.ME, "You"), (AuthorKind.COLLEAGUE, "Another agent")):
        for where, text in _author_texts(kind).items():
            assert _bracketed(text), (where, text)
            assert english not in text, (where, text)
    assert entry(_history_row("Olga", AuthorKind.COLLEAGUE)).author == "Olga"


# -- a history row with no title ---------------------------------------------------------------


def test_untitled_history_rows_are_worded_by_the_views(qapp: QApplication) -> None:
    group_message = _history_row("", AuthorKind.ME, "", HistoryChannel.GROUP_MESSAGE)
    thread = _history_row("", title="", channel=HistoryChannel.IN_APP)
    assert (title_text(group_message), title_text(thread)) == ("Group message", "Conversation")
    assert entry(thread).title == "Conversation"
    assert row_cells(thread)[2] == "Conversation"
    assert title_text(_history_row("")) == "Team chat"


def test_untitled_history_rows_are_translated(qapp: QApplication, pseudo_locale: None) -> None:
    group_message = _history_row("", AuthorKind.ME, "", HistoryChannel.GROUP_MESSAGE)
    thread = _history_row("", title="", channel=HistoryChannel.IN_APP)
    assert _bracketed(title_text(group_message))
    assert _bracketed(title_text(thread))
    assert _bracketed(entry(thread).title)


# -- the export heading (the filter in words) --------------------------------------------------

NAMED = FilterOptions(
    numbers=(NumberOption("n1", "Main · (415) 555-0100", "+14155550100"),),
    groups=(GroupOption("g1", "Parents club"),),
    authors=OPTIONS.authors,
)


def _headings() -> list[str]:
    days = HistoryFilter(date_from=datetime(2026, 12, 1).astimezone(),
                         date_to=datetime(2026, 12, 6).astimezone())
    return [
        filter_description(HistoryFilter(
            query="invoice", channels=frozenset({HistoryChannel.DIRECT}), group_id="g1",
        ), NAMED),
        filter_description(HistoryFilter()),
        filter_description(days),
        filter_description(HistoryFilter(date_from=datetime(2026, 12, 1, 9, 30).astimezone())),
        filter_description(HistoryFilter(author=AuthorRef(contact_id="c-none")), NAMED),
        filter_description(HistoryFilter(author=AuthorRef(user_id="u1")), NAMED),
        filter_description(HistoryFilter(
            number_ids=frozenset({"n1"}), direction=Direction.OUT,
            statuses=frozenset({MessageStatus.DELIVERED}),
        ), NAMED),
    ]


def test_the_export_heading_reads_as_before_in_english(qapp: QApplication) -> None:
    assert _headings() == [
        "Search \u201cinvoice\u201d \u00b7 Channel: SMS \u00b7 Group: Parents club",
        "All messages",
        "From 2026-12-01 \u00b7 To 2026-12-05",
        "From 2026-12-01 09:30",
        "Author: Unknown sender",
        "Author: You",
        "Number: Main \u00b7 (415) 555-0100 \u00b7 Sent \u00b7 Status: Delivered",
    ]


def test_the_export_heading_is_translated(qapp: QApplication, pseudo_locale: None) -> None:
    headings = _headings()
    # Each part worded: as many bracketed parts as the English has.
    for heading, parts in zip(headings, (3, 1, 2, 1, 1, 1, 3), strict=True):
        assert _bracketed(heading), heading
        assert heading.count(f" \u00b7 {PSEUDO_OPEN}") == parts - 1, heading
    # The values stay as they are: the search, the dates, the names.
    assert "invoice" in headings[0]
    assert "Parents club" in headings[0]
    assert "2026-12-05" in headings[2]
    assert "Main \u00b7 (415) 555-0100" in headings[6]
    assert "You" not in headings[5].replace(PSEUDO_OPEN, "")


# -- why a chat's number may not be sent from (ChatDetailService: a code) ----------------------


def _denied(code: SendDenied) -> ChatDetails:
    return ChatDetails(
        "c1", ConversationKind.DIRECT, ConversationStatus.ACTIVE, None, "n1",
        "Diego's line, (415) 555-0100", code,
        denied_number="Diego's line" if code is SendDenied.NUMBER_NOT_ALLOWED else "",
    )


def _denied_texts() -> list[str | None]:
    direct = _group_chat(kind=ConversationKind.DIRECT)
    texts: list[str | None] = []
    for code in SendDenied:
        texts += [
            send_denied_text(_denied(code)),
            compose_context(direct, _denied(code)).read_only_reason,
            no_messages_text(direct, _denied(code)),
        ]
    return texts


def test_the_number_denied_reason_reads_as_before_in_english(qapp: QApplication) -> None:
    texts = _denied_texts()
    assert texts[0] == texts[1] == (
        "You cannot send here: this chat's business number is not available to you. You can "
        "still read it."
    )
    assert texts[3] == texts[4] == (
        "You may not send from Diego's line, the number this chat uses. You can still read it; "
        "ask an admin for access to the number to reply."
    )
    assert texts[5] == f"Nothing was sent or received here. {texts[3]}"
    assert send_denied_text(None) is None


def test_the_number_denied_reason_is_translated(qapp: QApplication, pseudo_locale: None) -> None:
    for text in _denied_texts():
        assert text is not None
        assert PSEUDO_OPEN in text, text
        assert "business number is not available" not in text.replace(PSEUDO_OPEN, "")
    assert "Diego's line" in (send_denied_text(_denied(SendDenied.NUMBER_NOT_ALLOWED)) or "")


# -- the views added later: a refusal's hint and an import row's code, worded in the ui --------

SERVICES_ENGLISH = "words the services wrote in English"


def _refused(hint: str, detail: str = SERVICES_ENGLISH) -> DomainError:
    return DomainError(ErrorCode.VALIDATION_ERROR, detail, hint=hint)


def _newer_problem_texts() -> dict[str, str]:
    """Every refusal the newer views word from a hint or a code (each one the services or the
    server can give), and the merge field notes."""
    texts: dict[str, str] = {}
    for template in TemplateProblem:
        texts[f"template {template}"] = template_problem(_refused(template.value), "Hi {nickname}")
    for schedule in ScheduleProblem:
        texts[f"schedule {schedule}"] = schedule_problem(_refused(schedule.value))
    for problem in ImportProblem:
        texts[f"import {problem}"] = import_problem(_refused(problem.value))
    texts["import, not a refusal"] = import_problem(OSError(SERVICES_ENGLISH))
    for hint in ("unknown_state", "empty_window"):
        texts[f"compliance {hint}"] = compliance_refusal_text(_refused(hint))
    for name, hint in (("no STOP", "Text us back"), ("too long", "Reply STOP. " * 20)):
        with pytest.raises(DomainError) as refused:
            normalize_hint(hint)  # the rule the console checks before it queues the hint
        texts[f"compliance, {name}"] = compliance_refusal_text(refused.value)
    for code in RowCode:
        texts[f"import row {code}"] = row_code_text(code.value)
    texts["import row, a newer server's code"] = row_code_text("carrier_refused")
    texts["missing field"] = missing_text(("last_name",), "Ana López")
    texts["missing field, a group message"] = missing_text(("first_name",), "")
    texts["unknown field"] = unknown_text(("nickname",))
    return texts


def test_the_newer_views_word_every_refusal_in_english(qapp: QApplication) -> None:
    texts = _newer_problem_texts()
    for where, text in texts.items():
        assert text.strip(), where
        assert SERVICES_ENGLISH not in text, where  # each hint has its own words
        assert "opt_out_hint" not in text, where
    assert texts["template name_taken"] == (
        "Another template already has that name. Choose another.")
    assert texts["import row duplicate_existing"] == "Already a contact"
    assert texts["import row, a newer server's code"] == "Not imported (carrier_refused)"
    assert texts["missing field"] == (
        "No last name for Ana López: left out of the text. Edit it after inserting if it reads "
        "oddly.")


def test_the_newer_views_word_every_refusal_in_the_users_language(
    qapp: QApplication, pseudo_locale: None
) -> None:
    for where, text in _newer_problem_texts().items():
        assert _bracketed(text), (where, text)
        assert SERVICES_ENGLISH not in text, where
    # The values stay as they are: a name, a field, a code.
    texts = _newer_problem_texts()
    assert "Ana López" in texts["missing field"]
    assert "{nickname}" in texts["unknown field"]
    assert "carrier_refused" in texts["import row, a newer server's code"]
