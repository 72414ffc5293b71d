"""Is the cache's schema already at the newest revision? Answered without importing Alembic.

Importing Alembic costs 0.2-0.4 s here, a third of a cold start (tests/bench/bench_scale.py),
and on nearly every start there is nothing to migrate. The head is read from the migration
files' own `revision` / `down_revision` lines; anything unexpected answers "no", and then
Alembic decides (console/store/migrate.py), so a wrong answer can only cost time.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

# SQLAlchemy is imported where a stamp is read: head_from_files() also serves the window's first
# look at a cache, before SQLAlchemy loads (store/first_page.py).
if TYPE_CHECKING:
    from sqlalchemy import Connection

VERSIONS_DIR = Path(__file__).with_name("migrations") / "versions"
_REVISION = re.compile(r'^revision(?:\s*:\s*str)?\s*=\s*"([^"]+)"\s*$', re.MULTILINE)
_DOWN = re.compile(
    r'^down_revision(?:\s*:\s*[^=]+)?\s*=\s*(?:"([^"]+)"|None)\s*$', re.MULTILINE
)


@cache
def head_from_files(folder: Path = VERSIONS_DIR) -> str | None:
    """The one revision no other migration builds on; None when that is not plain to see."""
    revisions: set[str] = set()
    downs: set[str] = set()
    for path in folder.glob("*.py"):
        if path.name.startswith("__"):
            continue
        source = path.read_text(encoding="utf-8")
        found = _REVISION.findall(source)
        down = _DOWN.search(source)
        if len(found) != 1 or down is None:
            return None  # not a simple linear migration file: let Alembic read it
        revisions.add(found[0])
        if down.group(1):
            downs.add(down.group(1))
    heads = revisions - downs
    return heads.pop() if len(heads) == 1 and downs <= revisions else None


def stamped_revision(connection: Connection) -> str | None:
    """The revision the file says it is at (None: a new file, or no single stamp)."""
    from sqlalchemy import text
    from sqlalchemy.exc import OperationalError

    try:
        rows = connection.execute(text("SELECT version_num FROM alembic_version")).all()
    except OperationalError:
        return None
    return str(rows[0][0]) if len(rows) == 1 else None


def at_head(connection: Connection) -> bool:
    head = head_from_files()
    return head is not None and stamped_revision(connection) == head
