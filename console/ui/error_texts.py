"""What the console says for an error code, in the user's language.

The services and the server explain a refusal in English (`DomainError.detail`,
`ServiceError.message`): precise, and fine for an English console. Under a translation those
words cannot be translated (they come from Python or from the server), so the console shows
the translatable sentence for the error's stable code instead.

    label.setText(error_text(exc.code, exc.detail))
"""

from __future__ import annotations

from console.known_errors import (
    CACHE_LOCKED,
    DISK_FULL,
    READ_ONLY,
    UNREACHABLE,
    known_problem,
)
from console.services.types import LOCAL_WRITE_FAILED
from console.ui.i18n import QT_TRANSLATE_NOOP, in_source_language, translate

_CONTEXT = "ErrorCode"

CODE_TEXTS: dict[str, str] = {
    "unauthorized": QT_TRANSLATE_NOOP("ErrorCode", "Your sign-in has ended. Sign in again."),
    "forbidden": QT_TRANSLATE_NOOP("ErrorCode", "Your account may not do this."),
    "number_access_denied": QT_TRANSLATE_NOOP(
        "ErrorCode", "You may not send from this business number."),
    "contact_not_assigned": QT_TRANSLATE_NOOP(
        "ErrorCode", "This contact is assigned to someone else."),
    "not_found": QT_TRANSLATE_NOOP("ErrorCode", "It is no longer there: someone removed it."),
    "validation_error": QT_TRANSLATE_NOOP(
        "ErrorCode", "Something in what you entered is not valid. Check it and try again."),
    "invalid_phone": QT_TRANSLATE_NOOP("ErrorCode", "That is not a valid phone number."),
    "region_not_supported": QT_TRANSLATE_NOOP(
        "ErrorCode", "Group texts go to US and Canada numbers only."),
    "participant_count": QT_TRANSLATE_NOOP(
        "ErrorCode", "A group chat has 2 to 9 people besides you."),
    "participant_dnd": QT_TRANSLATE_NOOP(
        "ErrorCode", "Someone in it has turned on Do Not Disturb."),
    "duplicate_participant": QT_TRANSLATE_NOOP("ErrorCode", "The same number is in it twice."),
    "phone_not_on_contact": QT_TRANSLATE_NOOP(
        "ErrorCode", "That number is no longer one of the contact's numbers."),
    "group_chat_blocked": QT_TRANSLATE_NOOP(
        "ErrorCode", "This group chat is blocked: messages cannot be sent in it."),
    "immutable": QT_TRANSLATE_NOOP("ErrorCode", "This cannot be changed once it is made."),
    "not_cancellable": QT_TRANSLATE_NOOP("ErrorCode", "It has gone out: it cannot be cancelled."),
    "idempotency_conflict": QT_TRANSLATE_NOOP(
        "ErrorCode", "The server saw a different request under the same key. Try again."),
    "rate_limited": QT_TRANSLATE_NOOP("ErrorCode", "Too many attempts. Wait a moment."),
    "conflict": QT_TRANSLATE_NOOP(
        "ErrorCode", "Someone changed this meanwhile. Look again, then try again."),
    "cursor_invalid": QT_TRANSLATE_NOOP("ErrorCode", "The list changed. It is read again."),
    "method_not_allowed": QT_TRANSLATE_NOOP("ErrorCode", "The server does not allow this."),
    "internal_error": QT_TRANSLATE_NOOP(
        "ErrorCode", "The server ran into a problem. Try again later."),
    "phone_taken": QT_TRANSLATE_NOOP("ErrorCode", "Another contact already has this number."),
    "user_deactivated": QT_TRANSLATE_NOOP("ErrorCode", "This user account is deactivated."),
    "cannot_deactivate_self": QT_TRANSLATE_NOOP(
        "ErrorCode", "You cannot deactivate your own account."),
    "payload_too_large": QT_TRANSLATE_NOOP("ErrorCode", "That is too long to send."),
    "template_name_taken": QT_TRANSLATE_NOOP(
        "ErrorCode", "Another template already has that name. Choose another."),
    "unknown_merge_field": QT_TRANSLATE_NOOP(
        "ErrorCode", "The text uses a merge field that does not exist. The fields are "
        "{first_name}, {last_name}, {agent_name} and {business_number}."),
    "already_undone": QT_TRANSLATE_NOOP("ErrorCode", "This import was undone already."),
}
UNKNOWN = QT_TRANSLATE_NOOP("ErrorCode", "The server refused this.")


def code_text(code: str | None) -> str:
    """The translated sentence for `code` (any code: unknown ones get a general one)."""
    return translate(_CONTEXT, CODE_TEXTS.get(code or "", UNKNOWN))


def error_text(code: str | None, detail: str | None = None) -> str:
    """`detail` (the services' or server's English explanation) in an English console, the
    code's translated sentence under any translation."""
    if detail and in_source_language():
        return detail
    return code_text(code)


PROBLEM_TEXTS: dict[str, str] = {
    DISK_FULL: QT_TRANSLATE_NOOP(
        "KnownProblem",
        "The disk is full, so Agent Console could not save. Free some space, then try again: "
        "what you wrote is kept until it is saved.",
    ),
    CACHE_LOCKED: QT_TRANSLATE_NOOP(
        "KnownProblem",
        "The local message cache is busy: another Agent Console may be open with this "
        "profile. Close it, or wait a moment and try again.",
    ),
    READ_ONLY: QT_TRANSLATE_NOOP(
        "KnownProblem",
        "Agent Console cannot write its files (the disk or folder is read-only, or not "
        "yours). Check the folder's permissions, then restart Agent Console.",
    ),
    UNREACHABLE: QT_TRANSLATE_NOOP(
        "KnownProblem",
        "The server could not be reached. Check the network connection; the console keeps "
        "working offline and sends what waits when the server is back.",
    ),
}


def problem_text(problem: str) -> str:
    return translate("KnownProblem", PROBLEM_TEXTS[problem])


def plain_words(exc: BaseException) -> str | None:
    """What to tell the user for a known problem anywhere in `exc`'s chain (a full disk, a
    locked cache, ...), with what to do next; None for anything else (a bug)."""
    problem = known_problem(exc)
    return problem_text(problem) if problem is not None else None


WRITE_FAILED_TEXT = QT_TRANSLATE_NOOP(
    "KnownProblem",
    "It could not be saved on this computer. Try again; if it fails again, restart Agent "
    "Console (its log has the details).",
)


def refusal_text(code: str, detail: str) -> str:
    """What to say for a write the console could not make (services.types.Refusal): a known
    problem and a failed save in the user's words with what to do next (never the English
    detail of an exception), a domain refusal as error_text says it."""
    if code in PROBLEM_TEXTS:
        return problem_text(code)
    if code == LOCAL_WRITE_FAILED:
        return translate("KnownProblem", WRITE_FAILED_TEXT)
    return error_text(code, detail)
