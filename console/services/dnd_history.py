"""A contact's Do Not Disturb history (who or which keyword turned it on or off, when, from
which number), asked of the server each time the contact editor opens: the audit is the
server's and is not cached.

Blocking (network): call it off the GUI thread (console/ui/tasks.py). Offline, or signed out,
it raises DndHistoryUnavailable with offline=True. Rows carry facts and codes, not sentences:
the UI words them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import select

from console.domain.phones import format_display
from console.protocol.group_chats import DndChange
from console.store.cache import Cache
from console.store.contact_writes import is_local_contact
from console.store.models import users
from console.sync.api_client import ApiClient
from console.sync.errors import ApiError, BackendUnreachable, NotFound, Unauthorized


class DndSourceKind(StrEnum):
    USER = "user"  # an agent changed it
    OPT_OUT_CONFIRMED = "opt_out_confirmed"  # an agent confirmed the person's opt-out words
    INBOUND_KEYWORD = "inbound_keyword"  # the person texted STOP, START...
    SEED = "seed"  # set when the data was imported
    OTHER = "other"  # a kind this console does not know (a newer server)


class DndHistoryProblem(StrEnum):
    OFFLINE = "offline"  # no connection, or not signed in
    SIGNED_OUT = "signed_out"  # the server no longer accepts this sign-in
    NOT_FOUND = "not_found"  # the server does not show this contact (or not yet: unsent)
    SERVER = "server"  # any other refusal


class DndHistoryUnavailable(Exception):
    """The history could not be fetched; `offline` when it is the connection's fault. `problem`
    says which (DndHistoryProblem), `code` is the server's error code if it answered."""

    def __init__(
        self, message: str, *, offline: bool, problem: DndHistoryProblem, code: str = ""
    ) -> None:
        super().__init__(message)
        self.offline = offline
        self.problem = problem
        self.code = code


@dataclass(frozen=True, slots=True)
class DndHistoryRow:
    on: bool  # Do Not Disturb after the change
    at: datetime  # aware, UTC
    source: DndSourceKind
    user_name: str = ""  # the agent, for edits and confirmed opt-outs ("" unknown / none)
    keyword: str | None = None  # the words the person sent, for keywords and opt-outs
    from_phone: str = ""  # the number those came from, formatted for display ("" none)
    from_phone_e164: str = ""


def _kind(source: str) -> DndSourceKind:
    try:
        return DndSourceKind(source)
    except ValueError:
        return DndSourceKind.OTHER


def row_of(wire: DndChange, names: dict[str, str]) -> DndHistoryRow:
    """One change as the editor lists it; `names` (user id -> name, from the cache) stands in
    when the server did not name the agent."""
    user_name = wire.user_name or (names.get(wire.user_id, "") if wire.user_id else "")
    keyword = wire.keyword.strip() if wire.keyword is not None else None
    phone = wire.from_phone or ""
    return DndHistoryRow(
        on=wire.new_dnd, at=wire.at, source=_kind(wire.source), user_name=user_name,
        keyword=keyword or None, from_phone=format_display(phone) if phone else "",
        from_phone_e164=phone,
    )


class DndHistoryService:
    def __init__(self, client: ApiClient, cache: Cache) -> None:
        self._client = client
        self._cache = cache

    def history(self, contact_id: str) -> list[DndHistoryRow]:
        """Every DND change of the contact, newest first. Blocking; DndHistoryUnavailable says
        why not."""
        if is_local_contact(contact_id):
            raise DndHistoryUnavailable(
                "The contact is not on the server yet.", offline=False,
                problem=DndHistoryProblem.NOT_FOUND,
            )
        if not self._client.has_token:
            raise DndHistoryUnavailable(
                "Not connected to the server.", offline=True, problem=DndHistoryProblem.OFFLINE
            )
        try:
            wires = self._client.dnd_history(contact_id)
        except BackendUnreachable as exc:
            raise DndHistoryUnavailable(
                str(exc), offline=True, problem=DndHistoryProblem.OFFLINE
            ) from exc
        except Unauthorized as exc:
            raise DndHistoryUnavailable(
                "The server no longer accepts this sign-in.", offline=True,
                problem=DndHistoryProblem.SIGNED_OUT, code=exc.code,
            ) from exc
        except NotFound as exc:
            raise DndHistoryUnavailable(
                "The server does not show this contact to you.", offline=False,
                problem=DndHistoryProblem.NOT_FOUND, code=exc.code,
            ) from exc
        except ApiError as exc:
            raise DndHistoryUnavailable(
                f"The server could not list the history ({exc.code}).", offline=False,
                problem=DndHistoryProblem.SERVER, code=exc.code,
            ) from exc
        names = self._names(w.user_id for w in wires if w.user_id and not w.user_name)
        rows = [row_of(w, names) for w in wires]
        return sorted(rows, key=lambda r: r.at, reverse=True)  # stable: the server's order

    def _names(self, user_ids: Iterable[str | None]) -> dict[str, str]:
        wanted = {u for u in user_ids if u}
        if not wanted:
            return {}
        with self._cache.read() as conn:
            found = conn.execute(
                select(users.c.id, users.c.name, users.c.email).where(users.c.id.in_(wanted))
            ).all()
        return {r.id: r.name or r.email or "" for r in found}
