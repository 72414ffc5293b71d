"""Audience groups (named sets of people) and their members."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from console.protocol.common import WireModel


class Group(WireModel):
    id: str
    name: str
    description: str = ""
    # Live members (deleted contacts do not count), across all staff.
    member_count: int = 0
    created_at: datetime
    updated_at: datetime
    deleted: bool = False


class GroupCreate(WireModel):
    name: str = Field(min_length=1, max_length=100)
    description: str = Field(default="", max_length=1000)


class GroupPatch(WireModel):
    name: str | None = Field(default=None, min_length=1, max_length=100)
    description: str | None = Field(default=None, max_length=1000)


class GroupMember(WireModel):
    """One person in one group; also the data of `group.member_added|removed` events."""

    group_id: str
    contact_id: str
    contact_name: str = ""
    added_at: datetime
