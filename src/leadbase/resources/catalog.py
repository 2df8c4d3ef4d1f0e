"""``client.catalog``: operators create and maintain the shared catalog, 500 rows a call
(the ``catalog:write`` scope; never billed)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

from leadbase import _models as models
from leadbase._base import NOT_GIVEN, APIRequest, NotGiven, Timeout, post
from leadbase._params import CatalogCompanyRow, CatalogOpeningRow, CatalogPersonRow
from leadbase._resource import AsyncAPIResource, SyncAPIResource, model

# What a row does to the catalog record it matches: fill its empty fields, or overwrite
# them with the row's values (a blank value never erases one).
OnMatch = Literal["fill", "overwrite"]


def _upsert(
    kind: str,
    rows: Sequence[Mapping[str, Any]],
    source: str | None,
    on_match: OnMatch,
    idempotency_key: str | None,
    timeout: Timeout | NotGiven,
) -> APIRequest[models.UpsertResult]:
    body: dict[str, Any] = {"rows": list(rows), "on_match": on_match}
    if source is not None:
        body["source"] = source
    return post(
        f"/v1/admin/catalog/{kind}",
        body,
        model(models.UpsertResult),
        idempotency_key=idempotency_key,
        timeout=timeout,
    )


class Catalog(SyncAPIResource):
    def upsert_people(
        self,
        rows: Sequence[CatalogPersonRow],
        *,
        source: str | None = None,
        on_match: OnMatch = "fill",
        idempotency_key: str | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
    ) -> models.UpsertResult:
        """Create or merge 1-500 people (matched by email, LinkedIn, phone, or name within
        their company); ``source`` labels their provenance (default "admin_api")."""
        request = _upsert("people", rows, source, on_match, idempotency_key, timeout)
        return self._client._request(request)

    def upsert_companies(
        self,
        rows: Sequence[CatalogCompanyRow],
        *,
        source: str | None = None,
        on_match: OnMatch = "fill",
        idempotency_key: str | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
    ) -> models.UpsertResult:
        """Create or merge 1-500 companies (matched by domain, LinkedIn page, then name)."""
        request = _upsert("companies", rows, source, on_match, idempotency_key, timeout)
        return self._client._request(request)

    def upsert_openings(
        self,
        rows: Sequence[CatalogOpeningRow],
        *,
        source: str | None = None,
        on_match: OnMatch = "fill",
        idempotency_key: str | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
    ) -> models.UpsertResult:
        """Create or merge 1-500 job openings; a company the catalog lacks is created."""
        request = _upsert("openings", rows, source, on_match, idempotency_key, timeout)
        return self._client._request(request)


class AsyncCatalog(AsyncAPIResource):
    async def upsert_people(
        self,
        rows: Sequence[CatalogPersonRow],
        *,
        source: str | None = None,
        on_match: OnMatch = "fill",
        idempotency_key: str | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
    ) -> models.UpsertResult:
        """Create or merge 1-500 people, as ``Leadbase.catalog.upsert_people`` does."""
        request = _upsert("people", rows, source, on_match, idempotency_key, timeout)
        return await self._client._request(request)

    async def upsert_companies(
        self,
        rows: Sequence[CatalogCompanyRow],
        *,
        source: str | None = None,
        on_match: OnMatch = "fill",
        idempotency_key: str | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
    ) -> models.UpsertResult:
        """Create or merge 1-500 companies."""
        request = _upsert("companies", rows, source, on_match, idempotency_key, timeout)
        return await self._client._request(request)

    async def upsert_openings(
        self,
        rows: Sequence[CatalogOpeningRow],
        *,
        source: str | None = None,
        on_match: OnMatch = "fill",
        idempotency_key: str | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
    ) -> models.UpsertResult:
        """Create or merge 1-500 job openings."""
        request = _upsert("openings", rows, source, on_match, idempotency_key, timeout)
        return await self._client._request(request)
