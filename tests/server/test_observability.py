from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from litestar import Litestar, get
from litestar.testing import TestClient
from prometheus_client.parser import text_string_to_metric_families

from leadbase.server.app import create_app
from leadbase.server.config import Settings
from leadbase.server.pipeline import operation
from tests.envelopes import assert_error
from tests.factories import Tenant

GENERATED_ID = re.compile(r"^req_[0-9A-HJKMNP-TV-Z]{26}$")


@get("/test/crash", opt=operation(scope=None, authenticated=False))
async def crash() -> None:
    raise RuntimeError("boom")


@pytest.fixture
def sqlite_url(sqlite_template: Path, tmp_path: Path) -> str:
    """For tests where the database plays no part: one profile is enough."""
    path = tmp_path / "leadbase.db"
    shutil.copyfile(sqlite_template, path)
    return f"sqlite:///{path}"


def _app(sqlite_url: str, *, log_level: str = "WARNING") -> Litestar:
    app = create_app(Settings(database_url=sqlite_url, auto_migrate=False, log_level=log_level))
    app.register(crash)
    return app


@pytest.fixture
def plain_client(sqlite_url: str) -> Iterator[TestClient[Litestar]]:
    with TestClient(_app(sqlite_url), raise_server_exceptions=False) as client:
        yield client


def _samples(client: TestClient[Litestar], name: str) -> dict[tuple[tuple[str, str], ...], float]:
    """Every sample called ``name`` in /metrics, keyed by its sorted labels."""
    response = client.get("/metrics")
    assert response.status_code == 200
    return {
        tuple(sorted(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
        if sample.name == name
    }


def _count(client: TestClient[Litestar], method: str, route: str, status: int) -> float:
    samples = _samples(client, "leadbase_http_requests_total")
    key = (("method", method), ("route", route), ("status", str(status)))
    return samples.get(key, 0.0)


def _json_lines(stderr: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stderr.splitlines() if line.startswith("{")]


# X-Request-Id ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/healthz", 200),
        ("GET", "/metrics", 200),
        ("GET", "/v1/errors", 200),
        ("GET", "/openapi.json", 200),
        ("GET", "/v1/account", 401),
        ("GET", "/v1/nothing", 404),
        ("PUT", "/v1/account", 405),
        ("GET", "/test/crash", 500),
    ],
)
def test_every_response_carries_a_generated_request_id(
    plain_client: TestClient[Litestar], method: str, path: str, status: int
) -> None:
    response = plain_client.request(method, path)
    assert response.status_code == status
    assert GENERATED_ID.match(response.headers["x-request-id"])


def test_each_request_gets_its_own_id(plain_client: TestClient[Litestar]) -> None:
    ids = {plain_client.get("/healthz").headers["x-request-id"] for _ in range(5)}
    assert len(ids) == 5


def test_a_successful_call_has_the_same_id_in_header_and_meta(
    client: TestClient[Litestar], tenant: Tenant
) -> None:
    response = client.get("/v1/account", headers={**tenant.headers, "X-Request-Id": "trace-42"})
    assert response.status_code == 200
    assert response.headers["x-request-id"] == "trace-42"
    assert response.json()["meta"]["request_id"] == "trace-42"


@pytest.mark.parametrize(
    "sent",
    ["abc", "trace-42", "0d9f1c2e-7c1b-4b8e-9a57-3c1f0e1d2b3a", "svc.gateway:req_1", "x" * 128],
)
def test_a_sane_client_request_id_is_echoed(plain_client: TestClient[Litestar], sent: str) -> None:
    response = plain_client.get("/healthz", headers={"X-Request-Id": sent})
    assert response.headers["x-request-id"] == sent


def test_a_sane_client_request_id_is_echoed_in_the_error_body(
    plain_client: TestClient[Litestar],
) -> None:
    response = plain_client.get("/v1/nothing", headers={"X-Request-Id": "trace-43"})
    error = assert_error(response, 404, "not_found")
    assert error["request_id"] == "trace-43"


@pytest.mark.parametrize(
    "sent",
    [
        b"x" * 129,
        b"two words",
        "caf\u00e9".encode(),
        b"a/b",
        b"<script>",
        b"",
        b"id\ttab",
    ],
    ids=["too-long", "space", "non-ascii", "slash", "markup", "empty", "tab"],
)
def test_an_insane_client_request_id_is_replaced(
    plain_client: TestClient[Litestar], sent: bytes
) -> None:
    response = plain_client.get("/v1/nothing", headers={b"X-Request-Id": sent})
    request_id = response.headers["x-request-id"]
    assert GENERATED_ID.match(request_id)
    assert response.json()["error"]["request_id"] == request_id


