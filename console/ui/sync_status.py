"""Status bar sync indicator (objectName `syncStatus`): a coloured dot and a short sentence."""

from __future__ import annotations

from console.services.types import SyncState, SyncStatus
from console.ui.formatting import local
from console.ui.qt import QColor, QHBoxLayout, QLabel, QPainter, QPaintEvent, QSize, Qt, QWidget
from console.ui.theme import Colors


def describe(status: SyncStatus) -> str:
    """ "Online - synced 14:05:12" / "Connecting..." / "Offline - showing cached data"."""
    if status.state == SyncState.ONLINE:
        if status.last_sync_at is not None:
            text = f"Online - synced {local(status.last_sync_at).strftime('%H:%M:%S')}"
        else:
            text = "Online"
    elif status.state == SyncState.CONNECTING:
        text = "Connecting..."
    else:
        text = "Offline - showing cached data"
    if status.pending_outbox:
        noun = "message" if status.pending_outbox == 1 else "messages"
        text += f" - {status.pending_outbox} {noun} waiting to send"
    return text


_DOT_COLORS = {
    SyncState.ONLINE: Colors.success,
    SyncState.CONNECTING: Colors.warning,
    SyncState.OFFLINE: Colors.faint,
}


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
        self.setAccessibleName("Sync status")
        self.dot = _Dot(self)
        self.label = QLabel(self)
        self.label.setObjectName("syncStatusText")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 0, 6, 0)
        layout.setSpacing(7)
        layout.addWidget(self.dot, 0, Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(self.label, 0, Qt.AlignmentFlag.AlignVCenter)
        self._status: SyncStatus | None = None
        self.show_text("Connecting...", SyncState.CONNECTING)

    @property
    def status(self) -> SyncStatus | None:
        return self._status

    def text(self) -> str:
        return self.label.text()

    def set_status(self, status: SyncStatus) -> None:
        self._status = status
        self.show_text(describe(status), status.state, status.detail)

    def show_text(self, text: str, state: SyncState, detail: str = "") -> None:
        """Show something before a workspace exists (e.g. "Starting the demo backend...")."""
        self.label.setText(text)
        self.dot.color = QColor(_DOT_COLORS.get(state, Colors.faint))
        self.dot.update()
        self.setToolTip(detail or text)
        self.setAccessibleDescription(text)
