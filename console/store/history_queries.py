"""History reads over the search index (store/search_index.py): filters, full text, keyset
pages newest first, capped counts, and the filter combos' choices.

Plans (EXPLAIN QUERY PLAN, checked in tests/unit/test_history_search.py):
- with words: FTS5 drives (`CROSS JOIN` keeps it outside), handing rowids = history keys in
  descending order with the keyset and date bounds as rowid constraints; each match is joined
  to its entry by primary key and filtered there; the page stops at `limit` matches;
- without: a backward walk of history_entries' primary key, or of the (channel | number |
  author, key) index when that filter is a single value.
A status filter is tested against `messages` per row (statuses change too often to copy): a
rare status over a big cache reads many rows (see the bench's figures).

Words become an FTS5 expression that cannot fail: only runs of letters and digits are kept
(FTS5's own syntax characters and keywords are then just text), each is quoted and matched as
a word prefix (results while typing; one-letter words are skipped). Digits typed with the
separators of a phone number are also matched as one number: "(415) 555-01" is the words
"415" "555" "01" or the digits "41555501" (the numbers column holds national numbers:
search_index.py).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection

MAX_WORDS = 8  # words of a search that count; more only slow the query down
MIN_WORD = 2  # shorter words are not searched (see words())
INDEXED_PREFIX = 3  # the longest prefix the index holds as such (search_index: prefix='2 3')
MAX_PREFIX_TERMS = 16  # a longer prefix is looked up as the words it stands for, up to these
NANP_DIGITS = 11  # +1 and ten digits
_WORD = re.compile(r"[^\W_]+")
# Digits with the separators people type in numbers: "(415) 555-0111", "+1 415.555.0111".
_PHONE_RUN = re.compile(r"(?<![^\W_])\+?\(?\d(?:[\d().\-\s]*\d)?(?![^\W_])")


@dataclass(frozen=True, slots=True)
class HistoryQuery:
    """A History filter in the cache's terms (services/history.py builds it)."""

    text: str = ""  # what the user typed (fts_expression makes it an FTS5 query)
    key_from: int | None = None  # inclusive
    key_to: int | None = None  # exclusive
    channels: tuple[str, ...] = ()
    number_ids: tuple[str, ...] = ()
    group_id: str | None = None
    author_user_id: str | None = None
    author_contact_id: str | None = None
    direction: str | None = None
    statuses: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class HistoryRecord:
    """One History row as stored (services/history.py turns it into a HistoryRow)."""

    key: int
    message_id: int | None
    group_message_id: str | None
    channel: str
    conversation_id: str | None
    direction: str
    status: str
    body: str
    created_at: datetime
    author_user_id: str | None
    author_user_name: str | None
    author_contact_id: str | None
    author_contact_name: str | None
    number_id: str | None
    # Group messages: their group, its name as sent, the staff title and the recipient count.
    group_id: str | None = None
    group_name: str = ""
    title: str = ""
    recipient_count: int | None = None
    # Conversation messages: their conversation as stored (services name it).
    conversation_kind: str | None = None
    conversation_title: str = ""
    conversation_phone: str | None = None
    participants_json: str | None = None
    number_label: str = ""
    note: bool = False  # an internal note for the team (messages.note, r0013)


def words(text: str) -> list[str]:
    """The words of a search as the index splits them (runs of letters and digits), without
    one-letter ones: a word starting with "t" is in nearly every message, so it would narrow
    nothing and cost the most (the index keeps no one-letter prefixes)."""
    return [w for w in _WORD.findall(text or "") if len(w) >= MIN_WORD][:MAX_WORDS]


TermLookup = Callable[[str, str, int], list[str]]


