"""Operator bulk upserts: POST /v1/admin/catalog/people | companies | openings.

1 to 500 rows a call, each with a ``row_ref``; every row is validated before anything is
written, then the valid rows are created or merged (entity resolution, as the CSV import
does) in one transaction. A merge fills the record's empty fields, or with
``"on_match": "overwrite"`` replaces them with the row's values. Needs the
``catalog:write`` scope; never billed.
"""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Request, Response, post
from litestar.di import NamedDependency
from sqlalchemy.ext.asyncio import AsyncSession

from leadbase.server.auth.authenticate import Principal
from leadbase.server.body import parse_body
from leadbase.server.catalog import service as catalog
from leadbase.server.catalog.columns import Kind
from leadbase.server.catalog.schemas import (
    CompaniesUpsert,
    OpeningsUpsert,
    PeopleUpsert,
    RawUpsert,
    UpsertResult,
)
from leadbase.server.envelope import Envelope
from leadbase.server.pipeline import Outcome, operation, run

SCOPE = "catalog:write"
DEFAULT_SOURCE = "admin_api"


async def _upsert(
    request: Request[Any, Any, Any], principal: Principal, kind: Kind
) -> Response[bytes]:
    body = await parse_body(request, RawUpsert, rows="rows")
    rows = catalog.check_rows(kind, body.rows)

    async def perform(session: AsyncSession) -> Outcome[UpsertResult]:
        result = await catalog.upsert_rows(
            session,
            kind=kind,
            rows=rows,
            source=body.source or DEFAULT_SOURCE,
            on_match=body.on_match,
        )
        return Outcome(data=result)

    return await run(request, principal, perform=perform, perform_writes=True)


def _declare(body: type[msgspec.Struct]) -> dict[str, Any]:
    return operation(scope=SCOPE, body=body, response=Envelope[UpsertResult])


@post("/v1/admin/catalog/people", opt=_declare(PeopleUpsert), status_code=200, tags=["admin"])
async def upsert_people(
    request: Request[Any, Any, Any], principal: NamedDependency[Principal]
) -> Response[bytes]:
    """Create or merge up to 500 people (matched by email, LinkedIn, phone, or name within
    their company); suppressed people are skipped, invalid rows reported with their errors.

    A merge fills the person's empty fields; ``"on_match": "overwrite"`` replaces them
    with the row's values (a new title, company, location or name). A row may leave the
    name out when its email, LinkedIn URL or phone finds the person it updates."""
    return await _upsert(request, principal, "people")


@post(
    "/v1/admin/catalog/companies",
    opt=_declare(CompaniesUpsert),
    status_code=200,
    tags=["admin"],
)
async def upsert_companies(
    request: Request[Any, Any, Any], principal: NamedDependency[Principal]
) -> Response[bytes]:
    """Create or merge up to 500 companies (matched by domain, LinkedIn page, then name).

    A merge fills the company's empty fields; ``"on_match": "overwrite"`` replaces them
    with the row's values (a domain or LinkedIn page it has is kept)."""
    return await _upsert(request, principal, "companies")


@post(
    "/v1/admin/catalog/openings",
    opt=_declare(OpeningsUpsert),
    status_code=200,
    tags=["admin"],
)
async def upsert_openings(
    request: Request[Any, Any, Any], principal: NamedDependency[Principal]
) -> Response[bytes]:
    """Create or merge up to 500 job openings (matched by LinkedIn job, URL, or company,
    title and date); a company the catalog lacks is created.

    A merge fills the opening's empty fields; ``"on_match": "overwrite"`` replaces them
    with the row's values."""
    return await _upsert(request, principal, "openings")


ROUTES = [upsert_people, upsert_companies, upsert_openings]
