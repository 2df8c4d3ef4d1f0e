"""``Leadbase`` and ``AsyncLeadbase``: configuration, resources, and the retry loop.

Both loop send -> classify -> wait; what to send, whether to retry and how long to wait are
decided in ``_base`` so that the two clients behave the same.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import Generic, Self, TypeVar

import httpx

from leadbase import resources
from leadbase._base import (
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
    NOT_GIVEN,
    APIRequest,
    ClientOptions,
    NotGiven,
    RetryPolicy,
    Timeout,
    build_request,
    next_delay,
    parse_response,
    resolve_options,
    transport_error,
)
from leadbase._exceptions import APIError, status_error

T = TypeVar("T")
H = TypeVar("H", httpx.Client, httpx.AsyncClient)
S = TypeVar("S")


class _BaseClient(Generic[H, S]):
    """What both clients hold: options, the httpx client, the sleep between retries."""

    _options: ClientOptions
    _http: H
    _owns_http: bool
    _sleep: S

    def _setup(self, options: ClientOptions, http: H, *, owns_http: bool, sleep: S) -> None:
        self._options = options
        self._http = http
        self._owns_http = owns_http
        self._sleep = sleep
        self._attach_resources()

    def _attach_resources(self) -> None:
        raise NotImplementedError

    @property
    def base_url(self) -> str:
        return self._options.base_url

    def with_options(
        self,
        *,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | None = None,
        customer_id: str | NotGiven | None = NOT_GIVEN,
        retry: RetryPolicy | None = None,
    ) -> Self:
        """A client with some settings changed, sharing this one's connections."""
        clone = object.__new__(type(self))
        changed = self._options.changed(
            timeout=timeout, max_retries=max_retries, customer_id=customer_id, retry=retry
        )
        clone._setup(changed, self._http, owns_http=False, sleep=self._sleep)
        return clone


class Leadbase(_BaseClient[httpx.Client, Callable[[float], None]]):
    """A Leadbase API client (sync).

    ``api_key`` falls back to LEADBASE_API_KEY and ``base_url`` to LEADBASE_BASE_URL (then
    ``http://127.0.0.1:8000``). Failed calls raise subclasses of ``APIError``; connection
    errors, 408, 409 idempotency_key_in_use, 429 and 5xx are retried ``max_retries`` times
    with backoff (``retry``), honouring Retry-After. Every POST carries an Idempotency-Key,
    made once per call, so a retried POST is never performed (or billed) twice.
    """

    def __init__(
        self,
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        timeout: Timeout = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        customer_id: str | None = None,
        http_client: httpx.Client | None = None,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        options = resolve_options(
            api_key=api_key,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            customer_id=customer_id,
            retry=retry,
        )
        self._setup(
            options, http_client or httpx.Client(), owns_http=http_client is None, sleep=sleep
        )

    def _attach_resources(self) -> None:
        self.account = resources.Account(self)
        self.api_keys = resources.ApiKeys(self)
        self.people = resources.People(self)
        self.companies = resources.Companies(self)
        self.search = resources.Search(self)
        self.preview = resources.Preview(self)
        self.openings = resources.Openings(self)
        self.phones = resources.Phones(self)
        self.catalog = resources.Catalog(self)
        self.errors = resources.Errors(self)

    def _request(self, spec: APIRequest[T]) -> T:
        request = build_request(self._http, self._options, spec)
        retry = 0
        while True:
            try:
                response = self._http.send(request)
            except httpx.TransportError as exc:
                error: APIError = transport_error(exc, request)
            else:
                if response.is_success:
                    return parse_response(response, spec)
                error = status_error(response)
            delay = next_delay(self._options, retry, error, spec)
            if delay is None:
                raise error
            self._sleep(delay)
            retry += 1

    def close(self) -> None:
        """Close the connections (unless the http_client was passed in)."""
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> Leadbase:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


class AsyncLeadbase(_BaseClient[httpx.AsyncClient, Callable[[float], Awaitable[None]]]):
    """A Leadbase API client (async); configured and behaving as ``Leadbase``."""

    def __init__(
        self,
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        timeout: Timeout = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        customer_id: str | None = None,
        http_client: httpx.AsyncClient | None = None,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        options = resolve_options(
            api_key=api_key,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            customer_id=customer_id,
            retry=retry,
        )
        self._setup(
            options, http_client or httpx.AsyncClient(), owns_http=http_client is None, sleep=sleep
        )

    def _attach_resources(self) -> None:
        self.account = resources.AsyncAccount(self)
        self.api_keys = resources.AsyncApiKeys(self)
        self.people = resources.AsyncPeople(self)
        self.companies = resources.AsyncCompanies(self)
        self.search = resources.AsyncSearch(self)
        self.preview = resources.AsyncPreview(self)
        self.openings = resources.AsyncOpenings(self)
        self.phones = resources.AsyncPhones(self)
        self.catalog = resources.AsyncCatalog(self)
        self.errors = resources.AsyncErrors(self)

    async def _request(self, spec: APIRequest[T]) -> T:
        request = build_request(self._http, self._options, spec)
        retry = 0
        while True:
            try:
                response = await self._http.send(request)
            except httpx.TransportError as exc:
                error: APIError = transport_error(exc, request)
            else:
                if response.is_success:
                    return parse_response(response, spec)
                error = status_error(response)
            delay = next_delay(self._options, retry, error, spec)
            if delay is None:
                raise error
            await self._sleep(delay)
            retry += 1

    async def close(self) -> None:
        """Close the connections (unless the http_client was passed in)."""
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> AsyncLeadbase:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()
