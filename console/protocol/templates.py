"""Message templates: personal (the owner's alone) or shared (everyone's; admins manage them).

A body may use the merge fields of console.domain.merge_fields (`{first_name}`, `{last_name}`,
`{agent_name}`, `{business_number}`); any other `{name}` is refused (422
`unknown_merge_field`). Feed: `template.upserted` (a Template) and `template.deleted`
(`{"id": ...}`); a personal template's events reach its owner only.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import Field, StrictBool

from console.protocol.common import WireModel

MAX_TEMPLATE_NAME = 100
MAX_TEMPLATE_BODY = 1600


class Template(WireModel):
    id: str
    name: str
    body: str
    shared: bool
    owner_user_id: str  # who created it; a personal template is theirs alone
    version: int  # 1 when made, +1 per edit
    created_at: datetime
    updated_at: datetime


class TemplateCreate(WireModel):
    name: str = Field(min_length=1, max_length=MAX_TEMPLATE_NAME)
    body: str = Field(min_length=1, max_length=MAX_TEMPLATE_BODY)
    shared: StrictBool = False  # admins only


class TemplatePatch(WireModel):
    """What an edit may change (omitted: unchanged)."""

    name: str | None = Field(default=None, min_length=1, max_length=MAX_TEMPLATE_NAME)
    body: str | None = Field(default=None, min_length=1, max_length=MAX_TEMPLATE_BODY)
    shared: StrictBool | None = None  # admins only, either way


class TemplateDeleted(WireModel):
    """The data of a `template.deleted` event."""

    id: str
