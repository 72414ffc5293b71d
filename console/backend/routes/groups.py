"""Audience groups and their members; a contact's groups."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from console.backend.auth import BackendDep, CallerDep
from console.backend.idempotency import Created, IdempotencyKeyHeader, create_once, fingerprint
from console.backend.ops import groups as ops
from console.backend.pagination import (
    DEFAULT_PAGE,
    CursorParam,
    LimitParam,
    decode_cursor,
    encode_cursor,
    split_page,
)
from console.backend.problems import problem_responses
from console.domain.errors import ErrorCode
from console.protocol.common import Page
from console.protocol.groups import Group, GroupCreate, GroupMember, GroupPatch

router = APIRouter(tags=["groups"], responses=problem_responses(ErrorCode.UNAUTHORIZED))

IdPath = Annotated[str, Path(min_length=1, max_length=64)]


@router.get("/v1/groups")
def list_groups(
    caller: CallerDep, backend: BackendDep, limit: LimitParam = DEFAULT_PAGE,
    cursor: CursorParam = None,
) -> Page[Group]:
    """Live groups by name. Every user sees every group (name, description, size)."""
    query = ops.live_groups()
    if cursor:
        key, group_id = decode_cursor(cursor, (str, str))
        query = ops.after_cursor(query, key, group_id)
    with backend.db.reading() as session:
        rows, more = split_page(session.scalars(ops.ordered(query).limit(limit + 1)).all(), limit)
        items = ops.views_of(session, rows)
    last = rows[-1] if more else None
    next_cursor = encode_cursor(last.live_name_key, last.id) if last else None
    return Page[Group](items=items, next_cursor=next_cursor)


@router.post(
    "/v1/groups",
    status_code=201,
    responses=problem_responses(ErrorCode.CONFLICT, ErrorCode.IDEMPOTENCY_CONFLICT),
)
def create_group(
    body: GroupCreate, caller: CallerDep, backend: BackendDep, response: Response,
    idempotency_key: IdempotencyKeyHeader = None,
) -> Group:
    """409 `conflict` if a live group has that name (case does not count)."""

    def create(session: Session) -> Created:
        return Created(201, "group", ops.create_group(session, caller.actor, body).id)

    request = fingerprint("POST", "/v1/groups", body.model_dump(mode="json"))
    created = create_once(backend.db, caller.actor.user_id, idempotency_key, request, create)
    response.status_code = created.status_code
    with backend.db.reading() as session:  # as GET would: a replay of a deleted group is 404
        return ops.views_of(session, [ops.find_group(session, created.resource_id)])[0]


@router.get("/v1/groups/{group_id}", responses=problem_responses(ErrorCode.NOT_FOUND))
def get_group(group_id: IdPath, caller: CallerDep, backend: BackendDep) -> Group:
    with backend.db.reading() as session:
        return ops.views_of(session, [ops.find_group(session, group_id)])[0]


@router.patch(
    "/v1/groups/{group_id}",
    responses=problem_responses(ErrorCode.NOT_FOUND, ErrorCode.CONFLICT, ErrorCode.FORBIDDEN),
)
def patch_group(
    group_id: IdPath, body: GroupPatch, caller: CallerDep, backend: BackendDep
) -> Group:
    """Admins and all-data users: any group. Assigned-only users: a group they created, while
    everyone in it is assigned to them (403 `forbidden` otherwise)."""
    with backend.db.writing() as session:
        return ops.views_of(session, [ops.patch_group(session, caller.actor, group_id, body)])[0]


@router.delete(
    "/v1/groups/{group_id}",
    status_code=204,
    responses=problem_responses(ErrorCode.NOT_FOUND, ErrorCode.FORBIDDEN),
)
def delete_group(group_id: IdPath, caller: CallerDep, backend: BackendDep) -> Response:
    """Soft delete (sent group messages keep naming it). Who may: as for renaming."""
    with backend.db.writing() as session:
        ops.delete_group(session, caller.actor, group_id)
    return Response(status_code=204)


@router.get(
    "/v1/groups/{group_id}/members", responses=problem_responses(ErrorCode.NOT_FOUND)
)
def list_members(
    group_id: IdPath, caller: CallerDep, backend: BackendDep, limit: LimitParam = DEFAULT_PAGE,
    cursor: CursorParam = None,
) -> Page[GroupMember]:
    """Members by name; an assigned-only user sees only the contacts assigned to them."""
    with backend.db.reading() as session:
        group = ops.find_group(session, group_id)
        query = ops.visible_members(caller.actor, group.id)
        if cursor:
            key, contact_id = decode_cursor(cursor, (str, str))
            query = ops.members_after(query, key, contact_id)
        rows, more = split_page(session.execute(query.limit(limit + 1)).tuples().all(), limit)
        items = [ops.member_view(member, contact) for member, contact in rows]
    last = rows[-1][1] if more else None
    next_cursor = encode_cursor(last.name_key, last.id) if last else None
    return Page[GroupMember](items=items, next_cursor=next_cursor)


@router.put(
    "/v1/groups/{group_id}/members/{contact_id}",
    responses={
        201: {"model": GroupMember, "description": "added now"},
        **problem_responses(ErrorCode.NOT_FOUND, ErrorCode.CONTACT_NOT_ASSIGNED),
    },
)
def add_member(
    group_id: IdPath, contact_id: IdPath, caller: CallerDep, backend: BackendDep,
    response: Response,
) -> GroupMember:
    """Idempotent: 201 when the person was added now, 200 when they already were a member."""
    try:
        with backend.db.writing() as session:
            member, added = ops.add_member(session, caller.actor, group_id, contact_id)
    except IntegrityError:
        # The same membership was added at the same moment by another request: it exists now.
        with backend.db.writing() as session:
            member, added = ops.add_member(session, caller.actor, group_id, contact_id)
    response.status_code = 201 if added else 200
    return member


@router.delete(
    "/v1/groups/{group_id}/members/{contact_id}",
    status_code=204,
    responses=problem_responses(ErrorCode.NOT_FOUND, ErrorCode.CONTACT_NOT_ASSIGNED),
)
def remove_member(
    group_id: IdPath, contact_id: IdPath, caller: CallerDep, backend: BackendDep
) -> Response:
    """Idempotent: 204 also when the person was not a member."""
    with backend.db.writing() as session:
        ops.remove_member(session, caller.actor, group_id, contact_id)
    return Response(status_code=204)


@router.get(
    "/v1/contacts/{contact_id}/groups", responses=problem_responses(ErrorCode.NOT_FOUND)
)
def groups_of_contact(contact_id: IdPath, caller: CallerDep, backend: BackendDep) -> Page[Group]:
    """Every live group the person is in (not paged: a person is in a handful)."""
    with backend.db.reading() as session:
        rows = ops.groups_of_contact(session, caller.actor, contact_id)
        return Page[Group](items=ops.views_of(session, rows), next_cursor=None)
