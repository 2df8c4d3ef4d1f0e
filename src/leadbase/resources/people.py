"""``client.people``: a person by id, enrichment of one, of up to 500, of any number."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Unpack

from leadbase import _bulk
from leadbase import _models as models
from leadbase._base import NOT_GIVEN, APIRequest, NotGiven, Timeout, get, post, segment
from leadbase._models import Mode
from leadbase._params import PersonIdentifiers, PersonRow
from leadbase._resource import AsyncAPIResource, SyncAPIResource, model


def _get(person_id: str, timeout: Timeout | NotGiven) -> APIRequest[models.Person]:
    return get(f"/v1/people/{segment(person_id)}", model(models.Person), timeout=timeout)


def _enrich(
    identifiers: PersonIdentifiers,
    mode: Mode,
    idempotency_key: str | None,
    timeout: Timeout | NotGiven,
) -> APIRequest[models.PersonEnrichment]:
    return post(
        "/v1/people/enrich",
        {**identifiers, "mode": mode},
        model(models.PersonEnrichment),
        idempotency_key=idempotency_key,
        timeout=timeout,
    )


def _enrich_bulk(
    rows: Sequence[Mapping[str, object]],
    mode: Mode,
    idempotency_key: str | None,
    timeout: Timeout | NotGiven,
) -> APIRequest[models.BulkPeopleEnrichment]:
    return post(
        "/v1/people/enrich/bulk",
        {"rows": list(rows), "mode": mode},
        model(models.BulkPeopleEnrichment),
        idempotency_key=idempotency_key,
        timeout=timeout,
    )


def _chunk_request(
    mode: Mode, timeout: Timeout | NotGiven
) -> _bulk.BulkRequest[models.PersonRowResult]:
    return lambda chunk: _enrich_bulk(chunk.rows, mode, chunk.idempotency_key, timeout)


class People(SyncAPIResource):
    def get(self, person_id: str, *, timeout: Timeout | NotGiven = NOT_GIVEN) -> models.Person:
        """One person by id; free. NotFoundError for an unknown id."""
        return self._client._request(_get(person_id, timeout))

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
        return self._client._request(_enrich(identifiers, mode, idempotency_key, timeout))

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
        1 credit per matched row."""
        return self._client._request(_enrich_bulk(rows, mode, idempotency_key, timeout))

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
            _chunk_request(mode, timeout),
            rows,
            concurrency=concurrency,
            chunk_size=chunk_size,
            idempotency_key=idempotency_key,
        )


class AsyncPeople(AsyncAPIResource):
    async def get(
        self, person_id: str, *, timeout: Timeout | NotGiven = NOT_GIVEN
    ) -> models.Person:
        """One person by id; free. NotFoundError for an unknown id."""
        return await self._client._request(_get(person_id, timeout))

    async def enrich(
        self,
        *,
        mode: Mode = "database",
        idempotency_key: str | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        **identifiers: Unpack[PersonIdentifiers],
    ) -> models.PersonEnrichment:
        """Match one person; see ``Leadbase.people.enrich``."""
        return await self._client._request(_enrich(identifiers, mode, idempotency_key, timeout))

    async def enrich_bulk(
        self,
        *,
        rows: Sequence[PersonRow],
        mode: Mode = "database",
        idempotency_key: str | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
    ) -> models.BulkPeopleEnrichment:
        """Enrich 1-500 rows in one call; see ``Leadbase.people.enrich_bulk``."""
        return await self._client._request(_enrich_bulk(rows, mode, idempotency_key, timeout))

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
            _chunk_request(mode, timeout),
            rows,
            concurrency=concurrency,
            chunk_size=chunk_size,
            idempotency_key=idempotency_key,
        )
