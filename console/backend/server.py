"""Run the app under uvicorn on a socket we bind ourselves (so `--port 0` can tell its port)."""

from __future__ import annotations

import asyncio
import signal
import socket
import sys
from types import FrameType

import uvicorn
from fastapi import FastAPI

from console.backend.app import create_app
from console.backend.feed_notify import FeedWatch
from console.backend.settings import Settings

GRACEFUL_SHUTDOWN_S = 3


def bind(host: str, port: int) -> socket.socket:
    family, kind, proto, _, address = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
    )[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    return sock


def url_of(host: str, sock: socket.socket, scheme: str = "http") -> str:
    port = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    return f"{scheme}://{shown}:{port}"


def serve(
    settings: Settings,
    host: str,
    port: int,
    *,
    ssl_certfile: str | None = None,
    ssl_keyfile: str | None = None,
) -> int:
    sock = bind(host, port)
    app = create_app(settings)
    config = uvicorn.Config(
        app,
        log_level="warning",
        access_log=False,
        # The client address is ours to work out (console.backend.client_address): uvicorn
        # would otherwise believe X-Forwarded-For from any loopback peer.
        proxy_headers=False,
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_S,
        ssl_certfile=ssl_certfile,
        ssl_keyfile=ssl_keyfile,
    )
    server = _Server(config, app)
    # uvicorn stops gracefully on SIGTERM/SIGINT and then re-raises the signal to the handler
    # that was there before it; a no-op there makes a clean stop exit with status 0.
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, _ignore)
    scheme = "https" if ssl_certfile else "http"
    asyncio.run(_serve(server, sock, url_of(host, sock, scheme)))
    return 0 if server.started else 1


class _Server(uvicorn.Server):
    def __init__(self, config: uvicorn.Config, app: FastAPI) -> None:
        super().__init__(config)
        self._app = app

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        # Open event streams never end by themselves: end them first, or uvicorn would wait
        # for them until its graceful-shutdown timeout and then cancel them.
        watch = getattr(self._app.state, "feed_watch", None)
        if isinstance(watch, FeedWatch):
            watch.close()
        # Claimed work goes back to the queue now, for the other processes, not after the
        # connections have drained (the lifespan's end waits for what is running).
        for workers in getattr(self._app.state, "job_workers", ()):
            workers.begin_stop()
        await super().shutdown(sockets)


def _ignore(_sig: int, _frame: FrameType | None) -> None:
    pass


async def _serve(server: uvicorn.Server, sock: socket.socket, url: str) -> None:
    async def announce() -> None:
        while not server.started:
            if server.should_exit:
                return
            await asyncio.sleep(0.01)
        # The one line scripts wait for; flushed at once (stdout may be a pipe).
        sys.stdout.write(f"listening on {url}\n")
        sys.stdout.flush()

    announcer = asyncio.create_task(announce())
    try:
        await server.serve(sockets=[sock])
    finally:
        announcer.cancel()
        sock.close()
