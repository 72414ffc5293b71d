from __future__ import annotations

import logging
from pathlib import Path

from console.logging_setup import redact, setup_logging


def test_redact_hides_tokens_and_passwords() -> None:
    line = ('Authorization: Bearer abc.DEF-123_xyz sent {"password": "hunter2", '
            '"access_token": "tok123"} token=zzz')
    out = redact(line)
    for secret in ("abc.DEF-123_xyz", "hunter2", "tok123", "zzz"):
        assert secret not in out
    assert out.count("[redacted]") == 4


def test_log_file_never_holds_a_token(tmp_path: Path) -> None:
    # setup_logging configures the process's logging; put it back as it was for later tests
    # (pytest's capture handlers, and levels that tests checking logged output rely on).
    root = logging.getLogger()
    saved_handlers, saved_level = list(root.handlers), root.level
    quieted = {name: logging.getLogger(name).level for name in ("httpx", "httpcore", "alembic")}
    path = setup_logging(directory=tmp_path)
    try:
        logging.getLogger("console.test").warning("request failed: Bearer s3cr3tT0ken")
        for handler in logging.getLogger().handlers:
            handler.flush()
        text = path.read_text()
        assert "request failed" in text
        assert "s3cr3tT0ken" not in text
    finally:
        for handler in list(root.handlers):
            root.removeHandler(handler)
            handler.close()
        for handler in saved_handlers:
            root.addHandler(handler)
        root.setLevel(saved_level)
        for name, level in quieted.items():
            logging.getLogger(name).setLevel(level)
