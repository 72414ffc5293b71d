"""A headless console that composes and sends messages: the process the crash tests SIGKILL.

It opens a workspace on a cache file with the real services (no Qt), composes messages
`<trial> #<i>` at a steady pace, and runs until its outbox drains, printing progress as JSON
lines. Run again on the same cache after a kill, it carries on where the cache says it was.

Two ways to run it:

- `python -m tests.support.sender_process --server URL --cache PATH --trial T --count N ...`
  (token in $CONSOLE_TEST_TOKEN): one life, for a person to try by hand.
- `... --serve`: a fork server. It imports everything once, then reads one JSON command per
  line on stdin and forks a fresh child for each: a child is a whole console life (open the
  cache, start the engine, compose, send, drain), killed by the test with SIGKILL at a random
  moment or killing itself at the k-th SQLite COMMIT (mid-transaction: compose, claim, apply)
  or right after the k-th HTTP answer arrived (mid-HTTP: the server did the work, the console
  never heard). Forking keeps a trial at tens of milliseconds instead of a second of imports.

stdout lines: {"event": "ready"} once; per child {"event": "forked", "pid"}, then from the child
{"event": "composed", "index"} ..., {"event": "drained"}, then {"event": "exit", "pid",
"code", "signal"}. The child writes with os.write so lines never interleave mid-line.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import queue
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import Engine, event

from console.protocol.auth import User
from console.services.workspace import Workspace, open_workspace

TOKEN_ENV = "CONSOLE_TEST_TOKEN"


def emit(**fields: Any) -> None:
    os.write(1, (json.dumps(fields) + "\n").encode())


def body_of(trial: str, index: int) -> str:
    return f"{trial} #{index}"


def composed_so_far(cache: Path, trial: str) -> int:
    """How many of the trial's messages the cache holds (composition is atomic: a prefix)."""
    if not cache.exists():
        return 0
    db = sqlite3.connect(cache, timeout=10)
    try:
        count = db.execute(
            "SELECT count(*) FROM messages WHERE body LIKE ?", (f"{trial} #%",)
        ).fetchone()[0]
    except sqlite3.OperationalError:  # no schema yet
        count = 0
    finally:
        db.close()
    return int(count)


def unsent(cache: Path, trial: str) -> int:
    """Outbox items still open, plus trial messages without a server id."""
    db = sqlite3.connect(cache, timeout=10)
    try:
        open_items = db.execute(
            "SELECT count(*) FROM outbox WHERE state IN ('pending', 'sending')"
        ).fetchone()[0]
        local_only = db.execute(
            "SELECT count(*) FROM messages WHERE body LIKE ? AND server_id IS NULL",
            (f"{trial} #%",),
        ).fetchone()[0]
    finally:
        db.close()
    return int(open_items) + int(local_only)


def install_faults(die_after_commits: int | None, die_after_responses: int | None) -> None:
    """SIGKILL this process at the k-th COMMIT (before it happens) or after the k-th answer."""
    if die_after_commits:
        commits = {"n": 0}

        def before_commit(_conn: Any) -> None:
            commits["n"] += 1
            if commits["n"] >= die_after_commits:
                os.kill(os.getpid(), signal.SIGKILL)

        event.listen(Engine, "commit", before_commit)
    if die_after_responses:
        answers = {"n": 0}
        original = httpx.HTTPTransport.handle_request

        def handle_request(self: httpx.HTTPTransport, request: httpx.Request) -> httpx.Response:
            response = original(self, request)
            answers["n"] += 1
            if answers["n"] >= die_after_responses:
                os.kill(os.getpid(), signal.SIGKILL)
            return response

        httpx.HTTPTransport.handle_request = handle_request  # type: ignore[method-assign]


