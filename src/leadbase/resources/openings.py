"""``client.openings``: a job opening by id (search them with ``client.search.openings``)."""

from __future__ import annotations

from leadbase import _models as models
from leadbase._base import NOT_GIVEN, APIRequest, NotGiven, Timeout, get, segment
from leadbase._resource import AsyncAPIResource, SyncAPIResource, model


def _get(opening_id: str, timeout: Timeout | NotGiven) -> APIRequest[models.Opening]:
    path = f"/v1/openings/{segment(opening_id)}"
    return get(path, model(models.Opening), timeout=timeout, billed=True)


class Openings(SyncAPIResource):
    def get(self, opening_id: str, *, timeout: Timeout | NotGiven = NOT_GIVEN) -> models.Opening:
        """One job opening by id, billed as one openings search result; NotFoundError
        (free) for an unknown id."""
        return self._client._request(_get(opening_id, timeout))


class AsyncOpenings(AsyncAPIResource):
    async def get(
        self, opening_id: str, *, timeout: Timeout | NotGiven = NOT_GIVEN
    ) -> models.Opening:
        """One job opening by id, billed as one openings search result; NotFoundError
        (free) for an unknown id."""
        return await self._client._request(_get(opening_id, timeout))
