"""Search: people, companies and openings by filters, their counts, a masked preview.

Searches are billed per result returned ("search.people", "search.companies",
"search.openings"): ``limit`` results are reserved, those returned are captured, so an
empty page is free. Counts in database mode are free and unmetered; a count in realtime
mode is 400 invalid_parameter (live sources give no exact count). The preview is free
(metered at price 0, so it is rate-limited and shows in usage). mode realtime: filters
only the catalog has are 400 unsupported_filter; otherwise 403 not_entitled without the
plan's realtime feature, else 503 upstream_unavailable (no live source yet), all free.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from sqlalchemy.ext.asyncio import AsyncSession

from leadbase.server.auth.authenticate import Principal
from leadbase.server.body import parse_body
from leadbase.server.catalog import service as catalog
from leadbase.server.catalog.schemas import CompanyOut, OpeningOut, PersonOut
from leadbase.server.envelope import Envelope
from leadbase.server.pipeline import Outcome, operation, run
from leadbase.server.search import service as search
from leadbase.server.search.filters import Kind, criteria
from leadbase.server.search.schemas import (
    CompanyCount,
    CompanySearch,
    Count,
    OpeningCount,
    OpeningSearch,
    PeopleCount,
    PeoplePreview,
    PeopleSearch,
    PersonPreview,
)

T = TypeVar("T")

_SCOPE = "search:read"
# Realtime: 403 not_entitled (plan) and 503 upstream_unavailable (no live source yet).
_REALTIME_ERRORS = (403, 503)


@post(
    "/v1/search/people",
    opt=operation(
        scope=_SCOPE,
        body=PeopleSearch,
        metered="search.people",
        response=Envelope[list[PersonOut]],
        errors=_REALTIME_ERRORS,
    ),
    status_code=200,
    tags=["search"],
)
async def search_people(
    request: Request[Any, Any, Any], principal: NamedDependency[Principal]
) -> Response[bytes]:
    """People matching every filter given; ``limit`` 1-2500 (default 25) per page, then
    ``meta.next_cursor`` until ``meta.has_more`` is false. Billed per person returned."""
    data = await parse_body(request, PeopleSearch, check=_filters_checked("people"))
    return await _page(request, principal, "people", data, search.search_people)


@post(
    "/v1/search/companies",
    opt=operation(
        scope=_SCOPE,
        body=CompanySearch,
        metered="search.companies",
        response=Envelope[list[CompanyOut]],
        errors=_REALTIME_ERRORS,
    ),
    status_code=200,
    tags=["search"],
)
async def search_companies(
    request: Request[Any, Any, Any], principal: NamedDependency[Principal]
) -> Response[bytes]:
    """Companies matching every filter given; paged and billed as people searches."""
    data = await parse_body(request, CompanySearch, check=_filters_checked("companies"))
    return await _page(request, principal, "companies", data, search.search_companies)


@post(
    "/v1/search/openings",
    opt=operation(
        scope=_SCOPE,
        body=OpeningSearch,
        metered="search.openings",
        response=Envelope[list[OpeningOut]],
        errors=_REALTIME_ERRORS,
    ),
    status_code=200,
    tags=["search"],
)
async def search_openings(
    request: Request[Any, Any, Any], principal: NamedDependency[Principal]
) -> Response[bytes]:
    """Job openings (hiring signals) matching every filter given; paged and billed as
    people searches."""
    data = await parse_body(request, OpeningSearch, check=_filters_checked("openings"))
    return await _page(request, principal, "openings", data, search.search_openings)


async def _page(
    request: Request[Any, Any, Any],
    principal: Principal,
    kind: Kind,
    data: PeopleSearch | CompanySearch | OpeningSearch,
    find: Callable[..., Awaitable[search.Page[T]]],
) -> Response[bytes]:
    """One page of a search through the spine: reserve ``limit`` results, bill those returned."""
    query = search.prepare(
        kind,
        mode=data.mode,
        filters=data.filters,
        limit=data.limit,
        cursor=data.cursor,
        entitlements=principal.entitlements,
    )

    async def perform(session: AsyncSession) -> Outcome[list[T]]:
        page = await find(session, query=query)
        return Outcome(data=page.items, units=len(page.items), meta=page.meta())

    return await run(request, principal, perform=perform, max_units=query.limit)


@post(
    "/v1/search/people/count",
    opt=operation(scope=_SCOPE, body=PeopleCount, metered="search.count", response=Envelope[Count]),
    status_code=200,
    tags=["search"],
)
async def count_people(
    request: Request[Any, Any, Any], principal: NamedDependency[Principal]
) -> Response[bytes]:
    """How many people a search with these filters would return, all pages; free."""
    data = await parse_body(request, PeopleCount, check=_filters_checked("people"))
    return await _count(
        request, principal, search.prepare_count("people", mode=data.mode, filters=data.filters)
    )


@post(
    "/v1/search/companies/count",
    opt=operation(
        scope=_SCOPE, body=CompanyCount, metered="search.count", response=Envelope[Count]
    ),
    status_code=200,
    tags=["search"],
)
async def count_companies(
    request: Request[Any, Any, Any], principal: NamedDependency[Principal]
) -> Response[bytes]:
    """How many companies a search with these filters would return; free."""
    data = await parse_body(request, CompanyCount, check=_filters_checked("companies"))
    return await _count(
        request, principal, search.prepare_count("companies", mode=data.mode, filters=data.filters)
    )


@post(
    "/v1/search/openings/count",
    opt=operation(
        scope=_SCOPE, body=OpeningCount, metered="search.count", response=Envelope[Count]
    ),
    status_code=200,
    tags=["search"],
)
async def count_openings(
    request: Request[Any, Any, Any], principal: NamedDependency[Principal]
) -> Response[bytes]:
    """How many openings a search with these filters would return; free."""
    data = await parse_body(request, OpeningCount, check=_filters_checked("openings"))
    return await _count(
        request, principal, search.prepare_count("openings", mode=data.mode, filters=data.filters)
    )


async def _count(
    request: Request[Any, Any, Any], principal: Principal, query: search.Query
) -> Response[bytes]:
    async def perform(session: AsyncSession) -> Outcome[Count]:
        return Outcome(data=Count(count=await search.count(session, query=query)))

    return await run(request, principal, perform=perform)


@post(
    "/v1/preview/people",
    opt=operation(
        scope=_SCOPE,
        body=PeoplePreview,
        metered="search.preview",
        response=Envelope[list[PersonPreview]],
    ),
    status_code=200,
    tags=["search"],
)
async def preview_people(
    request: Request[Any, Any, Any], principal: NamedDependency[Principal]
) -> Response[bytes]:
    """The first 1-25 (default 10) people of a search, masked: no id, email, phone or
    LinkedIn URL, the last name cut to its initial; ``has_email``/``has_phone`` say what a
    search would return. Free; ``meta.has_more`` says whether the search has more."""
    data = await parse_body(request, PeoplePreview, check=_filters_checked("people"))
    query = search.prepare_preview(data.filters, limit=data.limit)

    async def perform(session: AsyncSession) -> Outcome[list[PersonPreview]]:
        page = await search.preview_people(session, query=query)
        return Outcome(data=page.items, meta={"has_more": page.has_more})

    return await run(request, principal, perform=perform, max_units=query.limit)


@get(
    "/v1/openings/{opening_id:str}",
    opt=operation(scope=_SCOPE, metered="search.openings", response=Envelope[OpeningOut]),
    tags=["search"],
)
async def get_opening(
    request: Request[Any, Any, Any],
    principal: NamedDependency[Principal],
    opening_id: FromPath[str],
) -> Response[bytes]:
    """One job opening by id, billed as one result of an openings search; 404 not_found
    (free) for an unknown id."""

    async def perform(session: AsyncSession) -> Outcome[OpeningOut]:
        return Outcome(data=await catalog.get_opening(session, opening_id=opening_id), units=1)

    return await run(request, principal, perform=perform, max_units=1)


ROUTES = [
    search_people,
    search_companies,
    search_openings,
    count_people,
    count_companies,
    count_openings,
    preview_people,
    get_opening,
]


def _filters_checked(kind: Kind) -> Callable[[Any], object]:
    """The filters' own checks (words, domains, locations), for ``parse_body`` to name
    their problems beside the schema's in one answer."""
    return lambda body: criteria(kind, body.filters)
