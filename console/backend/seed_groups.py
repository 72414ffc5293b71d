"""The demo's audience groups and one group message already sent, with some replies.

Written through the same operations the API uses (so the feed, recipients and stats are what a
real send makes), with the seed's random source for deterministic ids.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from console.backend import models
from console.backend.ids import new_id
from console.backend.ops import group_messages, people
from console.backend.ops.groups import MEMBER_ADDED, group_changed, member_changed
from console.backend.ops.in_app import receive_reply
from console.backend.views import actor_of
from console.domain.groups import group_name_key
from console.protocol.group_messages import GroupMessageCreate

# (name, description, members)
GROUPS: list[tuple[str, str, list[str]]] = [
    ("Spring buyers", "Looking to buy this spring", [
        "Maria Gonzalez", "Aisha Patel", "Emily Carter", "Chloe Martin", "Ethan Brooks",
        "Lily Chen", "Hannah Kim", "Sofia Rossi", "Harper Lewis",
    ]),
    ("Landlords", "Owners whose units we manage", [
        "Tom Nguyen", "James Whitaker", "Daniel Cohen", "Robert Johnson",
    ]),
    ("Open house RSVPs", "", [
        "Maria Gonzalez", "Zoe Fischer", "Logan Price", "Grace Liu", "Mia Andersson",
    ]),
]
SENT_TO = "Spring buyers"
SENDER = "ava"
TITLE = "Spring open houses"
BODY = ("Hi! Our spring open houses start this weekend: 12 Oak St (Sat 1-4pm) and 42 Maple Ave "
        "(Sun 11am-2pm). Reply here if you'd like a private showing instead.")
SENT_HOURS_AGO = 30
READ_BY = ["Aisha Patel", "Emily Carter", "Lily Chen"]
# (who, text, hours ago)
REPLIES = [
    ("Maria Gonzalez", "We'll be at Oak St on Saturday!", 29),
    ("Hannah Kim", "Could I see Maple Ave privately on Friday evening?", 27.5),
]


def seed_groups(
    session: Session,
    rng: random.Random,
    now: datetime,
    contacts: dict[str, models.Contact],
    staff: dict[str, models.User],
) -> None:
    made: dict[str, models.AudienceGroup] = {}
    for index, (name, description, members) in enumerate(GROUPS):
        at = now - timedelta(days=20 - index)
        group = models.AudienceGroup(
            id=new_id("grp", rng), name=name, live_name_key=group_name_key(name),
            description=description, created_by_user_id=staff[SENDER].id, created_at=at,
            updated_at=at,
        )
        session.add(group)
        rows = [
            models.GroupMember(group_id=group.id, contact_id=contacts[member].id,
                               added_by_user_id=staff[SENDER].id, added_at=at)
            for member in members
        ]
        session.add_all(rows)
        session.flush()
        for row, member in zip(rows, members, strict=True):
            # The feed's group.member_added, as an API add records: caches learn the members.
            member_changed(session, MEMBER_ADDED, row, contacts[member])
        group_changed(session, group)
        made[name] = group
    sender = staff[SENDER]
    group_messages.send(
        session, actor_of(sender),
        GroupMessageCreate(group_id=made[SENT_TO].id, sender_user_id=sender.id, title=TITLE,
                           body=BODY),
        now=now - timedelta(hours=SENT_HOURS_AGO), rng=rng,
    )
    for name in READ_BY:
        people.mark_read(session, contacts[name].id, None)
    for name, text, hours_ago in REPLIES:
        receive_reply(session, contacts[name].id, text, now=now - timedelta(hours=hours_ago),
                      rng=rng)
