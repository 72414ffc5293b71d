"""The history search index (migration r0007): written in bulk, never by per-row triggers.

Two tables, both outside the SQLAlchemy models (FTS5 has no model; and a resync must not copy
them from the new generation, whose message ids are not this cache's: generations.py rebuilds
them after the swap instead):

- `history_entries`: one row per History row. `key` (the INTEGER PRIMARY KEY) orders it:
  the row's time in milliseconds << 21, then 20 bits of the message's local id (or the group
  message's rowid) and one bit telling group messages apart. So "newest first" is a walk of
  the primary key backwards, a date range is a key range, and the full-text table below hands
  back its matches in that same order (FTS5 streams `ORDER BY rowid DESC`): the first page of
  a two-letter search over a million messages stops after its first hundred matches instead
  of sorting all of them. Two rows share a key only in the same millisecond with ids a
  multiple of 2^20 apart; the later one then replaces the earlier (it drops out of History;
  nothing fails). The columns a filter needs and that never change for a message are copied
  here, with an index for the selective ones (channel, business number, the person who wrote
  it, group); a colleague's share is large enough to scan for; status is read from `messages`
  (it changes with every delivery report and local retry).
- `history_fts`: FTS5 over body, names (conversation title, participants' names, the author's
  name; for a group message its title, group name and sender) and numbers (the contact and
  participant numbers as digit words: last 10, 7 and 4 digits, so any typed layout of a number
  finds it as a word prefix; the business number is a filter, not words: it is on a sixth of
  all rows). rowid = history_entries.key. It keeps its own copy of the text: SQLite 3.40 has
  no contentless delete, and an external-content index cannot be kept exact when names change
  under it. `history_vocab` (fts5vocab) lists its words.

Group messages are listed once (their `group_messages` row); their per-recipient copies in
in-app threads (same sender, body and time: see the backend's group_message_fanout) are left
out, whichever of the two the feed delivers first.

Who calls in: apply.py after each feed batch (`refresh`: a few statements per batch; a message
already indexed as it is, e.g. a delivery report, is skipped), local_writes.py for a send and
a discard, forget.py before a conversation's messages go, maintenance.clear_cached_data
(`clear`) and generations.swap_in (`rebuild`: the whole index again, inside the swap).

Costs (tests/bench, 1,000,000 messages, shared 2-core machine): rebuild 50-55 s (FTS5's own
tokenizing and merging is 45 s of it); a feed batch of 2,000 new messages +27 ms; a send +1 ms;
a batch of 2,000 delivery reports +30 ms; a rename of a 100,000-message thread re-indexes it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import Connection

from console.store.changes import Changes

# The tables and indexes of migration r0007 (no SQLAlchemy model: the schema check skips them).
HISTORY_TABLES = frozenset({"history_entries", "history_fts", "history_vocab"})
HISTORY_FTS_PREFIX = "history_fts_"  # FTS5's shadow tables
KEY_SHIFT = 21  # bits below the millisecond in a key
_LOW_MASK = (1 << 20) - 1

# Milliseconds since 1970 of a stored UtcDateTime text ("YYYY-MM-DD HH:MM:SS.ffffff"),
# in integer arithmetic (julianday's float would round differently from Python).
_MS = "(CAST(strftime('%s', {t}) AS INTEGER) * 1000 + CAST(substr({t}, 21, 3) AS INTEGER))"
MESSAGE_KEY = f"(({_MS.format(t='m.created_at')} << {KEY_SHIFT}) | ((m.id & {_LOW_MASK}) << 1))"
GROUP_KEY = (
    f"(({_MS.format(t='g.sent_at')} << {KEY_SHIFT}) | ((g.rowid & {_LOW_MASK}) << 1) | 1)"
)


def number_words(expr: str) -> str:
    """SQL: the digit words of the E.164 number `expr` ('' for NULL): its last 10, 7 and 4
    digits (the national number, the local one, the line). A typed "+1 415..." loses its
    country code before it is looked up (history_queries.fts_expression)."""
    d = f"replace({expr}, '+', '')"
    return f"coalesce(substr({d}, -10) || ' ' || substr({d}, -7) || ' ' || substr({d}, -4), '')"


# A message that is a recipient's copy of a group message (the group message stands for it).
_IS_GROUP_COPY = (
    "(c.kind = 'in_app' AND m.direction = 'out' AND m.author_user_id IS NOT NULL AND EXISTS "
    "(SELECT 1 FROM group_messages AS g WHERE g.sent_at = m.created_at "
    "AND g.sender_user_id = m.author_user_id AND g.body = m.body))"
)

_TABLES = (
    "CREATE TABLE IF NOT EXISTS history_entries ("
    "key INTEGER PRIMARY KEY, "
    "message_id INTEGER, "
    "group_message_id VARCHAR(64), "
    "channel VARCHAR(16) NOT NULL, "
    "number_id VARCHAR(64), "
    "direction VARCHAR(4) NOT NULL, "
    "author_user_id VARCHAR(64), "
    "author_contact_id VARCHAR(64), "
    # The group message a row is, or replies to (the group filter).
    "group_message_ref VARCHAR(64))",
    # unicode61 with diacritics removed: "Jose" finds "José". Prefix indexes for 2 and 3
    # letters: a short prefix reads one doclist instead of merging hundreds (one-letter words
    # are not searched: history_queries.MIN_WORD). detail=none: no positions or columns are
    # stored (no phrase or column queries, which the search never makes): a smaller index,
    # written faster.
    "CREATE VIRTUAL TABLE IF NOT EXISTS history_fts USING fts5("
    "body, names, numbers, "
    "tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3', detail = none)",
    # Its words, for turning a long prefix into the few words it stands for (no storage).
    "CREATE VIRTUAL TABLE IF NOT EXISTS history_vocab USING fts5vocab(history_fts, row)",
)
# Indexes, not UNIQUE columns: rebuild() drops them while it fills (one sort each at the end
# instead of a million random inserts). Partial where most rows have none: smaller.
_INDEXES = {
    "ix_history_entries_message_id": "UNIQUE INDEX {name} ON history_entries (message_id) "
    "WHERE message_id IS NOT NULL",
    "ix_history_entries_group_message_id": "UNIQUE INDEX {name} ON history_entries "
    "(group_message_id) WHERE group_message_id IS NOT NULL",
    "ix_history_entries_channel_key": "INDEX {name} ON history_entries (channel, key)",
    "ix_history_entries_number_key": "INDEX {name} ON history_entries (number_id, key)",
    "ix_history_entries_contact_key": "INDEX {name} ON history_entries (author_contact_id, key) "
    "WHERE author_contact_id IS NOT NULL",
    "ix_history_entries_group_ref": "INDEX {name} ON history_entries (group_message_ref) "
    "WHERE group_message_ref IS NOT NULL",
}
DDL = _TABLES + tuple(
    "CREATE " + body.format(name=name).replace("INDEX ", "INDEX IF NOT EXISTS ", 1)
    for name, body in _INDEXES.items()
)
DROP = (
    "DROP TABLE IF EXISTS history_vocab",
    "DROP TABLE IF EXISTS history_fts",
    "DROP TABLE IF EXISTS history_entries",
)


def key_floor(moment: datetime) -> int:
    """The smallest key of a row at `moment` (aware) or later: date filters as key ranges."""
    return epoch_ms(moment) << KEY_SHIFT


def epoch_ms(moment: datetime) -> int:
    """Milliseconds since 1970 of an aware time, truncated as _MS truncates stored text."""
    delta = moment.astimezone(UTC) - datetime(1970, 1, 1, tzinfo=UTC)
    return (delta.days * 86_400 + delta.seconds) * 1000 + delta.microseconds // 1000


def create(conn: Connection) -> None:
    for statement in DDL:
        conn.exec_driver_sql(statement)


# -- writing ----------------------------------------------------------------------------------

_TEMP = (
    "CREATE TEMP TABLE IF NOT EXISTS hx_messages (id INTEGER PRIMARY KEY)",
    "CREATE TEMP TABLE IF NOT EXISTS hx_groups (id TEXT PRIMARY KEY)",
    "CREATE TEMP TABLE IF NOT EXISTS hx_dead (key INTEGER PRIMARY KEY)",
    "CREATE TEMP TABLE IF NOT EXISTS hx_conv (id TEXT PRIMARY KEY, names TEXT, numbers TEXT)",
)
_CLEAR_TEMP = (
    "DELETE FROM temp.hx_messages",
    "DELETE FROM temp.hx_groups",
    "DELETE FROM temp.hx_dead",
    "DELETE FROM temp.hx_conv",
)
_CHUNK = 500
T = TypeVar("T")


def _conversation_text(where: str) -> str:
    """Fill temp.hx_conv: each conversation's names and number words, computed once (not per
    message)."""
    participants = "json_each(c.participants_json) AS p"
    participant_numbers = number_words("json_extract(p.value, '$.phone')")
    return (
        "INSERT OR REPLACE INTO temp.hx_conv (id, names, numbers) "
        "SELECT c.id, c.title || ' ' || coalesce((SELECT group_concat("
        f"json_extract(p.value, '$.name'), ' ') FROM {participants}), ''), "
        f"{number_words('c.phone')} || ' ' || "
        f"coalesce((SELECT group_concat({participant_numbers}, ' ') "
        f"FROM {participants}), '') "
        f"FROM conversations AS c WHERE {where}"
    )


def _insert_messages(where: str, *, whole: bool = False) -> tuple[str, str]:
    """The entries and the full-text rows of the messages `where` picks (alias m); `whole`:
    every message (the text then walks the entries, see below)."""
    entries = (
        "INSERT OR REPLACE INTO history_entries (key, message_id, channel, number_id, "
        "direction, author_user_id, author_contact_id, group_message_ref) "
        f"SELECT {MESSAGE_KEY}, m.id, c.kind, c.number_id, m.direction, m.author_user_id, "
        "m.author_contact_id, m.reply_to_group_message_id "
        "FROM messages AS m JOIN conversations AS c ON c.id = m.conversation_id "
        f"WHERE ({where}) AND NOT {_IS_GROUP_COPY}"
    )
    text = (
        "INSERT INTO history_fts (rowid, body, names, numbers) "
        "SELECT e.key, m.body, coalesce(t.names, '') || ' ' || coalesce(u.name, '') || "
        # A 1:1 thread's title is its person's name already: not twice (index size).
        "CASE WHEN ct.name IS NULL OR instr(t.names, ct.name) > 0 THEN '' "
        "ELSE ' ' || ct.name END, coalesce(t.numbers, '') "
        # Entries first, in key order: FTS5 writes out what it holds whenever a rowid is not
        # above the one before, and rows in id order did so at each late message (52 s instead
        # of 17 s for a million).
        + (
            "FROM history_entries AS e CROSS JOIN messages AS m ON m.id = e.message_id "
            if whole
            else "FROM messages AS m JOIN history_entries AS e ON e.message_id = m.id "
        )
        + "LEFT JOIN temp.hx_conv AS t ON t.id = m.conversation_id "
        "LEFT JOIN users AS u ON u.id = m.author_user_id "
        "LEFT JOIN contacts AS ct ON ct.id = m.author_contact_id "
        f"WHERE e.message_id IS NOT NULL AND {where} ORDER BY e.key"
    )
    return entries, text


def _insert_groups(where: str) -> tuple[str, str]:
    entries = (
        "INSERT OR REPLACE INTO history_entries (key, group_message_id, channel, number_id, "
        "direction, author_user_id, author_contact_id, group_message_ref) "
        f"SELECT {GROUP_KEY}, g.id, 'group_message', NULL, 'out', g.sender_user_id, NULL, g.id "
        f"FROM group_messages AS g WHERE {where}"
    )
    text = (
        "INSERT INTO history_fts (rowid, body, names, numbers) "
        "SELECT e.key, g.body, g.title || ' ' || g.group_name || ' ' || coalesce(u.name, ''), '' "
        "FROM group_messages AS g JOIN history_entries AS e ON e.group_message_id = g.id "
        "LEFT JOIN users AS u ON u.id = g.sender_user_id "
        f"WHERE {where} ORDER BY e.key"
    )
    return entries, text


def _copies_of() -> str:
    """SQL: the keys of indexed in-app copies of the group messages in temp.hx_groups."""
    return (
        "SELECT e.key FROM temp.hx_groups AS h CROSS JOIN group_messages AS g ON g.id = h.id "
        "CROSS JOIN history_entries AS e INDEXED BY ix_history_entries_channel_key "
        f"ON e.key BETWEEN ({_MS.format(t='g.sent_at')} << {KEY_SHIFT}) "
        f"AND (({_MS.format(t='g.sent_at')} + 1) << {KEY_SHIFT}) - 1 "
        "JOIN messages AS m ON m.id = e.message_id "
        "WHERE e.channel = 'in_app' AND e.direction = 'out' "
        "AND m.author_user_id = g.sender_user_id AND m.created_at = g.sent_at "
        "AND m.body = g.body"
    )


_UNCHANGED_MESSAGES = (
    # CROSS JOIN: the temp table first (the planner, knowing nothing of its size, walked
    # every entry instead: 2 s).
    "DELETE FROM temp.hx_messages WHERE id IN (SELECT m.id FROM temp.hx_messages AS h "
    "CROSS JOIN messages AS m ON m.id = h.id CROSS JOIN history_entries AS e "
    "ON e.message_id = m.id JOIN conversations AS c ON c.id = m.conversation_id "
    f"WHERE e.key = {MESSAGE_KEY} AND e.channel = c.kind AND e.number_id IS c.number_id "
    "AND e.direction = m.direction AND e.author_user_id IS m.author_user_id "
    "AND e.author_contact_id IS m.author_contact_id "
    "AND e.group_message_ref IS m.reply_to_group_message_id)"
)
# A group message never changes what is indexed of it (its body, title, group name as sent);
# only its statistics move.
_UNCHANGED_GROUP_MESSAGES = (
    "DELETE FROM temp.hx_groups WHERE id IN (SELECT g.id FROM temp.hx_groups AS h "
    "CROSS JOIN group_messages AS g ON g.id = h.id CROSS JOIN history_entries AS e "
    "ON e.group_message_id = g.id)"
)


def refresh(
    conn: Connection,
    *,
    message_ids: Iterable[int] = (),
    group_message_ids: Iterable[str] = (),
    conversation_ids: Iterable[str] = (),
) -> None:
    """Re-index these messages, group messages, and every message of these conversations
    (their names or numbers changed), in the caller's transaction: a few bulk statements,
    whatever the count. Ids that no longer exist leave the index.

    The statements go to the DB-API connection directly: a send indexes one message on the
    GUI thread, and some twenty statements through SQLAlchemy's execution layer cost 3 ms."""
    message_list = sorted(set(message_ids))
    group_list = sorted(set(group_message_ids))
    conversation_list = sorted(set(conversation_ids))
    if not (message_list or group_list or conversation_list):
        return
    raw = conn.connection.driver_connection
    assert raw is not None

    def sql(statement: str, params: Sequence[object] = ()) -> None:
        raw.execute(statement, params)

    for statement in _TEMP + _CLEAR_TEMP:
        sql(statement)
    messages_too = bool(message_list or conversation_list)
    for ids in _chunks(message_list):
        sql(f"INSERT OR IGNORE INTO temp.hx_messages (id) VALUES {_rows(len(ids))}", ids)
    for keys in _chunks(group_list):
        sql(f"INSERT OR IGNORE INTO temp.hx_groups (id) VALUES {_rows(len(keys))}", keys)
    # Most of a batch is delivery reports: a message already indexed as it is now (same time,
    # conversation kind, number, authors) keeps its rows; rewriting them cost ~0.2 ms each.
    if message_list:
        sql(_UNCHANGED_MESSAGES)
    if group_list:
        sql(_UNCHANGED_GROUP_MESSAGES)
    for chunk in _chunks(conversation_list):
        sql(
            "INSERT OR IGNORE INTO temp.hx_messages (id) SELECT id FROM messages "
            f"WHERE conversation_id IN ({', '.join('?' * len(chunk))})",
            chunk,
        )
    # Out first: the rows being rewritten, and in-app copies of group messages now known.
    if messages_too:
        sql(
            "INSERT OR IGNORE INTO temp.hx_dead (key) SELECT key FROM history_entries "
            "WHERE message_id IN (SELECT id FROM temp.hx_messages)"
        )
    if group_list:
        sql(
            "INSERT OR IGNORE INTO temp.hx_dead (key) SELECT key FROM history_entries "
            "WHERE group_message_id IN (SELECT id FROM temp.hx_groups)"
        )
        sql(f"INSERT OR IGNORE INTO temp.hx_dead (key) {_copies_of()}")
    sql("DELETE FROM history_fts WHERE rowid IN (SELECT key FROM temp.hx_dead)")
    sql("DELETE FROM history_entries WHERE key IN (SELECT key FROM temp.hx_dead)")
    # Then in again, from the rows as they are now.
    statements: list[str] = []
    if messages_too:
        sql(
            _conversation_text(
                "c.id IN (SELECT conversation_id FROM messages WHERE id IN "
                "(SELECT id FROM temp.hx_messages))"
            )
        )
        entries, text = _insert_messages("m.id IN (SELECT id FROM temp.hx_messages)")
        sql(entries)
        statements.append(text)
    if group_list:
        entries, text = _insert_groups("g.id IN (SELECT id FROM temp.hx_groups)")
        sql(entries)
        statements.append(text)
    # A new entry may have taken the key of an older one (same millisecond, ids 2^20 apart):
    # that one's text goes too, so the inserts below never meet a taken rowid.
    sql(
        "DELETE FROM history_fts WHERE rowid IN (SELECT key FROM history_entries WHERE "
        "message_id IN (SELECT id FROM temp.hx_messages) OR "
        "group_message_id IN (SELECT id FROM temp.hx_groups))"
    )
    for statement in statements:
        sql(statement)


