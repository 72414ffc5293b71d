"""The cache opens without Alembic when its schema is already at the head revision."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sqlalchemy import text

from console.store import schema_head
from console.store.cache import Cache
from console.store.migrate import head_revision


def test_head_read_from_the_files_is_alembic_s_head() -> None:
    assert schema_head.head_from_files() is not None
    assert schema_head.head_from_files() == head_revision()


def test_a_new_or_older_cache_is_not_at_head(tmp_path: Path) -> None:
    cache = Cache.open(tmp_path / "cache.db")
    try:
        with cache.write() as conn:
            assert schema_head.at_head(conn)
            conn.execute(text("UPDATE alembic_version SET version_num = '0001'"))
            assert not schema_head.at_head(conn)
            conn.execute(text("DROP TABLE alembic_version"))
            assert not schema_head.at_head(conn)
    finally:
        cache.close()


def test_reopening_a_cache_at_head_does_not_import_alembic(tmp_path: Path) -> None:
    path = tmp_path / "cache.db"
    Cache.open(path).close()
    code = (
        "import sys; from pathlib import Path; from console.store.cache import Cache; "
        "Cache.open(Path(sys.argv[1])).close(); print('alembic' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code, str(path)], check=True,
                         capture_output=True, text=True, cwd=Path(__file__).parents[2]).stdout
    assert out.strip() == "False"
