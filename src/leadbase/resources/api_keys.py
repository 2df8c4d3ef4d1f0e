"""``client.api_keys``: create (the secret is shown once), list, revoke."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from leadbase import _models as models
from leadbase._base import NOT_GIVEN, APIRequest, NotGiven, Timeout, delete, get, post, segment
from leadbase._pagination import AsyncPaginator, Page
from leadbase._resource import AsyncAPIResource, PageRequest, SyncAPIResource, model, raw

_PATH = "/v1/api-keys"


def _create(
    name: str,
    scopes: Sequence[str] | None,
    expires_at: dt.datetime | None,
    customer_id: str | None,
    requires_customer: bool,
    idempotency_key: str | None,
    timeout: Timeout | NotGiven,
) -> APIRequest[models.CreatedApiKey]:
    body = {
        "name": name,
        "scopes": list(scopes) if scopes is not None else None,
        "expires_at": expires_at,
        "customer_id": customer_id,
        "requires_customer": requires_customer,
    }
    return post(
        _PATH,
        body,
        model(models.CreatedApiKey),
        idempotency_key=idempotency_key,
        timeout=timeout,
    )


def _list(limit: int | None, timeout: Timeout | NotGiven) -> PageRequest:
    return lambda cursor: get(
        _PATH, raw, params={"limit": limit, "cursor": cursor}, timeout=timeout
    )


def _revoke(key_id: str, timeout: Timeout | NotGiven) -> APIRequest[models.ApiKey]:
    return delete(f"{_PATH}/{segment(key_id)}", model(models.ApiKey), timeout=timeout)


class ApiKeys(SyncAPIResource):
    def create(
        self,
        *,
        name: str,
        scopes: Sequence[str] | None = None,
        expires_at: dt.datetime | None = None,
        customer_id: str | None = None,
        requires_customer: bool = False,
        idempotency_key: str | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
    ) -> models.CreatedApiKey:
        """A new key (default: the calling key's scopes); ``.key`` is its secret, shown once.

        ``expires_at`` must be timezone-aware; ``customer_id`` locks the key to one customer.
        """
        return self._client._request(
            _create(
                name, scopes, expires_at, customer_id, requires_customer, idempotency_key, timeout
            )
        )

    def list(
        self,
        *,
        limit: int | None = None,
        cursor: str | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
    ) -> Page[models.ApiKey]:
        """Keys, newest first (prefix only); iterate the page to walk every later page."""
        return self._page(models.ApiKey, _list(limit, timeout), cursor)

    def revoke(self, key_id: str, *, timeout: Timeout | NotGiven = NOT_GIVEN) -> models.ApiKey:
        """Revoke a key; every server process refuses it within a second."""
        return self._client._request(_revoke(key_id, timeout))


class AsyncApiKeys(AsyncAPIResource):
    async def create(
        self,
        *,
        name: str,
        scopes: Sequence[str] | None = None,
        expires_at: dt.datetime | None = None,
        customer_id: str | None = None,
        requires_customer: bool = False,
        idempotency_key: str | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
    ) -> models.CreatedApiKey:
        """A new key (default: the calling key's scopes); ``.key`` is its secret, shown once."""
        return await self._client._request(
            _create(
                name, scopes, expires_at, customer_id, requires_customer, idempotency_key, timeout
            )
        )

    def list(
        self,
        *,
        limit: int | None = None,
        cursor: str | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
    ) -> AsyncPaginator[models.ApiKey]:
        """Keys, newest first: ``await`` for one page, ``async for`` for every key."""
        return self._page(models.ApiKey, _list(limit, timeout), cursor)

    async def revoke(
        self, key_id: str, *, timeout: Timeout | NotGiven = NOT_GIVEN
    ) -> models.ApiKey:
        """Revoke a key; every server process refuses it within a second."""
        return await self._client._request(_revoke(key_id, timeout))
