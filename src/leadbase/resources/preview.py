"""``client.preview``: the first people of a search, masked; free."""

from __future__ import annotations

from leadbase import _models as models
from leadbase._base import NOT_GIVEN, APIRequest, NotGiven, Timeout, post
from leadbase._pagination import ListResult
from leadbase._params import PeopleFilters
from leadbase._resource import AsyncAPIResource, SyncAPIResource, items


def _people(
    filters: PeopleFilters | None, limit: int | None, timeout: Timeout | NotGiven
) -> APIRequest[ListResult[models.PersonPreview]]:
    body = {"filters": filters, "limit": limit}
    return post("/v1/preview/people", body, items(models.PersonPreview), timeout=timeout)


class Preview(SyncAPIResource):
    def people(
        self,
        *,
        filters: PeopleFilters | None = None,
        limit: int | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
    ) -> ListResult[models.PersonPreview]:
        """The first 1-25 (default 10) people of a search without id, email, phone or
        LinkedIn URL; ``.has_more`` says whether the search finds more. Free."""
        return self._client._request(_people(filters, limit, timeout))


class AsyncPreview(AsyncAPIResource):
    async def people(
        self,
        *,
        filters: PeopleFilters | None = None,
        limit: int | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
    ) -> ListResult[models.PersonPreview]:
        """The first 1-25 people of a search, masked; free."""
        return await self._client._request(_people(filters, limit, timeout))
