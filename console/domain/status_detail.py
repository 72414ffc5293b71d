"""What the sync status says beyond its state, as a code and values rather than words: the
engine runs without Qt (and in another process), so the UI words it in the user's language
(console/ui/sync_status.py `detail_text`). Crosses the process boundary as JSON
(console/sync/child_wire.py). It lives in domain, not sync, because the sync engine, the
services and the ui all share it and the window imports it before its first paint, when
nothing of the sync stack may load yet (tests/e2e/test_startup_imports.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeAlias

DetailValue: TypeAlias = str | int | float


class DetailCode(StrEnum):
    NONE = "none"  # nothing to add to the state
    NOT_SIGNED_IN = "not_signed_in"
    SIGNED_OUT = "signed_out"  # the server no longer accepts the sign-in
    CONNECTING = "connecting"
    INTERNAL_ERROR = "internal_error"  # the engine stopped on a bug (see the log)
    RESTARTING = "restarting"  # the sync process stopped (values: seconds until restarted)
    # Online: how changes arrive (values: seconds, the poll interval, where polling)
    LIVE = "live"
    LIVE_CONNECTING = "live_connecting"
    POLLING = "polling"  # realtime is off
    LIVE_RECONNECTING = "live_reconnecting"
    LIVE_CURSOR_REFUSED = "live_cursor_refused"  # polling: the stream refuses the cursor
    LIVE_UNAVAILABLE = "live_unavailable"  # polling: the server has no live updates
    LIVE_NOT_GETTING_THROUGH = "live_not_getting_through"  # polling: e.g. a buffering proxy
    # Offline, retrying (values: seconds until the retry; status, the HTTP status; code,
    # the server's problem code)
    RETRY_UNREACHABLE = "retry_unreachable"
    RETRY_BUSY = "retry_busy"
    RETRY_SERVER_ERROR = "retry_server_error"
    RETRY_REFUSED = "retry_refused"
    RETRY_ERROR = "retry_error"


@dataclass(frozen=True, slots=True)
class StatusDetail:
    code: DetailCode = DetailCode.NONE
    values: tuple[tuple[str, DetailValue], ...] = ()

    @classmethod
    def of(cls, code: DetailCode, /, **values: DetailValue) -> StatusDetail:
        return cls(code, tuple(sorted(values.items())))

    def value(self, name: str, default: DetailValue = "") -> DetailValue:
        return dict(self.values).get(name, default)

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code.value, "values": dict(self.values)}

    @classmethod
    def from_json(cls, data: Any) -> StatusDetail:
        """What to_json gave (a dict, or its asdict() form); an unknown code reads as NONE."""
        if not isinstance(data, dict):
            return cls()
        try:
            code = DetailCode(str(data.get("code")))
        except ValueError:
            code = DetailCode.NONE
        raw = data.get("values") or {}
        pairs = raw.items() if isinstance(raw, dict) else raw
        values = {
            str(name): value
            for name, value in pairs
            if isinstance(value, str | int | float) and not isinstance(value, bool)
        }
        return cls.of(code, **values)


NO_DETAIL = StatusDetail()
