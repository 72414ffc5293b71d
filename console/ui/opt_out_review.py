"""Suspected opt-outs on screen (issue 14): the banner over a flagged conversation
(`optOutBanner`, with `optOutConfirmButton` and `optOutDismissButton`) and the sidebar's counter
(`optOutReviewButton`, hidden at 0) whose menu (`optOutReviewList`) lists every open flag,
oldest first, and opens the chosen conversation.

Since April 2025 any reasonable opt-out wording must be honoured, so a flag nobody answers is
someone being texted who may have asked not to be: its age shows as a tone (FlagAge: under a
day info, one to three days warning, older danger), on the banner and in the menu.

Only light imports here (the window builds the sidebar before its first paint): the services'
value types, Qt, and the ui's own helpers. The counter reads the cache on a worker (TaskRunner);
the banner's buttons hand the write to the service's own writer thread (`*_soon`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime

from console.services.types import ConversationRow, FlagAge, OptOutAction, OptOutFlag
from console.ui.gui_thread import assert_gui_thread
from console.ui.i18n import translate
from console.ui.qt import (
    QAction,
    QFrame,
    QHBoxLayout,
    QHideEvent,
    QLabel,
    QMenu,
    QPushButton,
    QShowEvent,
    QSize,
    Qt,
    QTimer,
    QToolButton,
    QVBoxLayout,
    QWidget,
    Signal,
)
from console.ui.tasks import TaskRunner
from console.ui.theme import icon, set_themed_style

log = logging.getLogger("console.ui.opt_out_review")

SNIPPET_CHARS = 60
# How often a shown banner re-words its age ("5 minutes ago") and re-tones: the words move by
# the minute at the finest.
AGE_TICK_MS = 60_000
# Change sets within this long make one read of the open flags.
REFRESH_DELAY_MS = 500

# The palette roles of each tone: (background, border, strong text).
_TONES: dict[FlagAge, tuple[str, str, str]] = {
    FlagAge.FRESH: ("$accent_soft", "$info_border", "$accent"),
    FlagAge.AGING: ("$warning_soft", "$warning_border", "$warning_text"),
    FlagAge.OVERDUE: ("$danger_soft", "$danger_border", "$danger_text"),
}


def tone_of(age: FlagAge) -> str:
    """The tone name a flag of this age shows in: info, warning or danger."""
    return {FlagAge.FRESH: "info", FlagAge.AGING: "warning", FlagAge.OVERDUE: "danger"}[age]


def banner_style(age: FlagAge) -> str:
    """The banner's stylesheet for `age` (with `$role` placeholders: see palette.py)."""
    soft, border, strong = _TONES[age]
    return f"""
#optOutBanner {{ background: {soft}; border: none; border-bottom: 1px solid {border}; }}
#optOutBannerText {{ color: $text; }}
#optOutBannerAge {{ color: {strong}; font-weight: 600; }}
#optOutConfirmButton {{
    background: {strong}; color: $accent_text; border: 1px solid {strong}; border-radius: 8px;
    padding: 6px 12px; font-weight: 600;
}}
#optOutDismissButton {{
    background: $surface; color: $text; border: 1px solid {border}; border-radius: 8px;
    padding: 6px 12px;
}}
#optOutConfirmButton:disabled, #optOutDismissButton:disabled {{
    background: $hover; color: $faint; border-color: $control_border;
}}
"""