def fts_expression(text: str, lookup: TermLookup | None = None) -> str | None:
    """`text` as a safe FTS5 query: every word quoted and a prefix (results while typing); a
    run that reads as a phone number also as one digit prefix. None when it has no words.

    Each word is a run of letters and digits, which unicode61 keeps as one token, so a quoted
    word is never a phrase (the index has no positions to match one with).

    A prefix longer than the index's prefix indexes (3) is slow as such: FTS5 gathers every
    row of every word it starts with before it can hand back the newest (25-70 ms for
    "tomorr" over a million messages), while a whole word streams (under 1 ms). With `lookup`
    (`term_lookup(conn)`: the index's own vocabulary) such a prefix becomes the words it
    stands for, when they are few."""
    terms: list[str] = []
    rest = text or ""
    for run in _PHONE_RUN.findall(rest):
        digits = "".join(ch for ch in run if ch.isdigit())
        if len(digits) == NANP_DIGITS and digits.startswith("1"):
            digits = digits[1:]  # the index holds national numbers (search_index.number_words)
        if len(digits) < MIN_WORD:
            continue
        groups = [g for g in _WORD.findall(run) if len(g) >= MIN_WORD]
        number = _prefix(digits, lookup)
        if len(groups) > 1:
            number = f"({number} OR ({' AND '.join(_prefix(g, lookup) for g in groups)}))"
        terms.append(number)
    found = words(_PHONE_RUN.sub(" ", rest))
    terms += [_prefix(w, lookup) for w in found]
    return " AND ".join(terms[:MAX_WORDS]) or None


def _quoted(word: str) -> str:
    return f'"{word}"'


def _prefix(word: str, lookup: TermLookup | None) -> str:
    if lookup is None or len(word) <= INDEXED_PREFIX:
        return f'"{word}"*'
    folded = fold_token(word)
    terms = lookup(folded, folded + "\U0010ffff", MAX_PREFIX_TERMS + 1)
    if not terms or len(terms) > MAX_PREFIX_TERMS:
        return f'"{word}"*'
    return "(" + " OR ".join(_quoted(t) for t in terms) + ")" if len(terms) > 1 else _quoted(
        terms[0]
    )


def fold_token(word: str) -> str:
    """`word` as unicode61 (remove_diacritics 2) stores it: lower case, accents off."""
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


# The index's words from `low` (inclusive) to `high` (exclusive), at most `limit`.
VOCAB_SQL = "SELECT term FROM history_vocab WHERE term >= ? AND term < ? LIMIT ?"


def term_lookup(conn: Connection) -> TermLookup:
    def lookup(low: str, high: str, limit: int) -> list[str]:
        rows = conn.exec_driver_sql(VOCAB_SQL, (low, high, limit)).all()
        return [str(r[0]) for r in rows]

    return lookup


def match_of(conn: Connection, q: HistoryQuery) -> str | None:
    """The FTS5 query for `q`'s text on this cache (None: no text to match)."""
    return fts_expression(q.text, term_lookup(conn)) if q.text.strip() else None


def _where(
    q: HistoryQuery, match: str | None, key: str, after: int | None
) -> tuple[list[str], list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if match is not None:
        clauses.append("history_fts MATCH ?")
        params.append(match)
    bounds = [(">=", q.key_from), ("<", q.key_to), ("<", after)]
    for op, value in bounds:
        if value is not None:
            clauses.append(f"{key} {op} ?")
            params.append(value)
    for column, values in (("e.channel", q.channels), ("e.number_id", q.number_ids)):
        if values:
            clauses.append(f"{column} IN ({', '.join('?' * len(values))})")
            params.extend(values)
    for column, equal in (
        ("e.author_user_id", q.author_user_id),
        ("e.author_contact_id", q.author_contact_id),
        ("e.direction", q.direction),
    ):
        if equal is not None:
            clauses.append(f"{column} = ?")
            params.append(equal)
    if q.group_id is not None:
        clauses.append("e.group_message_ref IN (SELECT id FROM group_messages WHERE group_id = ?)")
        params.append(q.group_id)
    if q.statuses:
        marks = ", ".join("?" * len(q.statuses))
        # A group message has no status of its own: it was sent.
        clauses.append(
            f"(CASE WHEN e.message_id IS NULL THEN 'sent' ELSE (SELECT m.status FROM messages "
            f"AS m WHERE m.id = e.message_id) END) IN ({marks})"
        )
        params.extend(q.statuses)
    return clauses, params


def keys_sql(q: HistoryQuery, match: str | None, after: int | None) -> tuple[str, list[Any]]:
    """The page query of `q` (its text as `match`: match_of) below `after`, newest first, no
    LIMIT; and its parameters."""
    if match is not None:
        source = "history_fts AS f CROSS JOIN history_entries AS e ON e.key = f.rowid"
        key = "f.rowid"
    else:
        source = "history_entries AS e"
        key = "e.key"
    clauses, params = _where(q, match, key, after)
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    return f"SELECT {key} FROM {source}{where} ORDER BY {key} DESC", params


def page_keys(conn: Connection, q: HistoryQuery, *, after: int | None, limit: int) -> list[int]:
    """The keys of up to `limit` rows matching `q` below `after`, newest first."""
    sql, params = keys_sql(q, match_of(conn, q), after)
    rows = conn.exec_driver_sql(f"{sql} LIMIT ?", (*params, limit)).all()
    return [int(r[0]) for r in rows]


def count(conn: Connection, q: HistoryQuery, *, cap: int) -> tuple[int, bool]:
    """(rows matching `q` up to `cap`, whether there are more)."""
    sql, params = keys_sql(q, match_of(conn, q), None)
    sql = sql.rsplit(" ORDER BY ", 1)[0]  # order does not change a count
    found = int(
        conn.exec_driver_sql(
            f"SELECT count(*) FROM ({sql} LIMIT ?)", (*params, cap + 1)
        ).scalar_one()
    )
    return min(found, cap), found > cap


def explain(conn: Connection, q: HistoryQuery) -> list[str]:
    """EXPLAIN QUERY PLAN of the page query (for tests and the bench)."""
    sql, params = keys_sql(q, match_of(conn, q), None)
    rows = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql} LIMIT 100", tuple(params)).all()
    return [str(r[-1]) for r in rows]


