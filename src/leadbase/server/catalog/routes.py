"""People and companies: lookups by id, enrichment of one record, bulk enrichment.

Enrichment is billed per match ("people.enrich", "companies.enrich"): one unit for a
single call or a lookup by id (a record, the same data), one per record matched for bulk
(rows of a call that match the same record pay once); no match, an unknown id, invalid
rows and realtime without a live source are free.
"""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from sqlalchemy.ext.asyncio import AsyncSession

from leadbase.server.auth.authenticate import Principal
from leadbase.server.body import parse_body
from leadbase.server.catalog import enrich
from leadbase.server.catalog import service as catalog
from leadbase.server.catalog.enrich import (
    BulkCompaniesEnrichment,
    BulkPeopleEnrichment,
    CompanyEnrichment,
    EnrichCompanies,
    EnrichCompany,
    EnrichPeople,
    EnrichPerson,
    PersonEnrichment,
)
from leadbase.server.catalog.schemas import CompanyOut, PersonOut
from leadbase.server.envelope import Envelope
from leadbase.server.pipeline import Outcome, operation, run

_PEOPLE = "people.enrich"
_COMPANIES = "companies.enrich"


# A lookup by id is an enrichment by the strongest key there is: it delivers the same
# record, so it is billed and limited as one (POST /v1/companies/enrich takes company_id).


@get(
    "/v1/people/{person_id:str}",
    opt=operation(scope="people:read", metered=_PEOPLE, response=Envelope[PersonOut]),
    tags=["people"],
)
async def get_person(
    request: Request[Any, Any, Any], principal: NamedDependency[Principal], person_id: FromPath[str]
) -> Response[bytes]:
    """One person by id, billed as a people enrichment (1 credit); 404 not_found (free) for
    an unknown or suppressed id."""

    async def perform(session: AsyncSession) -> Outcome[PersonOut]:
        return Outcome(data=await catalog.get_person(session, person_id=person_id), units=1)

    return await run(request, principal, perform=perform, max_units=1)


@get(
    "/v1/companies/{company_id:str}",
    opt=operation(scope="companies:read", metered=_COMPANIES, response=Envelope[CompanyOut]),
    tags=["companies"],
)
async def get_company(
    request: Request[Any, Any, Any],
    principal: NamedDependency[Principal],
    company_id: FromPath[str],
) -> Response[bytes]:
    """One company by id, billed as a company enrichment (1 credit); 404 not_found (free)
    for an unknown id."""

    async def perform(session: AsyncSession) -> Outcome[CompanyOut]:
        return Outcome(data=await catalog.get_company(session, company_id=company_id), units=1)

    return await run(request, principal, perform=perform, max_units=1)


@post(
    "/v1/people/enrich",
    opt=operation(
        scope="people:read",
        body=EnrichPerson,
        metered=_PEOPLE,
        response=Envelope[PersonEnrichment],
    ),
    status_code=200,
    tags=["people"],
)
async def enrich_person(
    request: Request[Any, Any, Any], principal: NamedDependency[Principal]
) -> Response[bytes]:
    """Match one person by email, linkedin_url, phone, or a name with company_domain or
    company_name; with the match's confidence and the keys it matched on.

    1 credit on a match; 404 no_match (free) otherwise. mode realtime needs the plan's
    realtime feature (403 not_entitled) and, with no live source configured yet, answers
    503 upstream_unavailable without charging.
    """
    data = await parse_body(request, EnrichPerson, check=enrich.person_query)
    query = enrich.person_query(data)
    enrich.check_mode(data.mode, entitlements=principal.entitlements)

    async def perform(session: AsyncSession) -> Outcome[PersonEnrichment]:
        found = await enrich.enrich_person(session, query=query, mode=data.mode)
        return Outcome(data=found, units=1)

    return await run(request, principal, perform=perform, max_units=1)


@post(
    "/v1/companies/enrich",
    opt=operation(
        scope="companies:read",
        body=EnrichCompany,
        metered=_COMPANIES,
        response=Envelope[CompanyEnrichment],
    ),
    status_code=200,
    tags=["companies"],
)
async def enrich_company(
    request: Request[Any, Any, Any], principal: NamedDependency[Principal]
) -> Response[bytes]:
    """Match one company by exactly one of company_id, company_link (LinkedIn company URL
    or website), company_name, domain; else 400 exactly_one_required naming each field.

    1 credit on a match; 404 no_match (free) otherwise; mode as for people.
    """
    data = await parse_body(request, EnrichCompany, check=enrich.company_key)
    key = enrich.company_key(data)
    enrich.check_mode(data.mode, entitlements=principal.entitlements)

    async def perform(session: AsyncSession) -> Outcome[CompanyEnrichment]:
        found = await enrich.enrich_company(session, key=key, mode=data.mode)
        return Outcome(data=found, units=1)

    return await run(request, principal, perform=perform, max_units=1)


@post(
    "/v1/people/enrich/bulk",
    opt=operation(
        scope="people:read",
        entitlement="bulk",
        body=EnrichPeople,
        metered=_PEOPLE,
        limit_class="bulk",
        response=Envelope[BulkPeopleEnrichment],
    ),
    status_code=200,
    tags=["people"],
)
async def enrich_people(
    request: Request[Any, Any, Any], principal: NamedDependency[Principal]
) -> Response[bytes]:
    """Enrich 1-500 rows, each with a row_ref unique in the call: a summary and each row's
    result (matched, no_match, or invalid with its errors), in the order sent.

    1 credit per record matched (``summary.billed``; rows that match the same person pay
    once); no_match and invalid rows are free. More than 500 rows: 400
    bulk_limit_exceeded; no rows: 400 payload_is_empty; a missing or repeated row_ref:
    400 invalid_parameter keyed rows[i].row_ref. Needs the plan's bulk feature; bulk
    calls have their own rate window.
    """
    data = await parse_body(request, enrich.RawBulk, rows="rows")
    rows = enrich.people_rows(data)
    enrich.check_mode(data.mode, entitlements=principal.entitlements)

    async def perform(session: AsyncSession) -> Outcome[BulkPeopleEnrichment]:
        found = await enrich.enrich_people(session, rows=rows, mode=data.mode)
        return Outcome(data=found, units=found.summary.billed)

    return await run(request, principal, perform=perform, max_units=enrich.valid_count(rows))


@post(
    "/v1/companies/enrich/bulk",
    opt=operation(
        scope="companies:read",
        entitlement="bulk",
        body=EnrichCompanies,
        metered=_COMPANIES,
        limit_class="bulk",
        response=Envelope[BulkCompaniesEnrichment],
    ),
    status_code=200,
    tags=["companies"],
)
async def enrich_companies(
    request: Request[Any, Any, Any], principal: NamedDependency[Principal]
) -> Response[bytes]:
    """Enrich 1-500 company rows, each with a row_ref and exactly one identifier; as for
    people: a summary, per-row results, 1 credit per company matched."""
    data = await parse_body(request, enrich.RawBulk, rows="rows")
    rows = enrich.company_rows(data)
    enrich.check_mode(data.mode, entitlements=principal.entitlements)

    async def perform(session: AsyncSession) -> Outcome[BulkCompaniesEnrichment]:
        found = await enrich.enrich_companies(session, rows=rows, mode=data.mode)
        return Outcome(data=found, units=found.summary.billed)

    return await run(request, principal, perform=perform, max_units=enrich.valid_count(rows))


ROUTES = [get_person, get_company, enrich_person, enrich_company, enrich_people, enrich_companies]
