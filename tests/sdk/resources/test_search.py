"""client.search, client.preview and client.openings against a real server."""

from __future__ import annotations

import datetime as dt

import httpx
import pytest

from leadbase import AsyncLeadbase, BadRequestError, Leadbase, NotFoundError
from tests.factories import Tenant
from tests.server.catalog.enrich_support import Catalog


@pytest.fixture
def openings(server: str, acme: Tenant, catalog: Catalog) -> list[str]:
    """Two openings at Acme, loaded through the operator's admin endpoint."""
    rows = [
        {
            "row_ref": "1",
            "title": "Senior Data Engineer",
            "company_domain": "acme.com",
            "country": "GB",
        },
        {
            "row_ref": "2",
            "title": "Account Executive",
            "company_domain": "acme.com",
            "country": "US",
        },
    ]
    response = httpx.post(
        f"{server}/v1/admin/catalog/openings", json={"rows": rows}, headers=acme.headers
    )
    assert response.status_code == 200, response.text
    return [row["id"] for row in response.json()["data"]["results"]]


def test_people_search_pages_lazily_and_bills_each_page(api: Leadbase, catalog: Catalog) -> None:
    page = api.search.people(limit=2)
    assert len(page.data) == 2 and page.has_next_page()
    assert page.meta.credits_charged == 0.1
    names = [person.full_name for person in page]
    assert sorted(names) == ["Jane Doe", "Peter Gibbons", "Robert Smith"]
    # Two pages: 2 + 1 people at 0.05 each.
    assert round(100 - api.account.get().credits.balance, 3) == 0.15


def test_people_filters(api: Leadbase, catalog: Catalog) -> None:
    found = api.search.people(filters={"job_titles": ["vp engineering"], "locations": ["GB"]})
    assert [person.id for person in found.data] == [catalog.people["jane"]]
    assert api.search.count_people(filters={"company_domains": ["globex.io"]}).count == 1
    with pytest.raises(BadRequestError) as raised:
        api.search.people(limit=2501)
    assert raised.value.code == "limit_out_of_range"


def test_people_updated_since_a_date_or_a_datetime(api: Leadbase, catalog: Catalog) -> None:
    today = dt.datetime.now(dt.UTC)
    for since in (today.date() - dt.timedelta(days=1), today - dt.timedelta(hours=1)):
        assert api.search.count_people(filters={"updated_since": since}).count == 3
    tomorrow = today.date() + dt.timedelta(days=1)
    assert api.search.count_people(filters={"updated_since": tomorrow}).count == 0


def test_companies_search_and_count(api: Leadbase, catalog: Catalog) -> None:
    found = api.search.companies(filters={"names": ["initech"]})
    assert sorted(company.domain or "" for company in found.data) == ["initech.com", "initech.de"]
    assert api.search.count_companies().count == 4


def test_openings_search_count_and_get(api: Leadbase, openings: list[str]) -> None:
    found = api.search.openings(filters={"titles": ["data engineer"]})
    assert [opening.id for opening in found.data] == [openings[0]]
    assert api.search.count_openings(filters={"company_domains": ["acme.com"]}).count == 2
    opening = api.openings.get(openings[1])
    assert opening.title == "Account Executive" and opening.company.domain == "acme.com"
    with pytest.raises(NotFoundError):
        api.openings.get("opn_unknown")


def test_preview_is_masked_and_free(api: Leadbase, catalog: Catalog) -> None:
    preview = api.preview.people(limit=2)
    assert len(preview) == 2 and preview.has_more
    assert all(person.last_initial and len(person.last_initial) == 2 for person in preview)
    assert "email" not in preview[0].raw
    assert preview.meta.credits_charged == 0.0


@pytest.mark.anyio
async def test_async_search(async_api: AsyncLeadbase, catalog: Catalog) -> None:
    names = [person.full_name async for person in async_api.search.people(limit=1)]
    assert len(names) == 3
    first = await async_api.search.companies(limit=3)
    assert len(first.data) == 3 and first.has_next_page()
    assert (await async_api.search.count_people()).count == 3
    assert (await async_api.search.count_companies(filters={"domains": ["acme.com"]})).count == 1
    assert (await async_api.search.count_openings()).count == 0
    assert [o async for o in async_api.search.openings()] == []
    assert len(await async_api.preview.people()) == 3
    with pytest.raises(NotFoundError):
        await async_api.openings.get("opn_unknown")
