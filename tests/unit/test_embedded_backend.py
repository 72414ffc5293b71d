"""The embedded backend launcher: a real child process; failure is a plain message."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from console.embedded_backend import EmbeddedBackend, EmbeddedBackendError


def test_starts_seeded_backend_and_stops_it(tmp_path: Path) -> None:
    backend = EmbeddedBackend(tmp_path / "demo" / "backend.db")
    url = backend.start(timeout=60)
    try:
        assert url.startswith("http://127.0.0.1:")
        assert httpx.get(f"{url}/healthz", timeout=5).json() == {"status": "ok"}
        assert backend.running()
    finally:
        backend.stop()
    assert not backend.running()
    with pytest.raises(httpx.TransportError):
        httpx.get(f"{url}/healthz", timeout=2)


def test_a_backend_that_cannot_start_is_reported_plainly(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the database folder should be")
    backend = EmbeddedBackend(blocker / "backend.db")
    with pytest.raises((EmbeddedBackendError, OSError)) as info:
        backend.start(timeout=30)
    assert "Traceback" not in str(info.value)
    assert not backend.running()
