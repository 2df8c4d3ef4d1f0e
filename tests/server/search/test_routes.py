"""Search over HTTP on both profiles: envelopes, billing per result returned, free counts
and previews, and every refusal (limit, cursor, mode, filters, scope, credits)."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from leadbase.server.auth.keys import SCOPES
from leadbase.server.config import Settings
from leadbase.server.nul import NO_NUL
from leadbase.server.pagination import encode_cursor
from tests.envelopes import assert_error
from tests.factories import Tenant, make_key, make_tenant
from tests.server.credits.support import (
    assert_ledger_consistent,
    entries,
    funded_tenant,
    kinds,
    serve,
    usage_events,
)
from tests.server.search.support import (
    ANA,
    BOB,
    CHLOE,
    GLOBEX,
    HANS,
    INITECH,
    JOSE,
    NOW,
    PRIYA,
    SAM,
    WEI,
    seed,
)

BALANCE = 200_000
PEOPLE = "/v1/search/people"
COMPANIES = "/v1/search/companies"
OPENINGS = "/v1/search/openings"
PREVIEW = "/v1/preview/people"
COUNTS = [f"{PEOPLE}/count", f"{COMPANIES}/count", f"{OPENINGS}/count"]
SEARCHES = [PEOPLE, COMPANIES, OPENINGS]
# Millicredits per result returned, the built-in prices.
PRICES = {PEOPLE: 50, COMPANIES: 50, OPENINGS: 20}
NOTHING = {"keywords": "zyzzyva"}


@pytest.fixture
def acme(profile: Settings) -> Tenant:
    seed(profile.database_url)
    return funded_tenant(profile.database_url, amount=BALANCE)


@pytest.fixture
def api(profile: Settings) -> Iterator[TestClient[Litestar]]:
    with serve(profile) as client:
        yield client


def post(client: TestClient[Litestar], tenant: Tenant, path: str, body: Any) -> Any:
    return client.post(path, json=body, headers=tenant.headers)


def stamp(moment: dt.datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def assert_nothing_billed(tenant: Tenant) -> None:
    assert assert_ledger_consistent(tenant.database_url, tenant.org_id) == (BALANCE, 0)
    assert kinds(tenant.database_url, tenant.org_id) == [("grant", BALANCE)]


def billed(tenant: Tenant) -> list[tuple[str, int, str | None]]:
    """The ledger lines after the grant, reserve then capture then release (one call's
    lines share a millisecond, so their ids don't order them)."""
    order = ["reserve", "capture", "release"]
    lines = [
        (entry["kind"], entry["amount"], entry["operation"])
        for entry in entries(tenant.database_url, tenant.org_id)
        if entry["kind"] != "grant"
    ]
    return sorted(lines, key=lambda line: order.index(line[0]))


# Searches -------------------------------------------------------------------------------


def test_a_people_search_answers_catalog_people_and_bills_each_one(
    api: TestClient[Litestar], acme: Tenant
) -> None:
    response = post(api, acme, PEOPLE, {"filters": {"locations": ["US"]}, "limit": 5})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["meta"] == {
        "request_id": response.headers["x-request-id"],
        "credits_charged": 0.15,
        "next_cursor": None,
        "has_more": False,
    }
    assert [person["id"] for person in body["data"]] == [ANA, BOB, WEI]
    assert body["data"][0] == {
        "id": ANA,
        "first_name": "Ana",
        "last_name": "García",
        "full_name": "Ana García",
        "title": "Senior Data Engineer",
        "seniority": "senior",
        "department": "data",
        "company": {
            "id": GLOBEX,
            "name": "Globex Corporation",
            "domain": "globex.com",
            "linkedin_url": None,
        },
        "emails": [{"email": "ana@globex.com", "status": "invalid", "kind": "work"}],
        "phones": [],
        "linkedin_url": None,
        "location": {"city": "San Francisco", "region": "California", "country": "US"},
        "source": "test",
        "synthetic": False,
        "updated_at": stamp(NOW - dt.timedelta(days=40)),
        "verified_at": None,
    }
    # Five reserved, three captured, two released at once.
    assert billed(acme) == [
        ("reserve", 250, "search.people"),
        ("capture", 150, "search.people"),
        ("release", 100, "search.people"),
    ]
    assert assert_ledger_consistent(acme.database_url, acme.org_id) == (BALANCE - 150, 0)
    assert [
        (e["operation"], e["units"], e["charged"])
        for e in usage_events(acme.database_url, acme.org_id)
    ] == [("search.people", 3, 150)]


@pytest.mark.parametrize("path", SEARCHES)
def test_an_empty_page_is_free(api: TestClient[Litestar], acme: Tenant, path: str) -> None:
    response = post(api, acme, path, {"filters": NOTHING, "limit": 10})
    assert response.status_code == 200, response.text
    assert response.json() == {
        "data": [],
        "meta": {
            "request_id": response.headers["x-request-id"],
            "credits_charged": 0.0,
            "next_cursor": None,
            "has_more": False,
        },
    }
    assert assert_ledger_consistent(acme.database_url, acme.org_id) == (BALANCE, 0)
    assert [e["units"] for e in usage_events(acme.database_url, acme.org_id)] == [0]


def test_pages_follow_next_cursor_and_each_page_bills_what_it_returns(
    api: TestClient[Litestar], acme: Tenant
) -> None:
    seen: list[str] = []
    charged: list[float] = []
    body: dict[str, Any] = {"limit": 3}
    while True:
        response = post(api, acme, PEOPLE, body)
        assert response.status_code == 200, response.text
        page = response.json()
        seen += [person["id"] for person in page["data"]]
        charged.append(page["meta"]["credits_charged"])
        assert page["meta"]["has_more"] == (page["meta"]["next_cursor"] is not None)
        if not page["meta"]["has_more"]:
            break
        body = {"limit": 3, "cursor": page["meta"]["next_cursor"]}
    assert seen == [JOSE, ANA, BOB, CHLOE, WEI, PRIYA, HANS, SAM]
    assert charged == [0.15, 0.15, 0.1]
    assert assert_ledger_consistent(acme.database_url, acme.org_id) == (BALANCE - 400, 0)


def test_companies_and_openings_are_searched_and_billed_at_their_prices(
    api: TestClient[Litestar], acme: Tenant
) -> None:
    companies = post(api, acme, COMPANIES, {"filters": {"industries": ["software"]}})
    assert companies.status_code == 200, companies.text
    assert [c["name"] for c in companies.json()["data"]] == ["Acme Robotics GmbH", "Initech"]
    assert companies.json()["data"][1]["id"] == INITECH
    assert companies.json()["meta"]["credits_charged"] == 0.1
    openings = post(api, acme, OPENINGS, {"filters": {"titles": ["engineer"]}})
    assert openings.status_code == 200, openings.text
    assert [(o["title"], o["company"]["name"]) for o in openings.json()["data"]] == [
        ("Robotics Software Engineer", "Acme Robotics GmbH"),
        ("Data Engineering Manager", "Initech"),
    ]
    assert openings.json()["meta"]["credits_charged"] == 0.04
    assert assert_ledger_consistent(acme.database_url, acme.org_id) == (BALANCE - 140, 0)


def test_the_reservation_covers_limit_results_before_anything_is_searched(
    api: TestClient[Litestar], profile: Settings
) -> None:
    seed(profile.database_url)
    poor = funded_tenant(profile.database_url, amount=100, name="Poor")
    refused = post(api, poor, PEOPLE, {"limit": 3})
    assert_error(
        refused,
        402,
        "insufficient_credits",
        details={"required": 0.15, "available": 0.1, "units": 3},
    )
    assert refused.json()["error"]["message"] == (
        "This call needs 0.15 credits; 0.1 are available. That is the most it can cost"
        " (3 x 0.05), held until it is done; only what it delivers is charged. A lower"
        " limit or fewer rows holds less."
    )
    allowed = post(api, poor, PEOPLE, {"limit": 2})
    assert allowed.status_code == 200, allowed.text
    assert assert_ledger_consistent(poor.database_url, poor.org_id) == (0, 0)


# Refusals -------------------------------------------------------------------------------


@pytest.mark.parametrize("limit", [0, -1, 2501])
@pytest.mark.parametrize("path", SEARCHES)
def test_a_limit_outside_1_to_2500_is_out_of_range_and_free(
    api: TestClient[Litestar], acme: Tenant, path: str, limit: int
) -> None:
    response = post(api, acme, path, {"limit": limit})
    assert_error(
        response,
        400,
        "limit_out_of_range",
        param="limit",
        details={"limit": "must be between 1 and 2500"},
    )
    assert_nothing_billed(acme)


def test_a_limit_of_2500_is_reserved_in_full_and_settled_to_what_was_returned(
    api: TestClient[Litestar], acme: Tenant
) -> None:
    response = post(api, acme, PEOPLE, {"limit": 2500})
    assert response.status_code == 200, response.text
    assert len(response.json()["data"]) == 8
    assert billed(acme) == [
        ("reserve", 125_000, "search.people"),
        ("capture", 400, "search.people"),
        ("release", 124_600, "search.people"),
    ]


def _first_cursor(api: TestClient[Litestar], tenant: Tenant, body: dict[str, Any]) -> str:
    response = post(api, tenant, PEOPLE, {**body, "limit": 1})
    cursor = response.json()["meta"]["next_cursor"]
    assert isinstance(cursor, str)
    return cursor


@pytest.mark.parametrize(
    "cursor",
    [
        pytest.param("not-a-cursor", id="garbage"),
        pytest.param(encode_cursor("api_keys", "key_01"), id="another_listing"),
        pytest.param(encode_cursor("search.people:0123", "1"), id="forged"),
    ],
)
def test_a_cursor_that_is_not_this_querys_is_invalid(
    api: TestClient[Litestar], acme: Tenant, cursor: str
) -> None:
    response = post(api, acme, PEOPLE, {"cursor": cursor})
    assert_error(
        response,
        400,
        "invalid_cursor",
        param="cursor",
        details={"cursor": "malformed or from another listing"},
    )
    assert_nothing_billed(acme)


def test_a_cursor_of_another_search_is_invalid(api: TestClient[Litestar], acme: Tenant) -> None:
    cursor = _first_cursor(api, acme, {"filters": {"locations": ["US"]}})
    before = assert_ledger_consistent(acme.database_url, acme.org_id)
    for path, body in (
        (PEOPLE, {"filters": {"locations": ["DE"]}}),
        (PEOPLE, {"filters": {"locations": ["US"], "has_email": True}}),
        (COMPANIES, {"filters": {"locations": ["US"]}}),
    ):
        assert_error(post(api, acme, path, {**body, "cursor": cursor}), 400, "invalid_cursor")
    followed = post(api, acme, PEOPLE, {"filters": {"locations": ["US"]}, "cursor": cursor})
    assert [person["id"] for person in followed.json()["data"]] == [BOB, WEI]
    assert assert_ledger_consistent(acme.database_url, acme.org_id) == (before[0] - 100, 0)


def test_realtime_names_the_filters_it_cannot_use(api: TestClient[Litestar], acme: Tenant) -> None:
    response = post(
        api,
        acme,
        PEOPLE,
        {
            "mode": "realtime",
            "filters": {"seniorities": ["vp"], "has_email": True, "keywords": "x"},
        },
    )
    assert_error(
        response,
        400,
        "unsupported_filter",
        param="filters.has_email",
        details={
            "filters.has_email": "not available in realtime mode",
            "filters.keywords": "not available in realtime mode",
        },
    )
    assert_nothing_billed(acme)


def test_realtime_without_the_plans_feature_is_not_entitled(
    api: TestClient[Litestar], profile: Settings
) -> None:
    starter = asyncio.run(make_tenant(profile.database_url, plan="starter", name="Starter"))
    response = post(api, starter, COMPANIES, {"mode": "realtime", "filters": {"names": ["acme"]}})
    assert_error(response, 403, "not_entitled", param="mode", details={"entitlement": "realtime"})


def test_realtime_has_no_live_source_yet_and_charges_nothing(
    api: TestClient[Litestar], acme: Tenant
) -> None:
    response = post(api, acme, OPENINGS, {"mode": "realtime", "filters": {"titles": ["cto"]}})
    assert_error(response, 503, "upstream_unavailable")
    assert_nothing_billed(acme)
    assert usage_events(acme.database_url, acme.org_id) == []


@pytest.mark.parametrize(
    ("body", "details"),
    [
        pytest.param(
            {"filters": {"founded_from": 2000}},
            {"filters.founded_from": "unknown field"},
            id="another_kinds_filter",
        ),
        pytest.param(
            {"filters": {"seniorities": ["ceo"], "departments": ["x"]}},
            {
                "filters.seniorities": "'ceo' is not one of: owner, founder, c_suite, partner,"
                " vp, head, director, manager, senior, entry, intern (at filters.seniorities[0])",
                "filters.departments": "'x' is not one of: executive, engineering, sales,"
                " marketing, finance, hr, operations, product, design, legal, it, support, data,"
                " education, medical, consulting, other (at filters.departments[0])",
            },
            id="unknown_seniority_and_department",
        ),
        pytest.param(
            {"filters": {"locations": [{}]}},
            {
                "filters.locations": "a location needs a country, a region or a city"
                " (at filters.locations[0])"
            },
            id="empty_location",
        ),
        pytest.param(
            {"filters": {"job_titles": ["..."], "company_domains": ["not a domain"]}},
            {
                "filters.job_titles[0]": "holds no letters or digits",
                "filters.company_domains[0]": "not a domain name",
            },
            id="unusable_values",
        ),
        pytest.param(
            {
                "filters": {
                    "seniorities": ["emperor"],
                    "keywords": "!!!",
                    "company_domains": ["not a domain"],
                },
                "limit": "ten",
            },
            {
                "filters.seniorities": "'emperor' is not one of: owner, founder, c_suite,"
                " partner, vp, head, director, manager, senior, entry, intern"
                " (at filters.seniorities[0])",
                "limit": "expected an integer, got a string",
                "filters.keywords": "holds no letters or digits",
                "filters.company_domains[0]": "not a domain name",
            },
            id="wrong_types_beside_unusable_values",
        ),
        pytest.param(
            {"filters": {"locations": ["Atlantis", {"country": "Germany", "city": "Berlin"}]}},
            {
                "filters.locations[0]": "not a country: an ISO 3166-1 alpha-2 code or an English name"
            },
            id="unknown_country",
        ),
        pytest.param(
            {
                "filters": {
                    "company_industries": ["Software", "   "],
                    "locations": ["US", {"city": " ", "region": "Bavaria"}],
                    "exclude_locations": [{"region": "\t"}],
                }
            },
            {
                "filters.company_industries[1]": "is blank",
                "filters.locations[1].city": "is blank",
                "filters.exclude_locations[0].region": "is blank",
            },
            id="blank_values",
        ),
        pytest.param(
            {"filters": {"locations": [{"city": "Ber\u0000lin"}]}},
            {"filters.locations[0].city": NO_NUL},
            id="nul_character",
        ),
        pytest.param(
            {"filters": {"updated_since": "9999-12-31T23:59:59-05:00"}},
            {"filters.updated_since": "out of range once converted to UTC"},
            id="since_past_the_calendar",
        ),
        pytest.param(
            {"filters": {"updated_since": "2026-11-01T09:30:00"}},
            {
                "filters.updated_since": "a date-time needs its offset (Z or +01:00);"
                " or send a date (2026-11-01)"
            },
            id="since_without_an_offset",
        ),
        *(
            pytest.param(
                {"filters": {"updated_since": since}},
                {
                    "filters.updated_since": "expected a date (2026-11-01) or a date-time"
                    " with its offset (2026-11-01T09:30:00Z)"
                },
                id=f"since_{since}",
            )
            for since in ("yesterday", "2026-13-01", "2026-11-01 09:30Z", "")
        ),
    ],
)
def test_invalid_filters_are_named_and_free(
    api: TestClient[Litestar], acme: Tenant, body: dict[str, Any], details: dict[str, str]
) -> None:
    assert_error(post(api, acme, PEOPLE, body), 400, "invalid_parameter", details=details)
    assert_nothing_billed(acme)


@pytest.mark.parametrize("path", [OPENINGS, f"{OPENINGS}/count"])
def test_openings_posted_since_a_moment_past_the_calendar_in_utc_is_400(
    api: TestClient[Litestar], acme: Tenant, path: str
) -> None:
    body = {"filters": {"posted_since": "0001-01-01T00:00:00+14:00"}}
    assert_error(
        post(api, acme, path, body),
        400,
        "invalid_parameter",
        details={"filters.posted_since": "out of range once converted to UTC"},
    )
    assert_nothing_billed(acme)


@pytest.mark.parametrize("path", [*SEARCHES, *COUNTS, PREVIEW])
def test_every_search_route_needs_the_search_scope(
    api: TestClient[Litestar], acme: Tenant, path: str
) -> None:
    scopes = [scope for scope in SCOPES if scope != "search:read"]
    _, secret = asyncio.run(make_key(acme.database_url, org_id=acme.org_id, scopes=scopes))
    response = api.post(path, json={}, headers={"Authorization": f"Bearer {secret}"})
    assert_error(response, 403, "insufficient_scope")


# Counts -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "filters", "expected"),
    [
        (f"{PEOPLE}/count", {"locations": ["US"], "has_email": True}, 1),
        (f"{PEOPLE}/count", {}, 8),
        (f"{COMPANIES}/count", {"locations": ["DE"]}, 2),
        (f"{OPENINGS}/count", {"keywords": "engineer"}, 2),
    ],
)
def test_a_count_in_database_mode_is_free_but_metered_and_limited(
    api: TestClient[Litestar], acme: Tenant, path: str, filters: dict[str, Any], expected: int
) -> None:
    response = post(api, acme, path, {"filters": filters})
    assert response.status_code == 200, response.text
    assert response.json() == {
        "data": {"count": expected},
        "meta": {"request_id": response.headers["x-request-id"], "credits_charged": 0.0},
    }
    # Limited like the preview: a count runs a full-text count, not a free lunch.
    assert response.headers["X-RateLimit-Limit"] == "120"
    assert response.headers["X-RateLimit-Remaining"] == "119"
    assert_nothing_billed(acme)
    assert [
        (e["operation"], e["charged"]) for e in usage_events(acme.database_url, acme.org_id)
    ] == [("search.count", 0)]


