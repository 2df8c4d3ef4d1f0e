"""``client.search``: people, companies and openings by filters (billed per result
returned, paged with a cursor), and their counts (free in database mode)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from leadbase import _models as models
from leadbase._base import NOT_GIVEN, APIRequest, NotGiven, Timeout, post
from leadbase._models import Mode
from leadbase._pagination import AsyncPaginator, Page
from leadbase._params import CompanyFilters, OpeningFilters, PeopleFilters
from leadbase._resource import AsyncAPIResource, PageRequest, SyncAPIResource, model, raw


def _search(
    kind: str,
    filters: Mapping[str, Any] | None,
    mode: Mode,
    limit: int | None,
    timeout: Timeout | NotGiven,
) -> PageRequest:
    # Each page is a call of its own, billed on its own: a key of its own too.
    return lambda cursor: post(
        f"/v1/search/{kind}",
        {"filters": filters, "mode": mode, "limit": limit, "cursor": cursor},
        raw,
        timeout=timeout,
    )


def _count(
    kind: str, filters: Mapping[str, Any] | None, mode: Mode, timeout: Timeout | NotGiven
) -> APIRequest[models.Count]:
    body = {"filters": filters, "mode": mode}
    return post(f"/v1/search/{kind}/count", body, model(models.Count), timeout=timeout)


class Search(SyncAPIResource):
    def people(
        self,
        *,
        filters: PeopleFilters | None = None,
        limit: int | None = None,
        cursor: str | None = None,
        mode: Mode = "database",
        timeout: Timeout | NotGiven = NOT_GIVEN,
    ) -> Page[models.Person]:
        """People matching every filter; ``limit`` (1-2500, default 25) per page, billed per
        person returned. Iterating the page fetches the next pages as they are reached."""
        return self._page(models.Person, _search("people", filters, mode, limit, timeout), cursor)

    def companies(
        self,
        *,
        filters: CompanyFilters | None = None,
        limit: int | None = None,
        cursor: str | None = None,
        mode: Mode = "database",
        timeout: Timeout | NotGiven = NOT_GIVEN,
    ) -> Page[models.Company]:
        """Companies matching every filter; paged and billed as people searches."""
        request = _search("companies", filters, mode, limit, timeout)
        return self._page(models.Company, request, cursor)

    def openings(
        self,
        *,
        filters: OpeningFilters | None = None,
        limit: int | None = None,
        cursor: str | None = None,
        mode: Mode = "database",
        timeout: Timeout | NotGiven = NOT_GIVEN,
    ) -> Page[models.Opening]:
        """Job openings matching every filter; paged and billed as people searches."""
        request = _search("openings", filters, mode, limit, timeout)
        return self._page(models.Opening, request, cursor)

    def count_people(
        self,
        *,
        filters: PeopleFilters | None = None,
        mode: Mode = "database",
        timeout: Timeout | NotGiven = NOT_GIVEN,
    ) -> models.Count:
        """How many people a search with these filters finds, all pages; free."""
        return self._client._request(_count("people", filters, mode, timeout))

    def count_companies(
        self,
        *,
        filters: CompanyFilters | None = None,
        mode: Mode = "database",
        timeout: Timeout | NotGiven = NOT_GIVEN,
    ) -> models.Count:
        """How many companies a search with these filters finds; free."""
        return self._client._request(_count("companies", filters, mode, timeout))

    def count_openings(
        self,
        *,
        filters: OpeningFilters | None = None,
        mode: Mode = "database",
        timeout: Timeout | NotGiven = NOT_GIVEN,
    ) -> models.Count:
        """How many openings a search with these filters finds; free."""
        return self._client._request(_count("openings", filters, mode, timeout))


class AsyncSearch(AsyncAPIResource):
    def people(
        self,
        *,
        filters: PeopleFilters | None = None,
        limit: int | None = None,
        cursor: str | None = None,
        mode: Mode = "database",
        timeout: Timeout | NotGiven = NOT_GIVEN,
    ) -> AsyncPaginator[models.Person]:
        """People matching every filter: ``await`` for one page, ``async for`` for all
        (each page fetched, and billed, when reached)."""
        return self._page(models.Person, _search("people", filters, mode, limit, timeout), cursor)

    def companies(
        self,
        *,
        filters: CompanyFilters | None = None,
        limit: int | None = None,
        cursor: str | None = None,
        mode: Mode = "database",
        timeout: Timeout | NotGiven = NOT_GIVEN,
    ) -> AsyncPaginator[models.Company]:
        """Companies matching every filter; paged and billed as people searches."""
        request = _search("companies", filters, mode, limit, timeout)
        return self._page(models.Company, request, cursor)

    def openings(
        self,
        *,
        filters: OpeningFilters | None = None,
        limit: int | None = None,
        cursor: str | None = None,
        mode: Mode = "database",
        timeout: Timeout | NotGiven = NOT_GIVEN,
    ) -> AsyncPaginator[models.Opening]:
        """Job openings matching every filter; paged and billed as people searches."""
        request = _search("openings", filters, mode, limit, timeout)
        return self._page(models.Opening, request, cursor)

    async def count_people(
        self,
        *,
        filters: PeopleFilters | None = None,
        mode: Mode = "database",
        timeout: Timeout | NotGiven = NOT_GIVEN,
    ) -> models.Count:
        """How many people a search with these filters finds, all pages; free."""
        return await self._client._request(_count("people", filters, mode, timeout))

    async def count_companies(
        self,
        *,
        filters: CompanyFilters | None = None,
        mode: Mode = "database",
        timeout: Timeout | NotGiven = NOT_GIVEN,
    ) -> models.Count:
        """How many companies a search with these filters finds; free."""
        return await self._client._request(_count("companies", filters, mode, timeout))

    async def count_openings(
        self,
        *,
        filters: OpeningFilters | None = None,
        mode: Mode = "database",
        timeout: Timeout | NotGiven = NOT_GIVEN,
    ) -> models.Count:
        """How many openings a search with these filters finds; free."""
        return await self._client._request(_count("openings", filters, mode, timeout))
