from __future__ import annotations

import pytest

from leadbase.server import errors
from leadbase.server.errors import LeadbaseError, catalog, error_for_code

# The table of API.md, row by row.
API_TABLE: dict[int, tuple[str, list[str]]] = {
    400: (
        "invalid_request_error",
        [
            "invalid_parameter",
            "payload_is_empty",
            "malformed_json",
            "limit_out_of_range",
            "unsupported_filter",
            "invalid_linkedin_url",
            "exactly_one_required",
            "at_least_one_required",
            "bulk_limit_exceeded",
            "invalid_csv_format",
            "invalid_cursor",
        ],
    ),
    401: (
        "authentication_error",
        [
            "missing_api_key",
            "invalid_api_key",
            "api_key_revoked",
            "api_key_expired",
            "missing_customer_id",
        ],
    ),
    402: ("billing_error", ["insufficient_credits"]),
    403: (
        "authorization_error",
        ["insufficient_scope", "customer_mismatch", "no_active_organization", "not_entitled"],
    ),
    404: (
        "not_found_error",
        ["not_found", "no_match", "job_not_found", "webhook_not_found", "list_not_found"],
    ),
    409: (
        "conflict_error",
        [
            "idempotency_key_reused",
            "idempotency_key_in_use",
            "invalid_job_stage",
            "duplicate_resource",
            "no_emails_to_verify",
        ],
    ),
    413: ("invalid_request_error", ["payload_too_large"]),
    429: ("rate_limit_error", ["rate_limit_exceeded", "concurrency_limit_exceeded"]),
    500: ("api_error", ["internal_error"]),
    503: ("api_error", ["upstream_unavailable", "upstream_timeout"]),
}

# Framework failures API.md names in prose ("wrong method 405, wrong content type 415").
FRAMEWORK_CODES: dict[str, tuple[int, str]] = {
    "method_not_allowed": (405, "invalid_request_error"),
    "unsupported_media_type": (415, "invalid_request_error"),
}

EXPECTED: dict[str, tuple[int, str]] = {
    code: (status, type_) for status, (type_, codes) in API_TABLE.items() for code in codes
} | FRAMEWORK_CODES

TYPE_BY_STATUS = {
    400: "invalid_request_error",
    401: "authentication_error",
    402: "billing_error",
    403: "authorization_error",
    404: "not_found_error",
    405: "invalid_request_error",
    409: "conflict_error",
    413: "invalid_request_error",
    415: "invalid_request_error",
    429: "rate_limit_error",
    500: "api_error",
    503: "api_error",
}


def test_the_catalog_holds_exactly_the_codes_of_the_api_table_and_the_framework_codes() -> None:
    assert {error.code for error in catalog()} == set(EXPECTED)


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_every_code_has_the_status_and_type_of_its_api_table_row(code: str) -> None:
    error = error_for_code(code)
    assert (error.status, error.type) == EXPECTED[code]
    assert error.type == TYPE_BY_STATUS[error.status]
    assert error.code == code
    assert error.description.strip(), f"{code} has no description for GET /v1/errors"


@pytest.mark.parametrize("error", catalog(), ids=lambda error: error.code)
def test_an_instance_carries_its_class_code_status_type_and_a_default_message(
    error: type[LeadbaseError],
) -> None:
    instance = error()
    assert (instance.code, instance.status, instance.type) == (
        error.code,
        error.status,
        error.type,
    )
    assert instance.message == error.description
    assert instance.param is None
    assert instance.details is None
    assert str(instance) == error.description


def test_codes_are_unique() -> None:
    codes = [error.code for error in catalog()]
    assert len(codes) == len(set(codes))


def test_defining_a_code_twice_is_refused_at_import_time() -> None:
    with pytest.raises(TypeError, match="'not_found' is defined twice"):

        class AnotherNotFound(errors.NotFoundFamily):
            code = "not_found"

    assert error_for_code("not_found") is errors.NotFound


def test_family_bases_are_not_catalog_entries() -> None:
    entries = set(catalog())
    for family in (
        LeadbaseError,
        errors.InvalidRequest,
        errors.AuthenticationFailed,
        errors.PermissionDenied,
        errors.NotFoundFamily,
        errors.Conflict,
        errors.RateLimited,
        errors.ServiceUnavailable,
    ):
        assert family not in entries


def test_the_catalog_is_sorted_by_status_then_code() -> None:
    entries = [(error.status, error.code) for error in catalog()]
    assert entries == sorted(entries)
    assert entries[0][0] == 400
    assert entries[-1][0] == 503


def test_error_for_an_unknown_code_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        error_for_code("no_such_code")


def test_only_rate_limits_in_use_keys_and_server_side_failures_are_retryable() -> None:
    retryable = {error.code for error in catalog() if error.retryable}
    assert retryable == {
        "idempotency_key_in_use",
        "rate_limit_exceeded",
        "concurrency_limit_exceeded",
        "internal_error",
        "upstream_unavailable",
        "upstream_timeout",
    }


def test_message_param_details_and_headers_are_kept_and_details_is_copied() -> None:
    details = {"limit": "must be between 1 and 100"}
    error = errors.LimitOutOfRange(
        "limit must be between 1 and 100; got 0.",
        param="limit",
        details=details,
        headers={"X-Test": "1"},
    )
    details["limit"] = "changed"
    assert error.message == "limit must be between 1 and 100; got 0."
    assert error.param == "limit"
    assert error.details == {"limit": "must be between 1 and 100"}
    assert error.headers == {"X-Test": "1"}


def test_authentication_errors_carry_a_www_authenticate_challenge() -> None:
    for error in catalog():
        if error.status == 401:
            assert error().headers == {"WWW-Authenticate": 'Bearer realm="leadbase"'}
    assert errors.InvalidApiKey(headers={"X-Other": "1"}).headers == {"X-Other": "1"}


def test_other_errors_carry_no_headers_by_default() -> None:
    assert all(error().headers == {} for error in catalog() if error.status != 401)
