from __future__ import annotations

from typing import Literal

from pydantic import Field, StrictBool

from console.protocol.common import WireModel

Role = Literal["admin", "user"]
DataAccess = Literal["all", "assigned"]


class User(WireModel):
    id: str
    email: str
    name: str
    role: Role
    data_access: DataAccess
    # False once an admin deactivated the account: it cannot sign in, and is no longer offered
    # as a sender or assignee; its history stays. (Absent from older backends: active.)
    active: bool = True


class TokenRequest(WireModel):
    email: str = Field(min_length=3, max_length=254)
    password: str = Field(min_length=1, max_length=1024)


class TokenResponse(WireModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    user: User


class UserCreate(WireModel):
    email: str = Field(min_length=3, max_length=254)
    name: str = Field(default="", max_length=200)
    password: str = Field(min_length=8, max_length=1024)
    role: Role = "user"
    data_access: DataAccess = "all"


class UserPatch(WireModel):
    name: str | None = Field(default=None, max_length=200)
    password: str | None = Field(default=None, min_length=8, max_length=1024)
    role: Role | None = None
    data_access: DataAccess | None = None
    # False deactivates (as DELETE /v1/users/{id} does), True reactivates.
    active: StrictBool | None = None
