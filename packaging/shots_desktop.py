"""Screenshots of the console on the desktop (issue 13): Do not disturb on (its status bar
indicator), the settings dialog, the tray icon with its unread badge, and the crash dialog,
for packaging/screenshots.py.
"""

from __future__ import annotations

from typing import Any


def shoot_desktop(shooter: Any, window: Any, log_file: Any) -> None:
    from console.logging_setup import Crash
    from console.ui.crash_dialog import CrashDialog
    from console.ui.tray import badged_icon

    window.show_conversations()
    window.do_not_disturb_action.setChecked(True)
    shooter.grab(window, "50-do-not-disturb")
    window.do_not_disturb_action.setChecked(False)

    settings = window.show_settings()
    shooter.grab(settings, "54-settings")
    settings.close()

    unread = window.conversation_model.total_unread()
    shooter.save(badged_icon(window.tray._base, unread, 128).pixmap(128, 128), "51-tray-badge")

    try:  # a real exception, with its traceback
        {"rows": []}["row"]
    except KeyError as error:
        crash = Crash("thread sync-engine", error, None)
    dialog = CrashDialog(crash, log_file, window)
    dialog.show()
    shooter.grab(dialog, "52-crash-dialog")
    dialog.details_button.click()
    dialog.resize(760, 520)
    shooter.grab(dialog, "52b-crash-details")
    dialog.close()

    try:
        raise OSError(28, "No space left on device", "cache.db")
    except OSError as full:
        disk = Crash("main thread", full, None)
    known = CrashDialog(disk, log_file, window)
    known.show()
    shooter.grab(known, "53-disk-full")
    known.close()
