"""On PostgreSQL, the references of `messages` and `group_message_recipients` are checked once
per statement instead of once per row.

A foreign key checks each inserted row on its own: a lookup of the referenced row, locked
FOR KEY SHARE. A 10,000-member group message writes 10,000 messages (three references each:
thread, author, contact author) and 10,000 recipients (their group message): 40,000 lookups,
0.3-0.4 s of a send's ~1.0 s on PostgreSQL (tests/bench/bench_group_message.py; EXPLAIN
ANALYZE showed 0.27 s for the author's checks alone, the same user each time).

Here each of those foreign keys becomes a statement trigger over the statement's new rows
(a transition table): one set lookup per reference, locking the referenced rows FOR KEY SHARE
as a foreign key does, so a concurrent delete of a referenced row still waits and then fails.
The rest of what the foreign keys did is kept by triggers too:
- a delete of a referenced row (a thread, a user, a contact) that rows still name fails, as
  NO ACTION did (nothing deletes them: threads and users stay, contacts are soft-deleted);
- deleting a group message deletes its recipients, as ON DELETE CASCADE did;
- a referenced row's id cannot change while rows name it, and an update of a referencing
  column is checked (row triggers, only when such a column changes: status and read updates
  pay nothing).
Errors are SQLSTATE 23503 (foreign_key_violation), as before: the same IntegrityError.

TRUNCATE of a referenced table is no longer refused; nothing truncates them.

SQLite keeps its foreign keys (the models declare them; tests/backend/test_schema.py): its
checks are index probes in-process, and the send meets its target there.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06
"""

from __future__ import annotations

from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

# (referencing table, column, referenced table, ON DELETE), as the foreign keys were.
REFERENCES = [
    ("messages", "conversation_id", "conversations", "NO ACTION"),
    ("messages", "author_user_id", "users", "NO ACTION"),
    ("messages", "author_contact_id", "contacts", "NO ACTION"),
    ("group_message_recipients", "group_message_id", "group_messages", "CASCADE"),
]
CHILDREN = sorted({child for child, _, _, _ in REFERENCES})
PARENTS = sorted({parent for _, _, parent, _ in REFERENCES})

FUNCTIONS = """
-- After an INSERT: every non-null value of each (column, table) pair in TG_ARGV names a row
-- of that table, locked FOR KEY SHARE like a foreign key's check locks it.
CREATE FUNCTION console_check_new_references() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    i integer := 0;
    wanted bigint;
    found bigint;
BEGIN
    WHILE i < TG_NARGS LOOP
        EXECUTE format('SELECT count(DISTINCT %I) FROM new_rows', TG_ARGV[i]) INTO wanted;
        EXECUTE format(
            'SELECT count(*) FROM (SELECT 1 FROM %I p WHERE p.id IN '
            '(SELECT n.%I FROM new_rows n) FOR KEY SHARE OF p) locked',
            TG_ARGV[i + 1], TG_ARGV[i]) INTO found;
        IF found <> wanted THEN
            RAISE foreign_key_violation USING
                MESSAGE = format('insert on table "%s" names a missing row of "%s" in %s',
                                 TG_TABLE_NAME, TG_ARGV[i + 1], TG_ARGV[i]),
                TABLE = TG_TABLE_NAME, COLUMN = TG_ARGV[i];
        END IF;
        i := i + 2;
    END LOOP;
    RETURN NULL;
END $$;

-- After an UPDATE that changed a referencing column: the row's new values name rows.
CREATE FUNCTION console_check_changed_references() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    i integer := 0;
    value text;
BEGIN
    WHILE i < TG_NARGS LOOP
        value := to_jsonb(NEW) ->> TG_ARGV[i];
        IF value IS NOT NULL AND value IS DISTINCT FROM (to_jsonb(OLD) ->> TG_ARGV[i]) THEN
            EXECUTE format('SELECT 1 FROM %I WHERE id = $1 FOR KEY SHARE', TG_ARGV[i + 1])
                USING value;
            IF NOT FOUND THEN
                RAISE foreign_key_violation USING
                    MESSAGE = format('update on table "%s" names a missing row of "%s" in %s',
                                     TG_TABLE_NAME, TG_ARGV[i + 1], TG_ARGV[i]),
                    TABLE = TG_TABLE_NAME, COLUMN = TG_ARGV[i];
            END IF;
        END IF;
        i := i + 2;
    END LOOP;
    RETURN NULL;
END $$;

-- After a DELETE of referenced rows: for each (table, column, on delete) in TG_ARGV, rows
-- still naming a deleted row are deleted too (CASCADE) or the delete fails (NO ACTION).
CREATE FUNCTION console_check_deleted_references() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    i integer := 0;
    named boolean;
BEGIN
    WHILE i < TG_NARGS LOOP
        IF TG_ARGV[i + 2] = 'CASCADE' THEN
            EXECUTE format('DELETE FROM %I WHERE %I IN (SELECT id FROM old_rows)',
                           TG_ARGV[i], TG_ARGV[i + 1]);
        ELSE
            EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I WHERE %I IN (SELECT id FROM old_rows))',
                           TG_ARGV[i], TG_ARGV[i + 1]) INTO named;
            IF named THEN
                RAISE foreign_key_violation USING
                    MESSAGE = format('delete on table "%s" leaves rows of "%s" naming it in %s',
                                     TG_TABLE_NAME, TG_ARGV[i], TG_ARGV[i + 1]),
                    TABLE = TG_ARGV[i], COLUMN = TG_ARGV[i + 1];
            END IF;
        END IF;
        i := i + 3;
    END LOOP;
    RETURN NULL;
END $$;

-- After a change of a referenced row's id: no row may still name the old id.
CREATE FUNCTION console_check_renamed_references() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    i integer := 0;
    named boolean;
BEGIN
    WHILE i < TG_NARGS LOOP
        EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I WHERE %I = $1)', TG_ARGV[i], TG_ARGV[i + 1])
            USING OLD.id INTO named;
        IF named THEN
            RAISE foreign_key_violation USING
                MESSAGE = format('update of "%s".id leaves rows of "%s" naming it in %s',
                                 TG_TABLE_NAME, TG_ARGV[i], TG_ARGV[i + 1]),
                TABLE = TG_ARGV[i], COLUMN = TG_ARGV[i + 1];
        END IF;
        i := i + 2;
    END LOOP;
    RETURN NULL;
END $$;
"""