_RECORDS = (
    "SELECT e.key, e.message_id, e.group_message_id, e.channel, e.number_id, "
    "m.conversation_id, coalesce(m.direction, 'out'), coalesce(m.status, 'sent'), "
    "coalesce(m.body, g.body, ''), coalesce(m.created_at, g.sent_at), "
    "coalesce(m.author_user_id, g.sender_user_id), u.name, m.author_contact_id, ct.name, "
    "g.group_id, g.group_name, g.title, g.recipient_count, "
    "c.kind, c.title, c.phone, c.participants_json, n.label, coalesce(m.note, 0) "
    "FROM history_entries AS e "
    "LEFT JOIN messages AS m ON m.id = e.message_id "
    "LEFT JOIN conversations AS c ON c.id = m.conversation_id "
    "LEFT JOIN business_numbers AS n ON n.id = c.number_id "
    "LEFT JOIN group_messages AS g ON g.id = e.group_message_id "
    "LEFT JOIN users AS u ON u.id = coalesce(m.author_user_id, g.sender_user_id) "
    "LEFT JOIN contacts AS ct ON ct.id = m.author_contact_id "
    "WHERE e.key IN ({marks})"
)


def records_sql(count: int) -> str:
    """The statement reading `count` keys' rows (the keys are its parameters)."""
    return _RECORDS.format(marks=", ".join("?" * count))


def records(conn: Connection, keys: Sequence[int]) -> list[HistoryRecord]:
    """The rows of `keys`, in the order given; keys whose message is gone are left out."""
    if not keys:
        return []
    found: dict[int, HistoryRecord] = {}
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        sql = records_sql(len(chunk))
        for row in conn.exec_driver_sql(sql, tuple(chunk)):
            if row[9] is None:  # the message or group message went since it was indexed
                continue
            found[int(row[0])] = HistoryRecord(
                key=int(row[0]),
                message_id=row[1],
                group_message_id=row[2],
                channel=row[3],
                number_id=row[4],
                conversation_id=row[5],
                direction=row[6],
                status=row[7],
                body=row[8],
                created_at=_time(row[9]),
                author_user_id=row[10],
                author_user_name=row[11],
                author_contact_id=row[12],
                author_contact_name=row[13],
                group_id=row[14],
                group_name=row[15] or "",
                title=row[16] or "",
                recipient_count=row[17],
                conversation_kind=row[18],
                conversation_title=row[19] or "",
                conversation_phone=row[20],
                participants_json=row[21],
                number_label=row[22] or "",
                note=bool(row[23]),
            )
    return [found[k] for k in keys if k in found]


def keys_of(
    conn: Connection, *, message_ids: Iterable[int] = (), group_message_ids: Iterable[str] = ()
) -> list[int]:
    """History keys of these messages and group messages (those indexed)."""
    out: list[int] = []
    for column, values in (
        ("message_id", list(message_ids)),
        ("group_message_id", list(group_message_ids)),
    ):
        for start in range(0, len(values), 500):
            chunk = values[start : start + 500]
            out += [
                int(r[0])
                for r in conn.exec_driver_sql(
                    f"SELECT key FROM history_entries WHERE {column} IN "
                    f"({', '.join('?' * len(chunk))})",
                    tuple(chunk),
                )
            ]
    return out


