"""The cache file: migrations on a real file, SQLite settings, profile paths."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from console.store.cache import Cache
from console.store.contact_search import INDEX_NAMES, INDEX_TABLES
from console.store.migrate import head_revision
from console.store.models import Base
from console.store.paths import (
    normalize_server_url,
    profile_cache_path,
    profile_slug,
    profiles_root,
)
from console.store.search_index import HISTORY_FTS_PREFIX, HISTORY_TABLES
from console.store.session_meta import peek_session, read_cursor, save_cursor

EXPECTED_TABLES = {
    "alembic_version",
    "business_numbers",
    "contact_phones",
    "contacts",
    "conversations",
    "messages",
    "meta",
    "outbox",
    "sync_state",
    "users",
}


def test_open_creates_schema_on_a_real_file_and_reopens(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "profile" / "cache.db"
    cache = Cache.open(path)
    with cache.write() as conn:
        save_cursor(conn, "cursor-42", None)
    cache.close()

    raw = sqlite3.connect(path)
    tables = {r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    version = raw.execute("SELECT version_num FROM alembic_version").fetchall()
    journal = raw.execute("PRAGMA journal_mode").fetchone()
    raw.close()
    assert tables >= EXPECTED_TABLES
    assert version == [(head_revision(),)]
    assert journal == ("wal",)  # persistent in the file

    reopened = Cache.open(path)  # already at head: must not fail or wipe anything
    with reopened.read() as conn:
        assert read_cursor(conn).cursor == "cursor-42"
    reopened.close()


def test_connections_use_wal_busy_timeout_and_foreign_keys(tmp_path: Path) -> None:
    cache = Cache.open(tmp_path / "cache.db")
    seen: dict[str, tuple[object, ...]] = {}

    def probe() -> None:  # another thread gets its own pooled connection, set up the same way
        with cache.read() as conn:
            seen["fk"] = tuple(conn.exec_driver_sql("PRAGMA foreign_keys").one())
            seen["busy"] = tuple(conn.exec_driver_sql("PRAGMA busy_timeout").one())
            seen["journal"] = tuple(conn.exec_driver_sql("PRAGMA journal_mode").one())

    worker = threading.Thread(target=probe)
    worker.start()
    worker.join(10)
    cache.close()
    assert seen == {"fk": (1,), "busy": (5000,), "journal": ("wal",)}


def test_migrations_match_the_models(tmp_path: Path) -> None:
    cache = Cache.open(tmp_path / "cache.db")
    with cache.read() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, Base.metadata)
    cache.close()
    # The contact search index (migration 0002) has no model: FTS5 tables cannot have one.
    # Nor does the history search index (migration r0007, console/store/search_index.py).
    unmodeled = INDEX_TABLES | INDEX_NAMES | HISTORY_TABLES
    diff = [d for d in diff if not (d[0] in ("remove_table", "remove_index") and (
        d[1].name in unmodeled
        or d[1].name.startswith(("contact_fts_", HISTORY_FTS_PREFIX))
        or (d[0] == "remove_index" and d[1].table.name in HISTORY_TABLES)
    ))]
    assert diff == []


def test_a_file_that_is_not_a_database_is_refused_clearly(tmp_path: Path) -> None:
    path = tmp_path / "cache.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(Exception, match="not a database"):
        Cache.open(path)
    assert peek_session(path) is None


def test_profile_cache_path_is_under_the_user_data_dir(isolated_dirs: Path) -> None:
    path = profile_cache_path("http://127.0.0.1:8123/", "Ava.Admin@Demo.Example")
    assert path.name == "cache.db"
    assert path.parent.parent == profiles_root()
    assert str(path).startswith(str(isolated_dirs / "data" / "agent-console"))
    assert "ava.admin@demo.example" in path.parent.name
    # the same profile however it is typed, a different one for another server or account
    assert path == profile_cache_path("HTTP://127.0.0.1:8123", " ava.admin@demo.example ")
    assert path != profile_cache_path("http://127.0.0.1:8124", "ava.admin@demo.example")
    assert path != profile_cache_path("http://127.0.0.1:8123", "bob@demo.example")
    assert profile_cache_path("http://x", "a@b", profile="Demo").parent.name == "demo"


@pytest.mark.parametrize(
    ("typed", "normal"),
    [
        ("localhost:8000", "http://localhost:8000"),
        ("https://Chat.Example.com/", "https://chat.example.com"),
        ("http://[::1]:9000/api/", "http://[::1]:9000/api"),
        ("münchen.example:8000", "http://xn--mnchen-3ya.example:8000"),
        ("console_backend:8000", "http://console_backend:8000"),  # a compose network's name
    ],
)
def test_normalize_server_url(typed: str, normal: str) -> None:
    assert normalize_server_url(typed) == normal


@pytest.mark.parametrize(
    "bad",
    [
        "", "   ", "ftp://host", "http://", "http://h:99999", "http://h/?q=1",
        "not a url at all", "https://exa mple.com", "http://-x", "..",
    ],
)
def test_normalize_server_url_refuses_non_addresses(bad: str) -> None:
    with pytest.raises(ValueError, match=r"server address|invalid port"):  # said to the user
        normalize_server_url(bad)


def test_profile_slug_is_file_system_safe() -> None:
    slug = profile_slug("http://host:80/a b/../c", "we!rd/../name@x.y")
    assert "/" not in slug
    assert ".." not in slug.split("-")[0]
    assert all(ch.isalnum() or ch in "._@-" for ch in slug)


def test_paths_with_odd_characters_work(tmp_path: Path) -> None:
    from console.protocol.auth import User
    from console.store.coltypes import utcnow
    from console.store.session_meta import save_session

    path = tmp_path / "John Doe's #1 data? 100%" / "cache.db"
    cache = Cache.open(path)
    user = User(id="u1", email="j@d.e", name="John", role="user", data_access="all")
    with cache.write() as conn:
        save_session(conn, "http://h:1", user, utcnow())
    info = peek_session(path)  # while the cache is open (WAL files present)
    cache.close()
    assert info is not None
    assert info.user == user
    assert info.server_url == "http://h:1"
    assert peek_session(path) == info
    assert peek_session(tmp_path / "missing" / "cache.db") is None
