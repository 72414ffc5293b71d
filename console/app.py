"""Bootstrap: arguments, logging, the QApplication, and wiring services to the main window.

    agent-console [--demo] [--server URL] [--profile NAME] [--debug] [--version] [--smoke-test]

The window is shown before anything slow happens, and the conversation list's first page from
the cache right after it (console/app_startup.py); the services load after that first paint,
and the embedded backend, sign-in and opening the cache run on a worker thread and hand the
workspace to the window when it is ready.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import time
from collections.abc import Sequence
from types import FrameType

from console import __version__

log = logging.getLogger("console.app")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="agent-console", description="Desktop console for group messaging."
    )
    parser.add_argument("--demo", action="store_true",
                        help="start the bundled backend with demo data and sign in to it")
    parser.add_argument("--server", metavar="URL", help="backend to connect to")
    parser.add_argument("--profile", metavar="NAME",
                        help="use a named profile (its own cache and sign-in)")
    parser.add_argument("--debug", action="store_true",
                        help="log everything (secrets are still redacted)")
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    parser.add_argument("--language", metavar="CODE",
                        help="use this language instead of the system's (e.g. de, pt_BR; "
                             "'pseudo' shows every translatable text bracketed)")
    parser.add_argument("--smoke-test", action="store_true",
                        help="open the window on demo data (offscreen unless a display is "
                             "chosen), print one line and exit: 0 when it worked")
    parser.add_argument("--exit-when-ready", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.server:
        from console.store.paths import normalize_server_url

        try:
            args.server = normalize_server_url(args.server)
        except ValueError as exc:
            parser.error(str(exc))
    if args.demo and args.server:
        parser.error("--demo runs its own backend; leave out --server")
    if args.smoke_test:
        if args.server:
            parser.error("--smoke-test runs the demo backend; leave out --server")
        args.demo = True
        args.exit_when_ready = True
    return args


def main(argv: Sequence[str] | None = None) -> int:
    started = time.perf_counter()
    args = parse_args(argv)
    if args.version:
        print(f"agent-console {__version__}")
        return 0

    from console.logging_setup import install_crash_handler, setup_logging

    log_file = setup_logging(logging.DEBUG if args.debug else logging.INFO)
    install_crash_handler()
    log.info("agent-console %s starting (log: %s)", __version__, log_file)

    # Qt first, so the window paints before the heavier imports (SQLAlchemy, httpx) happen:
    # nothing imported up to the first paint may pull them in (tests/e2e/test_startup_imports.py).
    if args.smoke_test:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # an installed .deb on a server
    from console.ui.qt import QApplication, QTimer
    from console.ui.qt_messages import route_qt_messages

    route_qt_messages()
    app = QApplication(sys.argv[:1])
    from console.ui.i18n import install_translations

    install_translations(app, args.language)  # before any widget takes its texts
    app.setApplicationName("Agent Console")
    app.setOrganizationName("agent-console")
    app.setDesktopFileName("agent-console")

    from console.ui.main_window import MainWindow

    window = MainWindow()
    window.show()
    from console.logging_setup import set_crash_listener
    from console.ui.crash_dialog import CrashReporter

    set_crash_listener(CrashReporter(window, log_file).report)  # a bug: told, not hidden
    QTimer.singleShot(
        0, lambda: log.info("window shown in %d ms", (time.perf_counter() - started) * 1000)
    )

    from console.app_startup import StartUp

    startup = StartUp(window, args, started)
    _quit_on_signals(app)
    QTimer.singleShot(0, startup.begin)  # the list from the cache, then the services
    code = app.exec()
    set_crash_listener(None)  # the window is going: a crash from here on is only logged
    startup.shutdown()
    log.info("bye (exit %d)", code)
    if args.smoke_test:
        print(f"agent-console {__version__} smoke test: "
              + ("passed" if code == 0 else f"FAILED (exit {code}; log: {log_file})"), flush=True)
    return int(code)


def _quit_on_signals(app: object) -> None:
    """SIGTERM/SIGINT end the event loop cleanly (the workspace and backend are closed)."""
    from console.ui.qt import QApplication, QTimer

    def handler(signum: int, _frame: FrameType | None) -> None:
        log.info("signal %d: quitting", signum)
        QApplication.quit()

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)
    # Python runs signal handlers only between bytecodes; a idle timer lets it get a turn.
    timer = QTimer(app)  # type: ignore[arg-type]
    timer.timeout.connect(lambda: None)
    timer.start(200)


if __name__ == "__main__":
    sys.exit(main())