def _time(raw: Any) -> datetime:
    """A stored UtcDateTime read as plain text (naive UTC) -> aware UTC."""
    value = raw if isinstance(raw, datetime) else datetime.fromisoformat(str(raw))
    return value.replace(tzinfo=UTC)


# -- filter choices ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Choices:
    numbers: list[tuple[str, str, str]]  # (id, label, e164)
    groups: list[tuple[str, str]]  # (id, name)
    users: list[tuple[str, str]]  # (id, name) colleagues who wrote something listed
    contacts: list[tuple[str, str]]  # (id, name) people who wrote something listed


def choices(conn: Connection) -> Choices:
    """What the filter combos offer: numbers and groups in the cache; authors that appear in
    the history (a distinct walk of the author indexes)."""
    sql = conn.exec_driver_sql
    numbers = [
        (str(r[0]), str(r[1] or ""), str(r[2]))
        for r in sql("SELECT id, label, e164 FROM business_numbers ORDER BY label, e164")
    ]
    groups = [
        (str(r[0]), str(r[1]))
        for r in sql("SELECT id, name FROM groups ORDER BY name_key, id")
    ]
    users = [
        (str(r[0]), str(r[1] or ""))
        for r in sql(
            "SELECT a.id, u.name FROM (SELECT DISTINCT author_user_id AS id FROM history_entries "
            "WHERE author_user_id IS NOT NULL) AS a LEFT JOIN users AS u ON u.id = a.id"
        )
    ]
    contacts = [
        (str(r[0]), str(r[1] or ""))
        for r in sql(
            "SELECT a.id, c.name FROM (SELECT DISTINCT author_contact_id AS id "
            "FROM history_entries WHERE author_contact_id IS NOT NULL) AS a "
            "LEFT JOIN contacts AS c ON c.id = a.id"
        )
    ]
    return Choices(numbers=numbers, groups=groups, users=users, contacts=contacts)


# A conversation's matches (its find bar): the index's matches joined to their messages and
# kept when in that conversation, newest first. The join costs per match over the whole cache
# (a two-letter prefix can hit most of a million rows: about a second; a word, tens of ms), which
# beats walking the conversation's own rows into the index (seconds for 100,000). The body comes
# along: the index also matches names and numbers (detail=none: no column filter), so whether the
# match is in the text is the caller's to check (services/conversations.py).
CONVERSATION_MATCHES_SQL = (
    "SELECT m.id, m.body FROM history_fts AS f CROSS JOIN history_entries AS e ON e.key = f.rowid "
    "JOIN messages AS m ON m.id = e.message_id "
    "WHERE history_fts MATCH ? AND m.conversation_id = ? ORDER BY f.rowid DESC"
)


class SearchCancelled(Exception):
    """The caller's `cancelled()` turned true while the statement ran: it was stopped."""


CANCEL_CHECK_OPS = 2000  # SQLite VM steps between looks at `cancelled` (well under a ms)


def conversation_matches(
    conn: Connection,
    conversation_id: str,
    text: str,
    *,
    cancelled: Callable[[], bool] | None = None,
) -> list[tuple[int, str]]:
    """(message id, body) of `conversation_id`'s messages the index matches for `text` (History's
    query rules: fts_expression), newest first; [] when `text` has no searchable word.

    `cancelled` (any thread may turn it true) stops the statement within a fraction of a
    millisecond, raising SearchCancelled: a find bar drops a two-letter prefix's second-long
    answer as soon as the next letter is typed."""
    match = fts_expression(text, term_lookup(conn)) if (text or "").strip() else None
    if match is None:
        return []
    if cancelled is not None and cancelled():
        raise SearchCancelled(text)
    raw = conn.connection.dbapi_connection if cancelled is not None else None
    if raw is not None and cancelled is not None:
        raw.set_progress_handler(lambda: 1 if cancelled() else 0, CANCEL_CHECK_OPS)
    try:
        rows = conn.exec_driver_sql(CONVERSATION_MATCHES_SQL, (match, conversation_id)).all()
    except Exception:
        if cancelled is not None and cancelled():
            raise SearchCancelled(text) from None
        raise
    finally:
        if raw is not None:
            raw.set_progress_handler(None, 0)
    return [(int(r[0]), str(r[1] or "")) for r in rows]
