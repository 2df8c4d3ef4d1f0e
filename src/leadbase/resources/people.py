"""``client.people``: a person by id, enrichment of one, of up to 500, of any number."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Unpack

from leadbase import _bulk
from leadbase import _models as models
from leadbase._base import NOT_GIVEN, NotGiven, Timeout
from leadbase._models import Mode
from leadbase._params import PersonIdentifiers, PersonRow
from leadbase._resource import AsyncAPIResource, SyncAPIResource
from leadbase.resources._enrich import EnrichEndpoints

_ENDPOINTS = EnrichEndpoints(
    "people", models.Person, models.PersonEnrichment, models.BulkPeopleEnrichment
)


class People(SyncAPIResource):
    def get(self, person_id: str, *, timeout: Timeout | NotGiven = NOT_GIVEN) -> models.Person:
        """One person by id, billed as a people enrichment; NotFoundError (free) for an
        unknown id."""
        return self._client._request(_ENDPOINTS.get(person_id, timeout))

    def enrich(
        self,
        *,
        mode: Mode = "database",
        idempotency_key: str | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        **identifiers: Unpack[PersonIdentifiers],
    ) -> models.PersonEnrichment:
        """Match one person by email, linkedin_url, phone, or a name (first_name + last_name
        or full_name) with company_domain or company_name.

        1 credit on a match; NotFoundError (code ``no_match``, free) when nothing matches.
        """
        return self._client._request(_ENDPOINTS.enrich(identifiers, mode, idempotency_key, timeout))

    def enrich_bulk(
        self,
        *,
        rows: Sequence[PersonRow],
        mode: Mode = "database",
        idempotency_key: str | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
    ) -> models.BulkPeopleEnrichment:
        """Enrich 1-500 rows, each with a ``row_ref`` unique in the call, in one call: a
        summary and each row's result (matched, no_match, invalid) in the order sent.
        1 credit per person matched (``summary.billed``: rows that match the same person
        pay once)."""
        return self._client._request(_ENDPOINTS.enrich_bulk(rows, mode, idempotency_key, timeout))

    def enrich_many(
        self,
        rows: Iterable[PersonRow],
        *,
        mode: Mode = "database",
        concurrency: int = 4,
        chunk_size: int = _bulk.MAX_BULK_ROWS,
        idempotency_key: str | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
    ) -> models.BulkResult[models.PersonRowResult]:
        """Enrich any number of rows: bulk calls of ``chunk_size`` rows, ``concurrency`` at a
        time (threads), every result in input order. A row without ``row_ref`` gets its
        position in ``rows``.

        With ``idempotency_key``, chunk i is sent as ``"<key>:<i>"``: running the same rows
        with the same key again (within 24 h) replays the answers without billing twice.
        """
        return _bulk.run(
            self._client,
            _ENDPOINTS.chunk(mode, timeout),
            rows,
            concurrency=concurrency,
            chunk_size=chunk_size,
            idempotency_key=idempotency_key,
        )


class AsyncPeople(AsyncAPIResource):
    async def get(
        self, person_id: str, *, timeout: Timeout | NotGiven = NOT_GIVEN
    ) -> models.Person:
        """One person by id, billed as a people enrichment; NotFoundError (free) for an
        unknown id."""
        return await self._client._request(_ENDPOINTS.get(person_id, timeout))

    async def enrich(
        self,
        *,
        mode: Mode = "database",
        idempotency_key: str | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        **identifiers: Unpack[PersonIdentifiers],
    ) -> models.PersonEnrichment:
        """Match one person; see ``Leadbase.people.enrich``."""
        return await self._client._request(
            _ENDPOINTS.enrich(identifiers, mode, idempotency_key, timeout)
        )

    async def enrich_bulk(
        self,
        *,
        rows: Sequence[PersonRow],
        mode: Mode = "database",
        idempotency_key: str | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
    ) -> models.BulkPeopleEnrichment:
        """Enrich 1-500 rows in one call; see ``Leadbase.people.enrich_bulk``."""
        return await self._client._request(
            _ENDPOINTS.enrich_bulk(rows, mode, idempotency_key, timeout)
        )

    async def enrich_many(
        self,
        rows: Iterable[PersonRow],
        *,
        mode: Mode = "database",
        concurrency: int = 4,
        chunk_size: int = _bulk.MAX_BULK_ROWS,
        idempotency_key: str | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
    ) -> models.BulkResult[models.PersonRowResult]:
        """Enrich any number of rows, ``concurrency`` bulk calls at a time (tasks), results
        in input order; see ``Leadbase.people.enrich_many``."""
        return await _bulk.run_async(
            self._client,
            _ENDPOINTS.chunk(mode, timeout),
            rows,
            concurrency=concurrency,
            chunk_size=chunk_size,
            idempotency_key=idempotency_key,
        )
