from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from leadbase.server.app import create_app
from leadbase.server.auth.keys import TENANT_SCOPES
from leadbase.server.config import Settings
from tests.cli.cli import assert_failed, assert_failed_json, invoke, invoke_json


@pytest.fixture
def uncached_client(database_url: str) -> Iterator[TestClient[Litestar]]:
    """An app that asks the database about every key, so a revocation shows at once."""
    settings = Settings(
        database_url=database_url, auto_migrate=False, log_level="WARNING", key_cache_seconds=0
    )
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield client


def _bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def _create_org(database_url: str, name: str, *extra: str) -> dict[str, object]:
    org: dict[str, object] = invoke_json(
        "admin", "org", "create", name, *extra, "--database-url", database_url
    )
    return org


def test_created_organizations_are_listed_with_their_customers(database_url: str) -> None:
    parent = _create_org(database_url, "Acme")
    customer = _create_org(database_url, "Acme Customer", "--parent", str(parent["id"]))
    starter = _create_org(database_url, "Small Co", "--plan", "starter")

    listed = invoke_json("admin", "org", "list", "--database-url", database_url)

    assert listed == [parent, customer, starter]
    assert parent["name"] == "Acme"
    assert parent["plan"] == "standard"
    assert parent["parent_id"] is None
    assert (parent["active"], parent["demo"]) == (True, False)
    assert customer["parent_id"] == parent["id"]
    assert starter["plan"] == "starter"


def test_organization_table_shows_customers_under_their_parent(database_url: str) -> None:
    parent = _create_org(database_url, "Acme")
    other = _create_org(database_url, "Other")
    customer = _create_org(database_url, "Subsidiary", "--parent", str(parent["id"]))

    result = invoke("admin", "org", "list", "--database-url", database_url)

    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    rows = [line for line in lines if "org_" in line]
    assert [row.split()[0] for row in rows] == [parent["id"], customer["id"], other["id"]]
    assert "↳ Subsidiary" in rows[1]
    assert "3 organization(s)" in lines[0]


def test_created_key_authenticates_until_it_is_revoked(
    database_url: str, uncached_client: TestClient[Litestar]
) -> None:
    org = _create_org(database_url, "Acme")
    created = invoke_json(
        "admin",
        "key",
        "create",
        "--org",
        str(org["id"]),
        "--name",
        "ops",
        "--database-url",
        database_url,
    )
    secret = created["key"]
    assert secret.startswith("lb_live_")
    assert created["prefix"] == secret[:16]
    # Operator scopes (catalog:write) are only granted when named.
    assert created["scopes"] == list(TENANT_SCOPES)
    assert created["name"] == "ops"
    assert created["revoked_at"] is None

    account = uncached_client.get("/v1/account", headers=_bearer(secret))
    assert account.status_code == 200, account.text
    assert account.json()["data"]["id"] == org["id"]
    assert account.json()["data"]["api_key"]["id"] == created["id"]

    listed = invoke_json(
        "admin", "key", "list", "--org", str(org["id"]), "--database-url", database_url
    )
    assert [key["id"] for key in listed] == [created["id"]]
    assert "key" not in listed[0]
    assert listed[0]["last_used_at"] is not None

    revoked = invoke_json("admin", "key", "revoke", created["id"], "--database-url", database_url)
    assert revoked["id"] == created["id"]
    assert revoked["revoked_at"] is not None

    refused = uncached_client.get("/v1/account", headers=_bearer(secret))
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "api_key_revoked"


def test_revoking_a_revoked_key_again_keeps_its_first_revocation(database_url: str) -> None:
    org = _create_org(database_url, "Acme")
    created = invoke_json(
        "admin", "key", "create", "--org", str(org["id"]), "--database-url", database_url
    )
    first = invoke_json("admin", "key", "revoke", created["id"], "--database-url", database_url)
    again = invoke_json("admin", "key", "revoke", created["id"], "--database-url", database_url)
    assert again["revoked_at"] == first["revoked_at"]


def test_key_with_chosen_scopes_and_customer_lock_acts_only_as_that_customer(
    database_url: str, uncached_client: TestClient[Litestar]
) -> None:
    org = _create_org(database_url, "Acme")
    customer = _create_org(database_url, "Acme Customer", "--parent", str(org["id"]))
    created = invoke_json(
        "admin",
        "key",
        "create",
        "--org",
        str(org["id"]),
        "--scope",
        "account:read",
        "--scope",
        "people:read",
        "--customer",
        str(customer["id"]),
        "--database-url",
        database_url,
    )
    assert created["scopes"] == ["account:read", "people:read"]
    assert created["customer_id"] == customer["id"]

    account = uncached_client.get("/v1/account", headers=_bearer(created["key"]))
    assert account.status_code == 200, account.text
    assert account.json()["data"]["id"] == customer["id"]
    assert account.json()["data"]["acting_as_customer"] is True

    keys = uncached_client.get("/v1/api-keys", headers=_bearer(created["key"]))
    assert keys.status_code == 403
    assert keys.json()["error"]["code"] == "insufficient_scope"


