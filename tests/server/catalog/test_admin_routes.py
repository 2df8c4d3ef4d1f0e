"""POST /v1/admin/catalog/people|companies|openings over HTTP on both databases: per-row
results, validation before any write, limits, the catalog:write scope, no billing."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from leadbase.server.auth.keys import SCOPES
from leadbase.server.nul import NO_NUL
from tests.envelopes import assert_error
from tests.factories import Tenant, make_key
from tests.server.credits.support import execute, rows

PEOPLE = "/v1/admin/catalog/people"
COMPANIES = "/v1/admin/catalog/companies"
OPENINGS = "/v1/admin/catalog/openings"

Client = TestClient[Litestar]


def post(client: Client, tenant: Tenant, path: str, body: Any, **headers: str) -> Any:
    return client.post(path, json=body, headers={**tenant.headers, **headers})


def count(tenant: Tenant, table: str) -> int:
    return int(rows(tenant.database_url, f"SELECT count(*) AS n FROM {table}")[0]["n"])


def test_people_are_created_and_merged_with_a_result_per_row(
    client: Client, tenant: Tenant
) -> None:
    response = post(
        client,
        tenant,
        PEOPLE,
        {
            "source": "partner-feed",
            "rows": [
                {
                    "row_ref": "a",
                    "first_name": "Jane",
                    "last_name": "Doe",
                    "email": "jane@acme.com",
                    "company_domain": "acme.com",
                },
                {"row_ref": "b", "full_name": "Max", "email": "nope", "phone": "12"},
                {"row_ref": "c", "full_name": "Jane Doe", "email": "JANE@acme.com", "title": "CTO"},
            ],
        },
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"data", "meta"}
    # Not metered: no credits_charged in meta.
    assert body["meta"] == {"request_id": response.headers["x-request-id"]}
    jane_id = body["data"]["results"][0]["id"]
    assert jane_id.startswith("per_")
    assert body["data"] == {
        "summary": {"total": 3, "created": 1, "merged": 1, "suppressed": 0, "invalid": 1},
        "results": [
            {
                "row_ref": "a",
                "status": "created",
                "id": jane_id,
                "matched_by": None,
                "code": None,
                "errors": None,
            },
            {
                "row_ref": "b",
                "status": "invalid",
                "id": None,
                "matched_by": None,
                "code": "invalid_parameter",
                "errors": {
                    "email": "not a valid email address",
                    "phone": "not a valid phone number (use +<country code> or give the country)",
                },
            },
            {
                "row_ref": "c",
                "status": "merged",
                "id": jane_id,
                "matched_by": "email",
                "code": None,
                "errors": None,
            },
        ],
    }
    assert rows(tenant.database_url, "SELECT full_name, title, source FROM people") == [
        {"full_name": "Jane Doe", "title": "CTO", "source": "partner-feed"}
    ]
    # Never billed: nothing on the ledger, no usage.
    assert count(tenant, "credit_entries") == 0
    assert count(tenant, "usage_events") == 0


def test_a_person_with_a_suppressed_key_is_reported_and_skipped(
    client: Client, tenant: Tenant
) -> None:
    execute(
        tenant.database_url,
        "INSERT INTO suppressions (kind, value, created_at) VALUES ('email', 'gone@acme.com', :t)",
        t="2024-01-01 00:00:00",
    )
    response = post(
        client,
        tenant,
        PEOPLE,
        {"rows": [{"row_ref": "x", "full_name": "Gone Person", "email": "gone@acme.com"}]},
    )
    assert response.status_code == 200, response.text
    assert response.json()["data"]["results"] == [
        {
            "row_ref": "x",
            "status": "suppressed",
            "id": None,
            "matched_by": None,
            "code": None,
            "errors": None,
        }
    ]
    assert count(tenant, "people") == 0


def test_companies_and_openings_have_their_own_routes(client: Client, tenant: Tenant) -> None:
    companies = post(
        client,
        tenant,
        COMPANIES,
        {
            "rows": [
                {"row_ref": "1", "name": "Acme Inc.", "domain": "acme.com", "founded": 1999},
                {
                    "row_ref": "2",
                    "name": "ACME",
                    "website": "https://www.acme.com",
                    "industry": "Software",
                },
            ]
        },
    )
    assert companies.status_code == 200, companies.text
    results = companies.json()["data"]["results"]
    assert [(r["status"], r["matched_by"]) for r in results] == [
        ("created", None),
        ("merged", "domain"),
    ]
    openings = post(
        client,
        tenant,
        OPENINGS,
        {
            "rows": [
                {
                    "row_ref": "j",
                    "title": "CFO",
                    "company_domain": "acme.com",
                    "posted_at": "2024-05-01",
                }
            ]
        },
    )
    assert openings.status_code == 200, openings.text
    assert openings.json()["data"]["summary"] == {
        "total": 1,
        "created": 1,
        "merged": 0,
        "suppressed": 0,
        "invalid": 0,
    }
    assert rows(tenant.database_url, "SELECT name, industry, founded FROM companies") == [
        {"name": "Acme Inc.", "industry": "Software", "founded": 1999}
    ]
    assert rows(tenant.database_url, "SELECT company_id FROM openings") == [
        {"company_id": results[0]["id"]}
    ]


def test_a_row_with_wrong_types_is_invalid_with_every_field_named(
    client: Client, tenant: Tenant
) -> None:
    response = post(
        client,
        tenant,
        COMPANIES,
        {
            "rows": [
                {"row_ref": "1", "name": ["Acme"], "employees": 3},
                {"row_ref": "2", "name": "Globex"},
            ]
        },
    )
    assert response.status_code == 200, response.text
    first, second = response.json()["data"]["results"]
    assert first == {
        "row_ref": "1",
        "status": "invalid",
        "id": None,
        "matched_by": None,
        "code": "invalid_parameter",
        "errors": {"employees": "unknown field", "name": "expected a string or null, got an array"},
    }
    assert second["status"] == "created"
    assert rows(tenant.database_url, "SELECT name FROM companies") == [{"name": "Globex"}]


def test_an_invalid_row_carries_the_error_code_that_sums_it_up(
    client: Client, tenant: Tenant
) -> None:
    rows_sent = [
        {"row_ref": "profile", "full_name": "Jane Doe", "linkedin_url": "linkedin.com/company/x"},
        {"row_ref": "name-only", "full_name": "Jane Doe"},
        {"row_ref": "both", "full_name": "Jo Bloggs", "email": "jo@", "linkedin_url": "nope"},
        {"row_ref": "email", "full_name": "Jo Bloggs", "email": "jo@"},
    ]
    response = post(client, tenant, PEOPLE, {"rows": rows_sent})
    assert response.status_code == 200, response.text
    results = response.json()["data"]["results"]
    assert [(result["row_ref"], result["code"]) for result in results] == [
        ("profile", "invalid_linkedin_url"),
        ("name-only", "at_least_one_required"),
        # The LinkedIn URL's code wins, as in POST /v1/people/enrich; errors name both.
        ("both", "invalid_linkedin_url"),
        ("email", "invalid_parameter"),
    ]
    assert set(results[2]["errors"]) == {"email", "linkedin_url"}
    assert count(tenant, "people") == 0


def test_more_than_500_rows_is_bulk_limit_exceeded(client: Client, tenant: Tenant) -> None:
    body = {"rows": [{"row_ref": str(i), "name": f"Company {i}"} for i in range(501)]}
    assert_error(
        post(client, tenant, COMPANIES, body),
        400,
        "bulk_limit_exceeded",
        param="rows",
        details={"rows": "at most 500 rows per call, got 501"},
    )
    assert count(tenant, "companies") == 0


def test_a_row_holding_nul_is_invalid_and_the_others_are_written(
    client: Client, tenant: Tenant
) -> None:
    body = (
        '{"rows": [{"row_ref": "ok", "name": "Acme", "domain": "acme.com"},'
        ' {"row_ref": "nul", "name": "Glo\\u0000bex", "domain": "globex.com"}]}'
    )
    response = client.post(
        COMPANIES, content=body, headers={**tenant.headers, "Content-Type": "application/json"}
    )
    assert response.status_code == 200, response.text
    results = response.json()["data"]["results"]
    assert [result["status"] for result in results] == ["created", "invalid"]
    assert results[1]["errors"] == {"name": NO_NUL}
    assert count(tenant, "companies") == 1


def test_no_rows_or_no_body_is_payload_is_empty(client: Client, tenant: Tenant) -> None:
    assert_error(post(client, tenant, PEOPLE, {"rows": []}), 400, "payload_is_empty", param="rows")
    assert_error(client.post(PEOPLE, content=b"", headers=tenant.headers), 400, "payload_is_empty")


def test_rows_without_their_own_row_ref_fail_the_whole_call(client: Client, tenant: Tenant) -> None:
    response = post(
        client,
        tenant,
        PEOPLE,
        {
            "rows": [
                {"row_ref": "a", "full_name": "Jane Doe", "email": "j@a.com"},
                {"full_name": "X"},
                {"row_ref": "a"},
            ]
        },
    )
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
    assert count(tenant, "people") == 0


def test_an_unknown_top_level_field_is_invalid_parameter(client: Client, tenant: Tenant) -> None:
    assert_error(
        post(client, tenant, PEOPLE, {"rows": [{"row_ref": "a"}], "dry_run": True}),
        400,
        "invalid_parameter",
        details={"dry_run": "unknown field"},
    )


def test_an_operator_corrects_a_title_by_asking_to_overwrite(
    client: Client, tenant: Tenant
) -> None:
    jane = {"row_ref": "a", "full_name": "Jane Doe", "email": "jane@acme.com", "title": "CTO"}
    assert post(client, tenant, PEOPLE, {"rows": [jane]}).status_code == 200
    corrected = {**jane, "title": "Chief Technology Officer", "city": "Berlin"}
    filled = post(client, tenant, PEOPLE, {"rows": [corrected]})
    assert filled.json()["data"]["results"][0]["status"] == "merged"
    assert rows(tenant.database_url, "SELECT title, city FROM people") == [
        {"title": "CTO", "city": "Berlin"}
    ]
    overwritten = post(client, tenant, PEOPLE, {"rows": [corrected], "on_match": "overwrite"})
    assert overwritten.json()["data"]["summary"]["merged"] == 1
    assert rows(tenant.database_url, "SELECT title, city FROM people") == [
        {"title": "Chief Technology Officer", "city": "Berlin"}
    ]


def test_a_row_without_a_name_updates_the_person_its_email_or_phone_finds(
    client: Client, tenant: Tenant
) -> None:
    jane = {
        "row_ref": "a",
        "full_name": "Jane Doe",
        "email": "jane@acme.com",
        "mobile_phone": "+447400123456",
        "title": "CTO",
    }
    created = post(client, tenant, PEOPLE, {"rows": [jane]}).json()["data"]["results"][0]
    response = post(
        client,
        tenant,
        PEOPLE,
        {
            "on_match": "overwrite",
            "rows": [
                {"row_ref": "by-email", "email": "JANE@acme.com", "title": "VP Engineering"},
                {"row_ref": "by-phone", "mobile_phone": "+44 7400 123456", "city": "Leeds"},
                {"row_ref": "stranger", "email": "nobody@acme.com", "title": "CEO"},
                {"row_ref": "bad", "email": "not-an-email", "title": "CEO"},
            ],
        },
    )
    assert response.status_code == 200, response.text
    results = response.json()["data"]["results"]
    assert [(r["status"], r["id"], r["matched_by"]) for r in results[:2]] == [
        ("merged", created["id"], "email"),
        ("merged", created["id"], "phone"),
    ]
    assert results[2]["status"] == "invalid"
    assert results[2]["errors"] == {
        "first_name": "a person needs a name (first and last name, or a full name); no person"
        " in the catalog has this row's email, LinkedIn URL or phone to update"
    }
    assert results[3]["errors"] == {
        "first_name": "a person needs a name (first and last name, or a full name)",
        "email": "not a valid email address",
    }
    assert rows(tenant.database_url, "SELECT full_name, title, city FROM people") == [
        {"full_name": "Jane Doe", "title": "VP Engineering", "city": "Leeds"}
    ]


def test_an_unknown_on_match_names_the_choices(client: Client, tenant: Tenant) -> None:
    assert_error(
        post(client, tenant, COMPANIES, {"rows": [{"row_ref": "a"}], "on_match": "replace"}),
        400,
        "invalid_parameter",
        details={"on_match": "'replace' is not one of: fill, overwrite"},
    )
    assert count(tenant, "companies") == 0


@pytest.mark.parametrize("path", [PEOPLE, COMPANIES, OPENINGS])
def test_a_key_without_catalog_write_is_refused(client: Client, tenant: Tenant, path: str) -> None:
    scopes = [scope for scope in SCOPES if scope != "catalog:write"]
    _, secret = asyncio.run(make_key(tenant.database_url, org_id=tenant.org_id, scopes=scopes))
    response = client.post(
        path,
        json={"rows": [{"row_ref": "a", "name": "Acme", "full_name": "A B"}]},
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert_error(
        response,
        403,
        "insufficient_scope",
        details={"required": "catalog:write", "granted": sorted(scopes)},
    )


def test_an_idempotent_retry_replays_without_writing_again(client: Client, tenant: Tenant) -> None:
    body = {"rows": [{"row_ref": "a", "full_name": "Jane Doe", "email": "jane@acme.com"}]}
    first = post(client, tenant, PEOPLE, body, **{"Idempotency-Key": "feed-2024-05-01"})
    again = post(client, tenant, PEOPLE, body, **{"Idempotency-Key": "feed-2024-05-01"})
    assert first.status_code == again.status_code == 200
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json() == first.json()
    assert first.json()["data"]["results"][0]["status"] == "created"
    assert count(tenant, "person_sources") == 1
