"""`Idempotency-Key`: the same key and request replays the first result; another request is 409.

The record is written in the same transaction as what the request created, so a crash either
leaves both or neither, and a retry can never create (or send) twice.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Header
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from console.backend import models
from console.backend.db import Database
from console.domain.errors import DomainError, ErrorCode
from console.protocol.common import IDEMPOTENCY_HEADER

IdempotencyKeyHeader = Annotated[
    str | None,
    Header(
        alias=IDEMPOTENCY_HEADER,
        min_length=1,
        max_length=200,
        pattern=r"^[\x21-\x7e]+$",
        description="Client-chosen unique key (a UUID); a retry with it never creates twice",
    ),
]


@dataclass(frozen=True, slots=True)
class Created:
    status_code: int  # 201 created, 200 when an existing resource was returned
    kind: str
    resource_id: str
    replayed: bool = False


def fingerprint(method: str, path: str, payload: Any) -> str:
    canonical = json.dumps([method, path, payload], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def create_once(
    db: Database,
    user_id: str,
    key: str | None,
    request_fingerprint: str,
    create: Callable[[Session], Created],
) -> Created:
    """Run `create` in a write transaction, unless `key` already did it for this user.

    The caller answers by reading `resource_id` through the same finder (and visibility
    check) as its GET: a replay may come long after, when the caller may no longer see it
    (reassigned away, deleted), and must then be 404 as the GET is."""
    for attempt in range(2):
        try:
            with db.writing() as session:
                if key is not None:
                    previous = _previous(session, user_id, key, request_fingerprint)
                    if previous is not None:
                        return previous
                created = create(session)
                if key is not None:
                    session.add(
                        models.IdempotencyRecord(
                            user_id=user_id,
                            key=key,
                            fingerprint=request_fingerprint,
                            status_code=created.status_code,
                            resource_kind=created.kind,
                            resource_id=created.resource_id,
                        )
                    )
                return created
        except IntegrityError as exc:
            # A concurrent request with the same key (or the same unique value) won the race;
            # the second pass replays its record or reports the conflict cleanly.
            if attempt == 1:
                raise DomainError(
                    ErrorCode.CONFLICT, "A concurrent change conflicted with this one; retry."
                ) from exc
    raise AssertionError("unreachable")


def _previous(session: Session, user_id: str, key: str, request_fingerprint: str) -> Created | None:
    record = session.scalar(
        select(models.IdempotencyRecord).where(
            models.IdempotencyRecord.user_id == user_id, models.IdempotencyRecord.key == key
        )
    )
    if record is None:
        return None
    if record.fingerprint != request_fingerprint:
        raise DomainError(
            ErrorCode.IDEMPOTENCY_CONFLICT,
            f"Idempotency-Key {key!r} was already used for a different request.",
        )
    return Created(record.status_code, record.resource_kind, record.resource_id, replayed=True)
