"""No NUL character in a path, a query or a body, on both backends alike: PostgreSQL text
cannot hold one, so it is refused up front (400 invalid_parameter) and nothing is written."""

from __future__ import annotations

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from tests.envelopes import assert_error
from tests.factories import Tenant

NO_NUL = "must not contain the NUL character (U+0000)"


@pytest.mark.parametrize(
    ("method", "path", "param"),
    [
        ("GET", "/v1/people/%00", "person_id"),
        ("GET", "/v1/companies/a%00b", "company_id"),
        ("GET", "/v1/openings/a%00b", "opening_id"),
        ("DELETE", "/v1/api-keys/a%00b", "key_id"),
        ("GET", "/v1/account/transactions?cursor=%00", "cursor"),
    ],
)
def test_a_nul_in_a_path_or_query_parameter_is_400(
    client: TestClient[Litestar], tenant: Tenant, method: str, path: str, param: str
) -> None:
    response = client.request(method, path, headers=tenant.headers)
    assert_error(response, 400, "invalid_parameter", param=param, details={param: NO_NUL})


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/v1/api-keys", '{"name": "a\\u0000b", "scopes": ["account:read"]}', "name"),
        ("/v1/companies/enrich", '{"company_id": "com\\u0000"}', "company_id"),
        (
            "/v1/people/enrich",
            '{"email": "jane@acme.com", "first_name": "\\\\\\u0000"}',
            "first_name",
        ),
        ("/v1/people/enrich/bulk", '{"rows": [{"row_ref": "a\\u0000"}]}', "rows[0].row_ref"),
    ],
    ids=["api-key-name", "company-id", "after-an-escaped-backslash", "bulk-row-ref"],
)
def test_a_nul_in_a_body_is_400_and_writes_nothing(
    client: TestClient[Litestar], tenant: Tenant, path: str, body: str, field: str
) -> None:
    keys_before = client.get("/v1/api-keys", headers=tenant.headers).json()["data"]
    response = client.post(
        path, content=body, headers={**tenant.headers, "Content-Type": "application/json"}
    )
    assert_error(response, 400, "invalid_parameter", param=field, details={field: NO_NUL})
    assert client.get("/v1/api-keys", headers=tenant.headers).json()["data"] == keys_before
    transactions = client.get("/v1/account/transactions", headers=tenant.headers).json()["data"]
    assert all(entry["kind"] == "grant" for entry in transactions)


def test_an_escaped_backslash_before_u0000_is_text_not_a_nul(
    client: TestClient[Litestar], tenant: Tenant
) -> None:
    body = '{"name": "a\\\\u0000b", "scopes": ["account:read"]}'  # JSON text: a\u0000b
    response = client.post(
        "/v1/api-keys", content=body, headers={**tenant.headers, "Content-Type": "application/json"}
    )
    assert response.status_code == 201, response.text
    assert response.json()["data"]["name"] == "a\\u0000b"
