"""client.catalog against a real server: operators' upserts of people, companies and
openings, fill and overwrite, and row errors."""

from __future__ import annotations

import pytest

from leadbase import AsyncLeadbase, Leadbase, UpsertResult, UpsertSummary


def test_people_are_created_then_corrected_by_an_overwrite(api: Leadbase) -> None:
    created = api.catalog.upsert_people(
        [{"row_ref": "jane", "full_name": "Jane Roe", "email": "jane@roe.io", "title": "CTO"}],
        source="crm",
    )
    assert isinstance(created, UpsertResult)
    assert created.summary == UpsertSummary(total=1, created=1, merged=0, suppressed=0, invalid=0)
    (jane,) = created.results
    assert jane.status == "created" and jane.id is not None
    assert created.meta is not None and created.meta.credits_charged is None  # never billed

    # No name needed to correct one field of someone the email finds.
    corrected = api.catalog.upsert_people(
        [
            {"row_ref": "fix", "email": "jane@roe.io", "title": "VP Engineering"},
            {"row_ref": "bad", "full_name": "Max", "email": "not-an-email"},
        ],
        on_match="overwrite",
    )
    fix, bad = corrected.results
    assert (fix.status, fix.id, fix.matched_by) == ("merged", jane.id, "email")
    assert bad.status == "invalid" and bad.errors is not None and "email" in bad.errors
    assert (bad.code, fix.code) == ("invalid_parameter", None)
    found = api.people.enrich(email="jane@roe.io")
    assert found.person.title == "VP Engineering"


def test_companies_and_openings_have_their_own_upserts(api: Leadbase) -> None:
    companies = api.catalog.upsert_companies(
        [{"row_ref": "c", "name": "Roe Labs", "domain": "roe.io", "headcount": "40"}]
    )
    assert companies.results[0].status == "created"
    openings = api.catalog.upsert_openings(
        [
            {
                "row_ref": "o",
                "title": "Engineer",
                "company_domain": "roe.io",
                "posted_at": "2026-11-30",
            }
        ]
    )
    assert (openings.summary.created, openings.results[0].status) == (1, "created")


@pytest.mark.anyio
async def test_async_upsert(async_api: AsyncLeadbase) -> None:
    result = await async_api.catalog.upsert_people(
        [{"row_ref": "a", "full_name": "Ada Roe", "linkedin_url": "linkedin.com/in/ada-roe"}]
    )
    assert result.summary.created == 1
    again = await async_api.catalog.upsert_people(
        [{"row_ref": "a", "full_name": "Ada Roe", "linkedin_url": "linkedin.com/in/ada-roe"}]
    )
    assert (again.results[0].status, again.results[0].matched_by) == ("merged", "record_id")
