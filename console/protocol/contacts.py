from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field, StrictBool

from console.protocol.common import WireModel

PhoneLabel = Literal["primary", "secondary"]


class ContactPhone(WireModel):
    number: str = Field(min_length=1, max_length=64)
    label: PhoneLabel = "primary"


class Contact(WireModel):
    id: str
    name: str
    phones: list[ContactPhone]
    email: str | None = None
    dnd: bool = False
    assigned_user_id: str | None = None
    updated_at: datetime
    deleted: bool = False


class ContactCreate(WireModel):
    name: str = Field(min_length=1, max_length=200)
    phones: list[ContactPhone] = Field(default_factory=list, max_length=10)
    email: str | None = Field(default=None, max_length=254)
    dnd: StrictBool = False
    assigned_user_id: str | None = None


class ContactPatch(WireModel):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    phones: list[ContactPhone] | None = Field(default=None, max_length=10)
    email: str | None = Field(default=None, max_length=254)
    dnd: StrictBool | None = None
    assigned_user_id: str | None = None
