"""A cache file that cannot be used is moved aside, rebuilt from the server, its outbox salvaged
where it can be read, and the user is told (a Notice naming the old file)."""

from __future__ import annotations

import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from console.services.auth import LoginResult
from console.services.notices import CacheProblem, NoticeCode
from console.services.types import SyncState
from console.services.workspace import Workspace
from tests.support.backend_process import BackendProcess
from tests.sync.conftest import wait_for

OpenWs = Callable[..., Workspace]


@pytest.fixture
def sync_backend(module_backend: BackendProcess) -> BackendProcess:
    """Each test signs in with a cache of its own and sends a body of its own (uuid): they
    share one backend."""
    return module_backend


def prepare(session: LoginResult, open_ws: OpenWs) -> tuple[str, str]:
    """A synced cache, then a message written while signed out (it waits in the outbox)."""
    ws = open_ws(session)
    wait_for(lambda: ws.sync.status.state is SyncState.ONLINE, what="the first sync")
    target = ws.conversations.list_conversations()[-1].id
    ws.close()
    offline = open_ws(session, None)
    body = f"Written before the damage {uuid.uuid4().hex[:6]}"
    offline.conversations.send(target, body)
    offline.close()
    assert not Path(f"{session.cache_path}-wal").exists()  # all of it is in the main file
    return target, body


def truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def garbage(path: Path) -> None:
    size = path.stat().st_size
    path.write_bytes(random.Random(4).randbytes(size))


def newer_schema(path: Path) -> None:
    db = sqlite3.connect(path)
    db.execute("UPDATE alembic_version SET version_num = 'r9999_from_a_newer_console'")
    db.commit()
    db.close()


def mangled_schema(path: Path) -> None:
    db = sqlite3.connect(path)
    db.execute("ALTER TABLE conversations DROP COLUMN last_message_preview")
    db.commit()
    db.close()


def moved_files(cache_path: Path) -> list[Path]:
    found = cache_path.parent.glob(f"{cache_path.name}.corrupt-*")
    return sorted(p for p in found if not p.name.endswith(("-wal", "-shm", "-journal")))


def server_copies(http: httpx.Client, conversation_id: str, body: str) -> int:
    items = http.get(f"/v1/conversations/{conversation_id}/messages", params={"limit": 500})
    return len([m for m in items.json()["items"] if m["body"] == body])


@pytest.mark.parametrize(
    ("damage", "salvageable", "problem"),
    [
        (truncate, None, CacheProblem.TRUNCATED),
        (garbage, False, CacheProblem.NOT_SQLITE),
        (newer_schema, True, CacheProblem.FOREIGN_SCHEMA),
        (mangled_schema, True, CacheProblem.FOREIGN_SCHEMA),
    ],
    ids=["truncated", "garbage", "newer-schema", "mangled-schema"],
)
def test_unusable_cache_is_moved_aside_rebuilt_and_the_outbox_salvaged(
    session: LoginResult,
    open_ws: OpenWs,
    admin_http: httpx.Client,
    damage: Callable[[Path], None],
    salvageable: bool | None,
    problem: CacheProblem,
) -> None:
    target, body = prepare(session, open_ws)
    damage(session.cache_path)
    before = session.cache_path.read_bytes()

    ws = open_ws(session)
    (notice,) = ws.notices.history
    (old,) = moved_files(session.cache_path)
    assert notice.level == "warning"
    assert str(old) in notice.text
    assert "rebuilt from the server" in notice.text
    # What the ui words it from (console/ui/notice_texts.py; tests/ui/test_notice_texts.py).
    assert notice.code == NoticeCode.CACHE_REBUILT
    assert notice.value("moved_to") == str(old)
    assert notice.value("path") == str(session.cache_path)
    assert notice.value("problem") == problem.value
    assert old.read_bytes() == before  # kept as it was, for support to look at
    wait_for(lambda: ws.sync.status.state is SyncState.ONLINE, what="the rebuild's sync")
    assert ws.conversations.conversation(target) is not None

    recovered = [m for m in ws.conversations.messages(target) if m.body == body]
    if salvageable:
        assert "1 change(s) not sent yet were recovered" in notice.text
        assert (notice.value("salvaged"), notice.value("outbox_readable")) == (1, 1)
        assert len(recovered) == 1
    elif salvageable is False:
        assert "could not be read" in notice.text
        assert notice.value("outbox_readable") == 0
        assert recovered == []
    if recovered:
        key = recovered[0].key

        def delivered() -> bool:
            (row,) = ws.conversations.messages_by_key(target, [key])
            return row.status == "delivered"

        wait_for(delivered, what="the salvaged message to be delivered")
    assert server_copies(admin_http, target, body) == len(recovered)


_UNREADABLE_SCRIPT = """
import json, sys
from console.protocol.auth import User
from console.services.types import SyncState
from console.services.workspace import open_workspace
from tests.sync.conftest import wait_for
cache, server, token, user = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
ws = open_workspace(cache, server, token, User.model_validate_json(user), poll_interval=0.1)
ws.start()
try:
    wait_for(lambda: ws.sync.status.state is SyncState.ONLINE, what="sync")
    rows = len(ws.conversations.list_conversations())
finally:
    ws.close()
notices = ws.notices.history
print(json.dumps({
    "notices": [n.text for n in notices],
    "problems": [n.value("problem") for n in notices],
    "rows": rows,
}))
"""


def test_unreadable_cache_permission_denied_is_moved_aside_and_rebuilt(
    session: LoginResult, open_ws: OpenWs, tmp_path: Path
) -> None:
    prepare(session, open_ws)
    home = tmp_path / "profile"
    home.mkdir()
    cache = home / "cache.db"
    shutil.copy(session.cache_path, cache)
    cache.chmod(0)
    command = [sys.executable, "-c", _UNREADABLE_SCRIPT, str(cache), session.server_url]
    command += [session.token, session.user.model_dump_json()]
    if os.geteuid() == 0:
        # root reads anything: run without the capabilities that let it ignore file modes.
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.fail("setpriv (util-linux) is needed to test unreadable files as root")
        command = [setpriv, "--bounding-set", "-dac_override,-dac_read_search", *command]
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=60, cwd=Path(__file__).parents[2]
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    (text,) = result["notices"]
    (old,) = moved_files(cache)
    assert "permission denied" in text
    assert result["problems"] == [CacheProblem.PERMISSION_DENIED.value]
    assert str(old) in text
    assert "could not be read" in text  # its outbox could not be salvaged: said so
    assert result["rows"] > 0  # rebuilt from the server
    assert os.stat(old).st_mode & 0o777 == 0  # left as it was
