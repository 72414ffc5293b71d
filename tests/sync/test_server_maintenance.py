"""A backend in maintenance (503 with Retry-After) is left alone for as long as it asks."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from console.protocol.auth import User
from console.services.types import DetailCode, StatusDetail, SyncState
from console.services.workspace import open_workspace
from tests.sync.conftest import wait_for

ME = User(id="u-me", email="me@example.com", name="Me", role="admin", data_access="all")
MAINTENANCE_S = 90


class _Maintenance(BaseHTTPRequestHandler):
    def _refuse(self) -> None:
        self.server.requests.append(self.path)  # type: ignore[attr-defined]
        body = b'{"type":"about:blank","title":"Down for maintenance","status":503,' \
               b'"code":"maintenance"}'
        self.send_response(503)
        self.send_header("Content-Type", "application/problem+json")
        self.send_header("Retry-After", str(MAINTENANCE_S))
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _refuse

    def log_message(self, *_args: object) -> None:
        pass


@pytest.fixture
def maintenance_server() -> Iterator[ThreadingHTTPServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Maintenance)
    server.requests = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_sync_waits_as_long_as_the_503_asks(
    maintenance_server: ThreadingHTTPServer, tmp_path: Path
) -> None:
    url = f"http://127.0.0.1:{maintenance_server.server_address[1]}"
    ws = open_workspace(tmp_path / "p" / "cache.db", url, "token", ME, poll_interval=0.1)
    try:
        ws.start()
        status = wait_for(
            lambda: ws.sync.status if ws.sync.status.state is SyncState.OFFLINE
            and ws.sync.status.detail.code is DetailCode.RETRY_SERVER_ERROR else None,
            what="the maintenance status",
        )
        assert status.detail == StatusDetail.of(
            DetailCode.RETRY_SERVER_ERROR, seconds=MAINTENANCE_S, status=503
        )
        asked = [p for p in maintenance_server.requests  # type: ignore[attr-defined]
                 if p.startswith("/v1/sync")]
        # Our own backoff alone would have come back within a second or two; it must not.
        threading.Event().wait(2.0)
        again = [p for p in maintenance_server.requests  # type: ignore[attr-defined]
                 if p.startswith("/v1/sync")]
        assert len(asked) == 1
        assert again == asked
    finally:
        ws.close()
