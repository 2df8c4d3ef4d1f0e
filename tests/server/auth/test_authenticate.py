"""Authentication: where the key comes from, and every 401 and 403 of API.md."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable

import httpx
import pytest
from litestar import Litestar
from litestar.testing import TestClient

from leadbase.server.auth.authenticate import Authenticator, Principal, extract_secret
from leadbase.server.auth.keys import SCOPES, generate_secret
from leadbase.server.config import ALL_ENTITLEMENTS, Settings
from leadbase.server.db import Database
from leadbase.server.errors import (
    InvalidApiKey,
    LeadbaseError,
    MissingApiKey,
    NotEntitled,
    catalog,
)
from tests.envelopes import assert_error
from tests.factories import Tenant, make_tenant
from tests.server.auth.support import bearer, deactivate, new_customer, new_key, update_key

WWW_AUTHENTICATE = 'Bearer realm="leadbase"'


def assert_unauthenticated(
    response: httpx.Response, code: str, *, param: str | None = None
) -> None:
    assert_error(response, 401, code, param=param, details=None)
    assert response.headers["www-authenticate"] == WWW_AUTHENTICATE


def test_the_401_and_403_codes_are_those_of_api_md() -> None:
    by_status = {
        status: {error.code for error in catalog() if error.status == status}
        for status in (401, 403)
    }
    assert by_status == {
        401: {
            "missing_api_key",
            "invalid_api_key",
            "api_key_revoked",
            "api_key_expired",
            "missing_customer_id",
        },
        403: {"insufficient_scope", "customer_mismatch", "no_active_organization", "not_entitled"},
    }


# Where the key comes from ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"authorization": "Bearer lb_live_abc"}, "lb_live_abc"),
        ({"authorization": "bearer lb_live_abc"}, "lb_live_abc"),
        ({"authorization": "BEARER lb_live_abc"}, "lb_live_abc"),
        ({"authorization": "Token lb_live_abc"}, "lb_live_abc"),
        ({"authorization": "tOKEN lb_live_abc"}, "lb_live_abc"),
        ({"authorization": "  Bearer   lb_live_abc  "}, "lb_live_abc"),
        ({"x-api-key": "lb_live_abc"}, "lb_live_abc"),
        ({"x-api-key": " lb_live_abc "}, "lb_live_abc"),
        ({"authorization": "Bearer lb_live_abc", "x-api-key": "lb_live_xyz"}, "lb_live_abc"),
    ],
)
def test_extract_secret_reads_bearer_token_and_x_api_key(
    headers: dict[str, str], expected: str
) -> None:
    assert extract_secret(headers) == expected


@pytest.mark.parametrize(
    ("headers", "error", "param"),
    [
        ({}, MissingApiKey, None),
        ({"x-api-key": "   "}, MissingApiKey, None),
        ({"authorization": "Bearer"}, MissingApiKey, "Authorization"),
        ({"authorization": "Bearer    "}, MissingApiKey, "Authorization"),
        ({"authorization": "Token "}, MissingApiKey, "Authorization"),
        ({"authorization": "Basic dXNlcjpwYXNz"}, InvalidApiKey, "Authorization"),
        ({"authorization": "lb_live_abc"}, InvalidApiKey, "Authorization"),
        ({"authorization": "Basic x", "x-api-key": "lb_live_abc"}, InvalidApiKey, "Authorization"),
    ],
)
def test_extract_secret_refuses_what_is_not_a_key(
    headers: dict[str, str], error: type[LeadbaseError], param: str | None
) -> None:
    with pytest.raises(error) as raised:
        extract_secret(headers)
    assert raised.value.param == param


@pytest.mark.parametrize(
    "header",
    [
        lambda secret: {"Authorization": f"Bearer {secret}"},
        lambda secret: {"Authorization": f"bearer {secret}"},
        lambda secret: {"Authorization": f"Token {secret}"},
        lambda secret: {"Authorization": f"TOKEN {secret}"},
        lambda secret: {"X-API-Key": secret},
    ],
    ids=["Bearer", "bearer", "Token", "TOKEN", "X-API-Key"],
)
def test_a_key_authenticates_in_every_accepted_header(
    client: TestClient[Litestar], tenant: Tenant, header: Callable[[str], dict[str, str]]
) -> None:
    response = client.get("/v1/account", headers=header(tenant.secret))
    assert response.status_code == 200, response.text
    assert response.json()["data"]["api_key"]["id"] == tenant.key_id


def test_basic_scheme_is_an_invalid_api_key(client: TestClient[Litestar], tenant: Tenant) -> None:
    response = client.get("/v1/account", headers={"Authorization": "Basic dXNlcjpwYXNz"})
    assert_unauthenticated(response, "invalid_api_key", param="Authorization")


def test_empty_bearer_is_a_missing_api_key(client: TestClient[Litestar], tenant: Tenant) -> None:
    response = client.get("/v1/account", headers={"Authorization": "Bearer "})
    assert_unauthenticated(response, "missing_api_key", param="Authorization")


def test_no_key_at_all_is_a_missing_api_key(client: TestClient[Litestar], tenant: Tenant) -> None:
    response = client.get("/v1/account")
    assert_unauthenticated(response, "missing_api_key")


def test_an_unknown_key_is_an_invalid_api_key(client: TestClient[Litestar], tenant: Tenant) -> None:
    for secret in (generate_secret(), "not-even-a-key", tenant.secret + "x", tenant.secret[:-1]):
        assert_unauthenticated(client.get("/v1/account", headers=bearer(secret)), "invalid_api_key")


def test_a_revoked_key_is_refused_as_revoked(client: TestClient[Litestar], tenant: Tenant) -> None:
    key_id, secret = new_key(tenant.database_url, org_id=tenant.org_id)
    assert client.delete(f"/v1/api-keys/{key_id}", headers=tenant.headers).status_code == 200
    assert_unauthenticated(client.get("/v1/account", headers=bearer(secret)), "api_key_revoked")
    assert_unauthenticated(
        client.get("/v1/account", headers={"X-API-Key": secret}), "api_key_revoked"
    )


def test_a_key_past_its_expiry_is_refused_as_expired(
    client: TestClient[Litestar], tenant: Tenant
) -> None:
    key_id, secret = new_key(
        tenant.database_url,
        org_id=tenant.org_id,
        expires_at=dt.datetime.now(dt.UTC) + dt.timedelta(days=1),
    )
    # The API refuses a past expiry, so the clock is moved in the database instead.
    update_key(tenant.database_url, key_id, expires_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    assert_unauthenticated(client.get("/v1/account", headers=bearer(secret)), "api_key_expired")


def test_revoked_wins_over_expired(client: TestClient[Litestar], tenant: Tenant) -> None:
    key_id, secret = new_key(tenant.database_url, org_id=tenant.org_id)
    past = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    update_key(tenant.database_url, key_id, expires_at=past, revoked_at=past)
    assert_unauthenticated(client.get("/v1/account", headers=bearer(secret)), "api_key_revoked")


def test_a_bad_key_is_refused_before_the_customer_header_is_looked_at(
    client: TestClient[Litestar], tenant: Tenant
) -> None:
    headers = {**bearer(generate_secret()), "X-Customer-Id": "org_nobody"}
    assert_unauthenticated(client.get("/v1/account", headers=headers), "invalid_api_key")


# Customers --------------------------------------------------------------------------------


def test_a_key_that_requires_a_customer_refuses_calls_without_one(
    client: TestClient[Litestar], tenant: Tenant
) -> None:
    _, secret = new_key(tenant.database_url, org_id=tenant.org_id, requires_customer=True)
    response = client.get("/v1/account", headers=bearer(secret))
    assert_unauthenticated(response, "missing_customer_id", param="X-Customer-Id")

    response = client.get(
        "/v1/account", headers={**bearer(secret), "X-Customer-Id": tenant.customer_id}
    )
    assert response.status_code == 200, response.text
    assert response.json()["data"]["id"] == tenant.customer_id


def test_a_key_locked_to_a_customer_acts_for_it_without_the_header(
    client: TestClient[Litestar], tenant: Tenant
) -> None:
    _, secret = new_key(tenant.database_url, org_id=tenant.org_id, customer_id=tenant.customer_id)
    for headers in (bearer(secret), {**bearer(secret), "X-Customer-Id": tenant.customer_id}):
        response = client.get("/v1/account", headers=headers)
        assert response.status_code == 200, response.text
        assert response.json()["data"]["id"] == tenant.customer_id
        assert response.json()["data"]["acting_as_customer"] is True


def test_a_key_locked_to_a_customer_refuses_any_other_as_customer_mismatch(
    client: TestClient[Litestar], tenant: Tenant
) -> None:
    other_customer = new_customer(tenant.database_url, parent_id=tenant.org_id)
    _, secret = new_key(tenant.database_url, org_id=tenant.org_id, customer_id=tenant.customer_id)
    for requested in (other_customer, tenant.org_id, "org_nobody"):
        response = client.get("/v1/account", headers={**bearer(secret), "X-Customer-Id": requested})
        assert_error(
            response,
            403,
            "customer_mismatch",
            param="X-Customer-Id",
            details={"X-Customer-Id": f"this key may only act for {tenant.customer_id}"},
        )


def test_a_customer_that_is_not_a_child_is_not_found(
    client: TestClient[Litestar], tenant: Tenant
) -> None:
    stranger = asyncio.run(make_tenant(tenant.database_url, name="Stranger"))
    for requested in (stranger.customer_id, stranger.org_id, tenant.org_id, "org_nobody"):
        response = client.get("/v1/account", headers={**tenant.headers, "X-Customer-Id": requested})
        assert_error(response, 404, "not_found", param="X-Customer-Id", details=None)


def test_a_customer_cannot_act_for_its_parent(client: TestClient[Litestar], tenant: Tenant) -> None:
    _, secret = new_key(tenant.database_url, org_id=tenant.customer_id)
    response = client.get("/v1/account", headers={**bearer(secret), "X-Customer-Id": tenant.org_id})
    assert_error(response, 404, "not_found", param="X-Customer-Id", details=None)


def test_an_empty_customer_header_means_the_key_s_own_organization(
    client: TestClient[Litestar], tenant: Tenant
) -> None:
    response = client.get("/v1/account", headers={**tenant.headers, "X-Customer-Id": "  "})
    assert response.status_code == 200, response.text
    assert response.json()["data"]["id"] == tenant.org_id


def test_surrounding_spaces_in_the_customer_header_are_ignored(
    client: TestClient[Litestar], tenant: Tenant
) -> None:
    headers = {**tenant.headers, "X-Customer-Id": f"  {tenant.customer_id} "}
    response = client.get("/v1/account", headers=headers)
    assert response.status_code == 200, response.text
    assert response.json()["data"]["id"] == tenant.customer_id


# Scopes, active organizations, entitlements ------------------------------------------------


def test_a_key_without_the_endpoint_s_scope_gets_insufficient_scope(
    client: TestClient[Litestar], tenant: Tenant
) -> None:
    _, secret = new_key(
        tenant.database_url, org_id=tenant.org_id, scopes=["people:read", "keys:manage"]
    )
    assert_error(
        client.get("/v1/account", headers=bearer(secret)),
        403,
        "insufficient_scope",
        param=None,
        details={"required": "account:read", "granted": ["keys:manage", "people:read"]},
    )


def test_a_key_without_scopes_can_do_nothing(client: TestClient[Litestar], tenant: Tenant) -> None:
    _, secret = new_key(tenant.database_url, org_id=tenant.org_id, scopes=[])
    for response in (
        client.get("/v1/account", headers=bearer(secret)),
        client.get("/v1/api-keys", headers=bearer(secret)),
    ):
        assert_error(response, 403, "insufficient_scope")
        assert response.json()["error"]["details"]["granted"] == []


def test_an_inactive_organization_gets_no_active_organization(
    client: TestClient[Litestar], tenant: Tenant
) -> None:
    deactivate(tenant.database_url, tenant.org_id)
    for headers in (tenant.headers, tenant.customer_headers()):
        assert_error(
            client.get("/v1/account", headers=headers),
            403,
            "no_active_organization",
            param=None,
            details=None,
        )


def test_acting_for_an_inactive_customer_gets_no_active_organization(
    client: TestClient[Litestar], tenant: Tenant
) -> None:
    deactivate(tenant.database_url, tenant.customer_id)
    assert_error(
        client.get("/v1/account", headers=tenant.customer_headers()),
        403,
        "no_active_organization",
        param="X-Customer-Id",
        details=None,
    )
    # The parent itself is still active.
    assert client.get("/v1/account", headers=tenant.headers).status_code == 200


def test_a_key_locked_to_an_inactive_customer_gets_no_active_organization(
    client: TestClient[Litestar], tenant: Tenant
) -> None:
    _, secret = new_key(tenant.database_url, org_id=tenant.org_id, customer_id=tenant.customer_id)
    deactivate(tenant.database_url, tenant.customer_id)
    assert_error(client.get("/v1/account", headers=bearer(secret)), 403, "no_active_organization")


def test_a_plan_without_customers_cannot_act_for_a_customer(
    client: TestClient[Litestar], database_url: str
) -> None:
    starter = asyncio.run(make_tenant(database_url, plan="starter"))
    assert_error(
        client.get("/v1/account", headers=starter.customer_headers()),
        403,
        "not_entitled",
        param="X-Customer-Id",
        details={"entitlement": "customers", "plan": "starter"},
    )
    assert client.get("/v1/account", headers=starter.headers).status_code == 200


def test_a_plan_without_customers_cannot_use_a_key_locked_to_a_customer(
    client: TestClient[Litestar], database_url: str
) -> None:
    starter = asyncio.run(make_tenant(database_url, plan="starter"))
    _, secret = new_key(database_url, org_id=starter.org_id, customer_id=starter.customer_id)
    assert_error(
        client.get("/v1/account", headers=bearer(secret)),
        403,
        "not_entitled",
        details={"entitlement": "customers", "plan": "starter"},
    )


def _authenticate(
    database_url: str, headers: dict[str, str], *, scope: str | None, entitlement: str | None
) -> Principal:
    async def run() -> Principal:
        database = Database(database_url)
        try:
            authenticator = Authenticator(database=database, settings=Settings())
            return await authenticator.authenticate(headers, scope=scope, entitlement=entitlement)
        finally:
            await database.dispose()

    return asyncio.run(run())


def test_an_entitlement_missing_from_the_plan_is_not_entitled(database_url: str) -> None:
    starter = asyncio.run(make_tenant(database_url, plan="starter"))
    with pytest.raises(NotEntitled) as raised:
        _authenticate(
            database_url,
            {"authorization": f"Bearer {starter.secret}"},
            scope="people:read",
            entitlement="realtime",
        )
    assert raised.value.details == {"entitlement": "realtime", "plan": "starter"}
    assert raised.value.param is None
    principal = _authenticate(
        database_url,
        {"authorization": f"Bearer {starter.secret}"},
        scope="people:read",
        entitlement="bulk",
    )
    assert principal.entitlements == frozenset({"bulk"})


def test_acting_for_a_customer_takes_the_customer_s_plan(database_url: str, tenant: Tenant) -> None:
    starter_customer = new_customer(database_url, parent_id=tenant.org_id, plan="starter")
    headers = {"authorization": f"Bearer {tenant.secret}", "x-customer-id": starter_customer}
    principal = _authenticate(database_url, headers, scope="account:read", entitlement=None)
    assert principal == Principal(
        key_id=tenant.key_id,
        org_id=tenant.org_id,
        acting_org_id=starter_customer,
        customer_id=starter_customer,
        scopes=frozenset(SCOPES),
        plan="starter",
        entitlements=frozenset({"bulk"}),
    )
    with pytest.raises(NotEntitled):
        _authenticate(database_url, headers, scope="account:read", entitlement="realtime")


def test_a_principal_of_the_own_organization_has_its_plan(
    database_url: str, tenant: Tenant
) -> None:
    principal = _authenticate(
        database_url,
        {"authorization": f"Bearer {tenant.secret}"},
        scope=None,
        entitlement="webhooks",
    )
    assert principal.acting_org_id == tenant.org_id
    assert principal.customer_id is None
    assert principal.plan == "standard"
    assert principal.entitlements == frozenset(ALL_ENTITLEMENTS)
