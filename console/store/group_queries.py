"""Reads of the cached audience groups, their members and sent group messages, in SQL pages.

Nothing here loads a whole list: every read is one page (`limit` rows from `offset`) or a count,
so a group of 50,000 people or thousands of sent messages stay as fast as ten.

Access. Every user's feed carries every group (name, description, size), so `member_count` is
the server's count across all staff. Memberships come scoped by contact: an assigned-only user's
cache holds only those of the contacts they may see. For them the member list (and a person's
groups) is what the cache has, their own people, while the count shown for a group stays the
server's; an admin's or all-data user's cache holds every membership and both agree.

Member lists and the add-member picker reuse the contact search (store/contact_search.py): the
same words find the same people, in the same name order. How a page of members is read depends
on the group's size (see BIG_GROUP).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection

from console.store import contact_search

# A group with at least this many cached members is paged by walking the contacts' name index
# and testing membership (a page stops after `limit` hits); a smaller one by reading its
# members through the primary key and sorting just them. Measured over 50,000 contacts
# (tests/bench/bench_group_reads.py): a 1,000-member group by its members ~3 ms a page against
# ~25 ms walking the names; at 20,000 members sorting them all costs more than the walk.
BIG_GROUP = 5000


def _time(value: Any) -> datetime | None:
    """A time read by raw SQL (the naive UTC text UtcDateTime stores) as an aware UTC time."""
    if value is None:
        return None
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    assert isinstance(moment, datetime)
    return moment.replace(tzinfo=UTC)


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


# -- groups -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GroupView:
    id: str
    name: str
    description: str
    member_count: int  # the server's count (see the module doc)
    created_at: datetime
    updated_at: datetime
    deleted: bool


_GROUP_COLUMNS = (
    "g.id, g.name, g.description, g.member_count, g.created_at, g.updated_at, g.deleted"
)


def _group_view(row: Any) -> GroupView:
    created, updated = _time(row[4]), _time(row[5])
    assert created is not None and updated is not None
    return GroupView(str(row[0]), str(row[1]), str(row[2] or ""), int(row[3]), created, updated,
                     bool(row[6]))


@dataclass(frozen=True, slots=True)
class GroupFilter:
    """Which live groups a list shows: those whose name holds `text` (case not counting), with
    names still being changed here judged by their new name (`renamed`: id -> new name)."""

    text: str = ""
    renamed: tuple[tuple[str, str], ...] = ()

    def sql(self) -> tuple[str, list[object]]:
        clauses: list[str] = ["g.deleted = 0"]
        params: list[object] = []
        words = self.text.split()
        if not words:
            return " AND ".join(clauses), params
        needle = " ".join(words).casefold()
        found = [gid for gid, name in self.renamed if needle in " ".join(name.split()).casefold()]
        lost = [gid for gid, name in self.renamed if gid not in found]
        clauses.append(
            "((g.name_key LIKE ? ESCAPE '\\' AND g.id NOT IN (SELECT value FROM json_each(?))) "
            "OR g.id IN (SELECT value FROM json_each(?)))"
        )
        params += [_like(needle), json.dumps(lost), json.dumps(found)]
        return " AND ".join(clauses), params


def count_groups(conn: Connection, where: GroupFilter) -> int:
    sql, params = where.sql()
    return int(
        conn.exec_driver_sql(f"SELECT count(*) FROM groups AS g WHERE {sql}", tuple(params))
        .scalar_one()
    )


def group_page(
    conn: Connection, where: GroupFilter, *, offset: int, limit: int
) -> list[GroupView]:
    """Live groups in name order (case not counting), one page."""
    sql, params = where.sql()
    rows = conn.exec_driver_sql(
        f"SELECT {_GROUP_COLUMNS} FROM groups AS g INDEXED BY ix_groups_deleted_name_key "
        f"WHERE {sql} ORDER BY g.deleted, g.name_key, g.id LIMIT ? OFFSET ?",
        (*params, max(0, limit), max(0, offset)),
    )
    return [_group_view(r) for r in rows]


def groups_by_id(conn: Connection, group_ids: Iterable[str]) -> dict[str, GroupView]:
    """The ones of `group_ids` the cache has (deleted ones too), by id."""
    ids = list(dict.fromkeys(group_ids))
    if not ids:
        return {}
    rows = conn.exec_driver_sql(
        f"SELECT {_GROUP_COLUMNS} FROM groups AS g WHERE g.id IN "
        "(SELECT value FROM json_each(?))",
        (json.dumps(ids),),
    )
    return {v.id: v for v in map(_group_view, rows)}


def group_ids_of_contact(conn: Connection, contact_id: str) -> list[str]:
    """The live groups the cache has `contact_id` in, in name order."""
    rows = conn.exec_driver_sql(
        "SELECT g.id FROM group_members AS m JOIN groups AS g ON g.id = m.group_id "
        "WHERE m.contact_id = ? AND g.deleted = 0 ORDER BY g.name_key, g.id",
        (contact_id,),
    )
    return [str(r[0]) for r in rows]


def group_names(conn: Connection, group_ids: Iterable[str]) -> dict[str, str]:
    return {gid: view.name for gid, view in groups_by_id(conn, group_ids).items()}


# -- members ----------------------------------------------------------------------------------


def cached_member_count(conn: Connection, group_id: str) -> int:
    """Members of `group_id` in this cache whose contact is live (not deleted)."""
    return int(
        conn.exec_driver_sql(
            "SELECT count(*) FROM group_members AS m JOIN contacts AS c ON c.id = m.contact_id "
            "WHERE m.group_id = ? AND c.deleted = 0",
            (group_id,),
        ).scalar_one()
    )


def cached_members_among(
    conn: Connection, group_id: str, contact_ids: Sequence[str]
) -> set[str]:
    """Which of `contact_ids` the cache has in `group_id`."""
    if not contact_ids:
        return set()
    rows = conn.exec_driver_sql(
        "SELECT contact_id FROM group_members WHERE group_id = ? AND contact_id IN "
        "(SELECT value FROM json_each(?))",
        (group_id, json.dumps(list(contact_ids))),
    )
    return {str(r[0]) for r in rows}


@dataclass(frozen=True, slots=True)
class MemberView:
    contact_id: str
    name: str
    email: str | None
    phone: str | None  # the first of the contact's numbers (E.164), if any
    assigned_user_id: str | None
    added_at: datetime | None  # None: not a member in the cache yet (being added here)


_IN_GROUP = (
    "(c.id IN (SELECT contact_id FROM group_members WHERE group_id = ?) "
    "OR c.id IN (SELECT value FROM json_each(?)))"
)


def _member_source(conn: Connection, plan: contact_search.SearchPlan, group_id: str) -> str:
    if plan.uses_index:
        return plan.source
    big = conn.exec_driver_sql(
        "SELECT count(*) FROM (SELECT 1 FROM group_members WHERE group_id = ? LIMIT ?)",
        (group_id, BIG_GROUP),
    ).scalar_one()
    return plan.source if int(big) >= BIG_GROUP else "contacts AS c"


def count_members(
    conn: Connection,
    group_id: str,
    text: str,
    *,
    adding: Sequence[str] = (),
    cap: int | None = None,
) -> int:
    """Members matching the contact search `text`, with the people being added here; with
    `cap`, counting stops there (a list model counts on as it is scrolled)."""
    plan = contact_search.search_plan(conn, text)
    inner = f"SELECT 1 FROM contacts AS c WHERE {plan.where} AND {_IN_GROUP}"
    params: tuple[object, ...] = (*plan.params, group_id, json.dumps(list(adding)))
    if cap is not None:
        inner += " LIMIT ?"
        params = (*params, max(0, cap))
    return int(conn.exec_driver_sql(f"SELECT count(*) FROM ({inner})", params).scalar_one())


def member_page(
    conn: Connection,
    group_id: str,
    text: str,
    *,
    offset: int,
    limit: int,
    adding: Sequence[str] = (),
) -> list[MemberView]:
    """Members (and people being added here) matching `text`, in the contact list's name
    order, one page."""
    plan = contact_search.search_plan(conn, text)
    rows = conn.exec_driver_sql(
        "SELECT c.id, c.name, c.email, "
        "(SELECT p.number FROM contact_phones AS p WHERE p.contact_id = c.id "
        "ORDER BY p.position, p.id LIMIT 1), c.assigned_user_id, "
        "(SELECT m.added_at FROM group_members AS m WHERE m.group_id = ? "
        "AND m.contact_id = c.id) "
        f"FROM {_member_source(conn, plan, group_id)} WHERE {plan.where} AND {_IN_GROUP} "
        f"{plan.order} LIMIT ? OFFSET ?",
        (group_id, *plan.params, group_id, json.dumps(list(adding)), max(0, limit),
         max(0, offset)),
    )
    return [
        MemberView(str(r[0]), str(r[1]), r[2], r[3], r[4], _time(r[5])) for r in rows
    ]


def _not_in_group() -> str:
    # Not a member (unless being removed here) and not being added here.
    return (
        "c.id NOT IN (SELECT contact_id FROM group_members WHERE group_id = ? "
        "AND contact_id NOT IN (SELECT value FROM json_each(?))) "
        "AND c.id NOT IN (SELECT value FROM json_each(?))"
    )


def count_addable(
    conn: Connection,
    group_id: str,
    text: str,
    *,
    adding: Sequence[str] = (),
    removing: Sequence[str] = (),
    cap: int | None = None,
) -> int:
    """How many contacts the add-member picker lists for `text` (counting stops at `cap`)."""
    plan = contact_search.search_plan(conn, text)
    inner = f"SELECT 1 FROM contacts AS c WHERE {plan.where} AND {_not_in_group()}"
    params: tuple[object, ...] = (
        *plan.params, group_id, json.dumps(list(removing)), json.dumps(list(adding))
    )
    if cap is not None:
        inner += " LIMIT ?"
        params = (*params, max(0, cap))
    return int(conn.exec_driver_sql(f"SELECT count(*) FROM ({inner})", params).scalar_one())


def addable_page(
    conn: Connection,
    group_id: str,
    text: str,
    *,
    offset: int,
    limit: int,
    adding: Sequence[str] = (),
    removing: Sequence[str] = (),
) -> list[MemberView]:
    """Contacts not in `group_id` matching `text`, in name order, one page (added_at None).
    Contacts created here and not yet on the server are left out: the server cannot add them."""
    plan = contact_search.search_plan(conn, text)
    rows = conn.exec_driver_sql(
        "SELECT c.id, c.name, c.email, "
        "(SELECT p.number FROM contact_phones AS p WHERE p.contact_id = c.id "
        "ORDER BY p.position, p.id LIMIT 1), c.assigned_user_id "
        f"FROM {plan.source} WHERE {plan.where} AND {_not_in_group()} "
        f"{plan.order} LIMIT ? OFFSET ?",
        (*plan.params, group_id, json.dumps(list(removing)), json.dumps(list(adding)),
         max(0, limit), max(0, offset)),
    )
    return [MemberView(str(r[0]), str(r[1]), r[2], r[3], r[4], None) for r in rows]


# -- sent group messages ----------------------------------------------------------------------


class SentSort(StrEnum):
    """Columns the sent list sorts by (ties: newest first)."""

    SENT_AT = "sent_at"
    TITLE = "title"
    GROUP = "group"
    SENDER = "sender"
    RECIPIENTS = "recipients"
    DELIVERED = "delivered"
    READ = "read"
    REPLIED = "replied"
    NOTIFICATION_FAILURES = "notification_failures"


_SORT_SQL = {
    SentSort.SENT_AT: "gm.sent_at",
    SentSort.TITLE: "gm.title COLLATE NOCASE",
    SentSort.GROUP: "gm.group_name COLLATE NOCASE",
    SentSort.SENDER: "u.name COLLATE NOCASE",
    SentSort.RECIPIENTS: "gm.recipient_count",
    SentSort.DELIVERED: "gm.delivered_count",
    SentSort.READ: "gm.read_count",
    SentSort.REPLIED: "gm.replied_count",
    SentSort.NOTIFICATION_FAILURES: "coalesce(gm.notification_failures, -1)",
}


@dataclass(frozen=True, slots=True)
class SentView:
    id: str
    group_id: str
    group_name: str  # as when it was sent
    sender_user_id: str
    sender_name: str  # "" when the cache does not know the colleague
    title: str
    body: str
    sent_at: datetime
    recipient_count: int
    delivered: int
    read: int
    replied: int
    notification_failures: int | None
    stats: dict[str, Any]  # the server's whole stats object


_SENT_COLUMNS = (
    "gm.id, gm.group_id, gm.group_name, gm.sender_user_id, coalesce(u.name, ''), gm.title, "
    "gm.body, gm.sent_at, gm.recipient_count, gm.delivered_count, gm.read_count, "
    "gm.replied_count, gm.notification_failures, gm.stats_json"
)
_SENT_FROM = "group_messages AS gm LEFT JOIN users AS u ON u.id = gm.sender_user_id"


def _sent_view(r: Any) -> SentView:
    sent_at = _time(r[7])
    assert sent_at is not None
    return SentView(
        str(r[0]), str(r[1]), str(r[2] or ""), str(r[3]), str(r[4] or ""), str(r[5]),
        str(r[6]), sent_at, int(r[8]), int(r[9]), int(r[10]), int(r[11]),
        None if r[12] is None else int(r[12]), json.loads(r[13]) if r[13] else {},
    )


def _sent_where(text: str) -> tuple[str, tuple[object, ...]]:
    words = text.split()[:8]
    if not words:
        return "1", ()
    clauses, params = [], []
    for word in words:
        like = _like(word)
        clauses.append(
            "(gm.title LIKE ? ESCAPE '\\' OR gm.body LIKE ? ESCAPE '\\' "
            "OR gm.group_name LIKE ? ESCAPE '\\')"
        )
        params += [like, like, like]
    return " AND ".join(clauses), tuple(params)


def count_sent(conn: Connection, text: str) -> int:
    """Sent group messages whose title, body or group name holds every word of `text`."""
    where, params = _sent_where(text)
    return int(
        conn.exec_driver_sql(
            f"SELECT count(*) FROM group_messages AS gm WHERE {where}", params
        ).scalar_one()
    )


def sent_page(
    conn: Connection,
    text: str,
    *,
    offset: int,
    limit: int,
    sort: SentSort = SentSort.SENT_AT,
    descending: bool = True,
) -> list[SentView]:
    """One page of the sent list (newest first by default; the (sent_at, id) index walks it)."""
    where, params = _sent_where(text)
    direction = "DESC" if descending else "ASC"
    order = f"{_SORT_SQL[sort]} {direction}"
    if sort is SentSort.SENT_AT:
        order += f", gm.id {direction}"
    else:
        order += ", gm.sent_at DESC, gm.id DESC"
    rows = conn.exec_driver_sql(
        f"SELECT {_SENT_COLUMNS} FROM {_SENT_FROM} WHERE {where} ORDER BY {order} "
        "LIMIT ? OFFSET ?",
        (*params, max(0, limit), max(0, offset)),
    )
    return [_sent_view(r) for r in rows]


def sent_by_id(conn: Connection, ids: Iterable[str]) -> dict[str, SentView]:
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return {}
    rows = conn.exec_driver_sql(
        f"SELECT {_SENT_COLUMNS} FROM {_SENT_FROM} WHERE gm.id IN "
        "(SELECT value FROM json_each(?))",
        (json.dumps(wanted),),
    )
    return {v.id: v for v in map(_sent_view, rows)}


def user_names(conn: Connection, user_ids: Iterable[str]) -> dict[str, str]:
    ids = list(dict.fromkeys(user_ids))
    if not ids:
        return {}
    rows = conn.exec_driver_sql(
        "SELECT id, name FROM users WHERE id IN (SELECT value FROM json_each(?))",
        (json.dumps(ids),),
    )
    return {str(r[0]): str(r[1] or "") for r in rows}