@pytest.mark.parametrize("path", COUNTS)
def test_a_count_in_realtime_mode_is_refused(
    api: TestClient[Litestar], acme: Tenant, path: str
) -> None:
    response = post(api, acme, path, {"mode": "realtime"})
    assert_error(
        response, 400, "invalid_parameter", param="mode", details={"mode": "must be database"}
    )


# Preview ----------------------------------------------------------------------------------


def test_a_preview_masks_people_and_is_free(api: TestClient[Litestar], acme: Tenant) -> None:
    response = post(api, acme, PREVIEW, {"filters": {"keywords": "mull"}, "limit": 1})
    assert response.status_code == 200, response.text
    assert response.json() == {
        "data": [
            {
                "first_name": "José",
                "last_initial": "M.",
                "title": "VP of Sales",
                "seniority": "vp",
                "department": "sales",
                "company": {
                    "id": "co_01acme",
                    "name": "Acme Robotics GmbH",
                    "domain": "acme-robotics.de",
                    "linkedin_url": "https://www.linkedin.com/company/acme-robotics",
                },
                "location": {"city": "Berlin", "region": "Berlin", "country": "DE"},
                "has_email": True,
                "has_phone": True,
            }
        ],
        "meta": {
            "request_id": response.headers["x-request-id"],
            "credits_charged": 0.0,
            "has_more": True,
        },
    }
    assert_nothing_billed(acme)
    assert [
        (e["operation"], e["charged"]) for e in usage_events(acme.database_url, acme.org_id)
    ] == [("search.preview", 0)]