def live(
    *,
    server: str,
    token: str,
    user: User,
    cache: Path,
    trial: str,
    conversations: list[str],
    count: int,
    pace: float,
    timeout: float,
    final_sync: bool = False,
) -> int:
    """One console life: compose what is missing, then wait for the outbox to drain."""
    started = time.monotonic()
    # The engine on a thread of this process: the faults above are installed here.
    ws: Workspace = open_workspace(
        cache, server, token, user, poll_interval=0.05, sync_process=False
    )
    try:
        ws.start()
        deadline = started + timeout
        # A user writes only in conversations they can see: on a new cache, after the sync.
        while not all(ws.conversations.conversation(c) for c in conversations):
            if time.monotonic() > deadline:
                emit(event="timeout", unsent=-1)
                return 3
            time.sleep(0.005)
        emit(event="visible", at=round(time.monotonic() - started, 4))
        first = composed_so_far(cache, trial)
        for index in range(first, count):
            conversation = conversations[index % len(conversations)]
            ws.conversations.send(conversation, body_of(trial, index))
            emit(event="composed", index=index)
            if pace:
                time.sleep(pace)
        while unsent(cache, trial):
            if time.monotonic() > deadline:
                emit(event="timeout", unsent=unsent(cache, trial))
                return 3
            time.sleep(0.005)
        if final_sync:
            # One whole push + pull after everything above: the cache is as fresh as the feed.
            mark = ws.sync.status.last_sync_at
            ws.sync.sync_now()
            while True:
                status = ws.sync.status
                fresh = status.last_sync_at is not None and (
                    mark is None or status.last_sync_at > mark
                )
                if fresh and status.state.value == "online" and status.pending_outbox == 0:
                    break
                if time.monotonic() > deadline:
                    emit(event="timeout", unsent=0)
                    return 3
                time.sleep(0.01)
        emit(event="drained", at=round(time.monotonic() - started, 4))
        return 0
    finally:
        ws.close()
        emit(event="closed", at=round(time.monotonic() - started, 4))


def fetch_user(server: str, token: str) -> User:
    with httpx.Client(base_url=server, headers={"Authorization": f"Bearer {token}"}) as http:
        response = http.get("/v1/me")
        response.raise_for_status()
        return User.model_validate(response.json())


def serve(server: str, token: str, cache: Path) -> int:
    user = fetch_user(server, token)
    emit(event="ready")
    for line in sys.stdin:
        if not line.strip():
            continue
        command = json.loads(line)
        if command.get("cmd") == "quit":
            break
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            code = 70
            try:
                install_faults(command.get("die_after_commits"), command.get("die_after_responses"))
                code = live(
                    server=server,
                    token=token,
                    user=user,
                    cache=cache,
                    trial=command["trial"],
                    conversations=command["conversations"],
                    count=int(command["count"]),
                    pace=float(command.get("pace", 0.0)),
                    timeout=float(command.get("timeout", 20.0)),
                    final_sync=bool(command.get("final_sync", False)),
                )
            except BaseException as exc:  # report, never fall back into the server's loop
                emit(event="error", error=repr(exc))
            finally:
                os._exit(code)
        emit(event="forked", pid=pid)
        _, status = os.waitpid(pid, 0)
        emit(
            event="exit",
            pid=pid,
            code=os.WEXITSTATUS(status) if os.WIFEXITED(status) else None,
            signal=os.WTERMSIG(status) if os.WIFSIGNALED(status) else None,
        )
    return 0


# -- the test side: drive the fork server, kill its children, check the outcome ---------------


@dataclass
class Life:
    """One child: how it ended and what it said."""

    pid: int
    code: int | None
    signal: int | None
    events: list[dict[str, Any]]

    @property
    def killed(self) -> bool:
        return self.signal == signal.SIGKILL

    @property
    def drained(self) -> bool:
        return self.code == 0 and any(e["event"] == "drained" for e in self.events)


