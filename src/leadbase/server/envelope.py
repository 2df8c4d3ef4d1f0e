"""The response shapes of API.md: the success envelope and the error envelope.

Success: ``{"data": ..., "meta": {"request_id": ..., ...}}``.
Error: ``{"error": {type, code, message, param, details, status, request_id, doc_url}}``,
or RFC 9457 problem details when the client asks for ``application/problem+json``.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

import msgspec

from leadbase.server.errors import LeadbaseError

T = TypeVar("T")

PROBLEM_JSON = "application/problem+json"


class Meta(msgspec.Struct):
    request_id: str
    # Present on metered calls only (0 when nothing was billed).
    credits_charged: float | msgspec.UnsetType = msgspec.UNSET
    # Present on paginated listings only, where the last page says next_cursor: null.
    next_cursor: str | msgspec.UnsetType | None = msgspec.UNSET
    has_more: bool | msgspec.UnsetType = msgspec.UNSET


class Envelope(msgspec.Struct, Generic[T]):
    data: T
    meta: Meta


class ErrorBody(msgspec.Struct):
    type: str
    code: str
    message: str
    param: str | None
    details: dict[str, Any] | None
    status: int
    request_id: str
    doc_url: str


class ErrorEnvelope(msgspec.Struct):
    error: ErrorBody


class ProblemDetails(msgspec.Struct):
    """RFC 9457 problem details, with Leadbase's fields as extension members."""

    type: str
    title: str
    status: int
    detail: str
    instance: str
    code: str
    param: str | None
    errors: dict[str, Any] | None
    request_id: str


def doc_url(code: str) -> str:
    return f"/v1/errors#{code}"


def error_envelope(error: LeadbaseError, request_id: str) -> ErrorEnvelope:
    return ErrorEnvelope(
        error=ErrorBody(
            type=error.type,
            code=error.code,
            message=error.message,
            param=error.param,
            details=error.details,
            status=error.status,
            request_id=request_id,
            doc_url=doc_url(error.code),
        )
    )


def problem_details(error: LeadbaseError, request_id: str, instance: str) -> ProblemDetails:
    return ProblemDetails(
        type=doc_url(error.code),
        title=error.description,
        status=error.status,
        detail=error.message,
        instance=instance,
        code=error.code,
        param=error.param,
        errors=error.details,
        request_id=request_id,
    )


def wants_problem_json(accept: str | None) -> bool:
    """True when the Accept header lists problem details with a non-zero quality."""
    if not accept:
        return False
    for item in accept.split(","):
        media_type, *params = (part.strip() for part in item.split(";"))
        if media_type.lower() == PROBLEM_JSON and _quality(params) > 0:
            return True
    return False


def _quality(params: list[str]) -> float:
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "q":
            try:
                return float(value)
            except ValueError:
                return 0.0
    return 1.0
