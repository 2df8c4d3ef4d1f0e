from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient
from prometheus_client.parser import text_string_to_metric_families

from leadbase.server.app import create_app
from leadbase.server.config import Settings
from leadbase.server.errors import catalog
from tests.envelopes import assert_error
from tests.factories import Tenant

HTTP_METHODS = {"get", "post", "put", "patch", "delete"}
# Nothing listens here: connecting is refused at once.
UNREACHABLE_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:9/leadbase"


@pytest.fixture
def sqlite_url(sqlite_template: Path, tmp_path: Path) -> str:
    """For tests where the database plays no part: one profile is enough."""
    path = tmp_path / "leadbase.db"
    shutil.copyfile(sqlite_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def plain_client(sqlite_url: str) -> Iterator[TestClient[Litestar]]:
    app = create_app(Settings(database_url=sqlite_url, auto_migrate=False, log_level="WARNING"))
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def document(plain_client: TestClient[Litestar]) -> dict[str, Any]:
    response = plain_client.get("/openapi.json")
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


def _operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, item)
        for path, path_item in document["paths"].items()
        for method, item in path_item.items()
        if method in HTTP_METHODS
    ]


# /v1/errors ------------------------------------------------------------------------------


def test_the_error_catalog_lists_every_code_without_authentication(
    plain_client: TestClient[Litestar],
) -> None:
    response = plain_client.get("/v1/errors")
    assert response.status_code == 200
    body = response.json()
    assert body["meta"] == {"request_id": response.headers["x-request-id"]}
    assert body["data"] == [
        {
            "code": error.code,
            "type": error.type,
            "status": error.status,
            "retryable": error.retryable,
            "description": error.description,
        }
        for error in catalog()
    ]


def test_the_error_catalog_entries_are_what_doc_urls_point_at(
    plain_client: TestClient[Litestar],
) -> None:
    entries = {entry["code"]: entry for entry in plain_client.get("/v1/errors").json()["data"]}
    assert entries["invalid_cursor"] == {
        "code": "invalid_cursor",
        "type": "invalid_request_error",
        "status": 400,
        "retryable": False,
        "description": "The pagination cursor is malformed or belongs to another listing.",
    }
    assert entries["upstream_timeout"]["retryable"] is True
    assert all(entry["description"] for entry in entries.values())


def test_the_error_catalog_ignores_a_bad_api_key(plain_client: TestClient[Litestar]) -> None:
    response = plain_client.get("/v1/errors", headers={"Authorization": "Bearer lb_live_nope"})
    assert response.status_code == 200


# /healthz and /readyz --------------------------------------------------------------------


def test_healthz_says_ok(plain_client: TestClient[Litestar]) -> None:
    response = plain_client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_says_ok_when_the_database_answers(client: TestClient[Litestar]) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_readyz_is_upstream_unavailable_when_the_database_does_not_answer() -> None:
    settings = Settings(database_url=UNREACHABLE_POSTGRES, auto_migrate=False, log_level="CRITICAL")
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        ready = client.get("/readyz")
        alive = client.get("/healthz")
    error = assert_error(ready, 503, "upstream_unavailable", param=None)
    assert error["message"] == "The database does not answer."
    # The driver's message (hosts, users) stays in the log.
    assert error["details"] == {"database": "unreachable"}
    # Liveness ignores the database, so an outage does not get the process restarted.
    assert alive.status_code == 200


# /metrics --------------------------------------------------------------------------------


def test_metrics_are_prometheus_text_with_one_charset(
    client: TestClient[Litestar], tenant: Tenant
) -> None:
    for _ in range(2):
        client.get("/v1/account", headers=tenant.headers)
    response = client.get("/metrics")
    assert response.status_code == 200
    content_type = response.headers["content-type"]
    assert content_type.startswith("text/plain; version=")
    assert content_type.count("charset") == 1
    assert "# TYPE leadbase_http_requests_total counter" in response.text
    assert "# TYPE leadbase_http_request_duration_seconds histogram" in response.text
    assert (
        'leadbase_http_requests_total{method="GET",route="/v1/account",status="200"} 2.0'
        in response.text.splitlines()
    )
    families = {
        family.name: family.type for family in text_string_to_metric_families(response.text)
    }
    assert families["leadbase_http_requests"] == "counter"
    assert families["leadbase_http_request_duration_seconds"] == "histogram"


def test_metrics_need_no_api_key(plain_client: TestClient[Litestar]) -> None:
    response = plain_client.get("/metrics", headers={"Authorization": "Bearer lb_live_nope"})
    assert response.status_code == 200


# /openapi.json and /docs -----------------------------------------------------------------


def test_the_document_is_openapi_3_1(plain_client: TestClient[Litestar]) -> None:
    response = plain_client.get("/openapi.json")
    assert response.headers["content-type"] == "application/vnd.oai.openapi+json"
    document = response.json()
    assert document["openapi"].startswith("3.1.")
    assert document["info"]["title"] == "Leadbase API"
    assert {"/healthz", "/readyz", "/metrics", "/v1/errors", "/v1/account", "/v1/api-keys"} <= set(
        document["paths"]
    )


