from __future__ import annotations

from litestar import Litestar
from litestar.testing import TestClient

from tests.factories import Tenant


def test_account_answers_for_a_valid_key(client: TestClient[Litestar], tenant: Tenant) -> None:
    response = client.get("/v1/account", headers=tenant.headers)
    assert response.status_code == 200
    body = response.json()
    assert body["data"]["id"] == tenant.org_id
    assert body["data"]["customers"][0]["id"] == tenant.customer_id
    assert body["meta"]["request_id"] == response.headers["x-request-id"]
