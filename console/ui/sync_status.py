"""Status bar sync indicator (objectName `syncStatus`): a coloured dot and a short sentence."""

from __future__ import annotations

from datetime import datetime, timedelta

from console.services.types import DetailCode, SyncState, SyncStatus
from console.ui.formatting import local, now_local, short_date
from console.ui.i18n import QT_TRANSLATE_NOOP, in_source_language, translate
from console.ui.qt import (
    QColor,
    QHBoxLayout,
    QLabel,
    QLocale,
    QPainter,
    QPaintEvent,
    QSize,
    Qt,
    QTimer,
    QWidget,
)
from console.ui.theme import Colors

# While offline, "last synced 3 min ago" is re-worded this often.
REFRESH_MS = 30_000


def synced_ago(moment: datetime, now: datetime | None = None) -> str:
    """When the last sync was, in words: "just now", "5 min ago", "at 14:05",
    "yesterday at 14:05", "on 12 Nov at 14:05" (with the year when it is not this one)."""
    when = local(moment)
    current = now.astimezone() if now is not None else now_local()
    age = current - when
    if age < timedelta(minutes=1):
        return translate("SyncStatusWidget", "just now")
    if age < timedelta(hours=1):
        minutes = int(age.total_seconds() // 60)
        return translate("SyncStatusWidget", "%n min ago", None, minutes)
    clock = when.strftime("%H:%M")
    if when.date() == current.date():
        return translate("SyncStatusWidget", "at {clock}").format(clock=clock)
    if when.date() == current.date() - timedelta(days=1):
        return translate("SyncStatusWidget", "yesterday at {clock}").format(clock=clock)
    day = short_date(when.date(), with_year=when.year != current.year)
    return translate("SyncStatusWidget", "on {day} at {clock}").format(day=day, clock=clock)


def describe(status: SyncStatus, now: datetime | None = None) -> str:
    """ "Online - synced 14:05:12" / "Connecting..." /
    "Offline - showing cached data (last synced 5 min ago)"."""
    if status.state == SyncState.ONLINE:
        if status.last_sync_at is not None:
            text = translate("SyncStatusWidget", "Online - synced {time}").format(
                time=local(status.last_sync_at).strftime("%H:%M:%S")
            )
        else:
            text = translate("SyncStatusWidget", "Online")
    elif status.state == SyncState.CONNECTING:
        text = translate("SyncStatusWidget", "Connecting...")
    else:
        text = translate("SyncStatusWidget", "Offline - showing cached data")
        if status.last_sync_at is not None:
            text += translate("SyncStatusWidget", " (last synced {ago})").format(
                ago=synced_ago(status.last_sync_at, now)
            )
    if status.pending_outbox:
        # Every kind of write counts (a read mark too), so not "messages".
        text += translate(
            "SyncStatusWidget", " - %n change(s) waiting to send", None, status.pending_outbox
        )
    return text


# What the sync engine tells beyond its state (a DetailCode and values: console/sync/
# status_detail.py), for the tooltip. {seconds} is a poll interval (it may be 0.5), %n a whole
# number of seconds; {status} an HTTP status, {code} the server's problem code (as it is).
_DETAILS = {
    DetailCode.NONE: "",
    DetailCode.NOT_SIGNED_IN: QT_TRANSLATE_NOOP("SyncStatusWidget", "Not signed in"),
    DetailCode.SIGNED_OUT: QT_TRANSLATE_NOOP("SyncStatusWidget", "Signed out: log in again"),
    DetailCode.CONNECTING: QT_TRANSLATE_NOOP("SyncStatusWidget", "Connecting..."),
    DetailCode.INTERNAL_ERROR: QT_TRANSLATE_NOOP(
        "SyncStatusWidget", "Sync stopped by an internal error (see the log)"
    ),
    DetailCode.RESTARTING: QT_TRANSLATE_NOOP(
        "SyncStatusWidget", "Sync stopped - restarting in %n second(s)"
    ),
    DetailCode.LIVE: QT_TRANSLATE_NOOP("SyncStatusWidget", "Live updates on"),
    DetailCode.LIVE_CONNECTING: QT_TRANSLATE_NOOP(
        "SyncStatusWidget", "Connecting live updates..."
    ),
    DetailCode.POLLING: QT_TRANSLATE_NOOP(
        "SyncStatusWidget", "Checking for changes every {seconds} s"
    ),
    DetailCode.LIVE_RECONNECTING: QT_TRANSLATE_NOOP(
        "SyncStatusWidget", "Live updates reconnecting - checking for changes every {seconds} s"
    ),
    DetailCode.LIVE_CURSOR_REFUSED: QT_TRANSLATE_NOOP(
        "SyncStatusWidget",
        "Live updates refuse this cache's cursor - checking for changes every {seconds} s",
    ),
    DetailCode.LIVE_UNAVAILABLE: QT_TRANSLATE_NOOP(
        "SyncStatusWidget",
        "Live updates unavailable on this server - checking for changes every {seconds} s",
    ),
    DetailCode.LIVE_NOT_GETTING_THROUGH: QT_TRANSLATE_NOOP(
        "SyncStatusWidget",
        "Live updates are not getting through - checking for changes every {seconds} s",
    ),
    DetailCode.RETRY_UNREACHABLE: QT_TRANSLATE_NOOP(
        "SyncStatusWidget", "Backend unreachable - retrying in %n second(s)"
    ),
    DetailCode.RETRY_BUSY: QT_TRANSLATE_NOOP(
        "SyncStatusWidget", "Server busy - retrying in %n second(s)"
    ),
    DetailCode.RETRY_SERVER_ERROR: QT_TRANSLATE_NOOP(
        "SyncStatusWidget", "Server error ({status}) - retrying in %n second(s)"
    ),
    DetailCode.RETRY_REFUSED: QT_TRANSLATE_NOOP(
        "SyncStatusWidget", "Sync refused ({code}) - retrying in %n second(s)"
    ),
    DetailCode.RETRY_ERROR: QT_TRANSLATE_NOOP(
        "SyncStatusWidget", "Sync error - retrying in %n second(s)"
    ),
}


def _number(value: str | int | float) -> str:
    """0.5 as "0.5" in English, "0,5" where the user's language writes it so."""
    if isinstance(value, str) or in_source_language():
        return f"{value:g}" if isinstance(value, float) else str(value)
    return QLocale().toString(float(value), "g", 6)


def detail_text(status: SyncStatus) -> str:
    """The status's detail in words, for the tooltip ("" when there is nothing to add)."""
    detail = status.detail
    source = _DETAILS.get(detail.code)
    if source is None:  # a code with no wording here yet
        return translate("SyncStatusWidget", "Sync status: no details")
    if not source:
        return ""
    values = dict(detail.values)
    if "%n" in source:
        seconds = values.get("seconds", 0)
        count = round(seconds) if isinstance(seconds, int | float) else 0
        text = translate("SyncStatusWidget", source, None, count)
    else:
        text = translate("SyncStatusWidget", source)
    return text.format(
        seconds=_number(values.get("seconds", "")),
        status=values.get("status", ""),
        code=values.get("code", ""),
    )


def _dot_color(state: SyncState) -> QColor:
    """Read when set: the theme may have changed since start."""
    if state is SyncState.ONLINE:
        return Colors.success
    if state is SyncState.CONNECTING:
        return Colors.warning
    return Colors.faint


class _Dot(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.color = QColor(Colors.faint)
        self.setFixedSize(QSize(10, 10))

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self.color)
        painter.drawEllipse(1, 1, 8, 8)
        painter.end()


class SyncStatusWidget(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("syncStatus")
        self.setAccessibleName(translate("SyncStatusWidget", "Sync status"))
        self.dot = _Dot(self)
        self.label = QLabel(self)
        self.label.setObjectName("syncStatusText")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 0, 6, 0)
        layout.setSpacing(7)
        layout.addWidget(self.dot, 0, Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(self.label, 0, Qt.AlignmentFlag.AlignVCenter)
        self._status: SyncStatus | None = None
        # Keeps a relative "last synced ..." true while nothing else changes.
        self._refresh = QTimer(self)
        self._refresh.setInterval(REFRESH_MS)
        self._refresh.timeout.connect(self.refresh)
        self.show_text(translate("SyncStatusWidget", "Connecting..."), SyncState.CONNECTING)

    @property
    def status(self) -> SyncStatus | None:
        return self._status

    def text(self) -> str:
        return self.label.text()

    def set_status(self, status: SyncStatus) -> None:
        self._status = status
        self.refresh()
        relative = status.state == SyncState.OFFLINE and status.last_sync_at is not None
        if relative and not self._refresh.isActive():
            self._refresh.start()
        elif not relative:
            self._refresh.stop()

    def refresh(self, now: datetime | None = None) -> None:
        """Re-word the current status (relative times move on)."""
        if self._status is not None:
            status = self._status
            self._show(describe(status, now), status.state, detail_text(status))

    def show_text(self, text: str, state: SyncState, detail: str = "") -> None:
        """Show something before a workspace exists (e.g. "Starting the demo backend...")."""
        self._refresh.stop()
        self._show(text, state, detail)

    def _show(self, text: str, state: SyncState, detail: str = "") -> None:
        self.label.setText(text)
        self.dot.color = QColor(_dot_color(state))
        self.dot.update()
        self.setToolTip(detail or text)
        self.setAccessibleDescription(text)
