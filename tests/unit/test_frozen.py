"""console/frozen.py: the commands that start the backend and the sync child, from source and
in a frozen (PyInstaller) build, and the frozen backend executable's dispatch."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from console import frozen, frozen_backend
from console.embedded_backend import EmbeddedBackend


@pytest.fixture
def bundle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A frozen build's one-dir bundle, as sys sees it: sys.frozen set, sys.executable the GUI."""
    folder = tmp_path / "opt" / "agent-console"
    folder.mkdir(parents=True)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(folder / "agent-console"))
    return folder


def backend_name() -> str:
    return "agent-console-backend" + (".exe" if sys.platform == "win32" else "")


def test_from_source_a_module_runs_with_this_interpreter() -> None:
    assert not frozen.is_frozen()
    assert frozen.module_command("console.backend") == [sys.executable, "-m", "console.backend"]
    assert frozen.module_command("console.sync.child", "/usr/bin/python3") == [
        "/usr/bin/python3", "-m", "console.sync.child",
    ]


def test_the_embedded_backend_from_source(tmp_path: Path) -> None:
    command = EmbeddedBackend(tmp_path / "b.db", port=0).command()
    assert command[:4] == [sys.executable, "-m", "console.backend", "serve"]
    assert command[-2:] == ["--seed", "demo"]


def test_frozen_the_backend_is_the_executable_beside_the_app(bundle: Path) -> None:
    assert frozen.is_frozen()
    backend = str(bundle / backend_name())
    assert frozen.module_command("console.backend") == [backend]
    assert frozen.module_command("console.sync.child") == [backend, "_sync-child"]
    command = EmbeddedBackend(bundle / "b.db", seed_demo=False, port=8123).command()
    assert command == [
        backend, "serve", "--db", f"sqlite:///{bundle / 'b.db'}",
        "--host", "127.0.0.1", "--port", "8123",
    ]


def test_frozen_an_explicit_interpreter_still_wins(bundle: Path) -> None:
    assert frozen.module_command("console.sync.child", "/usr/bin/python3")[1:] == [
        "-m", "console.sync.child",
    ]


def test_frozen_other_modules_cannot_run(bundle: Path) -> None:
    with pytest.raises(ValueError, match=r"console\.app"):
        frozen.module_command("console.app")


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks")
def test_frozen_started_through_a_symlink_finds_the_bundle(
    bundle: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (bundle / "agent-console").write_text("")
    usr_bin = tmp_path / "usr" / "bin"
    usr_bin.mkdir(parents=True)
    (usr_bin / "agent-console").symlink_to(bundle / "agent-console")
    monkeypatch.setattr(sys, "executable", str(usr_bin / "agent-console"))
    assert frozen.backend_executable() == (bundle / backend_name()).resolve()


def test_the_backend_executable_runs_the_cli(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        frozen_backend.backend_main(["--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert "agent-console-backend" in out
    assert "serve" in out
    assert "_sync-child" not in out  # hidden: not a command for people


def test_the_backend_executable_runs_the_sync_child(monkeypatch: pytest.MonkeyPatch) -> None:
    import console.sync.child

    monkeypatch.setattr(console.sync.child, "main", lambda: 7)
    assert frozen_backend.backend_main(["_sync-child"]) == 7


def test_the_sync_child_dispatch_in_a_real_process_ends_with_its_stdin() -> None:
    # What `agent-console-backend _sync-child` does when the console closes the pipe at once.
    code = "import sys; from console.frozen_backend import backend_main; sys.exit(backend_main())"
    result = subprocess.run(
        [sys.executable, "-c", code, "_sync-child"],
        stdin=subprocess.DEVNULL, capture_output=True, timeout=60, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == b""
