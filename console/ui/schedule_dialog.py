"""The schedule dialog (`scheduleDialog`): when to send a message, in the agent's time zone,
with each recipient's local time at that moment; or, editing one, its new text and time.

Opened with open(), never exec(). It never touches the cache: `save(text, moment)` is the
owner's (a ScheduledService call, off the GUI thread); a DomainError it reports
(`show_error`) keeps the dialog open with what the user chose.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta, tzinfo

from console.domain.errors import DomainError
from console.domain.quiet_hours import OutsideHours, QuietHoursRules, next_allowed, outside_hours
from console.domain.scheduled import ScheduleProblem
from console.domain.sms import MAX_BODY_CHARS
from console.ui.error_texts import error_text
from console.ui.i18n import translate
from console.ui.qt import (
    QDate,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    Qt,
    QTime,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)
from console.ui.schedule_times import (
    Recipient,
    default_time,
    local_zone,
    quick_picks,
    recipient_time_text,
    when_text,
    zone_name,
)
from console.ui.theme import set_themed_style

Save = Callable[[str, datetime], None]  # (text, aware moment): the owner's
MAX_AHEAD = timedelta(days=366)  # as the server allows
MAX_SHOWN_RECIPIENTS = 9  # a group chat's most

STYLE = """
#scheduleDialog { background: $surface; }
#scheduleDialog #dialogHeading { font-size: 12pt; font-weight: 600; color: $text; }
#scheduleDialog #fieldLabel { color: $text_secondary; font-weight: 600; }
#scheduleDialog #fieldHint { color: $muted; font-size: 8.5pt; }
#schedulePreview { color: $text_secondary; background: $surface_alt; border-radius: 6px;
                   padding: 8px 10px; }
#scheduleRecipientName { color: $text; }
#scheduleRecipientTime { color: $text_secondary; }
#scheduleRecipientTime[quiet="true"] { color: $warning_text; font-weight: 600; }
#scheduleQuietNote { color: $warning_text; background: $warning_soft;
                     border: 1px solid $warning_border; border-radius: 6px; padding: 6px 8px; }
