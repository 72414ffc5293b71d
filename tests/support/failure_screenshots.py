"""A GUI test that fails leaves a picture of what was on screen.

tests/ui/conftest.py and tests/e2e/conftest.py import the hook below: when a test's call fails,
every visible top-level window (the main window, an open dialog) is grabbed to
`$CONSOLE_TEST_SCREENSHOTS` (default `build/test-screenshots/`), one PNG each, and the report
lists the files, so a failure in CI can be looked at, not only read.
"""

from __future__ import annotations

import os
import re
from collections.abc import Generator
from pathlib import Path

import pytest
from pluggy import Result

from console.ui.qt import QApplication

ROOT = Path(__file__).resolve().parents[2]


def screenshot_dir() -> Path:
    return Path(os.environ.get("CONSOLE_TEST_SCREENSHOTS", ROOT / "build" / "test-screenshots"))


def save_screenshots(name: str, directory: Path) -> list[Path]:
    """Grab every visible top-level window to `directory`; the files written."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return []
    stem = re.sub(r"[^\w.-]+", "_", name).strip("_")[-120:]
    saved: list[Path] = []
    windows = [w for w in app.topLevelWidgets() if w.isVisible()]
    for number, window in enumerate(windows, 1):
        label = window.objectName() or type(window).__name__
        path = directory / f"{stem}-{number}-{label}.png"
        directory.mkdir(parents=True, exist_ok=True)
        if window.grab().save(str(path)):
            saved.append(path)
    return saved


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, Result[pytest.TestReport], None]:
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" and report.failed:
        paths = save_screenshots(item.nodeid, screenshot_dir())
        if paths:
            report.sections.append(("GUI screenshots", "\n".join(str(p) for p in paths)))
