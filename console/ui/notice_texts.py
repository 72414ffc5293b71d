"""The services' notices in the user's language.

A notice the services raise names itself (services/notices.py NoticeCode) and carries its
values; the sentences are here, so a translator sees them. A notice without a code was worded
by the ui already (its `text`).
"""

from __future__ import annotations

from console.services.notices import CacheProblem, NoticeCode, SignOutProblem
from console.services.types import Notice
from console.ui.i18n import QT_TRANSLATE_NOOP, translate

_CONTEXT = "NoticeTexts"

# Keyed by the enums' values (StrEnum members hash as their text): a notice carries text.
_CACHE_PROBLEMS: dict[str, str] = {
    CacheProblem.PERMISSION_DENIED: QT_TRANSLATE_NOOP("NoticeTexts", "permission was denied"),
    CacheProblem.UNREADABLE: QT_TRANSLATE_NOOP("NoticeTexts", "it could not be read"),
    CacheProblem.NOT_SQLITE: QT_TRANSLATE_NOOP("NoticeTexts", "it is not a SQLite database"),
    CacheProblem.TRUNCATED: QT_TRANSLATE_NOOP("NoticeTexts", "it is cut short"),
    CacheProblem.FOREIGN_SCHEMA: QT_TRANSLATE_NOOP(
        "NoticeTexts", "it was written by another version of the console"
    ),
    CacheProblem.DAMAGED: QT_TRANSLATE_NOOP("NoticeTexts", "it is damaged"),
}

_SIGN_OUT: dict[str, str] = {
    SignOutProblem.UNREACHABLE: QT_TRANSLATE_NOOP(
        "NoticeTexts",
        "Signed out on this computer, but the server at {server} could not be reached, so "
        "your sign-in was not cancelled there: it stays valid on the server until it expires "
        "or an administrator revokes it.",
    ),
    SignOutProblem.TLS_REFUSED: QT_TRANSLATE_NOOP(
        "NoticeTexts",
        "Signed out on this computer, but the server at {server} refused the secure "
        "connection, so your sign-in was not cancelled there: it stays valid on the server "
        "until it expires or an administrator revokes it.",
    ),
    SignOutProblem.FAILED: QT_TRANSLATE_NOOP(
        "NoticeTexts",
        "Signed out on this computer, but the server at {server} answered with an error "
        "({code}), so your sign-in was not cancelled there: it stays valid on the server "
        "until it expires or an administrator revokes it.",
    ),
}


def notice_text(notice: Notice) -> str:
    """What the banner says: the notice's code worded here, else its own text."""
    if notice.code == NoticeCode.NO_KEYRING:
        return translate(
            "NoticeTexts",
            "No system keyring is available, so your sign-in is kept in memory only: you "
            "will need to log in again the next time you start the console.",
        )
    if notice.code == NoticeCode.SIGN_OUT_NOT_REVOKED:
        template = _SIGN_OUT.get(str(notice.value("problem")), _SIGN_OUT[SignOutProblem.FAILED])
        return translate(_CONTEXT, template).format(
            server=notice.value("server"), code=notice.value("code")
        )
    if notice.code == NoticeCode.CACHE_REBUILT:
        return _cache_rebuilt(notice)
    return notice.text


def _cache_rebuilt(notice: Notice) -> str:
    why = _CACHE_PROBLEMS.get(str(notice.value("problem")), _CACHE_PROBLEMS[CacheProblem.DAMAGED])
    head = translate(
        "NoticeTexts",
        "The local cache {path} could not be used ({problem}); it is being rebuilt from the "
        "server.",
    ).format(
        path=notice.value("path"),
        problem=translate(_CONTEXT, why),
    )
    salvaged = int(notice.value("salvaged", 0))
    if not notice.value("outbox_readable", 0):
        outbox = translate(
            "NoticeTexts", "Changes that were not sent yet could not be read from it."
        )
    elif salvaged:
        outbox = translate(
            "NoticeTexts",
            "%n change(s) not sent yet (was|were) recovered and will be sent.",
            None,
            salvaged,
        )
    else:
        outbox = translate("NoticeTexts", "It held no unsent changes.")
    moved_to = notice.value("moved_to")
    where = (
        translate("NoticeTexts", "The old file was kept as {path}.").format(path=moved_to)
        if moved_to
        else translate("NoticeTexts", "The old file could not be kept.")
    )
    return f"{head} {outbox} {where}"
