"""The quiet hours warning (`quietHoursWarning`): before a send that would reach someone
outside quiet hours where they are, who and their local time, with Schedule for the next time
inside everyone's hours, Send anyway (recorded on the message), or Cancel (the default).
Opened with open(), never exec()."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from console.domain.quiet_hours import OutsideHours
from console.ui.i18n import translate
from console.ui.qt import QMessageBox, QWidget
from console.ui.schedule_times import when_text, zone_name


def late_line(late: OutsideHours, now: datetime) -> str:
    """ "Maria Gonzalez: Today 06:12 PST (outside 08:00–21:00)" """
    return translate("QuietHoursWarning", "{name}: {when} {zone} (outside {start}–{end})").format(
        name=late.name, when=when_text(late.local, now), zone=zone_name(late.local),
        start=late.window.start.strftime("%H:%M"), end=late.window.end.strftime("%H:%M"),
    )


class QuietHoursWarning(QMessageBox):
    def __init__(
        self,
        late: Sequence[OutsideHours],
        *,
        now: datetime,
        next_time: datetime | None,
        schedule: Callable[[datetime], None],
        send_anyway: Callable[[], object],
        more: int = 0,
        parent: QWidget | None = None,
    ) -> None:
        """`late`: the people to name; `more`: how many others are outside too (a group)."""
        super().__init__(parent)
        self.setObjectName("quietHoursWarning")
        self.setIcon(QMessageBox.Icon.Warning)
        title = translate("QuietHoursWarning", "Outside quiet hours")
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setText(translate(
            "QuietHoursWarning",
            "It is outside quiet hours for %n recipient(s) where they are:", None,
            len(late) + more,
        ))
        lines = [late_line(one, now) for one in late]
        if more:
            lines.append(translate("QuietHoursWarning", "…and %n more.", None, more))
        self.setInformativeText("\n".join(lines))
        self.schedule_button = None
        if next_time is not None:
            self.schedule_button = self.addButton(
                translate("QuietHoursWarning", "Schedule for {when}").format(
                    when=when_text(next_time.astimezone(now.tzinfo), now)),
                QMessageBox.ButtonRole.AcceptRole,
            )
            self.schedule_button.setObjectName("quietHoursScheduleButton")
            self.schedule_button.setAccessibleDescription(translate(
                "QuietHoursWarning", "Keeps the message and sends it at the first time inside "
                "everyone's hours."))
        self.send_anyway_button = self.addButton(
            translate("QuietHoursWarning", "Send anyway"), QMessageBox.ButtonRole.DestructiveRole
        )
        self.send_anyway_button.setObjectName("quietHoursSendAnywayButton")
        self.send_anyway_button.setAccessibleDescription(translate(
            "QuietHoursWarning", "Sends it now; the message records that you were warned."))
        cancel = self.addButton(QMessageBox.StandardButton.Cancel)
        cancel.setAccessibleDescription(translate(
            "QuietHoursWarning", "Nothing is sent now; your text stays as it is."))
        self.setDefaultButton(cancel)
        # The box sizes its buttons before the stylesheet's padding: give each its text's room.
        for button in self.buttons():
            room = button.fontMetrics().horizontalAdvance(button.text()) + 48
            button.setMinimumWidth(max(button.minimumWidth(), room))
        self._next_time = next_time
        self._schedule = schedule
        self._send_anyway = send_anyway
        self.buttonClicked.connect(self._answered)

    def _answered(self, button: object) -> None:
        if button is self.send_anyway_button:
            self._send_anyway()
        elif button is self.schedule_button and self._next_time is not None:
            self._schedule(self._next_time)
