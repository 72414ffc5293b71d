"""The record of inbound messages staff made up on someone's behalf, and who made each up.

The simulator lets an admin text as any handset or reply as any person, and the people gateway
posts a person's in-app replies: what such a message says (a STOP sets DND, a reply counts in a
group message's stats and goes to integrations) must trace back to the staff user behind it.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from console.backend import models
from console.backend.models import utcnow

SIMULATOR_INBOUND = "simulator_inbound"
SIMULATOR_APP_REPLY = "simulator_app_reply"
PEOPLE_REPLY = "people_reply"


def record(session: Session, message_id: str, user_id: str, route: str) -> None:
    """In the transaction that records the message: both or neither."""
    session.add(models.InboundAudit(message_id=message_id, user_id=user_id, route=route,
                                    at=utcnow()))