def test_only_one_request_id_header_is_sent(plain_client: TestClient[Litestar]) -> None:
    response = plain_client.get("/healthz", headers={"X-Request-Id": "trace-44"})
    assert response.headers.get_list("x-request-id") == ["trace-44"]


# Metrics ---------------------------------------------------------------------------------


def test_requests_are_counted_by_method_route_template_and_status(
    client: TestClient[Litestar], tenant: Tenant
) -> None:
    for _ in range(3):
        assert client.get("/v1/account", headers=tenant.headers).status_code == 200
    assert client.get("/v1/account").status_code == 401
    assert client.delete("/v1/api-keys/key_unknown", headers=tenant.headers).status_code == 404

    assert _count(client, "GET", "/v1/account", 200) == 3
    assert _count(client, "GET", "/v1/account", 401) == 1
    assert _count(client, "DELETE", "/v1/api-keys/{key_id}", 404) == 1


def test_unknown_routes_are_counted_as_unmatched_not_by_raw_path(
    plain_client: TestClient[Litestar],
) -> None:
    for path in ("/wp-admin/a", "/wp-admin/b", "/v1/nothing"):
        assert plain_client.get(path).status_code == 404
    samples = _samples(plain_client, "leadbase_http_requests_total")
    routes = {dict(labels)["route"] for labels in samples}
    assert not any("wp-admin" in route or "nothing" in route for route in routes)
    assert _count(plain_client, "GET", "<unmatched>", 404) == 3


def test_a_crash_is_counted_as_a_500(plain_client: TestClient[Litestar]) -> None:
    assert plain_client.get("/test/crash").status_code == 500
    assert _count(plain_client, "GET", "/test/crash", 500) == 1


def test_latency_is_a_histogram_by_route_template(plain_client: TestClient[Litestar]) -> None:
    for _ in range(2):
        plain_client.get("/healthz")
    buckets = _samples(plain_client, "leadbase_http_request_duration_seconds_bucket")
    infinite = (("le", "+Inf"), ("method", "GET"), ("route", "/healthz"))
    assert buckets[infinite] == 2
    counts = _samples(plain_client, "leadbase_http_request_duration_seconds_count")
    assert counts[(("method", "GET"), ("route", "/healthz"))] == 2
    assert len({dict(labels)["le"] for labels in buckets}) > 10


def test_each_app_counts_only_its_own_requests(sqlite_url: str) -> None:
    with (
        TestClient(_app(sqlite_url)) as first,
        TestClient(_app(sqlite_url)) as second,
    ):
        first.get("/healthz")
        first.get("/healthz")
        assert _count(first, "GET", "/healthz", 200) == 2
        assert _count(second, "GET", "/healthz", 200) == 0


# Access log ------------------------------------------------------------------------------


def test_each_request_writes_one_json_access_line_with_its_id(
    sqlite_url: str, capfd: pytest.CaptureFixture[str]
) -> None:
    with TestClient(_app(sqlite_url, log_level="INFO")) as client:
        capfd.readouterr()
        found = client.get("/healthz", headers={"X-Request-Id": "trace-45"})
        missing = client.get("/wp-admin/secret")
    lines = _json_lines(capfd.readouterr().err)
    access = {line["request_id"]: line for line in lines if line.get("event") == "request"}
    assert found.headers["x-request-id"] == "trace-45"
    healthz = access["trace-45"]
    assert (healthz["method"], healthz["path"], healthz["route"], healthz["status"]) == (
        "GET",
        "/healthz",
        "/healthz",
        200,
    )
    assert healthz["level"] == "info"
    assert isinstance(healthz["duration_ms"], float)
    assert healthz["timestamp"].endswith("Z")
    unmatched = access[missing.headers["x-request-id"]]
    assert (unmatched["route"], unmatched["path"], unmatched["status"]) == (
        "<unmatched>",
        "/wp-admin/secret",
        404,
    )


def test_the_access_log_respects_the_configured_level(
    sqlite_url: str, capfd: pytest.CaptureFixture[str]
) -> None:
    with TestClient(_app(sqlite_url, log_level="WARNING")) as client:
        capfd.readouterr()
        client.get("/healthz")
    assert not [line for line in _json_lines(capfd.readouterr().err) if line["event"] == "request"]