#scheduleError { color: $danger_text; font-size: 8.5pt; }
#scheduleBodyEdit { border: 1px solid $control_border; border-radius: 6px; }
"""


class ScheduleDialog(QDialog):
    def __init__(
        self,
        save: Save,
        recipients: Sequence[Recipient],
        parent: QWidget | None = None,
        *,
        text: str,
        at: datetime | None = None,
        editing: bool = False,
        now: Callable[[], datetime] | None = None,
        note: str = "",
        rules: QuietHoursRules | None = None,
        zone: tzinfo | None = None,
    ) -> None:
        super().__init__(parent)
        self._save = save
        # The agent's zone with its rules: a day across a daylight-saving change gets its
        # own offset (a fixed offset from today would send an hour off then).
        self._zone = zone or local_zone()
        self._now = now or (lambda: datetime.now(self._zone))
        self._editing = editing
        # Editing: the time as it is, to the second, unless the date or time is changed
        # (the fields show whole minutes).
        self._initial = at
        self._rules = rules or QuietHoursRules()
        current = self._now().astimezone(self._zone)
        start = at.astimezone(self._zone) if at is not None else default_time(current)
        title = (translate("ScheduleDialog", "Edit scheduled message") if editing
                 else translate("ScheduleDialog", "Schedule message"))
        self.setObjectName("scheduleDialog")
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        set_themed_style(self, STYLE)

        heading = QLabel(title, self)
        heading.setObjectName("dialogHeading")
        self.preview = QLabel(text, self)
        self.preview.setObjectName("schedulePreview")
        self.preview.setWordWrap(True)
        self.preview.setMaximumWidth(460)
        self.preview.setAccessibleName(translate("ScheduleDialog", "The message"))
        self.body_edit = QPlainTextEdit(text, self)
        self.body_edit.setObjectName("scheduleBodyEdit")
        self.body_edit.setAccessibleName(translate("ScheduleDialog", "Message text"))
        self.body_edit.setAccessibleDescription(
            translate("ScheduleDialog", "What will be sent at the chosen time.")
        )
        self.body_edit.setTabChangesFocus(True)
        self.body_edit.setFixedHeight(84)
        self.preview.setVisible(not editing)
        self.body_edit.setVisible(editing)

        when_label = QLabel(translate("ScheduleDialog", "Send at"), self)
        when_label.setObjectName("fieldLabel")
        self.date_edit = QDateEdit(self)
        self.date_edit.setObjectName("scheduleDate")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("ddd d MMM yyyy")
        self.date_edit.setAccessibleName(translate("ScheduleDialog", "Date"))
        self.date_edit.setAccessibleDescription(
            translate("ScheduleDialog", "The day to send it, in your time zone.")
        )
        self.date_edit.setMinimumDate(_qdate(current))
        self.date_edit.setMaximumDate(_qdate(current + MAX_AHEAD))
        self.time_edit = QTimeEdit(self)
        self.time_edit.setObjectName("scheduleTime")
        self.time_edit.setDisplayFormat("HH:mm")
        self.time_edit.setAccessibleName(translate("ScheduleDialog", "Time"))
        self.time_edit.setAccessibleDescription(
            translate("ScheduleDialog", "The time to send it, in your time zone.")
        )
        self._set_moment(start)
        self.zone_note = QLabel(self)
        self.zone_note.setObjectName("fieldHint")

        picks = QHBoxLayout()
        picks.setSpacing(6)
        self.pick_buttons: list[QPushButton] = []
        for label, moment in quick_picks(current):
            button = QPushButton(label, self)
            button.setObjectName("scheduleQuickPick")
            button.setAccessibleDescription(
                translate("ScheduleDialog", "Sets the date and time to {when}.").format(
                    when=when_text(moment, current))
            )
            button.clicked.connect(lambda _=False, m=moment: self._set_moment(m))
            picks.addWidget(button)
            self.pick_buttons.append(button)
        picks.addStretch(1)

        their_label = QLabel(translate("ScheduleDialog", "Their local time then"), self)
        their_label.setObjectName("fieldLabel")
        self.recipient_grid = QGridLayout()
        self.recipient_grid.setHorizontalSpacing(14)
        self.recipient_grid.setVerticalSpacing(3)
        self._recipients = list(recipients)[:MAX_SHOWN_RECIPIENTS]
        self.recipient_times: list[QLabel] = []
        for row, recipient in enumerate(self._recipients):
            name = QLabel(recipient.name, self)
            name.setObjectName("scheduleRecipientName")
            time_label = QLabel(self)
            time_label.setObjectName("scheduleRecipientTime")
            self.recipient_grid.addWidget(name, row, 0)
            self.recipient_grid.addWidget(time_label, row, 1)
            self.recipient_times.append(time_label)
        their_label.setVisible(bool(self._recipients))
        # Who it reaches when there is no one to list (a group message: its members then).
        self.audience_note = QLabel(note, self)
        self.audience_note.setObjectName("fieldHint")
        self.audience_note.setWordWrap(True)
        self.audience_note.setVisible(bool(note))
        # Someone would get it outside quiet hours where they are: who, and the next time
        # that suits everyone.
        self.quiet_note = QLabel(self)
        self.quiet_note.setObjectName("scheduleQuietNote")
        self.quiet_note.setWordWrap(True)
        self.quiet_note.hide()
        self.next_allowed_button = QPushButton(self)
        self.next_allowed_button.setObjectName("scheduleNextAllowed")
        self.next_allowed_button.setAccessibleDescription(translate(
            "ScheduleDialog", "Moves the time to the first one inside everyone's hours."
        ))
        self.next_allowed_button.hide()
        self.next_allowed_button.clicked.connect(self._move_to_allowed)
        self._allowed: datetime | None = None
        self.server_note = QLabel(translate(
            "ScheduleDialog",
            "The server sends it at that time, even when this console is closed. Do Not "
            "Disturb and the other rules are checked again then.",
        ), self)
        self.server_note.setObjectName("fieldHint")
        self.server_note.setWordWrap(True)
        self.error = QLabel(self)
        self.error.setObjectName("scheduleError")
        self.error.setWordWrap(True)
        self.error.hide()

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setObjectName("scheduleConfirmButton")
        self.save_button.setText(translate("ScheduleDialog", "Save") if editing
                                 else translate("ScheduleDialog", "Schedule"))
        self.save_button.setDefault(True)
        self.save_button.setAccessibleDescription(
            translate("ScheduleDialog", "Keeps the message to be sent at the chosen time.")
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleDescription(
            translate("ScheduleDialog", "Closes this window; nothing is scheduled or changed.")
        )
        self.buttons.accepted.connect(self.try_save)
        self.buttons.rejected.connect(self.reject)

        when_row = QHBoxLayout()
        when_row.setSpacing(8)
        when_row.addWidget(self.date_edit, 1)
        when_row.addWidget(self.time_edit)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 16)
        layout.setSpacing(6)
        layout.addWidget(heading)
        layout.addSpacing(4)
        layout.addWidget(self.preview)
        layout.addWidget(self.body_edit)
        layout.addSpacing(6)
        layout.addWidget(when_label)
        layout.addLayout(when_row)
        layout.addLayout(picks)
        layout.addWidget(self.zone_note)
        layout.addSpacing(6)
        layout.addWidget(their_label)
        layout.addLayout(self.recipient_grid)
        layout.addWidget(self.audience_note)
        layout.addWidget(self.quiet_note)
        layout.addWidget(self.next_allowed_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addSpacing(6)
        layout.addWidget(self.server_note)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(480)

        self.date_edit.dateChanged.connect(self._changed)
        self.time_edit.timeChanged.connect(self._changed)
        self.body_edit.textChanged.connect(self._changed)
        self._changed()
        (self.body_edit if editing else self.time_edit).setFocus()

    # -- what was chosen ------------------------------------------------------------------

    @property
    def moment(self) -> datetime:
        """The chosen date and time in the agent's zone (aware)."""
        day, at = self.date_edit.date(), self.time_edit.time()
        chosen = datetime(day.year(), day.month(), day.day(), at.hour(), at.minute(),
                          tzinfo=self._zone)
        initial = self._initial
        if initial is not None:
            shown = initial.astimezone(self._zone).replace(second=0, microsecond=0)
            if chosen.replace(tzinfo=None) == shown.replace(tzinfo=None):
                return initial  # only the text was edited: the time stays exactly as it was
        return chosen

    @property
    def text(self) -> str:
        return self.body_edit.toPlainText() if self._editing else self.preview.text()

    def problem(self) -> str | None:
        """Why the chosen time or text cannot be scheduled (None: it can)."""
        now = self._now().astimezone(self._zone)
        if self.moment <= now:
            return translate("ScheduleDialog", "That time has passed. Choose a later one.")
        if self.moment > now + MAX_AHEAD:
            return translate("ScheduleDialog", "A message can be scheduled at most a year ahead.")
        body = self.text.strip()
        if not body:
            return translate("ScheduleDialog", "Write the message first.")
        if len(body) > MAX_BODY_CHARS:
            return translate("ScheduleDialog", "The message is over the {limit}-character limit."
                             ).format(limit=MAX_BODY_CHARS)
        return None

    # -- actions ----------------------------------------------------------------------------

    def try_save(self) -> None:
        problem = self.problem()
        if problem is not None:
            self.show_error(problem)
            return
        self.save_button.setEnabled(False)  # until the owner answers (saved or show_error)
        self._save(self.text.strip(), self.moment)

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
        self.save_button.setEnabled(True)

    def _show_quiet(self, late: list[OutsideHours], moment: datetime, now: datetime) -> None:
        if not late:
            self.quiet_note.hide()
            self.next_allowed_button.hide()
            self._allowed = None
            return
        names = ", ".join(o.name for o in late)
        self.quiet_note.setText(translate(
            "ScheduleDialog",
            "%n recipient(s) would get it outside quiet hours where they are: {names}.",
            None, len(late),
        ).format(names=names))
        self.quiet_note.show()
        phones = [r.phone for r in self._recipients if r.phone]
        self._allowed = next_allowed(phones, moment, self._rules)
        if self._allowed is None:
            self.next_allowed_button.hide()
            return
        self.next_allowed_button.setText(translate(
            "ScheduleDialog", "Move to {when}, inside everyone's hours"
        ).format(when=when_text(self._allowed.astimezone(self._zone), now)))
        self.next_allowed_button.show()

    def _move_to_allowed(self) -> None:
        if self._allowed is not None:
            self._set_moment(self._allowed)

    def _set_moment(self, moment: datetime) -> None:
        local = moment.astimezone(self._zone)
        self.date_edit.setDate(_qdate(local))
        self.time_edit.setTime(QTime(local.hour, local.minute))

    def _changed(self, *_args: object) -> None:
        moment, now = self.moment, self._now().astimezone(self._zone)
        self.zone_note.setText(translate("ScheduleDialog", "{when}, your time ({zone})").format(
            when=when_text(moment, now), zone=zone_name(moment)))
        late = outside_hours(((r.name, r.phone) for r in self._recipients), moment, self._rules)
        late_phones = {o.phone for o in late}
        for recipient, label in zip(self._recipients, self.recipient_times, strict=True):
            text = recipient_time_text(recipient, moment, now)
            quiet = recipient.phone in late_phones
            if quiet:
                window = self._rules.window_for(recipient.phone or "")
                text = translate("ScheduleDialog", "{time} · outside {start}–{end}").format(
                    time=text, start=window.start.strftime("%H:%M"),
                    end=window.end.strftime("%H:%M"))
            label.setText(text)
            label.setProperty("quiet", "true" if quiet else "false")
            label.style().unpolish(label)
            label.style().polish(label)
        self._show_quiet(late, moment, now)
        problem = self.problem()
        if problem is None:
            self.error.hide()
            self.save_button.setEnabled(True)
        else:
            self.show_error(problem)  # why Schedule is off
            self.save_button.setEnabled(False)


def _qdate(moment: datetime) -> QDate:
    return QDate(moment.year, moment.month, moment.day)


def problem_text(error: DomainError) -> str:
    """A refused schedule in words the user can act on."""
    words = {
        ScheduleProblem.PASSED: translate(
            "ScheduledSends", "That time has passed. Choose a later one."),
        ScheduleProblem.TOO_FAR: translate(
            "ScheduledSends", "A message can be scheduled at most a year ahead."),
        ScheduleProblem.NAIVE_TIME: translate(
            "ScheduledSends", "The time has no time zone. Choose it again."),
        ScheduleProblem.NOT_CREATED: translate(
            "ScheduledSends",
            "This group chat is still being created. Schedule the message once it is."),
        ScheduleProblem.GONE: translate(
            "ScheduledSends", "This scheduled message is no longer there."),
        ScheduleProblem.NOT_EDITABLE: translate(
            "ScheduledSends", "This message was sent or cancelled already; it cannot change."),
    }
    try:
        return words[ScheduleProblem(error.hint)]
    except ValueError:
        return error_text(error.code, error.detail)
