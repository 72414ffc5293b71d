"""Errors we know by name: a full disk, a cache file another program holds, a read-only
folder, a server that cannot be reached.

These are not bugs in the console, and a user shown a traceback for them learns nothing.
`known_problem` names the problem, or answers None for a genuine bug (then the crash dialog
offers the report); console/ui/error_texts.py `plain_words` says it, with what to do next.
"""

from __future__ import annotations

import errno
import sqlite3

_NO_SPACE = (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC))

# The problems, by name (console/ui/error_texts.py words them in the user's language).
DISK_FULL = "disk_full"
CACHE_LOCKED = "cache_locked"
READ_ONLY = "read_only"
UNREACHABLE = "unreachable"


def _chain(exc: BaseException) -> list[BaseException]:
    """`exc` and what caused it (SQLAlchemy and httpx wrap the real error)."""
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen and len(seen) < 10:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def _problem_in(exc: BaseException) -> str | None:
    if isinstance(exc, OSError) and exc.errno in _NO_SPACE:
        return DISK_FULL
    if isinstance(exc, OSError) and exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return READ_ONLY
    text = str(exc).lower()
    if isinstance(exc, sqlite3.OperationalError | sqlite3.DatabaseError) or "sqlite" in text:
        if "database or disk is full" in text:
            return DISK_FULL
        if "database is locked" in text or "database table is locked" in text:
            return CACHE_LOCKED
        if "readonly database" in text or "read-only" in text:
            return READ_ONLY
    # httpx's transport errors, by name: this module stays free of the network stack.
    if type(exc).__name__ in ("ConnectError", "ConnectTimeout", "NetworkError", "ReadTimeout"):
        return UNREACHABLE
    return None


def known_problem(exc: BaseException) -> str | None:
    """The name of a known problem anywhere in `exc`'s chain (DISK_FULL, ...), else None."""
    for link in _chain(exc):
        problem = _problem_in(link)
        if problem is not None:
            return problem
    return None
