"""History search: `history_entries` (one row per History row, keyed by time) and `history_fts`
(FTS5 over bodies, names and numbers), filled here for what the cache already holds.

See console/store/search_index.py for the layout and why (keys ordered by time, so the newest
matches come first without sorting; group messages once, their in-app copies left out). The
sync apply keeps both current in bulk after each feed batch, with no per-row triggers.

The fill is one INSERT ... SELECT per table over the whole cache, in this migration's
transaction (search_index.rebuild; tests/bench/seed_cache.py times it: about 50 s for
1,000,000 messages on the shared 2-core machine, so about 5 s for 100,000, and milliseconds
for a usual cache).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06
"""

from __future__ import annotations

from alembic import op

from console.store import search_index

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    conn = op.get_bind()
    search_index.create(conn)
    search_index.rebuild(conn)


def downgrade() -> None:
    for statement in search_index.DROP:
        op.execute(statement)