def test_a_preview_says_what_a_search_would_find_without_the_contacts(
    api: TestClient[Litestar], acme: Tenant
) -> None:
    response = post(api, acme, PREVIEW, {"filters": {"company_ids": [GLOBEX, INITECH]}})
    assert response.status_code == 200, response.text
    previews = response.json()["data"]
    assert [
        (p["first_name"], p["last_initial"], p["has_email"], p["has_phone"]) for p in previews
    ] == [
        ("Ana", "G.", False, False),
        ("Bob", "S.", False, True),
        ("Wei", "C.", True, False),
        ("Priya", "P.", True, False),
    ]
    assert response.json()["meta"]["has_more"] is False


@pytest.mark.parametrize("limit", [0, 26])
def test_a_preview_shows_at_most_25_people(
    api: TestClient[Litestar], acme: Tenant, limit: int
) -> None:
    response = post(api, acme, PREVIEW, {"limit": limit})
    assert_error(
        response,
        400,
        "limit_out_of_range",
        param="limit",
        details={"limit": "must be between 1 and 25"},
    )


def test_a_preview_takes_no_mode_or_cursor(api: TestClient[Litestar], acme: Tenant) -> None:
    response = post(api, acme, PREVIEW, {"mode": "database", "cursor": "x"})
    assert_error(
        response,
        400,
        "invalid_parameter",
        details={"mode": "unknown field", "cursor": "unknown field"},
    )


