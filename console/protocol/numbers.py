from __future__ import annotations

from pydantic import Field, StrictBool

from console.protocol.common import WireModel


class BusinessNumber(WireModel):
    id: str
    e164: str
    label: str
    is_default: bool
    assigned_user_id: str | None
    can_send: bool


class NumberCreate(WireModel):
    e164: str = Field(min_length=1, max_length=64)
    label: str = Field(default="", max_length=100)
    is_default: StrictBool = False
    assigned_user_id: str | None = None


class NumberPatch(WireModel):
    label: str | None = Field(default=None, max_length=100)
    is_default: StrictBool | None = None
    assigned_user_id: str | None = None
