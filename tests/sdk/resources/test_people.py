"""client.people against a real server: by id, enrich one, bulk, and enrich_many."""

from __future__ import annotations

import pytest

from leadbase import AsyncLeadbase, BadRequestError, Leadbase, NotFoundError, PersonRow
from tests.factories import Tenant
from tests.server.catalog.enrich_support import Catalog
from tests.server.credits.support import fund


def test_get_a_person_by_id(api: Leadbase, catalog: Catalog) -> None:
    person = api.people.get(catalog.people["jane"])
    assert person.full_name == "Jane Doe"
    assert person.company is not None and person.company.domain == "acme.com"
    assert [email.email for email in person.emails] == ["jane.doe@acme.com"]
    assert person.location.country == "GB"
    with pytest.raises(NotFoundError) as raised:
        api.people.get("per_unknown")
    assert raised.value.code == "not_found"


def test_enrich_one_is_billed_on_a_match_only(api: Leadbase, catalog: Catalog) -> None:
    found = api.people.enrich(first_name="Bob", last_name="Smith", company_domain="globex.io")
    assert found.person.id == catalog.people["robert"]
    assert found.match.confidence < 1.0 and "name" in found.match.matched_on
    assert found.meta is not None and found.meta.credits_charged == 1.0
    with pytest.raises(NotFoundError) as raised:
        api.people.enrich(email="stranger@acme.com")
    assert raised.value.code == "no_match"
    assert api.account.get().credits.balance == 99.0


def test_enrich_needs_an_identifier(api: Leadbase) -> None:
    with pytest.raises(BadRequestError) as raised:
        api.people.enrich(first_name="Jane")
    assert raised.value.code == "at_least_one_required"


BULK: list[PersonRow] = [
    {"row_ref": "jane", "email": "Jane.Doe@acme.com"},
    {"row_ref": "stranger", "email": "stranger@acme.com"},
    {"row_ref": "bad", "email": "jane at acme"},
]


def test_enrich_bulk_keeps_row_refs_and_per_row_results(api: Leadbase, catalog: Catalog) -> None:
    answer = api.people.enrich_bulk(rows=BULK)
    assert [(row.row_ref, row.status) for row in answer.results] == [
        ("jane", "matched"),
        ("stranger", "no_match"),
        ("bad", "invalid"),
    ]
    jane, _, bad = answer.results
    assert jane.person is not None and jane.person.id == catalog.people["jane"]
    assert bad.errors is not None and "email" in bad.errors
    assert bad.code == "invalid_parameter" and jane.code is None
    assert (answer.summary.matched, answer.summary.no_match, answer.summary.failed) == (1, 1, 1)
    assert answer.meta is not None and answer.meta.credits_charged == 1.0


def test_enrich_bulk_over_500_rows_is_refused(api: Leadbase) -> None:
    rows: list[PersonRow] = [{"row_ref": str(n), "email": f"p{n}@x.com"} for n in range(501)]
    with pytest.raises(BadRequestError) as raised:
        api.people.enrich_bulk(rows=rows)
    assert raised.value.code == "bulk_limit_exceeded"


def test_enrich_many_splits_and_keeps_input_order(
    api: Leadbase, catalog: Catalog, acme: Tenant
) -> None:
    fund(acme.database_url, acme.org_id, 2_000_000)  # each call reserves 500 credits
    emails = ["jane.doe@acme.com", "rsmith@globex.io", "nobody@acme.com", "peter@initech.com"]
    rows: list[PersonRow] = [{"email": emails[n % 4]} for n in range(1203)]
    result = api.people.enrich_many(rows, concurrency=3)
    assert len(result.request_ids) == 3
    assert [row.row_ref for row in result.results] == [str(n) for n in range(1203)]
    expected = ["matched", "matched", "no_match", "matched"]
    assert [row.status for row in result.results] == [expected[n % 4] for n in range(1203)]
    # 1203 rows: 301 x jane, 301 x robert, 301 x nobody, 300 x peter
    assert (result.summary.matched, result.summary.no_match) == (902, 301)
    # Each of the three calls bills the three people it matched once.
    assert result.summary.billed == 9
    assert result.credits_charged == 9.0


def test_enrich_many_with_a_key_replays_instead_of_billing_twice(
    api: Leadbase, catalog: Catalog
) -> None:
    rows: list[PersonRow] = [{"email": "jane.doe@acme.com"}, {"email": "rsmith@globex.io"}] * 3
    first = api.people.enrich_many(rows, chunk_size=2, idempotency_key="batch-1")
    again = api.people.enrich_many(rows, chunk_size=2, idempotency_key="batch-1")
    assert (first.credits_charged, first.summary.billed) == (6.0, 6)
    assert [row.status for row in again.results] == ["matched"] * 6
    # Every chunk was a replay: nothing billed this time.
    assert (again.credits_charged, again.summary.billed) == (0.0, 0)
    assert api.account.get().credits.balance == 94.0


@pytest.mark.anyio
async def test_async_people(async_api: AsyncLeadbase, catalog: Catalog) -> None:
    person = await async_api.people.get(catalog.people["peter"])
    assert person.full_name == "Peter Gibbons"
    found = await async_api.people.enrich(linkedin_url="https://www.linkedin.com/in/jane-doe")
    assert found.person.id == catalog.people["jane"]
    bulk = await async_api.people.enrich_bulk(rows=BULK[:2])
    assert bulk.summary.matched == 1
    many = await async_api.people.enrich_many([{"email": "peter@initech.com"}] * 5, chunk_size=2)
    assert many.summary.matched == 5 and len(many.request_ids) == 3
