"""POST/GET /v1/api-keys and DELETE /v1/api-keys/{id}."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import time
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from leadbase.server.auth.keys import SCOPES
from leadbase.server.db import utcnow
from leadbase.server.models import Base
from tests.envelopes import assert_error
from tests.factories import Tenant
from tests.server.auth.support import bearer, new_customer, new_key, rows

KEY_FORMAT = re.compile(r"^lb_live_[A-Za-z0-9]{32,}$")
KEY_FIELDS = {
    "id",
    "name",
    "prefix",
    "scopes",
    "customer_id",
    "requires_customer",
    "created_at",
    "expires_at",
    "revoked_at",
    "last_used_at",
}

DATETIME_WORDS = "expected a date-time with its time zone, like 2026-01-31T00:00:00Z (RFC 3339)"


def _create(client: TestClient[Litestar], headers: dict[str, str], **body: Any) -> dict[str, Any]:
    response = client.post("/v1/api-keys", json={"name": "ci", **body}, headers=headers)
    assert response.status_code == 201, response.text
    data: dict[str, Any] = response.json()["data"]
    return data


def _listed_ids(client: TestClient[Litestar], headers: dict[str, str]) -> list[str]:
    response = client.get("/v1/api-keys", params={"limit": 100}, headers=headers)
    assert response.status_code == 200, response.text
    return [key["id"] for key in response.json()["data"]]


# Create -----------------------------------------------------------------------------------


def test_create_answers_201_with_the_secret_shown_once(
    client: TestClient[Litestar], tenant: Tenant
) -> None:
    response = client.post("/v1/api-keys", json={"name": "ci"}, headers=tenant.headers)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["meta"] == {"request_id": response.headers["x-request-id"]}
    created = body["data"]
    assert set(created) == KEY_FIELDS | {"key"}
    assert KEY_FORMAT.match(created["key"])
    assert created["prefix"] == created["key"][:16]
    assert created["id"].startswith("key_")
    assert created["name"] == "ci"
    assert created["customer_id"] is None
    assert created["requires_customer"] is False
    assert created["expires_at"] is None
    assert created["revoked_at"] is None
    assert created["last_used_at"] is None
    assert abs(dt.datetime.fromisoformat(created["created_at"]) - utcnow()) < dt.timedelta(
        minutes=1
    )

    listing = client.get("/v1/api-keys", headers=tenant.headers)
    assert created["key"] not in listing.text
    assert created["key"][16:] not in listing.text
    (listed,) = [key for key in listing.json()["data"] if key["id"] == created["id"]]
    assert listed == {name: value for name, value in created.items() if name != "key"}


def test_a_created_key_works_at_once(client: TestClient[Litestar], tenant: Tenant) -> None:
    created = _create(client, tenant.headers, scopes=["account:read"])
    response = client.get("/v1/account", headers=bearer(created["key"]))
    assert response.status_code == 200, response.text
    assert response.json()["data"]["api_key"] == {"id": created["id"], "scopes": ["account:read"]}


def test_only_the_hash_and_the_prefix_of_a_key_are_stored(
    client: TestClient[Litestar], tenant: Tenant
) -> None:
    created = _create(client, tenant.headers)
    secret: str = created["key"]
    (row,) = rows(tenant.database_url, "SELECT * FROM api_keys WHERE id = :id", id=created["id"])
    assert row["secret_hash"] == hashlib.sha256(secret.encode()).hexdigest()
    assert row["prefix"] == secret[:16]
    for column, value in row.items():
        assert secret not in str(value), column
        assert secret[16:] not in str(value), column
    # Nor anywhere else in the database.
    for table in Base.metadata.sorted_tables:
        for stored in rows(tenant.database_url, f'SELECT * FROM "{table.name}"'):
            assert all(secret[16:] not in str(value) for value in stored.values()), table.name


def test_a_new_key_gets_the_creator_s_scopes_by_default(
    client: TestClient[Litestar], tenant: Tenant
) -> None:
    _, secret = new_key(
        tenant.database_url, org_id=tenant.org_id, scopes=["keys:manage", "people:read"]
    )
    created = _create(client, bearer(secret))
    assert sorted(created["scopes"]) == ["keys:manage", "people:read"]


def test_a_new_key_gets_the_scopes_asked_for(client: TestClient[Litestar], tenant: Tenant) -> None:
    created = _create(client, tenant.headers, scopes=["people:read", "search:read", "people:read"])
    assert created["scopes"] == ["people:read", "search:read"]


def test_a_key_cannot_grant_scopes_it_does_not_hold(
    client: TestClient[Litestar], tenant: Tenant
) -> None:
    _, secret = new_key(
        tenant.database_url, org_id=tenant.org_id, scopes=["keys:manage", "people:read"]
    )
    before = _listed_ids(client, tenant.headers)
    response = client.post(
        "/v1/api-keys",
        json={"name": "ci", "scopes": ["people:read", "emails:find", "phones:find"]},
        headers=bearer(secret),
    )
    assert_error(
        response,
        403,
        "insufficient_scope",
        param="scopes",
        details={"scopes": "not held by this key: emails:find, phones:find"},
    )
    assert _listed_ids(client, tenant.headers) == before


def test_an_unknown_scope_is_an_invalid_parameter(
    client: TestClient[Litestar], tenant: Tenant
) -> None:
    response = client.post(
        "/v1/api-keys",
        json={"name": "ci", "scopes": ["people:read", "people:write"]},
        headers=tenant.headers,
    )
    assert_error(
        response,
        400,
        "invalid_parameter",
        param="scopes",
        details={"scopes": f"unknown: people:write; known: {', '.join(SCOPES)}"},
    )


@pytest.mark.parametrize(
    ("body", "details"),
    [
        ({"name": ""}, {"name": "expected a string of at least 1 character"}),
        ({"name": "x" * 201}, {"name": "expected a string of at most 200 characters"}),
        ({}, {"name": "this field is required"}),
        ({"name": 7}, {"name": "expected a string, got an integer"}),
        (
            {"name": "ci", "scopes": "people:read"},
            {"scopes": "expected an array or null, got a string"},
        ),
        ({"name": "ci", "owner": "me"}, {"owner": "unknown field"}),
        (
            {"name": "ci", "expires_at": "tomorrow"},
            {"expires_at": DATETIME_WORDS},
        ),
        (
            {"name": "ci", "expires_at": "2999-01-01T00:00:00"},
            {"expires_at": DATETIME_WORDS},
        ),
        (
            {"name": "ci", "expires_at": "9999-12-31T23:59:59-05:00"},
            {"expires_at": "out of range once converted to UTC"},
        ),
        (
            {"name": "", "requires_customer": "yes"},
            {
                "name": "expected a string of at least 1 character",
                "requires_customer": "expected true or false, got a string",
            },
        ),
    ],
    ids=[
        "empty name",
        "long name",
        "no name",
        "name not a string",
        "scopes not a list",
        "unknown field",
        "expires_at not a time",
        "expires_at without offset",
        "expires_at past the calendar in UTC",
        "two fields",
    ],
)
def test_an_invalid_body_names_every_invalid_field(
    client: TestClient[Litestar], tenant: Tenant, body: dict[str, Any], details: dict[str, str]
) -> None:
    response = client.post("/v1/api-keys", json=body, headers=tenant.headers)
    assert_error(response, 400, "invalid_parameter", param=next(iter(details)), details=details)


def test_a_name_of_200_characters_is_accepted(client: TestClient[Litestar], tenant: Tenant) -> None:
    assert _create(client, tenant.headers, name="x" * 200)["name"] == "x" * 200


def test_an_expiry_in_the_past_is_an_invalid_parameter(
    client: TestClient[Litestar], tenant: Tenant
) -> None:
    past = (utcnow() - dt.timedelta(seconds=1)).isoformat()
    response = client.post(
        "/v1/api-keys", json={"name": "ci", "expires_at": past}, headers=tenant.headers
    )
    assert_error(
        response,
        400,
        "invalid_parameter",
        param="expires_at",
        details={"expires_at": "must be in the future"},
    )


def test_unknown_scopes_and_a_past_expiry_are_named_together(
    client: TestClient[Litestar], tenant: Tenant
) -> None:
    body = {"name": "ci", "scopes": ["bogus"], "expires_at": "2020-01-01T00:00:00Z"}
    response = client.post("/v1/api-keys", json=body, headers=tenant.headers)
    error = assert_error(response, 400, "invalid_parameter", param="scopes")
    assert error["details"]["expires_at"] == "must be in the future"
    assert error["details"]["scopes"].startswith("unknown: bogus; known: ")
    assert error["message"] == "2 fields are invalid: scopes, expires_at"


def test_an_expiry_in_the_future_is_kept(client: TestClient[Litestar], tenant: Tenant) -> None:
    expires_at = dt.datetime(2999, 1, 1, 12, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    created = _create(client, tenant.headers, expires_at=expires_at.isoformat())
    assert dt.datetime.fromisoformat(created["expires_at"]) == expires_at
    assert client.get("/v1/account", headers=bearer(created["key"])).status_code == 200


def test_a_key_that_requires_a_customer_is_created_as_such(
    client: TestClient[Litestar], tenant: Tenant
) -> None:
    created = _create(client, tenant.headers, requires_customer=True)
    assert created["requires_customer"] is True
    assert_error(
        client.get("/v1/account", headers=bearer(created["key"])),
        401,
        "missing_customer_id",
        param="X-Customer-Id",
    )
    response = client.get(
        "/v1/account", headers={**bearer(created["key"]), "X-Customer-Id": tenant.customer_id}
    )
    assert response.status_code == 200, response.text
    assert response.json()["data"]["id"] == tenant.customer_id


def test_a_key_locked_to_a_customer_acts_for_it(
    client: TestClient[Litestar], tenant: Tenant
) -> None:
    created = _create(client, tenant.headers, customer_id=tenant.customer_id)
    assert created["customer_id"] == tenant.customer_id
    response = client.get("/v1/account", headers=bearer(created["key"]))
    assert response.status_code == 200, response.text
    assert response.json()["data"]["id"] == tenant.customer_id


def test_locking_a_key_to_an_organization_that_is_not_a_customer_is_not_found(
    client: TestClient[Litestar], tenant: Tenant
) -> None:
    _, customer_secret = new_key(tenant.database_url, org_id=tenant.customer_id)
    for headers, customer_id in (
        (tenant.headers, tenant.org_id),
        (tenant.headers, "org_nobody"),
        (bearer(customer_secret), tenant.org_id),
        (tenant.customer_headers(), tenant.customer_id),
    ):
        response = client.post(
            "/v1/api-keys", json={"name": "ci", "customer_id": customer_id}, headers=headers
        )
        assert_error(response, 404, "not_found", param="customer_id", details=None)


def test_creating_keys_needs_the_keys_manage_scope(
    client: TestClient[Litestar], tenant: Tenant
) -> None:
    _, secret = new_key(tenant.database_url, org_id=tenant.org_id, scopes=["account:read"])
    expected = {"required": "keys:manage", "granted": ["account:read"]}
    for response in (
        client.post("/v1/api-keys", json={"name": "ci"}, headers=bearer(secret)),
        client.get("/v1/api-keys", headers=bearer(secret)),
        client.delete(f"/v1/api-keys/{tenant.key_id}", headers=bearer(secret)),
    ):
        assert_error(response, 403, "insufficient_scope", param=None, details=expected)
    assert client.get("/v1/account", headers=tenant.headers).status_code == 200


def test_an_empty_body_is_payload_is_empty(client: TestClient[Litestar], tenant: Tenant) -> None:
    response = client.post("/v1/api-keys", content=b"", headers=tenant.headers)
    assert_error(response, 400, "payload_is_empty")


# List -------------------------------------------------------------------------------------


def test_keys_are_listed_newest_first_in_pages_without_gaps_or_repeats(
    client: TestClient[Litestar], tenant: Tenant
) -> None:
    created: list[str] = []
    for n in range(24):
        created.append(_create(client, tenant.headers, name=f"key {n}")["id"])
        # Ids order by creation to the millisecond; keep each key in a millisecond of its own.
        time.sleep(0.002)
    expected = [*reversed(created), tenant.key_id]

    seen: list[str] = []
    pages: list[tuple[int, bool]] = []
    cursor: str | None = None
    while True:
        params: dict[str, Any] = {"limit": 10} | ({"cursor": cursor} if cursor else {})
        response = client.get("/v1/api-keys", params=params, headers=tenant.headers)
        assert response.status_code == 200, response.text
        body = response.json()
        meta = body["meta"]
        seen += [key["id"] for key in body["data"]]
        pages.append((len(body["data"]), meta["has_more"]))
        assert all(set(key) == KEY_FIELDS for key in body["data"])
        if not meta["has_more"]:
            assert meta == {
                "request_id": response.headers["x-request-id"],
                "next_cursor": None,
                "has_more": False,
            }
            break
        assert isinstance(meta["next_cursor"], str) and meta["next_cursor"]
        cursor = meta["next_cursor"]

    assert pages == [(10, True), (10, True), (5, False)]
    assert seen == expected


def test_a_listing_that_fits_one_page_has_no_more(
    client: TestClient[Litestar], tenant: Tenant
) -> None:
    response = client.get("/v1/api-keys", headers=tenant.headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert [key["id"] for key in body["data"]] == [tenant.key_id]
    assert body["meta"] == {
        "request_id": response.headers["x-request-id"],
        "next_cursor": None,
        "has_more": False,
    }


def test_a_page_that_ends_exactly_at_the_last_key_has_no_more(
    client: TestClient[Litestar], tenant: Tenant
) -> None:
    _create(client, tenant.headers)
    response = client.get("/v1/api-keys", params={"limit": 2}, headers=tenant.headers)
    assert len(response.json()["data"]) == 2
    assert response.json()["meta"]["has_more"] is False


@pytest.mark.parametrize("limit", ["0", "101", "-1"])
def test_a_limit_outside_1_to_100_is_limit_out_of_range(
    client: TestClient[Litestar], tenant: Tenant, limit: str
) -> None:
    response = client.get("/v1/api-keys", params={"limit": limit}, headers=tenant.headers)
    assert_error(
        response,
        400,
        "limit_out_of_range",
        param="limit",
        details={"limit": "must be between 1 and 100"},
    )


@pytest.mark.parametrize("cursor", ["garbage", "eyJ4IjoxfQ", "WyJsaXN0cyIsImtleV8xIl0"])
def test_a_cursor_that_is_not_one_of_this_listing_is_invalid(
    client: TestClient[Litestar], tenant: Tenant, cursor: str
) -> None:
    # The last one is a well-formed cursor of another listing (["lists", "key_1"]).
    response = client.get("/v1/api-keys", params={"cursor": cursor}, headers=tenant.headers)
    assert_error(response, 400, "invalid_cursor", param="cursor")


def test_revoked_keys_stay_listed_with_their_revocation_time(
    client: TestClient[Litestar], tenant: Tenant
) -> None:
    key_id, _ = new_key(tenant.database_url, org_id=tenant.org_id)
    revoked_at = client.delete(f"/v1/api-keys/{key_id}", headers=tenant.headers).json()["data"][
        "revoked_at"
    ]
    response = client.get("/v1/api-keys", headers=tenant.headers)
    (listed,) = [key for key in response.json()["data"] if key["id"] == key_id]
    assert listed["revoked_at"] == revoked_at is not None


# Revoke -----------------------------------------------------------------------------------


def test_revoking_answers_200_with_the_revoked_key(
    client: TestClient[Litestar], tenant: Tenant
) -> None:
    created = _create(client, tenant.headers)
    before = utcnow()
    response = client.delete(f"/v1/api-keys/{created['id']}", headers=tenant.headers)
    assert response.status_code == 200, response.text
    revoked = response.json()["data"]
    assert set(revoked) == KEY_FIELDS
    assert before <= dt.datetime.fromisoformat(revoked["revoked_at"]) <= utcnow()
    unchanged = {
        name: value for name, value in created.items() if name not in {"key", "revoked_at"}
    }
    assert {name: value for name, value in revoked.items() if name != "revoked_at"} == unchanged


def test_revoking_again_changes_nothing(client: TestClient[Litestar], tenant: Tenant) -> None:
    key_id, _ = new_key(tenant.database_url, org_id=tenant.org_id)
    first = client.delete(f"/v1/api-keys/{key_id}", headers=tenant.headers)
    again = client.delete(f"/v1/api-keys/{key_id}", headers=tenant.headers)
    assert first.status_code == again.status_code == 200
    assert again.json()["data"] == first.json()["data"]


def test_revoking_a_key_that_does_not_exist_is_not_found(
    client: TestClient[Litestar], tenant: Tenant
) -> None:
    for key_id in ("key_01J0000000000000000000000", "nope"):
        response = client.delete(f"/v1/api-keys/{key_id}", headers=tenant.headers)
        assert_error(response, 404, "not_found", param="id", details=None)


# Acting for a customer --------------------------------------------------------------------


def test_acting_for_a_customer_manages_the_customer_s_keys(
    client: TestClient[Litestar], tenant: Tenant
) -> None:
    created = _create(client, tenant.customer_headers(), name="for the customer")

    assert _listed_ids(client, tenant.customer_headers()) == [created["id"]]
    assert created["id"] not in _listed_ids(client, tenant.headers)
    # The new key belongs to the customer: it acts for the customer without any header.
    account = client.get("/v1/account", headers=bearer(created["key"]))
    assert account.json()["data"]["id"] == tenant.customer_id
    assert account.json()["data"]["acting_as_customer"] is False

    # Only while acting for the customer can the parent revoke it.
    response = client.delete(f"/v1/api-keys/{created['id']}", headers=tenant.headers)
    assert_error(response, 404, "not_found", param="id")
    response = client.delete(f"/v1/api-keys/{created['id']}", headers=tenant.customer_headers())
    assert response.status_code == 200, response.text
    assert_error(client.get("/v1/account", headers=bearer(created["key"])), 401, "api_key_revoked")


def test_a_customer_s_key_cannot_see_or_revoke_the_parent_s_keys(
    client: TestClient[Litestar], tenant: Tenant
) -> None:
    customer_key, customer_secret = new_key(tenant.database_url, org_id=tenant.customer_id)
    assert _listed_ids(client, bearer(customer_secret)) == [customer_key]
    response = client.delete(f"/v1/api-keys/{tenant.key_id}", headers=bearer(customer_secret))
    assert_error(response, 404, "not_found", param="id", details=None)
    assert client.get("/v1/account", headers=tenant.headers).status_code == 200


def test_customers_do_not_see_each_other_s_keys(
    client: TestClient[Litestar], tenant: Tenant
) -> None:
    other_customer = new_customer(tenant.database_url, parent_id=tenant.org_id)
    mine = _create(client, tenant.customer_headers())
    theirs = _create(client, {**tenant.headers, "X-Customer-Id": other_customer})
    assert _listed_ids(client, tenant.customer_headers()) == [mine["id"]]
    assert _listed_ids(client, {**tenant.headers, "X-Customer-Id": other_customer}) == [
        theirs["id"]
    ]
    response = client.delete(f"/v1/api-keys/{theirs['id']}", headers=tenant.customer_headers())
    assert_error(response, 404, "not_found", param="id")


def test_an_idempotent_create_makes_one_key_and_never_replays_its_secret(
    client: TestClient[Litestar], tenant: Tenant
) -> None:
    headers = {**tenant.headers, "Idempotency-Key": "create-ci-key"}
    body = {"name": "ci", "scopes": ["people:read"]}
    first = client.post("/v1/api-keys", json=body, headers=headers)
    again = client.post("/v1/api-keys", json=body, headers=headers)

    assert first.status_code == again.status_code == 201
    assert "idempotent-replayed" not in first.headers
    assert again.headers["idempotent-replayed"] == "true"
    created, replayed = first.json()["data"], again.json()["data"]
    assert created["key"].startswith("lb_live_")
    assert replayed == {**created, "key": None}
    assert again.json()["meta"]["request_id"] == first.json()["meta"]["request_id"]
    keys = rows(tenant.database_url, "SELECT id FROM api_keys WHERE name = 'ci'")
    assert [row["id"] for row in keys] == [created["id"]]
    # What is stored for the replay does not hold the secret.
    (stored,) = rows(tenant.database_url, "SELECT body FROM idempotency_records")
    assert created["key"].encode() not in bytes(stored["body"])

    other = client.post("/v1/api-keys", json={**body, "name": "other"}, headers=headers)
    assert_error(other, 409, "idempotency_key_reused", param="Idempotency-Key")
