"""Starting this program's own modules as child processes, from source and in a frozen build.

From source (or an installed wheel) a child is `python -m <module>`. In a frozen build
(PyInstaller, packaging/agent-console.spec) `sys.executable` is the app binary, which cannot run
`-m`; its one-dir bundle has a second executable beside it, `agent-console-backend`, which
runs the backend CLI and, given the hidden first argument `_sync-child`, the sync engine's
child process (console/sync/child.py); console/frozen_backend.py is that executable's entry
point (apart from this module, which the sync engine imports: it stays free of the backend).

Leaf module: imports nothing of the app at import time.
"""

from __future__ import annotations

import sys
from pathlib import Path

BACKEND_EXECUTABLE = "agent-console-backend"
SYNC_CHILD_ARGUMENT = "_sync-child"

# What a module's `python -m` becomes in a frozen build: arguments after the backend executable.
_FROZEN_ARGUMENTS: dict[str, tuple[str, ...]] = {
    "console.backend": (),
    "console.sync.child": (SYNC_CHILD_ARGUMENT,),
}


def is_frozen() -> bool:
    return bool(getattr(sys, "frozen", False))


def backend_executable() -> Path:
    """The bundle's `agent-console-backend`, beside the running executable (a symlink such as
    /usr/bin/agent-console is resolved to the bundle first)."""
    name = BACKEND_EXECUTABLE + (".exe" if sys.platform == "win32" else "")
    return Path(sys.executable).resolve().parent / name


def module_command(module: str, python: str | None = None) -> list[str]:
    """The command that runs `module` as a program: `[python, "-m", module]` from source
    (`python` defaults to this interpreter), the bundle's backend executable when frozen."""
    if python is not None or not is_frozen():
        return [python or sys.executable, "-m", module]
    try:
        arguments = _FROZEN_ARGUMENTS[module]
    except KeyError:
        raise ValueError(f"a frozen build cannot run {module} as a program") from None
    return [str(backend_executable()), *arguments]
