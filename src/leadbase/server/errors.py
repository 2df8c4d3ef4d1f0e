"""The one error tree of the server.

Domain code raises these (``raise NoMatch()``); it never builds JSON or picks a status.
Every concrete class carries a stable ``code``; together they are the catalog served at
``GET /v1/errors`` and the only source of status, type and code in error responses.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, Self

ErrorDetails = Mapping[str, Any] | None

_CATALOG: dict[str, type[LeadbaseError]] = {}


class LeadbaseError(Exception):
    """Base of every error the API answers with."""

    status: ClassVar[int] = 500
    type: ClassVar[str] = "api_error"
    code: ClassVar[str] = ""
    description: ClassVar[str] = ""
    retryable: ClassVar[bool] = False

    def __init__(
        self,
        message: str | None = None,
        *,
        param: str | None = None,
        details: ErrorDetails = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.message = message or self.description
        self.param = param
        self.details = dict(details) if details is not None else None
        self.headers = dict(headers) if headers else {}
        super().__init__(self.message)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # Only classes that name their own code are catalog entries; family bases are not.
        if "code" in cls.__dict__ and cls.code:
            if cls.code in _CATALOG:
                raise TypeError(f"error code {cls.code!r} is defined twice")
            _CATALOG[cls.code] = cls


def catalog() -> list[type[LeadbaseError]]:
    """Every error code, ordered by status then code."""
    return sorted(_CATALOG.values(), key=lambda error: (error.status, error.code))


def error_for_code(code: str) -> type[LeadbaseError]:
    return _CATALOG[code]


# 400 ------------------------------------------------------------------------------------


class InvalidRequest(LeadbaseError):
    status = 400
    type = "invalid_request_error"

    @classmethod
    def of_fields(cls, errors: Mapping[str, str], *, param: str | None = None) -> Self:
        """One error naming every invalid field (``{field: problem}``, two or more read as
        "3 fields are invalid: ..."); ``param`` is the first field unless given. A given
        ``param`` (the field this error's code is about) leads the message: "linkedin_url:
        expected ...; also invalid: email, phone"."""
        if param is not None and param in errors and len(errors) > 1:
            others = ", ".join(name for name in errors if name != param)
            message = f"{param}: {errors[param]}; also invalid: {others}"
        elif len(errors) == 1:
            name, problem = next(iter(errors.items()))
            message = f"{name}: {problem}"
        else:
            message = f"{len(errors)} fields are invalid: {', '.join(errors)}"
        return cls(message, param=param or next(iter(errors)), details=errors)


class InvalidParameter(InvalidRequest):
    code = "invalid_parameter"
    description = "A parameter is missing or invalid; details names every invalid field."


class PayloadIsEmpty(InvalidRequest):
    code = "payload_is_empty"
    description = "The request needs a JSON body and none was sent."


class MalformedJson(InvalidRequest):
    code = "malformed_json"
    description = "The request body is not valid JSON."


class LimitOutOfRange(InvalidRequest):
    code = "limit_out_of_range"
    description = "limit is outside the range this endpoint allows."


class UnsupportedFilter(InvalidRequest):
    code = "unsupported_filter"
    description = "A filter is not allowed in the chosen mode."


class InvalidLinkedinUrl(InvalidRequest):
    code = "invalid_linkedin_url"
    description = "A LinkedIn URL is malformed or of the wrong kind (profile, company, job)."


class ExactlyOneRequired(InvalidRequest):
    code = "exactly_one_required"
    description = "Exactly one of a set of fields must be given."


class AtLeastOneRequired(InvalidRequest):
    code = "at_least_one_required"
    description = "At least one of a set of fields must be given."


class BulkLimitExceeded(InvalidRequest):
    code = "bulk_limit_exceeded"
    description = "A bulk call carries more rows than allowed (500)."


class InvalidCsvFormat(InvalidRequest):
    code = "invalid_csv_format"
    description = "The CSV file is not UTF-8, not CSV, or lacks a required column."


class InvalidCursor(InvalidRequest):
    code = "invalid_cursor"
    description = "The pagination cursor is malformed or belongs to another listing."


class PayloadTooLarge(InvalidRequest):
    status = 413
    code = "payload_too_large"
    description = "The request body is larger than the server accepts."


class UnsupportedMediaType(InvalidRequest):
    status = 415
    code = "unsupported_media_type"
    description = "The request body must be sent as application/json."


# 401 ------------------------------------------------------------------------------------


class AuthenticationFailed(LeadbaseError):
    status = 401
    type = "authentication_error"

    def __init__(self, message: str | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("headers", {"WWW-Authenticate": 'Bearer realm="leadbase"'})
        super().__init__(message, **kwargs)


class MissingApiKey(AuthenticationFailed):
    code = "missing_api_key"
    description = "No API key was sent: use Authorization: Bearer <key> or X-API-Key."


class InvalidApiKey(AuthenticationFailed):
    code = "invalid_api_key"
    description = "The API key is not valid."


class ApiKeyRevoked(AuthenticationFailed):
    code = "api_key_revoked"
    description = "The API key has been revoked."


class ApiKeyExpired(AuthenticationFailed):
    code = "api_key_expired"
    description = "The API key has expired."


class MissingCustomerId(AuthenticationFailed):
    code = "missing_customer_id"
    description = "This key acts for customers: send X-Customer-Id."


# 402 ------------------------------------------------------------------------------------


class InsufficientCredits(LeadbaseError):
    status = 402
    type = "billing_error"
    code = "insufficient_credits"
    description = "The credit balance cannot cover this operation; nothing was performed."


# 403 ------------------------------------------------------------------------------------


class PermissionDenied(LeadbaseError):
    status = 403
    type = "authorization_error"


class InsufficientScope(PermissionDenied):
    code = "insufficient_scope"
    description = "The API key lacks the scope this endpoint requires."


class CustomerMismatch(PermissionDenied):
    code = "customer_mismatch"
    description = "The API key is locked to another customer."


class NoActiveOrganization(PermissionDenied):
    code = "no_active_organization"
    description = "The organization is not active."


class NotEntitled(PermissionDenied):
    code = "not_entitled"
    description = "The organization's plan does not include this feature."


# 404 ------------------------------------------------------------------------------------


class NotFoundFamily(LeadbaseError):
    status = 404
    type = "not_found_error"


class NotFound(NotFoundFamily):
    code = "not_found"
    description = "The resource does not exist or is not in your organization."


class NoMatch(NotFoundFamily):
    code = "no_match"
    description = "Nothing matched the given identifiers; nothing was charged."


class JobNotFound(NotFoundFamily):
    code = "job_not_found"
    description = "The job does not exist or is not in your organization."


class WebhookNotFound(NotFoundFamily):
    code = "webhook_not_found"
    description = "The webhook endpoint does not exist or is not in your organization."


class ListNotFound(NotFoundFamily):
    code = "list_not_found"
    description = "The list does not exist or is not in your organization."


# 405 ------------------------------------------------------------------------------------


class MethodNotAllowed(InvalidRequest):
    status = 405
    code = "method_not_allowed"
    description = "The path exists but does not accept this HTTP method."


# 409 ------------------------------------------------------------------------------------


class Conflict(LeadbaseError):
    status = 409
    type = "conflict_error"


class IdempotencyKeyReused(Conflict):
    code = "idempotency_key_reused"
    description = "This Idempotency-Key was used with a different request body."


class IdempotencyKeyInUse(Conflict):
    code = "idempotency_key_in_use"
    description = "A request with this Idempotency-Key is still running; retry after Retry-After."
    retryable = True


class InvalidJobStage(Conflict):
    code = "invalid_job_stage"
    description = "The job is not in the stage this action needs."


class DuplicateResource(Conflict):
    code = "duplicate_resource"
    description = "A resource with the same unique key already exists."


class NoEmailsToVerify(Conflict):
    code = "no_emails_to_verify"
    description = "The list has no leads with an email address."


# 429 ------------------------------------------------------------------------------------


class RateLimited(LeadbaseError):
    status = 429
    type = "rate_limit_error"
    retryable = True


class RateLimitExceeded(RateLimited):
    code = "rate_limit_exceeded"
    description = "A rate-limit window is exhausted; retry after Retry-After."


class ConcurrencyLimitExceeded(RateLimited):
    code = "concurrency_limit_exceeded"
    description = "Too many requests of this operation are running at once."


# 5xx ------------------------------------------------------------------------------------


class InternalError(LeadbaseError):
    status = 500
    type = "api_error"
    code = "internal_error"
    description = "Something failed on our side; quote the request id to support."
    retryable = True


class ServiceUnavailable(LeadbaseError):
    status = 503
    type = "api_error"
    retryable = True


class UpstreamUnavailable(ServiceUnavailable):
    code = "upstream_unavailable"
    description = "A live source or a backing service is unavailable; retry with backoff."


class UpstreamTimeout(ServiceUnavailable):
    code = "upstream_timeout"
    description = "A live source did not answer in time; nothing was charged."
