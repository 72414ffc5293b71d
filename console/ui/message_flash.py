"""A brief highlight behind one message, so the eye finds it after a jump (History's "open").

    flash = MessageFlash(view, model)   # the message delegate owns one
    flash.expect(message_key)           # it is on its way (a window read around it)
    flash.start(message_key)            # fades in, holds, fades out over DURATION_MS
    flash.strength(row_key)             # 0.0 .. 1.0, what the delegate paints with

The animation only repaints that one row's rectangle; rows are found by key, so a page of
older messages prepended meanwhile does not move the highlight to another message.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from console.ui.qt import QListView, QObject, QVariantAnimation, Signal

if TYPE_CHECKING:
    from console.ui.message_model import MessageListModel

DURATION_MS = 1500  # long enough to be seen after the scroll, short enough not to linger
# (progress, strength): quick in, a hold, a slow fade.
_CURVE = ((0.0, 0.0), (0.12, 1.0), (0.55, 1.0), (1.0, 0.0))


class MessageFlash(QObject):
    finished = Signal(str)  # the key whose flash ended

    def __init__(self, view: QListView, model: MessageListModel) -> None:
        super().__init__(view)
        self._view = view
        self._model = model
        self._key = ""
        self._strength = 0.0
        self.peak = 0.0  # the highest strength of the last flash (tests look)
        self._animation = QVariantAnimation(self)
        self._animation.setDuration(DURATION_MS)
        self._animation.setStartValue(0.0)
        self._animation.setEndValue(0.0)
        for at, value in _CURVE[1:-1]:
            self._animation.setKeyValueAt(at, value)
        self._animation.valueChanged.connect(self._step)
        self._animation.finished.connect(self._done)

    @property
    def key(self) -> str:
        """The message flashing now, or about to ("" when none)."""
        return self._key

    def active(self) -> bool:
        return bool(self._key)

    def start(self, key: str) -> None:
        self._animation.stop()
        self._repaint()  # the previous one, if any, loses its highlight
        self._key = key
        self._strength = 0.0
        self.peak = 0.0
        self._animation.start()

    def expect(self, key: str) -> None:
        """`key` is the next to flash, once the rows around it are read (`start` then; `stop`
        if they never come): any other flash stops now."""
        self._animation.stop()
        self._repaint()
        self._key = key
        self._strength = 0.0
        self.peak = 0.0

    def stop(self) -> None:
        if self._key:
            self._animation.stop()
            self._done()

    def strength(self, key: str) -> float:
        return self._strength if key and key == self._key else 0.0

    def _step(self, value: object) -> None:
        self._strength = float(value) if isinstance(value, (int, float)) else 0.0
        self.peak = max(self.peak, self._strength)
        self._repaint()

    def _done(self) -> None:
        key = self._key
        self._strength = 0.0
        self._repaint()
        self._key = ""
        if key:
            self.finished.emit(key)

    def _repaint(self) -> None:
        row = self._model.row_of(self._key) if self._key else -1
        if row >= 0:
            self._view.viewport().update(self._view.visualRect(self._model.index(row, 0)))
