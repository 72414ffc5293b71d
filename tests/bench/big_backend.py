"""A backend database with many messages, seeded fast (for the sync benchmarks).

The demo seed first (schema, staff, contacts, numbers, conversations), then `count` messages
spread over the demo's direct conversations, each with its `message.upserted` feed event:
SQLAlchemy Core executemany through the backend's own models, with the event scope columns
the backend's own feed_scope gives. Seconds for 100k, instead of minutes through the API.
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sqlalchemy import insert, select

from console.backend import models
from console.backend.db import Database
from console.backend.ids import new_id
from console.backend.lifecycle import prepare_database
from console.backend.ops.participants import feed_scope
from console.backend.settings import Settings
from console.protocol.conversations import Message

CHUNK = 5_000


@dataclass(frozen=True)
class BigDb:
    path: Path
    url: str
    messages: int
    conversations: int


def isolate_home() -> Path:
    """Point the console's data/config/log folders at a throwaway home (never the user's)."""
    home = Path(tempfile.mkdtemp(prefix="bench-home-"))
    for name in ("DATA", "CONFIG", "STATE", "CACHE"):
        os.environ[f"XDG_{name}_HOME"] = str(home / name.lower())
    return home


def seed_big(path: Path, count: int, *, rng_seed: int = 7) -> BigDb:
    url = f"sqlite:///{path}"
    db = Database(url)
    try:
        prepare_database(db, Settings(db_url=url, seed="demo"))
        rng = random.Random(rng_seed)
        with db.writing() as session:
            conversations = session.scalars(
                select(models.Conversation).where(models.Conversation.kind == "direct")
            ).all()
            admin = session.scalar(select(models.User).where(models.User.role == "admin"))
            assert conversations
            assert admin is not None
            scopes = {c.id: feed_scope(session, c) for c in conversations}
            numbers = {
                n.id: n.e164 for n in session.scalars(select(models.BusinessNumber)).all()
            }
            phones = {c.id: c.phone or "+14155550123" for c in conversations}
            start = datetime.now(UTC) - timedelta(days=365)
            conn = session.connection()
            for offset in range(0, count, CHUNK):
                messages: list[dict[str, Any]] = []
                events: list[dict[str, Any]] = []
                for i in range(offset, min(count, offset + CHUNK)):
                    conversation = conversations[i % len(conversations)]
                    outbound = rng.random() < 0.5
                    business = numbers.get(conversation.number_id or "", "+14155550100")
                    created = start + timedelta(seconds=i * 300 / max(1, count // 1000))
                    row = {
                        "id": new_id("msg", rng),
                        "conversation_id": conversation.id,
                        "direction": "out" if outbound else "in",
                        "author_user_id": admin.id if outbound else None,
                        "author_contact_id": None if outbound else conversation.contact_id,
                        "body": f"Message {i}: " + rng.choice(_BODIES),
                        "status": "delivered" if outbound else "received",
                        "error_code": None,
                        "from_number": business if outbound else phones[conversation.id],
                        "to_number": phones[conversation.id] if outbound else business,
                        "client_key": None,
                        "read_at": created,
                        "created_at": created,
                        "updated_at": created,
                    }
                    messages.append(row)
                    contact_id, owner = scopes[conversation.id]
                    events.append({
                        "type": "message.upserted",
                        "entity_id": row["id"],
                        "data": Message.model_validate(row).model_dump(mode="json"),
                        "contact_id": contact_id,
                        "number_id": conversation.number_id,
                        "owner_user_id": owner,
                        "admin_only": False,
                        "only_user_id": None,
                        "created_at": created,
                    })
                conn.execute(insert(models.Message), messages)
                conn.execute(insert(models.Event), events)
        return BigDb(path, url, count, len(conversations))
    finally:
        db.dispose()


_BODIES = [
    "Sounds good, see you at the showing tomorrow.",
    "Can you send me the documents again?",
    "Thanks! The inspection is booked for Tuesday at 10.",
    "We'd like to make an offer on the Elm Street house.",
    "Running 10 minutes late, sorry!",
    "Is the open house still on this weekend?",
    "Got it, I will sign tonight.",
    "Please call me when you have a minute.",
]
