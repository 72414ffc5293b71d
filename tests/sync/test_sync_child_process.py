"""The sync engine in a child process (console/sync/child_engine.py), against a real backend.

The workspace tests that matter most run again here with the engine in a child: first sync,
send, sign-out and a new token. Then what only a child has: the token never in its argv or
environment, restart after a crash, exit on close and when the console process dies.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
import pytest

from console.services.auth import LoginResult
from console.services.types import SyncState
from console.sync.child_engine import ChildSyncEngine
from tests.sync.conftest import wait_for
from tests.sync.test_sync_workspace import (
    OpenWs,
    first_sync,
    server_messages,
    test_revoked_token_signs_out_and_a_new_login_resumes,
    test_send_shows_pending_at_once_then_delivered_in_place,
    test_start_syncs_conversations_and_reports_online,
)
from tests.sync.test_sync_workspace import sync_backend as sync_backend

__all__ = [
    "test_revoked_token_signs_out_and_a_new_login_resumes",
    "test_send_shows_pending_at_once_then_delivered_in_place",
    "test_start_syncs_conversations_and_reports_online",
]

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="reads /proc, sends signals")


@pytest.fixture
def sync_process() -> bool:
    return True


def child_of(ws: object) -> ChildSyncEngine:
    engine = ws._engine  # type: ignore[attr-defined]
    assert isinstance(engine, ChildSyncEngine)
    return engine


def gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    # A zombie (exited, not yet reaped by its parent) counts as gone.
    stat = Path(f"/proc/{pid}/stat")
    return not stat.exists() or stat.read_text().split(") ", 1)[1].startswith("Z")


def test_the_token_reaches_the_child_over_the_pipe_only(
    session: LoginResult, open_ws: OpenWs
) -> None:
    ws = open_ws(session)
    first_sync(ws)
    pid = child_of(ws).pid
    assert pid is not None
    assert pid != os.getpid()
    token = session.token.encode()
    assert token not in Path(f"/proc/{pid}/cmdline").read_bytes()
    assert token not in Path(f"/proc/{pid}/environ").read_bytes()


def test_a_crashed_child_is_restarted_and_syncs_on(
    session: LoginResult, open_ws: OpenWs, admin_http: httpx.Client
) -> None:
    ws = open_ws(session)
    target = first_sync(ws)[0]
    engine = child_of(ws)
    first = engine.pid
    assert first is not None
    os.kill(first, signal.SIGKILL)
    wait_for(lambda: engine.restarts >= 1 and engine.running, what="a new sync process")
    assert engine.pid != first
    wait_for(lambda: ws.sync.status.state is SyncState.ONLINE, what="online again")

    body = f"After the restart {uuid.uuid4().hex[:6]}"
    row = ws.conversations.send(target.id, body)

    def delivered() -> bool:
        (current,) = ws.conversations.messages_by_key(target.id, [row.key])
        return current.status == "delivered"

    wait_for(delivered, what="delivery by the restarted child")
    assert len([m for m in server_messages(admin_http, target.id) if m["body"] == body]) == 1


def test_close_ends_the_child(session: LoginResult, open_ws: OpenWs) -> None:
    ws = open_ws(session)
    first_sync(ws)
    pid = child_of(ws).pid
    assert pid is not None
    assert not gone(pid)
    began = time.monotonic()
    ws.close()
    assert time.monotonic() - began < 2.0
    assert gone(pid)


PARENT = """
import sys
from console.protocol.auth import User
from console.services.workspace import open_workspace
from tests.sync.conftest import wait_for
cache, server, user_json = sys.argv[1:4]
token = sys.stdin.readline().strip()
ws = open_workspace(cache, server, token, User.model_validate_json(user_json), sync_process=True)
ws.start()
wait_for(lambda: ws._engine.pid, what="the child")
print(ws._engine.pid, flush=True)
sys.stdin.readline()  # killed before this returns
"""


def test_the_child_exits_when_the_console_process_dies(
    session: LoginResult, tmp_path: Path
) -> None:
    parent = subprocess.Popen(
        [
            sys.executable,
            "-c",
            PARENT,
            str(tmp_path / "profile" / "cache.db"),
            session.server_url,
            session.user.model_dump_json(),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        cwd=Path(__file__).resolve().parents[2],
        text=True,
    )
    assert parent.stdin is not None
    assert parent.stdout is not None
    try:
        parent.stdin.write(session.token + "\n")
        parent.stdin.flush()
        child = int(parent.stdout.readline())
        assert not gone(child)
    finally:
        parent.kill()
        parent.wait()
    wait_for(lambda: gone(child), timeout=5.0, what="the orphaned sync process to exit")
