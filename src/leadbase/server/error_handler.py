"""The one exception handler: every error, from any layer, leaves as the API.md envelope."""

from __future__ import annotations

from typing import Any

import msgspec
import structlog
from litestar import Request, Response
from litestar.exceptions import (
    HTTPException,
    MethodNotAllowedException,
    NotFoundException,
    ValidationException,
)

from leadbase.server.body import in_words
from leadbase.server.envelope import (
    PROBLEM_JSON,
    error_envelope,
    problem_details,
    wants_problem_json,
)
from leadbase.server.errors import (
    InternalError,
    InvalidParameter,
    LeadbaseError,
    MalformedJson,
    MethodNotAllowed,
    NotFound,
    PayloadTooLarge,
    UnsupportedMediaType,
)

logger = structlog.get_logger("leadbase.errors")


def handle_exception(request: Request[Any, Any, Any], exc: Exception) -> Response[bytes]:
    error = as_leadbase_error(request, exc)
    request_id = str(request.scope.get("state", {}).get("request_id", ""))
    if error.status >= 500 and not isinstance(exc, LeadbaseError):
        logger.error(
            "unhandled_exception",
            request_id=request_id,
            method=request.method,
            path=request.url.path,
            exc_info=exc,
        )
    elif error.status >= 500:
        # Raised on purpose, with its reason in the message: a traceback adds nothing.
        logger.warning(
            error.code,
            request_id=request_id,
            method=request.method,
            path=request.url.path,
            message=error.message,
        )
    if wants_problem_json(request.headers.get("accept")):
        body = msgspec.json.encode(problem_details(error, request_id, request.url.path))
        media_type = PROBLEM_JSON
    else:
        body = msgspec.json.encode(error_envelope(error, request_id))
        media_type = "application/json"
    return Response(
        content=body, status_code=error.status, media_type=media_type, headers=error.headers
    )


def as_leadbase_error(request: Request[Any, Any, Any], exc: Exception) -> LeadbaseError:
    """Translate framework exceptions; anything unknown becomes a bare internal_error."""
    if isinstance(exc, LeadbaseError):
        return exc
    if isinstance(exc, NotFoundException):
        return NotFound(f"No route for {request.method} {request.url.path}.")
    if isinstance(exc, MethodNotAllowedException):
        allow = {name.lower(): value for name, value in (exc.headers or {}).items()}.get(
            "allow", ""
        )
        return MethodNotAllowed(
            f"{request.method} is not allowed on {request.url.path}; allowed: {allow}.",
            headers={"Allow": allow} if allow else None,
        )
    if isinstance(exc, ValidationException):
        return _validation_error(exc)
    if isinstance(exc, HTTPException):
        if exc.status_code == 413:
            limit = request.app.request_max_body_size
            return _too_large(limit if isinstance(limit, int) else None)
        return _by_status(exc)
    return InternalError()


def _validation_error(exc: ValidationException) -> LeadbaseError:
    details: dict[str, str] = {}
    for item in exc.extra if isinstance(exc.extra, list) else []:
        if isinstance(item, dict):
            # The same words as a body's fields get (msgspec validates both).
            details[str(item.get("key") or "request")] = in_words(
                str(item.get("message", "invalid"))
            )
    if not details:
        details["request"] = exc.detail
    first = next(iter(details))
    return InvalidParameter(f"{first}: {details[first]}", param=first, details=details)


def _too_large(limit: int | None) -> LeadbaseError:
    if limit is None:
        return PayloadTooLarge()
    return PayloadTooLarge(
        f"The request body is larger than the {limit:,} bytes this server accepts; send"
        " fewer rows a call.",
        details={"max_body_bytes": str(limit)},
    )


def _by_status(exc: HTTPException) -> LeadbaseError:
    if exc.status_code == 415:
        return UnsupportedMediaType()
    if exc.status_code == 400:
        # The framework's 400s come from JSON it could not decode.
        return MalformedJson(f"The request could not be decoded: {exc.detail}.")
    if 400 < exc.status_code < 500:
        return InvalidParameter(exc.detail)
    return InternalError()
