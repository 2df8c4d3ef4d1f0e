"""``client.account``: the organization a call acts for, its usage and its credit ledger."""

from __future__ import annotations

import datetime as dt

from leadbase import _models as models
from leadbase._base import NOT_GIVEN, APIRequest, NotGiven, Timeout, get
from leadbase._pagination import AsyncPaginator, ListResult, Page
from leadbase._resource import AsyncAPIResource, PageRequest, SyncAPIResource, items, model, raw


def _account(timeout: Timeout | NotGiven) -> APIRequest[models.Account]:
    return get("/v1/account", model(models.Account), timeout=timeout)


def _usage(
    since: dt.date | None, until: dt.date | None, timeout: Timeout | NotGiven
) -> APIRequest[ListResult[models.UsageLine]]:
    params = {"since": since and since.isoformat(), "until": until and until.isoformat()}
    return get("/v1/account/usage", items(models.UsageLine), params=params, timeout=timeout)


def _transactions(limit: int | None, timeout: Timeout | NotGiven) -> PageRequest:
    return lambda cursor: get(
        "/v1/account/transactions",
        raw,
        params={"limit": limit, "cursor": cursor},
        timeout=timeout,
    )


class Account(SyncAPIResource):
    def get(self, *, timeout: Timeout | NotGiven = NOT_GIVEN) -> models.Account:
        """The organization: plan, credits (balance, reserved, available), prices, customers."""
        return self._client._request(_account(timeout))

    def usage(
        self,
        *,
        since: dt.date | None = None,
        until: dt.date | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
    ) -> ListResult[models.UsageLine]:
        """Calls, units and credits by operation and day (default: the last 30 days)."""
        return self._client._request(_usage(since, until, timeout))

    def transactions(
        self,
        *,
        limit: int | None = None,
        cursor: str | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
    ) -> Page[models.Transaction]:
        """The credit ledger, newest first; iterate the page to walk every later page."""
        return self._page(models.Transaction, _transactions(limit, timeout), cursor)


class AsyncAccount(AsyncAPIResource):
    async def get(self, *, timeout: Timeout | NotGiven = NOT_GIVEN) -> models.Account:
        """The organization: plan, credits (balance, reserved, available), prices, customers."""
        return await self._client._request(_account(timeout))

    async def usage(
        self,
        *,
        since: dt.date | None = None,
        until: dt.date | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
    ) -> ListResult[models.UsageLine]:
        """Calls, units and credits by operation and day (default: the last 30 days)."""
        return await self._client._request(_usage(since, until, timeout))

    def transactions(
        self,
        *,
        limit: int | None = None,
        cursor: str | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
    ) -> AsyncPaginator[models.Transaction]:
        """The credit ledger, newest first: ``await`` for one page, ``async for`` for all."""
        return self._page(models.Transaction, _transactions(limit, timeout), cursor)