# What of a conversation its messages' index rows are made of (names, numbers, channel).
_NAME_COLUMNS = "kind, title, participants_json, phone, number_id"


def message_ids(changes: Changes) -> list[int]:
    """The local message ids a write changed."""
    return [i for ids in changes.messages.values() for i in ids]


def conversation_state(
    conn: Connection, conversation_ids: Iterable[str]
) -> dict[str, tuple[Any, ...]]:
    """Snapshot of what the index copies from these conversations (before a batch writes)."""
    state: dict[str, tuple[Any, ...]] = {}
    for chunk in _chunks(sorted(set(conversation_ids))):
        rows = conn.exec_driver_sql(
            f"SELECT id, {_NAME_COLUMNS} FROM conversations "
            f"WHERE id IN ({', '.join('?' * len(chunk))})",
            tuple(chunk),
        )
        state.update((row[0], tuple(row[1:])) for row in rows)
    return state


def changed_conversations(conn: Connection, before: dict[str, tuple[Any, ...]]) -> set[str]:
    """Those of `before` whose names, numbers or kind differ now (their messages need new
    index rows). Conversations new in the batch have no indexed messages yet: not in
    `before`, not returned."""
    now = conversation_state(conn, before)
    return {cid for cid, old in before.items() if now.get(cid, old) != old}


