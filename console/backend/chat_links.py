"""Links between group chats (`replaces` / `replaced_by`) in the change feed, per reader.

A `conversation.upserted` event is stored once and read by everyone who may see its chat:
admins, all-data users, and the assigned-only user all of its contacts belong to. The chat it
links to may have other contacts (a replacement adds someone, or leaves out the one contact
that was someone else's), so a reader of one may not see the other, and must not learn even
its id. The stored event keeps the links; as the feed serves it (`/v1/sync`, `/v1/events`) it
nulls those its reader may not see now, by the rule a GET applies
(ops.participants.unseen_chats). A hidden `replaced_by` becomes the newest replacement the
reader does see, if any, as a GET gives it (a chat replaced twice: the reader may see only the
first). Only assigned-only readers can miss a chat, and only events naming another chat are
decoded: the rest go out exactly as stored.

What a reader sees changes with a contact's assignment; ops.visibility then sends them the
chats they still see that link to one that moved, so an incremental sync keeps up.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy.orm import Session

from console.backend.ops.participants import replacements, unseen_chats
from console.domain.access import Actor

CONVERSATION_UPSERTED = "conversation.upserted"
LINK_FIELDS = ("replaces", "replaced_by")
# A link with an id in an event's stored JSON text. Only a prefilter: a match inside some
# other string value costs a lookup, never a wrong answer (stripping works on decoded data).
_LINK_TEXT = re.compile(r'"(?:replaces|replaced_by)"\s*:\s*"([^"\\]+)"')


def _linked(data: str | Mapping[str, Any]) -> set[str]:
    if isinstance(data, str):
        return set(_LINK_TEXT.findall(data))
    return {value for f in LINK_FIELDS if isinstance(value := data.get(f), str)}


class Unseen(set[str]):
    """The chats a reader may not see, and `instead`: for a chat whose stored `replaced_by` is
    one of them, the newest replacement the reader may see ({chat id: replacement id})."""

    def __init__(self, ids: Iterable[str] = (), instead: Mapping[str, str] | None = None):
        super().__init__(ids)
        self.instead: Mapping[str, str] = instead or {}


def unseen_links(
    session: Session, reader: Actor, events: Iterable[tuple[str, str | Mapping[str, Any]]]
) -> Unseen:
    """The chats that `events` ((type, stored data or its JSON text)) link to and `reader` may
    not see: one query for a page of events (two if a hidden chat replaced one they see), none
    for readers who see every chat."""
    if not reader.assigned_only:
        return Unseen()
    links: list[tuple[str | Mapping[str, Any], set[str]]] = []
    for event_type, data in events:
        if event_type == CONVERSATION_UPSERTED and (linked := _linked(data)):
            links.append((data, linked))
    ids = set().union(*(linked for _, linked in links))
    unseen = unseen_chats(session, reader, ids) if ids else set()
    if not unseen:
        return Unseen()
    replaced: set[str] = set()
    for data, linked in links:
        if linked & unseen:
            decoded = json.loads(data) if isinstance(data, str) else data
            if decoded.get("replaced_by") in unseen and isinstance(decoded.get("id"), str):
                replaced.add(decoded["id"])
    instead = replacements(session, sorted(replaced), reader) if replaced else {}
    return Unseen(unseen, instead)


def strip(event_type: str, data: dict[str, Any], unseen: set[str]) -> dict[str, Any]:
    """`data` with its links to `unseen` chats nulled, or a hidden `replaced_by` swapped for the
    one the reader sees (`Unseen.instead`): a copy if any is; else `data` itself."""
    if event_type != CONVERSATION_UPSERTED or not unseen or not _linked(data) & unseen:
        return data
    instead = unseen.instead if isinstance(unseen, Unseen) else {}
    out = {**data}
    if out.get("replaces") in unseen:
        out["replaces"] = None
    if out.get("replaced_by") in unseen:
        out["replaced_by"] = instead.get(out.get("id", ""))
    return out


def strip_text(event_type: str, raw: str, unseen: set[str]) -> str:
    """`strip` for an event's stored JSON text (returned as is when nothing is hidden)."""
    if event_type != CONVERSATION_UPSERTED or not unseen or not _linked(raw) & unseen:
        return raw
    return json.dumps(strip(event_type, json.loads(raw), unseen))
