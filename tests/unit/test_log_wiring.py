"""The log file is wired as the app starts: Qt's own warnings land in it (console/app.py routes
them, console/ui/qt_messages.py), and it rotates instead of growing without end
(console/logging_setup.py)."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from console import __version__
from console.logging_setup import setup_logging
from tests.support.logging_state import logging_restored

ROOT = Path(__file__).resolve().parents[2]

# The app's own start-up (console.app.main: logging, Qt, the main window shown, the event
# loop) with the slow part, the backend and sign-in, replaced by one that makes Qt warn and
# then quits: the warning is Qt's own (QFont refusing a negative size), not one we log.
START_AND_PROVOKE = """
import sys
import console.app_startup


class QuickStart:
    def __init__(self, window, args, started):
        pass

    def begin(self):
        from console.ui.qt import QApplication, QFont

        QFont().setPointSizeF(-1.0)
        QApplication.exit(0)

    def shutdown(self):
        pass


console.app_startup.StartUp = QuickStart
from console.app import main

sys.exit(main(["--smoke-test"]))
"""
QT_WARNING = "QFont::setPointSizeF: Point size <= 0"


def test_qt_warnings_at_start_up_reach_the_log_file(tmp_path: Path) -> None:
    state = tmp_path / "state"
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_STATE_HOME": str(state),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
    }
    result = subprocess.run(
        [sys.executable, "-c", START_AND_PROVOKE], cwd=tmp_path, env=env,
        stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "smoke test: passed" in result.stdout
    log_file = state / "agent-console" / "log" / "console.log"  # the user log dir (XDG)
    text = log_file.read_text(encoding="utf-8")
    assert f"agent-console {__version__} starting" in text
    warned = [line for line in text.splitlines() if QT_WARNING in line]
    assert len(warned) == 1, text
    assert " WARNING qt: " in warned[0]  # as a warning of the `qt` logger


@pytest.fixture
def restored_logging() -> Iterator[None]:
    with logging_restored():
        yield


def test_the_log_file_rotates_and_keeps_three_old_ones(
    tmp_path: Path, restored_logging: None
) -> None:
    path = setup_logging(directory=tmp_path)
    root = logging.getLogger()
    # Only the file: megabytes on stderr would only fill the test's captured output.
    for handler in list(root.handlers):
        if type(handler) is logging.StreamHandler:
            root.removeHandler(handler)
    log = logging.getLogger("console.test")
    chunk = "x" * 100_000
    for number in range(100):  # ~10 MB: five files' worth of 2 MB
        log.info("line %03d %s", number, chunk)
    for handler in root.handlers:
        handler.flush()

    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["console.log", "console.log.1", "console.log.2", "console.log.3"]
    for file in tmp_path.iterdir():
        assert file.stat().st_size <= 2_000_000, (file.name, file.stat().st_size)
    for old in names[1:]:  # each rotated out once full
        assert (tmp_path / old).stat().st_size > 1_800_000, old
    assert "line 099 " in path.read_text(encoding="utf-8")  # the newest in the file itself
    everything = "".join(p.read_text(encoding="utf-8") for p in tmp_path.iterdir())
    assert "line 000 " not in everything  # the oldest went with the fourth old file