class SenderServer:
    """`sender_process --serve` as a subprocess, one child life per run()."""

    def __init__(self, server: str, token: str, cache: Path) -> None:
        env = {**os.environ, TOKEN_ENV: token, "PYTHONUNBUFFERED": "1"}
        self.cache = cache
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.support.sender_process",
                "--serve",
                "--server",
                server,
                "--cache",
                str(cache),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        self._lines: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self.stderr: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self._read_errors, daemon=True).start()
        ready = self._next(30.0)
        if ready is None or ready.get("event") != "ready":
            self.close()
            raise RuntimeError(f"sender did not start: {ready!r} {''.join(self.stderr)[-2000:]}")

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            try:
                self._lines.put(json.loads(line))
            except ValueError:
                self.stderr.append(line)
        self._lines.put(None)

    def _read_errors(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.stderr.append(line)
            del self.stderr[:-200]

    def _next(self, timeout: float) -> dict[str, Any] | None:
        try:
            return self._lines.get(timeout=timeout)
        except queue.Empty:
            return None

    def run(
        self,
        trial: str,
        conversations: list[str],
        count: int,
        *,
        pace: float = 0.0,
        kill_after: float | None = None,
        die_after_commits: int | None = None,
        die_after_responses: int | None = None,
        final_sync: bool = False,
        timeout: float = 30.0,
    ) -> Life:
        """One child life; `kill_after` seconds after the fork it gets SIGKILL if still alive."""
        command = {
            "cmd": "run",
            "trial": trial,
            "conversations": conversations,
            "count": count,
            "pace": pace,
            "die_after_commits": die_after_commits,
            "die_after_responses": die_after_responses,
            "final_sync": final_sync,
            "timeout": timeout,
        }
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps(command) + "\n")
        self.proc.stdin.flush()
        forked = self._next(10.0)
        if forked is None or forked.get("event") != "forked":
            raise RuntimeError(f"no fork: {forked!r} {''.join(self.stderr)[-2000:]}")
        pid = int(forked["pid"])
        events: list[dict[str, Any]] = []
        began = time.monotonic()
        deadline = began + timeout + 10.0
        killed = False
        while True:
            now = time.monotonic()
            if kill_after is not None and not killed:
                wait = max(0.0, began + kill_after - now)
            else:
                wait = max(0.0, deadline - now)
            line = self._next(wait) if wait > 0 else self._next_nowait()
            if line is None:
                if kill_after is not None and not killed and time.monotonic() >= began + kill_after:
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(pid, signal.SIGKILL)
                    killed = True
                    continue
                if time.monotonic() > deadline:
                    raise RuntimeError(f"child {pid} did not end: {events!r}")
                continue
            if line.get("event") == "exit" and line.get("pid") == pid:
                return Life(pid, line.get("code"), line.get("signal"), events)
            events.append(line)

    def _next_nowait(self) -> dict[str, Any] | None:
        try:
            return self._lines.get_nowait()
        except queue.Empty:
            return None

    def close(self) -> None:
        if self.proc.poll() is None:
            with contextlib.suppress(OSError, ValueError):
                assert self.proc.stdin is not None
                self.proc.stdin.write(json.dumps({"cmd": "quit"}) + "\n")
                self.proc.stdin.close()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)


@dataclass
class TrialStats:
    trials: int = 0
    lives: int = 0
    kills_by_timer: int = 0
    kills_at_commit: int = 0
    kills_after_answer: int = 0
    lives_that_finished_first: int = 0  # the kill came too late: the life had drained
    composed: dict[str, int] = field(default_factory=dict)  # trial -> messages composed


def run_trials(
    sender: SenderServer,
    conversations: list[str],
    trials: int,
    *,
    seed: int,
    prefix: str,
    max_count: int = 4,
    max_kills: int = 2,
) -> TrialStats:
    """`trials` trials: each composes 1..max_count messages over 1..max_kills killed lives
    (a random one of: a timer SIGKILL, a SIGKILL at the k-th COMMIT, one after the k-th HTTP
    answer), then lives on until its outbox drains."""
    rng = random.Random(seed)
    stats = TrialStats()
    for number in range(trials):
        trial = f"{prefix}-{number:05d}"
        count = rng.randint(1, max_count)
        lanes = rng.sample(conversations, k=rng.randint(1, len(conversations)))
        for _ in range(rng.randint(1, max_kills)):
            mode = rng.choice(("timer", "commit", "answer"))
            if mode == "timer":
                life = sender.run(trial, lanes, count, kill_after=rng.uniform(0.0, 0.12))
            elif mode == "commit":
                life = sender.run(trial, lanes, count, die_after_commits=rng.randint(1, 30))
            else:
                life = sender.run(trial, lanes, count, die_after_responses=rng.randint(1, 6))
            stats.lives += 1
            if life.killed:
                stats.kills_by_timer += mode == "timer"
                stats.kills_at_commit += mode == "commit"
                stats.kills_after_answer += mode == "answer"
            elif life.drained:
                stats.lives_that_finished_first += 1
            else:
                raise AssertionError(f"{trial}: a life ended neither killed nor drained: {life}")
        final = sender.run(trial, lanes, count)
        stats.lives += 1
        if not final.drained:
            raise AssertionError(f"{trial}: the last life did not drain the outbox: {final}")
        stats.composed[trial] = count
        stats.trials += 1
    return stats


def server_messages(http: httpx.Client, conversation_id: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 500}
        if cursor:
            params["cursor"] = cursor
        response = http.get(f"/v1/conversations/{conversation_id}/messages", params=params)
        response.raise_for_status()
        data = response.json()
        items.extend(data["items"])
        cursor = data.get("next_cursor")
        if not cursor:
            return items


