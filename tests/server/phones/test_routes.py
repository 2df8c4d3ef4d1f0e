"""POST /v1/phones/validate over HTTP on both profiles: answers, billing, refusals."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from leadbase.server.config import Settings
from tests.envelopes import assert_error
from tests.factories import Tenant, make_key
from tests.server.credits.support import (
    PHONE_PRICE,
    VALID_PHONE,
    account,
    assert_ledger_consistent,
    configured,
    entries,
    fund,
    funded_tenant,
    idempotency_records,
    kinds,
    reservations,
    serve,
    usage_events,
)

PATH = "/v1/phones/validate"
UK_ZONES = ["Europe/Guernsey", "Europe/Isle_of_Man", "Europe/Jersey", "Europe/London"]
RATE_HEADERS = (
    "x-ratelimit-limit",
    "x-ratelimit-remaining",
    "x-ratelimit-reset",
    "ratelimit-limit",
    "ratelimit-remaining",
    "ratelimit-reset",
)


@pytest.fixture
def acme(profile: Settings) -> Tenant:
    return funded_tenant(profile.database_url, amount=1_000)


@pytest.fixture
def api(profile: Settings) -> Iterator[TestClient[Litestar]]:
    with serve(profile) as client:
        yield client


def validate(client: TestClient[Litestar], tenant: Tenant, body: Any, **headers: str) -> Any:
    return client.post(PATH, json=body, headers={**tenant.headers, **headers})


# Valid numbers ----------------------------------------------------------------------------


def test_a_valid_number_is_described_and_costs_a_tenth_of_a_credit(
    api: TestClient[Litestar], acme: Tenant
) -> None:
    response = validate(api, acme, {"phone": "+44 7400 123456"})
    assert response.status_code == 200, response.text
    request_id = response.headers["x-request-id"]
    assert response.json() == {
        "data": {
            "input": "+44 7400 123456",
            "valid": True,
            "possible": True,
            "reason": None,
            "formats": {
                "e164": "+447400123456",
                "international": "+44 7400 123456",
                "national": "07400 123456",
            },
            "type": "mobile",
            "region": "GB",
            "country_code": 44,
            "carrier": "Three",
            "time_zones": UK_ZONES,
        },
        "meta": {"request_id": request_id, "credits_charged": 0.1},
    }
    assert response.headers["x-ratelimit-limit"] == "120"
    assert response.headers["x-ratelimit-remaining"] == "119"
    assert assert_ledger_consistent(acme.database_url, acme.org_id) == (1_000 - PHONE_PRICE, 0)
    billed = [e for e in entries(acme.database_url, acme.org_id) if e["kind"] != "grant"]
    assert sorted((e["kind"], e["amount"], e["operation"], e["request_id"]) for e in billed) == [
        ("capture", PHONE_PRICE, "phones.validate", request_id),
        ("reserve", PHONE_PRICE, "phones.validate", request_id),
    ]
    assert len({e["reservation_id"] for e in billed}) == 1
    assert usage_events(acme.database_url, acme.org_id) == [
        {
            "operation": "phones.validate",
            "units": 1,
            "charged": PHONE_PRICE,
            "request_id": request_id,
        }
    ]


@pytest.mark.parametrize(
    ("phone", "formats", "kind", "region", "code", "carrier", "zones"),
    [
        (
            "+1 650-253-0000",
            ["+16502530000", "+1 650-253-0000", "(650) 253-0000"],
            "fixed_line_or_mobile",
            "US",
            1,
            None,
            ["America/Los_Angeles"],
        ),
        (
            "+44 20 7946 0018",
            ["+442079460018", "+44 20 7946 0018", "020 7946 0018"],
            "fixed_line",
            "GB",
            44,
            None,
            ["Europe/London"],
        ),
        (
            "+49 1512 3456789",
            ["+4915123456789", "+49 1512 3456789", "01512 3456789"],
            "mobile",
            "DE",
            49,
            "T-Mobile",
            ["Europe/Berlin"],
        ),
        (
            "+33 1 42 68 53 00",
            ["+33142685300", "+33 1 42 68 53 00", "01 42 68 53 00"],
            "fixed_line",
            "FR",
            33,
            None,
            ["Europe/Paris"],
        ),
    ],
    ids=["US", "GB", "DE", "FR"],
)
def test_valid_numbers_of_several_countries(
    api: TestClient[Litestar],
    acme: Tenant,
    phone: str,
    formats: list[str],
    kind: str,
    region: str,
    code: int,
    carrier: str | None,
    zones: list[str],
) -> None:
    response = validate(api, acme, {"phone": phone})
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert data["valid"] is True
    assert [data["formats"][name] for name in ("e164", "international", "national")] == formats
    assert (data["type"], data["region"], data["country_code"]) == (kind, region, code)
    assert (data["carrier"], data["time_zones"]) == (carrier, zones)
    assert response.json()["meta"]["credits_charged"] == 0.1


def test_a_national_number_is_read_in_default_region(
    api: TestClient[Litestar], acme: Tenant
) -> None:
    response = validate(api, acme, {"phone": "(650) 253-0000", "default_region": "us"})
    assert response.status_code == 200, response.text
    assert response.json()["data"]["formats"]["e164"] == "+16502530000"
    assert response.json()["meta"]["credits_charged"] == 0.1


# Invalid numbers are answered, not charged -----------------------------------------------


@pytest.mark.parametrize(
    ("body", "possible", "reason", "code"),
    [
        ({"phone": "not a phone"}, False, "not_a_number", None),
        ({"phone": "+1 23"}, False, "too_short", 1),
        ({"phone": "+1 212 000 0000"}, True, "invalid_for_region", 1),
        ({"phone": "020 7946 0018"}, False, "invalid_country_code", None),
        ({"phone": ""}, False, "not_a_number", None),
    ],
)
def test_an_invalid_number_is_200_valid_false_and_free(
    api: TestClient[Litestar],
    acme: Tenant,
    body: dict[str, str],
    possible: bool,
    reason: str,
    code: int | None,
) -> None:
    response = validate(api, acme, body)
    assert response.status_code == 200, response.text
    request_id = response.headers["x-request-id"]
    assert response.json() == {
        "data": {
            "input": body["phone"],
            "valid": False,
            "possible": possible,
            "reason": reason,
            "formats": None,
            "type": None,
            "region": None,
            "country_code": code,
            "carrier": None,
            "time_zones": [],
        },
        "meta": {"request_id": request_id, "credits_charged": 0.0},
    }
    assert assert_ledger_consistent(acme.database_url, acme.org_id) == (1_000, 0)
    assert kinds(acme.database_url, acme.org_id) == [
        ("grant", 1_000),
        ("reserve", PHONE_PRICE),
        ("release", PHONE_PRICE),
    ]
    assert usage_events(acme.database_url, acme.org_id) == [
        {"operation": "phones.validate", "units": 0, "charged": 0, "request_id": request_id}
    ]


# Refusals perform nothing ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "param", "details"),
    [
        ({}, "phone", {"phone": "this field is required"}),
        ({"phone": 4477001234}, "phone", {"phone": "expected a string, got an integer"}),
        ({"phone": None}, "phone", {"phone": "expected a string, got null"}),
        (
            {"default_region": 3},
            "phone",
            {
                "phone": "this field is required",
                "default_region": "expected a string or null, got an integer",
            },
        ),
        (
            {"phone": VALID_PHONE, "default_region": "USA"},
            "default_region",
            {"default_region": "expected a two-letter ISO 3166-1 country code, like US or DE"},
        ),
        ({"phone": VALID_PHONE, "extension": "12"}, "extension", {"extension": "unknown field"}),
    ],
    ids=["missing", "number", "null", "every-field", "region", "unknown-field"],
)
def test_a_body_without_a_string_phone_is_400_and_neither_stored_nor_charged(
    api: TestClient[Litestar],
    acme: Tenant,
    body: dict[str, Any],
    param: str,
    details: dict[str, str],
) -> None:
    response = validate(api, acme, body, **{"Idempotency-Key": "bad-body"})
    assert_error(response, 400, "invalid_parameter", param=param, details=details)
    assert idempotency_records(acme.database_url) == []
    assert usage_events(acme.database_url, acme.org_id) == []
    assert kinds(acme.database_url, acme.org_id) == [("grant", 1_000)]


def test_an_empty_account_is_402_with_rate_headers_and_nothing_performed(
    profile: Settings, api: TestClient[Litestar]
) -> None:
    broke = funded_tenant(profile.database_url, amount=0)
    response = validate(api, broke, {"phone": VALID_PHONE}, **{"Idempotency-Key": "k-402"})
    assert_error(
        response,
        402,
        "insufficient_credits",
        param=None,
        details={"required": 0.1, "available": 0.0},
    )
    assert response.json()["error"]["message"] == "This call needs 0.1 credits; 0 are available."
    for header in RATE_HEADERS:
        assert header in response.headers
    assert response.headers["x-ratelimit-remaining"] == "119"
    assert "retry-after" not in response.headers
    assert usage_events(profile.database_url, broke.org_id) == []
    assert entries(profile.database_url, broke.org_id) == []
    assert reservations(profile.database_url, broke.org_id) == []
    assert idempotency_records(profile.database_url) == []


def test_a_balance_below_the_price_is_402_even_for_a_number_that_would_be_free(
    profile: Settings, api: TestClient[Litestar]
) -> None:
    short = funded_tenant(profile.database_url, amount=PHONE_PRICE - 1)
    response = validate(api, short, {"phone": "not a phone"})
    assert_error(
        response, 402, "insufficient_credits", details={"required": 0.1, "available": 0.099}
    )
    assert account(profile.database_url, short.org_id) == (PHONE_PRICE - 1, 0)


def test_a_key_without_phones_find_is_403_insufficient_scope(
    api: TestClient[Litestar], acme: Tenant
) -> None:
    _, secret = asyncio.run(
        make_key(acme.database_url, org_id=acme.org_id, scopes=["account:read"])
    )
    response = api.post(
        PATH, json={"phone": VALID_PHONE}, headers={"Authorization": f"Bearer {secret}"}
    )
    assert_error(
        response,
        403,
        "insufficient_scope",
        details={"required": "phones:find", "granted": ["account:read"]},
    )
    assert kinds(acme.database_url, acme.org_id) == [("grant", 1_000)]


# Prices and who pays ---------------------------------------------------------------------


def test_an_organizations_price_override_is_what_it_is_charged(profile: Settings) -> None:
    acme = funded_tenant(profile.database_url, amount=1_000)
    settings = configured(profile, org_prices={acme.org_id: {"phones.validate": 250}})
    with serve(settings) as client:
        response = validate(client, acme, {"phone": VALID_PHONE})
    assert response.status_code == 200, response.text
    assert response.json()["meta"]["credits_charged"] == 0.25
    assert account(profile.database_url, acme.org_id) == (750, 0)


def test_acting_for_a_customer_spends_the_customers_credits(
    api: TestClient[Litestar], acme: Tenant
) -> None:
    fund(acme.database_url, acme.customer_id, 500)
    response = api.post(PATH, json={"phone": VALID_PHONE}, headers=acme.customer_headers())
    assert response.status_code == 200, response.text
    assert response.json()["meta"]["credits_charged"] == 0.1
    assert assert_ledger_consistent(acme.database_url, acme.customer_id) == (400, 0)
    assert account(acme.database_url, acme.org_id) == (1_000, 0)
    assert kinds(acme.database_url, acme.org_id) == [("grant", 1_000)]
    assert len(usage_events(acme.database_url, acme.customer_id)) == 1
    assert usage_events(acme.database_url, acme.org_id) == []


def test_a_customer_without_credits_is_402_even_when_its_parent_has_some(
    api: TestClient[Litestar], acme: Tenant
) -> None:
    response = api.post(PATH, json={"phone": VALID_PHONE}, headers=acme.customer_headers())
    assert_error(response, 402, "insufficient_credits")
    assert account(acme.database_url, acme.org_id) == (1_000, 0)


# Timeouts ------------------------------------------------------------------------------


def test_an_operation_that_overruns_is_503_and_charges_nothing(profile: Settings) -> None:
    acme = funded_tenant(profile.database_url, amount=1_000)
    settings = configured(
        profile,
        operation_timeout_seconds=0.2,
        reservation_timeout_seconds=5,
        fault_delay_seconds={"phones.validate": 1.0},
    )
    with serve(settings) as client:
        response = validate(client, acme, {"phone": VALID_PHONE}, **{"Idempotency-Key": "slow"})
    assert_error(response, 503, "upstream_timeout", param=None, details=None)
    assert response.json()["error"]["message"] == (
        "phones.validate did not finish within 0.2s; nothing was charged."
    )
    assert "x-ratelimit-limit" in response.headers
    assert assert_ledger_consistent(acme.database_url, acme.org_id) == (1_000, 0)
    assert kinds(acme.database_url, acme.org_id) == [
        ("grant", 1_000),
        ("reserve", PHONE_PRICE),
        ("release", PHONE_PRICE),
    ]
    assert [r["state"] for r in reservations(acme.database_url, acme.org_id)] == ["settled"]
    assert idempotency_records(acme.database_url) == []