def age_text(at: datetime, now: datetime) -> str:
    """How long ago the flag was raised: "just now", "5 minutes ago", "2 days ago"."""
    seconds = max(0, int((now - at).total_seconds()))
    if seconds < 60:
        return translate("OptOutReview", "just now")
    if seconds < 3600:
        return translate("OptOutReview", "%n minute(s) ago", None, seconds // 60)
    if seconds < 86400:
        return translate("OptOutReview", "%n hour(s) ago", None, seconds // 3600)
    return translate("OptOutReview", "%n day(s) ago", None, seconds // 86400)


def snippet(flag: OptOutFlag, limit: int = SNIPPET_CHARS) -> str:
    """The flagged message on one line, cut to `limit`; "" when it is not in the cache."""
    flat = " ".join((flag.body or "").split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "\u2026"


def banner_text(flag: OptOutFlag) -> str:
    """What the banner says about the message (plain text: a QLabel in PlainText shows it)."""
    if flag.body is None:
        return translate(
            "OptOutBanner",
            "A message here reads like a request to stop texting (the message is not on "
            "this computer yet). Confirm it to turn on Do Not Disturb, or dismiss it.",
        )
    return translate(
        "OptOutBanner", "This reads like a request to stop texting: \u201c{body}\u201d"
    ).format(body=flag.body.strip())


def age_line(flag: OptOutFlag, now: datetime) -> str:
    """"Flagged 2 days ago, waiting for an answer", or what is on its way."""
    if flag.pending is OptOutAction.CONFIRM:
        return translate(
            "OptOutBanner", "Confirming: Do Not Disturb goes on once the server has it"
        )
    if flag.pending is OptOutAction.DISMISS:
        return translate("OptOutBanner", "Dismissing: waiting for the server")
    return translate("OptOutBanner", "Flagged {age}, waiting for an answer").format(
        age=age_text(flag.at, now)
    )


def menu_entry(flag: OptOutFlag, now: datetime) -> str:
    """One line of the review list: who, what they wrote, how long ago."""
    said = snippet(flag)
    if said:
        return translate("OptOutReview", "{who}: \u201c{text}\u201d ({age})").format(
            who=flag.title, text=said, age=age_text(flag.at, now)
        )
    return translate("OptOutReview", "{who} ({age})").format(
        who=flag.title, age=age_text(flag.at, now)
    )


def _now() -> datetime:
    return datetime.now(UTC)


class OptOutBanner(QFrame):
    """objectName `optOutBanner`: the open conversation's suspected opt-out, its age as a tone,
    and the agent's two answers (emitted with the conversation id)."""

    confirmRequested = Signal(str)
    dismissRequested = Signal(str)

    def __init__(self, parent: QWidget | None = None, *, clock: Callable[[], datetime] = _now):
        super().__init__(parent)
        self.setObjectName("optOutBanner")
        self._clock = clock
        self._flag: OptOutFlag | None = None
        self._age: FlagAge | None = None
        self.icon = QLabel(self)
        self.icon.setPixmap(icon("warning").pixmap(QSize(18, 18)))
        self.icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.text = QLabel(self)
        self.text.setObjectName("optOutBannerText")
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.age = QLabel(self)
        self.age.setObjectName("optOutBannerAge")
        self.confirm_button = QPushButton(translate("OptOutBanner", "Confirm opt-out"), self)
        self.confirm_button.setObjectName("optOutConfirmButton")
        self.confirm_button.setAccessibleName(translate("OptOutBanner", "Confirm opt-out"))
        self.confirm_button.setToolTip(translate(
            "OptOutBanner",
            "It is an opt-out: turns on Do Not Disturb for this person (recorded as yours), "
            "sends them one confirmation text, and blocks their group chats.",
        ))
        self.dismiss_button = QPushButton(translate("OptOutBanner", "Not an opt-out"), self)
        self.dismiss_button.setObjectName("optOutDismissButton")
        self.dismiss_button.setAccessibleName(translate("OptOutBanner", "Not an opt-out"))
        self.dismiss_button.setToolTip(translate(
            "OptOutBanner",
            "It is not a request to stop texting: closes the flag (recorded as yours); "
            "Do Not Disturb stays as it is.",
        ))
        for button in (self.confirm_button, self.dismiss_button):
            button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.confirm_button.clicked.connect(lambda: self._answer(confirm=True))
        self.dismiss_button.clicked.connect(lambda: self._answer(confirm=False))
        buttons = QHBoxLayout()
        buttons.setSpacing(8)
        buttons.addWidget(self.confirm_button)
        buttons.addWidget(self.dismiss_button)
        buttons.addStretch(1)
        column = QVBoxLayout()
        column.setSpacing(6)
        column.addWidget(self.text)
        column.addWidget(self.age)
        column.addLayout(buttons)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(20, 10, 20, 10)
        layout.setSpacing(10)
        layout.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(column, 1)
        self._set_tone(FlagAge.FRESH)
        self._ticker = QTimer(self)
        self._ticker.setInterval(AGE_TICK_MS)
        self._ticker.timeout.connect(self._tick)
        self.hide()

    @property
    def flag(self) -> OptOutFlag | None:
        return self._flag

    @property
    def tone(self) -> str:
        return tone_of(self._age or FlagAge.FRESH)

    def show_for(self, row: ConversationRow | None) -> None:
        """Show `row`'s open flag (hidden when it has none)."""
        flag = row.opt_out if row is not None else None
        self._flag = flag
        if flag is None:
            self.hide()
            return
        self._render(flag)

    def _tick(self) -> None:
        """Once a minute while shown: the flag ages with nothing else changing."""
        if self._flag is not None:
            self._render(self._flag)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._ticker.start()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self._ticker.stop()

    def _render(self, flag: OptOutFlag) -> None:
        now = self._clock()
        self._set_tone(flag.age(now))
        self.text.setText(banner_text(flag))
        self.age.setText(age_line(flag, now))
        pending = flag.pending is not None
        self.confirm_button.setEnabled(not pending)
        self.dismiss_button.setEnabled(not pending)
        self.setAccessibleName(translate("OptOutBanner", "Suspected opt-out"))
        self.setAccessibleDescription(self.text.text() + " " + self.age.text())
        self.show()

    def _set_tone(self, age: FlagAge) -> None:
        if age is not self._age:
            self._age = age
            self.setProperty("tone", tone_of(age))
            set_themed_style(self, banner_style(age))

    def _answer(self, *, confirm: bool) -> None:
        flag = self._flag
        if flag is None or flag.pending is not None:
            return
        if confirm:
            self.confirmRequested.emit(flag.conversation_id)
        else:
            self.dismissRequested.emit(flag.conversation_id)


class OptOutReviewButton(QToolButton):
    """objectName `optOutReviewButton`: "n to review", hidden at 0. Its menu
    (`optOutReviewList`) lists every open flag, oldest first; choosing one emits
    `openConversation(id)`. `refresh()` re-reads the list on a worker."""

    openConversation = Signal(str)

    def __init__(self, parent: QWidget | None = None, *, clock: Callable[[], datetime] = _now):
        super().__init__(parent)
        self.setObjectName("optOutReviewButton")
        self.setIcon(icon("warning"))
        self.setIconSize(QSize(16, 16))
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.setAutoRaise(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self._clock = clock
        self.menu_list = QMenu(self)
        self.menu_list.setObjectName("optOutReviewList")
        self.menu_list.setAccessibleName(translate("OptOutReview", "Suspected opt-outs"))
        self.menu_list.setToolTipsVisible(True)
        self.setMenu(self.menu_list)
        self._flags: list[OptOutFlag] = []
        self._source: Callable[[], list[OptOutFlag]] | None = None
        self._runner: TaskRunner | None = None
        self._generation = 0
        # Flags age while nothing changes: re-word them from what was read (no new read) once
        # a minute, and whenever the list opens.
        self._pending = QTimer(self)
        self._pending.setSingleShot(True)
        self._pending.setInterval(REFRESH_DELAY_MS)
        self._pending.timeout.connect(self._read)
        self._ticker = QTimer(self)
        self._ticker.setInterval(AGE_TICK_MS)
        self._ticker.timeout.connect(self._reword)
        self.menu_list.aboutToShow.connect(self._reword)
        self.show_flags([])

    def _reword(self) -> None:
        self.show_flags(self._flags)

    @property
    def flags(self) -> list[OptOutFlag]:
        return list(self._flags)

    def set_source(self, source: Callable[[], list[OptOutFlag]] | None) -> None:
        """Where the open flags come from (ConversationService.open_opt_outs; None: nowhere)."""
        self._source = source
        self._generation += 1
        self._pending.stop()
        if source is None:
            self.show_flags([])
        else:
            self._read()  # at once: a workspace was just opened

    def refresh(self) -> None:
        """Read the open flags again soon, off the GUI thread; a burst of calls (a sync sends
        a change set every few milliseconds) makes one read, and the newest read wins."""
        assert_gui_thread()
        if self._source is not None and not self._pending.isActive():
            self._pending.start()

    def _read(self) -> None:
        source = self._source
        if source is None:
            return
        self._generation += 1
        generation = self._generation

        def done(flags: list[OptOutFlag]) -> None:
            # Re-laying out the button and its menu for the same list is GUI time a sync
            # cannot spare (tests/bench/bench_gui_stall.py): only a changed list is shown.
            if generation == self._generation and flags != self._flags:
                self.show_flags(flags)

        if self._runner is None:
            self._runner = TaskRunner(self, max_workers=1)
        self._runner.submit(
            source, on_success=done,
            on_failure=lambda error: log.warning("could not read the open opt-outs: %s", error),
        )

    def stop(self) -> None:
        """End the worker (the window closes)."""
        assert_gui_thread()
        self._source = None
        self._generation += 1
        self._pending.stop()
        self._ticker.stop()
        if self._runner is not None:
            self._runner.shutdown(wait=True)
            self._runner = None

    def show_flags(self, flags: list[OptOutFlag]) -> None:
        self._flags = list(flags)
        count = len(flags)
        text = translate("OptOutReview", "%n opt-out(s) to review", None, count)
        self.setText(text)
        self.setAccessibleName(text)
        oldest = flags[0].age(self._clock()) if flags else FlagAge.FRESH
        self.setProperty("tone", tone_of(oldest))
        self.setToolTip(translate(
            "OptOutReview",
            "Messages that read like a request to stop texting, waiting for you to confirm "
            "or dismiss them; the oldest first.",
        ))
        self.menu_list.clear()
        now = self._clock()
        for flag in flags:
            action = QAction(menu_entry(flag, now), self.menu_list)
            action.setToolTip(tone_text(flag.age(now)))
            action.setIcon(icon("warning"))
            action.triggered.connect(
                lambda _checked=False, cid=flag.conversation_id: self.openConversation.emit(cid)
            )
            self.menu_list.addAction(action)
        self.setVisible(count > 0)
        if count and not self._ticker.isActive():
            self._ticker.start()
        elif not count:
            self._ticker.stop()


def tone_text(age: FlagAge) -> str:
    """What the tone means, for a tooltip (colour alone says nothing to a screen reader)."""
    if age is FlagAge.FRESH:
        return translate("OptOutReview", "Flagged less than a day ago")
    if age is FlagAge.AGING:
        return translate("OptOutReview", "Waiting for an answer for over a day")
    return translate("OptOutReview", "Waiting for an answer for over three days")
