"""`python -m console.backend ...` is `agent-console-backend ...`."""

import sys

from console.backend.cli import main

sys.exit(main())
