"""``client.companies``: a company by id, enrichment of one, of up to 500, of any number."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Unpack

from leadbase import _bulk
from leadbase import _models as models
from leadbase._base import NOT_GIVEN, NotGiven, Timeout
from leadbase._models import Mode
from leadbase._params import CompanyIdentifiers, CompanyRow
from leadbase._resource import AsyncAPIResource, SyncAPIResource
from leadbase.resources._enrich import EnrichEndpoints

_ENDPOINTS = EnrichEndpoints(
    "companies", models.Company, models.CompanyEnrichment, models.BulkCompaniesEnrichment
)


class Companies(SyncAPIResource):
    def get(self, company_id: str, *, timeout: Timeout | NotGiven = NOT_GIVEN) -> models.Company:
        """One company by id, billed as a company enrichment; NotFoundError (free) for an
        unknown id."""
        return self._client._request(_ENDPOINTS.get(company_id, timeout))

    def enrich(
        self,
        *,
        mode: Mode = "database",
        idempotency_key: str | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        **identifier: Unpack[CompanyIdentifiers],
    ) -> models.CompanyEnrichment:
        """Match one company by exactly one of company_id, company_link (LinkedIn company URL
        or website), company_name, domain (else BadRequestError exactly_one_required).

        1 credit on a match; NotFoundError (code ``no_match``, free) when nothing matches.
        """
        return self._client._request(_ENDPOINTS.enrich(identifier, mode, idempotency_key, timeout))

    def enrich_bulk(
        self,
        *,
        rows: Sequence[CompanyRow],
        mode: Mode = "database",
        idempotency_key: str | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
    ) -> models.BulkCompaniesEnrichment:
        """Enrich 1-500 company rows, each with a ``row_ref`` and exactly one identifier, in
        one call; 1 credit per company matched (``summary.billed``)."""
        return self._client._request(_ENDPOINTS.enrich_bulk(rows, mode, idempotency_key, timeout))

    def enrich_many(
        self,
        rows: Iterable[CompanyRow],
        *,
        mode: Mode = "database",
        concurrency: int = 4,
        chunk_size: int = _bulk.MAX_BULK_ROWS,
        idempotency_key: str | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
    ) -> models.BulkResult[models.CompanyRowResult]:
        """Enrich any number of company rows, as ``Leadbase.people.enrich_many`` does people."""
        return _bulk.run(
            self._client,
            _ENDPOINTS.chunk(mode, timeout),
            rows,
            concurrency=concurrency,
            chunk_size=chunk_size,
            idempotency_key=idempotency_key,
        )


class AsyncCompanies(AsyncAPIResource):
    async def get(
        self, company_id: str, *, timeout: Timeout | NotGiven = NOT_GIVEN
    ) -> models.Company:
        """One company by id, billed as a company enrichment; NotFoundError (free) for an
        unknown id."""
        return await self._client._request(_ENDPOINTS.get(company_id, timeout))

    async def enrich(
        self,
        *,
        mode: Mode = "database",
        idempotency_key: str | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        **identifier: Unpack[CompanyIdentifiers],
    ) -> models.CompanyEnrichment:
        """Match one company; see ``Leadbase.companies.enrich``."""
        return await self._client._request(
            _ENDPOINTS.enrich(identifier, mode, idempotency_key, timeout)
        )

    async def enrich_bulk(
        self,
        *,
        rows: Sequence[CompanyRow],
        mode: Mode = "database",
        idempotency_key: str | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
    ) -> models.BulkCompaniesEnrichment:
        """Enrich 1-500 company rows in one call; see ``Leadbase.companies.enrich_bulk``."""
        return await self._client._request(
            _ENDPOINTS.enrich_bulk(rows, mode, idempotency_key, timeout)
        )

    async def enrich_many(
        self,
        rows: Iterable[CompanyRow],
        *,
        mode: Mode = "database",
        concurrency: int = 4,
        chunk_size: int = _bulk.MAX_BULK_ROWS,
        idempotency_key: str | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
    ) -> models.BulkResult[models.CompanyRowResult]:
        """Enrich any number of company rows, ``concurrency`` bulk calls at a time (tasks)."""
        return await _bulk.run_async(
            self._client,
            _ENDPOINTS.chunk(mode, timeout),
            rows,
            concurrency=concurrency,
            chunk_size=chunk_size,
            idempotency_key=idempotency_key,
        )
