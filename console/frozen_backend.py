"""The frozen build's `agent-console-backend` executable (packaging/agent-console.spec).

It runs the backend CLI, or the sync engine's child process when its first argument is
`_sync-child` (console/frozen.py starts it so). A module of its own: the sync engine imports
console/frozen.py, and must not pull in the backend with it.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from console.frozen import SYNC_CHILD_ARGUMENT


def backend_main(argv: Sequence[str] | None = None) -> int:
    """The frozen `agent-console-backend`: the backend CLI, or the sync child when the first
    argument is `_sync-child` (not a CLI command: `--help` does not list it)."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments[:1] == [SYNC_CHILD_ARGUMENT]:
        from console.sync.child import main as sync_child_main

        return sync_child_main()
    from console.backend.cli import main as cli_main

    return cli_main(arguments)
