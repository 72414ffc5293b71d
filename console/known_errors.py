"""Errors we know by name, told in plain words with what to do next.

A full disk, a cache file another program holds, a server that cannot be reached: these are
not bugs in the console, and a user shown a traceback for them learns nothing. `plain_words`
answers the sentence to show, or None for a genuine bug (then the crash dialog offers the
report).
"""

from __future__ import annotations

import errno
import sqlite3

_NO_SPACE = (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC))

DISK_FULL = (
    "The disk is full, so Agent Console could not save. Free some space, then try again: "
    "what you wrote is kept until it is saved."
)
CACHE_LOCKED = (
    "The local message cache is busy: another Agent Console may be open with this profile. "
    "Close it, or wait a moment and try again."
)
READ_ONLY = (
    "Agent Console cannot write its files (the disk or folder is read-only, or not yours). "
    "Check the folder's permissions, then restart Agent Console."
)
UNREACHABLE = (
    "The server could not be reached. Check the network connection; the console keeps "
    "working offline and sends what waits when the server is back."
)


def _chain(exc: BaseException) -> list[BaseException]:
    """`exc` and what caused it (SQLAlchemy and httpx wrap the real error)."""
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen and len(seen) < 10:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def _words_for(exc: BaseException) -> str | None:
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


def plain_words(exc: BaseException) -> str | None:
    """The sentence for a known problem anywhere in `exc`'s chain, else None."""
    for link in _chain(exc):
        words = _words_for(link)
        if words is not None:
            return words
    return None
