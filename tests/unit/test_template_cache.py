"""Templates in the cache, without a server: the feed's rows (never overwritten by an older
version, removed by template.deleted), the open outbox items laid over them (a new one, an edit,
a delete), folding into a create never tried, and r0010 making an older cache resync."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic import command

from console.protocol.sync import SyncEvent
from console.store import outbox as ob
from console.store import template_queries, template_writes
from console.store.apply import apply_events
from console.store.cache import Cache
from console.store.migrate import alembic_config
from console.store.migrations.versions.r0010_templates import RESYNC_CURSOR
from console.store.session_meta import read_cursor, save_cursor
from tests.unit.cache_factories import at, event, resync_cursors


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[Cache]:
    c = Cache.open(tmp_path / "cache.db")
    yield c
    c.close()


def template(tid: str, name: str, body: str = "Hi {first_name}", *, version: int = 1,
             shared: bool = False, **extra: Any) -> SyncEvent:
    return event("template.upserted", {
        "id": tid, "name": name, "body": body, "shared": shared, "owner_user_id": "u1",
        "version": version, "created_at": at(0).isoformat(),
        "updated_at": at(version).isoformat(), **extra,
    })


def names(conn: Any) -> list[tuple[str, str, bool]]:
    return [(t.name, t.body, t.local) for t in template_queries.all_templates(conn)]


def test_the_feed_fills_the_list_by_name_and_an_older_version_never_wins(cache: Cache) -> None:
    with cache.write() as conn:
        apply_events(conn, [template("t1", "welcome"), template("t2", "Follow-up", shared=True)])
        assert names(conn) == [("Follow-up", "Hi {first_name}", False),
                               ("welcome", "Hi {first_name}", False)]
        apply_events(conn, [template("t1", "Welcome", "Hello", version=3)])
        apply_events(conn, [template("t1", "Stale", "Old", version=2)])  # arrives late
        assert names(conn)[1] == ("Welcome", "Hello", False)
        apply_events(conn, [event("template.deleted", {"id": "t2"})])
        assert names(conn) == [("Welcome", "Hello", False)]
        # Shared made personal elsewhere: everyone gets deleted, the owner also upserted.
        apply_events(conn, [event("template.deleted", {"id": "t1"}),
                            template("t1", "Welcome", "Hello", version=4)])
        assert names(conn) == [("Welcome", "Hello", False)]


def test_open_writes_show_over_the_synced_rows(cache: Cache) -> None:
    with cache.write() as conn:
        apply_events(conn, [template("t1", "Alpha"), template("t2", "Beta")])
        local_id, _ = template_writes.queue_create(
            conn, name="Gamma", body="New", shared=False, now=at(1))
        template_writes.queue_edit(conn, template_id="t1", patch={"body": "Edited"}, now=at(1))
        template_writes.queue_delete(conn, template_id="t2", name="Beta", now=at(1))
        assert names(conn) == [("Alpha", "Edited", True), ("Gamma", "New", True)]
        # The server created the new one: its row replaces the local overlay, and an edit
        # queued behind the create (after it was tried) moves to the server's id.
        item = ob.by_key(conn, local_id.removeprefix(template_writes.LOCAL_TEMPLATE_PREFIX))
        assert item is not None
        ob.claim(conn, item.id, at(2))
        template_writes.queue_edit(conn, template_id=local_id, patch={"name": "Gamma 2"},
                                   now=at(2))
        apply_events(conn, [template("t3", "Gamma", "New", version=1)])
        template_writes.adopt_template(conn, local_id, "t3")
        ob.complete(conn, item.id, at(2), result_id="t3")
        edits = ob.open_of_kind(conn, ob.OutboxKind.TEMPLATE_EDIT)
        assert [e.payload["template_id"] for e in edits] == ["t1", "t3"]
        assert template_writes.LANE.server_id(conn, local_id) == "t3"
        assert names(conn) == [("Alpha", "Edited", True), ("Gamma 2", "New", True)]


def test_changes_before_the_create_was_tried_fold_into_it(cache: Cache) -> None:
    with cache.write() as conn:
        local_id, _ = template_writes.queue_create(
            conn, name="Draft", body="One", shared=False, now=at(1))
        template_writes.queue_edit(conn, template_id=local_id, patch={"body": "Two"}, now=at(1))
        assert len(ob.open_items(conn)) == 1  # one request, with the new words
        assert ob.open_items(conn)[0].payload["body"] == "Two"
        template_writes.queue_delete(conn, template_id=local_id, name="Draft", now=at(1))
        assert ob.open_items(conn) == []  # never left: nothing for the server to delete
        assert names(conn) == []


def test_a_cache_synced_before_r0010_syncs_again_on_upgrade(tmp_path: Path) -> None:
    path = tmp_path / "cache.db"
    cache = Cache.open(path)
    with cache.write() as conn:
        save_cursor(conn, "epoch.42", at(0))
        command.downgrade(alembic_config(conn), "0009")
    cache.close()
    cache = Cache.open(path)  # migrates to head again
    try:
        with cache.read() as conn:
            # Shared templates were made before this console kept them: the feed is read again.
            # (A later revision may resync as well: the cursor is then its.)
            assert read_cursor(conn).cursor in resync_cursors()
            assert RESYNC_CURSOR in resync_cursors()
    finally:
        cache.close()
