"""Bulk enrichment over HTTP, on both profiles: POST /v1/people/enrich/bulk and
POST /v1/companies/enrich/bulk — per-row results, billing only matched rows, the limits."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from leadbase.server.config import ALL_ENTITLEMENTS, Settings
from leadbase.server.nul import NO_NUL
from tests.envelopes import assert_error
from tests.factories import Tenant, make_tenant
from tests.server.catalog.enrich_support import Catalog, seed_catalog
from tests.server.credits.support import (
    assert_ledger_consistent,
    configured,
    entries,
    fund,
    funded_tenant,
    kinds,
    serve,
    usage_events,
)

PRICE = 1_000
BALANCE = 10_000
PEOPLE = "/v1/people/enrich/bulk"
COMPANIES = "/v1/companies/enrich/bulk"


@pytest.fixture
def seeded(profile: Settings) -> Catalog:
    return seed_catalog(profile.database_url)


@pytest.fixture
def acme(profile: Settings) -> Tenant:
    return funded_tenant(profile.database_url, amount=BALANCE)


@pytest.fixture
def api(profile: Settings) -> Iterator[TestClient[Litestar]]:
    with serve(profile) as client:
        yield client


def post(client: TestClient[Litestar], tenant: Tenant, path: str, body: Any, **headers: str) -> Any:
    return client.post(path, json=body, headers={**tenant.headers, **headers})


def billed(tenant: Tenant) -> list[tuple[str, int]]:
    return [line for line in kinds(tenant.database_url, tenant.org_id) if line[0] != "grant"]


def assert_nothing_billed(tenant: Tenant) -> None:
    assert assert_ledger_consistent(tenant.database_url, tenant.org_id) == (BALANCE, 0)
    assert billed(tenant) == []


MIXED_PEOPLE: list[dict[str, Any]] = [
    {"row_ref": "jane", "email": "Jane.Doe@acme.com"},
    {"row_ref": "bob", "full_name": "Bob Smith", "company_domain": "globex.io"},
    {"row_ref": "stranger", "email": "stranger@acme.com"},
    {"row_ref": "suppressed", "linkedin_url": "https://www.linkedin.com/in/sam-hidden"},
    {"row_ref": "bad-email", "email": "jane at acme"},
    {"row_ref": "empty"},
    {"row_ref": "name-only", "first_name": "Jane", "last_name": "Doe"},
    {"row_ref": "typed", "email": 7, "fax": "+1 555"},
]


# People ---------------------------------------------------------------------------------------


def test_each_row_gets_its_result_in_order_and_only_matches_are_billed(
    api: TestClient[Litestar], seeded: Catalog, acme: Tenant
) -> None:
    response = post(api, acme, PEOPLE, {"rows": MIXED_PEOPLE})
    assert response.status_code == 200, response.text
    request_id = response.headers["x-request-id"]
    body = response.json()
    assert body["meta"] == {"request_id": request_id, "credits_charged": 2.0}
    data = body["data"]
    assert data["summary"] == {
        "total": 8,
        "matched": 2,
        "no_match": 2,
        "failed": 4,
        "billed": 2,
    }
    results = data["results"]
    assert [result["row_ref"] for result in results] == [row["row_ref"] for row in MIXED_PEOPLE]
    jane, bob = results[0], results[1]
    assert set(jane) == {"row_ref", "status", "person", "match"}
    assert (jane["status"], jane["person"]["id"]) == ("matched", seeded.people["jane"])
    assert jane["person"]["emails"] == [
        {"email": "jane.doe@acme.com", "status": "valid", "kind": "work"}
    ]
    assert jane["match"] == {"confidence": 0.99, "matched_on": ["email"]}
    assert (bob["status"], bob["person"]["id"]) == ("matched", seeded.people["robert"])
    assert bob["match"]["matched_on"] == ["name", "company_domain"]
    assert results[2:] == [
        {"row_ref": "stranger", "status": "no_match"},
        {"row_ref": "suppressed", "status": "no_match"},
        {
            "row_ref": "bad-email",
            "status": "invalid",
            "code": "invalid_parameter",
            "errors": {"email": "not a valid email address"},
        },
        {
            "row_ref": "empty",
            "status": "invalid",
            "code": "at_least_one_required",
            "errors": {
                "email": "an email address of the person",
                "linkedin_url": "the person's LinkedIn profile URL",
                "phone": "a phone number in international format",
                "full_name": "or first_name and last_name, with company_domain or company_name",
            },
        },
        {
            "row_ref": "name-only",
            "status": "invalid",
            "code": "at_least_one_required",
            "errors": {
                "company_domain": "or company_name: the company to match the name at",
                "company_name": "or company_domain: the company to match the name at",
            },
        },
        {
            "row_ref": "typed",
            "status": "invalid",
            "code": "invalid_parameter",
            "errors": {
                "fax": "unknown field",
                "email": "expected a string or null, got an integer",
            },
        },
    ]
    # The four rows that could match were reserved; the two matched ones captured.
    assert response.headers["x-ratelimit-limit"] == "10"
    assert assert_ledger_consistent(acme.database_url, acme.org_id) == (BALANCE - 2 * PRICE, 0)
    assert billed(acme) == [("reserve", 4 * PRICE), ("capture", 2 * PRICE), ("release", 2 * PRICE)]
    assert usage_events(acme.database_url, acme.org_id) == [
        {"operation": "people.enrich", "units": 2, "charged": 2 * PRICE, "request_id": request_id}
    ]


def test_rows_that_match_nothing_are_a_200_that_charges_nothing(
    api: TestClient[Litestar], seeded: Catalog, acme: Tenant
) -> None:
    rows = [{"row_ref": "a", "email": "nobody@acme.com"}, {"row_ref": "b", "phone": "bad"}]
    response = post(api, acme, PEOPLE, {"rows": rows})
    assert response.status_code == 200, response.text
    assert response.json()["meta"]["credits_charged"] == 0.0
    assert response.json()["data"]["summary"] == {
        "total": 2,
        "matched": 0,
        "no_match": 1,
        "failed": 1,
        "billed": 0,
    }
    assert assert_ledger_consistent(acme.database_url, acme.org_id) == (BALANCE, 0)
    assert billed(acme) == [("reserve", PRICE), ("release", PRICE)]


def test_rows_matching_one_person_deliver_and_bill_her_once(
    api: TestClient[Litestar], seeded: Catalog, acme: Tenant
) -> None:
    rows = [
        {"row_ref": "by-email", "email": "jane.doe@acme.com"},
        {"row_ref": "by-phone", "phone": "+44 7400 123456"},
        {"row_ref": "again", "email": "JANE.DOE@acme.com"},
        {"row_ref": "nobody", "email": "nobody@acme.com"},
    ]
    response = post(api, acme, PEOPLE, {"rows": rows})
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    people = {result["person"]["id"] for result in data["results"][:3]}
    assert people == {seeded.people["jane"]}
    assert (data["summary"]["matched"], data["summary"]["billed"]) == (3, 1)
    assert response.json()["meta"]["credits_charged"] == 1.0
    # Four rows that could match were reserved; three of them were released.
    assert billed(acme) == [("reserve", 4 * PRICE), ("capture", PRICE), ("release", 3 * PRICE)]
    assert assert_ledger_consistent(acme.database_url, acme.org_id) == (BALANCE - PRICE, 0)


def test_500_rows_are_one_call(
    profile: Settings, api: TestClient[Litestar], seeded: Catalog
) -> None:
    rich = funded_tenant(profile.database_url, amount=500 * PRICE, name="Rich")
    rows: list[dict[str, Any]] = [{"row_ref": "0", "email": "jane.doe@acme.com"}]
    rows += [{"row_ref": str(index), "email": f"nobody{index}@acme.com"} for index in range(1, 500)]
    response = post(api, rich, PEOPLE, {"rows": rows})
    assert response.status_code == 200, response.text
    assert response.json()["data"]["summary"] == {
        "total": 500,
        "matched": 1,
        "no_match": 499,
        "failed": 0,
        "billed": 1,
    }
    assert assert_ledger_consistent(profile.database_url, rich.org_id) == (499 * PRICE, 0)


def test_501_rows_is_bulk_limit_exceeded_and_reserves_nothing(
    api: TestClient[Litestar], acme: Tenant
) -> None:
    rows = [{"row_ref": str(index), "email": f"p{index}@acme.com"} for index in range(501)]
    response = post(api, acme, PEOPLE, {"rows": rows})
    assert_error(
        response,
        400,
        "bulk_limit_exceeded",
        param="rows",
        details={"rows": "at most 500 rows per call, got 501"},
    )
    assert_nothing_billed(acme)


def test_a_rows_wrong_types_and_unusable_values_are_named_together(
    api: TestClient[Litestar], seeded: Catalog, acme: Tenant
) -> None:
    row = {"row_ref": "mixed", "email": 5, "linkedin_url": "https://linkedin.com/company/x"}
    response = post(api, acme, PEOPLE, {"rows": [row, {"row_ref": "no-email", "email": 5}]})
    assert response.status_code == 200, response.text
    assert response.json()["data"]["results"] == [
        {
            "row_ref": "mixed",
            "status": "invalid",
            "code": "invalid_parameter",
            "errors": {
                "email": "expected a string or null, got an integer",
                "linkedin_url": "expected https://www.linkedin.com/in/<slug>",
            },
        },
        # A rule across fields (some identifier) waits for the refused email.
        {
            "row_ref": "no-email",
            "status": "invalid",
            "code": "invalid_parameter",
            "errors": {"email": "expected a string or null, got an integer"},
        },
    ]


def test_a_row_holding_nul_is_invalid_alone_and_the_rest_are_billed(
    api: TestClient[Litestar], seeded: Catalog, acme: Tenant
) -> None:
    body = (
        '{"rows": [{"row_ref": "jane", "email": "jane.doe@acme.com"},'
        ' {"row_ref": "nul", "email": "bob\\u0000@globex.io", "company_name": "G\\u0000"}]}'
    )
    response = api.post(
        PEOPLE, content=body, headers={**acme.headers, "Content-Type": "application/json"}
    )
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert data["summary"] == {
        "total": 2,
        "matched": 1,
        "no_match": 0,
        "failed": 1,
        "billed": 1,
    }
    assert data["results"][1] == {
        "row_ref": "nul",
        "status": "invalid",
        "code": "invalid_parameter",
        "errors": {"email": NO_NUL, "company_name": NO_NUL},
    }
    assert billed(acme) == [("reserve", PRICE), ("capture", PRICE)]


def test_a_row_that_is_not_an_object_is_named_by_its_index(
    api: TestClient[Litestar], acme: Tenant
) -> None:
    body = {"rows": [{"row_ref": "a", "email": "jane.doe@acme.com"}, "jane", 7]}
    assert_error(
        post(api, acme, PEOPLE, body),
        400,
        "invalid_parameter",
        param="rows[1]",
        details={"rows[1]": "expected a JSON object", "rows[2]": "expected a JSON object"},
    )
    assert_nothing_billed(acme)


def test_an_empty_body_is_payload_is_empty(api: TestClient[Litestar], acme: Tenant) -> None:
    for path in (PEOPLE, COMPANIES):
        response = api.post(
            path, content=b"", headers={**acme.headers, "Content-Type": "application/json"}
        )
        assert_error(response, 400, "payload_is_empty")


def test_no_rows_is_payload_is_empty(api: TestClient[Litestar], acme: Tenant) -> None:
    for path in (PEOPLE, COMPANIES):
        assert_error(
            post(api, acme, path, {"rows": []}),
            400,
            "payload_is_empty",
            param="rows",
            details={"rows": "expected 1 to 500 rows, got 0"},
        )
    assert_nothing_billed(acme)


def test_a_missing_or_repeated_row_ref_fails_the_whole_call(
    api: TestClient[Litestar], seeded: Catalog, acme: Tenant
) -> None:
    rows = [
        {"row_ref": "1", "email": "jane.doe@acme.com"},
        {"email": "rsmith@globex.io"},
        {"row_ref": "1", "phone": "+44 7400 123456"},
    ]
    response = post(api, acme, PEOPLE, {"rows": rows})
    assert_error(
        response,
        400,
        "invalid_parameter",
        param="rows[1].row_ref",
        details={
            "rows[1].row_ref": "required: a string of 1 to 200 characters, unique in the call",
            "rows[2].row_ref": "duplicate of rows[0].row_ref",
        },
    )
    assert_nothing_billed(acme)


@pytest.mark.parametrize(
    ("body", "param"),
    [
        ([{"row_ref": "1", "email": "jane.doe@acme.com"}], None),
        ({"rows": {"row_ref": "1"}}, "rows"),
        ({"rows": ["jane.doe@acme.com"]}, "rows[0]"),
        ({"rows": [{"row_ref": "1"}], "mode": "psychic"}, "mode"),
        ({"rows": [{"row_ref": "1"}], "dry_run": True}, "dry_run"),
    ],
    ids=["bare-array", "rows-object", "row-not-object", "bad-mode", "unknown-field"],
)
def test_a_body_of_the_wrong_shape_is_invalid_parameter(
    api: TestClient[Litestar], acme: Tenant, body: Any, param: str | None
) -> None:
    assert_error(post(api, acme, PEOPLE, body), 400, "invalid_parameter", param=param)
    assert_nothing_billed(acme)


def test_an_idempotent_replay_answers_the_same_and_charges_once(
    api: TestClient[Litestar], seeded: Catalog, acme: Tenant
) -> None:
    body = {"rows": MIXED_PEOPLE[:3]}
    first = post(api, acme, PEOPLE, body, **{"Idempotency-Key": "bulk-1"})
    again = post(api, acme, PEOPLE, body, **{"Idempotency-Key": "bulk-1"})
    assert first.status_code == again.status_code == 200, again.text
    assert again.headers["idempotent-replayed"] == "true"
    assert again.content == first.content
    assert first.json()["meta"]["credits_charged"] == 2.0
    assert assert_ledger_consistent(acme.database_url, acme.org_id) == (BALANCE - 2 * PRICE, 0)
    assert [kind for kind, _ in billed(acme)] == ["reserve", "capture", "release"]
    other = post(api, acme, PEOPLE, {"rows": MIXED_PEOPLE[:2]}, **{"Idempotency-Key": "bulk-1"})
    assert_error(other, 409, "idempotency_key_reused")


def test_only_rows_that_can_match_are_reserved(
    profile: Settings, api: TestClient[Litestar], seeded: Catalog
) -> None:
    # One credit covers one valid row, however many invalid rows come with it.
    small = funded_tenant(profile.database_url, amount=PRICE, name="Small")
    rows = [{"row_ref": "jane", "email": "jane.doe@acme.com"}]
    rows += [{"row_ref": f"bad{index}", "email": "nope"} for index in range(5)]
    response = post(api, small, PEOPLE, {"rows": rows})
    assert response.status_code == 200, response.text
    assert assert_ledger_consistent(profile.database_url, small.org_id) == (0, 0)
    rows[1] = {"row_ref": "bob", "full_name": "Bob Smith", "company_domain": "globex.io"}
    fund(profile.database_url, small.org_id, PRICE)
    assert_error(post(api, small, PEOPLE, {"rows": rows}), 402, "insufficient_credits")
    assert assert_ledger_consistent(profile.database_url, small.org_id) == (PRICE, 0)


def test_bulk_calls_have_their_own_rate_window(profile: Settings, seeded: Catalog) -> None:
    acme = funded_tenant(profile.database_url, amount=BALANCE)
    with serve(configured(profile, limits={"bulk": ["2/minute"]})) as client:
        body = {"rows": [{"row_ref": "1", "email": "nobody@acme.com"}]}
        for _ in range(2):
            assert post(client, acme, PEOPLE, body).status_code == 200
        refused = post(client, acme, COMPANIES, {"rows": [{"row_ref": "1", "domain": "acme.com"}]})
        assert_error(refused, 429, "rate_limit_exceeded")
        single = post(client, acme, "/v1/people/enrich", {"email": "jane.doe@acme.com"})
        assert single.status_code == 200, single.text


def test_bulk_needs_the_plans_bulk_feature(profile: Settings, seeded: Catalog) -> None:
    plans = {"standard": list(ALL_ENTITLEMENTS), "single": ["realtime"]}
    single = asyncio.run(make_tenant(profile.database_url, plan="single", name="Single"))
    fund(profile.database_url, single.org_id, BALANCE)
    with serve(configured(profile, plans=plans)) as client:
        response = post(client, single, PEOPLE, {"rows": [{"row_ref": "1", "email": "a@b.com"}]})
        assert_error(
            response, 403, "not_entitled", details={"entitlement": "bulk", "plan": "single"}
        )
        one = post(client, single, "/v1/people/enrich", {"email": "jane.doe@acme.com"})
        assert one.status_code == 200, one.text


def test_bulk_realtime_has_no_live_source_yet_and_charges_nothing(
    api: TestClient[Litestar], seeded: Catalog, acme: Tenant
) -> None:
    body = {"rows": [{"row_ref": "1", "email": "jane.doe@acme.com"}], "mode": "realtime"}
    assert_error(post(api, acme, PEOPLE, body), 503, "upstream_unavailable")
    assert assert_ledger_consistent(acme.database_url, acme.org_id) == (BALANCE, 0)
    assert billed(acme) == []  # refused before anything was reserved


# Companies ----------------------------------------------------------------------------------


def test_company_rows_each_get_their_result_and_only_companies_matched_are_billed(
    api: TestClient[Litestar], seeded: Catalog, acme: Tenant
) -> None:
    rows = [
        {"row_ref": "domain", "domain": "www.acme.com"},
        {"row_ref": "link", "company_link": "https://www.linkedin.com/company/acme-holdings"},
        {"row_ref": "id", "company_id": seeded.companies["globex"]},
        {"row_ref": "ambiguous", "company_name": "Initech"},
        {"row_ref": "two", "domain": "acme.com", "company_name": "Acme"},
        {"row_ref": "none"},
        {"row_ref": "profile", "company_link": "https://www.linkedin.com/in/jane-doe"},
    ]
    response = post(api, acme, COMPANIES, {"rows": rows})
    assert response.status_code == 200, response.text
    request_id = response.headers["x-request-id"]
    data = response.json()["data"]
    assert data["summary"] == {
        "total": 7,
        "matched": 3,
        "no_match": 1,
        "failed": 3,
        "billed": 2,  # Acme, matched twice, is delivered and billed once
    }
    matched = data["results"][:3]
    assert [(r["status"], r["company"]["id"], r["match"]) for r in matched] == [
        ("matched", seeded.companies["acme"], {"confidence": 0.99, "matched_on": ["domain"]}),
        ("matched", seeded.companies["acme"], {"confidence": 0.99, "matched_on": ["linkedin"]}),
        ("matched", seeded.companies["globex"], {"confidence": 1.0, "matched_on": ["company_id"]}),
    ]
    one_of = "send only one of company_id, company_link, company_name, domain"
    assert data["results"][3:] == [
        {"row_ref": "ambiguous", "status": "no_match"},
        {
            "row_ref": "two",
            "status": "invalid",
            "code": "exactly_one_required",
            "errors": {"company_name": one_of, "domain": one_of},
        },
        {
            "row_ref": "none",
            "status": "invalid",
            "code": "exactly_one_required",
            "errors": {
                "company_id": "one of these is required",
                "company_link": "one of these is required",
                "company_name": "one of these is required",
                "domain": "one of these is required",
            },
        },
        {
            "row_ref": "profile",
            "status": "invalid",
            "code": "invalid_linkedin_url",
            "errors": {"company_link": "expected https://www.linkedin.com/company/<slug>"},
        },
    ]
    assert response.json()["meta"]["credits_charged"] == 2.0
    assert billed(acme) == [("reserve", 4 * PRICE), ("capture", 2 * PRICE), ("release", 2 * PRICE)]
    assert usage_events(acme.database_url, acme.org_id) == [
        {
            "operation": "companies.enrich",
            "units": 2,
            "charged": 2 * PRICE,
            "request_id": request_id,
        }
    ]
    assert all(
        entry["operation"] in {None, "companies.enrich"}
        for entry in entries(acme.database_url, acme.org_id)
    )


def test_501_company_rows_is_bulk_limit_exceeded(api: TestClient[Litestar], acme: Tenant) -> None:
    rows = [{"row_ref": str(index), "domain": "acme.com"} for index in range(501)]
    assert_error(
        post(api, acme, COMPANIES, {"rows": rows}), 400, "bulk_limit_exceeded", param="rows"
    )
    assert_nothing_billed(acme)
