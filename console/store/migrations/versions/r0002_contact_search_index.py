"""Contact search without scanning: a name index, a trigram full-text index, and its queue.

Measured over 50,000 contacts on a 2-core machine (tests/bench/bench_contact_search.py):
LIKE '%x%' over names and an EXISTS over phones took 45-440 ms per keystroke, and every page of
the list sorted the whole table again (28 ms; 225 ms at offset 40,000). Now:

- `ix_contacts_name_nocase` gives the list its order (case-insensitive name, then id) from an
  index: a page is a short index walk.
- `contact_fts` (FTS5, trigram tokenizer: any substring of 3+ characters) holds each live
  contact's name, email and the digits of its numbers; a fragment is found in 0.3-6 ms.
- `contact_search_dirty` lists contacts changed since their `contact_fts` row was written.
  Triggers only add to it: feeding FTS5 from row triggers made writing 50,000 contacts 17x
  slower (0.8 s -> 13.8 s); the marks add 0.3-0.7 s to 2-2.3 s, and contact_search.
  refresh_index() then rewrites the marked rows in bulk (0.9-1.1 s for all 50,000), after each
  write (ContactService.follow_changes). The search treats contacts still marked by scanning
  just them, so results are right even before the refresh.

These tables are not in the SQLAlchemy models (FTS5 has no model); the schema comparison skips
them (console.store.contact_search.INDEX_TABLES).

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-06
"""

from __future__ import annotations

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None

# Not INSERT OR IGNORE: the conflict clause of the statement that fires a trigger overrides the
# trigger's own, so inside the cache's upserts (ON CONFLICT DO UPDATE) a repeat mark failed.
_MARK_CONTACT = (
    "INSERT INTO contact_search_dirty (contact_rowid) SELECT {row} WHERE NOT EXISTS "
    "(SELECT 1 FROM contact_search_dirty WHERE contact_rowid = {row});"
)
_MARK_OWNER = (
    "INSERT INTO contact_search_dirty (contact_rowid) SELECT c.rowid FROM contacts AS c "
    "WHERE c.id = {owner} AND NOT EXISTS "
    "(SELECT 1 FROM contact_search_dirty AS d WHERE d.contact_rowid = c.rowid);"
)
TRIGGERS = {
    "contacts_search_ai": ("AFTER INSERT ON contacts", _MARK_CONTACT.format(row="new.rowid")),
    "contacts_search_au": (
        "AFTER UPDATE OF name, email, deleted ON contacts",
        _MARK_CONTACT.format(row="new.rowid"),
    ),
    "contacts_search_ad": ("AFTER DELETE ON contacts", _MARK_CONTACT.format(row="old.rowid")),
    "contact_phones_search_ai": (
        "AFTER INSERT ON contact_phones",
        _MARK_OWNER.format(owner="new.contact_id"),
    ),
    "contact_phones_search_au": (
        "AFTER UPDATE ON contact_phones",
        _MARK_OWNER.format(owner="new.contact_id") + _MARK_OWNER.format(owner="old.contact_id"),
    ),
    "contact_phones_search_ad": (
        "AFTER DELETE ON contact_phones",
        _MARK_OWNER.format(owner="old.contact_id"),
    ),
}


def upgrade() -> None:
    op.execute(
        "CREATE INDEX IF NOT EXISTS ix_contacts_name_nocase ON contacts (name COLLATE NOCASE, id)"
    )
    op.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS contact_fts "
        "USING fts5(name, email, digits, tokenize = 'trigram')"
    )
    op.execute(
        "CREATE TABLE IF NOT EXISTS contact_search_dirty (contact_rowid INTEGER PRIMARY KEY)"
    )
    for name, (when, body) in TRIGGERS.items():
        op.execute(f"CREATE TRIGGER IF NOT EXISTS {name} {when} BEGIN {body} END")
    # Contacts already cached are indexed by the first refresh.
    op.execute(
        "INSERT OR IGNORE INTO contact_search_dirty (contact_rowid) SELECT rowid FROM contacts"
    )


def downgrade() -> None:
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP TABLE IF EXISTS contact_search_dirty")
    op.execute("DROP TABLE IF EXISTS contact_fts")
    op.execute("DROP INDEX IF EXISTS ix_contacts_name_nocase")