def cache_messages(cache: Path, conversation_ids: list[str]) -> list[dict[str, Any]]:
    db = sqlite3.connect(f"{cache.resolve().as_uri()}?mode=ro", uri=True)
    db.row_factory = sqlite3.Row
    try:
        marks = ",".join("?" * len(conversation_ids))
        rows = db.execute(
            "SELECT id, server_id, client_key, conversation_id, body, status FROM messages "
            f"WHERE conversation_id IN ({marks})",
            conversation_ids,
        ).fetchall()
    finally:
        db.close()
    return [dict(row) for row in rows]


def check_exactly_once(
    http: httpx.Client, cache: Path, conversations: list[str], composed: dict[str, int]
) -> list[str]:
    """Problems found (empty = every composed message is on the server once, matching the
    cache by client key and body, and nothing else of ours is there)."""
    problems: list[str] = []
    on_server: dict[str, list[dict[str, Any]]] = {}
    for conversation_id in conversations:
        for message in server_messages(http, conversation_id):
            on_server.setdefault(message["body"], []).append(message)
    local: dict[str, list[dict[str, Any]]] = {}
    for row in cache_messages(cache, conversations):
        local.setdefault(row["body"], []).append(row)
    for trial, count in composed.items():
        for index in range(count):
            body = body_of(trial, index)
            copies = on_server.get(body, [])
            mine = local.get(body, [])
            if len(copies) != 1:
                problems.append(f"{body!r} is on the server {len(copies)} times")
            if len(mine) != 1:
                problems.append(f"{body!r} is in the cache {len(mine)} times")
            if len(copies) == 1 and len(mine) == 1:
                if copies[0]["client_key"] != mine[0]["client_key"]:
                    problems.append(f"{body!r}: client keys differ")
                if copies[0]["id"] != mine[0]["server_id"]:
                    problems.append(f"{body!r}: the cache row is not the server's message")
        extra = [b for b in on_server if b.startswith(f"{trial} #")]
        if len(extra) != count:
            problems.append(f"{trial}: {len(extra)} bodies on the server, {count} composed")
    return problems


def check_cache_agrees(http: httpx.Client, cache: Path, conversations: list[str]) -> list[str]:
    """Problems found between the server's messages and the cache's, conversation by
    conversation: same ids, same statuses, nothing local-only, nothing twice."""
    problems: list[str] = []
    local = cache_messages(cache, conversations)
    by_server_id = {row["server_id"]: row for row in local}
    if None in by_server_id:
        problems.append(f"{sum(r['server_id'] is None for r in local)} local-only rows")
    if len(by_server_id) != len(local):
        problems.append("a server message is in the cache twice")
    for conversation_id in conversations:
        server = {m["id"]: m for m in server_messages(http, conversation_id)}
        mine = {r["server_id"]: r for r in local if r["conversation_id"] == conversation_id}
        if set(server) != set(mine):
            problems.append(
                f"{conversation_id}: {len(set(server) - set(mine))} missing locally, "
                f"{len(set(mine) - set(server))} unknown to the server"
            )
        for server_id in set(server) & set(mine):
            if server[server_id]["status"] != mine[server_id]["status"]:
                problems.append(
                    f"{server_id}: status {mine[server_id]['status']!r} in the cache, "
                    f"{server[server_id]['status']!r} on the server"
                )
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--server", required=True)
    parser.add_argument("--cache", required=True, type=Path)
    parser.add_argument("--serve", action="store_true", help="fork server (commands on stdin)")
    parser.add_argument("--trial", default="manual")
    parser.add_argument("--conversation", action="append", default=[])
    parser.add_argument("--count", type=int, default=10)
    parser.add_argument("--pace", type=float, default=0.05)
    args = parser.parse_args(argv)
    token = os.environ.get(TOKEN_ENV, "")
    if not token:
        parser.error(f"put the access token in ${TOKEN_ENV}")
    if args.serve:
        return serve(args.server, token, args.cache)
    if not args.conversation:
        parser.error("--conversation is required")
    user = fetch_user(args.server, token)
    return live(
        server=args.server,
        token=token,
        user=user,
        cache=args.cache,
        trial=args.trial,
        conversations=args.conversation,
        count=args.count,
        pace=args.pace,
        timeout=60.0,
    )


if __name__ == "__main__":
    sys.exit(main())
