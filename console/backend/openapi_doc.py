"""/openapi.json true to what the routes send: every error is application/problem+json.

FastAPI documents its own 422 as `application/json` with its HTTPValidationError shape, and a
`responses=` entry with a model under `application/json` too; our handlers (problems.py) send
every error as `application/problem+json` with the Problem shape. So the generated document is
corrected once: each 4xx/5xx response gets the Problem schema under the problem content type,
every operation that needs a bearer token documents its 401, and every one taking a body its
413 (a body over `--max-body-bytes`).
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from console.domain.errors import ErrorCode
from console.protocol.common import PROBLEM_CONTENT_TYPE, Problem

_PROBLEM_REF = "#/components/schemas/Problem"


def install_openapi(app: FastAPI) -> None:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title, version=app.version, description=app.description,
                routes=app.routes,
            )
            document_problems(schema)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def document_problems(schema: dict[str, Any]) -> None:
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components.setdefault(
        "Problem", Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    )
    for path_item in schema.get("paths", {}).values():
        for operation in path_item.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses: dict[str, Any] = operation["responses"]
            if operation.get("security") and "401" not in responses:
                responses["401"] = {"description": ErrorCode.UNAUTHORIZED.value}
            if "requestBody" in operation and "413" not in responses:  # body_limit.py
                responses["413"] = {"description": ErrorCode.PAYLOAD_TOO_LARGE.value}
            for status, response in responses.items():
                if status.isdigit() and int(status) >= 400:
                    response["content"] = {PROBLEM_CONTENT_TYPE: {"schema": {"$ref": _PROBLEM_REF}}}
                    if status == "422" and response.get("description") == "Validation Error":
                        response["description"] = ErrorCode.VALIDATION_ERROR.value
    # FastAPI's validation-error shapes are never sent: drop them once nothing refers to them.
    for name in ("HTTPValidationError", "ValidationError"):
        text = json.dumps(schema)
        if name in components and f'"#/components/schemas/{name}"' not in text:
            del components[name]
