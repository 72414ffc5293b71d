"""Stable error codes shared by the backend (authoritative) and the console (early checks)."""

from __future__ import annotations

from enum import StrEnum


class ErrorCode(StrEnum):
    UNAUTHORIZED = "unauthorized"
    FORBIDDEN = "forbidden"
    NUMBER_ACCESS_DENIED = "number_access_denied"
    CONTACT_NOT_ASSIGNED = "contact_not_assigned"
    NOT_FOUND = "not_found"
    VALIDATION_ERROR = "validation_error"
    INVALID_PHONE = "invalid_phone"
    REGION_NOT_SUPPORTED = "region_not_supported"
    PARTICIPANT_COUNT = "participant_count"
    PARTICIPANT_DND = "participant_dnd"
    DUPLICATE_PARTICIPANT = "duplicate_participant"
    PHONE_NOT_ON_CONTACT = "phone_not_on_contact"
    GROUP_CHAT_BLOCKED = "group_chat_blocked"
    IMMUTABLE = "immutable"
    NOT_CANCELLABLE = "not_cancellable"
    IDEMPOTENCY_CONFLICT = "idempotency_conflict"
    RATE_LIMITED = "rate_limited"
    CONFLICT = "conflict"
    CURSOR_INVALID = "cursor_invalid"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    INTERNAL_ERROR = "internal_error"
    PHONE_TAKEN = "phone_taken"
    USER_DEACTIVATED = "user_deactivated"
    CANNOT_DEACTIVATE_SELF = "cannot_deactivate_self"
    PAYLOAD_TOO_LARGE = "payload_too_large"
    ALREADY_UNDONE = "already_undone"
    TEMPLATE_NAME_TAKEN = "template_name_taken"
    UNKNOWN_MERGE_FIELD = "unknown_merge_field"


HTTP_STATUS: dict[ErrorCode, int] = {
    ErrorCode.UNAUTHORIZED: 401,
    ErrorCode.FORBIDDEN: 403,
    ErrorCode.NUMBER_ACCESS_DENIED: 403,
    ErrorCode.CONTACT_NOT_ASSIGNED: 403,
    ErrorCode.NOT_FOUND: 404,
    ErrorCode.VALIDATION_ERROR: 422,
    ErrorCode.INVALID_PHONE: 422,
    ErrorCode.REGION_NOT_SUPPORTED: 422,
    ErrorCode.PARTICIPANT_COUNT: 422,
    ErrorCode.PARTICIPANT_DND: 422,
    ErrorCode.DUPLICATE_PARTICIPANT: 422,
    ErrorCode.PHONE_NOT_ON_CONTACT: 422,
    ErrorCode.GROUP_CHAT_BLOCKED: 409,
    ErrorCode.IMMUTABLE: 409,
    ErrorCode.NOT_CANCELLABLE: 409,
    ErrorCode.IDEMPOTENCY_CONFLICT: 409,
    ErrorCode.RATE_LIMITED: 429,
    ErrorCode.CONFLICT: 409,
    ErrorCode.CURSOR_INVALID: 410,
    ErrorCode.METHOD_NOT_ALLOWED: 405,
    ErrorCode.INTERNAL_ERROR: 500,
    ErrorCode.PHONE_TAKEN: 409,
    ErrorCode.USER_DEACTIVATED: 422,
    ErrorCode.CANNOT_DEACTIVATE_SELF: 409,
    ErrorCode.PAYLOAD_TOO_LARGE: 413,
    ErrorCode.ALREADY_UNDONE: 409,
    ErrorCode.TEMPLATE_NAME_TAKEN: 409,
    ErrorCode.UNKNOWN_MERGE_FIELD: 422,
}


class DomainError(Exception):
    """A rule was broken. Carries the stable code the API reports, the English `detail`, and
    optionally a `hint`: a machine-readable code naming which check failed, finer than `code`,
    for a UI to word in the user's language (e.g. services.contacts.ContactProblem)."""

    def __init__(self, code: ErrorCode, detail: str, *, hint: str = "") -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail
        self.hint = hint

    @property
    def status(self) -> int:
        return HTTP_STATUS[self.code]
