"""Another organization's key or resource answers 404, never 403: nothing says it exists."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from litestar import Litestar
from litestar.testing import TestClient

from tests.envelopes import assert_error
from tests.factories import Tenant, make_tenant
from tests.server.auth.support import bearer, new_key

NOBODY_KEY = "key_01J0000000000000000000000"
NOBODY_ORG = "org_01J0000000000000000000000"


@pytest.fixture
def stranger(tenant: Tenant) -> Tenant:
    """A second, unrelated organization (with its own customer) in the same database."""
    return asyncio.run(make_tenant(tenant.database_url, name="Stranger"))


def _assert_indistinguishable(
    foreign: httpx.Response, foreign_id: str, missing: httpx.Response, missing_id: str
) -> None:
    """A foreign id and a missing one get the very same error, but for the id they name."""
    first = assert_error(foreign, 404, "not_found")
    second = assert_error(missing, 404, "not_found")

    def comparable(error: dict[str, Any], named: str) -> dict[str, Any]:
        return {
            name: value.replace(named, "<id>") if isinstance(value, str) else value
            for name, value in error.items()
            if name != "request_id"
        }

    assert comparable(first, foreign_id) == comparable(second, missing_id)


def test_revoking_another_organization_s_key_is_not_found(
    client: TestClient[Litestar], tenant: Tenant, stranger: Tenant
) -> None:
    foreign = client.delete(f"/v1/api-keys/{tenant.key_id}", headers=stranger.headers)
    missing = client.delete(f"/v1/api-keys/{NOBODY_KEY}", headers=stranger.headers)
    assert_error(foreign, 404, "not_found", param="id", details=None)
    _assert_indistinguishable(foreign, tenant.key_id, missing, NOBODY_KEY)
    # And the key was left alone.
    assert client.get("/v1/account", headers=tenant.headers).status_code == 200


def test_revoking_another_organization_s_customer_key_is_not_found(
    client: TestClient[Litestar], tenant: Tenant, stranger: Tenant
) -> None:
    key_id, secret = new_key(tenant.database_url, org_id=tenant.customer_id)
    for headers in (stranger.headers, stranger.customer_headers()):
        response = client.delete(f"/v1/api-keys/{key_id}", headers=headers)
        assert_error(response, 404, "not_found", param="id")
    assert client.get("/v1/account", headers=bearer(secret)).status_code == 200


def test_acting_for_another_organization_s_customer_is_not_found(
    client: TestClient[Litestar], tenant: Tenant, stranger: Tenant
) -> None:
    foreign = client.get(
        "/v1/account", headers={**stranger.headers, "X-Customer-Id": tenant.customer_id}
    )
    missing = client.get("/v1/account", headers={**stranger.headers, "X-Customer-Id": NOBODY_ORG})
    assert_error(foreign, 404, "not_found", param="X-Customer-Id", details=None)
    _assert_indistinguishable(foreign, tenant.customer_id, missing, NOBODY_ORG)


def test_acting_for_another_top_level_organization_is_not_found(
    client: TestClient[Litestar], tenant: Tenant, stranger: Tenant
) -> None:
    response = client.get(
        "/v1/account", headers={**stranger.headers, "X-Customer-Id": tenant.org_id}
    )
    assert_error(response, 404, "not_found", param="X-Customer-Id")


def test_locking_a_key_to_another_organization_s_customer_is_not_found(
    client: TestClient[Litestar], tenant: Tenant, stranger: Tenant
) -> None:
    foreign = client.post(
        "/v1/api-keys",
        json={"name": "ci", "customer_id": tenant.customer_id},
        headers=stranger.headers,
    )
    missing = client.post(
        "/v1/api-keys", json={"name": "ci", "customer_id": NOBODY_ORG}, headers=stranger.headers
    )
    assert_error(foreign, 404, "not_found", param="customer_id", details=None)
    _assert_indistinguishable(foreign, tenant.customer_id, missing, NOBODY_ORG)


def test_a_listing_holds_only_the_caller_s_keys(
    client: TestClient[Litestar], tenant: Tenant, stranger: Tenant
) -> None:
    for caller, expected in ((tenant, tenant.key_id), (stranger, stranger.key_id)):
        response = client.get("/v1/api-keys", headers=caller.headers)
        assert [key["id"] for key in response.json()["data"]] == [expected]


def test_a_key_never_reaches_another_organization_s_account(
    client: TestClient[Litestar], tenant: Tenant, stranger: Tenant
) -> None:
    assert client.get("/v1/account", headers=tenant.headers).json()["data"]["id"] == tenant.org_id
    assert (
        client.get("/v1/account", headers=stranger.headers).json()["data"]["id"] == stranger.org_id
    )
