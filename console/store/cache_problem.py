"""Why a cache file cannot be used, by name: light on purpose (no SQLAlchemy), so the ui can
word a rebuilt cache's notice without loading the database stack before its first paint."""

from __future__ import annotations

from enum import StrEnum


class CacheProblem(StrEnum):
    PERMISSION_DENIED = "permission_denied"
    UNREADABLE = "unreadable"
    NOT_SQLITE = "not_sqlite"
    TRUNCATED = "truncated"
    FOREIGN_SCHEMA = "foreign_schema"
    DAMAGED = "damaged"
