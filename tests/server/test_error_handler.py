from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from litestar import Litestar, get
from litestar.exceptions import HTTPException, ValidationException
from litestar.params import FromPath
from litestar.testing import TestClient

from leadbase.server.app import create_app
from leadbase.server.config import Settings
from leadbase.server.errors import RateLimitExceeded, UpstreamTimeout
from leadbase.server.pipeline import operation
from tests.envelopes import assert_error
from tests.factories import Tenant

PROBLEM_KEYS = {
    "type",
    "title",
    "status",
    "detail",
    "instance",
    "code",
    "param",
    "errors",
    "request_id",
}
_PUBLIC = operation(scope=None, authenticated=False)


@get("/test/crash", opt=_PUBLIC)
async def crash() -> None:
    raise RuntimeError("secret detail")


@get("/test/upstream-timeout", opt=_PUBLIC)
async def upstream_timeout() -> None:
    raise UpstreamTimeout("The source took too long.")


@get("/test/rate-limited", opt=_PUBLIC)
async def rate_limited() -> None:
    raise RateLimitExceeded(details={"window": "120/minute"}, headers={"Retry-After": "7"})


@get("/test/framework/{status:int}", opt=_PUBLIC)
async def framework_error(status: FromPath[int]) -> None:
    raise HTTPException(status_code=status, detail="framework said no")


@get("/test/framework-validation", opt=_PUBLIC)
async def framework_validation() -> None:
    raise ValidationException(
        detail="Validation failed",
        extra=[{"key": "a", "message": "bad a"}, {"key": "b", "message": "bad b"}],
    )


TEST_ROUTES = [crash, upstream_timeout, rate_limited, framework_error, framework_validation]


