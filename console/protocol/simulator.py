from __future__ import annotations

from datetime import datetime

from pydantic import Field

from console.protocol.common import WireModel


class SimulatedInbound(WireModel):
    from_: str = Field(alias="from", min_length=1, max_length=64)
    to: list[str] = Field(min_length=1, max_length=10)
    body: str = Field(min_length=1, max_length=1600)

    model_config = WireModel.model_config | {"populate_by_name": True}


class SimulatedAppReply(WireModel):
    contact_id: str
    body: str = Field(min_length=1, max_length=1600)


class HandsetMessage(WireModel):
    id: str
    from_: str = Field(alias="from")
    to: str
    body: str
    conversation_id: str | None = None
    at: datetime

    model_config = WireModel.model_config | {"populate_by_name": True}


class InboundResult(WireModel):
    conversation_id: str
    message_id: str
