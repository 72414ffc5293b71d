"""An admin's compliance settings: each business number's opt-out hint (added to the first text
of each conversation) and the states' own quiet hours windows (stricter than 08:00-21:00).

Read from the cache with what is still on its way laid over it; written through the outbox
(the server checks admin rights and the values again).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import time

from sqlalchemy import select

from console.domain.errors import DomainError, ErrorCode
from console.domain.opt_out_hint import normalize_hint
from console.domain.phones import format_display
from console.domain.quiet_hours import STATE_CODES, Window
from console.services.compliance_rows import NumberHint, StateWindow
from console.services.quiet_hours import QuietHoursService
from console.services.session import Session
from console.store import outbox as ob
from console.store.cache import Cache
from console.store.changes import Changes
from console.store.coltypes import utcnow
from console.store.models import numbers


class ComplianceService:
    def __init__(
        self, cache: Cache, session: Session, quiet_hours: QuietHoursService, *,
        publish: Callable[[Changes], None], wake_sync: Callable[[], None],
    ) -> None:
        self._cache = cache
        self._session = session
        self._quiet_hours = quiet_hours
        self._publish = publish
        self._wake_sync = wake_sync

    @property
    def is_admin(self) -> bool:
        return self._session.user.role == "admin"

    # -- reads ----------------------------------------------------------------------------

    def number_hints(self) -> list[NumberHint]:
        with self._cache.read() as conn:
            rows = conn.execute(
                select(numbers.c.id, numbers.c.label, numbers.c.e164, numbers.c.opt_out_hint)
                .order_by(numbers.c.label, numbers.c.e164)
            ).all()
            pending = {
                str(item.payload.get("number_id")): item.payload.get("patch", {})
                for item in ob.open_of_kind(conn, ob.OutboxKind.NUMBER_EDIT)
            }
        found = []
        for row in rows:
            patch = pending.get(row.id)
            hint = patch.get("opt_out_hint") if isinstance(patch, dict) else None
            found.append(NumberHint(
                row.id, row.label, format_display(row.e164),
                hint if isinstance(hint, str) else (row.opt_out_hint or ""),
                saving=isinstance(hint, str),
            ))
        return found

    def state_windows(self) -> list[StateWindow]:
        rules = self._quiet_hours.rules()
        windows = {state: StateWindow(state, window) for state, window in rules.states.items()}
        with self._cache.read() as conn:
            items = ob.open_of_kind(conn, *ob.QUIET_HOURS_KINDS)
        for item in items:  # composition order: the last one says
            state = str(item.payload.get("state"))
            if item.kind == ob.OutboxKind.QUIET_HOURS_CLEAR:
                windows.pop(state, None)
                continue
            try:
                window = Window(time.fromisoformat(str(item.payload.get("start"))),
                                time.fromisoformat(str(item.payload.get("end"))))
            except ValueError:
                continue
            windows[state] = StateWindow(state, window, saving=True)
        return sorted(windows.values(), key=lambda w: w.state)

    # -- writes ---------------------------------------------------------------------------

    def set_hint(self, number_id: str, text: str) -> str:
        """The number's opt-out hint ("" turns it off); returns it as kept."""
        self._require_admin()
        hint = normalize_hint(text)
        self._queue(ob.OutboxKind.NUMBER_EDIT,
                    {"number_id": number_id, "patch": {"opt_out_hint": hint}},
                    Changes(numbers={number_id}, outbox=True))
        return hint

    def set_state_window(self, state: str, start: time, end: time) -> None:
        self._require_admin()
        code = state.strip().upper()
        if code not in STATE_CODES:
            raise DomainError(ErrorCode.VALIDATION_ERROR, f"{state!r} is not a US state or "
                              "Canadian province code", hint="unknown_state")
        if start >= end:
            raise DomainError(ErrorCode.VALIDATION_ERROR, "the window must end after it starts",
                              hint="empty_window")
        self._queue(ob.OutboxKind.QUIET_HOURS_SET,
                    {"state": code, "start": start.strftime("%H:%M"),
                     "end": end.strftime("%H:%M")},
                    Changes(quiet_hours=True, outbox=True))

    def clear_state_window(self, state: str) -> None:
        self._require_admin()
        self._queue(ob.OutboxKind.QUIET_HOURS_CLEAR, {"state": state.strip().upper()},
                    Changes(quiet_hours=True, outbox=True))

    def _require_admin(self) -> None:
        if not self.is_admin:
            raise DomainError(ErrorCode.FORBIDDEN, "only admins change compliance settings")

    def _queue(self, kind: ob.OutboxKind, payload: dict[str, object], changes: Changes) -> None:
        with self._cache.write() as conn:
            ob.enqueue(conn, kind, now=utcnow(), payload=payload)
        self._publish(changes)
        self._wake_sync()
