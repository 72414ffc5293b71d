"""Group SMS chats: create (atomically, by the seed's rules), read, and never change."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, Response
from sqlalchemy.orm import Session

from console.backend.auth import BackendDep, Caller, CallerDep
from console.backend.idempotency import Created, IdempotencyKeyHeader, create_once, fingerprint
from console.backend.ops import group_chats as ops
from console.backend.ops.participants import full_view
from console.backend.problems import problem_responses
from console.backend.state import Backend
from console.domain.errors import ErrorCode
from console.protocol.conversations import Conversation
from console.protocol.group_chats import GroupChatCreate

router = APIRouter(tags=["group chats"], responses=problem_responses(ErrorCode.UNAUTHORIZED))

_IMMUTABLE = problem_responses(ErrorCode.NOT_FOUND, ErrorCode.IMMUTABLE)


@router.post(
    "/v1/group-chats",
    status_code=201,
    responses=problem_responses(
        ErrorCode.NOT_FOUND, ErrorCode.NUMBER_ACCESS_DENIED, ErrorCode.CONTACT_NOT_ASSIGNED,
        ErrorCode.VALIDATION_ERROR, ErrorCode.INVALID_PHONE, ErrorCode.REGION_NOT_SUPPORTED,
        ErrorCode.PARTICIPANT_COUNT, ErrorCode.PARTICIPANT_DND,
        ErrorCode.DUPLICATE_PARTICIPANT, ErrorCode.PHONE_NOT_ON_CONTACT,
        ErrorCode.IDEMPOTENCY_CONFLICT,
    ),
)
def create_group_chat(
    body: GroupChatCreate, caller: CallerDep, backend: BackendDep, response: Response,
    idempotency_key: IdempotencyKeyHeader = None,
) -> Conversation:
    """A group chat from one business number to 2..9 contacts' numbers. All or nothing: a broken
    rule creates nothing and names the participant (`errors[0].index`, `contact_id`). The same
    number and participant set again returns the existing chat (200)."""

    def create(session: Session) -> Created:
        row, new = ops.create(session, caller.actor, body)
        return Created(201 if new else 200, "conversation", row.id)

    request = fingerprint("POST", "/v1/group-chats", body.model_dump(mode="json"))
    created = create_once(backend.db, caller.actor.user_id, idempotency_key, request, create)
    response.status_code = created.status_code
    with backend.db.reading() as session:
        row = ops.find_group_chat(session, caller.actor, created.resource_id)
        return full_view(session, row, caller.actor)


@router.get("/v1/group-chats/{conversation_id}", responses=problem_responses(ErrorCode.NOT_FOUND))
def get_group_chat(conversation_id: str, caller: CallerDep, backend: BackendDep) -> Conversation:
    """With each participant's live tags: `updated` (the contact's name or numbers changed
    since the chat was made), `deleted`, `dnd`."""
    with backend.db.reading() as session:
        row = ops.find_group_chat(session, caller.actor, conversation_id)
        return full_view(session, row, caller.actor)


def _refuse(caller: Caller, backend: Backend, conversation_id: str, what: str) -> None:
    with backend.db.reading() as session:
        ops.refuse_change(session, caller.actor, conversation_id, what)


def _chat_refusal(what: str) -> Callable[..., None]:
    def refuse(conversation_id: str, caller: CallerDep, backend: BackendDep) -> None:
        _refuse(caller, backend, conversation_id, what)

    return refuse


def _participant_refusal() -> Callable[..., None]:
    def refuse(
        conversation_id: str, contact_id: str, caller: CallerDep, backend: BackendDep
    ) -> None:
        _refuse(caller, backend, conversation_id, "participants")

    return refuse


# Participants and business number are fixed at creation: every way of changing them is a
# 409 `immutable` (after a 404 for a chat the caller may not see). One operation per method
# keeps the OpenAPI operation ids unique.
_REFUSALS: list[tuple[str, tuple[str, ...], str, Callable[..., None]]] = [
    ("/v1/group-chats/{conversation_id}", ("PATCH", "PUT"), "group_chat",
     _chat_refusal("participants and number")),
    ("/v1/group-chats/{conversation_id}/participants", ("PATCH", "PUT", "POST", "DELETE"),
     "participants", _chat_refusal("participants")),
    ("/v1/group-chats/{conversation_id}/participants/{contact_id}",
     ("PATCH", "PUT", "POST", "DELETE"), "participant", _participant_refusal()),
    ("/v1/group-chats/{conversation_id}/number", ("PATCH", "PUT"), "number",
     _chat_refusal("business number")),
]
for _path, _methods, _name, _endpoint in _REFUSALS:
    for _method in _methods:
        router.add_api_route(
            _path, _endpoint, methods=[_method], responses=_IMMUTABLE,
            operation_id=f"change_group_chat_{_name}_{_method.lower()}",
            summary="Always 409 immutable", response_model=None,
        )
