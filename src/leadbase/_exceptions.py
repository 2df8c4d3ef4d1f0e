"""The SDK's errors: one class per HTTP status under APIStatusError, plus connection errors.

Below the tree, a parser reads Leadbase's envelope, RFC 9457 problem details and the
envelopes of other lead-data APIs (Generect, Leadey, Enrich Engine, InfoPlug, Gomega) into
the same fields, so one error and retry path can talk to any of them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx


class LeadbaseError(Exception):
    """Base of every error the SDK raises (configuration, API, webhook verification)."""


class APIError(LeadbaseError):
    """A call failed: the server answered with an error, or could not be reached."""

    def __init__(self, message: str, *, request: httpx.Request | None, body: object = None):
        super().__init__(message)
        self.message = message
        self.request = request
        self.body = body


class APIConnectionError(APIError):
    """The server could not be reached, or the connection broke before an answer."""

    def __init__(self, message: str = "Connection error.", *, request: httpx.Request | None):
        super().__init__(message, request=request)


class APITimeoutError(APIConnectionError):
    """No answer within the timeout."""

    def __init__(self, *, request: httpx.Request | None):
        super().__init__("Request timed out.", request=request)


class APIResponseValidationError(APIError):
    """A success response that is not the envelope the SDK expects."""

    def __init__(self, message: str, *, response: httpx.Response, body: object = None):
        super().__init__(message, request=response.request, body=body)
        self.response = response
        self.status_code = response.status_code


class APIStatusError(APIError):
    """The server answered with a 4xx or 5xx status."""

    def __init__(self, info: ErrorInfo, *, response: httpx.Response, body: object):
        super().__init__(info.message, request=response.request, body=body)
        self.response = response
        self.headers = response.headers
        self.status_code = response.status_code
        self.code = info.code
        self.type = info.type
        self.param = info.param
        self.details = info.details
        self.request_id = info.request_id or _header_request_id(response.headers)

    def __str__(self) -> str:
        code = f" {self.code}" if self.code else ""
        request_id = f" (request_id {self.request_id})" if self.request_id else ""
        return f"{self.status_code}{code}: {self.message}{request_id}"


class BadRequestError(APIStatusError):
    """400 (and 405, 415, 422): the request must change before it can succeed."""


class PayloadTooLargeError(BadRequestError):
    """413: the body (or CSV) is larger than the server accepts."""


class AuthenticationError(APIStatusError):
    """401: missing, invalid, revoked or expired key, or a missing X-Customer-Id."""


class InsufficientCreditsError(APIStatusError):
    """402: the balance cannot cover the call; nothing was performed."""


class PermissionDeniedError(APIStatusError):
    """403: the key lacks a scope, or the plan an entitlement."""


class NotFoundError(APIStatusError):
    """404: no such resource (or not yours), or no match (free)."""


class ConflictError(APIStatusError):
    """409: an Idempotency-Key reused or still in use, a duplicate, a wrong job stage."""


class RateLimitError(APIStatusError):
    """429: a rate window or a parallel cap was hit; see Retry-After."""


class InternalServerError(APIStatusError):
    """500 and any 5xx other than 503."""


class ServiceUnavailableError(APIStatusError):
    """503: an upstream source or backing service is unavailable or timed out."""


class WebhookVerificationError(LeadbaseError):
    """A webhook's signature, timestamp or headers do not verify."""


_BY_STATUS: Mapping[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    402: InsufficientCreditsError,
    403: PermissionDeniedError,
    404: NotFoundError,
    405: BadRequestError,
    409: ConflictError,
    413: PayloadTooLargeError,
    415: BadRequestError,
    422: BadRequestError,
    429: RateLimitError,
    503: ServiceUnavailableError,
}


def error_class(status: int) -> type[APIStatusError]:
    """The exception class for an HTTP error status."""
    if status in _BY_STATUS:
        return _BY_STATUS[status]
    return InternalServerError if status >= 500 else APIStatusError


