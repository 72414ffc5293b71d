"""Logging: named loggers per area, a rotating file under the user's log dir, secrets redacted,
and crash reports (unhandled exceptions) written through the same redaction.

Two layers keep secrets out of every log line and crash report:
- patterns: bearer tokens, `password=...`, `"access_token": "..."` and the like;
- exact values: the app registers each token and password it handles (`add_secret`), and any
  occurrence of one is replaced, whatever the text around it.
"""

from __future__ import annotations

import logging
import logging.handlers
import re
import sys
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

from console.paths import log_dir

log = logging.getLogger("console.crash")

# Bearer tokens, "password": "...", and access_token values never reach a log line.
_SECRET_PATTERNS = [
    re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._~+/=-]+"),
    re.compile(r'(?i)("?(?:password|access_token|token|secret)"?\s*[:=]\s*"?)[^",\s}]+'),
]
# Shorter values would redact ordinary words; passwords that short are refused anyway.
MIN_SECRET_LENGTH = 4
REDACTED = "[redacted]"

_secrets_lock = threading.Lock()
_secrets: set[str] = set()


def add_secret(value: str | None) -> None:
    """Redact every later occurrence of `value` (a token, a password) in logs and crash reports."""
    if value and len(value) >= MIN_SECRET_LENGTH:
        with _secrets_lock:
            _secrets.add(value)


def redact(text: str) -> str:
    with _secrets_lock:
        known = sorted(_secrets, key=len, reverse=True)  # longest first: no partial leftovers
    for value in known:
        if value in text:
            text = text.replace(value, REDACTED)
    for pattern in _SECRET_PATTERNS:
        text = pattern.sub(r"\1" + REDACTED, text)
    return text


class RedactingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


def setup_logging(level: int = logging.INFO, directory: Path | None = None) -> Path:
    """Log to stderr and to a rotating file; returns the file's path."""
    folder = directory or log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "console.log"
    formatter = RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    file_handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=2_000_000, backupCount=3, encoding="utf-8"
    )
    file_handler.setFormatter(formatter)
    stream_handler = logging.StreamHandler()
    stream_handler.setFormatter(formatter)
    root = logging.getLogger()
    root.setLevel(level)
    for handler in list(root.handlers):
        root.removeHandler(handler)
    root.addHandler(file_handler)
    root.addHandler(stream_handler)
    # httpx logs every request line at INFO; keep that out of the user's log unless debugging.
    quiet = logging.DEBUG if level <= logging.DEBUG else logging.WARNING
    logging.getLogger("httpx").setLevel(quiet)
    logging.getLogger("httpcore").setLevel(quiet)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    return path


# -- crash reports ---------------------------------------------------------------------------

def write_crash_report(
    exc_type: type[BaseException],
    exc: BaseException,
    tb: TracebackType | None,
    *,
    where: str = "main thread",
    directory: Path | None = None,
) -> Path | None:
    """Log an unhandled exception and write it (redacted) to `crash-<time>.txt`; its path."""
    text = "".join(traceback.format_exception(exc_type, exc, tb))
    log.critical("unhandled exception in %s:\n%s", where, text.rstrip())
    folder = directory or log_dir()
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S-%f")
    path = folder / f"crash-{stamp}.txt"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path.write_text(redact(f"Unhandled exception in {where}\n\n{text}"), encoding="utf-8")
    except OSError:
        log.exception("could not write the crash report")
        return None
    return path


@dataclass(frozen=True, slots=True)
class Crash:
    """What the crash dialog is told: where, the exception, and the report's file."""

    where: str
    error: BaseException
    report: Path | None  # None: it could not be written (the log still has it)


CrashListener = Callable[[Crash], None]
_listener: CrashListener | None = None


def set_crash_listener(listener: CrashListener | None) -> None:
    """Who hears of each crash after its report is written (the GUI's crash dialog). Called
    on the thread that crashed: the listener hands it to its own thread."""
    global _listener
    _listener = listener


def _tell(crash: Crash) -> None:
    listener = _listener
    if listener is None:
        return
    try:
        listener(crash)
    except Exception:  # a crash while telling of a crash must not loop or hide the first
        log.exception("the crash listener failed")


def install_crash_handler(directory: Path | None = None) -> None:
    """Unhandled exceptions (main thread, worker threads, Qt slots) become crash reports."""

    def on_main(
        exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        path = write_crash_report(exc_type, exc, tb, directory=directory)
        _tell(Crash("main thread", exc, path))

    def on_thread(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None or issubclass(args.exc_type, SystemExit):
            return
        name = args.thread.name if args.thread is not None else "a thread"
        where = f"thread {name}"
        path = write_crash_report(args.exc_type, args.exc_value, args.exc_traceback,
                                  where=where, directory=directory)
        _tell(Crash(where, args.exc_value, path))

    sys.excepthook = on_main
    threading.excepthook = on_thread