def test_key_that_requires_a_customer_is_refused_without_one(
    database_url: str, uncached_client: TestClient[Litestar]
) -> None:
    org = _create_org(database_url, "Partner")
    customer = _create_org(database_url, "Partner Customer", "--parent", str(org["id"]))
    created = invoke_json(
        "admin",
        "key",
        "create",
        "--org",
        str(org["id"]),
        "--requires-customer",
        "--database-url",
        database_url,
    )
    assert created["requires_customer"] is True

    without = uncached_client.get("/v1/account", headers=_bearer(created["key"]))
    assert without.status_code == 401
    assert without.json()["error"]["code"] == "missing_customer_id"
    with_customer = uncached_client.get(
        "/v1/account",
        headers={**_bearer(created["key"]), "X-Customer-Id": str(customer["id"])},
    )
    assert with_customer.status_code == 200, with_customer.text
    assert with_customer.json()["data"]["id"] == customer["id"]


def test_key_expires_after_the_given_number_of_days(database_url: str) -> None:
    org = _create_org(database_url, "Acme")
    before = dt.datetime.now(dt.UTC)
    created = invoke_json(
        "admin",
        "key",
        "create",
        "--org",
        str(org["id"]),
        "--expires-in-days",
        "30",
        "--database-url",
        database_url,
    )
    expires_at = dt.datetime.fromisoformat(created["expires_at"])
    after = dt.datetime.now(dt.UTC)
    assert before + dt.timedelta(days=30) <= expires_at <= after + dt.timedelta(days=30)


def test_created_key_prints_its_secret_once_in_the_human_output(database_url: str) -> None:
    org = _create_org(database_url, "Acme")
    result = invoke(
        "admin", "key", "create", "--org", str(org["id"]), "--database-url", database_url
    )
    assert result.exit_code == 0, result.output
    secrets = [line for line in result.stdout.splitlines() if line.startswith("lb_live_")]
    assert len(secrets) == 1
    listed = invoke_json(
        "admin", "key", "list", "--org", str(org["id"]), "--database-url", database_url
    )
    assert listed[0]["prefix"] == secrets[0][:16]

    table = invoke("admin", "key", "list", "--org", str(org["id"]), "--database-url", database_url)
    assert table.exit_code == 0, table.output
    assert listed[0]["id"] in table.stdout
    assert secrets[0] not in table.stdout
    assert "note:" not in result.stderr


def test_a_key_that_writes_the_catalog_comes_with_a_note_of_what_that_means(
    database_url: str,
) -> None:
    org = _create_org(database_url, "Ops")
    result = invoke(
        "admin",
        "key",
        "create",
        "--org",
        str(org["id"]),
        "--scope",
        "catalog:write",
        "--database-url",
        database_url,
    )
    assert result.exit_code == 0, result.output
    assert "catalog:write lets this key create and change the catalog" in result.stderr
    assert "catalog:write" not in result.stdout.split("Secret")[1]


def test_key_for_an_unknown_organization_fails_with_not_found(database_url: str) -> None:
    result = invoke(
        "admin", "key", "create", "--org", "org_missing", "--database-url", database_url
    )
    assert_failed(result, "not_found")
    assert "org_missing" in result.stderr


def test_unknown_scope_fails_and_creates_no_key(database_url: str) -> None:
    org = _create_org(database_url, "Acme")
    result = invoke(
        "admin",
        "key",
        "create",
        "--org",
        str(org["id"]),
        "--scope",
        "account:read",
        "--scope",
        "everything:write",
        "--database-url",
        database_url,
    )
    assert_failed(result, "invalid_parameter")
    assert "everything:write" in result.stderr
    assert (
        invoke_json("admin", "key", "list", "--org", str(org["id"]), "--database-url", database_url)
        == []
    )


def test_errors_are_json_on_stderr_with_json(database_url: str) -> None:
    org = _create_org(database_url, "Acme")
    result = invoke(
        "admin",
        "key",
        "create",
        "--org",
        str(org["id"]),
        "--scope",
        "nope",
        "--json",
        "--database-url",
        database_url,
    )
    error = assert_failed_json(result, "invalid_parameter")
    assert error["param"] == "scopes"
    assert "nope" in error["details"]["scopes"]


