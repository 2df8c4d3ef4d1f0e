"""client.companies against a real server."""

from __future__ import annotations

import pytest

from leadbase import AsyncLeadbase, BadRequestError, Leadbase, NotFoundError
from tests.server.catalog.enrich_support import Catalog


def test_get_and_enrich_a_company(api: Leadbase, catalog: Catalog) -> None:
    company = api.companies.get(catalog.companies["acme"])
    assert (company.name, company.domain, company.founded) == (
        "Acme Holdings, Inc.",
        "acme.com",
        1999,
    )
    found = api.companies.enrich(company_link="https://www.linkedin.com/company/acme-holdings")
    assert found.company.id == company.id and found.match.confidence >= 0.99
    assert found.meta is not None and found.meta.credits_charged == 1.0


def test_exactly_one_identifier(api: Leadbase, catalog: Catalog) -> None:
    with pytest.raises(BadRequestError) as raised:
        api.companies.enrich(domain="acme.com", company_name="Acme")
    assert raised.value.code == "exactly_one_required"
    with pytest.raises(NotFoundError):
        api.companies.enrich(domain="nowhere-at-all.com")


def test_bulk_and_many(api: Leadbase, catalog: Catalog) -> None:
    bulk = api.companies.enrich_bulk(
        rows=[
            {"row_ref": "a", "domain": "acme.com"},
            {"row_ref": "n", "domain": "nowhere-at-all.com"},
        ]
    )
    assert [row.status for row in bulk.results] == ["matched", "no_match"]
    many = api.companies.enrich_many(
        [{"domain": "globex.io"}, {"company_name": "Initech"}], chunk_size=1
    )
    # "Initech" names two companies: no single match.
    assert [row.status for row in many.results] == ["matched", "no_match"]
    assert (
        many.results[0].company is not None and many.results[0].company.name == "Globex Corporation"
    )


@pytest.mark.anyio
async def test_async_companies(async_api: AsyncLeadbase, catalog: Catalog) -> None:
    company = await async_api.companies.get(catalog.companies["globex"])
    found = await async_api.companies.enrich(domain="globex.io")
    assert found.company.id == company.id
    bulk = await async_api.companies.enrich_bulk(rows=[{"row_ref": "x", "company_id": company.id}])
    assert bulk.summary.matched == 1
