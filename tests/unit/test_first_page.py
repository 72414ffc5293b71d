"""The list read from the cache file ahead of the services (console/store/first_page.py) is the
services' own: the same first page per filter chip (dated and undated rows, ties, group chats,
blocked, hidden, pending and relinked chats, numbers with and without a label), the same unread
counts, and the same profile `find_profile` picks; a cache to migrate or a broken file is left
to the services."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from console.domain.conversations import ConversationKind, ConversationStatus
from console.services.mapping import to_conversation_row
from console.services.profiles import find_profile
from console.services.workspace import Workspace, open_workspace
from console.store.first_page import FirstPageReader, latest_cache
from console.store.paths import profiles_root
from console.store.session_meta import peek_session
from tests.bench.seed_cache import seed

CONVERSATIONS = 260


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("first-page") / "seeded.db"
    seed(path, CONVERSATIONS, 2_000, 5)
    conn = sqlite3.connect(path)
    with conn:
        # What the seed leaves out: blocked, unread, hidden (known = 0), a chat made here and
        # not confirmed yet, relinked chats, a number without a label, ties in time and title.
        conn.execute("UPDATE conversations SET status = 'blocked', blocked_reason = 'DND on' "
                     "WHERE rowid % 7 = 0")
        conn.execute("UPDATE conversations SET unread_count = rowid % 5 WHERE rowid % 3 = 0")
        conn.execute("UPDATE conversations SET known = 0 WHERE rowid % 11 = 0")
        conn.execute("UPDATE conversations SET replaces = 'con_000001', "
                     "replaced_by = 'local-abc' WHERE rowid % 13 = 0")
        conn.execute("UPDATE business_numbers SET label = '' WHERE id = 'num_1'")
        conn.execute(
            "UPDATE conversations SET activity_at = (SELECT max(activity_at) FROM conversations),"
            " title = 'Same' WHERE rowid IN (20, 21, 22)"
        )
        conn.execute(
            "INSERT INTO conversations (id, kind, title, number_id, status, "
            "last_message_preview, unread_count, participants_json, known) VALUES "
            "('local-abc', 'group_sms', '', 'num_2', 'active', '', 0, "
            "'[{\"contact_id\": \"ct_000001\", \"name\": \"Ann Lee\", \"phone\": \"+15550100\"}]',"
            " 1)"
        )
    conn.close()
    return path


@pytest.fixture
def workspace(seeded: Path, tmp_path: Path) -> Iterator[Workspace]:
    path = tmp_path / "cache.db"
    shutil.copyfile(seeded, path)
    info = peek_session(path)
    assert info is not None
    opened = open_workspace(path, info.server_url, None, info.user)  # offline: cache only
    yield opened
    opened.close()


def _ahead(path: Path, **narrow: str) -> list[object]:
    reader = FirstPageReader.open(path)
    assert reader is not None
    try:
        return [to_conversation_row(view) for view in reader.first_page(limit=100, **narrow)]
    finally:
        reader.close()


@pytest.mark.parametrize("limit", [1, 100, CONVERSATIONS + 10])  # the undated tail too
def test_first_page_is_the_services_first_page(workspace: Workspace, limit: int) -> None:
    path = workspace.session.cache_path
    reader = FirstPageReader.open(path)
    assert reader is not None
    try:
        ahead = [to_conversation_row(view) for view in reader.first_page(limit=limit)]
        unread = reader.unread_counts()
    finally:
        reader.close()
    page = workspace.conversations.list_page(limit=limit)
    assert ahead == page.rows
    assert len(ahead) == min(limit, len(workspace.conversations.list_conversations()))
    assert unread == workspace.conversations.unread_counts()
    assert unread
    if limit > CONVERSATIONS:
        assert any(row.last_message_at is None for row in ahead)
        assert any(row.pending for row in ahead)


def test_each_chip_reads_its_own_first_page(workspace: Workspace) -> None:
    path = workspace.session.cache_path
    service = workspace.conversations
    for kind in ConversationKind:
        assert _ahead(path, kind=kind.value) == service.list_page(limit=100, kind=kind).rows
    blocked = service.list_page(limit=100, status=ConversationStatus.BLOCKED).rows
    assert blocked
    assert _ahead(path, status="blocked") == blocked


def test_a_cache_to_migrate_or_a_broken_file_is_left_to_the_services(
    seeded: Path, tmp_path: Path
) -> None:
    old = tmp_path / "old.db"
    shutil.copyfile(seeded, old)
    conn = sqlite3.connect(old)
    with conn:
        conn.execute("UPDATE alembic_version SET version_num = '0001'")
    conn.close()
    assert FirstPageReader.open(old) is None
    broken = tmp_path / "broken.db"
    broken.write_bytes(b"not a database at all" * 100)
    assert FirstPageReader.open(broken) is None
    assert FirstPageReader.open(tmp_path / "missing.db") is None


def _profile(seeded: Path, folder: str, server: str, opened: str | None) -> None:
    path = profiles_root() / folder / "cache.db"
    path.parent.mkdir(parents=True)
    shutil.copyfile(seeded, path)
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("UPDATE meta SET value = ? WHERE key = 'server_url'", (server,))
        if opened is not None:
            conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES "
                         "('last_opened_at', ?)", (opened,))
    conn.close()


def test_the_profile_is_the_one_find_profile_picks(seeded: Path) -> None:
    assert latest_cache(server_url=None, profile=None) is None  # no profiles yet
    one, two = "http://one.example:8000", "https://two.example"
    _profile(seeded, "a", one, "2026-12-01T10:00:00+00:00")
    _profile(seeded, "b", one, "2026-12-03T10:00:00+00:00")
    _profile(seeded, "c", two, "2026-12-02T10:00:00+00:00")
    _profile(seeded, "d", two, None)  # never opened: last
    _profile(seeded, "e", two, "2026-12-02T10:00:00+00:00")  # a tie with c
    broken = profiles_root() / "f" / "cache.db"
    broken.parent.mkdir()
    broken.write_bytes(b"garbage" * 1000)
    gone = profiles_root() / "g"
    _profile(seeded, "g", one, "2026-12-09T10:00:00+00:00")
    conn = sqlite3.connect(gone / "cache.db")
    with conn:
        conn.execute("DELETE FROM users")  # no signed-in user: not a profile
    conn.close()
    cases = [
        (None, None), (one, None), (two, None), ("http://one.example:8000/", None),
        (None, "a"), (None, "D"), (one, "c"), (None, "f"), (None, "nobody"), (None, "  "),
        ("https://nowhere.example", None),
    ]
    for server, name in cases:
        found = find_profile(name=name, server_url=server)
        expected = found.cache_path if found is not None else None
        assert latest_cache(server_url=server, profile=name) == expected, (server, name)