def _args(values: list[str]) -> str:
    return ", ".join(f"'{value}'" for value in values)


def _child_triggers(child: str) -> list[str]:
    pairs = [(column, parent) for table, column, parent, _ in REFERENCES if table == child]
    columns = [column for column, _ in pairs]
    args = _args([part for pair in pairs for part in pair])
    changed = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in columns)
    return [
        f"CREATE TRIGGER {child}_references_inserted AFTER INSERT ON {child} "
        f"REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT "
        f"EXECUTE FUNCTION console_check_new_references({args})",
        f"CREATE TRIGGER {child}_references_changed AFTER UPDATE OF {', '.join(columns)} "
        f"ON {child} FOR EACH ROW WHEN ({changed}) "
        f"EXECUTE FUNCTION console_check_changed_references({args})",
    ]


def _parent_triggers(parent: str) -> list[str]:
    named_by = [(table, column, rule) for table, column, p, rule in REFERENCES if p == parent]
    deleted = _args([part for triple in named_by for part in triple])
    renamed = _args([part for table, column, _ in named_by for part in (table, column)])
    return [
        f"CREATE TRIGGER {parent}_references_deleted AFTER DELETE ON {parent} "
        f"REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT "
        f"EXECUTE FUNCTION console_check_deleted_references({deleted})",
        f"CREATE TRIGGER {parent}_references_renamed AFTER UPDATE OF id ON {parent} "
        f"FOR EACH ROW WHEN (OLD.id IS DISTINCT FROM NEW.id) "
        f"EXECUTE FUNCTION console_check_renamed_references({renamed})",
    ]


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, column, _, _ in REFERENCES:
        op.drop_constraint(f"{table}_{column}_fkey", table, type_="foreignkey")
    op.execute(FUNCTIONS)
    for child in CHILDREN:
        for statement in _child_triggers(child):
            op.execute(statement)
    for parent in PARENTS:
        for statement in _parent_triggers(parent):
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for child in CHILDREN:
        for suffix in ("inserted", "changed"):
            op.execute(f"DROP TRIGGER {child}_references_{suffix} ON {child}")
    for parent in PARENTS:
        for suffix in ("deleted", "renamed"):
            op.execute(f"DROP TRIGGER {parent}_references_{suffix} ON {parent}")
    for name in ("new", "changed", "deleted", "renamed"):
        op.execute(f"DROP FUNCTION console_check_{name}_references()")
    for table, column, parent, rule in REFERENCES:
        op.create_foreign_key(
            f"{table}_{column}_fkey", table, parent, [column], ["id"],
            ondelete=None if rule == "NO ACTION" else rule,
        )