def status_error(response: httpx.Response) -> APIStatusError:
    """The exception for an error response, its body parsed whatever its envelope."""
    try:
        body: object = response.json()
    except ValueError:
        body = response.text or None
    info = parse_error_body(body) or _fallback(response)
    return error_class(response.status_code)(info, response=response, body=body)


# Parsing every envelope -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ErrorInfo:
    """An error body, whichever API sent it, in Leadbase's terms."""

    message: str
    code: str | None = None
    type: str | None = None
    param: str | None = None
    details: Any = None
    request_id: str | None = None


_IDENTIFIER = re.compile(r"^[a-z][a-z0-9_]*$")


def parse_error_body(body: object) -> ErrorInfo | None:
    """Normalize an error body; None when it is not an error envelope this SDK knows.

    - Leadbase, Gomega, Leadey: ``{"error": {"message", "code", "type", "param", "details"}}``
    - Enrich Engine: ``{"error": "<message>", "code": "UPPER_CODE", "details": ...}``
    - Generect: ``{"status": "error", "status_code", "detail": "<message>" | {field: reason}}``
    - RFC 9457: ``{"type", "title", "status", "detail", ...}`` with Leadbase's extensions
    - InfoPlug: ``{"message": "<code>", "parameter", "details": "<message>"}``
    """
    if not isinstance(body, Mapping):
        return None
    error = body.get("error")
    if isinstance(error, Mapping):
        return _nested(error)
    if isinstance(error, str):
        return _flat(body, error)
    if "detail" in body and ("status_code" in body or body.get("status") == "error"):
        return _generect(body["detail"])
    if "detail" in body or "title" in body:
        return _problem(body)
    if isinstance(body.get("message"), str):
        return _infoplug(body)
    return None


def _nested(error: Mapping[str, Any]) -> ErrorInfo:
    return ErrorInfo(
        message=_text(error.get("message")) or "",
        code=_code(error.get("code")),
        type=_text(error.get("type")),
        param=_text(error.get("param")),
        details=error.get("details"),
        request_id=_text(error.get("request_id")),
    )


def _flat(body: Mapping[str, Any], message: str) -> ErrorInfo:
    return ErrorInfo(message=message, code=_code(body.get("code")), details=body.get("details"))


def _generect(detail: object) -> ErrorInfo:
    if isinstance(detail, Mapping):
        fields = {str(name): reason for name, reason in detail.items()}
        message = "; ".join(f"{name}: {reason}" for name, reason in fields.items())
        return ErrorInfo(message=message, param=next(iter(fields), None), details=fields)
    return ErrorInfo(message=str(detail))


def _problem(body: Mapping[str, Any]) -> ErrorInfo:
    kind = _text(body.get("type")) or ""
    fragment = kind.rpartition("#")[2] if "#" in kind else None
    return ErrorInfo(
        message=_text(body.get("detail")) or _text(body.get("title")) or "",
        code=_code(body.get("code")) or _code(fragment),
        param=_text(body.get("param")),
        details=body.get("errors"),
        request_id=_text(body.get("request_id")),
    )


def _infoplug(body: Mapping[str, Any]) -> ErrorInfo:
    message: str = body["message"]
    details = body.get("details")
    is_code = _IDENTIFIER.match(message) is not None
    return ErrorInfo(
        message=details if is_code and isinstance(details, str) else message,
        code=message if is_code else None,
        param=_text(body.get("parameter")),
        details=details,
    )


def _fallback(response: httpx.Response) -> ErrorInfo:
    text = response.text.strip()[:200] if response.content else ""
    reason = response.reason_phrase or "error"
    return ErrorInfo(
        message=f"HTTP {response.status_code} {reason}" + (f": {text}" if text else "")
    )


def _code(value: object) -> str | None:
    # Enrich Engine sends UPPER_CASE codes; Gomega's "code" is the HTTP status (not a code).
    return value.lower() if isinstance(value, str) and value else None


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _header_request_id(headers: httpx.Headers) -> str | None:
    found: str | None = headers.get("x-request-id") or headers.get("request-id")
    return found
