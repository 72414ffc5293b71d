from __future__ import annotations

import logging
from pathlib import Path

from console.logging_setup import redact, setup_logging
from tests.support.logging_state import logging_restored


def test_redact_hides_tokens_and_passwords() -> None:
    line = ('Authorization: Bearer abc.DEF-123_xyz sent {"password": "hunter2", '
            '"access_token": "tok123"} token=zzz')
    out = redact(line)
    for secret in ("abc.DEF-123_xyz", "hunter2", "tok123", "zzz"):
        assert secret not in out
    assert out.count("[redacted]") == 4


def test_log_file_never_holds_a_token(tmp_path: Path) -> None:
    with logging_restored():
        path = setup_logging(directory=tmp_path)
        logging.getLogger("console.test").warning("request failed: Bearer s3cr3tT0ken")
        for handler in logging.getLogger().handlers:
            handler.flush()
        text = path.read_text()
        assert "request failed" in text
        assert "s3cr3tT0ken" not in text
