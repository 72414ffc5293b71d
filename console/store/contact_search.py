"""Contact search in SQL: by name, by a number fragment in any format, by email.

"555 0111", "(415) 555" and "+1415" all search the digits inside the stored E.164 numbers
(domain.phones.digits_fragment); anything holding a letter is a name or email search, every
word of it found in the name or the email ("gonz mar" finds Maria Gonzalez). Fragments are
substrings, as on the backend (GET /v1/contacts?q=).

How it stays fast with 50,000 contacts (numbers in migration 0002's docstring): words of 3+
characters go to `contact_fts`, a trigram full-text index of name, email and number digits;
shorter words only narrow what it found (or, alone, scan names with LIKE); the list order comes
from the name index. Contacts changed since their index row was written are listed in
`contact_search_dirty` and searched by scanning just them, so a result is never stale;
refresh_index() rewrites them in bulk after each write (ContactService does it).

Deleted contacts (kept in the cache so group chats can tag them) never match. Contacts created
here and not yet confirmed by the server (ids starting LOCAL_CONTACT_PREFIX) are left out
unless asked for: a group chat cannot name a contact the server does not know yet.

Results come back in name order (case-insensitive, then id), a page at a time: callers ask for
`limit` rows from `offset` and never hold the whole list in Python.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

from sqlalchemy import Connection

from console.domain.phones import digits_fragment

# A contact created locally lives under this id until the server names it (contact_writes.py).
LOCAL_CONTACT_PREFIX = "local-contact-"
MAX_TERMS = 8  # words of a name search that count; more only slow the query down
TRIGRAM = 3  # the full-text index finds fragments of at least this many characters
# Tables and indexes of migration 0002 that have no SQLAlchemy model (the schema check skips).
INDEX_TABLES = frozenset({"contact_fts", "contact_search_dirty"})
INDEX_NAMES = frozenset({"ix_contacts_name_nocase"})
REFRESH_CHUNK = 2000  # index rows rewritten per transaction (keeps each write turn short)
# A fragment in at least this many contacts ("example" is in 25,000 emails) is not looked up in
# the full-text index: listing its hits from there took 25-40 ms per query, while walking the
# name index and testing each row stops after a page of hits (half the rows match: ~200 rows,
# under 1 ms). A rarer fragment the other way round: "maria gon" 0.5 ms from the index against
# 27 ms walking. How broad a fragment is stays remembered for a while (_BROADNESS): a stale
# answer only costs time, never a wrong result.
BROAD = 2000
# Testing a row for a number fragment costs a look at its phones (~6 us against ~1 us for a
# name), so a number fragment goes to the index up to more hits ("(415" in ~3,000: 10-17 ms
# walking, 5 ms from the index).
BROAD_DIGITS = 8000
_BROADNESS: OrderedDict[str, bool] = OrderedDict()
_BROADNESS_KEPT = 256

_DIGITS = (
    "coalesce((SELECT group_concat(substr(p.number, 2), ' ') FROM contact_phones AS p "
    "WHERE p.contact_id = c.id), '')"
)


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _fts_phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


@dataclass(frozen=True, slots=True)
class _Where:
    sql: str
    params: tuple[object, ...]
    digits: str  # the number fragment searched, "" for a name/email search
    match: str = ""  # the full-text query, "" when the search does not use the index


def _text_like(term: str) -> tuple[str, list[object]]:
    like = f"%{_like_escape(term)}%"
    return "(c.name LIKE ? ESCAPE '\\' OR c.email LIKE ? ESCAPE '\\')", [like, like]


def _where(text: str, include_pending: bool, *, scan_only: bool = False) -> _Where:
    """The condition on `c` (contacts) for `text`, and its parameters; `scan_only` leaves the
    full-text index out (for a broad fragment, see BROAD)."""
    clauses = ["c.deleted = 0"]
    params: list[object] = []
    if not include_pending:
        clauses.append("c.id NOT LIKE ? ESCAPE '\\'")
        params.append(_like_escape(LOCAL_CONTACT_PREFIX) + "%")
    # Words of punctuation alone ("(" while typing a number) narrow nothing.
    query = " ".join(w for w in (text or "").split() if any(ch.isalnum() for ch in w))
    if not query:
        return _Where(" AND ".join(clauses), tuple(params), "")
    digits = digits_fragment(query)
    # What the full-text index can find (match), and the same as a plain scan (scan) for the
    # contacts whose index row is not written yet.
    match: list[str] = []
    narrow: list[str] = []
    narrow_params: list[object] = []
    scan: list[str] = []
    scan_params: list[object] = []
    if digits:
        like, like_params = _text_like(query)
        phone = (
            "EXISTS (SELECT 1 FROM contact_phones AS p WHERE p.contact_id = c.id "
            "AND p.number LIKE ? ESCAPE '\\')"
        )
        scan.append(f"({phone} OR {like})")
        scan_params += [f"%{digits}%", *like_params]
        if len(digits) >= TRIGRAM:
            alternatives = [f"digits : {_fts_phrase(digits)}"]
            if len(query) >= TRIGRAM:
                alternatives.append(f"{{name email}} : {_fts_phrase(query)}")
            match.append("(" + " OR ".join(alternatives) + ")")
    else:
        for term in query.split()[:MAX_TERMS]:
            like, like_params = _text_like(term)
            scan.append(like)
            scan_params += like_params
            if len(term) >= TRIGRAM:
                match.append(f"{{name email}} : {_fts_phrase(term)}")
            else:
                narrow.append(like)
                narrow_params += like_params
    scanned = " AND ".join(scan)
    if match and not scan_only:
        indexed = " AND ".join(
            [
                "c.rowid IN (SELECT rowid FROM contact_fts WHERE contact_fts MATCH ?)",
                "c.rowid NOT IN (SELECT contact_rowid FROM contact_search_dirty)",
                *narrow,
            ]
        )
        clauses.append(
            f"(({indexed}) OR "
            f"(c.rowid IN (SELECT contact_rowid FROM contact_search_dirty) AND {scanned}))"
        )
        params += [" AND ".join(match), *narrow_params, *scan_params]
    else:
        clauses.append(f"({scanned})")
        params += scan_params
    used = " AND ".join(match) if match and not scan_only else ""
    return _Where(" AND ".join(clauses), tuple(params), digits, used)


_broadness_lock = threading.Lock()


def _is_broad(conn: Connection, match: str, limit: int) -> bool:
    with _broadness_lock:
        known = _BROADNESS.get(match)
        if known is not None:
            _BROADNESS.move_to_end(match)
            return known
    hits = conn.exec_driver_sql(
        "SELECT count(*) FROM (SELECT 1 FROM contact_fts WHERE contact_fts MATCH ? LIMIT ?)",
        (match, limit),
    ).scalar_one()
    broad = int(hits) >= limit
    with _broadness_lock:
        _BROADNESS[match] = broad
        while len(_BROADNESS) > _BROADNESS_KEPT:
            _BROADNESS.popitem(last=False)
    return broad


def forget_broadness() -> None:
    """Forget how broad fragments were (benchmarks start each measurement from nothing)."""
    with _broadness_lock:
        _BROADNESS.clear()


def _plan(conn: Connection, text: str, include_pending: bool) -> _Where:
    """The condition for `text`: through the full-text index, or (broad) by walking names."""
    where = _where(text, include_pending)
    if where.match and _is_broad(conn, where.match, BROAD_DIGITS if where.digits else BROAD):
        return _where(text, include_pending, scan_only=True)
    return where


def _source(where: _Where) -> str:
    """`contacts AS c`, walked in name order when nothing narrows it down first."""
    if where.match:
        return "contacts AS c"
    return "contacts AS c INDEXED BY ix_contacts_name_nocase"


_ORDER = "ORDER BY c.name COLLATE NOCASE, c.id"


@dataclass(frozen=True, slots=True)
class SearchPlan:
    """A contact search for queries that add conditions of their own (store/group_queries.py):
    `where` is on `c` (contacts) with its `params`; `source` is this module's FROM clause (the
    name index walk unless the full-text index narrows first); `order` its ORDER BY."""

    where: str
    params: tuple[object, ...]
    source: str
    order: str = _ORDER
    uses_index: bool = False  # the full-text index narrows the search first


def search_plan(conn: Connection, text: str, *, include_pending: bool = False) -> SearchPlan:
    """The plan search_contact_ids would run for `text`."""
    where = _plan(conn, text, include_pending)
    return SearchPlan(where.sql, where.params, _source(where), _ORDER, bool(where.match))


def search_contact_ids(
    conn: Connection, text: str, *, limit: int, offset: int = 0, include_pending: bool = False
) -> list[str]:
    """Ids of the contacts matching `text`, in name order: `limit` of them from `offset`."""
    where = _plan(conn, text, include_pending)
    rows = conn.exec_driver_sql(
        f"SELECT c.id FROM {_source(where)} WHERE {where.sql} {_ORDER} LIMIT ? OFFSET ?",
        (*where.params, max(0, limit), max(0, offset)),
    )
    return [str(row[0]) for row in rows]


def count_contacts(
    conn: Connection, text: str, *, include_pending: bool = False, cap: int | None = None
) -> int:
    """How many contacts match `text` (what search_contact_ids would page through); with
    `cap`, counting stops there (a broad search need not count every hit to show a page)."""
    where = _plan(conn, text, include_pending)
    inner = f"SELECT 1 FROM contacts AS c WHERE {where.sql}"
    if cap is not None:
        value = conn.exec_driver_sql(
            f"SELECT count(*) FROM ({inner} LIMIT ?)", (*where.params, max(0, cap))
        ).scalar_one()
    else:
        value = conn.exec_driver_sql(f"SELECT count(*) FROM ({inner})", where.params).scalar_one()
    return int(value)


def position_of(
    conn: Connection, text: str, contact_id: str, *, include_pending: bool = False
) -> int | None:
    """Where `contact_id` stands in search_contact_ids(`text`) order; None if not listed."""
    where = _plan(conn, text, include_pending)
    found = conn.exec_driver_sql(
        f"SELECT c.name FROM contacts AS c WHERE {where.sql} AND c.id = ?",
        (*where.params, contact_id),
    ).first()
    if found is None:
        return None
    value = conn.exec_driver_sql(
        f"SELECT count(*) FROM contacts AS c WHERE {where.sql} AND "
        "(c.name < ? COLLATE NOCASE OR (c.name = ? COLLATE NOCASE AND c.id < ?))",
        (*where.params, found[0], found[0], contact_id),
    ).scalar_one()
    return int(value)


def _phone_filter(text: str, where: _Where) -> tuple[str, tuple[object, ...]]:
    """A contact found by name or email shows all its phones; one found by a number, the
    phones that hold the fragment."""
    if not where.digits:
        return "", where.params
    like = f"%{_like_escape(' '.join(text.split()))}%"
    return (
        "AND (p.number LIKE ? ESCAPE '\\' OR c.name LIKE ? ESCAPE '\\' "
        "OR c.email LIKE ? ESCAPE '\\')",
        (*where.params, f"%{where.digits}%", like, like),
    )


def _phone_rows(
    conn: Connection,
    columns: str,
    text: str,
    *,
    limit: int,
    offset: int,
    include_pending: bool,
) -> list[tuple[object, ...]]:
    where = _plan(conn, text, include_pending)
    phone_filter, params = _phone_filter(text, where)
    rows = conn.exec_driver_sql(
        f"SELECT {columns} FROM {_source(where)} "
        "JOIN contact_phones AS p ON p.contact_id = c.id "
        f"WHERE {where.sql} {phone_filter} {_ORDER}, p.position, p.id LIMIT ? OFFSET ?",
        (*params, max(0, limit), max(0, offset)),
    )
    return [tuple(row) for row in rows]


def search_contact_phones(
    conn: Connection, text: str, *, limit: int, offset: int = 0, include_pending: bool = False
) -> list[tuple[str, str]]:
    """(contact_id, e164) of the matching contacts, one row per phone, in name order and each
    contact's phones in their order. A number search returns just the phones that hold the
    fragment; a name or email search every phone of the contacts found."""
    rows = _phone_rows(
        conn, "c.id, p.number", text, limit=limit, offset=offset, include_pending=include_pending
    )
    return [(str(row[0]), str(row[1])) for row in rows]


def search_contact_phone_facts(
    conn: Connection, text: str, *, limit: int, offset: int = 0, include_pending: bool = False
) -> list[tuple[str, str, str, str, bool, str | None]]:
    """The rows of search_contact_phones (same order, same paging) with what a group chat's
    rule needs to know of each, in the same single query: (contact_id, name, e164, phone
    label, dnd, assigned_user_id). Matching contacts are never deleted (see the module doc)."""
    rows = _phone_rows(
        conn,
        "c.id, c.name, p.number, p.label, c.dnd, c.assigned_user_id",
        text,
        limit=limit,
        offset=offset,
        include_pending=include_pending,
    )
    return [
        (
            str(row[0]),
            str(row[1] or ""),
            str(row[2]),
            str(row[3] or ""),
            bool(row[4]),
            None if row[5] is None else str(row[5]),
        )
        for row in rows
    ]


def count_contact_phones(conn: Connection, text: str, *, include_pending: bool = False) -> int:
    """How many rows search_contact_phones would page through for `text`."""
    where = _plan(conn, text, include_pending)
    phone_filter, params = _phone_filter(text, where)
    value = conn.exec_driver_sql(
        "SELECT count(*) FROM contacts AS c JOIN contact_phones AS p ON p.contact_id = c.id "
        f"WHERE {where.sql} {phone_filter}",
        params,
    ).scalar_one()
    return int(value)


# -- keeping the index up to date ------------------------------------------------------------------


def stale_count(conn: Connection) -> int:
    """Contacts whose index row is not rewritten yet."""
    return int(conn.exec_driver_sql("SELECT count(*) FROM contact_search_dirty").scalar_one())


def refresh_index(conn: Connection, limit: int = REFRESH_CHUNK) -> int:
    """Rewrite the index rows of up to `limit` changed contacts, in bulk (inside the caller's
    write transaction); returns how many were done (0: the index is up to date)."""
    conn.exec_driver_sql("DROP TABLE IF EXISTS temp.contact_search_batch")
    conn.exec_driver_sql(
        "CREATE TEMP TABLE contact_search_batch AS SELECT contact_rowid FROM contact_search_dirty "
        "LIMIT ?",
        (max(0, limit),),
    )
    done = int(
        conn.exec_driver_sql("SELECT count(*) FROM temp.contact_search_batch").scalar_one()
    )
    if done:
        batch = "SELECT contact_rowid FROM temp.contact_search_batch"
        conn.exec_driver_sql(f"DELETE FROM contact_fts WHERE rowid IN ({batch})")
        conn.exec_driver_sql(
            "INSERT INTO contact_fts (rowid, name, email, digits) "
            f"SELECT c.rowid, c.name, coalesce(c.email, ''), {_DIGITS} FROM contacts AS c "
            f"WHERE c.rowid IN ({batch}) AND c.deleted = 0"
        )
        conn.exec_driver_sql(f"DELETE FROM contact_search_dirty WHERE contact_rowid IN ({batch})")
    conn.exec_driver_sql("DROP TABLE temp.contact_search_batch")
    return done
