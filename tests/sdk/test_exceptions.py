"""The error tree and the parser of every envelope: Leadbase's, RFC 9457 and the five seeds
(../shared/seeds: Generect, Leadey, Enrich Engine, InfoPlug, Gomega), with their examples."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

import leadbase
from leadbase import (
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    ErrorInfo,
    InsufficientCreditsError,
    InternalServerError,
    NotFoundError,
    PayloadTooLargeError,
    PermissionDeniedError,
    RateLimitError,
    ServiceUnavailableError,
    parse_error_body,
)
from leadbase._exceptions import status_error


def response(status: int, body: Any, **headers: str) -> httpx.Response:
    content = body if isinstance(body, bytes) else json.dumps(body).encode()
    request = httpx.Request("GET", "http://testserver/v1/x")
    return httpx.Response(status, content=content, headers=headers, request=request)


# Leadbase and RFC 9457 ----------------------------------------------------------------


LEADBASE = {
    "error": {
        "type": "invalid_request_error",
        "code": "invalid_parameter",
        "message": "linkedin_url is not a LinkedIn profile URL",
        "param": "linkedin_url",
        "details": {"linkedin_url": "expected https://www.linkedin.com/in/<slug>"},
        "status": 400,
        "request_id": "req_01J",
        "doc_url": "/v1/errors#invalid_parameter",
    }
}


def test_the_leadbase_envelope_gives_every_field() -> None:
    error = status_error(response(400, LEADBASE, **{"X-Request-Id": "req_other"}))
    assert type(error) is BadRequestError
    assert (error.status_code, error.code, error.type, error.param) == (
        400,
        "invalid_parameter",
        "invalid_request_error",
        "linkedin_url",
    )
    assert error.message == "linkedin_url is not a LinkedIn profile URL"
    assert error.details == {"linkedin_url": "expected https://www.linkedin.com/in/<slug>"}
    assert error.request_id == "req_01J"  # the body's, over the header's
    assert error.body == LEADBASE
    assert str(error) == (
        "400 invalid_parameter: linkedin_url is not a LinkedIn profile URL (request_id req_01J)"
    )


def test_problem_details_are_read_with_leadbase_extensions() -> None:
    body = {
        "type": "/v1/errors#invalid_api_key",
        "title": "The API key is not valid.",
        "status": 401,
        "detail": "The API key is not valid.",
        "instance": "/v1/account",
        "code": "invalid_api_key",
        "param": None,
        "errors": None,
        "request_id": "req_01",
    }
    assert parse_error_body(body) == ErrorInfo(
        message="The API key is not valid.", code="invalid_api_key", request_id="req_01"
    )


def test_problem_details_without_a_code_take_it_from_the_type_fragment() -> None:
    body = {"type": "https://example.com/errors#out_of_stock", "title": "Out of stock"}
    assert parse_error_body(body) == ErrorInfo(message="Out of stock", code="out_of_stock")


# The five seeds, with their own examples ----------------------------------------------


def test_generect_detail_as_a_message() -> None:
    body = {
        "status": "error",
        "status_code": 400,
        "detail": "Human-readable description of what went wrong",
    }
    assert parse_error_body(body) == ErrorInfo(
        message="Human-readable description of what went wrong"
    )


def test_generect_detail_keyed_by_field() -> None:
    body = {
        "status": "error",
        "status_code": 400,
        "detail": {
            "company_id": "exactly one of company_id, company_link, company_name is required"
        },
    }
    info = parse_error_body(body)
    assert info == ErrorInfo(
        message="company_id: exactly one of company_id, company_link, company_name is required",
        param="company_id",
        details={"company_id": "exactly one of company_id, company_link, company_name is required"},
    )


def test_generect_insufficient_funds_is_a_402_error() -> None:
    body = {"status": "error", "status_code": 402, "detail": "Insufficient funds in the account."}
    error = status_error(response(402, body))
    assert type(error) is InsufficientCreditsError
    assert error.message == "Insufficient funds in the account."


def test_leadey_error_with_null_details() -> None:
    body = {
        "error": {"message": "A human-readable description of what went wrong.", "details": None}
    }
    assert parse_error_body(body) == ErrorInfo(
        message="A human-readable description of what went wrong."
    )


def test_leadey_details_may_be_any_json() -> None:
    body = {"error": {"message": "Bad filters.", "details": ["industry", "size"]}}
    info = parse_error_body(body)
    assert info is not None and info.details == ["industry", "size"]


def test_enrich_engine_upper_codes_are_lower_cased() -> None:
    body = {
        "error": "Human-readable error message",
        "code": "INSUFFICIENT_SCOPE",
        "details": {"required": "emails:verify"},
    }
    assert parse_error_body(body) == ErrorInfo(
        message="Human-readable error message",
        code="insufficient_scope",
        details={"required": "emails:verify"},
    )


@pytest.mark.parametrize(
    ("code", "status", "cls"),
    [
        ("INVALID_API_KEY", 401, AuthenticationError),
        ("NO_ACTIVE_ORGANIZATION", 403, PermissionDeniedError),
        ("RATE_LIMIT_EXCEEDED", 429, RateLimitError),
        ("INVALID_CSV_FORMAT", 400, BadRequestError),
        ("RESOURCE_NOT_FOUND", 404, NotFoundError),
        ("JOB_NOT_FOUND", 404, NotFoundError),
        ("INVALID_JOB_STAGE", 409, ConflictError),
    ],
)
def test_enrich_engine_codes_by_status(code: str, status: int, cls: type[APIStatusError]) -> None:
    error = status_error(response(status, {"error": "x", "code": code, "details": {}}))
    assert type(error) is cls
    assert error.code == code.lower()


def test_infoplug_message_is_the_code_and_details_the_message() -> None:
    body = {
        "message": "invalid_parameter",
        "parameter": "linkedin_url",
        "details": "Missing or invalid linkedin_url",
    }
    assert parse_error_body(body) == ErrorInfo(
        message="Missing or invalid linkedin_url",
        code="invalid_parameter",
        param="linkedin_url",
        details="Missing or invalid linkedin_url",
    )


@pytest.mark.parametrize(
    ("code", "status"),
    [
        ("payload_is_empty", 400),
        ("limit_out_of_range", 400),
        ("unauthorized", 401),
        ("insufficient_credits", 402),
        ("not_found", 404),
        ("rate_limit_exceeded", 429),
    ],
)
def test_infoplug_messages_become_codes(code: str, status: int) -> None:
    error = status_error(response(status, {"message": code, "parameter": None, "details": "why"}))
    assert (error.code, error.message, error.param) == (code, "why", None)


def test_infoplug_plain_sentence_stays_the_message() -> None:
    info = parse_error_body({"message": "Something went wrong on our end."})
    assert info == ErrorInfo(message="Something went wrong on our end.")


def test_gomega_code_is_the_status_not_a_code() -> None:
    body = {
        "error": {
            "type": "invalid_request_error",
            "code": 400,
            "message": "At least one of contact_name, contact_phone, or contact_email is required",
        }
    }
    error = status_error(response(400, body, **{"X-Request-Id": "req_gomega"}))
    assert type(error) is BadRequestError
    assert (error.type, error.code, error.request_id) == (
        "invalid_request_error",
        None,
        "req_gomega",
    )
    assert error.message.startswith("At least one of contact_name")


@pytest.mark.parametrize(
    ("status", "kind"),
    [
        (401, "authentication_error"),
        (403, "authorization_error"),
        (404, "not_found_error"),
        (409, "api_error"),
        (429, "rate_limit_error"),
        (500, "api_error"),
    ],
)
def test_gomega_types_by_status(status: int, kind: str) -> None:
    error = status_error(
        response(status, {"error": {"type": kind, "code": status, "message": "m"}})
    )
    assert error.type == kind
    assert error.status_code == status


# Status -> class ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (402, InsufficientCreditsError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (405, BadRequestError),
        (409, ConflictError),
        (413, PayloadTooLargeError),
        (415, BadRequestError),
        (422, BadRequestError),
        (429, RateLimitError),
        (500, InternalServerError),
        (502, InternalServerError),
        (503, ServiceUnavailableError),
        (504, InternalServerError),
        (418, APIStatusError),
    ],
)
def test_each_status_has_its_class(status: int, cls: type[APIStatusError]) -> None:
    error = status_error(response(status, {"error": {"code": "x", "message": "m"}}))
    assert type(error) is cls
    assert isinstance(error, leadbase.APIError)


def test_payload_too_large_is_a_bad_request() -> None:
    assert issubclass(PayloadTooLargeError, BadRequestError)


def test_a_body_that_is_not_json_still_makes_an_error() -> None:
    error = status_error(response(502, b"<html>Bad Gateway</html>", **{"X-Request-Id": "req_9"}))
    assert type(error) is InternalServerError
    assert error.code is None
    assert error.message == "HTTP 502 Bad Gateway: <html>Bad Gateway</html>"
    assert error.body == "<html>Bad Gateway</html>"
    assert error.request_id == "req_9"


def test_an_unknown_json_shape_falls_back_to_the_status() -> None:
    error = status_error(response(500, {"oops": True}))
    assert error.message.startswith("HTTP 500 Internal Server Error")
    assert parse_error_body({"oops": True}) is None
    assert parse_error_body(["not", "an", "object"]) is None