@pytest.fixture
def sqlite_url(sqlite_template: Path, tmp_path: Path) -> str:
    """For tests where the database plays no part: one profile is enough."""
    path = tmp_path / "leadbase.db"
    shutil.copyfile(sqlite_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def plain_client(sqlite_url: str) -> Iterator[TestClient[Litestar]]:
    app = create_app(Settings(database_url=sqlite_url, auto_migrate=False, log_level="WARNING"))
    for handler in TEST_ROUTES:
        app.register(handler)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def small_body_client(database_url: str) -> Iterator[TestClient[Litestar]]:
    settings = Settings(
        database_url=database_url, auto_migrate=False, log_level="WARNING", max_body_bytes=1024
    )
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield client


def _log_lines(stderr: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stderr.splitlines() if line.startswith("{")]


# 404 and 405 -----------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["GET", "POST", "DELETE"])
def test_an_unknown_route_is_not_found(plain_client: TestClient[Litestar], method: str) -> None:
    response = plain_client.request(method, "/v1/nothing-here")
    error = assert_error(response, 404, "not_found", param=None, details=None)
    assert error["message"] == f"No route for {method} /v1/nothing-here."


def test_an_unknown_page_under_docs_is_not_found_as_json(
    plain_client: TestClient[Litestar],
) -> None:
    response = plain_client.get("/docs/whatever")
    error = assert_error(response, 404, "not_found", param=None, details=None)
    assert error["message"] == "No such documentation page; see /docs and /openapi.json."


def test_a_wrong_method_is_method_not_allowed_with_an_allow_header(
    plain_client: TestClient[Litestar],
) -> None:
    response = plain_client.put("/v1/account", json={})
    error = assert_error(response, 405, "method_not_allowed", param=None, details=None)
    assert response.headers["allow"] == "GET, OPTIONS"
    assert error["message"] == "PUT is not allowed on /v1/account; allowed: GET, OPTIONS."


def test_head_answers_what_get_does_without_the_body(
    client: TestClient[Litestar], tenant: Tenant
) -> None:
    for path, headers in (("/healthz", {}), ("/v1/account", tenant.headers)):
        got = client.get(path, headers=headers)
        head = client.head(path, headers=headers)
        assert (head.status_code, head.content) == (got.status_code, b"")
        assert head.headers["content-length"] == got.headers["content-length"] != "0"
        assert head.headers["content-type"] == got.headers["content-type"]
    # An error keeps its status and headers, and loses its body too.
    missing = client.head("/v1/account")
    assert (missing.status_code, missing.content) == (401, b"")
    assert client.head("/v1/nowhere").status_code == 404
    assert client.head("/v1/people/enrich", headers=tenant.headers).status_code == 405
    assert client.options("/v1/account").headers["allow"] == "GET, HEAD, OPTIONS"


def test_posting_to_a_get_only_operations_route_is_method_not_allowed(
    plain_client: TestClient[Litestar],
) -> None:
    response = plain_client.post("/healthz")
    assert_error(response, 405, "method_not_allowed")
    assert "GET" in response.headers["allow"]


# 413 -------------------------------------------------------------------------------------


def _padded(size: int) -> bytes:
    """A valid CreateApiKey body of exactly ``size`` bytes."""
    start, end = b'{"name": "big"', b"}"
    return start + b" " * (size - len(start) - len(end)) + end


def test_a_body_at_the_limit_is_accepted(
    small_body_client: TestClient[Litestar], tenant: Tenant
) -> None:
    response = small_body_client.post(
        "/v1/api-keys",
        headers={**tenant.headers, "Content-Type": "application/json"},
        content=_padded(1024),
    )
    assert response.status_code == 201, response.text


def test_a_body_with_a_content_length_above_the_limit_is_payload_too_large(
    small_body_client: TestClient[Litestar], tenant: Tenant
) -> None:
    response = small_body_client.post(
        "/v1/api-keys",
        headers={**tenant.headers, "Content-Type": "application/json"},
        content=_padded(1025),
    )
    assert_error(response, 413, "payload_too_large", param=None, details={"max_body_bytes": "1024"})
    assert "larger than the 1,024 bytes this server accepts" in response.json()["error"]["message"]


def test_a_streamed_body_above_the_limit_is_payload_too_large(
    small_body_client: TestClient[Litestar], tenant: Tenant
) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"name": "'
        for _ in range(8):
            yield b"x" * 200
        yield b'"}'

    response = small_body_client.post(
        "/v1/api-keys",
        headers={**tenant.headers, "Content-Type": "application/json"},
        content=chunks(),
    )
    assert response.request.headers.get("transfer-encoding") == "chunked"
    assert "content-length" not in response.request.headers
    assert_error(response, 413, "payload_too_large", param=None, details={"max_body_bytes": "1024"})


def test_the_default_limit_is_one_mebibyte(client: TestClient[Litestar], tenant: Tenant) -> None:
    response = client.post(
        "/v1/api-keys",
        headers={**tenant.headers, "Content-Type": "application/json"},
        content=_padded(1_048_577),
    )
    assert_error(response, 413, "payload_too_large")


# 500 -------------------------------------------------------------------------------------


def test_an_unexpected_exception_is_an_internal_error_without_its_text_or_trace(
    sqlite_url: str, capfd: pytest.CaptureFixture[str]
) -> None:
    # The app is made inside the test so that its logs go to the captured stderr.
    app = create_app(Settings(database_url=sqlite_url, auto_migrate=False, log_level="WARNING"))
    app.register(crash)
    with TestClient(app, raise_server_exceptions=False) as client:
        capfd.readouterr()
        response = client.get("/test/crash")
    error = assert_error(response, 500, "internal_error", param=None, details=None)
    assert error["message"] == "Something failed on our side; quote the request id to support."
    assert "secret detail" not in response.text
    assert "Traceback" not in response.text
    assert "RuntimeError" not in response.text

    logged = [
        line
        for line in _log_lines(capfd.readouterr().err)
        if line.get("request_id") == error["request_id"] and line["event"] == "unhandled_exception"
    ]
    assert len(logged) == 1
    assert logged[0]["level"] == "error"
    assert logged[0]["path"] == "/test/crash"
    assert "Traceback (most recent call last)" in logged[0]["exception"]
    assert logged[0]["exception"].rstrip().endswith("RuntimeError: secret detail")


def test_an_internal_error_as_problem_json_leaks_nothing_either(
    plain_client: TestClient[Litestar],
) -> None:
    response = plain_client.get("/test/crash", headers={"Accept": "application/problem+json"})
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    assert "secret detail" not in response.text
    assert response.json()["detail"] == (
        "Something failed on our side; quote the request id to support."
    )


def test_a_server_side_leadbase_error_keeps_its_code_and_is_logged(
    sqlite_url: str, capfd: pytest.CaptureFixture[str]
) -> None:
    app = create_app(Settings(database_url=sqlite_url, auto_migrate=False, log_level="WARNING"))
    app.register(upstream_timeout)
    with TestClient(app, raise_server_exceptions=False) as client:
        capfd.readouterr()
        response = client.get("/test/upstream-timeout")
    error = assert_error(response, 503, "upstream_timeout", param=None, details=None)
    assert error["message"] == "The source took too long."
    events = [
        line["event"]
        for line in _log_lines(capfd.readouterr().err)
        if line.get("request_id") == error["request_id"]
    ]
    assert "upstream_timeout" in events


def test_an_error_sends_its_own_headers(plain_client: TestClient[Litestar]) -> None:
    response = plain_client.get("/test/rate-limited")
    assert_error(response, 429, "rate_limit_exceeded", details={"window": "120/minute"})
    assert response.headers["retry-after"] == "7"


# Framework exceptions --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "answered", "code", "message"),
    [
        (400, 400, "malformed_json", "The request could not be decoded: framework said no."),
        (
            413,
            413,
            "payload_too_large",
            "The request body is larger than the 1,048,576 bytes this server accepts; send"
            " fewer rows a call.",
        ),
        (
            415,
            415,
            "unsupported_media_type",
            "The request body must be sent as application/json.",
        ),
        (422, 400, "invalid_parameter", "framework said no"),
        (
            502,
            500,
            "internal_error",
            "Something failed on our side; quote the request id to support.",
        ),
    ],
)
def test_framework_http_exceptions_are_translated_into_catalog_codes(
    plain_client: TestClient[Litestar], status: int, answered: int, code: str, message: str
) -> None:
    response = plain_client.get(f"/test/framework/{status}")
    assert assert_error(response, answered, code)["message"] == message