def forget_conversation(conn: Connection, conversation_id: str) -> None:
    """Drop the index rows of `conversation_id`'s messages (call before deleting them)."""
    keys = (
        "SELECT e.key FROM messages AS m JOIN history_entries AS e ON e.message_id = m.id "
        "WHERE m.conversation_id = ?"
    )
    conn.exec_driver_sql(f"DELETE FROM history_fts WHERE rowid IN ({keys})", (conversation_id,))
    conn.exec_driver_sql(f"DELETE FROM history_entries WHERE key IN ({keys})", (conversation_id,))


def clear(conn: Connection) -> None:
    """Empty the index (the cache was emptied). The full-text table is dropped and made again:
    a DELETE would tokenize every stored row once more to take it out (3 s per 100,000)."""
    conn.exec_driver_sql("DROP TABLE IF EXISTS history_fts")
    conn.exec_driver_sql("DELETE FROM history_entries")
    create(conn)


_BULK_HASH_BYTES = 128 * 1024 * 1024
_HASH_BYTES = 1024 * 1024  # FTS5's default


def rebuild(conn: Connection) -> None:
    """Index the whole cache from scratch: one INSERT ... SELECT per table (a migration, a
    resync swap). Entries first in key order, so the B-tree fills by appending."""
    clear(conn)
    sql = conn.exec_driver_sql
    # Terms gather in memory up to this size before a segment is written: at the default 1 MB
    # a million messages make hundreds of segments to merge. 128 MB cut the fill's CPU from
    # 45 to 33 s (1,000,000 messages, tests/bench/seed_cache.py) for ~110 MB more peak memory
    # while it runs; later small writes flush at their commit and get the default back.
    sql(f"INSERT INTO history_fts (history_fts, rank) VALUES ('hashsize', {_BULK_HASH_BYTES})")
    for statement in _TEMP + _CLEAR_TEMP:
        sql(statement)
    for name in _INDEXES:
        sql(f"DROP INDEX IF EXISTS {name}")
    entries, text = _insert_messages("1", whole=True)
    sql(entries + " ORDER BY 1")
    groups_entries, groups_text = _insert_groups("1")
    sql(groups_entries + " ORDER BY 1")
    create(conn)  # the indexes again, each built by one sort
    sql(_conversation_text("1"))
    sql(text)
    sql(groups_text)
    sql(f"INSERT INTO history_fts (history_fts, rank) VALUES ('hashsize', {_HASH_BYTES})")
    for statement in _CLEAR_TEMP:
        sql(statement)


def _chunks(items: Sequence[T]) -> Iterable[Sequence[T]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


def _rows(count: int) -> str:
    return ", ".join(["(?)"] * count)
