"""``client.errors``: the server's error catalog (every code, its status, if retryable)."""

from __future__ import annotations

from leadbase import _models as models
from leadbase._base import NOT_GIVEN, APIRequest, NotGiven, Timeout, get
from leadbase._pagination import ListResult
from leadbase._resource import AsyncAPIResource, SyncAPIResource, items


def _list(timeout: Timeout | NotGiven) -> APIRequest[ListResult[models.ErrorCode]]:
    return get("/v1/errors", items(models.ErrorCode), timeout=timeout)


class Errors(SyncAPIResource):
    def list(self, *, timeout: Timeout | NotGiven = NOT_GIVEN) -> ListResult[models.ErrorCode]:
        """Every error code the server answers with: type, status, retryable, description."""
        return self._client._request(_list(timeout))


class AsyncErrors(AsyncAPIResource):
    async def list(
        self, *, timeout: Timeout | NotGiven = NOT_GIVEN
    ) -> ListResult[models.ErrorCode]:
        """Every error code the server answers with: type, status, retryable, description."""
        return await self._client._request(_list(timeout))