def test_a_framework_validation_error_names_every_field(
    plain_client: TestClient[Litestar],
) -> None:
    response = plain_client.get("/test/framework-validation")
    assert_error(
        response, 400, "invalid_parameter", param="a", details={"a": "bad a", "b": "bad b"}
    )


# Problem details -------------------------------------------------------------------------


def _assert_problem(response: Any, status: int, code: str, instance: str) -> dict[str, Any]:
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    problem: dict[str, Any] = response.json()
    assert set(problem) == PROBLEM_KEYS
    assert problem["type"] == f"/v1/errors#{code}"
    assert problem["code"] == code
    assert problem["status"] == status
    assert problem["instance"] == instance
    assert problem["request_id"] == response.headers["x-request-id"]
    assert problem["title"] and problem["detail"]
    return problem


def test_an_unknown_route_answers_problem_details_when_asked(
    plain_client: TestClient[Litestar],
) -> None:
    response = plain_client.get("/v1/nothing", headers={"Accept": "application/problem+json"})
    problem = _assert_problem(response, 404, "not_found", "/v1/nothing")
    assert problem["detail"] == "No route for GET /v1/nothing."
    assert problem["title"] == "The resource does not exist or is not in your organization."
    assert problem["param"] is None
    assert problem["errors"] is None


def test_a_wrong_method_answers_problem_details_when_asked(
    plain_client: TestClient[Litestar],
) -> None:
    response = plain_client.put("/v1/account", headers={"Accept": "application/problem+json"})
    _assert_problem(response, 405, "method_not_allowed", "/v1/account")
    assert response.headers["allow"] == "GET, OPTIONS"


def test_a_validation_error_answers_problem_details_with_errors_as_details(
    client: TestClient[Litestar], tenant: Tenant
) -> None:
    response = client.post(
        "/v1/api-keys",
        headers={**tenant.headers, "Accept": "application/problem+json"},
        json={"name": 1, "colour": "red"},
    )
    problem = _assert_problem(response, 400, "invalid_parameter", "/v1/api-keys")
    assert problem["errors"] == {
        "colour": "unknown field",
        "name": "expected a string, got an integer",
    }
    assert problem["param"] == "colour"
    assert problem["detail"] == "2 fields are invalid: colour, name"


def test_an_authentication_error_answers_problem_details_when_asked(
    client: TestClient[Litestar],
) -> None:
    response = client.get("/v1/account", headers={"Accept": "application/problem+json"})
    _assert_problem(response, 401, "missing_api_key", "/v1/account")
    assert response.headers["www-authenticate"] == 'Bearer realm="leadbase"'


def test_problem_details_refused_with_q_zero_gets_the_envelope(
    plain_client: TestClient[Litestar],
) -> None:
    response = plain_client.get(
        "/v1/nothing", headers={"Accept": "application/json, application/problem+json;q=0"}
    )
    assert_error(response, 404, "not_found")
