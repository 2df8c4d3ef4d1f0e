"""GET /v1/account: the organization a call acts for, its plan, its customers, the key."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

from litestar import Litestar
from litestar.testing import TestClient

from leadbase.server.auth.keys import SCOPES
from leadbase.server.config import ALL_ENTITLEMENTS
from leadbase.server.db import utcnow
from tests.envelopes import assert_error
from tests.factories import Tenant, make_tenant
from tests.server.auth.support import bearer, deactivate, new_customer, new_key

ORGANIZATION_FIELDS = {
    "id",
    "name",
    "plan",
    "active",
    "entitlements",
    "parent_id",
    "acting_as_customer",
    "customers",
    "api_key",
    "created_at",
}


def _account(client: TestClient[Litestar], headers: dict[str, str]) -> dict[str, Any]:
    response = client.get("/v1/account", headers=headers)
    assert response.status_code == 200, response.text
    assert response.json()["meta"]["request_id"] == response.headers["x-request-id"]
    data: dict[str, Any] = response.json()["data"]
    assert ORGANIZATION_FIELDS <= set(data)
    return data


def _recent(timestamp: str) -> bool:
    return abs(utcnow() - dt.datetime.fromisoformat(timestamp)) < dt.timedelta(minutes=5)


def test_the_account_is_the_key_s_organization_with_its_customers(
    client: TestClient[Litestar], tenant: Tenant
) -> None:
    account = _account(client, tenant.headers)
    assert {name: account[name] for name in ORGANIZATION_FIELDS - {"created_at", "customers"}} == {
        "id": tenant.org_id,
        "name": "Acme",
        "plan": "standard",
        "active": True,
        "entitlements": sorted(ALL_ENTITLEMENTS),
        "parent_id": None,
        "acting_as_customer": False,
        "api_key": {"id": tenant.key_id, "scopes": sorted(SCOPES)},
    }
    assert _recent(account["created_at"])
    (customer,) = account["customers"]
    assert set(customer) == {"id", "name", "plan", "active", "created_at"}
    assert customer["id"] == tenant.customer_id
    assert customer["name"] == "Acme Customer"
    assert customer["plan"] == "standard"
    assert customer["active"] is True
    assert _recent(customer["created_at"])


def test_every_customer_is_listed_in_creation_order_inactive_ones_too(
    client: TestClient[Litestar], tenant: Tenant
) -> None:
    second = new_customer(tenant.database_url, parent_id=tenant.org_id, plan="starter")
    deactivate(tenant.database_url, tenant.customer_id)
    customers = _account(client, tenant.headers)["customers"]
    assert [(c["id"], c["plan"], c["active"]) for c in customers] == [
        (tenant.customer_id, "standard", False),
        (second, "starter", True),
    ]


def test_another_organization_s_customers_are_not_listed(
    client: TestClient[Litestar], tenant: Tenant
) -> None:
    stranger = asyncio.run(make_tenant(tenant.database_url, name="Stranger"))
    assert [c["id"] for c in _account(client, tenant.headers)["customers"]] == [tenant.customer_id]
    assert [c["id"] for c in _account(client, stranger.headers)["customers"]] == [
        stranger.customer_id
    ]


def test_acting_for_a_customer_shows_the_customer(
    client: TestClient[Litestar], tenant: Tenant
) -> None:
    account = _account(client, tenant.customer_headers())
    assert account["id"] == tenant.customer_id
    assert account["name"] == "Acme Customer"
    assert account["parent_id"] == tenant.org_id
    assert account["acting_as_customer"] is True
    assert account["customers"] == []
    # The key is still the parent's.
    assert account["api_key"] == {"id": tenant.key_id, "scopes": sorted(SCOPES)}


def test_acting_for_a_customer_shows_the_customer_s_plan_and_entitlements(
    client: TestClient[Litestar], tenant: Tenant
) -> None:
    starter = new_customer(tenant.database_url, parent_id=tenant.org_id, plan="starter")
    account = _account(client, {**tenant.headers, "X-Customer-Id": starter})
    assert account["plan"] == "starter"
    assert account["entitlements"] == ["bulk"]


def test_a_customer_s_own_key_sees_its_parent_but_does_not_act_as_customer(
    client: TestClient[Litestar], tenant: Tenant
) -> None:
    key_id, secret = new_key(tenant.database_url, org_id=tenant.customer_id)
    account = _account(client, bearer(secret))
    assert account["id"] == tenant.customer_id
    assert account["parent_id"] == tenant.org_id
    assert account["acting_as_customer"] is False
    assert account["api_key"]["id"] == key_id


def test_the_entitlements_are_those_of_the_plan(
    client: TestClient[Litestar], database_url: str
) -> None:
    starter = asyncio.run(make_tenant(database_url, plan="starter"))
    account = _account(client, starter.headers)
    assert account["plan"] == "starter"
    assert account["entitlements"] == ["bulk"]


def test_the_account_shows_the_calling_key_s_scopes(
    client: TestClient[Litestar], tenant: Tenant
) -> None:
    key_id, secret = new_key(
        tenant.database_url, org_id=tenant.org_id, scopes=["search:read", "account:read"]
    )
    assert _account(client, bearer(secret))["api_key"] == {
        "id": key_id,
        "scopes": ["account:read", "search:read"],
    }


def test_the_account_needs_account_read(client: TestClient[Litestar], tenant: Tenant) -> None:
    _, secret = new_key(tenant.database_url, org_id=tenant.org_id, scopes=["search:read"])
    assert_error(
        client.get("/v1/account", headers=bearer(secret)),
        403,
        "insufficient_scope",
        details={"required": "account:read", "granted": ["search:read"]},
    )
