"""A failing GUI test saves a screenshot of its windows (tests/support/failure_screenshots.py),
seen from outside: a real pytest run of a test that fails with a window open."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from console.ui.qt import QImage

ROOT = Path(__file__).resolve().parents[2]

FAILING = '''
from console.ui.qt import QLabel

def test_fails_with_a_window_open(qtbot):
    label = QLabel("Something to see")
    label.setObjectName("evidence")
    label.resize(320, 120)
    qtbot.addWidget(label)
    label.show()
    qtbot.waitExposed(label)
    assert False, "on purpose"

def test_passes_with_a_window_open(qtbot):
    from console.ui.qt import QLabel
    label = QLabel("fine")
    label.setObjectName("passing")
    qtbot.addWidget(label)
    label.show()
'''


def _run_failing(tmp_path: Path, *plugin: str) -> list[Path]:
    """A pytest run of FAILING in `tmp_path` (its conftest, or `plugin` args, load the hook):
    the pictures it saved, which its report lists."""
    (tmp_path / "test_shot.py").write_text(FAILING, encoding="utf-8")
    shots = tmp_path / "shots"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CONSOLE_TEST_SCREENSHOTS": str(shots),
           "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly",
         *plugin, "--rootdir", str(tmp_path), "-c", os.devnull, str(tmp_path / "test_shot.py")],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120, check=False,
    )
    assert "1 failed, 1 passed" in result.stdout, result.stdout + result.stderr
    assert "GUI screenshots" in result.stdout
    return sorted(shots.glob("*.png"))


SAVED = ["test_shot.py_test_fails_with_a_window_open-1-evidence.png"]


def test_a_failing_gui_test_leaves_a_picture_of_its_window(tmp_path: Path) -> None:
    (tmp_path / "conftest.py").write_text(
        "from tests.support.failure_screenshots import pytest_runtest_makereport  # noqa\n",
        encoding="utf-8",
    )
    saved = _run_failing(tmp_path)
    assert [p.name for p in saved] == SAVED
    image = QImage(str(saved[0]))
    assert (image.width(), image.height()) == (320, 120)


@pytest.mark.parametrize("package", ["tests.ui", "tests.e2e"])
def test_every_gui_test_package_saves_pictures_of_failures(tmp_path: Path, package: str) -> None:
    """The GUI test packages' own conftest files (loaded here as the only plugin, as pytest
    loads them for their tests) register the hook: a failing UI or end-to-end test leaves its
    picture too."""
    saved = _run_failing(tmp_path, "-p", f"{package}.conftest")
    assert [p.name for p in saved] == SAVED