def test_customer_of_another_organization_is_not_found(database_url: str) -> None:
    org = _create_org(database_url, "Acme")
    other = _create_org(database_url, "Other")
    foreign = _create_org(database_url, "Other Customer", "--parent", str(other["id"]))
    result = invoke(
        "admin",
        "key",
        "create",
        "--org",
        str(org["id"]),
        "--customer",
        str(foreign["id"]),
        "--database-url",
        database_url,
    )
    assert_failed(result, "not_found")


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("admin", "org", "create", "Acme", "--parent", "org_missing"), "not_found"),
        (("admin", "org", "create", "Acme", "--plan", "platinum"), "invalid_parameter"),
        (("admin", "key", "list", "--org", "org_missing"), "not_found"),
        (("admin", "key", "revoke", "key_missing"), "not_found"),
    ],
)
def test_unknown_references_fail_with_their_error_code(
    database_url: str, args: tuple[str, ...], code: str
) -> None:
    assert_failed(invoke(*args, "--database-url", database_url), code)
    assert invoke_json("admin", "org", "list", "--database-url", database_url) == []


def test_customer_cannot_have_customers_of_its_own(database_url: str) -> None:
    org = _create_org(database_url, "Acme")
    customer = _create_org(database_url, "Acme Customer", "--parent", str(org["id"]))
    result = invoke(
        "admin",
        "org",
        "create",
        "Nested",
        "--parent",
        str(customer["id"]),
        "--database-url",
        database_url,
    )
    assert_failed(result, "invalid_parameter")


@pytest.mark.parametrize("days", ["0", "36501", "3000000"])
def test_expiry_outside_1_to_36500_days_is_a_usage_error(database_url: str, days: str) -> None:
    result = invoke(
        "admin",
        "key",
        "create",
        "--org",
        "org_x",
        "--expires-in-days",
        days,
        "--database-url",
        database_url,
    )
    assert result.exit_code == 2
    assert "--expires-in-days" in result.stderr


def test_unreachable_database_fails_with_database_error() -> None:
    result = invoke(
        "admin",
        "org",
        "list",
        "--database-url",
        "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2",
    )
    assert_failed(result, "database_error")


def test_granted_credits_are_on_the_balance_and_the_ledger(
    database_url: str, uncached_client: TestClient[Litestar]
) -> None:
    org = _create_org(database_url, "Acme")
    first = invoke_json(
        "admin",
        "credits",
        "grant",
        "--org",
        str(org["id"]),
        "--credits",
        "12.345",
        "--note",
        "welcome",
        "--database-url",
        database_url,
    )
    second = invoke_json(
        "admin",
        "credits",
        "grant",
        "--org",
        str(org["id"]),
        "--credits",
        "2.5",
        "--database-url",
        database_url,
    )
    assert first == {
        "org_id": org["id"],
        "granted": 12.345,
        "balance": 12.345,
        "reserved": 0.0,
        "available": 12.345,
    }
    assert (second["granted"], second["balance"]) == (2.5, 14.845)

    key = invoke_json(
        "admin", "key", "create", "--org", str(org["id"]), "--database-url", database_url
    )
    headers = _bearer(key["key"])
    account = uncached_client.get("/v1/account", headers=headers).json()["data"]
    assert account["credits"] == {"balance": 14.845, "reserved": 0.0, "available": 14.845}
    ledger = uncached_client.get("/v1/account/transactions", headers=headers).json()["data"]
    assert sorted((entry["kind"], entry["credits"], entry["note"]) for entry in ledger) == [
        ("grant", 2.5, "granted by an operator"),
        ("grant", 12.345, "welcome"),
    ]


@pytest.mark.parametrize("amount", ["0", "-1", "0.0001"])
def test_a_grant_that_is_not_a_positive_amount_fails_and_writes_nothing(
    database_url: str, uncached_client: TestClient[Litestar], amount: str
) -> None:
    org = _create_org(database_url, "Acme")
    result = invoke(
        "admin",
        "credits",
        "grant",
        "--org",
        str(org["id"]),
        "--credits",
        amount,
        "--database-url",
        database_url,
    )
    assert_failed(result, "invalid_parameter")
    key = invoke_json(
        "admin", "key", "create", "--org", str(org["id"]), "--database-url", database_url
    )
    ledger = uncached_client.get("/v1/account/transactions", headers=_bearer(key["key"]))
    assert ledger.json()["data"] == []


def test_a_grant_to_an_unknown_organization_is_not_found(database_url: str) -> None:
    result = invoke(
        "admin",
        "credits",
        "grant",
        "--org",
        "org_nope",
        "--credits",
        "1",
        "--database-url",
        database_url,
    )
    assert_failed(result, "not_found")


@pytest.mark.parametrize("name", ["", "   ", "x" * 201], ids=["empty", "blank", "too-long"])
def test_an_organization_name_without_1_to_200_characters_fails_and_creates_nothing(
    database_url: str, name: str
) -> None:
    result = invoke("admin", "org", "create", name, "--database-url", database_url)
    assert_failed(result, "invalid_parameter")
    assert invoke_json("admin", "org", "list", "--database-url", database_url) == []


def test_an_organization_name_is_kept_without_its_surrounding_spaces(database_url: str) -> None:
    assert _create_org(database_url, "  Acme  ")["name"] == "Acme"