# GET /v1/openings/{id} --------------------------------------------------------------------


def test_an_opening_looked_up_by_id_is_billed_as_one_search_result(
    api: TestClient[Litestar], acme: Tenant
) -> None:
    response = api.get("/v1/openings/op_03data", headers=acme.headers)
    assert response.status_code == 200, response.text
    assert response.json() == {
        "data": {
            "id": "op_03data",
            "company": {
                "id": INITECH,
                "name": "Initech",
                "domain": "initech.com",
                "linkedin_url": None,
            },
            "title": "Data Engineering Manager",
            "seniority": "manager",
            "department": "data",
            "location": {"city": "Austin", "region": "Texas", "country": "US"},
            "posted_at": stamp(NOW - dt.timedelta(days=1)),
            "url": None,
            "linkedin_url": None,
            "source": "test",
            "synthetic": False,
            "updated_at": stamp(NOW),
        },
        "meta": {"request_id": response.headers["x-request-id"], "credits_charged": 0.02},
    }
    assert response.headers["x-ratelimit-limit"] == "120"
    assert assert_ledger_consistent(acme.database_url, acme.org_id) == (BALANCE - 20, 0)


def test_an_unknown_opening_is_not_found(api: TestClient[Litestar], acme: Tenant) -> None:
    response = api.get("/v1/openings/op_missing", headers=acme.headers)
    assert_error(response, 404, "not_found", param="id")
    assert assert_ledger_consistent(acme.database_url, acme.org_id) == (BALANCE, 0)
