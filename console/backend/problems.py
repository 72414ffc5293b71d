"""Every error leaves as `application/problem+json` with a stable `code` (console.domain.errors)."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from console.backend.method_allow import allowed_methods
from console.domain.errors import HTTP_STATUS, DomainError, ErrorCode
from console.protocol.common import PROBLEM_CONTENT_TYPE, Problem

log = logging.getLogger("console.backend.errors")

TITLES: dict[ErrorCode, str] = {
    ErrorCode.UNAUTHORIZED: "Not signed in",
    ErrorCode.FORBIDDEN: "Not allowed",
    ErrorCode.NUMBER_ACCESS_DENIED: "No access to this business number",
    ErrorCode.CONTACT_NOT_ASSIGNED: "Contact not assigned to you",
    ErrorCode.NOT_FOUND: "Not found",
    ErrorCode.VALIDATION_ERROR: "Invalid request",
    ErrorCode.INVALID_PHONE: "Invalid phone number",
    ErrorCode.REGION_NOT_SUPPORTED: "Region not supported",
    ErrorCode.PARTICIPANT_COUNT: "Wrong number of participants",
    ErrorCode.PARTICIPANT_DND: "Participant has Do Not Disturb on",
    ErrorCode.DUPLICATE_PARTICIPANT: "Duplicate participant",
    ErrorCode.PHONE_NOT_ON_CONTACT: "Number not on contact",
    ErrorCode.GROUP_CHAT_BLOCKED: "Group chat blocked",
    ErrorCode.IMMUTABLE: "Cannot be changed",
    ErrorCode.NOT_CANCELLABLE: "Cannot be cancelled",
    ErrorCode.IDEMPOTENCY_CONFLICT: "Idempotency key reused",
    ErrorCode.RATE_LIMITED: "Too many requests",
    ErrorCode.CONFLICT: "Conflict",
    ErrorCode.CURSOR_INVALID: "Cursor no longer valid",
    ErrorCode.METHOD_NOT_ALLOWED: "Method not allowed",
    ErrorCode.INTERNAL_ERROR: "Internal error",
    ErrorCode.PHONE_TAKEN: "Number belongs to another contact",
    ErrorCode.USER_DEACTIVATED: "User deactivated",
    ErrorCode.CANNOT_DEACTIVATE_SELF: "Cannot deactivate yourself",
    ErrorCode.PAYLOAD_TOO_LARGE: "Request body too large",
    ErrorCode.ALREADY_UNDONE: "Already undone",
    ErrorCode.TEMPLATE_NAME_TAKEN: "Template name taken",
    ErrorCode.UNKNOWN_MERGE_FIELD: "Unknown merge field",
}


def problem_response(
    code: ErrorCode,
    detail: str,
    *,
    status: int | None = None,
    errors: list[dict[str, object]] | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    status = status if status is not None else HTTP_STATUS[code]
    problem = Problem(
        title=TITLES.get(code, code.value), status=status, detail=detail, code=code.value,
        errors=errors,
    )
    extra = dict(headers or {})
    if code is ErrorCode.UNAUTHORIZED:
        extra.setdefault("WWW-Authenticate", "Bearer")
    return JSONResponse(
        problem.model_dump(exclude_none=True),
        status_code=status,
        media_type=PROBLEM_CONTENT_TYPE,
        headers=extra,
    )


def field_errors(errors: Sequence[Any]) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for error in errors:
        if not isinstance(error, Mapping):
            continue
        out.append(
            {
                "loc": [str(part) for part in error.get("loc", ())],
                "msg": str(error.get("msg", "")),
                "type": str(error.get("type", "")),
            }
        )
    return out


def _summary(errors: list[dict[str, object]]) -> str:
    if not errors:
        return "The request is not valid."
    first = errors[0]
    loc = first.get("loc")
    where = ".".join(str(p) for p in loc) if isinstance(loc, list) else ""
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"{where}: {first.get('msg', '')}{more}" if where else f"{first.get('msg', '')}{more}"


_HTTP_CODES: dict[int, ErrorCode] = {
    401: ErrorCode.UNAUTHORIZED,
    403: ErrorCode.FORBIDDEN,
    404: ErrorCode.NOT_FOUND,
    405: ErrorCode.METHOD_NOT_ALLOWED,
    409: ErrorCode.CONFLICT,
    429: ErrorCode.RATE_LIMITED,
}


async def _on_domain_error(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, DomainError)
    # Some rules name the offending item (e.g. which group chat participant): `errors`.
    errors = getattr(exc, "errors", None)
    if not isinstance(errors, list):
        errors = None
    return problem_response(exc.code, exc.detail, errors=errors)


async def _on_validation_error(_request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors = field_errors(exc.errors())
    return problem_response(ErrorCode.VALIDATION_ERROR, _summary(errors), errors=errors)


async def _on_http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 400:
        # FastAPI's "error parsing the body" (e.g. a body that is not UTF-8): a malformed body
        # is 422 validation_error here, like any other (API.md).
        return problem_response(ErrorCode.VALIDATION_ERROR, "The request body could not be read.")
    code = _HTTP_CODES.get(exc.status_code)
    if code is None:
        code = ErrorCode.VALIDATION_ERROR if exc.status_code < 500 else ErrorCode.INTERNAL_ERROR
    detail = exc.detail if isinstance(exc.detail, str) else TITLES[code]
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        headers["Allow"] = allowed_methods(request) or headers.get("Allow", "")
    return problem_response(code, detail, status=exc.status_code, headers=headers)


async def _on_unhandled(request: Request, exc: Exception) -> Response:
    log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return problem_response(ErrorCode.INTERNAL_ERROR, "Something went wrong on the server.")


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, _on_domain_error)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(StarletteHTTPException, _on_http_error)
    app.add_exception_handler(Exception, _on_unhandled)


def problem_responses(*codes: ErrorCode) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` entries, so /openapi.json documents the problem codes of a route."""
    out: dict[int | str, dict[str, Any]] = {}
    for code in codes:
        status = HTTP_STATUS[code]
        entry = out.setdefault(
            status,
            {"model": Problem, "content": {PROBLEM_CONTENT_TYPE: {}}, "description": ""},
        )
        entry["description"] = ", ".join(filter(None, [entry["description"], code.value]))
    return out
