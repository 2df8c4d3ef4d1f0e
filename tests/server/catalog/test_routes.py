"""Lookups and single enrichment over HTTP, on both profiles: GET /v1/people/{id},
GET /v1/companies/{id}, POST /v1/people/enrich, POST /v1/companies/enrich."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from leadbase.server.catalog.enrich import NICKNAME_CONFIDENCE
from leadbase.server.catalog.match import COMPANY_CONFIDENCE, EXACT_CONFIDENCE
from leadbase.server.config import Settings
from leadbase.server.nul import NO_NUL
from tests.envelopes import assert_error
from tests.factories import Tenant, make_key, make_tenant
from tests.server.catalog.enrich_support import Catalog, seed_catalog
from tests.server.credits.support import (
    assert_ledger_consistent,
    entries,
    fund,
    funded_tenant,
    kinds,
    serve,
    usage_events,
)

PRICE = 1_000  # 1 credit per match, the built-in price of people.enrich and companies.enrich
BALANCE = 5_000
PEOPLE = "/v1/people/enrich"
COMPANIES = "/v1/companies/enrich"


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


def post(client: TestClient[Litestar], tenant: Tenant, path: str, body: Any) -> Any:
    return client.post(path, json=body, headers=tenant.headers)


def jane(seeded: Catalog, updated_at: str) -> dict[str, Any]:
    return {
        "id": seeded.people["jane"],
        "first_name": "Jane",
        "last_name": "Doe",
        "full_name": "Jane Doe",
        "title": "VP of Engineering",
        "seniority": "vp",
        "department": "engineering",
        "company": {
            "id": seeded.companies["acme"],
            "name": "Acme Holdings, Inc.",
            "domain": "acme.com",
            "linkedin_url": "https://www.linkedin.com/company/acme-holdings",
        },
        "emails": [{"email": "jane.doe@acme.com", "status": "valid", "kind": "work"}],
        "phones": [{"e164": "+447400123456", "kind": "mobile"}],
        "linkedin_url": "https://www.linkedin.com/in/jane-doe",
        "location": {"city": "London", "region": "England", "country": "GB"},
        "source": "test",
        "synthetic": False,
        "updated_at": updated_at,
        "verified_at": None,
    }


def acme_company(seeded: Catalog, updated_at: str) -> dict[str, Any]:
    return {
        "id": seeded.companies["acme"],
        "name": "Acme Holdings, Inc.",
        "domain": "acme.com",
        "website": "https://www.acme.com",
        "linkedin_url": "https://www.linkedin.com/company/acme-holdings",
        "industry": "Software",
        "headcount_range": "51-200",
        "location": {"city": "London", "region": "England", "country": "GB"},
        "founded": 1999,
        "description": "Anvils and rockets.",
        "source": "test",
        "synthetic": False,
        "updated_at": updated_at,
        "verified_at": None,
    }


def assert_nothing_billed(tenant: Tenant) -> None:
    assert assert_ledger_consistent(tenant.database_url, tenant.org_id) == (BALANCE, 0)
    assert kinds(tenant.database_url, tenant.org_id) == [("grant", BALANCE)]


def assert_released(tenant: Tenant, operation: str, request_id: str) -> None:
    """Reserved, then released in full: the balance is untouched and the call was free."""
    assert assert_ledger_consistent(tenant.database_url, tenant.org_id) == (BALANCE, 0)
    billed = [e for e in entries(tenant.database_url, tenant.org_id) if e["kind"] != "grant"]
    assert [(e["kind"], e["amount"], e["operation"], e["request_id"]) for e in billed] == [
        ("reserve", PRICE, operation, request_id),
        ("release", PRICE, operation, request_id),
    ]


# GET /v1/people/{id}, GET /v1/companies/{id} ------------------------------------------------


def assert_charged_one_lookup(
    tenant: Tenant, operation: str, response: Any, *, price: int = PRICE
) -> None:
    """One unit of ``operation`` reserved and captured for this request, rate-limited."""
    request_id = response.headers["x-request-id"]
    assert response.json()["meta"] == {"request_id": request_id, "credits_charged": price / 1000}
    assert response.headers["x-ratelimit-limit"] == "120"
    assert assert_ledger_consistent(tenant.database_url, tenant.org_id) == (BALANCE - price, 0)
    billed = [e for e in entries(tenant.database_url, tenant.org_id) if e["kind"] != "grant"]
    assert sorted((e["kind"], e["amount"], e["operation"]) for e in billed) == [
        ("capture", price, operation),
        ("reserve", price, operation),
    ]


def test_a_person_looked_up_by_id_is_billed_as_an_enrichment(
    api: TestClient[Litestar], seeded: Catalog, acme: Tenant
) -> None:
    response = api.get(f"/v1/people/{seeded.people['jane']}", headers=acme.headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["data"] == jane(seeded, body["data"]["updated_at"])
    assert body["data"]["updated_at"].endswith("Z")
    assert_charged_one_lookup(acme, "people.enrich", response)


def test_a_company_looked_up_by_id_is_billed_as_an_enrichment(
    api: TestClient[Litestar], seeded: Catalog, acme: Tenant
) -> None:
    response = api.get(f"/v1/companies/{seeded.companies['acme']}", headers=acme.headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["data"] == acme_company(seeded, body["data"]["updated_at"])
    assert_charged_one_lookup(acme, "companies.enrich", response)


def test_a_lookup_by_id_ignores_an_idempotency_key_which_is_for_post_only(
    api: TestClient[Litestar], seeded: Catalog, acme: Tenant
) -> None:
    headers = {**acme.headers, "Idempotency-Key": "x" * 300}  # too long for a POST
    path = f"/v1/people/{seeded.people['jane']}"
    answers = [api.request("GET", path, headers=headers, content=b'{"a": "\xff"}') for _ in "ab"]
    assert [answer.status_code for answer in answers] == [200, 200], answers[1].text
    assert all("idempotent-replayed" not in answer.headers for answer in answers)
    assert assert_ledger_consistent(acme.database_url, acme.org_id) == (BALANCE - 2 * PRICE, 0)


def test_head_on_a_billed_lookup_is_refused_and_charges_nothing(
    api: TestClient[Litestar], seeded: Catalog, acme: Tenant
) -> None:
    for path in (
        f"/v1/people/{seeded.people['jane']}",
        "/v1/people/per_unknown",
        f"/v1/companies/{seeded.companies['acme']}",
        "/v1/openings/opn_unknown",
    ):
        response = api.head(path, headers=acme.headers)
        assert (response.status_code, response.content) == (405, b"")
        # What OPTIONS says too: no HEAD on a billed route.
        assert response.headers["allow"] == "GET, OPTIONS"
        assert api.options(path, headers=acme.headers).headers["allow"] == "GET, OPTIONS"
    assert assert_ledger_consistent(acme.database_url, acme.org_id) == (BALANCE, 0)
    assert usage_events(acme.database_url, acme.org_id) == []


def test_identifiers_of_two_people_are_answered_with_the_doubt_they_carry(
    api: TestClient[Litestar], seeded: Catalog, acme: Tenant
) -> None:
    sure = post(api, acme, PEOPLE, {"email": "jane.doe@acme.com"}).json()["data"]
    assert sure["match"] == {"confidence": 0.99, "matched_on": ["email"]}
    # Robert's email, and Jane's LinkedIn profile: the email wins, in doubt.
    answer = post(
        api, acme, PEOPLE, {"email": "rsmith@globex.io", "linkedin_url": "linkedin.com/in/jane-doe"}
    )
    data = answer.json()["data"]
    assert data["person"]["id"] == seeded.people["robert"]
    assert data["match"] == {
        "confidence": 0.5,
        "matched_on": ["email"],
        "conflicting": ["linkedin"],
    }


def test_unknown_and_suppressed_ids_are_not_found(
    api: TestClient[Litestar], seeded: Catalog, acme: Tenant
) -> None:
    for path in (
        "/v1/people/per_unknown",
        f"/v1/people/{seeded.people['sam']}",
        "/v1/companies/com_unknown",
        f"/v1/companies/{seeded.people['jane']}",
    ):
        assert_error(api.get(path, headers=acme.headers), 404, "not_found", param="id")
    assert assert_ledger_consistent(acme.database_url, acme.org_id) == (BALANCE, 0)
    billed = [e for e in entries(acme.database_url, acme.org_id) if e["kind"] != "grant"]
    assert {e["kind"] for e in billed} == {"reserve", "release"}  # held, then freed in full
    assert {(e["units"], e["charged"]) for e in usage_events(acme.database_url, acme.org_id)} == {
        (0, 0)
    }


def test_each_route_needs_its_read_scope(
    api: TestClient[Litestar], seeded: Catalog, acme: Tenant
) -> None:
    _, secret = asyncio.run(
        make_key(acme.database_url, org_id=acme.org_id, scopes=["companies:read"])
    )
    companies_only = {"Authorization": f"Bearer {secret}"}
    for response in (
        api.get(f"/v1/people/{seeded.people['jane']}", headers=companies_only),
        api.post(PEOPLE, json={"email": "jane.doe@acme.com"}, headers=companies_only),
    ):
        assert_error(response, 403, "insufficient_scope")
    found = api.get(f"/v1/companies/{seeded.companies['acme']}", headers=companies_only)
    assert found.status_code == 200, found.text
    assert_charged_one_lookup(acme, "companies.enrich", found)


# POST /v1/people/enrich: every identifier ---------------------------------------------------

NAME_AT_DOMAIN = round(0.99 * COMPANY_CONFIDENCE["company_domain"], 4)
NAME_AT_COMPANY = round(0.99 * COMPANY_CONFIDENCE["company_name"], 4)


@pytest.mark.parametrize(
    ("body", "confidence", "matched_on"),
    [
        ({"email": "  Jane.Doe@ACME.com "}, EXACT_CONFIDENCE["email"], ["email"]),
        (
            {"linkedin_url": "https://de.linkedin.com/in/Jane-Doe/?trk=public_profile#x"},
            EXACT_CONFIDENCE["linkedin"],
            ["linkedin"],
        ),
        ({"linkedin_url": "linkedin.com/in/jane-doe"}, EXACT_CONFIDENCE["linkedin"], ["linkedin"]),
        ({"phone": "+44 7400 123456"}, EXACT_CONFIDENCE["phone"], ["phone"]),
        (
            {"email": "jane.doe@acme.com", "phone": "+447400123456"},
            round(1 - (1 - EXACT_CONFIDENCE["email"]) * (1 - EXACT_CONFIDENCE["phone"]), 4),
            ["email", "phone"],
        ),
        (
            {"first_name": "Jane", "last_name": "Doe", "company_domain": "https://www.acme.com/"},
            NAME_AT_DOMAIN,
            ["name", "company_domain"],
        ),
        (
            {"full_name": "Ms. Jane Doe", "company_name": "ACME Holdings Inc"},
            NAME_AT_COMPANY,
            ["name", "company_name"],
        ),
    ],
    ids=[
        "email",
        "linkedin-locale",
        "linkedin-bare",
        "phone",
        "email-phone",
        "name-domain",
        "name-company",
    ],
)
def test_any_identifier_finds_the_person_with_its_confidence(
    api: TestClient[Litestar],
    seeded: Catalog,
    acme: Tenant,
    body: dict[str, str],
    confidence: float,
    matched_on: list[str],
) -> None:
    response = post(api, acme, PEOPLE, body)
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert data == {
        "person": jane(seeded, data["person"]["updated_at"]),
        "match": {"confidence": confidence, "matched_on": matched_on},
    }


def test_a_nickname_at_the_company_finds_the_person_a_shade_less_surely(
    api: TestClient[Litestar], seeded: Catalog, acme: Tenant
) -> None:
    response = post(api, acme, PEOPLE, {"full_name": "Bob Smith", "company_domain": "globex.io"})
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert data["person"]["id"] == seeded.people["robert"]
    assert data["person"]["full_name"] == "Robert Smith"
    assert data["match"] == {
        "confidence": round(NAME_AT_DOMAIN * NICKNAME_CONFIDENCE, 4),
        "matched_on": ["name", "company_domain"],
    }
    # The name as the catalog spells it, in any case or accent, is not a nickname.
    for name in ("Robert Smith", "ROBERT SMITH", "Röbert Smith"):
        response = post(api, acme, PEOPLE, {"full_name": name, "company_domain": "globex.io"})
        assert response.json()["data"]["match"]["confidence"] == NAME_AT_DOMAIN, name


def test_a_name_at_a_company_named_by_its_brand_finds_the_person_less_surely(
    api: TestClient[Litestar], seeded: Catalog, acme: Tenant
) -> None:
    response = post(api, acme, PEOPLE, {"full_name": "Jane Doe", "company_name": "Acme"})
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert data["person"]["id"] == seeded.people["jane"]
    assert data["match"] == {
        "confidence": round(0.99 * COMPANY_CONFIDENCE["company_brand"], 4),
        "matched_on": ["name", "company_name"],
    }


def test_a_match_costs_one_credit(api: TestClient[Litestar], seeded: Catalog, acme: Tenant) -> None:
    response = post(api, acme, PEOPLE, {"email": "jane.doe@acme.com"})
    assert response.status_code == 200, response.text
    request_id = response.headers["x-request-id"]
    assert response.json()["meta"] == {"request_id": request_id, "credits_charged": 1.0}
    assert response.headers["x-ratelimit-limit"] == "120"
    assert assert_ledger_consistent(acme.database_url, acme.org_id) == (BALANCE - PRICE, 0)
    billed = [e for e in entries(acme.database_url, acme.org_id) if e["kind"] != "grant"]
    assert sorted((e["kind"], e["amount"], e["operation"]) for e in billed) == [
        ("capture", PRICE, "people.enrich"),
        ("reserve", PRICE, "people.enrich"),
    ]
    assert usage_events(acme.database_url, acme.org_id) == [
        {"operation": "people.enrich", "units": 1, "charged": PRICE, "request_id": request_id}
    ]


def test_a_customer_pays_for_its_own_enrichment(
    api: TestClient[Litestar], seeded: Catalog, acme: Tenant
) -> None:
    fund(acme.database_url, acme.customer_id, 2_000)
    response = api.post(
        PEOPLE, json={"email": "jane.doe@acme.com"}, headers=acme.customer_headers()
    )
    assert response.status_code == 200, response.text
    assert assert_ledger_consistent(acme.database_url, acme.customer_id) == (1_000, 0)
    assert_nothing_billed(acme)


def test_no_match_is_404_and_free(api: TestClient[Litestar], seeded: Catalog, acme: Tenant) -> None:
    response = post(api, acme, PEOPLE, {"email": "nobody@acme.com"})
    assert_error(response, 404, "no_match", param=None, details=None)
    request_id = response.headers["x-request-id"]
    assert_released(acme, "people.enrich", request_id)
    assert usage_events(acme.database_url, acme.org_id) == [
        {"operation": "people.enrich", "units": 0, "charged": 0, "request_id": request_id}
    ]


@pytest.mark.parametrize(
    "body",
    [
        {"email": "sam@acme.com"},
        {"linkedin_url": "https://www.linkedin.com/in/sam-hidden"},
        {"first_name": "Sam", "last_name": "Hidden", "company_domain": "acme.com"},
    ],
    ids=["email", "linkedin", "name"],
)
def test_a_suppressed_person_is_never_returned(
    api: TestClient[Litestar], seeded: Catalog, acme: Tenant, body: dict[str, str]
) -> None:
    response = post(api, acme, PEOPLE, body)
    assert_error(response, 404, "no_match")
    assert_released(acme, "people.enrich", response.headers["x-request-id"])


def test_two_people_with_the_name_at_one_company_are_not_guessed_between(
    api: TestClient[Litestar], seeded: Catalog, acme: Tenant
) -> None:
    # "Peter Gibbons" is at Initech LLC only; Initech GmbH has nobody of that name.
    found = post(api, acme, PEOPLE, {"full_name": "Peter Gibbons", "company_name": "Initech"})
    assert found.status_code == 200, found.text
    assert found.json()["data"]["person"]["id"] == seeded.people["peter"]
    missing = post(
        api, acme, PEOPLE, {"full_name": "Peter Gibbons", "company_domain": "initech.de"}
    )
    assert_error(missing, 404, "no_match")


# POST /v1/people/enrich: refusals -------------------------------------------------------------


def test_no_identifier_is_at_least_one_required_and_reserves_nothing(
    api: TestClient[Litestar], acme: Tenant
) -> None:
    response = post(api, acme, PEOPLE, {"mode": "database"})
    assert_error(
        response,
        400,
        "at_least_one_required",
        param=None,
        details={
            "email": "an email address of the person",
            "linkedin_url": "the person's LinkedIn profile URL",
            "phone": "a phone number in international format",
            "full_name": "or first_name and last_name, with company_domain or company_name",
        },
    )
    assert_nothing_billed(acme)


def test_a_name_without_a_company_says_the_company_is_missing(
    api: TestClient[Litestar], acme: Tenant
) -> None:
    response = post(api, acme, PEOPLE, {"first_name": "Jane", "last_name": "Doe"})
    error = assert_error(
        response,
        400,
        "at_least_one_required",
        param="company_domain",
        details={
            "company_domain": "or company_name: the company to match the name at",
            "company_name": "or company_domain: the company to match the name at",
        },
    )
    assert error["message"] == (
        "A name matches only with a company: the company is missing"
        " (company_domain or company_name)."
    )


def test_a_company_page_as_linkedin_url_is_invalid_linkedin_url(
    api: TestClient[Litestar], acme: Tenant
) -> None:
    response = post(
        api, acme, PEOPLE, {"linkedin_url": "https://www.linkedin.com/company/acme", "phone": "1"}
    )
    assert_error(
        response,
        400,
        "invalid_linkedin_url",
        param="linkedin_url",
        details={
            "linkedin_url": "expected https://www.linkedin.com/in/<slug>",
            "phone": "not a valid phone number in international format (+<country code> ...)",
        },
    )
    assert_nothing_billed(acme)


def test_unknown_fields_and_wrong_types_are_all_named(
    api: TestClient[Litestar], acme: Tenant
) -> None:
    response = post(api, acme, PEOPLE, {"email": 42, "twitter": "@jane", "mode": "psychic"})
    assert_error(response, 400, "invalid_parameter", param="twitter")
    details = response.json()["error"]["details"]
    assert set(details) == {"twitter", "email", "mode"}
    assert details["twitter"] == "unknown field"


def test_wrong_types_and_unusable_values_are_named_in_one_answer(
    api: TestClient[Litestar], acme: Tenant
) -> None:
    body = {"email": 42, "phone": "call me", "linkedin_url": "https://www.linkedin.com/company/x"}
    assert_error(
        post(api, acme, PEOPLE, body),
        400,
        "invalid_parameter",
        param="email",
        details={
            "email": "expected a string or null, got an integer",
            "phone": "not a valid phone number in international format (+<country code> ...)",
            "linkedin_url": "expected https://www.linkedin.com/in/<slug>",
        },
    )
    # A rule across fields waits for the refused field: the email may be the identifier.
    assert_error(
        post(api, acme, PEOPLE, {"email": 42}),
        400,
        "invalid_parameter",
        details={"email": "expected a string or null, got an integer"},
    )
    # A field holding NUL is refused for that, not checked again.
    assert_error(
        post(api, acme, PEOPLE, {"email": "nope\u0000", "phone": "call me", "mode": 1}),
        400,
        "invalid_parameter",
        details={
            "mode": "expected a string, got an integer",
            "phone": "not a valid phone number in international format (+<country code> ...)",
            "email": NO_NUL,
        },
    )
    assert_error(
        post(api, acme, COMPANIES, {"mode": "psychic", "company_link": "linkedin.com/in/jane"}),
        400,
        "invalid_parameter",
        details={
            "mode": "'psychic' is not one of: database, realtime",
            "company_link": "expected https://www.linkedin.com/company/<slug>",
        },
    )
    assert_nothing_billed(acme)


def test_realtime_without_the_plan_feature_is_not_entitled(
    profile: Settings, api: TestClient[Litestar], seeded: Catalog
) -> None:
    starter = asyncio.run(make_tenant(profile.database_url, plan="starter", name="Starter"))
    fund(profile.database_url, starter.org_id, BALANCE)
    response = post(api, starter, PEOPLE, {"email": "jane.doe@acme.com", "mode": "realtime"})
    assert_error(response, 403, "not_entitled", param="mode", details={"entitlement": "realtime"})
    assert_nothing_billed(starter)


def test_realtime_has_no_live_source_yet_and_charges_nothing(
    api: TestClient[Litestar], seeded: Catalog, acme: Tenant
) -> None:
    for path, body in (
        (PEOPLE, {"email": "jane.doe@acme.com", "mode": "realtime"}),
        (COMPANIES, {"domain": "acme.com", "mode": "realtime"}),
    ):
        response = post(api, acme, path, body)
        assert_error(response, 503, "upstream_unavailable")
    assert assert_ledger_consistent(acme.database_url, acme.org_id) == (BALANCE, 0)
    # Refused before anything was reserved, as search refuses it.
    assert [kind for kind, _ in kinds(acme.database_url, acme.org_id)] == ["grant"]


def test_without_credits_nothing_is_looked_up(
    profile: Settings, api: TestClient[Litestar], seeded: Catalog
) -> None:
    broke = funded_tenant(profile.database_url, amount=999, name="Broke")
    response = post(api, broke, PEOPLE, {"email": "jane.doe@acme.com"})
    assert_error(response, 402, "insufficient_credits")
    assert assert_ledger_consistent(profile.database_url, broke.org_id) == (999, 0)


# POST /v1/companies/enrich ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "confidence", "matched_on"),
    [
        ({"domain": "https://www.ACME.com/about"}, 0.99, ["domain"]),
        ({"company_link": "https://uk.linkedin.com/company/acme-holdings/"}, 0.99, ["linkedin"]),
        ({"company_link": "acme.com"}, 0.99, ["domain"]),
        ({"company_name": "Acme Holdings Ltd."}, 0.9, ["company_name"]),
        # A brand: the one company whose name starts with it.
        ({"company_name": "ACME"}, 0.8, ["company_name"]),
    ],
    ids=["domain", "linkedin-link", "website-link", "name", "brand"],
)
def test_any_one_company_identifier_finds_the_company(
    api: TestClient[Litestar],
    seeded: Catalog,
    acme: Tenant,
    body: dict[str, str],
    confidence: float,
    matched_on: list[str],
) -> None:
    response = post(api, acme, COMPANIES, body)
    assert response.status_code == 200, response.text
    payload = response.json()
    assert payload["data"] == {
        "company": acme_company(seeded, payload["data"]["company"]["updated_at"]),
        "match": {"confidence": confidence, "matched_on": matched_on},
    }
    assert payload["meta"]["credits_charged"] == 1.0
    assert assert_ledger_consistent(acme.database_url, acme.org_id) == (BALANCE - PRICE, 0)


def test_a_company_id_from_an_earlier_answer_matches_exactly(
    api: TestClient[Litestar], seeded: Catalog, acme: Tenant
) -> None:
    response = post(api, acme, COMPANIES, {"company_id": seeded.companies["globex"]})
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert data["company"]["name"] == "Globex Corporation"
    assert data["match"] == {"confidence": 1.0, "matched_on": ["company_id"]}


@pytest.mark.parametrize(
    "body",
    [
        {"company_id": "com_unknown"},
        {"domain": "nowhere-at-all.com"},
        {"company_name": "Initech"},
        {"company_name": "Acme Hold"},  # a brand is whole words
        {"company_name": "Glob"},
    ],
    ids=["unknown-id", "unknown-domain", "ambiguous-name", "part-of-a-word", "prefix"],
)
def test_no_company_match_is_404_and_free(
    api: TestClient[Litestar], seeded: Catalog, acme: Tenant, body: dict[str, str]
) -> None:
    response = post(api, acme, COMPANIES, body)
    assert_error(response, 404, "no_match", param=None, details=None)
    assert_released(acme, "companies.enrich", response.headers["x-request-id"])


def test_no_company_identifier_is_exactly_one_required_naming_all_four(
    api: TestClient[Litestar], acme: Tenant
) -> None:
    response = post(api, acme, COMPANIES, {"company_name": " "})
    assert_error(
        response,
        400,
        "exactly_one_required",
        param=None,
        details={
            "company_id": "one of these is required",
            "company_link": "one of these is required",
            "company_name": "one of these is required",
            "domain": "one of these is required",
        },
    )
    assert_nothing_billed(acme)


def test_several_company_identifiers_are_exactly_one_required_naming_each(
    api: TestClient[Litestar], acme: Tenant
) -> None:
    response = post(
        api,
        acme,
        COMPANIES,
        {"domain": "acme.com", "company_link": "https://acme.com", "company_id": "com_1"},
    )
    choice = "send only one of company_id, company_link, company_name, domain"
    error = assert_error(
        response,
        400,
        "exactly_one_required",
        param="company_id",
        details={"company_id": choice, "company_link": choice, "domain": choice},
    )
    assert error["message"] == (
        "Send exactly one of company_id, company_link, company_name, domain;"
        " 3 were given: company_id, company_link, domain."
    )


def test_a_profile_url_as_company_link_is_invalid_linkedin_url(
    api: TestClient[Litestar], acme: Tenant
) -> None:
    response = post(api, acme, COMPANIES, {"company_link": "https://www.linkedin.com/in/jane"})
    assert_error(
        response,
        400,
        "invalid_linkedin_url",
        param="company_link",
        details={"company_link": "expected https://www.linkedin.com/company/<slug>"},
    )
    assert_nothing_billed(acme)
