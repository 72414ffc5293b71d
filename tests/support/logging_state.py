"""setup_logging configures the process's logging: tests that call it put it back as it was
for later tests (pytest's capture handlers, and levels that tests of logged output rely on)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

QUIETED = ("httpx", "httpcore", "alembic")  # the loggers setup_logging turns down


@contextmanager
def logging_restored() -> Iterator[None]:
    root = logging.getLogger()
    saved_handlers, saved_level = list(root.handlers), root.level
    quieted = {name: logging.getLogger(name).level for name in QUIETED}
    try:
        yield
    finally:
        for handler in list(root.handlers):
            root.removeHandler(handler)
            handler.close()
        for handler in saved_handlers:
            root.addHandler(handler)
        root.setLevel(saved_level)
        for name, level in quieted.items():
            logging.getLogger(name).setLevel(level)
