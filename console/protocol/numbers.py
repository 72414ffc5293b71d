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
    # Added to the first text sent from this number in each 1:1 or group chat ("": none);
    # absent from older backends.
    opt_out_hint: str = ""


class NumberCreate(WireModel):
    e164: str = Field(min_length=1, max_length=64)
    label: str = Field(default="", max_length=100)
    is_default: StrictBool = False
    assigned_user_id: str | None = None


class NumberPatch(WireModel):
    label: str | None = Field(default=None, max_length=100)
    # "" turns it off; else it must say how to opt out (the word STOP), at most 160 chars.
    opt_out_hint: str | None = Field(default=None, max_length=400)
    is_default: StrictBool | None = None
    assigned_user_id: str | None = None
