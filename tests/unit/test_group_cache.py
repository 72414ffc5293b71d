"""Audience groups in the cache: the feed's group events applied in bulk, read back in pages by
the group service, with writes still in the outbox laid over them (real SQLite files)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import func, select

from console.domain.errors import DomainError
from console.protocol.auth import User
from console.protocol.sync import SyncEvent
from console.services.group_reads import GroupState, MemberState, SentSort, SentState
from console.services.groups import GroupService
from console.services.session import Session
from console.store import outbox as ob
from console.store.apply import apply_sync_page
from console.store.cache import Cache
from console.store.changes import Changes
from console.store.maintenance import clear_cached_data
from console.store.migrate import alembic_config
from console.store.models import group_members, group_messages, groups
from console.store.session_meta import read_cursor, save_cursor
from tests.unit.cache_factories import at, contact, event, page, resync_cursors


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[Cache]:
    opened = Cache.open(tmp_path / "cache.db")
    yield opened
    opened.close()


def service(cache: Cache, *, data_access: str = "all") -> tuple[GroupService, list[Changes]]:
    published: list[Changes] = []
    user = User(id="u1", email="me@example.com", name="Me", role="user", data_access=data_access)
    session = Session(user=user, server_url="http://x", profile="p", cache_path=cache.path)
    groups_service = GroupService(
        cache, session, publish=published.append, wake_sync=lambda: None
    )
    return groups_service, published


def group(gid: str, name: str, members: int = 0, **extra: Any) -> SyncEvent:
    kind = "group.deleted" if extra.get("deleted") else "group.upserted"
    return event(kind, {
        "id": gid, "name": name, "description": "", "member_count": members,
        "created_at": at(0).isoformat(), "updated_at": at(extra.pop("minute", 0)).isoformat(),
        **extra,
    })


def member(gid: str, cid: str, *, removed: bool = False) -> SyncEvent:
    kind = "group.member_removed" if removed else "group.member_added"
    return event(kind, {"group_id": gid, "contact_id": cid, "added_at": at(1).isoformat()})


def sent(mid: str, gid: str, title: str, minute: float, **stats: int) -> SyncEvent:
    return event("group_message.upserted", {
        "id": mid, "group_id": gid, "sender_user_id": "u1", "title": title,
        "body": f"Body of {title}", "recipient_count": stats.pop("recipients", 2),
        "sent_at": at(minute).isoformat(), "stats": {"recipients": 2, **stats},
    })


def rows(cache: Cache, table: Any) -> int:
    with cache.read() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


PEOPLE = [
    contact("k1", "Zoe Park", "+14155550001"),
    contact("k2", "ann lee", "+14155550002"),
    contact("k3", "Bob Stone", "+14155550003"),
    contact("k4", "Carla Diaz", "+14155550004"),
]


def test_feed_events_fill_groups_members_and_sent_messages(cache: Cache) -> None:
    apply_sync_page(cache, page(
        *PEOPLE,
        group("g1", "Buyers", 3), group("g2", "agents", 0),
        member("g1", "k1"), member("g1", "k2"), member("g1", "k3"),
        member("g2", "k4"), member("g2", "k4", removed=True),  # last event wins
        sent("m1", "g1", "Open house", 5, delivered=2, read=1, replied=1),
        group("g1", "Buyers 2026", 3, minute=6),  # renamed after sending
        sent("m1", "g1", "Open house", 5, delivered=2, read=2, replied=1,
             notification_failures=1),
    ))
    ws, _ = service(cache)
    assert ws.count_groups() == 2
    assert [(g.name, g.member_count) for g in ws.groups_page("", 0, 10)] == [
        ("agents", 0), ("Buyers 2026", 3)
    ]
    assert [g.name for g in ws.groups_page("BUY", 0, 10)] == ["Buyers 2026"]
    # Members in the contact list's order (case does not count), searchable, paged.
    assert [m.name for m in ws.members_page("g1", "", 0, 10)] == ["ann lee", "Bob Stone",
                                                                  "Zoe Park"]
    assert [m.name for m in ws.members_page("g1", "", 1, 1)] == ["Bob Stone"]
    assert [m.name for m in ws.members_page("g1", "zoe", 0, 10)] == ["Zoe Park"]
    assert ws.count_members("g1") == 3
    assert ws.count_members("g2") == 0
    assert ws.members_page("g1", "", 0, 1)[0].display_phone == "(415) 555-0002"
    # The picker offers everyone else.
    assert [c.name for c in ws.addable_page("g1", "", 0, 10)] == ["Carla Diaz"]
    assert ws.count_addable("g1") == 1
    assert ws.count_addable("g2", "a") == 3  # not Bob
    assert [p.group.name for p in ws.groups_of_contact("k1")] == ["Buyers 2026"]
    # The sent list keeps the group's name as it was sent, with the newest statistics.
    (message,) = ws.sent_page("", 0, 10)
    assert (message.group_name, message.title, message.recipient_count) == (
        "Buyers", "Open house", 2
    )
    assert (message.delivered, message.read, message.replied) == (2, 2, 1)
    assert message.notification_failures == 1
    assert message.state is SentState.SENT
    assert ws.count_sent("house") == 1
    assert ws.count_sent("nothing like it") == 0
    assert ws.count_sent("Buyers") == 1  # by the group's name too
    assert ws.recipients_now("g1").count == 3


def test_sent_list_pages_sorts_and_searches(cache: Cache) -> None:
    apply_sync_page(cache, page(
        group("g1", "Buyers"),
        *[sent(f"m{i}", "g1", f"Notice {i:02d}", i, delivered=i % 3) for i in range(30)],
    ))
    ws, _ = service(cache)
    newest = ws.sent_page("", 0, 5)
    assert [m.title for m in newest] == [f"Notice {i:02d}" for i in (29, 28, 27, 26, 25)]
    assert [m.title for m in ws.sent_page("", 28, 5)] == ["Notice 01", "Notice 00"]
    by_title = ws.sent_page("", 0, 3, sort=SentSort.TITLE, descending=False)
    assert [m.title for m in by_title] == ["Notice 00", "Notice 01", "Notice 02"]
    most = ws.sent_page("", 0, 2, sort=SentSort.DELIVERED)
    assert [m.delivered for m in most] == [2, 2]
    assert most[0].sent_at > most[1].sent_at
    assert ws.count_sent("notice 1") == 12  # every word somewhere: 01, 10..19, 21
    assert ws.sent_messages(["m3", "nope"]).keys() == {"m3"}


def test_a_contact_out_of_sight_takes_its_memberships_and_a_replay_brings_them_back(
    cache: Cache,
) -> None:
    apply_sync_page(cache, page(*PEOPLE, group("g1", "Buyers", 2), member("g1", "k1"),
                                member("g1", "k2")))
    apply_sync_page(cache, page(event("contact.deleted", {"id": "k1", "out_of_sight": True})))
    ws, _ = service(cache)
    assert [m.contact_id for m in ws.members_page("g1", "", 0, 10)] == ["k2"]
    assert rows(cache, group_members) == 1
    # Regained later: the backend replays the contact and its memberships.
    apply_sync_page(cache, page(PEOPLE[0], member("g1", "k1")))
    assert {m.contact_id for m in ws.members_page("g1", "", 0, 10)} == {"k1", "k2"}


def test_deleted_groups_leave_the_lists_but_sent_messages_keep_naming_them(cache: Cache) -> None:
    apply_sync_page(cache, page(*PEOPLE, group("g1", "Buyers", 1), member("g1", "k1"),
                                sent("m1", "g1", "Hello", 2), sent("m2", "g1", "Bye", 3)))
    apply_sync_page(cache, page(group("g1", "Buyers", 1, deleted=True),
                                event("group_message.deleted", {"id": "m2", "deleted": True})))
    ws, _ = service(cache)
    assert ws.count_groups() == 0
    assert ws.groups_of_contact("k1") == []
    assert rows(cache, groups) == 1  # kept, flagged
    assert [m.title for m in ws.sent_page("", 0, 10)] == ["Hello"]  # m2 left this user's sight
    assert ws.sent_page("", 0, 10)[0].group_name == "Buyers"
    assert rows(cache, group_messages) == 1


def test_local_writes_show_at_once_over_the_cache(cache: Cache) -> None:
    apply_sync_page(cache, page(*PEOPLE, group("g1", "Buyers", 1), member("g1", "k1")))
    ws, published = service(cache)

    made = ws.create_group("  New   buyers ", "Spring")
    assert made.id.startswith("local-group-")
    assert made.name == "New buyers"
    assert made.state is GroupState.CREATING
    assert made.state is GroupState.CREATING
    assert ws.groups_page("", 0, 10)[0].id == made.id  # made here: listed first
    assert ws.count_groups() == 2
    with pytest.raises(DomainError) as clash:
        ws.create_group("buyers")
    assert clash.value.code == "conflict"
    assert "already a group named" in clash.value.detail
    with pytest.raises(DomainError):
        ws.create_group("   ")

    # Members of the new group show before it exists on the server.
    ws.add_members(made.id, ["k2", "k3"])
    assert [(m.name, m.state) for m in ws.members_page(made.id, "", 0, 10)] == [
        ("ann lee", MemberState.ADDING), ("Bob Stone", MemberState.ADDING)
    ]
    assert ws.group(made.id) is not None
    assert ws.group(made.id).member_count == 2  # type: ignore[union-attr]
    assert ws.recipients_now(made.id).count == 2

    # Add and remove on a synced group: count, list, picker and person panel follow at once.
    ws.add_member("g1", "k4")
    ws.remove_member("g1", "k1")
    shown = ws.group("g1")
    assert shown is not None
    assert shown.member_count == 1  # 1 + k4 - k1
    states = {m.contact_id: m.state for m in ws.members_page("g1", "", 0, 10)}
    assert states == {"k1": MemberState.REMOVING, "k4": MemberState.ADDING}
    assert "k4" not in {c.contact_id for c in ws.addable_page("g1", "", 0, 10)}
    assert "k1" in {c.contact_id for c in ws.addable_page("g1", "", 0, 10)}
    assert [(p.group.id, p.state) for p in ws.groups_of_contact("k4")] == [
        ("g1", MemberState.ADDING)
    ]
    assert ws.recipients_now("g1").count == 1

    renamed = ws.rename_group("g1", "Buyers (old)")
    assert (renamed.name, renamed.state) == ("Buyers (old)", GroupState.SAVING)
    assert [g.name for g in ws.groups_page("old", 0, 10)] == ["Buyers (old)"]
    assert ws.groups_page("Buyers (", 0, 10)[0].id == "g1"
    deleting = ws.delete_group("g1")
    assert deleting is not None
    assert deleting.state is GroupState.DELETING

    pending_message = ws.send_group_message(made.id, "Welcome", "Hello all")
    (row,) = [r for r in ws.sent_page("", 0, 10)]
    assert (row.state, row.title, row.group_name, row.recipient_count) == (
        SentState.SENDING, "Welcome", "New buyers", None
    )
    assert ws.sent_message(row.key) == row
    assert row.pending_key == pending_message.key
    assert all(c.groups or c.group_messages for c in published)

    # A group that never left this machine is deleted at once, with what was queued for it.
    assert ws.delete_group(made.id) is None
    assert ws.count_sent() == 0
    assert ws.count_groups() == 1
    with cache.read() as conn:
        assert not [i for i in ob.open_items(conn) if i.payload.get("group_id") == made.id]


def test_an_assigned_only_user_counts_recipients_by_the_server(cache: Cache) -> None:
    # Their feed carries only their own people's memberships; the group's size is the server's.
    apply_sync_page(cache, page(*PEOPLE[:2], group("g1", "Buyers", 5), member("g1", "k1"),
                                member("g1", "k2")))
    ws, _ = service(cache, data_access="assigned")
    assert ws.count_members("g1") == 2
    assert ws.group("g1").member_count == 5  # type: ignore[union-attr]
    count = ws.recipients_now("g1")
    assert (count.count, count.cached_members, count.server_count, count.complete) == (
        5, 2, 5, False
    )


def test_a_cache_synced_before_groups_were_cached_resyncs_on_upgrade(tmp_path: Path) -> None:
    path = tmp_path / "cache.db"
    cache = Cache.open(path)
    with cache.write() as conn:
        save_cursor(conn, "epoch.42", at(0))
        command.downgrade(alembic_config(conn), "0004")
    cache.close()
    cache = Cache.open(path)  # migrates to head again
    try:
        with cache.read() as conn:
            # A cursor no server knows: the next pull gets 410 and the full resync runs (a
            # later revision that resyncs too may have put its own such cursor there).
            assert read_cursor(conn).cursor in resync_cursors()
        assert rows(cache, groups) == 0
    finally:
        cache.close()


def test_another_accounts_cache_is_cleared_of_groups_too(cache: Cache) -> None:
    apply_sync_page(cache, page(*PEOPLE, group("g1", "Buyers", 1), member("g1", "k1"),
                                sent("m1", "g1", "Hello", 2)))
    with cache.write() as conn:
        clear_cached_data(conn)
    assert (rows(cache, groups), rows(cache, group_members), rows(cache, group_messages)) == (
        0, 0, 0
    )
