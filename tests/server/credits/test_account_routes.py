"""GET /v1/account, /v1/account/transactions and /v1/account/usage on both profiles."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections.abc import Iterator
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from leadbase.server.config import Settings
from leadbase.server.credits import service as credits
from leadbase.server.credits.models import UsageEvent
from leadbase.server.credits.prices import DEFAULT_PRICES
from leadbase.server.db import Database
from leadbase.server.ids import new_id
from leadbase.server.pagination import encode_cursor
from tests.envelopes import assert_error
from tests.factories import Tenant
from tests.server.auth.support import bearer, new_key
from tests.server.credits.support import (
    VALID_PHONE,
    configured,
    fund,
    funded_tenant,
    serve,
)

TODAY = dt.datetime.now(dt.UTC).date()


def listed_prices(**overrides: float) -> dict[str, float]:
    """Every built-in price in credits, with ``overrides``."""
    return {**{name: price / 1000 for name, price in DEFAULT_PRICES.items()}, **overrides}


@pytest.fixture
def acme(profile: Settings) -> Tenant:
    return funded_tenant(profile.database_url, amount=1_000)


@pytest.fixture
def api(profile: Settings) -> Iterator[TestClient[Litestar]]:
    with serve(profile) as client:
        yield client


async def _hold(database_url: str, org_id: str, amount: int) -> None:
    database = Database(database_url)
    try:
        async with database.transaction() as session:
            await credits.reserve(
                session,
                org_id=org_id,
                operation="phones.validate",
                amount=amount,
                timeout=dt.timedelta(minutes=5),
            )
    finally:
        await database.dispose()


async def _add_usage(database_url: str, org_id: str, lines: list[tuple[Any, ...]]) -> None:
    database = Database(database_url)
    try:
        async with database.transaction() as session:
            for at, operation, units, charged in lines:
                session.add(
                    UsageEvent(
                        id=new_id("use"),
                        org_id=org_id,
                        operation=operation,
                        units=units,
                        charged=charged,
                        request_id=None,
                        created_at=at,
                    )
                )
    finally:
        await database.dispose()


def noon(day: dt.date, *, hours: float = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), dt.UTC) + dt.timedelta(hours=hours)


# GET /v1/account ------------------------------------------------------------------------


def test_the_account_shows_balance_reserved_available_and_prices(
    api: TestClient[Litestar], acme: Tenant
) -> None:
    asyncio.run(_hold(acme.database_url, acme.org_id, 250))
    response = api.get("/v1/account", headers=acme.headers)
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert data["credits"] == {"balance": 1.0, "reserved": 0.25, "available": 0.75}
    assert data["prices"] == listed_prices(**{"phones.validate": 0.1})
    assert data["id"] == acme.org_id
    assert data["acting_as_customer"] is False


def test_an_organization_without_an_account_shows_zero_credits(
    profile: Settings, api: TestClient[Litestar]
) -> None:
    empty = funded_tenant(profile.database_url, amount=0)
    response = api.get("/v1/account", headers=empty.headers)
    assert response.json()["data"]["credits"] == {"balance": 0.0, "reserved": 0.0, "available": 0.0}


def test_acting_for_a_customer_shows_the_customers_credits_and_prices(profile: Settings) -> None:
    acme = funded_tenant(profile.database_url, amount=1_000)
    fund(profile.database_url, acme.customer_id, 3_500)
    settings = configured(profile, org_prices={acme.customer_id: {"phones.validate": 40}})
    with serve(settings) as client:
        mine = client.get("/v1/account", headers=acme.headers).json()["data"]
        theirs = client.get("/v1/account", headers=acme.customer_headers()).json()["data"]
    assert mine["credits"]["balance"] == 1.0
    assert mine["prices"] == listed_prices(**{"phones.validate": 0.1})
    assert theirs["id"] == acme.customer_id
    assert theirs["acting_as_customer"] is True
    assert theirs["credits"] == {"balance": 3.5, "reserved": 0.0, "available": 3.5}
    assert theirs["prices"] == listed_prices(**{"phones.validate": 0.04})


# GET /v1/account/transactions -----------------------------------------------------------


def test_transactions_are_paged_newest_first_with_a_cursor(
    profile: Settings, api: TestClient[Litestar]
) -> None:
    acme = funded_tenant(profile.database_url, amount=0)
    for amount in (100, 200, 300, 400, 500):
        fund(profile.database_url, acme.org_id, amount)
        time.sleep(0.002)  # ids order by millisecond
    pages: list[list[dict[str, Any]]] = []
    cursor: str | None = None
    while True:
        params = {"limit": "2", **({"cursor": cursor} if cursor else {})}
        response = api.get("/v1/account/transactions", params=params, headers=acme.headers)
        assert response.status_code == 200, response.text
        body = response.json()
        pages.append(body["data"])
        cursor = body["meta"]["next_cursor"]
        assert body["meta"]["has_more"] is (cursor is not None)
        if cursor is None:
            break
    assert [len(page) for page in pages] == [2, 2, 1]
    lines = [line for page in pages for line in page]
    assert [line["credits"] for line in lines] == [0.5, 0.4, 0.3, 0.2, 0.1]
    assert [line["id"] for line in lines] == sorted((line["id"] for line in lines), reverse=True)
    assert lines[0] == {
        "id": lines[0]["id"],
        "kind": "grant",
        "credits": 0.5,
        "operation": None,
        "reservation_id": None,
        "request_id": None,
        "job_id": None,
        "note": "test grant",
        "created_at": lines[0]["created_at"],
    }


def test_transactions_of_a_call_carry_its_request_id_and_operation(
    api: TestClient[Litestar], acme: Tenant
) -> None:
    call = api.post("/v1/phones/validate", json={"phone": VALID_PHONE}, headers=acme.headers)
    request_id = call.headers["x-request-id"]
    response = api.get("/v1/account/transactions", headers=acme.headers)
    lines = response.json()["data"]
    assert response.json()["meta"] == {
        "request_id": response.headers["x-request-id"],
        "next_cursor": None,
        "has_more": False,
    }
    billed = [line for line in lines if line["kind"] != "grant"]
    assert sorted((line["kind"], line["credits"]) for line in billed) == [
        ("capture", 0.1),
        ("reserve", 0.1),
    ]
    for line in billed:
        assert (line["operation"], line["request_id"]) == ("phones.validate", request_id)
    assert billed[0]["reservation_id"] == billed[1]["reservation_id"] is not None


def test_transactions_for_a_customer_are_the_customers_ledger(
    api: TestClient[Litestar], acme: Tenant
) -> None:
    fund(acme.database_url, acme.customer_id, 700)
    theirs = api.get("/v1/account/transactions", headers=acme.customer_headers()).json()["data"]
    mine = api.get("/v1/account/transactions", headers=acme.headers).json()["data"]
    assert [line["credits"] for line in theirs] == [0.7]
    assert [line["credits"] for line in mine] == [1.0]


@pytest.mark.parametrize("cursor", ["not-a-cursor!", encode_cursor("api_keys", "key_1")])
def test_a_bad_transactions_cursor_is_400_invalid_cursor(
    api: TestClient[Litestar], acme: Tenant, cursor: str
) -> None:
    response = api.get("/v1/account/transactions", params={"cursor": cursor}, headers=acme.headers)
    assert_error(
        response,
        400,
        "invalid_cursor",
        param="cursor",
        details={"cursor": "malformed or from another listing"},
    )


@pytest.mark.parametrize("limit", ["0", "101", "-5"])
def test_a_transactions_limit_out_of_range_is_400(
    api: TestClient[Litestar], acme: Tenant, limit: str
) -> None:
    response = api.get("/v1/account/transactions", params={"limit": limit}, headers=acme.headers)
    assert_error(
        response,
        400,
        "limit_out_of_range",
        param="limit",
        details={"limit": "must be between 1 and 100"},
    )


def test_account_reads_need_account_read(api: TestClient[Litestar], acme: Tenant) -> None:
    _, secret = new_key(acme.database_url, org_id=acme.org_id, scopes=["phones:find"])
    for path in ("/v1/account", "/v1/account/transactions", "/v1/account/usage"):
        assert_error(
            api.get(path, headers=bearer(secret)),
            403,
            "insufficient_scope",
            details={"required": "account:read", "granted": ["phones:find"]},
        )


# GET /v1/account/usage -----------------------------------------------------------------


def test_usage_is_grouped_by_day_and_operation(api: TestClient[Litestar], acme: Tenant) -> None:
    day = dt.date(2024, 5, 1)
    asyncio.run(
        _add_usage(
            acme.database_url,
            acme.org_id,
            [
                (noon(day), "phones.validate", 1, 100),
                (noon(day, hours=1), "phones.validate", 0, 0),
                (noon(day, hours=2), "phones.validate", 1, 100),
                (noon(day, hours=3), "emails.find", 1, 1_000),
                (noon(day, hours=24), "phones.validate", 1, 100),
                (noon(day, hours=-24), "phones.validate", 1, 100),  # before since
                (noon(day, hours=48), "phones.validate", 1, 100),  # after until
            ],
        )
    )
    response = api.get(
        "/v1/account/usage",
        params={"since": "2024-05-01", "until": "2024-05-02"},
        headers=acme.headers,
    )
    assert response.status_code == 200, response.text
    assert response.json() == {
        "data": [
            {
                "day": "2024-05-01",
                "operation": "emails.find",
                "calls": 1,
                "units": 1,
                "credits": 1.0,
            },
            {
                "day": "2024-05-01",
                "operation": "phones.validate",
                "calls": 3,
                "units": 2,
                "credits": 0.2,
            },
            {
                "day": "2024-05-02",
                "operation": "phones.validate",
                "calls": 1,
                "units": 1,
                "credits": 0.1,
            },
        ],
        "meta": {"request_id": response.headers["x-request-id"]},
    }


def test_usage_defaults_to_the_last_30_days(api: TestClient[Litestar], acme: Tenant) -> None:
    asyncio.run(
        _add_usage(
            acme.database_url,
            acme.org_id,
            [
                (dt.datetime.now(dt.UTC), "phones.validate", 1, 100),
                (noon(TODAY - dt.timedelta(days=29)), "phones.validate", 1, 100),
                (noon(TODAY - dt.timedelta(days=30)), "phones.validate", 1, 100),
            ],
        )
    )
    lines = api.get("/v1/account/usage", headers=acme.headers).json()["data"]
    assert [line["day"] for line in lines] == [
        (TODAY - dt.timedelta(days=29)).isoformat(),
        TODAY.isoformat(),
    ]


def test_usage_of_real_calls_counts_free_calls_too(api: TestClient[Litestar], acme: Tenant) -> None:
    for phone in (VALID_PHONE, "not a phone", VALID_PHONE):
        api.post("/v1/phones/validate", json={"phone": phone}, headers=acme.headers)
    lines = api.get("/v1/account/usage", headers=acme.headers).json()["data"]
    assert lines == [
        {
            "day": TODAY.isoformat(),
            "operation": "phones.validate",
            "calls": 3,
            "units": 2,
            "credits": 0.2,
        }
    ]


def test_usage_for_a_customer_is_the_customers(api: TestClient[Litestar], acme: Tenant) -> None:
    fund(acme.database_url, acme.customer_id, 1_000)
    api.post("/v1/phones/validate", json={"phone": VALID_PHONE}, headers=acme.customer_headers())
    assert api.get("/v1/account/usage", headers=acme.headers).json()["data"] == []
    [line] = api.get("/v1/account/usage", headers=acme.customer_headers()).json()["data"]
    assert (line["calls"], line["credits"]) == (1, 0.1)


@pytest.mark.parametrize(
    "params",
    [
        {"since": "2024-05-02", "until": "2024-05-01"},
        {"since": "2023-01-01", "until": "2024-01-02"},
        {"since": (TODAY - dt.timedelta(days=366)).isoformat()},
    ],
    ids=["since-after-until", "over-366-days", "over-366-days-to-today"],
)
def test_a_usage_range_backwards_or_over_366_days_is_400(
    api: TestClient[Litestar], acme: Tenant, params: dict[str, str]
) -> None:
    assert_error(
        api.get("/v1/account/usage", params=params, headers=acme.headers),
        400,
        "invalid_parameter",
        param="since",
        details={"since": "must be on or before until, within 366 days"},
    )


def test_a_usage_range_of_exactly_366_days_is_accepted(
    api: TestClient[Litestar], acme: Tenant
) -> None:
    params = {"since": "2023-01-01", "until": "2024-01-01"}
    assert api.get("/v1/account/usage", params=params, headers=acme.headers).status_code == 200


@pytest.mark.parametrize("name", ["since", "until"])
def test_a_usage_date_that_is_not_a_date_is_400(
    api: TestClient[Litestar], acme: Tenant, name: str
) -> None:
    assert_error(
        api.get("/v1/account/usage", params={name: "2024-13-01"}, headers=acme.headers),
        400,
        "invalid_parameter",
        param=name,
        details={name: "expected a date like 2026-01-31"},
    )


def test_usage_until_the_last_day_of_the_calendar_is_400(
    api: TestClient[Litestar], acme: Tenant
) -> None:
    assert_error(
        api.get("/v1/account/usage", params={"until": "9999-12-31"}, headers=acme.headers),
        400,
        "invalid_parameter",
        param="until",
        details={"until": "must be before 9999-12-31"},
    )


@pytest.mark.parametrize("until", ["0001-01-01", "0001-01-15", "9999-12-30"])
def test_usage_at_the_edges_of_the_calendar_is_empty(
    api: TestClient[Litestar], acme: Tenant, until: str
) -> None:
    response = api.get("/v1/account/usage", params={"until": until}, headers=acme.headers)
    assert response.status_code == 200, response.text
    assert response.json()["data"] == []