def test_operations_are_summed_up_and_described_by_their_handlers_docstrings(
    document: dict[str, Any],
) -> None:
    revoke = document["paths"]["/v1/api-keys/{key_id}"]["delete"]
    assert revoke["summary"] == "Revoke a key"
    assert revoke["description"].startswith("Revoke a key; every process refuses it")
    bulk = document["paths"]["/v1/people/enrich/bulk"]["post"]
    assert bulk["summary"] == "Enrich 1-500 rows, each with a row_ref unique in the call"
    assert "summary.billed" in bulk["description"]
    for method, path, item in _operations(document):
        # A sentence, not the handler's name ("EnrichPeople").
        assert " " in item["summary"] and item["description"], f"{method} {path}"


def test_every_operation_documents_the_error_envelope_for_500(document: dict[str, Any]) -> None:
    for method, path, item in _operations(document):
        assert "500" in item["responses"], f"{method} {path}"


def test_every_authenticated_v1_operation_documents_401_403_and_500_as_envelopes(
    document: dict[str, Any],
) -> None:
    authenticated = [
        (method, path, item)
        for method, path, item in _operations(document)
        if path.startswith("/v1/") and path != "/v1/errors"
    ]
    assert len(authenticated) >= 6
    for method, path, item in authenticated:
        assert item["security"] == [{"bearer": []}, {"apiKey": []}], f"{method} {path}"
        for status in ("400", "401", "403", "404", "500"):
            content = item["responses"][status]["content"]
            assert content["application/json"]["schema"] == {
                "$ref": "#/components/schemas/ErrorEnvelope"
            }, f"{method} {path} {status}"
            assert content["application/problem+json"]["schema"] == {
                "$ref": "#/components/schemas/ProblemDetails"
            }


def test_the_error_catalog_route_is_public_in_the_document(document: dict[str, Any]) -> None:
    item = document["paths"]["/v1/errors"]["get"]
    assert "security" not in item
    assert "401" not in item["responses"]


def test_error_responses_name_the_codes_they_can_carry(document: dict[str, Any]) -> None:
    responses = document["paths"]["/v1/api-keys"]["get"]["responses"]
    assert "invalid_cursor" in responses["400"]["description"]
    assert "limit_out_of_range" in responses["400"]["description"]
    assert "missing_api_key" in responses["401"]["description"]
    assert "insufficient_scope" in responses["403"]["description"]


def test_creating_a_key_documents_its_body_and_413_415(document: dict[str, Any]) -> None:
    item = document["paths"]["/v1/api-keys"]["post"]
    assert item["requestBody"]["required"] is True
    assert item["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/CreateApiKey"
    }
    for status in ("413", "415"):
        assert item["responses"][status]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/ErrorEnvelope"
        }
    listing = document["paths"]["/v1/api-keys"]["get"]["responses"]
    assert "413" not in listing and "415" not in listing


def test_the_envelope_schemas_match_api_md(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    assert schemas["ErrorEnvelope"]["required"] == ["error"]
    assert set(schemas["ErrorBody"]["properties"]) == {
        "type",
        "code",
        "message",
        "param",
        "details",
        "status",
        "request_id",
        "doc_url",
    }
    assert set(schemas["ProblemDetails"]["properties"]) == {
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
    create = schemas["CreateApiKey"]
    assert create["required"] == ["name"]
    assert {"name", "scopes", "expires_at", "customer_id", "requires_customer"} <= set(
        create["properties"]
    )
    assert set(document["components"]["securitySchemes"]) == {"bearer", "apiKey"}


def test_docs_serve_the_same_document_as_html(plain_client: TestClient[Litestar]) -> None:
    response = plain_client.get("/docs")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert "<html" in response.text.lower()
    assert "SwaggerUIBundle" in response.text
    # The completed document (error envelopes, bodies) is the one the UI renders.
    assert "ErrorEnvelope" in response.text
    assert "CreateApiKey" in response.text


def test_docs_load_swagger_ui_from_the_server_not_a_cdn(
    plain_client: TestClient[Litestar],
) -> None:
    page = plain_client.get("/docs").text
    # Every script, style sheet and icon the page loads is the server's own.
    loaded = re.findall(r"""(?:src|href)=["']([^"']+)["']""", page)
    assert len(loaded) == 4
    for url in loaded:
        assert url.startswith("/docs/assets/5.24.2/"), url
        asset = plain_client.get(url)
        assert asset.status_code == 200, url
        assert asset.content
        # The path names the version: a browser may keep the file for good.
        assert asset.headers["cache-control"] == "max-age=31536000, public, immutable"
    script = plain_client.get("/docs/assets/5.24.2/swagger-ui-bundle.js")
    assert script.headers["content-type"] == "text/javascript; charset=utf-8"
    assert b"SwaggerUIBundle" in script.content


@pytest.mark.parametrize(
    "path",
    [
        "/docs/assets/5.24.2/nothing.js",
        "/docs/assets/5.24.2/README.md",  # beside the files, not one of them
        "/docs/assets/5.24.2/LICENSE/x",
        "/docs/assets/5.24.2/" + "a" * 300,
        "/docs/assets/5.24.2/..%2Fopenapi.py",
        "/docs/assets/4.0.0/swagger-ui.css",
    ],
)
def test_anything_but_a_docs_asset_is_not_found_as_json(
    plain_client: TestClient[Litestar], path: str
) -> None:
    response = plain_client.get(path)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
