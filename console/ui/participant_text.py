"""The words the views use for group chat participants: tag labels and what each tag means,
the note on why participants are fixed, and the participant search. One table for every view
(chips, the participant panel, the blocked banner). No services; the texts are marked for
translation under the context "ParticipantText" and translated by the functions here (show
FIXED_NOTE through `fixed_note()`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from console.domain.group_chat import TAG_DELETED, TAG_DND, TAG_UPDATED, ParticipantChanges
from console.domain.phones import digits_fragment, format_display
from console.ui.i18n import QT_TRANSLATE_NOOP, translate

CONTEXT = "ParticipantText"
TAG_LABELS = {
    TAG_UPDATED: QT_TRANSLATE_NOOP("ParticipantText", "Updated"),
    TAG_DELETED: QT_TRANSLATE_NOOP("ParticipantText", "Deleted"),
    TAG_DND: QT_TRANSLATE_NOOP("ParticipantText", "DND"),
}
_UPDATED_HEAD = QT_TRANSLATE_NOOP(
    "ParticipantText", "Updated: the contact's name or numbers changed since this chat was made.")
_UPDATED_TAIL = QT_TRANSLATE_NOOP("ParticipantText", "Messages still go to the number chosen then.")
TAG_MEANINGS = {
    TAG_UPDATED: f"{_UPDATED_HEAD}\n{_UPDATED_TAIL}",  # shown as its two translated lines
    TAG_DELETED: QT_TRANSLATE_NOOP(
        "ParticipantText",
        "Deleted: the contact was deleted from your contacts. Messages still go to "
        "the number chosen when this chat was made."),
    TAG_DND: QT_TRANSLATE_NOOP(
        "ParticipantText",
        "DND: Do Not Disturb is on for this contact (for example they replied STOP). "
        "Nobody can text this chat until it is off; start a new chat without them."),
}
# Tags that are a warning (the number is kept anyway) and one that stops the chat.
TAG_TONES = {TAG_UPDATED: "warning", TAG_DELETED: "warning", TAG_DND: "danger"}
FIXED_NOTE = QT_TRANSLATE_NOOP(
    "ParticipantText",
    "Participants and the business number are fixed when a group chat is made: messages keep "
    "going to the numbers chosen then, even if a contact is later edited or deleted, so "
    "everyone in the thread keeps hearing everyone. To change who is in it, start a new group "
    "chat."
)
LABEL_WORDS = {
    "primary": QT_TRANSLATE_NOOP("ParticipantText", "primary number"),
    "secondary": QT_TRANSLATE_NOOP("ParticipantText", "secondary number"),
}
NOT_ON_CONTACT = QT_TRANSLATE_NOOP("ParticipantText", "no longer on the contact")


def fixed_note() -> str:
    """FIXED_NOTE, translated."""
    return translate("ParticipantText", FIXED_NOTE)


class Participant(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def phone(self) -> str: ...
    @property
    def phone_display(self) -> str: ...
    @property
    def phone_label(self) -> str: ...
    @property
    def tags(self) -> tuple[str, ...]: ...


def changes_of(participant: Participant) -> tuple[str, ...]:
    """What `Updated` stands for on this participant, one translated line each ("Name was
    Maria Lopez", "(415) 555-0111 no longer on the contact", ...), worded from the
    ParticipantChanges its row carries; rows that do not know say nothing more than the tag."""
    changes = getattr(participant, "changes", None)
    if not isinstance(changes, ParticipantChanges):
        return ()
    lines: list[str] = []
    if changes.name_was is not None:
        lines.append(
            translate("ParticipantText", "Name was {name}").format(name=changes.name_was)
        )
    if changes.number_gone:
        lines.append(
            translate("ParticipantText", "{number} no longer on the contact").format(
                number=format_display(participant.phone)
            )
        )
    lines += [
        translate("ParticipantText", "{number} removed from the contact").format(
            number=format_display(phone)
        )
        for phone in changes.phones_removed
    ]
    lines += [
        translate("ParticipantText", "{number} added to the contact").format(
            number=format_display(phone)
        )
        for phone in changes.phones_added
    ]
    return tuple(lines)


def tag_meaning(participant: Participant, tag: str) -> str:
    """What `tag` means on this participant; for `Updated`, what changed too, a line each
    (a tooltip does not wrap)."""
    if tag != TAG_UPDATED:
        return translate("ParticipantText", TAG_MEANINGS[tag]) if tag in TAG_MEANINGS else ""
    head = translate("ParticipantText", _UPDATED_HEAD)
    tail = translate("ParticipantText", _UPDATED_TAIL)
    changes = changes_of(participant)
    lines = [head, *(f"\u2022 {change}" for change in changes)]
    return "\n".join([*lines, tail])


def tag_meanings(participant: Participant) -> dict[str, str]:
    """{tag label: what it means here} for the participant's tags."""
    return {
        tag_label(t): tag_meaning(participant, t) for t in participant.tags if t in TAG_MEANINGS
    }


def tag_label(tag: str) -> str:
    return translate("ParticipantText", TAG_LABELS[tag]) if tag in TAG_LABELS else tag.capitalize()


def tag_labels(tags: Iterable[str]) -> list[str]:
    return [tag_label(tag) for tag in tags]


def tone_of(tags: Iterable[str]) -> str:
    """"danger" (DND), "warning" (Updated / Deleted) or "" for a participant's chip."""
    tones = {TAG_TONES.get(tag, "") for tag in tags}
    return "danger" if "danger" in tones else "warning" if "warning" in tones else ""


def which_number(participant: Participant) -> str:
    """Which of the contact's numbers the frozen one is: "primary number", "secondary number",
    or that it is no longer one of theirs."""
    label = participant.phone_label
    if label in LABEL_WORDS:
        return translate("ParticipantText", LABEL_WORDS[label])
    return label or translate("ParticipantText", NOT_ON_CONTACT)


def short_name(participant: Participant) -> str:
    return participant.name or participant.phone_display


def describe(participant: Participant) -> str:
    """The tooltip of a participant: who, where messages go, and what each tag means."""
    lines = [
        participant.name or participant.phone_display,
        translate("ParticipantText", "Messages go to {number} ({which}).").format(
            number=participant.phone_display, which=which_number(participant)
        ),
    ]
    lines += [tag_meaning(participant, tag) for tag in participant.tags if tag in TAG_MEANINGS]
    return "\n".join(lines)


def matches(participant: Participant, text: str) -> bool:
    """Participant search: a name fragment (any case), or a number fragment in any format
    ("555 0111", "(415) 555", "+1415") against the frozen number."""
    needle = " ".join(text.split()).casefold()
    if not needle:
        return True
    if needle in participant.name.casefold():
        return True
    digits = digits_fragment(text)
    return bool(digits) and digits in participant.phone
